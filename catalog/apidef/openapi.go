package apidef

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// methodOrder is the order operations of one path are listed in, the same
// as Swagger UI's.
var methodOrder = []string{"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "QUERY"}

// parseOpenAPI reads an OpenAPI 3.x or Swagger 2.0 document, YAML or JSON.
// External $refs are not followed: a definition is read on its own.
// kin-openapi panics on some malformed documents (a null path item, say);
// such a panic becomes a ParseError, since the input is only a definition
// someone committed, not a bug in Keelson.
func parseOpenAPI(d *Definition, text string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &ParseError{Msg: fmt.Sprintf("the OpenAPI reader failed on this document: %v", r)}
		}
	}()
	return readOpenAPI(d, text)
}

func readOpenAPI(d *Definition, text string) error {
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(text), &root); err != nil {
		return yamlError(err, text)
	}
	top := documentMapping(&root)
	if top == nil {
		return &ParseError{Line: nodeLine(&root), Msg: "the definition is not a YAML or JSON mapping"}
	}
	var doc *openapi3.T
	switch {
	case mappingValue(top, "swagger") != nil:
		v := mappingValue(top, "swagger")
		if !strings.HasPrefix(v.Value, "2") {
			return &ParseError{Line: v.Line, Msg: fmt.Sprintf("unsupported swagger version %q", v.Value)}
		}
		var err error
		doc, err = swaggerToV3(&root)
		if err != nil {
			return err
		}
	case mappingValue(top, "openapi") != nil:
		v := mappingValue(top, "openapi")
		if !strings.HasPrefix(v.Value, "3") {
			return &ParseError{Line: v.Line, Msg: fmt.Sprintf("unsupported openapi version %q", v.Value)}
		}
		loader := openapi3.NewLoader()
		loader.IsExternalRefsAllowed = false
		var err error
		doc, err = loader.LoadFromData([]byte(text))
		if err != nil {
			return kinError(err, &root)
		}
	default:
		return &ParseError{Line: top.Line, Msg: `neither an "openapi" nor a "swagger" version field at the top level`}
	}
	fillOpenAPI(d, doc)
	return nil
}

// swaggerToV3 converts a Swagger 2.0 document to OpenAPI 3 so both are shown
// the same way. The YAML tree is re-encoded as JSON because openapi2 only
// decodes JSON.
func swaggerToV3(root *yaml.Node) (*openapi3.T, error) {
	var raw any
	if err := root.Decode(&raw); err != nil {
		return nil, &ParseError{Msg: err.Error()}
	}
	data, err := json.Marshal(jsonCompatible(raw))
	if err != nil {
		return nil, &ParseError{Msg: fmt.Sprintf("re-encode as JSON: %v", err)}
	}
	var doc2 openapi2.T
	if err := json.Unmarshal(data, &doc2); err != nil {
		return nil, kinError(err, root)
	}
	for p, item := range doc2.Paths {
		if item == nil {
			return nil, &ParseError{Msg: fmt.Sprintf("path %q has no operations object", p)}
		}
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := openapi2conv.ToV3WithLoader(&doc2, loader, nil)
	if err != nil {
		return nil, &ParseError{Msg: cleanKinError(err)}
	}
	return doc, nil
}

// jsonCompatible turns YAML's map[any]any (from non-string keys such as
// unquoted status codes) into map[string]any, recursively.
func jsonCompatible(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = jsonCompatible(e)
		}
		return t
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[fmt.Sprint(k)] = jsonCompatible(e)
		}
		return m
	case []any:
		for i, e := range t {
			t[i] = jsonCompatible(e)
		}
		return t
	}
	return v
}

// cleanKinError shortens kin-openapi's nested messages to their useful part.
func cleanKinError(err error) string {
	return strings.TrimSpace(strings.ReplaceAll(err.Error(), "\n", " "))
}

