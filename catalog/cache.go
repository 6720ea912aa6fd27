package catalog

import (
	"sync"
	"sync/atomic"
	"time"
)

// cacheTTL bounds how stale a cached answer may be when another replica changed the catalog;
// changes made by this process invalidate the caches at once.
const cacheTTL = time.Second

// maxCached bounds each cache; when full it starts over.
const maxCached = 4096

// generation counts the writes this process has committed to the catalog.
type generation struct{ n atomic.Uint64 }

func (g *generation) changed()        { g.n.Add(1) }
func (g *generation) current() uint64 { return g.n.Load() }

// answerCache remembers answers to read queries (counts, first pages) until the catalog
// changes or cacheTTL passes, so that hot queries are not recomputed on every request.
type answerCache[V any] struct {
	gen     *generation
	mu      sync.Mutex
	entries map[string]cachedAnswer[V]
}

type cachedAnswer[V any] struct {
	v   V
	gen uint64
	at  time.Time
}

func newAnswerCache[V any](gen *generation) *answerCache[V] {
	return &answerCache[V]{gen: gen, entries: map[string]cachedAnswer[V]{}}
}

// get returns a still valid answer for key.
func (c *answerCache[V]) get(key string, now time.Time) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.gen != c.gen.current() || now.Sub(e.at) > cacheTTL {
		var zero V
		return zero, false
	}
	return e.v, true
}

// put stores an answer computed at generation gen (read before computing, so a write that
// lands meanwhile leaves it stale rather than wrongly fresh).
func (c *answerCache[V]) put(key string, v V, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxCached {
		c.entries = map[string]cachedAnswer[V]{}
	}
	c.entries[key] = cachedAnswer[V]{v: v, gen: gen, at: now}
}
