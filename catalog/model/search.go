package model

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// SearchRow is one flattened key/value pair of an entity, as Backstage's buildEntitySearch
// produces them for its search table: Key and Value are lower-cased, OriginalValue keeps the
// case. Value and OriginalValue are nil where Backstage stores null: for null or absent
// special fields and for values longer than MaxSearchValueLength.
type SearchRow struct {
	Key           string
	Value         *string
	OriginalValue *string
}

// Limits Backstage applies to search rows (the columns are indexed). Lengths are counted in
// UTF-16 code units, as JavaScript counts them.
const (
	// MaxSearchKeyLength is the longest key kept; longer keys are dropped.
	MaxSearchKeyLength = 200
	// MaxSearchValueLength is the longest value kept; longer values are stored as null.
	MaxSearchValueLength = 200
)

// Search flattens e into search rows the way Backstage's catalog does:
//
//   - every leaf under apiVersion, kind, metadata and spec becomes a row keyed by its dotted
//     path; numbers and booleans are turned into text as JavaScript's String() does; null
//     leaves give a null row; empty objects and lists give nothing;
//   - list items share their list's key, and every string item s of a list at path p also
//     gives a row "p.s" = "true", so that filters can require several items at once;
//   - relations and status are not traversed; metadata.name, metadata.namespace and
//     metadata.uid are always present (null when unset), an unset namespace also matches
//     "default", and metadata.etag is left out;
//   - each relation gives a row "relations.<type>" = target ref;
//   - keys and values are lower-cased; keys longer than MaxSearchKeyLength are dropped,
//     values longer than MaxSearchValueLength become null; duplicate (key, value) pairs
//     are dropped.
//
// Rows follow the entity's structure with object keys in sorted order (Backstage follows
// insertion order; the order carries no meaning).
func Search(e *Entity) []SearchRow {
	return toRows(searchPairs(e))
}

type kv struct {
	key   string
	value any
}

