package synth

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"
)

// entity is the part of a descriptor the shape checks read.
type entity struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		Owner   string   `yaml:"owner"`
		Parent  string   `yaml:"parent"`
		Targets []string `yaml:"targets"`
	} `yaml:"spec"`
}

func decodeAll(t *testing.T, path string) []entity {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var out []entity
	for {
		var e entity
		err := dec.Decode(&e)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("decode %s: %v", path, err)
		}
		out = append(out, e)
	}
}

// TestGenerateShape checks the generated catalog against the tables and the
// spot check in DATA-SHAPE.md by reading the YAML back.
func TestGenerateShape(t *testing.T) {
	tests := []struct {
		name         string
		n            int
		kinds        map[string]int
		files        int
		team0OwnerOf map[string]int
		team0Parent  string
	}{
		{
			name:         "1000 components",
			n:            1000,
			kinds:        map[string]int{"Group": 21, "Domain": 1, "System": 50, "API": 500, "Component": 1000},
			files:        5,
			team0OwnerOf: map[string]int{"Component": 50, "API": 25, "System": 3, "Domain": 1},
			team0Parent:  "org-root",
		},
		{
			name:         "10000 components",
			n:            10000,
			kinds:        map[string]int{"Group": 201, "Domain": 10, "System": 500, "API": 5000, "Component": 10000},
			files:        18,
			team0OwnerOf: map[string]int{"Component": 50, "API": 25, "System": 3, "Domain": 1},
			team0Parent:  "org-root",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			sum, err := Generate(tc.n, dir, 1000)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			if len(sum.Files) != tc.files {
				t.Errorf("files: got %d, want %d", len(sum.Files), tc.files)
			}
			root := decodeAll(t, filepath.Join(dir, "catalog-info.yaml"))
			if len(root) != 1 || root[0].Kind != "Location" || len(root[0].Spec.Targets) != tc.files {
				t.Fatalf("catalog-info.yaml: got %+v, want one Location with %d targets", root, tc.files)
			}
			kinds := map[string]int{}
			ownerOf := map[string]int{}
			parent := ""
			total := 0
			for _, target := range root[0].Spec.Targets {
				for _, e := range decodeAll(t, filepath.Join(dir, target)) {
					kinds[e.Kind]++
					total++
					if e.Spec.Owner == "group:default/team-0000" || e.Spec.Owner == "team-0000" {
						ownerOf[e.Kind]++
					}
					if e.Kind == "Group" && e.Metadata.Name == "team-0000" {
						parent = e.Spec.Parent
					}
				}
			}
			for kind, want := range tc.kinds {
				if kinds[kind] != want {
					t.Errorf("%s entities: got %d, want %d", kind, kinds[kind], want)
				}
			}
			if len(kinds) != len(tc.kinds) {
				t.Errorf("kinds: got %v, want %v", kinds, tc.kinds)
			}
			if total != sum.Total {
				t.Errorf("total: read %d entities, summary says %d", total, sum.Total)
			}
			for kind, want := range tc.team0OwnerOf {
				if ownerOf[kind] != want {
					t.Errorf("team-0000 owns %d %s entities, want %d", ownerOf[kind], kind, want)
				}
			}
			if len(ownerOf) != len(tc.team0OwnerOf) {
				t.Errorf("team-0000 owns: got %v, want %v", ownerOf, tc.team0OwnerOf)
			}
			if parent != tc.team0Parent {
				t.Errorf("team-0000 parent: got %q, want %q", parent, tc.team0Parent)
			}
		})
	}
}
