package descriptor

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// docWant describes one expected document: its index and line, and either
// its raw mapping or the start of its error message.
type docWant struct {
	index int
	line  int
	raw   map[string]any
	err   string
	field string
	eline int
}

func TestDecodeDocuments(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		want    []docWant
		fileErr string
	}{
		{
			name:  "single document",
			input: "apiVersion: backstage.io/v1alpha1\nkind: Component\n",
			want:  []docWant{{index: 0, line: 1, raw: map[string]any{"apiVersion": "backstage.io/v1alpha1", "kind": "Component"}}},
		},
		{
			name:  "schema comment and leading marker",
			input: "---\n# yaml-language-server: $schema=https://json.schemastore.org/catalog-info.json\nkind: API\n",
			want:  []docWant{{index: 0, line: 3, raw: map[string]any{"kind": "API"}}},
		},
		{
			name:  "document end markers and separators",
			input: "a: 1\n...\n---\nb: 2\n...\n---\nc: 3\n...\n",
			want: []docWant{
				{index: 0, line: 1, raw: map[string]any{"a": int64(1)}},
				{index: 1, line: 4, raw: map[string]any{"b": int64(2)}},
				{index: 2, line: 7, raw: map[string]any{"c": int64(3)}},
			},
		},
		{
			name:  "comment-only, empty and null documents are skipped but counted",
			input: "# header\n---\n# only a comment\n---\n---\nkind: A\n--- null\n--- ~\n---\nkind: B\n---\n",
			want: []docWant{
				{index: 2, line: 6, raw: map[string]any{"kind": "A"}},
				{index: 5, line: 10, raw: map[string]any{"kind": "B"}},
			},
		},
		{
			name:  "documents that are not mappings",
			input: "- a\n- b\n---\njust a string\n---\n42\n---\ntrue\n---\nkind: C\n",
			want: []docWant{
				{index: 0, line: 1, err: "Expected object at root, got object", eline: 1},
				{index: 1, line: 4, err: "Expected object at root, got string", eline: 4},
				{index: 2, line: 6, err: "Expected object at root, got number", eline: 6},
				{index: 3, line: 8, err: "Expected object at root, got boolean", eline: 8},
				{index: 4, line: 10, raw: map[string]any{"kind": "C"}},
			},
		},
		{
			name:  "syntax error keeps the documents around it",
			input: "kind: A\n---\nkind: B\n  bad: indent\n---\nkind: C\n",
			want: []docWant{
				{index: 0, line: 1, raw: map[string]any{"kind": "A"}},
				{index: 2, line: 6, raw: map[string]any{"kind": "C"}},
			},
			fileErr: "src.yaml:4: YAML error: mapping values are not allowed in this context",
		},
		{
			name:  "unclosed flow sequence reported at its start",
			input: "kind: A\n---\nkind: B\ntags: [a, b\n---\nkind: C\n",
			want: []docWant{
				{index: 0, line: 1, raw: map[string]any{"kind": "A"}},
				{index: 2, line: 6, raw: map[string]any{"kind": "C"}},
			},
			fileErr: "src.yaml:4: YAML error: did not find expected ',' or ']'",
		},
		{
			name:    "syntax error on the first line",
			input:   "{%- if x %}\nkind: A\n",
			fileErr: "src.yaml:1: YAML error: found character that cannot start any token",
		},
		{
			name:    "unknown anchor",
			input:   "kind: A\nspec:\n  owner: *nobody\n",
			fileErr: "src.yaml:3: YAML error: unknown anchor 'nobody' referenced",
		},
		{
			name: "YAML 1.2 core schema scalars",
			input: "yes: yes\non: off\ndate: 2021-01-01\noct: 0o17\nhex: 0x1f\nlead: 017\nexp: 1e3\n" +
				"inf: .inf\nnan: .NaN\ntilde: ~\nnull: Null\nunder: 1_000\nstr: !!str 12\nbin: !!binary aGk=\n" +
				"one: 1.0\nbig: 9223372036854775808\nneg: -12\nt: True\nf: FALSE\nquoted: '12'\nfolded: >\n  a\n  b\n" +
				"custom: !Ref value\nfloatTag: !!float 3\nempty:\n",
			want: []docWant{{index: 0, line: 1, raw: map[string]any{
				"yes": "yes", "on": "off", "date": "2021-01-01", "oct": int64(15), "hex": int64(31),
				"lead": int64(17), "exp": float64(1000), "inf": nil, "nan": nil, "tilde": nil, "": nil,
				"under": "1_000", "str": "12", "bin": "aGk=", "one": float64(1),
				"big": float64(9223372036854775808), "neg": int64(-12), "t": true, "f": false,
				"quoted": "12", "folded": "a b\n", "custom": "value", "floatTag": float64(3), "empty": nil,
			}}},
		},
		{
			name: "merge keys",
			input: "base: &base\n  owner: team-a\n  lifecycle: production\nextra: &extra\n  tier: 1\n" +
				"spec:\n  <<: [*base, *extra]\n  lifecycle: experimental\nother:\n  lifecycle: kept\n  <<: *base\n",
			want: []docWant{{index: 0, line: 1, raw: map[string]any{
				"base":  map[string]any{"owner": "team-a", "lifecycle": "production"},
				"extra": map[string]any{"tier": int64(1)},
				"spec":  map[string]any{"owner": "team-a", "lifecycle": "experimental", "tier": int64(1)},
				"other": map[string]any{"owner": "team-a", "lifecycle": "kept"},
			}}},
		},
		{
			name:  "merge source that is not a map",
			input: "kind: A\nspec:\n  <<: [1, 2]\n",
			want:  []docWant{{index: 0, line: 1, err: "Merge sources must be maps or map aliases", field: "spec.<<", eline: 3}},
		},
		{
			name:  "duplicate keys fail the document only",
			input: "kind: A\nmetadata:\n  name: x\n  name: y\n---\nkind: B\n",
			want: []docWant{
				{index: 0, line: 1, err: `Map keys must be unique; "name" is repeated`, field: "metadata.name", eline: 4},
				{index: 1, line: 6, raw: map[string]any{"kind": "B"}},
			},
		},
		{
			name:  "keys that are not strings",
			input: "1: a\ntrue: b\n~: c\n1.5: d\n[x, y]: e\n0x10: f\n'1': g\n",
			want: []docWant{{index: 0, line: 1, raw: map[string]any{
				"1": "g", "true": "b", "": "c", "1.5": "d", "[ x, y ]": "e", "16": "f",
			}}},
		},
		{
			name:  "too many aliases of one anchor",
			input: "a: &a x\nb: [" + strings.Repeat("*a, ", 100) + "*a]\n",
			want:  []docWant{{index: 0, line: 1, err: "Excessive alias count indicates a resource exhaustion attack", field: "b[99]", eline: 2}},
		},
		{
			name:  "byte order mark and CRLF line ends",
			input: "\ufeffkind: A\r\nmetadata:\r\n  name: x\r\n",
			want:  []docWant{{index: 0, line: 1, raw: map[string]any{"kind": "A", "metadata": map[string]any{"name": "x"}}}},
		},
		{
			name:  "invalid UTF-8 becomes U+FFFD as in Backstage",
			input: "kind: A\ndescription: caf\xe9\n",
			want:  []docWant{{index: 0, line: 1, raw: map[string]any{"kind": "A", "description": "caf\uFFFD"}}},
		},
		{
			name:    "control characters",
			input:   "kind: A\ndescription: \x07\n",
			fileErr: "src.yaml:2: file contains the control character U+0007 at line 2, column 14, which YAML does not allow",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := decodeString(t, "/repo/src.yaml", tc.input)
			switch {
			case tc.fileErr == "" && err != nil:
				t.Fatalf("unexpected file error: %v", err)
			case tc.fileErr != "" && err == nil:
				t.Fatalf("no file error, want %q", tc.fileErr)
			case tc.fileErr != "" && err.Error() != "/repo/"+tc.fileErr:
				t.Fatalf("file error %q, want %q", err.Error(), "/repo/"+tc.fileErr)
			}
			if tc.fileErr != "" {
				var de *Error
				if !errors.As(err, &de) || de.Source != "/repo/src.yaml" {
					t.Errorf("file error is %T %v", err, err)
				}
			}
			assertDocs(t, docs, tc.want)
		})
	}
}

