package descriptor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Decode splits a descriptor file into documents and resolves $text, $json
// and $yaml substitutions (and $openapi/$asyncapi, which read the referenced
// definition as text) relative to source, reading targets through fetch
// (NewFetcher(nil, lim.MaxFileBytes) when fetch is nil).
//
// Empty and comment-only documents are skipped. A document that is not a
// mapping, or whose substitution fails, is returned with Err set and the other
// documents still decode. A file-level problem (over the size limit, binary
// content, unparseable YAML, a cancelled context) is returned as *Error
// together with the documents decoded before it; after a YAML syntax error,
// decoding resumes at the next document marker, as Backstage's parser does,
// so documents after the broken one are returned too.
func Decode(ctx context.Context, source string, data []byte, fetch Fetcher, lim Limits) ([]Document, error) {
	lim = lim.withDefaults()
	if int64(len(data)) > lim.MaxFileBytes {
		return nil, &Error{Source: source, cause: ErrTooLarge, Message: fmt.Sprintf(
			"file is %d bytes, more than the limit of %d bytes", len(data), lim.MaxFileBytes)}
	}
	text, prob := prescan(data, lim.MaxNodes)
	if prob != nil {
		return nil, &Error{Source: source, Line: prob.line, Message: "file " + prob.message}
	}
	if fetch == nil {
		fetch = NewFetcher(nil, lim.MaxFileBytes)
	}
	d := &decoder{
		ctx:    ctx,
		source: source,
		fetch:  fetch,
		lim:    lim,
		budget: &budget{maxNodes: lim.MaxNodes, maxBytes: lim.MaxTotalBytes},
		cache:  map[string]fetched{},
	}
	docs, err := d.decodeStream(text)
	if err != nil {
		// Returned as error only when set: a nil *Error in an error interface
		// would not compare equal to nil.
		return docs, err
	}
	return docs, nil
}

// decoder holds the state of one Decode call.
type decoder struct {
	ctx    context.Context
	source string
	fetch  Fetcher
	lim    Limits
	budget *budget
	cache  map[string]fetched
	subs   int
}

// fetched is the cached result of reading one substitution target.
type fetched struct {
	data []byte
	err  error
}

// decodeStream decodes every document of text, resuming after syntax errors.
func (d *decoder) decodeStream(text []byte) ([]Document, *Error) {
	var (
		markers  []marker
		docs     []Document
		firstErr *Error
		offset   int
		lineBase int // lines before the chunk being decoded
		index    int
		lastDoc  int // line of the last document decoded
	)
	for {
		dec := yaml.NewDecoder(bytes.NewReader(text[offset:]))
		resumed := false
		for !resumed {
			if err := d.ctx.Err(); err != nil {
				return docs, &Error{Source: d.source, Message: "decoding stopped: " + err.Error(), cause: err}
			}
			var root yaml.Node
			err := dec.Decode(&root)
			if errors.Is(err, io.EOF) {
				return docs, firstErr
			}
			if err != nil {
				line, msg := yamlErrorLine(err, text[offset:])
				line += lineBase
				if firstErr == nil {
					firstErr = &Error{Source: d.source, Line: line, Message: "YAML error: " + msg, cause: err}
					markers = documentMarkers(text)
				}
				next, ok := resumePoint(markers, max(line, lastDoc+1, lineBase+2))
				if !ok {
					return docs, firstErr
				}
				offset, lineBase = next.offset, next.line-1
				index++
				resumed = true
				continue
			}
			shiftLines(&root, lineBase)
			lastDoc = max(root.Line, lineBase+1)
			if doc := d.document(&root, index); doc != nil {
				docs = append(docs, *doc)
			}
			index++
		}
	}
}

// marker is a line where a new document can start: a "---" line, or the line
// after a "..." line.
type marker struct {
	line   int
	offset int
}

