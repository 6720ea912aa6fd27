package descriptor

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// countingFetcher counts reads per target on top of the real fetcher.
type countingFetcher struct {
	Fetcher
	reads map[string]int
}

func (c *countingFetcher) Fetch(ctx context.Context, target string) ([]byte, error) {
	c.reads[target]++
	return c.Fetcher.Fetch(ctx, target)
}

// writeFiles creates files (relative path -> content) below dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSubstitutions(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"api/openapi.yaml":   "openapi: 3.0.0\ninfo:\n  title: x\n",
		"data/links.json":    `[{"url": "https://a", "weight": 2, "ratio": 0.5, "big": 1e400}]`,
		"data/params.yaml":   "# comment\nbase: &b {type: string}\nname:\n  <<: *b\n  title: Name\n",
		"data/nested.yaml":   "definition:\n  $text: ./plain.txt\n",
		"data/plain.txt":     "plain text\n",
		"data/two.yaml":      "a: 1\n---\nb: 2\n",
		"data/empty.yaml":    "# nothing\n",
		"data/broken.yaml":   "a: [1\n",
		"data/dup.yaml":      "a: 1\na: 2\n",
		"data/broken.json":   `{"a": }`,
		"data/trailing.json": `{"a": 1} {"b": 2}`,
		"data/scalar.yaml":   "just text\n",
	})
	source := filepath.Join(dir, "catalog-info.yaml")
	tests := []struct {
		name  string
		input string
		want  docWant
		check func(t *testing.T, d Document)
	}{
		{
			name:  "text relative to the file",
			input: "kind: API\nspec:\n  definition:\n    $text: ./api/openapi.yaml\n",
			want:  docWant{line: 1, raw: map[string]any{"kind": "API", "spec": map[string]any{"definition": "openapi: 3.0.0\ninfo:\n  title: x\n"}}},
		},
		{
			name:  "openapi and asyncapi read text",
			input: "a:\n  $openapi: api/openapi.yaml\nb:\n  $asyncapi: ./api/openapi.yaml\n",
			want:  docWant{line: 1, raw: map[string]any{"a": "openapi: 3.0.0\ninfo:\n  title: x\n", "b": "openapi: 3.0.0\ninfo:\n  title: x\n"}},
		},
		{
			name:  "json with integers, floats and out-of-range numbers",
			input: "links:\n  $json: ./data/links.json\n",
			want: docWant{line: 1, raw: map[string]any{"links": []any{map[string]any{
				"url": "https://a", "weight": int64(2), "ratio": 0.5, "big": nil,
			}}}},
		},
		{
			name:  "yaml with merge keys, in a list",
			input: "params:\n  - $yaml: ./data/params.yaml\n  - keep\n",
			want: docWant{line: 1, raw: map[string]any{"params": []any{map[string]any{
				"base": map[string]any{"type": "string"},
				"name": map[string]any{"type": "string", "title": "Name"},
			}, "keep"}}},
		},
		{
			name:  "yaml scalar document",
			input: "description:\n  $yaml: ./data/scalar.yaml\n",
			want:  docWant{line: 1, raw: map[string]any{"description": "just text"}},
		},
		{
			name:  "resolved content is not substituted again",
			input: "spec:\n  $yaml: ./data/nested.yaml\n",
			want:  docWant{line: 1, raw: map[string]any{"spec": map[string]any{"definition": map[string]any{"$text": "./plain.txt"}}}},
		},
		{
			name:  "JSON Schema $ref, non-string values and unknown resolvers are left alone",
			input: "a:\n  $ref: '#/definitions/x'\nb:\n  $text: [./data/plain.txt]\nc:\n  $env: HOME\n",
			want: docWant{line: 1, raw: map[string]any{
				"a": map[string]any{"$ref": "#/definitions/x"},
				"b": map[string]any{"$text": []any{"./data/plain.txt"}},
				"c": map[string]any{"$env": "HOME"},
			}},
		},
		{
			name:  "a placeholder beside other keys is left alone, contents included",
			input: "a:\n  $text: ./data/plain.txt\n  other:\n    $text: ./data/plain.txt\n",
			want: docWant{line: 1, raw: map[string]any{"a": map[string]any{
				"$text": "./data/plain.txt",
				"other": map[string]any{"$text": "./data/plain.txt"},
			}}},
		},
		{
			name:  "absolute target",
			input: "a:\n  $text: " + filepath.Join(dir, "data", "plain.txt") + "\n",
			want:  docWant{line: 1, raw: map[string]any{"a": "plain text\n"}},
		},
		{
			name:  "a whole document can be included",
			input: "$yaml: ./data/params.yaml\n",
			want: docWant{line: 1, raw: map[string]any{
				"base": map[string]any{"type": "string"},
				"name": map[string]any{"type": "string", "title": "Name"},
			}},
		},
		{
			name:  "a whole document replaced by text is not an object",
			input: "$text: ./data/plain.txt\n",
			want:  docWant{line: 1, eline: 1, err: "Expected object at root, got string"},
		},
		{
			name:  "missing target",
			input: "kind: API\nmetadata:\n  name: gone\nspec:\n  definition:\n    $text: ./missing.yaml\n",
			want: docWant{line: 1, field: "spec.definition", eline: 6,
				err: "Placeholder $text could not read location ./missing.yaml, NotFoundError: could not read " + filepath.Join(dir, "missing.yaml") + ", not found"},
			check: func(t *testing.T, d Document) {
				if !errors.Is(d.Err, ErrNotFound) {
					t.Errorf("error does not wrap ErrNotFound: %v", d.Err)
				}
				if name, _ := metadataName(d.Partial); name != "gone" {
					t.Errorf("partial document %#v", d.Partial)
				}
			},
		},
		{
			name:  "yaml with two documents",
			input: "a:\n  $yaml: ./data/two.yaml\n",
			want:  docWant{line: 1, field: "a", eline: 2, err: "Placeholder $yaml expected to find exactly one document of data at ./data/two.yaml, found 2"},
		},
		{
			name:  "yaml with no document",
			input: "a:\n  $yaml: ./data/empty.yaml\n",
			want:  docWant{line: 1, field: "a", eline: 2, err: "Placeholder $yaml expected to find exactly one document of data at ./data/empty.yaml, found 0"},
		},
		{
			name:  "yaml syntax error",
			input: "a:\n  $yaml: ./data/broken.yaml\n",
			want:  docWant{line: 1, field: "a", eline: 2, err: "Placeholder $yaml found an error in the data at ./data/broken.yaml, YAML error at line 2: did not find expected ',' or ']'"},
		},
		{
			name:  "yaml duplicate keys",
			input: "a:\n  $yaml: ./data/dup.yaml\n",
			want:  docWant{line: 1, field: "a", eline: 2, err: `Placeholder $yaml found an error in the data at ./data/dup.yaml, line 2, a: Map keys must be unique; "a" is repeated`},
		},
		{
			name:  "json syntax error",
			input: "a:\n  $json: ./data/broken.json\n",
			want:  docWant{line: 1, field: "a", eline: 2, err: "Placeholder $json failed to parse JSON data at ./data/broken.json, invalid character '}'"},
		},
		{
			name:  "json with trailing data",
			input: "a:\n  $json: ./data/trailing.json\n",
			want:  docWant{line: 1, field: "a", eline: 2, err: "Placeholder $json failed to parse JSON data at ./data/trailing.json, unexpected data after the JSON value"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := Decode(context.Background(), source, []byte(tc.input), testFetcher(), DefaultLimits())
			if err != nil {
				t.Fatalf("file error: %v", err)
			}
			assertDocs(t, docs, []docWant{tc.want})
			if tc.check != nil {
				tc.check(t, docs[0])
			}
		})
	}
}

