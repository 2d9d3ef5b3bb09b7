package store_test

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"meertijd/internal/store"

	"github.com/alexedwards/scs/v2"
)

// The session codec round-trips the values web sessions hold, writes
// equal sessions as equal bytes, falls back to gob for other types and
// reads sessions written with gob before it.
func TestSessionCodec(t *testing.T) {
	c := store.SessionCodec{}
	deadline := time.Date(2026, 12, 3, 20, 15, 0, 123456789, time.UTC)
	values := map[string]any{store.SessionUserKey: int64(42), "epoch": int64(-3), "mfa_done": true, "lang": "en", "flash": "plan.flash.saved",
		"empty": "", "n": 7, "off": false, "ünï": "çödé"}
	first, err := c.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 { // gob's map order varies; this format's does not
		again, _ := c.Encode(deadline, values)
		if !bytes.Equal(again, first) {
			t.Fatal("equal sessions encoded as different bytes")
		}
	}
	d, got, err := c.Decode(first)
	if err != nil || !d.Equal(deadline) || !reflect.DeepEqual(got, values) {
		t.Fatalf("round trip: %v %v %v", d, got, err)
	}
	// Another type: gob, read back as such.
	other := map[string]any{"ratio": 0.5, "uid": int64(1)}
	b, err := c.Encode(deadline, other)
	if err != nil {
		t.Fatal(err)
	}
	if d, got, err := c.Decode(b); err != nil || !d.Equal(deadline) || !reflect.DeepEqual(got, other) {
		t.Fatalf("gob fallback: %v %v %v", d, got, err)
	}
	// A session written by scs's gob codec before this one.
	old, _ := scs.GobCodec{}.Encode(deadline, values)
	if d, got, err := c.Decode(old); err != nil || !d.Equal(deadline) || !reflect.DeepEqual(got, values) {
		t.Fatalf("old gob session: %v %v %v", d, got, err)
	}
	// Damaged data is an error, never a panic.
	for i := range len(first) {
		if _, _, err := c.Decode(first[:i]); err == nil && i > 4 {
			t.Errorf("truncated at %d: no error", i)
		}
	}
	if _, _, err := c.Decode(append(first, 0)); err == nil {
		t.Error("trailing byte: no error")
	}
	empty, _ := c.Encode(deadline, map[string]any{})
	if _, got, err := c.Decode(empty); err != nil || len(got) != 0 {
		t.Errorf("empty session: %v %v", got, err)
	}
}

func BenchmarkSessionCodec(b *testing.B) {
	values := map[string]any{store.SessionUserKey: int64(42), "epoch": int64(3), "mfa_done": true, "lang": "nl"}
	deadline := time.Now().Add(time.Hour)
	for _, c := range []struct {
		name  string
		codec scs.Codec
	}{{"gob", scs.GobCodec{}}, {"meertijd", store.SessionCodec{}}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				data, _ := c.codec.Encode(deadline, values)
				c.codec.Decode(data)
				c.codec.Decode(data)
			}
		})
	}
}