// typeMismatch matches encoding/json's complaint about a value of the wrong
// shape, as kin-openapi passes it on.
var typeMismatch = regexp.MustCompile(`cannot unmarshal (\w+) into (?:Go struct )?field (?:[\w.]*\.)?(\w+) of type`)

// kinError turns kin-openapi's decoding error into a ParseError. A value of
// the wrong shape ("parameters: 5") is reported by the key's name and the
// line of the first such key whose value has that shape.
func kinError(err error, root *yaml.Node) *ParseError {
	msg := cleanKinError(err)
	m := typeMismatch.FindStringSubmatch(msg)
	if m == nil {
		return &ParseError{Msg: msg}
	}
	jsonType, field := m[1], m[2]
	pe := &ParseError{Msg: fmt.Sprintf("%q cannot be %s %s", field, article(jsonType), jsonType)}
	if n := findKey(root, field, jsonType, 0); n != nil {
		pe.Line = n.Line
	}
	return pe
}

func article(word string) string {
	if strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// findKey finds, depth first, the value of the first mapping key named key
// whose value has the given JSON shape.
func findKey(n *yaml.Node, key, jsonType string, depth int) *yaml.Node {
	if n == nil || depth > 64 {
		return nil
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if v := n.Content[i+1]; n.Content[i].Value == key && jsonShape(v) == jsonType {
				return v
			}
		}
	}
	for _, c := range n.Content {
		if found := findKey(c, key, jsonType, depth+1); found != nil {
			return found
		}
	}
	return nil
}

// jsonShape names a YAML node's JSON type as encoding/json does.
func jsonShape(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "array"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float":
			return "number"
		case "!!bool":
			return "bool"
		case "!!null":
			return "null"
		}
		return "string"
	}
	return ""
}

func fillOpenAPI(d *Definition, doc *openapi3.T) {
	if doc.Info != nil {
		d.Title = doc.Info.Title
		d.Version = doc.Info.Version
		d.Description = doc.Info.Description
	}
	for _, s := range doc.Servers {
		if s != nil && s.URL != "" {
			d.Servers = append(d.Servers, s.URL)
		}
	}

	groups := map[string]*OperationGroup{}
	var order []string
	group := func(tag string) *OperationGroup {
		if g, ok := groups[tag]; ok {
			return g
		}
		g := &OperationGroup{Tag: tag}
		groups[tag] = g
		order = append(order, tag)
		return g
	}
	for _, t := range doc.Tags {
		if t != nil && t.Name != "" {
			group(t.Name).Description = t.Description
		}
	}
	declared := len(order)

	add := func(path string, item *openapi3.PathItem) {
		if item == nil {
			return
		}
		ops := item.Operations()
		for _, method := range sortedMethods(ops) {
			op := ops[method]
			o := operation(method, path, item, op)
			tags := op.Tags
			if len(tags) == 0 {
				tags = []string{"default"}
			}
			for _, tag := range tags {
				g := group(tag)
				g.Operations = append(g.Operations, o)
			}
		}
	}
	if doc.Paths != nil {
		paths := doc.Paths.Map()
		keys := make([]string, 0, len(paths))
		for k := range paths {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, p := range keys {
			add(p, paths[p])
		}
	}
	webhooks := make([]string, 0, len(doc.Webhooks))
	for name := range doc.Webhooks {
		webhooks = append(webhooks, name)
	}
	sort.Strings(webhooks)
	for _, name := range webhooks {
		add("webhook: "+name, doc.Webhooks[name])
	}

	for i, tag := range order {
		g := groups[tag]
		// Declared tags without operations say nothing on a page.
		if i < declared && len(g.Operations) == 0 {
			continue
		}
		d.Groups = append(d.Groups, *g)
	}
}

func sortedMethods(ops map[string]*openapi3.Operation) []string {
	methods := make([]string, 0, len(ops))
	for m := range ops {
		methods = append(methods, m)
	}
	sort.Slice(methods, func(i, j int) bool {
		a, b := slices.Index(methodOrder, strings.ToUpper(methods[i])), slices.Index(methodOrder, strings.ToUpper(methods[j]))
		if a < 0 {
			a = len(methodOrder)
		}
		if b < 0 {
			b = len(methodOrder)
		}
		if a != b {
			return a < b
		}
		return methods[i] < methods[j]
	})
	return methods
}

func operation(method, path string, item *openapi3.PathItem, op *openapi3.Operation) Operation {
	o := Operation{
		Method:      strings.ToUpper(method),
		Path:        path,
		OperationID: op.OperationID,
		Summary:     op.Summary,
		Description: op.Description,
		Deprecated:  op.Deprecated,
		Parameters:  parameters(item.Parameters, op.Parameters),
	}
	if o.Summary == "" {
		o.Summary = item.Summary
	}
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		for mt := range op.RequestBody.Value.Content {
			o.RequestBody = append(o.RequestBody, mt)
		}
		sort.Strings(o.RequestBody)
	}
	if op.Responses != nil {
		for code, r := range op.Responses.Map() {
			resp := Response{Code: code}
			if r != nil && r.Value != nil && r.Value.Description != nil {
				resp.Description = *r.Value.Description
			}
			o.Responses = append(o.Responses, resp)
		}
		sort.Slice(o.Responses, func(i, j int) bool { return responseLess(o.Responses[i].Code, o.Responses[j].Code) })
	}
	return o
}

