// Package descriptor reads Backstage descriptor files (catalog-info.yaml) and
// decodes them into raw documents, the way Backstage's catalog does before it
// validates anything.
//
// A file is split into YAML documents; empty and comment-only documents are
// skipped; every other document must be a mapping. The $text, $json, $yaml,
// $openapi and $asyncapi placeholders are replaced by the content of the file
// or URL they name, resolved relative to the descriptor. Values are plain Go
// values that encoding/json writes exactly as Backstage would serialise the
// entity: map[string]any, []any, string, bool, int64 (integers that fit in 64
// bits), float64 (every other number) and nil. Scalars follow the YAML 1.2 core
// schema that Backstage's parser uses, so dates and "yes"/"no" stay strings.
//
// Decoding is bounded: file size, nesting depth, alias expansion, structure
// size and the number and size of substitutions all have limits (see Limits),
// so hostile input produces an Error instead of exhausting memory.
package descriptor

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Document is one YAML document of a descriptor file.
type Document struct {
	// Source is the absolute file path or URL the document came from.
	Source string
	// Index is the 0-based position of the document in the file, counting
	// skipped empty documents.
	Index int
	// Line is the 1-based line where the document's content starts.
	Line int
	// Raw is the decoded mapping after substitutions; nil when Err is set.
	Raw map[string]any
	// Err says why the document could not be decoded.
	Err *Error
	// Partial is the decoded mapping when a substitution failed, with the
	// failing placeholder left in place, so callers can still name the
	// entity the error belongs to; nil otherwise.
	Partial map[string]any

	root        *yaml.Node
	substituted map[*yaml.Node]bool
}

// Error is a problem in a descriptor file, naming the place and what was expected.
type Error struct {
	// Source is the file path or URL of the descriptor.
	Source string
	// Line is the 1-based line of the problem, or 0 when it concerns the whole file.
	Line int
	// Field is the dotted path of the field at fault, empty for a whole document or file.
	Field string
	// Message says what is wrong, in Backstage's wording where it has one.
	Message string

	cause error
}

// Error formats the problem as "SOURCE:LINE: FIELD: MESSAGE"; the field part is
// left out when empty and the line part when it is 0.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Source)
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Unwrap returns the underlying cause, such as ErrNotFound for a missing
// substitution target, so callers can test it with errors.Is.
func (e *Error) Unwrap() error { return e.cause }

// LineOf returns the 1-based line of the value at a dotted field path such as
// "metadata.name", "metadata.tags[1]" or "spec.owner", falling back to the
// document's Line when the path is absent.
//
// Keys that contain dots (annotation keys such as "backstage.io/techdocs-ref")
// can be written plainly or quoted in brackets:
// metadata.annotations["backstage.io/techdocs-ref"]. A path that runs into
// content spliced in by a substitution returns the line of the placeholder.
func (d *Document) LineOf(path string) int {
	if d == nil {
		return 0
	}
	if d.root == nil {
		return d.Line
	}
	segs, ok := parsePath(path)
	if !ok {
		return d.Line
	}
	root := d.root
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if n := d.find(root, segs); n != nil {
		return n.Line
	}
	return d.Line
}

// pathSeg is one step of a field path: a mapping key or a sequence index.
type pathSeg struct {
	key     string
	index   int
	isIndex bool
	quoted  bool
}

// find walks the node tree along segs and returns the node the path names, the
// placeholder node when the path descends into substituted content, or nil.
// Each step consumes a path segment, so the walk ends even on alias cycles.
func (d *Document) find(n *yaml.Node, segs []pathSeg) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil {
		return nil
	}
	if d.substituted[n] && len(segs) > 0 {
		return n
	}
	if len(segs) == 0 {
		return n
	}
	s := segs[0]
	switch n.Kind {
	case yaml.SequenceNode:
		if !s.isIndex || s.index < 0 || s.index >= len(n.Content) {
			return nil
		}
		return d.find(n.Content[s.index], segs[1:])
	case yaml.MappingNode:
		if s.isIndex {
			return nil
		}
		// Take the shortest key that exists: "backstage.io/techdocs-ref" is
		// found by joining segments when "backstage" is not a key.
		key := s.key
		for i := 0; ; i++ {
			if v := mappingValue(n, key); v != nil {
				return d.find(v, segs[i+1:])
			}
			if s.quoted || i+1 >= len(segs) || segs[i+1].isIndex || segs[i+1].quoted {
				return nil
			}
			key += "." + segs[i+1].key
		}
	}
	return nil
}

// mappingValue returns the value node for key in a mapping, looking through
// merge keys (<<) the way decoding does: explicit keys first, then merged ones.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	return mappingValueSeen(m, key, map[*yaml.Node]bool{})
}

// mappingValueSeen is mappingValue that skips merge sources already searched,
// so self-referencing merges cannot make it loop.
func mappingValueSeen(m *yaml.Node, key string, seen map[*yaml.Node]bool) *yaml.Node {
	if seen[m] {
		return nil
	}
	seen[m] = true
	var merges []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if isMergeKey(k) {
			merges = append(merges, m.Content[i+1])
			continue
		}
		if ks, ok := keyString(k); ok && ks == key {
			return m.Content[i+1]
		}
	}
	for _, src := range merges {
		src = deref(src)
		if src == nil {
			continue
		}
		sources := []*yaml.Node{src}
		if src.Kind == yaml.SequenceNode {
			sources = src.Content
		}
		for _, s := range sources {
			s = deref(s)
			if s != nil && s.Kind == yaml.MappingNode {
				if v := mappingValueSeen(s, key, seen); v != nil {
					return v
				}
			}
		}
	}
	return nil
}

// keyString returns the JSON key a scalar key node becomes.
func keyString(k *yaml.Node) (string, bool) {
	for k != nil && k.Kind == yaml.AliasNode {
		k = k.Alias
	}
	if k == nil || k.Kind != yaml.ScalarNode {
		return "", false
	}
	return stringifyKey(scalarValue(k)), true
}

// parsePath splits "metadata.tags[1]" or `metadata.annotations["a.b/c"]`
// into segments.
func parsePath(path string) ([]pathSeg, bool) {
	var segs []pathSeg
	i := 0
	expectKey := true
	for i < len(path) {
		switch c := path[i]; {
		case c == '.':
			if expectKey {
				return nil, false
			}
			expectKey = true
			i++
		case c == '[':
			end := strings.IndexByte(path[i:], ']')
			if end < 0 {
				return nil, false
			}
			inner := path[i+1 : i+end]
			if len(inner) >= 2 && (inner[0] == '"' || inner[0] == '\'') && inner[len(inner)-1] == inner[0] {
				segs = append(segs, pathSeg{key: inner[1 : len(inner)-1], quoted: true})
			} else {
				n, err := strconv.Atoi(inner)
				if err != nil {
					return nil, false
				}
				segs = append(segs, pathSeg{index: n, isIndex: true})
			}
			i += end + 1
			expectKey = false
		default:
			if !expectKey {
				return nil, false
			}
			j := i
			for j < len(path) && path[j] != '.' && path[j] != '[' {
				j++
			}
			segs = append(segs, pathSeg{key: path[i:j]})
			i = j
			expectKey = false
		}
	}
	if expectKey && len(segs) > 0 {
		return nil, false
	}
	return segs, true
}
