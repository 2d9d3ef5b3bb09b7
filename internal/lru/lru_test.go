package lru

import "testing"

func TestCache(t *testing.T) {
	c := New[string, int](2)
	c.Add("a", 1)
	c.Add("b", 2)
	if v, ok := c.Get("a"); !ok || v != 1 { // a is now the most recent
		t.Fatalf("a = %d, %v", v, ok)
	}
	c.Add("c", 3) // evicts b
	if _, ok := c.Get("b"); ok {
		t.Fatal("b survived")
	}
	if v, ok := c.Get("c"); !ok || v != 3 || c.Len() != 2 {
		t.Fatalf("c = %d, %v, len %d", v, ok, c.Len())
	}
	c.Add("a", 10)
	if v, _ := c.Get("a"); v != 10 || c.Len() != 2 {
		t.Fatalf("a replaced = %d, len %d", v, c.Len())
	}
}
