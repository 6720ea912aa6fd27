package model

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

// descriptor builds a raw descriptor from JSON, as a decoder would hand it over.
func descriptor(t *testing.T, src string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(src), &m); err != nil {
		t.Fatalf("bad test descriptor %s: %v", src, err)
	}
	return m
}

const (
	objectNameRule = "is not valid; expected a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total"
	prefixRule     = "is not valid; expected a valid prefix and/or suffix"
)

func TestFromRawProblems(t *testing.T) {
	cases := []struct {
		name string
		src  string
		// want maps each expected field to its message; the fields must match exactly.
		fields   []string
		messages []string
		ref      string
	}{
		{"label key with a space",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"g","labels":{"bad key":"x"}},"spec":{"type":"team","children":[]}}`,
			[]string{"metadata.labels.bad key"}, []string{`key "bad key" ` + prefixRule}, "group:default/g"},
		{"label value that is a number",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"g","labels":{"version":1}},"spec":{"type":"team","children":[]}}`,
			[]string{"metadata.labels.version"}, []string{"must be string"}, "group:default/g"},
		{"label value with a leading dash",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"g","labels":{"a":"-x"}},"spec":{"type":"team","children":[]}}`,
			[]string{"metadata.labels.a"}, []string{`"-x" ` + objectNameRule}, "group:default/g"},
		{"annotation key with two slashes and an upper-case prefix",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"g","annotations":{"example.com/a/b":"x","Example.com/c":"y"}},"spec":{"type":"team","children":[]}}`,
			[]string{"metadata.annotations.Example.com/c", "metadata.annotations.example.com/a/b"},
			[]string{`key "Example.com/c" ` + prefixRule, `key "example.com/a/b" ` + prefixRule}, "group:default/g"},
		{"annotation value that is a list",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"g","annotations":{"a":["x"]}},"spec":{"type":"team","children":[]}}`,
			[]string{"metadata.annotations.a"}, []string{"must be string"}, "group:default/g"},
		{"annotations that are a list",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"g","annotations":["x"]},"spec":{"type":"team","children":[]}}`,
			[]string{"metadata.annotations"}, []string{"must be a valid object"}, "group:default/g"},
		{"annotations that are null",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"g","annotations":null},"spec":{"type":"team","children":[]}}`,
			[]string{"metadata.annotations"}, []string{"must be object"}, "group:default/g"},
		{"tags: upper case, empty, and not a string",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"g","tags":["Java","c++","c#","",7]},"spec":{"type":"team","children":[]}}`,
			[]string{"metadata.tags[3]", "metadata.tags[4]", "metadata.tags[0]"},
			[]string{"must NOT have fewer than 1 characters", "must be string",
				`"Java" is not valid; expected a string that is sequences of [a-z0-9+#] separated by [-], at most 63 characters in total`},
			"group:default/g"},
		{"tags that are a string",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"g","tags":"java"},"spec":{"type":"team","children":[]}}`,
			[]string{"metadata.tags"}, []string{"must be array"}, "group:default/g"},
		{"upper-case namespace",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"g","namespace":"Prod"},"spec":{"type":"team","children":[]}}`,
			[]string{"metadata.namespace"}, []string{`"Prod" is not valid; expected a string that is sequences of [a-z0-9] separated by [-], at most 63 characters in total`},
			"group:prod/g"},
		{"empty namespace",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"g","namespace":""},"spec":{"type":"team","children":[]}}`,
			[]string{"metadata.namespace"}, []string{"must NOT have fewer than 1 characters"}, "group:default/g"},
		{"kind starting with a digit",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"1Thing","metadata":{"name":"g"}}`,
			[]string{"kind"}, []string{`"1Thing" is not valid; expected a string that is a sequence of [a-zA-Z][a-z0-9A-Z], at most 63 characters in total`},
			"1thing:default/g"},
		{"apiVersion with a dot in the version",
			`{"apiVersion":"1.0","kind":"Thing","metadata":{"name":"g"}}`,
			[]string{"apiVersion"}, []string{`"1.0" ` + prefixRule}, "thing:default/g"},
		{"relations and status in a descriptor",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Thing","metadata":{"name":"g"},"relations":[],"status":{}}`,
			[]string{"relations", "status"},
			[]string{"Unknown field relations; a descriptor may only set apiVersion, kind, metadata and spec",
				"Unknown field status; a descriptor may only set apiVersion, kind, metadata and spec"},
			"thing:default/g"},
		{"spec that is not an object, unknown kind",
			`{"apiVersion":"example.com/v1","kind":"Thing","metadata":{"name":"g"},"spec":"x"}`,
			[]string{"spec"}, []string{"must be object"}, "thing:default/g"},
		{"metadata that is a list",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Thing","metadata":[]}`,
			[]string{"metadata"}, []string{"must be object"}, ""},
		{"metadata uid empty and description a number",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Thing","metadata":{"name":"g","uid":"","description":5}}`,
			[]string{"metadata.uid", "metadata.description"}, []string{"must NOT have fewer than 1 characters", "must be string"}, "thing:default/g"},
		{"component without its required spec fields",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"c"},"spec":{}}`,
			[]string{"spec.type", "spec.lifecycle", "spec.owner"},
			[]string{"must have required property 'type'", "must have required property 'lifecycle'", "must have required property 'owner'"},
			"component:default/c"},
		{"component reference lists of the wrong shape",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"c"},"spec":{"type":"service","lifecycle":"production","owner":"team-a","providesApis":"a","consumesApis":["",3],"system":""}}`,
			[]string{"spec.system", "spec.providesApis", "spec.consumesApis[0]", "spec.consumesApis[1]"},
			[]string{"must NOT have fewer than 1 characters", "must be array", "must NOT have fewer than 1 characters", "must be string"},
			"component:default/c"},
		{"API without a definition",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"API","metadata":{"name":"a"},"spec":{"type":"openapi","lifecycle":"production","owner":"team-a"}}`,
			[]string{"spec.definition"}, []string{"must have required property 'definition'"}, "api:default/a"},
		{"MCP server API without remotes",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"API","metadata":{"name":"a"},"spec":{"type":"mcp-server","lifecycle":"production","owner":"team-a","definition":"x"}}`,
			[]string{"spec.remotes"}, []string{"must have required property 'remotes'"}, "api:default/a"},
		{"MCP server API with an empty remote list",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"API","metadata":{"name":"a"},"spec":{"type":"mcp-server","lifecycle":"production","owner":"team-a","remotes":[]}}`,
			[]string{"spec.remotes"}, []string{"must NOT have fewer than 1 items"}, "api:default/a"},
		{"MCP server remote without a url",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"API","metadata":{"name":"a"},"spec":{"type":"mcp-server","lifecycle":"production","owner":"team-a","remotes":[{"type":"sse"}]}}`,
			[]string{"spec.remotes[0].url"}, []string{"must have required property 'url'"}, "api:default/a"},
		{"location presence outside the enum and an empty target",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Location","metadata":{"name":"l"},"spec":{"target":"","presence":"maybe"}}`,
			[]string{"spec.target", "spec.presence"},
			[]string{"must NOT have fewer than 1 characters", "must be equal to one of the allowed values: required, optional"},
			"location:default/l"},
		{"location without spec",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Location","metadata":{"name":"l"}}`,
			[]string{"spec"}, []string{"must have required property 'spec'"}, "location:default/l"},
		{"group without children and with a null member list",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"g"},"spec":{"type":"team","members":null}}`,
			[]string{"spec.children", "spec.members"}, []string{"must have required property 'children'", "must be array"}, "group:default/g"},
		{"user without memberOf and an empty e-mail",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"User","metadata":{"name":"u"},"spec":{"profile":{"email":""}}}`,
			[]string{"spec.memberOf", "spec.profile.email"}, []string{"must have required property 'memberOf'", "must NOT have fewer than 1 characters"}, "user:default/u"},
		{"template without steps",
			`{"apiVersion":"scaffolder.backstage.io/v1beta3","kind":"Template","metadata":{"name":"t"},"spec":{"type":"service"}}`,
			[]string{"spec.steps"}, []string{"must have required property 'steps'"}, "template:default/t"},
		{"template with broken steps, parameters and output",
			`{"apiVersion":"scaffolder.backstage.io/v1beta3","kind":"Template","metadata":{"name":"t"},"spec":{"type":"service","parameters":"x","steps":[{"id":"a"},{"action":"fetch:plain","if":1}],"output":{"links":[{"url":""}],"remoteUrl":5}}}`,
			[]string{"spec.parameters", "spec.steps[0].action", "spec.steps[1].if", "spec.output.links[0].url", "spec.output.remoteUrl"},
			[]string{"must match exactly one schema in oneOf", "must have required property 'action'", "must be string,boolean",
				"must NOT have fewer than 1 characters", "must be string"},
			"template:default/t"},
		{"legacy v1beta2 template",
			`{"apiVersion":"backstage.io/v1beta2","kind":"Template","metadata":{"name":"t"},"spec":{"type":"service","steps":[]}}`,
			[]string{"apiVersion"},
			[]string{`"backstage.io/v1beta2" is not a supported apiVersion for kind Template; expected one of scaffolder.backstage.io/v1beta3 (no processor recognized the entity template:default/t as valid, possibly caused by a foreign kind or apiVersion)`},
			"template:default/t"},
		{"AI rule without category and rationale",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"AiResource","metadata":{"name":"r"},"spec":{"type":"rule","lifecycle":"production","owner":"team-a","activation":[{"harness":"vim"}]}}`,
			[]string{"spec.category", "spec.rationale", "spec.activation[0]"},
			[]string{"must have required property 'category'", "must have required property 'rationale'", "must match exactly one schema in oneOf"},
			"airesource:default/r"},
		{"AI resource with a v1beta1 apiVersion",
			`{"apiVersion":"backstage.io/v1beta1","kind":"AiResource","metadata":{"name":"r"},"spec":{"type":"skill","lifecycle":"production","owner":"team-a"}}`,
			[]string{"apiVersion"},
			[]string{`"backstage.io/v1beta1" is not a supported apiVersion for kind AiResource; expected one of backstage.io/v1alpha1 (no processor recognized the entity airesource:default/r as valid, possibly caused by a foreign kind or apiVersion)`},
			"airesource:default/r"},
		{"system with an empty type",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"System","metadata":{"name":"s"},"spec":{"owner":"team-a","type":""}}`,
			[]string{"spec.type"}, []string{"must NOT have fewer than 1 characters"}, "system:default/s"},
		{"links: bad url, blank title, bad icon",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Thing","metadata":{"name":"g","links":[{"url":"not a url"},{"url":"https://x","title":"  "},{"url":"https://x","icon":"bad icon"},{"url":"https://x","icon":"kind:api","type":"docs"}]}}`,
			[]string{"metadata.links[0].url", "metadata.links[1].title", "metadata.links[2].icon"},
			[]string{`"not a url" is not valid; expected a string that is a valid url`,
				`"  " is not valid; expected a non empty string`,
				`"bad icon" is not valid; expected a string that is sequences of [a-zA-Z0-9] separated by any of [-_.:], at most 63 characters in total`},
			"thing:default/g"},
		{"keys that differ only in case",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Thing","metadata":{"name":"g"},"spec":{"foo":1,"Foo":2,"list":["a"]}}`,
			[]string{""}, []string{"Entity has duplicate keys that vary only in casing, 'spec.foo'"}, "thing:default/g"},
		{"nothing at all",
			`{}`,
			[]string{"apiVersion", "kind", "metadata"},
			[]string{"must have required property 'apiVersion'", "must have required property 'kind'", "must have required property 'metadata'"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromRaw(descriptor(t, tc.src))
			if err == nil {
				t.Fatalf("FromRaw accepted the descriptor")
			}
			ve, ok := err.(*ValidationError)
			if !ok {
				t.Fatalf("error %T is not a *ValidationError", err)
			}
			var fields, messages []string
			for _, p := range ve.Problems {
				fields = append(fields, p.Field)
				messages = append(messages, p.Message)
			}
			if !slices.Equal(fields, tc.fields) {
				t.Errorf("fields = %q, want %q", fields, tc.fields)
			}
			if !slices.Equal(messages, tc.messages) {
				t.Errorf("messages =\n%q\nwant\n%q", messages, tc.messages)
			}
			if ve.Ref != tc.ref {
				t.Errorf("Ref = %q, want %q", ve.Ref, tc.ref)
			}
		})
	}
}

