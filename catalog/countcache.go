package catalog

import (
	"sync"
	"sync/atomic"
	"time"
)

// countTTL bounds how stale a cached count may be when another replica changed the catalog;
// changes made by this process invalidate the cache at once.
const countTTL = time.Second

// maxCachedCounts bounds the cache; when full it starts over.
const maxCachedCounts = 4096

// countCache remembers how many entities a filter matches, so the first page of a query does
// not count ten thousand rows on every request.
type countCache struct {
	generation atomic.Uint64 // bumped by every write this process commits
	mu         sync.Mutex
	entries    map[string]cachedCount
}

type cachedCount struct {
	n          int
	generation uint64
	at         time.Time
}

func newCountCache() *countCache {
	return &countCache{entries: map[string]cachedCount{}}
}

// changed invalidates every cached count after a write.
func (c *countCache) changed() { c.generation.Add(1) }

// get returns a still valid count for key.
func (c *countCache) get(key string, now time.Time) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.generation != c.generation.Load() || now.Sub(e.at) > countTTL {
		return 0, false
	}
	return e.n, true
}

// put stores a count computed at generation gen (read before counting, so a write that
// lands during the count leaves it stale rather than wrongly fresh).
func (c *countCache) put(key string, n int, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxCachedCounts {
		c.entries = map[string]cachedCount{}
	}
	c.entries[key] = cachedCount{n: n, generation: gen, at: now}
}
