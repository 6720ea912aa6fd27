package descriptor

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// newRepoTree builds a checkout-like tree with hidden directories,
// node_modules and a symbolic link loop.
func newRepoTree(t *testing.T) string {
	t.Helper()
	repo := t.TempDir()
	writeFiles(t, repo, map[string]string{
		"catalog-info.yaml":                  "kind: A\n",
		"a/catalog-info.yml":                 "kind: B\n",
		".backstage/catalog-info.yaml":       "kind: C\n",
		".git/catalog-info.yaml":             "kind: D\n",
		"node_modules/pkg/catalog-info.yaml": "kind: E\n",
		"b/other.yaml":                       "kind: F\n",
		"b/c/catalog-info.yaml":              "kind: G\n",
		"b/c/catalog-info.yaml.orig":         "kind: H\n",
		"[id]/catalog-info.yaml":             "kind: I\n",
		"docs/catalog-info.yaml/readme.md":   "not a descriptor\n",
	})
	if err := os.Symlink(repo, filepath.Join(repo, "b", "loop")); err != nil {
		t.Fatal(err)
	}
	return repo
}

func TestExpand(t *testing.T) {
	repo := newRepoTree(t)
	p := func(rel string) string { return filepath.Join(repo, filepath.FromSlash(rel)) }
	tests := []struct {
		name    string
		base    string
		target  string
		want    []string
		wantErr string
	}{
		{
			name:   "directory skips .git and node_modules but not other hidden directories",
			base:   "",
			target: repo,
			want:   []string{p(".backstage/catalog-info.yaml"), p("[id]/catalog-info.yaml"), p("a/catalog-info.yml"), p("b/c/catalog-info.yaml"), p("catalog-info.yaml")},
		},
		{
			name:   "double star skips hidden directories and symbolic links",
			base:   repo,
			target: "**/catalog-info.yaml",
			want:   []string{p("[id]/catalog-info.yaml"), p("b/c/catalog-info.yaml"), p("catalog-info.yaml"), p("node_modules/pkg/catalog-info.yaml")},
		},
		{
			name:   "hidden directory named by the pattern",
			base:   repo,
			target: ".backstage/*.yaml",
			want:   []string{p(".backstage/catalog-info.yaml")},
		},
		{
			name:   "alternatives",
			base:   repo,
			target: "{a,b/c}/catalog-info.{yaml,yml}",
			want:   []string{p("a/catalog-info.yml"), p("b/c/catalog-info.yaml")},
		},
		{
			name:   "character class and single-character wildcard",
			base:   repo,
			target: "[ab]/?/catalog-info.yaml",
			want:   []string{p("b/c/catalog-info.yaml")},
		},
		{
			name:   "existing path with glob characters is a plain path",
			base:   repo,
			target: "[id]/catalog-info.yaml",
			want:   []string{p("[id]/catalog-info.yaml")},
		},
		{
			name:   "relative to a descriptor file",
			base:   p("b/other.yaml"),
			target: "../a/catalog-info.yml",
			want:   []string{p("a/catalog-info.yml")},
		},
		{
			name:   "glob through a symbolic link named in the pattern",
			base:   repo,
			target: "b/loop/a/*.yml",
			want:   []string{p("b/loop/a/catalog-info.yml")},
		},
		{
			name:    "malformed character class",
			base:    repo,
			target:  "**/[a-",
			wantErr: "invalid glob",
		},
		{
			name:    "unsupported scheme",
			base:    repo,
			target:  "ftp://host/catalog-info.yaml",
			wantErr: "unsupported location target",
		},
		{
			name:    "empty target",
			base:    repo,
			target:  "",
			wantErr: "empty location target",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Expand(tc.base, tc.target)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Expand = %q, %v; want error %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Expand: %v", err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Expand(%q, %q)\n got %q\nwant %q", tc.base, tc.target, got, tc.want)
			}
		})
	}
	t.Run("relative to the working directory", func(t *testing.T) {
		t.Chdir(filepath.Join(repo, "b"))
		got, err := Expand("", "c")
		wd, _ := os.Getwd()
		want := []string{filepath.Join(wd, "c", "catalog-info.yaml")}
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("Expand = %q, %v; want %q", got, err, want)
		}
	})
}

func TestConfine(t *testing.T) {
	repo := newRepoTree(t)
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"secret.txt": "secret"})
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(repo, "link.txt")); err != nil {
		t.Fatal(err)
	}
	srv := newCatalogServer(t)
	fetch := Confine(NewFetcher(srv.Client(), 1<<20), repo)
	tests := []struct {
		name   string
		target string
		want   string
		is     error
	}{
		{name: "inside", target: filepath.Join(repo, "b", "other.yaml"), want: "kind: F\n"},
		{name: "outside", target: filepath.Join(outside, "secret.txt"), is: ErrNotAllowed},
		{name: "parent traversal", target: repo + "/b/../../" + filepath.Base(outside) + "/secret.txt", is: ErrNotAllowed},
		{name: "symbolic link out of the root", target: filepath.Join(repo, "link.txt"), is: ErrNotAllowed},
		{name: "missing inside", target: filepath.Join(repo, "missing.yaml"), is: ErrNotFound},
		{name: "URL passes through", target: srv.URL + "/top.txt", want: "top"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := fetch.Fetch(context.Background(), tc.target)
			if tc.is != nil {
				if !errors.Is(err, tc.is) {
					t.Fatalf("Fetch(%s) = %q, %v; want %v", tc.target, data, err, tc.is)
				}
				return
			}
			if err != nil || string(data) != tc.want {
				t.Errorf("Fetch(%s) = %q, %v; want %q", tc.target, data, err, tc.want)
			}
		})
	}
	// A descriptor in the checkout cannot pull the server's files in.
	docs, err := Decode(context.Background(), filepath.Join(repo, "catalog-info.yaml"),
		[]byte("kind: A\nspec:\n  d:\n    $text: ../"+filepath.Base(outside)+"/secret.txt\n"), fetch, DefaultLimits())
	if err != nil || len(docs) != 1 || docs[0].Err == nil || !errors.Is(docs[0].Err, ErrNotAllowed) {
		t.Fatalf("decode: %v %+v", err, docs)
	}
}
