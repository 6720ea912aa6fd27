package demo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// entity is one decoded descriptor with the file it came from.
type entity struct {
	file string
	body map[string]any
}

func (e entity) kind() string { return str(e.body["kind"]) }

func (e entity) name() string { return str(e.metadata()["name"]) }

func (e entity) metadata() map[string]any { return mapping(e.body["metadata"]) }

func (e entity) spec() map[string]any { return mapping(e.body["spec"]) }

// ref is the entity's canonical ref, lowercased for case-insensitive lookups.
func (e entity) ref() string {
	return strings.ToLower(e.kind() + ":default/" + e.name())
}

func (e entity) String() string { return e.file + ": " + e.kind() + ":" + e.name() }

func str(v any) string {
	s, _ := v.(string)
	return s
}

func sliceOf(v any) []any {
	items, _ := v.([]any)
	return items
}

func mapping(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func stringList(v any) []string {
	items, _ := v.([]any)
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, str(it))
	}
	return out
}

// catalog is the demo as read by following Location targets from Root.
type catalog struct {
	entities []entity
	// reached holds every file read: descriptor files and $text targets.
	reached map[string]bool
}

// loadCatalog reads Root and every file its Locations reach, decoding each
// YAML document, and records every $text target it meets.
func loadCatalog(t *testing.T) *catalog {
	t.Helper()
	c := &catalog{reached: map[string]bool{}}
	queue := []string{Root}
	for len(queue) > 0 {
		file := queue[0]
		queue = queue[1:]
		if c.reached[file] {
			t.Fatalf("%s is the target of more than one Location", file)
		}
		c.reached[file] = true
		docs, err := decodeFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, body := range docs {
			e := entity{file: file, body: body}
			c.entities = append(c.entities, e)
			if e.kind() != "Location" {
				continue
			}
			targets := stringList(e.spec()["targets"])
			if target := str(e.spec()["target"]); target != "" {
				targets = append(targets, target)
			}
			if len(targets) == 0 {
				t.Fatalf("%s: Location has no targets", e)
			}
			for _, target := range targets {
				p := path.Join(path.Dir(file), target)
				if _, err := fs.Stat(FS, p); err != nil {
					t.Fatalf("%s: target %s: %v", e, target, err)
				}
				queue = append(queue, p)
			}
		}
	}
	for _, e := range c.entities {
		if p := textTarget(e); p != "" {
			c.reached[p] = true
		}
	}
	return c
}

// textTarget returns the FS path of an API definition given as $text, or "".
func textTarget(e entity) string {
	def := mapping(e.spec()["definition"])
	rel := str(def["$text"])
	if rel == "" {
		return ""
	}
	return path.Join(path.Dir(e.file), rel)
}

// definition returns an API entity's definition text, reading $text targets.
func definition(e entity) (string, error) {
	if s, ok := e.spec()["definition"].(string); ok {
		return s, nil
	}
	p := textTarget(e)
	if p == "" {
		return "", fmt.Errorf("%s: definition is neither a string nor a $text substitution", e)
	}
	b, err := fs.ReadFile(FS, p)
	if err != nil {
		return "", fmt.Errorf("%s: read definition: %w", e, err)
	}
	return string(b), nil
}

// decodeFile decodes every non-empty YAML document of a file in FS.
func decodeFile(file string) ([]map[string]any, error) {
	b, err := fs.ReadFile(FS, file)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var docs []map[string]any
	for i := 1; ; i++ {
		var body map[string]any
		err := dec.Decode(&body)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("decode %s document %d: %w", file, i, err)
		}
		if body != nil {
			docs = append(docs, body)
		}
	}
}
