package handlers

import (
	"sync"

	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/views"
)

// maxAPIDefinitions bounds how many read definitions are kept.
const maxAPIDefinitions = 128

// apiDefinitions keeps API definitions read for their pages by entity ref and etag: reading a
// large OpenAPI document takes milliseconds, and it only changes when the entity does.
type apiDefinitions struct {
	mu   sync.Mutex
	defs map[string]*views.APIDefinition
}

// get returns the entity's definition prepared for reading, from the cache when its etag
// still matches. The result is shared: callers must not change it.
func (c *apiDefinitions) get(e *model.Entity) *views.APIDefinition {
	key := e.Ref().Key() + "@" + e.Metadata.Etag
	c.mu.Lock()
	d, ok := c.defs[key]
	c.mu.Unlock()
	if ok {
		return d
	}
	v := apiDefinition(e)
	d = &v
	if e.Metadata.Etag == "" {
		return d
	}
	c.mu.Lock()
	if c.defs == nil || len(c.defs) >= maxAPIDefinitions {
		c.defs = map[string]*views.APIDefinition{}
	}
	c.defs[key] = d
	c.mu.Unlock()
	return d
}
