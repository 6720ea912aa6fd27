package descriptor

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzFiles are substitution targets the fuzzed descriptors can name.
var fuzzFiles = map[string]string{
	"a.txt":     "text content\n",
	"b.json":    `{"k": [1, 2.5, "x", null, true]}`,
	"c.yaml":    "base: &b {x: 1}\nm:\n  <<: *b\n  y: [a, b]\n",
	"two.yaml":  "a: 1\n---\nb: 2\n",
	"bomb.yaml": billionLaughs(6),
}

func FuzzDecode(f *testing.F) {
	seeds := []string{
		"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n",
		"a: 1\n...\n---\n# comment\n---\nb: [1, 2]\n",
		"kind: A\nspec:\n  d:\n    $text: ./a.txt\n  j: {$json: b.json}\n  y: {$yaml: ./c.yaml}\n",
		"kind: A\nspec: {$yaml: ./two.yaml}\n---\nkind: B\nx: {$yaml: bomb.yaml}\n",
		"kind: A\nx: {$text: ./missing.txt, other: 1}\ny: {$ref: '#/x'}\n",
		"- a\n---\nstring\n---\n12\n",
		"kind: A\n---\nkind: B\n  bad: indent\n---\nkind: C\n",
		"base: &b {k: v}\nm:\n  <<: [*b, {z: 1}]\n  k: w\n",
		"1: a\n[x, y]: b\n~: c\n? {a: 1}\n: d\n",
		"a: 1\na: 2\n",
		"x: &x [*x]\n",
		"a: &a\n  <<: [*a, *a]\n  k: 1\n",
		billionLaughs(9),
		strings.Repeat("[", 200) + strings.Repeat("]", 200),
		"\ufeffkind: A\r\nb: caf\xe9\n",
		"%YAML 1.2\n---\na: !!binary aGk=\nb: !custom 3\nc: !!float 1\n",
		"a: |\n  ---\n  x\n---\nb: 1\n",
		"{%- if x %}\nkind: A\n",
	}
	seeds = append(seeds, string(garbage(512, 1, false)), string(garbage(512, 2, true)), "kind: A\nx: \x07\n")
	if corpus := corpusDirOptional(); corpus != "" {
		for _, dir := range []string{"wild", "wild-trees", "invalid"} {
			_ = filepath.WalkDir(filepath.Join(corpus, dir), func(p string, e fs.DirEntry, err error) error {
				if err != nil || e.IsDir() || !(strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
					return nil
				}
				if data, err := os.ReadFile(p); err == nil && len(data) < 64<<10 {
					seeds = append(seeds, string(data))
				}
				return nil
			})
		}
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	for name, content := range fuzzFiles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	fetch := Confine(testFetcher(), dir)
	source := filepath.Join(dir, "catalog-info.yaml")
	lim := Limits{MaxFileBytes: 1 << 20, MaxDepth: 100, MaxSubstitutions: 20, MaxNodes: 50_000, MaxTotalBytes: 4 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := Decode(context.Background(), source, data, fetch, lim)
		if err != nil {
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("file error is %T: %v", err, err)
			}
			if de.Source != source || de.Message == "" || de.Line < 0 {
				t.Fatalf("incomplete file error %#v", de)
			}
		}
		last := -1
		for _, d := range docs {
			if d.Index <= last || d.Line < 1 {
				t.Fatalf("document index %d after %d, line %d", d.Index, last, d.Line)
			}
			last = d.Index
			if (d.Err == nil) == (d.Raw == nil) {
				t.Fatalf("document %d: err %v and raw %v", d.Index, d.Err, d.Raw != nil)
			}
			for _, p := range []string{"metadata.name", "spec.x[0]", "a", "a.b", "<<", ""} {
				if l := d.LineOf(p); l < 1 {
					t.Fatalf("LineOf(%q) = %d", p, l)
				}
			}
			if d.Err != nil {
				if d.Err.Message == "" || d.Err.Line < 1 {
					t.Fatalf("document %d: incomplete error %#v", d.Index, d.Err)
				}
				continue
			}
			if _, err := json.Marshal(d.Raw); err != nil {
				t.Fatalf("document %d does not encode as JSON: %v", d.Index, err)
			}
		}
	})
}

// corpusDirOptional returns the corpus directory when present, for seeds.
func corpusDirOptional() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	corpus := filepath.Join(filepath.Dir(dir), "shared", "corpus")
	if _, err := os.Stat(corpus); err != nil {
		return ""
	}
	return corpus
}

func FuzzResolve(f *testing.F) {
	seeds := [][2]string{
		{"/repo/catalog/all.yaml", "./apis.yaml"},
		{"/repo/catalog/", "../x.yaml"},
		{"https://github.com/o/r/blob/main/catalog/all.yaml", "/docs/x.yaml"},
		{"https://gitlab.com/g/p/-/blob/dev/a/b.yaml?ref=1", "../c.yaml#frag"},
		{"https://example.com/a/b.yaml", "//other.host/x"},
		{"http://[::1]:8080/a", "b c%zz"},
		{"/repo/a.yaml", "https://example.com/x"},
		{"C:x", "y"},
		{"", "a.yaml"},
		{"ftp://h/a", "b"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, base, target string) {
		got, err := Resolve(base, target)
		if err != nil {
			if got != "" {
				t.Fatalf("Resolve(%q, %q) = %q with error %v", base, target, got, err)
			}
			return
		}
		if got == "" {
			t.Fatalf("Resolve(%q, %q) returned nothing", base, target)
		}
		if _, ok := parseHTTPURL(base); ok && !isAbsoluteURL(got) {
			t.Fatalf("Resolve(%q, %q) = %q: a URL base must give a URL", base, target, got)
		}
		if !isAbsoluteURL(got) && !filepath.IsAbs(got) {
			t.Fatalf("Resolve(%q, %q) = %q is neither a URL nor an absolute path", base, target, got)
		}
		// A resolved target resolves to itself.
		again, err := Resolve(base, got)
		if err != nil || (again != got && !isAbsoluteURL(got)) {
			t.Fatalf("Resolve(%q, %q) = %q, %v; want %q", base, got, again, err, got)
		}
	})
}
