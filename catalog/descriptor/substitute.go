package descriptor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// textPlaceholders read their target as text. $openapi and $asyncapi name
// API definitions, which the catalog stores as text.
var textPlaceholders = map[string]bool{"text": true, "openapi": true, "asyncapi": true}

// isPlaceholder reports whether a resolver exists for the placeholder key
// (without its "$").
func isPlaceholder(kind string) bool {
	return textPlaceholders[kind] || kind == "json" || kind == "yaml"
}

// substitute replaces placeholders in v, whose node is n and which sits at
// nesting level (the root mapping is level 1), following Backstage's
// PlaceholderProcessor: an object whose only key is "$name", with a string
// value and a known resolver, is replaced by the resolved content. Objects
// with a "$" key among others, unknown resolvers and non-string values are
// left alone, contents included, and resolved content is not searched again.
func (d *decoder) substitute(doc *Document, v any, n *yaml.Node, path []string, level int) (any, *nodeError) {
	n = deref(n)
	switch x := v.(type) {
	case []any:
		for i, item := range x {
			var child *yaml.Node
			if n != nil && n.Kind == yaml.SequenceNode && i < len(n.Content) {
				child = n.Content[i]
			}
			r, err := d.substitute(doc, item, child, append(path, "["+strconv.Itoa(i)+"]"), level+1)
			if err != nil {
				return nil, err
			}
			x[i] = r
		}
		return x, nil
	case map[string]any:
		dollar := false
		for k := range x {
			if strings.HasPrefix(k, "$") {
				dollar = true
				break
			}
		}
		if !dollar {
			var children map[string]*yaml.Node
			if n != nil && n.Kind == yaml.MappingNode {
				children = mappingIndex(n, len(x), map[*yaml.Node]bool{})
			}
			for _, k := range orderedKeys(x, n) {
				r, err := d.substitute(doc, x[k], children[k], append(path, k), level+1)
				if err != nil {
					return nil, err
				}
				x[k] = r
			}
			return x, nil
		}
		if len(x) != 1 {
			return x, nil
		}
		for k, val := range x {
			s, ok := val.(string)
			if !ok || !isPlaceholder(k[1:]) {
				return x, nil
			}
			res, err := d.resolvePlaceholder(k[1:], s, level)
			if err != nil {
				line := 0
				if n != nil {
					line = n.Line
				}
				err.line = line
				err.field = joinPath(path)
				return nil, err
			}
			if n != nil {
				if doc.substituted == nil {
					doc.substituted = map[*yaml.Node]bool{}
				}
				doc.substituted[n] = true
			}
			return res, nil
		}
	}
	return v, nil
}

// deref follows alias nodes to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// mappingIndex maps each key of a mapping node to its value node, with keys
// from merge sources after the explicit ones, as decoding does; seen skips
// merge sources already indexed.
func mappingIndex(m *yaml.Node, size int, seen map[*yaml.Node]bool) map[string]*yaml.Node {
	out := make(map[string]*yaml.Node, size)
	if seen[m] {
		return out
	}
	seen[m] = true
	var merges []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if isMergeKey(k) {
			merges = append(merges, m.Content[i+1])
			continue
		}
		if ks, ok := keyString(k); ok {
			out[ks] = m.Content[i+1]
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
			if s == nil || s.Kind != yaml.MappingNode {
				continue
			}
			for k, v := range mappingIndex(s, 0, seen) {
				if _, ok := out[k]; !ok {
					out[k] = v
				}
			}
		}
	}
	return out
}

// orderedKeys lists a mapping's keys in document order (merged keys last,
// sorted), so the first failing placeholder in the file is the one reported.
func orderedKeys(m map[string]any, n *yaml.Node) []string {
	out := make([]string, 0, len(m))
	seen := make(map[string]bool, len(m))
	if n != nil && n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k, ok := keyString(n.Content[i]); ok && !seen[k] {
				if _, present := m[k]; present {
					seen[k] = true
					out = append(out, k)
				}
			}
		}
	}
	rest := make([]string, 0, len(m)-len(out))
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// resolvePlaceholder reads and decodes the target of one placeholder.
func (d *decoder) resolvePlaceholder(kind, value string, level int) (any, *nodeError) {
	fail := func(cause error, format string, args ...any) *nodeError {
		return &nodeError{msg: fmt.Sprintf("Placeholder $%s ", kind) + fmt.Sprintf(format, args...), cause: cause}
	}
	d.subs++
	if d.subs > d.lim.MaxSubstitutions {
		return nil, fail(nil, "was not resolved: the file has more than %d substitutions", d.lim.MaxSubstitutions)
	}
	target, err := Resolve(d.source, value)
	if err != nil {
		return nil, fail(err, "could not form a URL out of %s and %s, %v", d.source, value, err)
	}
	data, err := d.read(target)
	if err != nil {
		return nil, fail(err, "could not read location %s, %s", value, errorName(err))
	}
	maxDepth := d.lim.MaxDepth - level + 1
	switch {
	case textPlaceholders[kind]:
		s := strings.ToValidUTF8(string(data), "\uFFFD")
		if err := d.budget.charge(1, int64(len(s))); err != nil {
			return nil, fail(err, "data at %s was not used: the file %v", value, err)
		}
		return s, nil
	case kind == "json":
		v, err := d.parseJSON(data, maxDepth)
		if err != nil {
			return nil, fail(err, "failed to parse JSON data at %s, %v", value, err)
		}
		return v, nil
	default:
		return d.parseYAML(kind, value, data, maxDepth)
	}
}

