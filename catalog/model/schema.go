package model

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// schema is the subset of JSON Schema (draft-07) that Backstage's entity schemas use. The
// schemas themselves are written out in kinds.go from the facts of Backstage's JSON files;
// check reports violations with the messages Ajv (v8), Backstage's validator, prints.
type schema struct {
	types     []string // allowed JSON types; empty allows any
	minLength int
	enum      []string
	constant  string // when hasConst, the value must equal it
	hasConst  bool
	minItems  int
	items     *schema
	required  []string
	props     []prop
	// additional applies to object keys not listed in props; nil allows anything.
	additional *schema
	// closed rejects object keys not listed in props.
	closed bool
	oneOf  []*schema
}

type prop struct {
	name string
	s    *schema
}

// Small constructors keep the schema tables in kinds.go readable.
func str() *schema          { return &schema{types: []string{"string"}} }
func nonEmpty() *schema     { return &schema{types: []string{"string"}, minLength: 1} }
func obj(p ...prop) *schema { return &schema{types: []string{"object"}, props: p} }
func arrOf(s *schema) *schema {
	return &schema{types: []string{"array"}, items: s}
}
func field(name string, s *schema) prop { return prop{name: name, s: s} }
func (s *schema) require(names ...string) *schema {
	s.required = names
	return s
}

// problems collects at most one problem per field, in the order they are found.
type problems struct {
	list []Problem
	seen map[string]bool
}

func (p *problems) add(field, msg string) {
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	if p.seen[field] {
		return
	}
	p.seen[field] = true
	p.list = append(p.list, Problem{Field: field, Message: msg})
}

func (p *problems) has(field string) bool { return p.seen[field] }

// join appends a key to a dotted path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// check validates v against s, adding problems under path.
func (s *schema) check(path string, v any, out *problems) {
	if len(s.types) > 0 && !hasType(v, s.types) {
		out.add(path, "must be "+strings.Join(s.types, ","))
		return
	}
	if s.hasConst {
		if str, ok := v.(string); !ok || str != s.constant {
			out.add(path, "must be equal to constant")
			return
		}
	}
	if len(s.enum) > 0 {
		str, ok := v.(string)
		found := false
		for _, e := range s.enum {
			if ok && str == e {
				found = true
			}
		}
		if !found {
			out.add(path, "must be equal to one of the allowed values: "+strings.Join(s.enum, ", "))
			return
		}
	}
	if len(s.oneOf) > 0 {
		matches := 0
		for _, alt := range s.oneOf {
			var scratch problems
			alt.check(path, v, &scratch)
			if len(scratch.list) == 0 {
				matches++
			}
		}
		if matches != 1 {
			out.add(path, "must match exactly one schema in oneOf")
			return
		}
	}
	switch x := v.(type) {
	case string:
		if s.minLength > 0 && utf8.RuneCountInString(x) < s.minLength {
			out.add(path, fmt.Sprintf("must NOT have fewer than %d characters", s.minLength))
		}
	case []any:
		if len(x) < s.minItems {
			out.add(path, fmt.Sprintf("must NOT have fewer than %d items", s.minItems))
			return
		}
		if s.items != nil {
			for i, item := range x {
				s.items.check(index(path, i), item, out)
			}
		}
	case map[string]any:
		for _, r := range s.required {
			if _, ok := x[r]; !ok {
				out.add(join(path, r), fmt.Sprintf("must have required property '%s'", r))
			}
		}
		known := make(map[string]bool, len(s.props))
		for _, p := range s.props {
			known[p.name] = true
			if val, ok := x[p.name]; ok {
				p.s.check(join(path, p.name), val, out)
			}
		}
		if s.closed || s.additional != nil {
			for _, k := range sortedKeys(x) {
				if known[k] {
					continue
				}
				if s.closed {
					out.add(join(path, k), "must NOT have additional properties")
				} else {
					s.additional.check(join(path, k), x[k], out)
				}
			}
		}
	}
}

// jsonType names the JSON type of a decoded value, "" when it is not a JSON value.
func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case float64:
		if x == math.Trunc(x) && !math.IsInf(x, 0) {
			return "integer"
		}
		return "number"
	case float32:
		return jsonType(float64(x))
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return "integer"
		}
		return "number"
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return "integer"
	}
	return ""
}

func hasType(v any, types []string) bool {
	t := jsonType(v)
	for _, want := range types {
		if want == t || want == "number" && t == "integer" {
			return true
		}
	}
	return false
}
