package descriptor

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxAliasCount is the alias limit of the "yaml" npm package Backstage parses
// with: an anchor may be referenced until its reference count times the alias
// count inside it exceeds 100.
const maxAliasCount = 100

// budget is what one Decode call may still produce, shared by the file and
// all its substitutions.
type budget struct {
	nodes    int
	bytes    int64
	maxNodes int
	maxBytes int64
}

// charge records n values and size bytes of text and reports whether the
// budget still holds.
func (b *budget) charge(n int, size int64) error {
	b.nodes += n
	b.bytes += size
	if b.nodes > b.maxNodes {
		return fmt.Errorf("decodes to more than %d values", b.maxNodes)
	}
	if b.bytes > b.maxBytes {
		return fmt.Errorf("decodes to more than %d bytes of text", b.maxBytes)
	}
	return nil
}

// nodeError is a problem found while converting one document.
type nodeError struct {
	line  int
	field string
	msg   string
	cause error
}

// anchorData tracks an anchored node as the yaml package's toJS does.
type anchorData struct {
	count      int
	aliasCount int
	res        any
	depth      int
	done       bool
}

// converter turns a yaml.Node tree into JSON-compatible Go values.
type converter struct {
	maxDepth int
	budget   *budget
	anchors  map[*yaml.Node]*anchorData
	path     []string
	// dollar records whether any mapping key starts with "$", that is
	// whether the document can hold placeholders at all.
	dollar bool
}

func newConverter(maxDepth int, b *budget) *converter {
	return &converter{maxDepth: maxDepth, budget: b, anchors: map[*yaml.Node]*anchorData{}}
}

// fail builds an error at node n for the current field path.
func (c *converter) fail(n *yaml.Node, format string, args ...any) *nodeError {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &nodeError{line: line, field: joinPath(c.path), msg: fmt.Sprintf(format, args...)}
}

// joinPath renders path segments as "metadata.tags[1]".
func joinPath(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		if strings.HasPrefix(s, "[") || b.Len() == 0 {
			b.WriteString(s)
			continue
		}
		b.WriteByte('.')
		b.WriteString(s)
	}
	return b.String()
}

// convert returns the value of node n at nesting level depth (the number of
// collections around it) and the nesting depth of the value itself.
func (c *converter) convert(n *yaml.Node, depth int) (any, int, *nodeError) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, 0, nil
		}
		return c.convert(n.Content[0], depth)
	case yaml.AliasNode:
		return c.alias(n, depth)
	}
	var data *anchorData
	if n.Anchor != "" {
		data = &anchorData{count: 1}
		c.anchors[n] = data
	}
	var (
		v   any
		d   int
		err *nodeError
	)
	switch n.Kind {
	case yaml.ScalarNode:
		v = jsonScalar(scalarValue(n))
		size := int64(0)
		if s, ok := v.(string); ok {
			size = int64(len(s))
		}
		if e := c.budget.charge(1, size); e != nil {
			return nil, 0, c.fail(n, "document %v", e)
		}
	case yaml.SequenceNode:
		v, d, err = c.sequence(n, depth+1)
	case yaml.MappingNode:
		v, d, err = c.mapping(n, depth+1)
	default:
		return nil, 0, c.fail(n, "unexpected YAML node kind %d", n.Kind)
	}
	if err != nil {
		return nil, 0, err
	}
	if data != nil {
		data.res, data.depth, data.done = v, d, true
	}
	return v, d, nil
}

// alias returns a copy of the anchored value, enforcing the yaml package's
// alias limit and this decoder's budget, so that "billion laughs" documents
// fail instead of expanding.
func (c *converter) alias(n *yaml.Node, depth int) (any, int, *nodeError) {
	data := c.anchors[n.Alias]
	if n.Alias == nil || data == nil {
		return nil, 0, c.fail(n, "Unresolved alias (the anchor must be set before the alias): %s", n.Value)
	}
	if !data.done {
		return nil, 0, c.fail(n, "alias *%s refers to a node that contains it", n.Value)
	}
	data.count++
	if data.aliasCount == 0 {
		data.aliasCount = c.aliasCount(n.Alias, 0)
	}
	if data.count*data.aliasCount > maxAliasCount {
		return nil, 0, c.fail(n, "Excessive alias count indicates a resource exhaustion attack")
	}
	if depth+data.depth > c.maxDepth {
		return nil, 0, c.fail(n, "nesting is deeper than %d levels", c.maxDepth)
	}
	v, err := copyValue(data.res, c.budget)
	if err != nil {
		return nil, 0, c.fail(n, "document %v", err)
	}
	return v, data.depth, nil
}

// aliasCount mirrors the yaml package's getAliasCount: the largest reference
// count of any anchor used inside node n, or 1 for a scalar.
func (c *converter) aliasCount(n *yaml.Node, depth int) int {
	if depth > c.maxDepth+1 {
		return maxAliasCount + 1
	}
	switch n.Kind {
	case yaml.AliasNode:
		if d := c.anchors[n.Alias]; d != nil {
			return d.count * d.aliasCount
		}
		return 0
	case yaml.SequenceNode, yaml.MappingNode:
		m := 0
		for _, item := range n.Content {
			if k := c.aliasCount(item, depth+1); k > m {
				m = k
			}
		}
		return m
	}
	return 1
}