func TestFromRawValid(t *testing.T) {
	cases := []struct {
		name  string
		src   string
		want  Entity
		known bool
	}{
		{"component with defaults filled",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"c","labels":{"a":""},"tags":["c++","c#"]},"spec":{"type":"service","lifecycle":"production","owner":"team-a"}}`,
			Entity{APIVersion: "backstage.io/v1alpha1", Kind: "Component",
				Metadata: Metadata{Name: "c", Namespace: "default", Labels: map[string]string{"a": ""}, Tags: []string{"c++", "c#"}},
				Spec:     map[string]any{"type": "service", "lifecycle": "production", "owner": "team-a"}}, true},
		{"every typed metadata field and extra keys",
			`{"apiVersion":"backstage.io/v1beta1","kind":"System","metadata":{"name":"s","namespace":"ops","uid":"u1","etag":"e1","title":"S","description":"d","annotations":{"backstage.io/techdocs-ref":"dir:."},"links":[{"url":"https:host.example","title":"T","icon":"kind:api","type":"docs","extra":true}],"generation":3,"custom":{"x":1}},"spec":{"owner":"team-a","domain":"d","type":"product"}}`,
			Entity{APIVersion: "backstage.io/v1beta1", Kind: "System",
				Metadata: Metadata{UID: "u1", Etag: "e1", Name: "s", Namespace: "ops", Title: "S", Description: "d",
					Annotations: map[string]string{"backstage.io/techdocs-ref": "dir:."},
					Links:       []Link{{URL: "https:host.example", Title: "T", Icon: "kind:api", Type: "docs", Extra: map[string]any{"extra": true}}},
					Extra:       map[string]any{"generation": float64(3), "custom": map[string]any{"x": float64(1)}}},
				Spec: map[string]any{"owner": "team-a", "domain": "d", "type": "product"}}, true},
		{"unknown kind without spec",
			`{"apiVersion":"example.com/v1","kind":"Thing","metadata":{"name":"t"}}`,
			Entity{APIVersion: "example.com/v1", Kind: "Thing", Metadata: Metadata{Name: "t", Namespace: "default"}}, false},
		{"kind matching is case-sensitive, as in Backstage's schemas",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"component","metadata":{"name":"t"}}`,
			Entity{APIVersion: "backstage.io/v1alpha1", Kind: "component", Metadata: Metadata{Name: "t", Namespace: "default"}}, false},
		{"MCP server API with remotes and no definition",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"API","metadata":{"name":"m"},"spec":{"type":"mcp-server","lifecycle":"experimental","owner":"team-a","remotes":[{"type":"streamable-http","url":"http://localhost:7007/api/mcp/v1"}]}}`,
			Entity{APIVersion: "backstage.io/v1alpha1", Kind: "API", Metadata: Metadata{Name: "m", Namespace: "default"},
				Spec: map[string]any{"type": "mcp-server", "lifecycle": "experimental", "owner": "team-a",
					"remotes": []any{map[string]any{"type": "streamable-http", "url": "http://localhost:7007/api/mcp/v1"}}}}, true},
		{"location with presence optional and a glob target",
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Location","metadata":{"name":"l"},"spec":{"type":"url","target":"./**/catalog-info.yaml","presence":"optional"}}`,
			Entity{APIVersion: "backstage.io/v1alpha1", Kind: "Location", Metadata: Metadata{Name: "l", Namespace: "default"},
				Spec: map[string]any{"type": "url", "target": "./**/catalog-info.yaml", "presence": "optional"}}, true},
		{"template with parameter pages, conditions and text output",
			`{"apiVersion":"scaffolder.backstage.io/v1beta3","kind":"Template","metadata":{"name":"t"},"spec":{"type":"service","owner":"team-a","parameters":[{"title":"a"}],"steps":[{"action":"fetch:plain","if":true}],"output":{"text":[{"title":"Note","content":"**hi**"}],"remoteUrl":"x"}}}`,
			Entity{APIVersion: "scaffolder.backstage.io/v1beta3", Kind: "Template", Metadata: Metadata{Name: "t", Namespace: "default"},
				Spec: map[string]any{"type": "service", "owner": "team-a", "parameters": []any{map[string]any{"title": "a"}},
					"steps":  []any{map[string]any{"action": "fetch:plain", "if": true}},
					"output": map[string]any{"text": []any{map[string]any{"title": "Note", "content": "**hi**"}}, "remoteUrl": "x"}}}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, err := FromRaw(descriptor(t, tc.src))
			if err != nil {
				t.Fatalf("FromRaw: %v", err)
			}
			if !reflect.DeepEqual(*e, tc.want) {
				t.Errorf("entity =\n%#v\nwant\n%#v", *e, tc.want)
			}
			if KnownKind(e.Kind) != tc.known {
				t.Errorf("KnownKind(%q) = %v, want %v", e.Kind, !tc.known, tc.known)
			}
		})
	}
}

