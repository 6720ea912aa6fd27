package descriptor

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDecodeIBMTree(t *testing.T) {
	corpus := corpusDir(t)
	dir := filepath.Join(corpus, "wild-trees", "ibm-messaging__mq-dev-patterns", "backstage")
	path := filepath.Join(dir, "catalog-info.yaml")
	docs, err := decodeFile(t, path)
	if err != nil {
		t.Fatalf("file error: %v", err)
	}
	if len(docs) != 16 {
		t.Fatalf("got %d documents, want 16", len(docs))
	}
	missing := map[string]string{
		"ibm-mq-node-api":   "./nodeapi/sample.yaml",
		"ibm-mq-go-api":     "./goapi/sample.yaml",
		"ibm-mq-dotnet-api": "./dotnetapi/sample.yaml",
	}
	for _, d := range docs {
		checkDocument(t, path, d)
		if d.Err != nil {
			name, _ := metadataName(d.Partial)
			target, ok := missing[name]
			if !ok {
				t.Errorf("doc %d (%s): unexpected error %v", d.Index, name, d.Err)
				continue
			}
			delete(missing, name)
			want := "Placeholder $text could not read location " + target + ", NotFoundError: "
			if !strings.HasPrefix(d.Err.Message, want) || !strings.Contains(d.Err.Message, "not found") {
				t.Errorf("doc %d: message %q, want prefix %q", d.Index, d.Err.Message, want)
			}
			if d.Err.Field != "spec.definition" || !errors.Is(d.Err, ErrNotFound) {
				t.Errorf("doc %d: field %q, is not-found %v", d.Index, d.Err.Field, errors.Is(d.Err, ErrNotFound))
			}
			if d.Err.Line != d.LineOf("spec.definition") || d.Err.Line < d.Line {
				t.Errorf("doc %d: error line %d, definition line %d", d.Index, d.Err.Line, d.LineOf("spec.definition"))
			}
			continue
		}
		kind := d.Raw["kind"]
		spec, _ := d.Raw["spec"].(map[string]any)
		switch kind {
		case "API":
			def, ok := spec["definition"].(string)
			if !ok || def == "" {
				t.Errorf("doc %d: definition %#v", d.Index, spec["definition"])
			}
		case "Template":
			params, ok := spec["parameters"].([]any)
			if !ok || len(params) == 0 {
				t.Errorf("doc %d: parameters %#v", d.Index, spec["parameters"])
			}
			steps, ok := spec["steps"].([]any)
			if !ok || len(steps) == 0 {
				t.Errorf("doc %d: steps %#v", d.Index, spec["steps"])
			} else if first, _ := steps[0].(map[string]any); first["id"] != "fetch-base" {
				t.Errorf("doc %d: first step %#v", d.Index, steps[0])
			}
			output, _ := spec["output"].(map[string]any)
			if links, _ := output["links"].([]any); len(links) != 2 {
				t.Errorf("doc %d: output %#v", d.Index, spec["output"])
			}
			// Lines inside spliced content point at the placeholder.
			if got, want := d.LineOf("spec.steps[0].id"), d.LineOf("spec.steps"); got != want || got <= d.Line {
				t.Errorf("doc %d: LineOf(spec.steps[0].id) = %d, want %d", d.Index, got, want)
			}
		case "Component":
			meta := d.Raw["metadata"].(map[string]any)
			links, ok := meta["links"].([]any)
			if !ok || len(links) == 0 {
				t.Fatalf("doc %d: links %#v", d.Index, meta["links"])
			}
			if first, _ := links[0].(map[string]any); first["url"] != "http://ibm.biz/learn-mq" || first["icon"] != "catalog" {
				t.Errorf("doc %d: first link %#v", d.Index, links[0])
			}
		}
	}
	if len(missing) != 0 {
		t.Errorf("no error for %v", missing)
	}
	// The three failing documents are API entities 2, 6 and 7 of the file.
	var failed []int
	for _, d := range docs {
		if d.Err != nil {
			failed = append(failed, d.Index)
		}
	}
	if !slices.Equal(failed, []int{2, 6, 7}) {
		t.Errorf("failed documents %v, want [2 6 7]", failed)
	}
}