func (c *converter) sequence(n *yaml.Node, depth int) (any, int, *nodeError) {
	if depth > c.maxDepth {
		return nil, 0, c.fail(n, "nesting is deeper than %d levels", c.maxDepth)
	}
	if e := c.budget.charge(1, 0); e != nil {
		return nil, 0, c.fail(n, "document %v", e)
	}
	out := make([]any, 0, len(n.Content))
	maxd := 0
	for i, item := range n.Content {
		c.path = append(c.path, "["+strconv.Itoa(i)+"]")
		v, d, err := c.convert(item, depth)
		c.path = c.path[:len(c.path)-1]
		if err != nil {
			return nil, 0, err
		}
		maxd = max(maxd, d)
		out = append(out, v)
	}
	return out, maxd + 1, nil
}

func (c *converter) mapping(n *yaml.Node, depth int) (any, int, *nodeError) {
	if depth > c.maxDepth {
		return nil, 0, c.fail(n, "nesting is deeper than %d levels", c.maxDepth)
	}
	if e := c.budget.charge(1, 0); e != nil {
		return nil, 0, c.fail(n, "document %v", e)
	}
	out := make(map[string]any, len(n.Content)/2)
	seen := make(map[any]bool, len(n.Content)/2)
	maxd := 0
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, vn := n.Content[i], n.Content[i+1]
		if isMergeKey(k) {
			d, err := c.merge(out, vn, depth)
			if err != nil {
				return nil, 0, err
			}
			maxd = max(maxd, d)
			continue
		}
		key, id, err := c.key(k, depth)
		if err != nil {
			return nil, 0, err
		}
		if id != nil {
			if seen[*id] {
				c.path = append(c.path, key)
				e := c.fail(k, "Map keys must be unique; %q is repeated", key)
				c.path = c.path[:len(c.path)-1]
				return nil, 0, e
			}
			seen[*id] = true
		}
		if strings.HasPrefix(key, "$") {
			c.dollar = true
		}
		if e := c.budget.charge(0, int64(len(key))); e != nil {
			return nil, 0, c.fail(k, "document %v", e)
		}
		c.path = append(c.path, key)
		v, d, err := c.convert(vn, depth)
		c.path = c.path[:len(c.path)-1]
		if err != nil {
			return nil, 0, err
		}
		maxd = max(maxd, d)
		out[key] = v
	}
	return out, maxd + 1, nil
}

// scalarID identifies a scalar key for the uniqueness check, which compares
// resolved values as the yaml package does (1 and "1" are different keys).
type scalarID struct {
	kind  string
	value string
}

// key returns the JSON key for a mapping key node and, for scalar keys, its
// identity for the uniqueness check.
func (c *converter) key(k *yaml.Node, depth int) (string, *scalarID, *nodeError) {
	target := k
	for target.Kind == yaml.AliasNode && target.Alias != nil {
		target = target.Alias
	}
	if k.Kind == yaml.AliasNode {
		// Count the alias as the yaml package does.
		if _, _, err := c.alias(k, depth); err != nil {
			return "", nil, err
		}
	}
	if target.Kind != yaml.ScalarNode {
		// JavaScript objects only have string keys: collections are written
		// out in YAML flow style, as the yaml package does.
		return flowString(target, 0), nil, nil
	}
	v := scalarValue(target)
	return stringifyKey(v), &scalarID{kind: fmt.Sprintf("%T", v), value: stringifyKey(v)}, nil
}

// merge adds the entries of a merge key's value (a mapping, an alias to one,
// or a sequence of those) that out does not have yet.
func (c *converter) merge(out map[string]any, vn *yaml.Node, depth int) (int, *nodeError) {
	c.path = append(c.path, "<<")
	defer func() { c.path = c.path[:len(c.path)-1] }()
	v, d, err := c.convert(vn, depth)
	if err != nil {
		return 0, err
	}
	sources := []any{v}
	target := vn
	for target.Kind == yaml.AliasNode && target.Alias != nil {
		target = target.Alias
	}
	if target.Kind == yaml.SequenceNode {
		sources, _ = v.([]any)
		d--
	}
	for _, s := range sources {
		m, ok := s.(map[string]any)
		if !ok {
			return 0, c.fail(vn, "Merge sources must be maps or map aliases")
		}
		for k, mv := range m {
			if _, exists := out[k]; !exists {
				out[k] = mv
			}
		}
	}
	return d - 1, nil
}

// isMergeKey reports whether a mapping key is the YAML merge key "<<".
func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Tag == "!!merge" && k.Value == "<<"
}

// copyValue deep-copies a decoded value, charging the budget for every value
// and string it copies.
func copyValue(v any, b *budget) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		if err := b.charge(1, 0); err != nil {
			return nil, err
		}
		out := make(map[string]any, len(x))
		for k, item := range x {
			if err := b.charge(0, int64(len(k))); err != nil {
				return nil, err
			}
			c, err := copyValue(item, b)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case []any:
		if err := b.charge(1, 0); err != nil {
			return nil, err
		}
		out := make([]any, len(x))
		for i, item := range x {
			c, err := copyValue(item, b)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case string:
		return x, b.charge(1, int64(len(x)))
	default:
		return x, b.charge(1, 0)
	}
}