// assertDocs compares documents with what a table expects.
func assertDocs(t *testing.T, docs []Document, want []docWant) {
	t.Helper()
	if len(docs) != len(want) {
		for _, d := range docs {
			t.Logf("doc %d line %d raw %#v err %v", d.Index, d.Line, d.Raw, d.Err)
		}
		t.Fatalf("got %d documents, want %d", len(docs), len(want))
	}
	for i, w := range want {
		d := docs[i]
		if d.Index != w.index || d.Line != w.line {
			t.Errorf("doc %d: index %d line %d, want index %d line %d", i, d.Index, d.Line, w.index, w.line)
		}
		if w.err == "" {
			if d.Err != nil {
				t.Errorf("doc %d: unexpected error %v", i, d.Err)
			}
			if !reflect.DeepEqual(d.Raw, w.raw) {
				t.Errorf("doc %d: raw\n got %#v\nwant %#v", i, d.Raw, w.raw)
			}
			continue
		}
		if d.Err == nil {
			t.Errorf("doc %d: no error, want %q", i, w.err)
			continue
		}
		if !strings.HasPrefix(d.Err.Message, w.err) || d.Err.Field != w.field || d.Err.Line != w.eline || d.Raw != nil {
			t.Errorf("doc %d: error %q field %q line %d raw %v, want %q field %q line %d",
				i, d.Err.Message, d.Err.Field, d.Err.Line, d.Raw != nil, w.err, w.field, w.eline)
		}
	}
}

