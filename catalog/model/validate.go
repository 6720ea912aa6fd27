package model

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// ValidationError lists every problem found in one descriptor.
type ValidationError struct {
	// Ref is the entity's reference ("kind:namespace/name", lower-cased as Backstage
	// prints it), or "" when the descriptor has no usable kind and name.
	Ref string
	// Problems are the violations, at most one per field: envelope and schema problems
	// first, then field formats, then the kind schema, as Backstage checks them.
	Problems []Problem
}

// Problem is one violation of Backstage's rules.
type Problem struct {
	// Field is the dotted path of the offending field, with [i] for list items, such as
	// "metadata.tags[1]" or "spec.owner"; "" when the problem concerns the whole entity.
	Field string
	// Message says what was found and what was expected, in Backstage's wording.
	Message string
}

// String renders the problem as "field: message".
func (p Problem) String() string {
	if p.Field == "" {
		return p.Message
	}
	return p.Field + ": " + p.Message
}

// Error renders every problem on one line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.Ref != "" {
		b.WriteString("entity " + e.Ref + " is invalid: ")
	} else {
		b.WriteString("invalid entity: ")
	}
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// FromRaw validates a decoded descriptor the way Backstage's default catalog does and
// returns the typed entity with its defaults filled in (metadata.namespace "default").
//
// The checks are, in Backstage's order: the entity envelope (apiVersion, kind, metadata
// with a name), the annotations object check, the entity and metadata schemas
// (SchemaValidEntityPolicy), the root field allow-list (NoForeignRootFieldsEntityPolicy), the
// field formats (FieldFormatEntityPolicy) and, for the built-in kinds, the kind schema
// (BuiltinKindsEntityProcessor and the scaffolder's Template processor). Backstage stops at
// the first failure; FromRaw reports every problem, one per field, with the message of the
// first rule that field breaks. A known kind written with an apiVersion no built-in schema
// accepts is rejected, as the default catalog rejects it. Entities of unknown kinds are
// accepted when their envelope is valid; KnownKind tells them apart.
//
// raw is not modified: the entity gets its own copy of every value. On failure the error
// is a *ValidationError.
func FromRaw(raw map[string]any) (*Entity, error) {
	if nestedDeeperThan(raw, MaxNesting) {
		return nil, &ValidationError{Problems: []Problem{{Message: fmt.Sprintf(
			"the descriptor is nested more than %d levels deep", MaxNesting)}}}
	}
	doc, _ := normalize(raw).(map[string]any)
	if doc == nil {
		doc = map[string]any{}
	}
	var ps problems
	checkRoot(doc, &ps)
	meta, _ := doc["metadata"].(map[string]any)
	if meta != nil {
		checkMetadata(meta, &ps)
	}
	checkFormats(doc, meta, &ps)
	checkKind(doc, &ps)
	if len(ps.list) == 0 {
		e := build(doc, meta)
		if conflict := searchKeyConflict(e); conflict != "" {
			ps.add("", conflict)
		} else {
			return e, nil
		}
	}
	return nil, &ValidationError{Ref: rawRef(doc, meta), Problems: ps.list}
}

// MaxNesting is the deepest nesting of maps and lists FromRaw accepts. Backstage has no
// explicit limit, but its JavaScript processing fails on deep enough input; the limit keeps
// hostile documents from exhausting memory and keeps every stored entity readable by JSON
// decoders, which refuse deeper input.
const MaxNesting = 1000

