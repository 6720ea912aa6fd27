package apidef

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keelson-dev/keelson/catalog/catalogtest"

	"go.yaml.in/yaml/v3"
)

// corpusDir returns ../shared/corpus beside the repository (see catalogtest.SharedDir).
func corpusDir(t testing.TB) string { return filepath.Join(catalogtest.SharedDir(t), "corpus") }

// apiEntity is the part of an API descriptor these tests need.
type apiEntity struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		Type       string    `yaml:"type"`
		Definition yaml.Node `yaml:"definition"`
	} `yaml:"spec"`
}

// definitionText returns spec.definition, reading a relative $text target
// beside the descriptor. ok is false for remote or missing targets.
func definitionText(t *testing.T, file string, e apiEntity) (string, bool) {
	t.Helper()
	n := &e.Spec.Definition
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Value, true
	case yaml.MappingNode:
		target := mappingString(n, "$text")
		if target == "" || strings.Contains(target, "://") {
			return "", false
		}
		b, err := os.ReadFile(filepath.Join(filepath.Dir(file), strings.TrimSpace(target)))
		if err != nil {
			return "", false
		}
		return string(b), true
	}
	return "", false
}

// loadAPI reads the named API entity from a descriptor file.
func loadAPI(t *testing.T, file, name string) (apiEntity, string) {
	t.Helper()
	for _, e := range apiEntities(t, file) {
		if e.Metadata.Name == name {
			def, ok := definitionText(t, file, e)
			if !ok {
				t.Fatalf("%s: no readable definition for %s", file, name)
			}
			return e, def
		}
	}
	t.Fatalf("%s: no API %s", file, name)
	return apiEntity{}, ""
}

func apiEntities(t *testing.T, file string) []apiEntity {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	var out []apiEntity
	for {
		var e apiEntity
		err := dec.Decode(&e)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return out // some wild files end in non-entity documents
		}
		if e.Kind == "API" {
			out = append(out, e)
		}
	}
	return out
}

func TestParseCorpusExamples(t *testing.T) {
	examples := filepath.Join(corpusDir(t), "backstage-examples", "catalog-model", "examples", "apis")
	tests := []struct {
		file, name      string
		wantTitle       string
		wantServers     []string
		wantGroups      []string          // tags in order
		wantOps         map[string]string // "METHOD path" -> summary
		wantParam       string            // "in name type" of some operation
		wantChannels    int
		wantChannelOp   string // "action operationId messages"
		wantHighlighted string // text inside the highlighted HTML
	}{
		{
			file: "petstore-api.yaml", name: "petstore",
			wantTitle: "Swagger Petstore", wantServers: []string{"http://petstore.swagger.io/v1"},
			wantGroups: []string{"pets"},
			wantOps: map[string]string{
				"GET /pets":         "List all pets",
				"POST /pets":        "Create a pet",
				"GET /pets/{petId}": "Info for a specific pet",
			},
			wantParam: "query limit integer (int32)",
		},
		{
			file: "petstore-webhook-api.yaml", name: "petstore-webhook",
			wantTitle: "Webhook Example", wantGroups: []string{"default"},
			wantOps: map[string]string{"POST webhook: newPet": ""},
		},
		{
			file: "streetlights-api.yaml", name: "streetlights",
			wantTitle: "Streetlights API", wantServers: []string{"api.streetlights.smartylighting.com:{port} (mqtt)"},
			wantChannels: 4, wantChannelOp: "subscribe receiveLightMeasurement lightMeasured",
		},
		{file: "swapi-graphql.yaml", name: "starwars-graphql", wantHighlighted: "Film"},
		{file: "hello-world-api.yaml", name: "hello-world", wantHighlighted: "Greeter"},
		{file: "hello-world-trpc-api.yaml", name: "hello-world-trpc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(examples, tc.file)
			e, def := loadAPI(t, file, tc.name)
			d, err := Parse(e.Spec.Type, def)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if d.Raw != def {
				t.Error("Raw is not the definition as given")
			}
			if d.Title != tc.wantTitle {
				t.Errorf("Title = %q, want %q", d.Title, tc.wantTitle)
			}
			if strings.Join(d.Servers, "|") != strings.Join(tc.wantServers, "|") {
				t.Errorf("Servers = %q, want %q", d.Servers, tc.wantServers)
			}
			var tags []string
			ops := map[string]string{}
			var params []string
			for _, g := range d.Groups {
				tags = append(tags, g.Tag)
				for _, op := range g.Operations {
					ops[op.Method+" "+op.Path] = op.Summary
					for _, p := range op.Parameters {
						params = append(params, p.In+" "+p.Name+" "+p.Type)
					}
				}
			}
			if strings.Join(tags, ",") != strings.Join(tc.wantGroups, ",") {
				t.Errorf("groups = %q, want %q", tags, tc.wantGroups)
			}
			if len(ops) != len(tc.wantOps) {
				t.Errorf("operations = %v, want %v", ops, tc.wantOps)
			}
			for k, v := range tc.wantOps {
				if got, ok := ops[k]; !ok || got != v {
					t.Errorf("operation %q summary = %q (present %v), want %q", k, got, ok, v)
				}
			}
			if tc.wantParam != "" && !contains(params, tc.wantParam) {
				t.Errorf("parameters %q lack %q", params, tc.wantParam)
			}
			if len(d.Channels) != tc.wantChannels {
				t.Errorf("channels = %d, want %d", len(d.Channels), tc.wantChannels)
			}
			if tc.wantChannelOp != "" {
				var got []string
				for _, c := range d.Channels {
					for _, op := range c.Operations {
						got = append(got, op.Action+" "+op.OperationID+" "+strings.Join(op.Messages, ","))
					}
				}
				if !contains(got, tc.wantChannelOp) {
					t.Errorf("channel operations %q lack %q", got, tc.wantChannelOp)
				}
			}
			if tc.wantHighlighted == "" && d.Highlighted != "" {
				t.Errorf("unexpected highlighting for %s", e.Spec.Type)
			}
			if tc.wantHighlighted != "" {
				h := string(d.Highlighted)
				if !strings.Contains(h, tc.wantHighlighted) || !strings.Contains(h, `class="hl-`) {
					t.Errorf("Highlighted lacks %q or hl- classes: %.200s", tc.wantHighlighted, h)
				}
				if strings.Contains(h, "style=") {
					t.Error("Highlighted uses inline styles, which a strict CSP blocks")
				}
			}
		})
	}
}