func TestSubstitutionErrorsStayInTheirDocument(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"ok.txt": "ok"})
	input := "kind: A\nspec:\n  d:\n    $text: ./ok.txt\n---\nkind: B\nspec:\n  d:\n    $text: ./missing.txt\n---\nkind: C\nspec:\n  d:\n    $text: ./ok.txt\n"
	fetch := &countingFetcher{Fetcher: testFetcher(), reads: map[string]int{}}
	docs, err := Decode(context.Background(), filepath.Join(dir, "c.yaml"), []byte(input), fetch, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	assertDocs(t, docs, []docWant{
		{index: 0, line: 1, raw: map[string]any{"kind": "A", "spec": map[string]any{"d": "ok"}}},
		{index: 1, line: 6, field: "spec.d", eline: 9, err: "Placeholder $text could not read location ./missing.txt, NotFoundError"},
		{index: 2, line: 11, raw: map[string]any{"kind": "C", "spec": map[string]any{"d": "ok"}}},
	})
	// Each target is read once per file.
	want := map[string]int{filepath.Join(dir, "ok.txt"): 1, filepath.Join(dir, "missing.txt"): 1}
	if !reflect.DeepEqual(fetch.reads, want) {
		t.Errorf("reads %v, want %v", fetch.reads, want)
	}
}

func TestSubstitutionLimits(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.txt":     "aaaa",
		"big.txt":   strings.Repeat("x", 2000),
		"deep.json": strings.Repeat("[", 20) + strings.Repeat("]", 20),
	})
	source := filepath.Join(dir, "c.yaml")
	tests := []struct {
		name  string
		input string
		lim   Limits
		want  docWant
	}{
		{
			name:  "number of substitutions",
			input: "a: {$text: a.txt}\nb: {$text: a.txt}\nc: {$text: a.txt}\n",
			lim:   Limits{MaxSubstitutions: 2},
			want:  docWant{line: 1, field: "c", eline: 3, err: "Placeholder $text was not resolved: the file has more than 2 substitutions"},
		},
		{
			name:  "size of a target",
			input: "a: {$text: big.txt}\n",
			lim:   Limits{MaxFileBytes: 1000},
			want:  docWant{line: 1, field: "a", eline: 1, err: "Placeholder $text could not read location big.txt, Error: " + filepath.Join(dir, "big.txt") + " is 2000 bytes, more than the limit of 1000 bytes"},
		},
		{
			name:  "total text of a file",
			input: "a: {$text: big.txt}\nb: {$text: big.txt}\n",
			lim:   Limits{MaxTotalBytes: 3000},
			want:  docWant{line: 1, field: "b", eline: 2, err: "Placeholder $text data at big.txt was not used: the file decodes to more than 3000 bytes of text"},
		},
		{
			name:  "depth of spliced content",
			input: "a:\n  b:\n    $json: deep.json\n",
			lim:   Limits{MaxDepth: 20},
			want:  docWant{line: 1, field: "a.b", eline: 3, err: "Placeholder $json failed to parse JSON data at deep.json, nesting is deeper than 18 levels"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := Decode(context.Background(), source, []byte(tc.input), testFetcher(), tc.lim)
			if err != nil {
				t.Fatalf("file error: %v", err)
			}
			assertDocs(t, docs, []docWant{tc.want})
		})
	}
}