// responseLess orders status codes numerically with "default" and other
// words last.
func responseLess(a, b string) bool {
	na, ea := strconv.Atoi(strings.ReplaceAll(strings.ToUpper(a), "X", "0"))
	nb, eb := strconv.Atoi(strings.ReplaceAll(strings.ToUpper(b), "X", "0"))
	switch {
	case ea == nil && eb == nil && na != nb:
		return na < nb
	case ea == nil && eb != nil:
		return true
	case ea != nil && eb == nil:
		return false
	}
	return a < b
}

// parameters merges path-level and operation-level parameters; an
// operation parameter replaces a path parameter with the same name and place.
func parameters(pathParams, opParams openapi3.Parameters) []Parameter {
	var out []Parameter
	index := map[string]int{}
	for _, list := range []openapi3.Parameters{pathParams, opParams} {
		for _, ref := range list {
			if ref == nil || ref.Value == nil {
				continue
			}
			p := ref.Value
			param := Parameter{
				In:          p.In,
				Name:        p.Name,
				Required:    p.Required,
				Type:        schemaType(p.Schema),
				Description: p.Description,
			}
			if param.Type == "" && p.Content != nil {
				for mt, media := range p.Content {
					if media != nil {
						param.Type = schemaType(media.Schema)
					}
					if param.Type == "" {
						param.Type = mt
					}
					break
				}
			}
			key := p.In + "\x00" + p.Name
			if i, ok := index[key]; ok {
				out[i] = param
				continue
			}
			index[key] = len(out)
			out = append(out, param)
		}
	}
	return out
}

// schemaType describes a schema in a few words: "integer (int32)",
// "array of Pet", "Pet".
func schemaType(ref *openapi3.SchemaRef) string {
	return schemaTypeDepth(ref, 0)
}

func schemaTypeDepth(ref *openapi3.SchemaRef, depth int) string {
	if ref == nil || depth > 4 {
		return ""
	}
	if ref.Ref != "" {
		return ref.Ref[strings.LastIndex(ref.Ref, "/")+1:]
	}
	s := ref.Value
	if s == nil || s.Type == nil {
		return ""
	}
	types := s.Type.Slice()
	if len(types) == 0 {
		return ""
	}
	t := strings.Join(types, " or ")
	if s.Type.Is("array") {
		if item := schemaTypeDepth(s.Items, depth+1); item != "" {
			return "array of " + item
		}
	}
	if s.Format != "" {
		t += " (" + s.Format + ")"
	}
	return t
}