func TestFromRawCopiesInput(t *testing.T) {
	raw := map[string]any{
		"apiVersion": "backstage.io/v1alpha1",
		"kind":       "Component",
		"metadata":   map[any]any{"name": "c", "tags": []any{"go"}},
		"spec": map[string]any{"type": "service", "lifecycle": "production", "owner": "team-a",
			"providesApis": []string{"a"}, "nested": map[any]any{1: "one"}},
	}
	e, err := FromRaw(raw)
	if err != nil {
		t.Fatalf("FromRaw: %v", err)
	}
	want := map[string]any{"type": "service", "lifecycle": "production", "owner": "team-a",
		"providesApis": []any{"a"}, "nested": map[string]any{"1": "one"}}
	if !reflect.DeepEqual(e.Spec, want) {
		t.Errorf("spec = %#v, want %#v", e.Spec, want)
	}
	e.Spec["owner"] = "changed"
	if raw["spec"].(map[string]any)["owner"] != "team-a" {
		t.Errorf("FromRaw shares its spec with the input")
	}
	if _, touched := raw["metadata"].(map[any]any)["namespace"]; touched {
		t.Errorf("FromRaw wrote the default namespace into the input")
	}
}

func TestValidationErrorText(t *testing.T) {
	cases := []struct {
		name string
		err  *ValidationError
		want string
	}{
		{"with ref", &ValidationError{Ref: "component:default/x", Problems: []Problem{
			{Field: "metadata.name", Message: "m1"}, {Field: "", Message: "m2"}}},
			"entity component:default/x is invalid: metadata.name: m1; m2"},
		{"without ref", &ValidationError{Problems: []Problem{{Field: "kind", Message: "must be string"}}},
			"invalid entity: kind: must be string"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestKnownKinds(t *testing.T) {
	for _, k := range KnownKinds() {
		if !KnownKind(k) {
			t.Errorf("KnownKind(%q) = false", k)
		}
	}
	want := []string{"API", "AiResource", "Component", "Domain", "Group", "Location", "Resource", "System", "Template", "User"}
	if got := KnownKinds(); !slices.Equal(got, want) {
		t.Errorf("KnownKinds() = %q, want %q", got, want)
	}
	for _, k := range []string{"Thing", "component", "api", ""} {
		if KnownKind(k) {
			t.Errorf("KnownKind(%q) = true", k)
		}
	}
	known := &Entity{Kind: "Component", Metadata: Metadata{Name: "c"}}
	if err := CheckRecognized(known); err != nil {
		t.Errorf("CheckRecognized(Component) = %v", err)
	}
	unknown := &Entity{Kind: "Thing", Metadata: Metadata{Name: "t", Namespace: "ns"}}
	err := CheckRecognized(unknown)
	want2 := "entity thing:ns/t is invalid: kind: No processor recognized the entity thing:ns/t as valid, possibly caused by a foreign kind or apiVersion"
	if err == nil || err.Error() != want2 {
		t.Errorf("CheckRecognized(Thing) = %v, want %q", err, want2)
	}
}
