// Package model is the Backstage entity model: the entity types, entity references,
// descriptor validation with Backstage's rules and wording, normalisation, relation
// derivation and the key/value flattening used for catalog filters.
//
// The package is pure: it performs no I/O and holds no state.
package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// DefaultNamespace is the namespace of entities that do not name one.
const DefaultNamespace = "default"

// Entity is one catalog entity in Backstage's JSON shape.
type Entity struct {
	APIVersion string         `json:"apiVersion"`
	Kind       string         `json:"kind"`
	Metadata   Metadata       `json:"metadata"`
	Spec       map[string]any `json:"spec,omitempty"`
	Relations  []Relation     `json:"relations,omitempty"`
	Status     *Status        `json:"status,omitempty"`
}

// Metadata is an entity's metadata block; keys the model does not know are kept in Extra.
type Metadata struct {
	UID         string
	Etag        string
	Name        string
	Namespace   string
	Title       string
	Description string
	Labels      map[string]string
	Annotations map[string]string
	Tags        []string
	Links       []Link
	// Extra holds every other metadata key, as decoded (Backstage's metadata allows
	// additional properties).
	Extra map[string]any
}

// Link is one entry of metadata.links.
type Link struct {
	URL   string
	Title string
	Icon  string
	Type  string
	// Extra holds any other keys of the link object, which Backstage keeps as written.
	Extra map[string]any
}

// Relation is one outgoing relation as Backstage returns it on an entity. Current Backstage
// emits only type and targetRef: the legacy target object was removed from the type in 2022
// and its opt-in compatibility output was removed from the catalog backend in 2026.
type Relation struct {
	Type      string `json:"type"`
	TargetRef string `json:"targetRef"`
}

// Status is the status block the catalog attaches to an entity.
type Status struct {
	Items []StatusItem `json:"items,omitempty"`
}

// StatusItem is one status entry, such as a processing error.
type StatusItem struct {
	Type    string     `json:"type"`
	Level   string     `json:"level"`
	Message string     `json:"message"`
	Error   *ErrorBody `json:"error,omitempty"`
}

// ErrorBody is a serialised error as Backstage puts it in status items and error responses.
type ErrorBody struct {
	Name    string     `json:"name"`
	Message string     `json:"message"`
	Cause   *ErrorBody `json:"cause,omitempty"`
}

// Status item constants used by the catalog.
const (
	// StatusTypeProcessing is the status item type of catalog processing errors.
	StatusTypeProcessing = "backstage.io/catalog-processing"
	// StatusLevelError is the level of a failing status item.
	StatusLevelError = "error"
	// StatusLevelWarning is the level of a warning status item.
	StatusLevelWarning = "warning"
	// StatusLevelInfo is the level of an informational status item.
	StatusLevelInfo = "info"
)

// Ref returns the entity's reference, with the default namespace filled in when unset.
func (e *Entity) Ref() Ref {
	ns := e.Metadata.Namespace
	if ns == "" {
		ns = DefaultNamespace
	}
	return Ref{Kind: e.Kind, Namespace: ns, Name: e.Metadata.Name}
}

// isMetadataKey reports whether a metadata key has a typed field; every other key goes to Extra.
func isMetadataKey(k string) bool {
	switch k {
	case "uid", "etag", "name", "namespace", "title", "description", "labels", "annotations", "tags", "links":
		return true
	}
	return false
}

// isLinkKey reports whether a link key has a typed field.
func isLinkKey(k string) bool {
	switch k {
	case "url", "title", "icon", "type":
		return true
	}
	return false
}

// MarshalJSON writes the metadata with its typed fields first, then the extra keys sorted.
func (m Metadata) MarshalJSON() ([]byte, error) {
	w := objectWriter{}
	w.str("uid", m.UID)
	w.str("etag", m.Etag)
	w.field("name", m.Name)
	w.str("namespace", m.Namespace)
	w.str("title", m.Title)
	w.str("description", m.Description)
	if m.Labels != nil {
		w.field("labels", m.Labels)
	}
	if m.Annotations != nil {
		w.field("annotations", m.Annotations)
	}
	if m.Tags != nil {
		w.field("tags", m.Tags)
	}
	if m.Links != nil {
		w.field("links", m.Links)
	}
	w.extra(m.Extra, isMetadataKey)
	return w.finish()
}

// UnmarshalJSON reads the typed fields and keeps every other key in Extra.
func (m *Metadata) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("metadata: %w", err)
	}
	*m = Metadata{}
	targets := map[string]any{
		"uid": &m.UID, "etag": &m.Etag, "name": &m.Name, "namespace": &m.Namespace,
		"title": &m.Title, "description": &m.Description, "labels": &m.Labels,
		"annotations": &m.Annotations, "tags": &m.Tags, "links": &m.Links,
	}
	for k, v := range raw {
		if t, ok := targets[k]; ok {
			if err := json.Unmarshal(v, t); err != nil {
				return fmt.Errorf("metadata.%s: %w", k, err)
			}
			continue
		}
		var x any
		if err := json.Unmarshal(v, &x); err != nil {
			return fmt.Errorf("metadata.%s: %w", k, err)
		}
		if m.Extra == nil {
			m.Extra = map[string]any{}
		}
		m.Extra[k] = x
	}
	return nil
}

// MarshalJSON writes the link with url first and any extra keys after the typed ones.
func (l Link) MarshalJSON() ([]byte, error) {
	w := objectWriter{}
	w.field("url", l.URL)
	w.str("title", l.Title)
	w.str("icon", l.Icon)
	w.str("type", l.Type)
	w.extra(l.Extra, isLinkKey)
	return w.finish()
}

// UnmarshalJSON reads the typed link fields and keeps every other key in Extra.
func (l *Link) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("link: %w", err)
	}
	*l = Link{}
	targets := map[string]*string{"url": &l.URL, "title": &l.Title, "icon": &l.Icon, "type": &l.Type}
	for k, v := range raw {
		if t, ok := targets[k]; ok {
			if err := json.Unmarshal(v, t); err != nil {
				return fmt.Errorf("link.%s: %w", k, err)
			}
			continue
		}
		var x any
		if err := json.Unmarshal(v, &x); err != nil {
			return fmt.Errorf("link.%s: %w", k, err)
		}
		if l.Extra == nil {
			l.Extra = map[string]any{}
		}
		l.Extra[k] = x
	}
	return nil
}

// objectWriter assembles a JSON object field by field, remembering the first error.
type objectWriter struct {
	buf bytes.Buffer
	n   int
	err error
}

func (w *objectWriter) field(key string, v any) {
	if w.err != nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		w.err = fmt.Errorf("%s: %w", key, err)
		return
	}
	if w.n == 0 {
		w.buf.WriteByte('{')
	} else {
		w.buf.WriteByte(',')
	}
	w.n++
	k, _ := json.Marshal(key)
	w.buf.Write(k)
	w.buf.WriteByte(':')
	w.buf.Write(b)
}

// str writes a string field only when it is set.
func (w *objectWriter) str(key, v string) {
	if v != "" {
		w.field(key, v)
	}
}

// extra writes the keys of extra that are not typed fields, in sorted order.
func (w *objectWriter) extra(extra map[string]any, typed func(string) bool) {
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !typed(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		w.field(k, extra[k])
	}
}

func (w *objectWriter) finish() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if w.n == 0 {
		return []byte("{}"), nil
	}
	w.buf.WriteByte('}')
	return w.buf.Bytes(), nil
}