// documentMarkers lists the places decoding can resume after a syntax error.
func documentMarkers(text []byte) []marker {
	var out []marker
	line := 1
	for off := 0; off < len(text); {
		end := bytes.IndexByte(text[off:], '\n')
		next := len(text)
		if end >= 0 {
			next = off + end + 1
		}
		l := text[off:next]
		if isMarkerLine(l, "---") {
			out = append(out, marker{line: line, offset: off})
		} else if isMarkerLine(l, "...") && next < len(text) {
			out = append(out, marker{line: line + 1, offset: next})
		}
		off = next
		line++
	}
	return out
}

func isMarkerLine(l []byte, m string) bool {
	if !bytes.HasPrefix(l, []byte(m)) {
		return false
	}
	if len(l) == 3 {
		return true
	}
	switch l[3] {
	case ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

// resumePoint returns the first marker at or after line.
func resumePoint(markers []marker, line int) (marker, bool) {
	for _, m := range markers {
		if m.line >= line {
			return m, true
		}
	}
	return marker{}, false
}

// shiftLines moves every node of a tree decoded from a later chunk of the
// file to its line in the whole file.
func shiftLines(root *yaml.Node, by int) {
	if by == 0 {
		return
	}
	stack := []*yaml.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n.Line += by
		stack = append(stack, n.Content...)
	}
}

var yamlErrRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// parserProblems are the go-yaml messages raised by its parser rather than its
// scanner; go-yaml reports their line 0-based.
var parserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found undefined tag handle":             true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

var unknownAnchorRE = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// yamlErrorLine extracts the 1-based line and the message of a go-yaml error
// on chunk.
func yamlErrorLine(err error, chunk []byte) (int, string) {
	m := yamlErrRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 1, err.Error()
	}
	msg := m[2]
	if m[1] == "" {
		if a := unknownAnchorRE.FindStringSubmatch(msg); a != nil {
			return lineOf(chunk, "*"+a[1]), msg
		}
		return 1, msg
	}
	line, convErr := strconv.Atoi(m[1])
	if convErr != nil {
		return 1, msg
	}
	if parserProblems[msg] {
		line++
	}
	return line, msg
}

// lineOf returns the 1-based line of the first occurrence of s in text, or 1.
func lineOf(text []byte, s string) int {
	i := bytes.Index(text, []byte(s))
	if i < 0 {
		return 1
	}
	return bytes.Count(text[:i], []byte("\n")) + 1
}

// document converts one parsed document; it returns nil for an empty one.
func (d *decoder) document(root *yaml.Node, index int) *Document {
	doc := &Document{Source: d.source, Index: index, Line: root.Line, root: root}
	if len(root.Content) > 0 {
		doc.Line = root.Content[0].Line
	}
	conv := newConverter(d.lim.MaxDepth, d.budget)
	v, _, nerr := conv.convert(root, 0)
	if nerr != nil {
		doc.Err = d.nodeErr(doc, nerr)
		return doc
	}
	if v == nil {
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		doc.Err = &Error{Source: d.source, Line: doc.Line, Message: "Expected object at root, got " + jsTypeof(v)}
		return doc
	}
	if !conv.dollar {
		doc.Raw = m
		return doc
	}
	out, nerr := d.substitute(doc, m, root.Content[0], nil, 1)
	if nerr != nil {
		doc.Err = d.nodeErr(doc, nerr)
		doc.Partial = m
		return doc
	}
	// A document that is a placeholder itself is replaced as a whole, which
	// must give a mapping too.
	raw, ok := out.(map[string]any)
	if !ok {
		doc.Err = &Error{Source: d.source, Line: doc.Line, Message: "Expected object at root, got " + jsTypeof(out)}
		doc.Partial = m
		return doc
	}
	doc.Raw = raw
	return doc
}

// nodeErr turns a conversion or substitution problem into an *Error.
func (d *decoder) nodeErr(doc *Document, e *nodeError) *Error {
	line := e.line
	if line == 0 {
		line = doc.Line
	}
	return &Error{Source: d.source, Line: line, Field: e.field, Message: e.msg, cause: e.cause}
}

// jsTypeof names a value's type as JavaScript's typeof does, which is what
// Backstage's "Expected object at root, got ..." message shows.
func jsTypeof(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case int64, float64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "object"
}