// metadataName returns metadata.name of a raw document.
func metadataName(raw map[string]any) (string, bool) {
	meta, _ := raw["metadata"].(map[string]any)
	name, ok := meta["name"].(string)
	return name, ok
}

func TestDecodeInvalidEntitiesFile(t *testing.T) {
	corpus := corpusDir(t)
	path := filepath.Join(corpus, "invalid", "im-open__validate-catalog-info__test-catalog-infos-invalid-entities.yml")
	docs, err := decodeFile(t, path)
	if err != nil {
		t.Fatalf("file error: %v", err)
	}
	// 18 documents; document 2 (index 1) holds only comments and is skipped.
	if len(docs) != 17 {
		t.Fatalf("got %d documents, want 17", len(docs))
	}
	for i, d := range docs {
		want := i
		if i >= 1 {
			want = i + 1
		}
		if d.Index != want {
			t.Errorf("document %d has index %d, want %d", i, d.Index, want)
		}
		if d.Err != nil || d.Raw == nil {
			t.Errorf("document %d: err %v", d.Index, d.Err)
		}
	}
	tests := []struct {
		index int
		path  string
		want  any
		line  int
	}{
		{index: 0, path: "metadata.name", want: "content-management", line: 8},
		{index: 3, path: "apiVersion", want: nil, line: 0},
		{index: 10, path: "metadata.name", want: nil, line: 0},
		{index: 11, path: "metadata.title", want: "", line: 0},
		{index: 12, path: "metadata.annotations", want: nil, line: 0},
	}
	byIndex := map[int]Document{}
	for _, d := range docs {
		byIndex[d.Index] = d
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			d, ok := byIndex[tc.index]
			if !ok {
				t.Fatalf("no document %d", tc.index)
			}
			got := lookup(d.Raw, tc.path)
			if tc.want != nil && got != tc.want {
				t.Errorf("doc %d %s = %#v, want %#v", tc.index, tc.path, got, tc.want)
			}
			if tc.line != 0 && d.LineOf(tc.path) != tc.line {
				t.Errorf("doc %d LineOf(%s) = %d, want %d", tc.index, tc.path, d.LineOf(tc.path), tc.line)
			}
		})
	}
	// Document 4 has "apiVersion:" with no value: present and null.
	if v, ok := byIndex[3].Raw["apiVersion"]; !ok || v != nil {
		t.Errorf("doc 3 apiVersion = %#v, %v", v, ok)
	}
	// Document 13 has a scalar where annotations should be a map.
	meta := byIndex[12].Raw["metadata"].(map[string]any)
	if _, ok := meta["annotations"].(string); !ok {
		t.Errorf("doc 12 annotations = %#v", meta["annotations"])
	}
}

// lookup returns the value at a dotted path of plain keys.
func lookup(raw map[string]any, path string) any {
	var cur any = raw
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}

func TestDecodeBackstageExamples(t *testing.T) {
	corpus := corpusDir(t)
	root := filepath.Join(corpus, "backstage-examples", "catalog-model", "examples")
	files, err := Expand(root, "**/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 40 {
		t.Fatalf("found only %d example files", len(files))
	}
	total := 0
	for _, f := range files {
		t.Run(strings.TrimPrefix(f, root+"/"), func(t *testing.T) {
			docs, err := decodeFile(t, f)
			if err != nil {
				t.Fatalf("file error: %v", err)
			}
			for _, d := range docs {
				if d.Err != nil {
					// Only the public OpenAPI URLs are out of reach in tests.
					if !strings.Contains(d.Err.Message, "tests only reach 127.0.0.1") {
						t.Errorf("doc %d: %v", d.Index, d.Err)
					}
					continue
				}
				if strings.HasSuffix(f, ".oas.yaml") {
					// An OpenAPI definition read through $text, not an entity.
					if d.Raw["openapi"] == nil {
						t.Errorf("doc %d: not an OpenAPI definition", d.Index)
					}
					continue
				}
				checkDocument(t, f, d)
				total++
			}
		})
	}
	// The petstore webhook API's relative $text resolves next to it.
	docs, err := decodeFile(t, filepath.Join(root, "apis", "petstore-webhook-api.yaml"))
	if err != nil || len(docs) != 1 || docs[0].Err != nil {
		t.Fatalf("petstore webhook: %v %v", err, docs)
	}
	def, _ := docs[0].Raw["spec"].(map[string]any)["definition"].(string)
	want, _ := os.ReadFile(filepath.Join(root, "apis", "petstore-webhook.oas.yaml"))
	if def != string(want) {
		t.Errorf("definition is %d bytes, want the %d bytes of petstore-webhook.oas.yaml", len(def), len(want))
	}
}

