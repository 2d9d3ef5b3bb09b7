// Package lru is a small bounded least-recently-used cache, safe for
// concurrent use. The answers built from a region's cached standing (the
// API's compliance bodies, the norms dashboard) keep their last results in
// one, keyed by everything they depend on, the region's change counter
// among it (issue 14).
package lru

import (
	"container/list"
	"sync"
)

// Cache holds at most Max entries; adding one more evicts the least
// recently used.
type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *entry[K, V], most recent first
	byKey map[K]*list.Element
}

type entry[K comparable, V any] struct {
	key K
	val V
}

// New returns a cache of at most max entries (at least 1).
func New[K comparable, V any](max int) *Cache[K, V] {
	return &Cache[K, V]{max: maxInt(1, max), order: list.New(), byKey: map[K]*list.Element{}}
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// Get returns the value of k and marks it recently used.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[k]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*entry[K, V]).val, true
}

// Add stores v under k, evicting the least recently used entry when full.
func (c *Cache[K, V]) Add(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[k]; ok {
		el.Value.(*entry[K, V]).val = v
		c.order.MoveToFront(el)
		return
	}
	c.byKey[k] = c.order.PushFront(&entry[K, V]{key: k, val: v})
	for c.order.Len() > c.max {
		el := c.order.Back()
		c.order.Remove(el)
		delete(c.byKey, el.Value.(*entry[K, V]).key)
	}
}

// Len is the number of entries.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