// searchPairs lists the raw key/value pairs before lower-casing and limits. Paths longer
// than MaxSearchKeyLength are not descended into: every key below them is longer still
// and would be dropped, and skipping them keeps hostile nesting linear in time and memory.
func searchPairs(e *Entity) []kv {
	var out []kv
	seenItemKeys := map[string]bool{}
	var visit func(path string, pathLen int, v any)
	visit = func(path string, pathLen int, v any) {
		if pathLen > MaxSearchKeyLength {
			return
		}
		switch path {
		case "metadata.name", "metadata.namespace", "metadata.uid", "metadata.etag":
			return
		}
		switch x := v.(type) {
		case nil, string, bool, float64, float32, json.Number, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
			out = append(out, kv{path, v})
		case []any:
			for _, item := range x {
				visit(path, pathLen, item)
				if s, ok := item.(string); ok {
					k := path + "." + s
					if lk := lowerJS(k); !seenItemKeys[lk] {
						seenItemKeys[lk] = true
						out = append(out, kv{k, true})
					}
				}
			}
		case []string:
			items := make([]any, len(x))
			for i, s := range x {
				items[i] = s
			}
			visit(path, pathLen, items)
		case map[string]any:
			for _, k := range sortedKeys(x) {
				visit(path+"."+k, pathLen+1+utf16Len(k), x[k])
			}
		case map[string]string:
			for _, k := range sortedKeys(x) {
				visit(path+"."+k, pathLen+1+utf16Len(k), x[k])
			}
		}
	}
	visit("apiVersion", len("apiVersion"), e.APIVersion)
	visit("kind", len("kind"), e.Kind)
	visit("metadata", len("metadata"), metadataTree(e.Metadata))
	if e.Spec != nil {
		visit("spec", len("spec"), e.Spec)
	}
	out = append(out, kv{"metadata.name", e.Metadata.Name})
	out = append(out, kv{"metadata.namespace", nullIfEmpty(e.Metadata.Namespace)})
	out = append(out, kv{"metadata.uid", nullIfEmpty(e.Metadata.UID)})
	if e.Metadata.Namespace == "" {
		out = append(out, kv{"metadata.namespace", DefaultNamespace})
	}
	for _, r := range e.Relations {
		out = append(out, kv{"relations." + r.Type, r.TargetRef})
	}
	return out
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// metadataTree is the metadata as its JSON form decodes, without the fields Search adds
// itself.
func metadataTree(m Metadata) map[string]any {
	t := make(map[string]any, len(m.Extra)+8)
	for k, v := range m.Extra {
		if !isMetadataKey(k) {
			t[k] = v
		}
	}
	if m.Title != "" {
		t["title"] = m.Title
	}
	if m.Description != "" {
		t["description"] = m.Description
	}
	if m.Labels != nil {
		t["labels"] = m.Labels
	}
	if m.Annotations != nil {
		t["annotations"] = m.Annotations
	}
	if m.Tags != nil {
		t["tags"] = m.Tags
	}
	if m.Links != nil {
		links := make([]any, len(m.Links))
		for i, l := range m.Links {
			lt := make(map[string]any, len(l.Extra)+4)
			for k, v := range l.Extra {
				if !isLinkKey(k) {
					lt[k] = v
				}
			}
			lt["url"] = l.URL
			for k, v := range map[string]string{"title": l.Title, "icon": l.Icon, "type": l.Type} {
				if v != "" {
					lt[k] = v
				}
			}
			links[i] = lt
		}
		t["links"] = links
	}
	return t
}

// toRows lower-cases, applies the length limits and drops duplicate pairs.
func toRows(pairs []kv) []SearchRow {
	rows := make([]SearchRow, 0, len(pairs))
	seen := make(map[string]bool, len(pairs))
	for _, p := range pairs {
		key := lowerJS(p.key)
		if utf16Len(key) > MaxSearchKeyLength {
			continue
		}
		row := SearchRow{Key: key}
		if p.value != nil {
			original := jsString(p.value)
			value := lowerJS(original)
			if utf16Len(value) <= MaxSearchValueLength {
				row.Value, row.OriginalValue = &value, &original
			}
		}
		dedup := key + "\x00\x01"
		if row.Value != nil {
			dedup = key + "\x00" + *row.Value
		}
		if seen[dedup] {
			continue
		}
		seen[dedup] = true
		rows = append(rows, row)
	}
	return rows
}

// searchKeyConflict returns Backstage's error for entities whose search keys differ only in
// case (such as spec.foo and spec.Foo), which its catalog refuses to store, or "". Keys
// too long to be stored are not compared.
func searchKeyConflict(e *Entity) string {
	byLower := map[string]string{}
	var bad []string
	reported := map[string]bool{}
	for _, p := range searchPairs(e) {
		lower := lowerJS(p.key)
		first, ok := byLower[lower]
		if !ok {
			byLower[lower] = p.key
			continue
		}
		if first != p.key && !reported[lower] {
			reported[lower] = true
			bad = append(bad, lower)
		}
	}
	if len(bad) == 0 {
		return ""
	}
	return "Entity has duplicate keys that vary only in casing, '" + strings.Join(bad, "', '") + "'"
}

// jsString converts a scalar to text as JavaScript's String() does.
func jsString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return jsNumber(x)
	case float32:
		return jsNumber(float64(x))
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return jsNumber(f)
		}
		return x.String()
	case int:
		return strconv.FormatInt(int64(x), 10)
	case int8:
		return strconv.FormatInt(int64(x), 10)
	case int16:
		return strconv.FormatInt(int64(x), 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return jsInteger(x)
	case uint:
		return strconv.FormatUint(uint64(x), 10)
	case uint8:
		return strconv.FormatUint(uint64(x), 10)
	case uint16:
		return strconv.FormatUint(uint64(x), 10)
	case uint32:
		return strconv.FormatUint(uint64(x), 10)
	case uint64:
		if x > 1<<53 {
			return jsNumber(float64(x))
		}
		return strconv.FormatUint(x, 10)
	}
	return ""
}

// jsInteger renders integers beyond JavaScript's exact range as the double it would hold.
func jsInteger(x int64) string {
	if x > 1<<53 || x < -(1<<53) {
		return jsNumber(float64(x))
	}
	return strconv.FormatInt(x, 10)
}

// jsNumber formats a double as JavaScript's Number.prototype.toString does.
func jsNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	abs := math.Abs(f)
	if abs >= 1e21 || abs < 1e-6 {
		s := strconv.FormatFloat(f, 'e', -1, 64)
		mant, exp, _ := strings.Cut(s, "e")
		sign := exp[0]
		digits := strings.TrimLeft(exp[1:], "0")
		return mant + "e" + string(sign) + digits
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// utf16Len counts UTF-16 code units, JavaScript's string length.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r > 0xFFFF {
			n += 2
		} else {
			n++
		}
	}
	return n
}