func TestExpandCorpusTrees(t *testing.T) {
	corpus := corpusDir(t)
	trees := filepath.Join(corpus, "wild-trees")
	rhdh := filepath.Join(trees, "redhat-developer__rhdh", "catalog-entities")
	tests := []struct {
		name   string
		base   string
		target string
		want   []string
	}{
		{
			name:   "directory finds every catalog-info file",
			base:   corpus,
			target: "wild-trees",
			want:   []string{filepath.Join(trees, "ibm-messaging__mq-dev-patterns", "backstage", "catalog-info.yaml"), filepath.Join(trees, "portefaix__portefaix-backstage", "catalog", "catalog-info.yaml")},
		},
		{
			name:   "double star glob",
			base:   "",
			target: trees + "/**/catalog-info.yaml",
			want:   []string{filepath.Join(trees, "ibm-messaging__mq-dev-patterns", "backstage", "catalog-info.yaml"), filepath.Join(trees, "portefaix__portefaix-backstage", "catalog", "catalog-info.yaml")},
		},
		{
			name:   "relative glob from a descriptor file",
			base:   filepath.Join(rhdh, "all.yaml"),
			target: "./apis/*.yaml",
			want:   []string{filepath.Join(rhdh, "apis", "nexus-repo-manager-3.yaml"), filepath.Join(rhdh, "apis", "petstore.yaml")},
		},
		{
			name:   "brace alternatives",
			base:   rhdh,
			target: "groups/{janus-authors,rhdh-team}.yaml",
			want:   []string{filepath.Join(rhdh, "groups", "janus-authors.yaml"), filepath.Join(rhdh, "groups", "rhdh-team.yaml")},
		},
		{
			name:   "plain file",
			base:   filepath.Join(rhdh, "all.yaml"),
			target: "./systems.yaml",
			want:   []string{filepath.Join(rhdh, "systems.yaml")},
		},
		{
			name:   "missing plain file is returned for the reader to report",
			base:   filepath.Join(trees, "portefaix__portefaix-backstage", "catalog", "templates.yaml"),
			target: "./templates/commons/system/template.yaml",
			want:   []string{filepath.Join(trees, "portefaix__portefaix-backstage", "catalog", "templates", "commons", "system", "template.yaml")},
		},
		{
			name:   "glob matching nothing",
			base:   trees,
			target: "**/nothing-*.yaml",
			want:   []string{},
		},
		{
			name:   "directory without descriptors",
			base:   "",
			target: filepath.Join(corpus, "openslo"),
			want:   []string{},
		},
		{
			name:   "URL returned as is",
			base:   rhdh,
			target: "https://github.com/o/r/blob/main/catalog-info.yaml",
			want:   []string{"https://github.com/o/r/blob/main/catalog-info.yaml"},
		},
		{
			name:   "relative target of a URL location",
			base:   "https://github.com/o/r/blob/main/catalog/all.yaml",
			target: "./apis.yaml",
			want:   []string{"https://github.com/o/r/blob/main/catalog/apis.yaml"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Expand(tc.base, tc.target)
			if err != nil {
				t.Fatalf("Expand: %v", err)
			}
			if got == nil {
				got = []string{}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Expand(%q, %q) = %q, want %q", tc.base, tc.target, got, tc.want)
			}
		})
	}
	// Every rhdh file reached through the Location hierarchy decodes.
	all, err := Expand(rhdh, "**/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 19 {
		t.Errorf("rhdh tree has %d yaml files, want 19", len(all))
	}
	for _, f := range all {
		docs, err := decodeFile(t, f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
		}
		for _, d := range docs {
			if d.Err != nil && !strings.Contains(d.Err.Message, "tests only reach 127.0.0.1") {
				t.Errorf("%s doc %d: %v", f, d.Index, d.Err)
			}
		}
	}
}