// read fetches a substitution target once per Decode call.
func (d *decoder) read(target string) ([]byte, error) {
	if f, ok := d.cache[target]; ok {
		return f.data, f.err
	}
	data, err := d.fetch.Fetch(d.ctx, target)
	if err == nil && int64(len(data)) > d.lim.MaxFileBytes {
		data, err = nil, fmt.Errorf("%s is %d bytes, more than the limit of %d bytes: %w", target, len(data), d.lim.MaxFileBytes, ErrTooLarge)
	}
	d.cache[target] = fetched{data: data, err: err}
	return data, err
}

// errorName renders an error the way Backstage prints one, "Name: message".
func errorName(err error) string {
	if errors.Is(err, ErrNotFound) {
		return "NotFoundError: " + err.Error()
	}
	return "Error: " + err.Error()
}

// parseYAML decodes a $yaml target, which must hold exactly one document.
func (d *decoder) parseYAML(kind, value string, data []byte, maxDepth int) (any, *nodeError) {
	fail := func(cause error, format string, args ...any) *nodeError {
		return &nodeError{msg: fmt.Sprintf("Placeholder $%s ", kind) + fmt.Sprintf(format, args...), cause: cause}
	}
	text, prob := prescan(data, d.lim.MaxNodes)
	if prob != nil {
		return nil, fail(nil, "found an error in the data at %s, the file %s", value, prob.message)
	}
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var (
		first *yaml.Node
		count int
	)
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, msg := yamlErrorLine(err, text)
			return nil, fail(err, "found an error in the data at %s, YAML error at line %d: %s", value, line, msg)
		}
		count++
		if first == nil {
			first = &n
		}
	}
	if count != 1 {
		return nil, fail(nil, "expected to find exactly one document of data at %s, found %d", value, count)
	}
	conv := newConverter(maxDepth, d.budget)
	v, _, nerr := conv.convert(first, 0)
	if nerr != nil {
		where := fmt.Sprintf("line %d", nerr.line)
		if nerr.field != "" {
			where += ", " + nerr.field
		}
		return nil, fail(nil, "found an error in the data at %s, %s: %s", value, where, nerr.msg)
	}
	return v, nil
}

// parseJSON decodes a $json target into the same value types as YAML.
func (d *decoder) parseJSON(data []byte, maxDepth int) (any, error) {
	if est := estimateJSON(data); est > d.lim.MaxNodes {
		return nil, fmt.Errorf("it has too much structure to decode safely: about %d values, more than the limit of %d", est, d.lim.MaxNodes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return jsonValue(v, 1, maxDepth, d.budget)
}

// estimateJSON counts the bytes that can start a JSON value.
func estimateJSON(data []byte) int {
	n := 1
	for _, c := range data {
		switch c {
		case ',', ':', '[', '{':
			n++
		}
	}
	return n
}

// jsonValue converts json.Number values to int64 or float64, checks nesting
// and charges the budget.
func jsonValue(v any, level, maxDepth int, b *budget) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		if level > maxDepth {
			return nil, fmt.Errorf("nesting is deeper than %d levels", maxDepth)
		}
		if err := b.charge(1, 0); err != nil {
			return nil, fmt.Errorf("the file %w", err)
		}
		for k, item := range x {
			if err := b.charge(0, int64(len(k))); err != nil {
				return nil, fmt.Errorf("the file %w", err)
			}
			c, err := jsonValue(item, level+1, maxDepth, b)
			if err != nil {
				return nil, err
			}
			x[k] = c
		}
		return x, nil
	case []any:
		if level > maxDepth {
			return nil, fmt.Errorf("nesting is deeper than %d levels", maxDepth)
		}
		if err := b.charge(1, 0); err != nil {
			return nil, fmt.Errorf("the file %w", err)
		}
		for i, item := range x {
			c, err := jsonValue(item, level+1, maxDepth, b)
			if err != nil {
				return nil, err
			}
			x[i] = c
		}
		return x, nil
	case json.Number:
		if err := b.charge(1, 0); err != nil {
			return nil, fmt.Errorf("the file %w", err)
		}
		return jsonNumber(string(x)), nil
	case string:
		if err := b.charge(1, int64(len(x))); err != nil {
			return nil, fmt.Errorf("the file %w", err)
		}
		return x, nil
	default:
		if err := b.charge(1, 0); err != nil {
			return nil, fmt.Errorf("the file %w", err)
		}
		return x, nil
	}
}

// jsonNumber returns an integer literal as int64 when it fits and every
// other number as float64; numbers beyond float64 become nil, as
// JSON.stringify writes Infinity.
func jsonNumber(s string) any {
	if !strings.ContainsAny(s, ".eE") {
		if v, err := strconv.ParseInt(s, 10, 64); err == nil {
			return v
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil
	}
	return f
}