// nestedDeeperThan reports whether v nests maps and lists more than limit levels deep,
// without recursion.
func nestedDeeperThan(v any, limit int) bool {
	type item struct {
		v     any
		depth int
	}
	stack := []item{{v, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		push := func(child any) {
			switch child.(type) {
			case map[string]any, map[any]any, []any, []map[string]any:
				stack = append(stack, item{child, it.depth + 1})
			}
		}
		switch x := it.v.(type) {
		case map[string]any:
			if it.depth >= limit {
				return true
			}
			for _, c := range x {
				push(c)
			}
		case map[any]any:
			if it.depth >= limit {
				return true
			}
			for _, c := range x {
				push(c)
			}
		case []any:
			if it.depth >= limit {
				return true
			}
			for _, c := range x {
				push(c)
			}
		case []map[string]any:
			if it.depth >= limit {
				return true
			}
			for _, c := range x {
				push(c)
			}
		}
	}
	return false
}

// CheckRecognized returns Backstage's processing error for an entity of a kind no built-in
// processor handles, and nil for the built-in kinds. The default Backstage catalog refuses
// such entities; a catalog that lists them instead can call this to show why Backstage
// would not.
func CheckRecognized(e *Entity) error {
	if KnownKind(e.Kind) {
		return nil
	}
	ref := e.Ref().String()
	return &ValidationError{Ref: ref, Problems: []Problem{{Field: "kind", Message: fmt.Sprintf(
		"No processor recognized the entity %s as valid, possibly caused by a foreign kind or apiVersion", ref)}}}
}

// checkRoot applies the envelope and the root of the entity schema.
func checkRoot(doc map[string]any, ps *problems) {
	for _, k := range []string{"apiVersion", "kind", "metadata"} {
		if _, ok := doc[k]; !ok {
			ps.add(k, fmt.Sprintf("must have required property '%s'", k))
		}
	}
	if v, ok := doc["apiVersion"]; ok {
		nonEmpty().check("apiVersion", v, ps)
	}
	if v, ok := doc["kind"]; ok {
		nonEmpty().check("kind", v, ps)
	}
	if v, ok := doc["metadata"]; ok {
		obj().check("metadata", v, ps)
	}
	if v, ok := doc["spec"]; ok {
		obj().check("spec", v, ps)
	}
	for _, k := range sortedKeys(doc) {
		switch k {
		case "apiVersion", "kind", "metadata", "spec":
		case "relations", "status":
			// The entity schema allows these on stored entities, but a descriptor may
			// not set them (NoForeignRootFieldsEntityPolicy).
			ps.add(k, fmt.Sprintf("Unknown field %s; a descriptor may only set apiVersion, kind, metadata and spec", k))
		default:
			ps.add(k, "must NOT have additional properties")
		}
	}
}

// metadataSchema is Backstage's EntityMeta schema: every field optional except name,
// additional keys allowed, and non-empty strings where the schema says minLength 1. The
// stored copy of the schema predates two rules current Backstage has, which are applied
// here from knowledge of it: title must be a non-empty string, and links may carry a
// non-empty type. The machine-set generation field is not checked: current Backstage no
// longer defines it.
func metadataSchema() *schema {
	labels := obj()
	labels.additional = str()
	annotations := obj()
	annotations.additional = str()
	return obj(
		field("uid", nonEmpty()),
		field("etag", nonEmpty()),
		field("name", nonEmpty()),
		field("namespace", nonEmpty()),
		field("title", nonEmpty()),
		field("description", str()),
		field("labels", labels),
		field("annotations", annotations),
		field("tags", arrOf(nonEmpty())),
		field("links", arrOf(obj(
			field("url", nonEmpty()),
			field("title", nonEmpty()),
			field("icon", nonEmpty()),
			field("type", nonEmpty()),
		).require("url"))),
	).require("name")
}

func checkMetadata(meta map[string]any, ps *problems) {
	// Backstage checks this before any policy runs, with its own wording; null falls
	// through to the schema.
	if a, ok := meta["annotations"]; ok && a != nil {
		if _, isObj := a.(map[string]any); !isObj {
			ps.add("metadata.annotations", "must be a valid object")
		}
	}
	metadataSchema().check("metadata", meta, ps)
}

// checkFormats applies FieldFormatEntityPolicy to the fields that passed the schemas.
func checkFormats(doc, meta map[string]any, ps *problems) {
	format := func(field string, v any, ok func(string) bool, expect string) {
		s, isStr := v.(string)
		if !isStr || ps.has(field) || ok(s) {
			return
		}
		ps.add(field, fmt.Sprintf("%s is not valid; expected %s", jsonString(s), expect))
	}
	format("apiVersion", doc["apiVersion"], isValidAPIVersion, expectPrefix)
	format("kind", doc["kind"], isValidKind, expectKind)
	if meta == nil {
		return
	}
	format("metadata.name", meta["name"], isValidObjectName, expectObjectName)
	format("metadata.namespace", meta["namespace"], isValidDNSLabel, expectDNSLabel)
	if labels, ok := meta["labels"].(map[string]any); ok {
		for _, k := range sortedKeys(labels) {
			f := "metadata.labels." + k
			if !isValidLabelKey(k) && !ps.has(f) {
				ps.add(f, fmt.Sprintf("key %s is not valid; expected %s", jsonString(k), expectPrefix))
			}
			format(f, labels[k], isValidLabelValue, expectObjectName)
		}
	}
	if annotations, ok := meta["annotations"].(map[string]any); ok {
		for _, k := range sortedKeys(annotations) {
			f := "metadata.annotations." + k
			if !isValidLabelKey(k) && !ps.has(f) {
				ps.add(f, fmt.Sprintf("key %s is not valid; expected %s", jsonString(k), expectPrefix))
			}
		}
	}
	if tags, ok := meta["tags"].([]any); ok {
		for i, t := range tags {
			format(index("metadata.tags", i), t, isValidTag, expectTag)
		}
	}
	if links, ok := meta["links"].([]any); ok {
		for i, l := range links {
			link, _ := l.(map[string]any)
			if link == nil {
				continue
			}
			p := index("metadata.links", i)
			format(p+".url", link["url"], isValidURL, expectURL)
			format(p+".title", link["title"], isValidNonBlank, expectString)
			format(p+".icon", link["icon"], isValidIcon, expectIcon)
		}
	}
}

// checkKind applies the kind schema of the built-in kinds.
func checkKind(doc map[string]any, ps *problems) {
	apiVersion, ok1 := doc["apiVersion"].(string)
	kind, ok2 := doc["kind"].(string)
	if !ok1 || !ok2 || ps.has("apiVersion") || ps.has("kind") {
		return
	}
	def, known := kindDefFor(kind)
	if !known {
		return
	}
	if !slices.Contains(def.apiVersions, apiVersion) {
		ps.add("apiVersion", fmt.Sprintf(
			"%s is not a supported apiVersion for kind %s; expected one of %s (no processor recognized the entity %s as valid, possibly caused by a foreign kind or apiVersion)",
			jsonString(apiVersion), kind, strings.Join(def.apiVersions, ", "), rawRef(doc, nil)))
		return
	}
	spec, present := doc["spec"]
	if !present {
		ps.add("spec", "must have required property 'spec'")
		return
	}
	specMap, isObj := spec.(map[string]any)
	if !isObj {
		return // already reported by the entity schema
	}
	specType, _ := specMap["type"].(string)
	def.spec(specType).check("spec", specMap, ps)
}

// rawRef is the lower-cased reference of a descriptor, or "" without a kind and a name.
func rawRef(doc, meta map[string]any) string {
	if meta == nil {
		meta, _ = doc["metadata"].(map[string]any)
	}
	kind, _ := doc["kind"].(string)
	name, _ := meta["name"].(string)
	if kind == "" || name == "" {
		return ""
	}
	ns, _ := meta["namespace"].(string)
	return Ref{Kind: kind, Namespace: ns, Name: name}.String()
}

// build turns a validated descriptor into an Entity.
func build(doc, meta map[string]any) *Entity {
	e := &Entity{}
	e.APIVersion, _ = doc["apiVersion"].(string)
	e.Kind, _ = doc["kind"].(string)
	e.Spec, _ = doc["spec"].(map[string]any)
	m := &e.Metadata
	for k, v := range meta {
		switch k {
		case "uid":
			m.UID, _ = v.(string)
		case "etag":
			m.Etag, _ = v.(string)
		case "name":
			m.Name, _ = v.(string)
		case "namespace":
			m.Namespace, _ = v.(string)
		case "title":
			m.Title, _ = v.(string)
		case "description":
			m.Description, _ = v.(string)
		case "labels":
			m.Labels = stringMap(v)
		case "annotations":
			m.Annotations = stringMap(v)
		case "tags":
			list, _ := v.([]any)
			m.Tags = make([]string, 0, len(list))
			for _, t := range list {
				s, _ := t.(string)
				m.Tags = append(m.Tags, s)
			}
		case "links":
			list, _ := v.([]any)
			m.Links = make([]Link, 0, len(list))
			for _, l := range list {
				m.Links = append(m.Links, buildLink(l))
			}
		default:
			if m.Extra == nil {
				m.Extra = map[string]any{}
			}
			m.Extra[k] = v
		}
	}
	if m.Namespace == "" {
		m.Namespace = DefaultNamespace
	}
	return e
}

func buildLink(v any) Link {
	raw, _ := v.(map[string]any)
	var l Link
	for k, x := range raw {
		s, _ := x.(string)
		switch k {
		case "url":
			l.URL = s
		case "title":
			l.Title = s
		case "icon":
			l.Icon = s
		case "type":
			l.Type = s
		default:
			if l.Extra == nil {
				l.Extra = map[string]any{}
			}
			l.Extra[k] = x
		}
	}
	return l
}

func stringMap(v any) map[string]string {
	raw, _ := v.(map[string]any)
	out := make(map[string]string, len(raw))
	for k, x := range raw {
		out[k], _ = x.(string)
	}
	return out
}

// normalize deep-copies a decoded document into plain JSON-like values: maps with string
// keys (YAML decoders may produce map[any]any), []any for sequences, scalars unchanged.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = normalize(val)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[fmt.Sprint(k)] = normalize(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = normalize(val)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = val
		}
		return out
	case []map[string]any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = normalize(val)
		}
		return out
	case map[string]string:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = val
		}
		return out
	case json.Number, string, bool, nil, float64, float32, int, int8, int16, int32, int64,
		uint, uint8, uint16, uint32, uint64:
		return x
	}
	return v
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
