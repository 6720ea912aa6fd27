package model

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{
		"component:default/foo", "team-a", "ns/name", "user:guest", ":x", "x:/y", "a/b:c",
		"Component:Prod/MyService", "", "a:b/c/d", "\u0130", "group:default/ ",
	} {
		f.Add(s, "Group", "")
	}
	f.Fuzz(func(t *testing.T, s, defaultKind, defaultNamespace string) {
		ref, err := ParseRef(s, RefContext{DefaultKind: defaultKind, DefaultNamespace: defaultNamespace})
		if err != nil {
			if !errors.Is(err, ErrInvalidRef) {
				t.Fatalf("error %v does not wrap ErrInvalidRef", err)
			}
			if ref != (Ref{}) {
				t.Fatalf("non-zero ref %#v with error", ref)
			}
			return
		}
		if ref.Kind == "" || ref.Namespace == "" || ref.Name == "" {
			t.Fatalf("ParseRef(%q) = %#v has an empty part", s, ref)
		}
		if !strings.HasSuffix(s, ref.Name) {
			t.Fatalf("name %q is not the tail of %q", ref.Name, s)
		}
		if ref.String() != ref.Key() {
			t.Fatalf("String %q != Key %q", ref.String(), ref.Key())
		}
		// The canonical form parses back to the same identity when no part holds a
		// separator that would move the boundaries.
		if !strings.ContainsAny(ref.Kind+ref.Namespace, ":/") {
			again, err := ParseRef(ref.String(), RefContext{})
			if err != nil {
				t.Fatalf("ParseRef(%q) of the canonical form: %v", ref.String(), err)
			}
			if again.Key() != ref.Key() {
				t.Fatalf("canonical form %q parses to %q", ref.String(), again.Key())
			}
		}
	})
}

func FuzzFromRaw(f *testing.F) {
	seeds := []string{
		`{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"c","tags":["go"],"labels":{"a":"b"},"links":[{"url":"https://x"}]},"spec":{"type":"service","lifecycle":"production","owner":"team-a","providesApis":["a"],"dependsOn":["resource:db"],"system":"s"}}`,
		`{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"g","namespace":"ops"},"spec":{"type":"team","children":["x"],"parent":"p","members":["u"]}}`,
		`{"apiVersion":"backstage.io/v1alpha1","kind":"User","metadata":{"name":"u"},"spec":{"memberOf":["g"],"profile":{"email":"a@b"}}}`,
		`{"apiVersion":"scaffolder.backstage.io/v1beta3","kind":"Template","metadata":{"name":"t"},"spec":{"type":"service","owner":"g","parameters":[{}],"steps":[{"action":"fetch:plain","if":true}],"output":{"links":[{"url":"u"}],"text":[{"title":"t"}]}}}`,
		`{"apiVersion":"backstage.io/v1alpha1","kind":"API","metadata":{"name":"m"},"spec":{"type":"mcp-server","lifecycle":"x","owner":"g","remotes":[{"type":"sse","url":"u"}]}}`,
		`{"apiVersion":"backstage.io/v1alpha1","kind":"AiResource","metadata":{"name":"r"},"spec":{"type":"rule","lifecycle":"x","owner":"g","category":"c","rationale":"r","activation":[{"harness":"cursor","alwaysApply":true}]}}`,
		`{"apiVersion":"backstage.io/v1alpha1","kind":"Location","metadata":{"name":"l"},"spec":{"targets":["./a.yaml"],"presence":"optional"}}`,
		`{"apiVersion":"backstage.io/v1alpha1","kind":"System","metadata":{"name":"content-management","title":"","annotations":"thing","links":null}}`,
		`{"apiVersion":null,"kind":"Thing","metadata":{"name":"x"},"extra-props":1,"relations":[],"status":{}}`,
		`{"kind":"Component","metadata":{"name":"a b"},"spec":{"Foo":1,"foo":2}}`,
		`{}`, `[]`, `null`, `"x"`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var raw map[string]any
		if err := json.Unmarshal(data, &raw); err != nil {
			return
		}
		e, err := FromRaw(raw)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("FromRaw error %v is not a *ValidationError with problems", err)
			}
			_ = ve.Error()
			return
		}
		if e.Metadata.Namespace == "" || e.Metadata.Name == "" || e.Kind == "" || e.APIVersion == "" {
			t.Fatalf("valid entity with empty identity: %#v", e)
		}
		if _, err := Relations(e); err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Relations error %v is not a *ValidationError", err)
			}
		}
		rows := Search(e)
		if len(rows) == 0 {
			t.Fatalf("no search rows for a valid entity")
		}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		var back Entity
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("Unmarshal of %s: %v", b, err)
		}
		if back.Ref().Key() != e.Ref().Key() {
			t.Fatalf("round trip changed the ref: %s != %s", back.Ref().Key(), e.Ref().Key())
		}
	})
}