func TestAliasesAreCopies(t *testing.T) {
	docs, err := decodeString(t, "/repo/a.yaml", "a: &x {k: [1]}\nb: *x\n")
	if err != nil || len(docs) != 1 || docs[0].Err != nil {
		t.Fatalf("decode: %v %v", err, docs)
	}
	a := docs[0].Raw["a"].(map[string]any)
	a["k"].([]any)[0] = "changed"
	b := docs[0].Raw["b"].(map[string]any)
	if b["k"].([]any)[0] != int64(1) {
		t.Errorf("changing a changed b: %#v", b)
	}
}

func TestLineOf(t *testing.T) {
	input := `# comment
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web
  annotations:
    backstage.io/techdocs-ref: dir:.
    github.com/project-slug: o/r
  tags:
    - go
    - web
defaults: &defaults
  owner: team-a
spec:
  <<: *defaults
  type: service
  providesApis:
    - name: x
      version: 2
`
	docs, err := decodeString(t, "/repo/c.yaml", input)
	if err != nil || len(docs) != 1 {
		t.Fatalf("decode: %v %d", err, len(docs))
	}
	d := &docs[0]
	tests := []struct {
		path string
		want int
	}{
		{path: "", want: 3},
		{path: "kind", want: 4},
		{path: "metadata", want: 6},
		{path: "metadata.name", want: 6},
		{path: "metadata.annotations.backstage.io/techdocs-ref", want: 8},
		{path: `metadata.annotations["github.com/project-slug"]`, want: 9},
		{path: "metadata.annotations['backstage.io/techdocs-ref']", want: 8},
		{path: "metadata.tags", want: 11},
		{path: "metadata.tags[1]", want: 12},
		{path: "spec.owner", want: 14},
		{path: "spec.type", want: 17},
		{path: "spec.providesApis[0].version", want: 20},
		{path: "metadata.namespace", want: 3},
		{path: "metadata.tags[2]", want: 3},
		{path: "metadata.tags.x", want: 3},
		{path: "metadata..name", want: 3},
		{path: "metadata.tags[x]", want: 3},
		{path: "metadata.tags[1", want: 3},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			if got := d.LineOf(tc.path); got != tc.want {
				t.Errorf("LineOf(%q) = %d, want %d", tc.path, got, tc.want)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{name: "full", err: &Error{Source: "/r/c.yaml", Line: 7, Field: "spec.owner", Message: "missing"}, want: "/r/c.yaml:7: spec.owner: missing"},
		{name: "no field", err: &Error{Source: "/r/c.yaml", Line: 2, Message: "Expected object at root, got string"}, want: "/r/c.yaml:2: Expected object at root, got string"},
		{name: "whole file", err: &Error{Source: "https://h/c.yaml", Message: "file is 11 bytes"}, want: "https://h/c.yaml: file is 11 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestJSNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{in: 1.5, want: "1.5"},
		{in: 100, want: "100"},
		{in: 1e21, want: "1e+21"},
		{in: 1.5e-7, want: "1.5e-7"},
		{in: 0.000001, want: "0.000001"},
		{in: -2.25, want: "-2.25"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := jsNumber(tc.in); got != tc.want {
				t.Errorf("jsNumber(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
