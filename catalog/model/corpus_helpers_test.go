package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keelson-dev/keelson/catalog/catalogtest"

	"go.yaml.in/yaml/v3"
)

// corpusDir returns ../shared/corpus beside the repository (see catalogtest.SharedDir).
func corpusDir(t *testing.T) string { return filepath.Join(catalogtest.SharedDir(t), "corpus") }

// yamlDoc is one document of a YAML stream; N counts every document, empty ones included.
type yamlDoc struct {
	N    int
	Null bool
	Raw  map[string]any
	// NotMap holds a document that decoded to something other than a mapping.
	NotMap any
}

// readYAML decodes every document of a file. A YAML syntax error ends the stream and is
// returned with the documents read before it.
func readYAML(path string) ([]yamlDoc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	var docs []yamlDoc
	for n := 1; ; n++ {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return docs, fmt.Errorf("decode %s document %d: %w", path, n, err)
		}
		d := yamlDoc{N: n}
		switch x := stringKeys(v).(type) {
		case nil:
			d.Null = true
		case map[string]any:
			d.Raw = x
		default:
			d.NotMap = x
		}
		docs = append(docs, d)
	}
}

// stringKeys converts every mapping to map[string]any.
func stringKeys(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			x[k] = stringKeys(val)
		}
		return x
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[fmt.Sprint(k)] = stringKeys(val)
		}
		return out
	case []any:
		for i, val := range x {
			x[i] = stringKeys(val)
		}
		return x
	}
	return v
}

// remoteStandIn replaces a substitution that points at a URL; the tests do not fetch.
const remoteStandIn = "(remote substitution, not fetched by the model tests)"

// resolvePlaceholders stands in for the ingestion layer's $text/$json/$yaml/$openapi/
// $asyncapi substitution, which Backstage performs before validation: relative targets are
// read from dir, remote ones are replaced by a stand-in string. It returns the targets that
// could not be found.
func resolvePlaceholders(v any, dir string) (any, []string) {
	var missing []string
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			if len(x) == 1 {
				for k, target := range x {
					t, isStr := target.(string)
					if !strings.HasPrefix(k, "$") || !isStr {
						break
					}
					if strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://") {
						return remoteStandIn
					}
					data, err := os.ReadFile(filepath.Join(dir, t))
					if err != nil {
						missing = append(missing, t)
						return x
					}
					switch k {
					case "$text", "$openapi", "$asyncapi":
						return string(data)
					case "$json":
						var out any
						if err := json.Unmarshal(data, &out); err != nil {
							missing = append(missing, t+" (bad JSON)")
							return x
						}
						return out
					case "$yaml":
						var out any
						if err := yaml.Unmarshal(data, &out); err != nil {
							missing = append(missing, t+" (bad YAML)")
							return x
						}
						return stringKeys(out)
					}
				}
			}
			for k, val := range x {
				x[k] = walk(val)
			}
			return x
		case []any:
			for i, val := range x {
				x[i] = walk(val)
			}
			return x
		}
		return v
	}
	return walk(v), missing
}

// problemFields lists the fields of a validation error, or fails the test.
func problemFields(t *testing.T, err error) []string {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *ValidationError", err)
	}
	fields := make([]string, len(ve.Problems))
	for i, p := range ve.Problems {
		fields[i] = p.Field
	}
	return fields
}

// problemMessage returns the message for field, or "".
func problemMessage(err error, field string) string {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return ""
	}
	for _, p := range ve.Problems {
		if p.Field == field {
			return p.Message
		}
	}
	return ""
}