func TestParseSwagger2(t *testing.T) {
	file := filepath.Join(corpusDir(t), "alertmanager", "prometheus__alertmanager__api-v2-openapi.yaml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse("openapi", string(b))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	tests := []struct {
		name, method, path, tag string
		wantParam               string
	}{
		{name: "status", method: "GET", path: "/status", tag: "general"},
		{name: "get silence", method: "GET", path: "/silence/{silenceID}", tag: "silence", wantParam: "path silenceID string (uuid)"},
		{name: "receivers", method: "GET", path: "/receivers", tag: "receiver", wantParam: "query receiver_matchers array of string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			op, tag := findOperation(d, tc.method, tc.path)
			if op == nil {
				t.Fatalf("no %s %s", tc.method, tc.path)
			}
			if tag != tc.tag {
				t.Errorf("tag = %q, want %q", tag, tc.tag)
			}
			if tc.wantParam != "" {
				var params []string
				for _, p := range op.Parameters {
					params = append(params, p.In+" "+p.Name+" "+p.Type)
				}
				if !contains(params, tc.wantParam) {
					t.Errorf("parameters %q lack %q", params, tc.wantParam)
				}
			}
		})
	}
	if d.Title != "Alertmanager API" {
		t.Errorf("Title = %q", d.Title)
	}
}

// TestParseCorpusAPIs reads every API definition in the corpus that is
// inline or a local $text target: none may fail.
func TestParseCorpusAPIs(t *testing.T) {
	corpus := corpusDir(t)
	var files []string
	for _, sub := range []string{"backstage-examples", "wild", "wild-trees"} {
		err := filepath.WalkDir(filepath.Join(corpus, sub), func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	read := 0
	for _, file := range files {
		for _, e := range apiEntities(t, file) {
			def, ok := definitionText(t, file, e)
			if !ok {
				continue
			}
			read++
			t.Run(filepath.Base(file)+"/"+e.Metadata.Name, func(t *testing.T) {
				d, err := Parse(e.Spec.Type, def)
				if err != nil {
					t.Fatalf("Parse(%s): %v", e.Spec.Type, err)
				}
				switch d.Type {
				case TypeOpenAPI:
					if len(d.Groups) == 0 {
						t.Error("no operations")
					}
				case TypeAsyncAPI:
					if len(d.Channels) == 0 {
						t.Error("no channels")
					}
				case TypeGraphQL, TypeGRPC:
					if d.Highlighted == "" {
						t.Error("not highlighted")
					}
				}
			})
		}
	}
	if read < 10 {
		t.Errorf("read only %d definitions from the corpus", read)
	}
}
