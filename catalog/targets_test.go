package catalog

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// TestLocationTargets ingests each kind of target a location may name: a glob, a directory,
// an http URL with a relative substitution, and an optional target that is missing.
func TestLocationTargets(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "repos/a/catalog-info.yaml"), component("from-glob-a", "team-a", ""))
	writeFile(t, filepath.Join(dir, "repos/b/deep/catalog-info.yaml"), component("from-glob-b", "team-a", ""))
	writeFile(t, filepath.Join(dir, "repos/b/other.yaml"), component("not-matched", "team-a", ""))
	writeFile(t, filepath.Join(dir, "optional.yaml"), `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: optional-things
spec:
  presence: optional
  targets:
    - ./not-there.yaml
`)
	mux := http.NewServeMux()
	mux.HandleFunc("/org/catalog-info.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: remote-api
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition:
    $text: ./openapi.yaml
`))
	})
	mux.HandleFunc("/org/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("openapi: 3.0.0\ninfo: {title: remote, version: '1'}\npaths: {}\n"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tests := []struct {
		name   string
		target string
		want   []string
		absent []string
	}{
		{name: "glob", target: filepath.Join(dir, "repos/**/catalog-info.yaml"),
			want: []string{"component:default/from-glob-a", "component:default/from-glob-b"}, absent: []string{"component:default/not-matched"}},
		{name: "directory", target: filepath.Join(dir, "repos"),
			want: []string{"component:default/from-glob-a", "component:default/from-glob-b"}, absent: []string{"component:default/not-matched"}},
		{name: "url", target: srv.URL + "/org/catalog-info.yaml", want: []string{"api:default/remote-api"}},
		{name: "optional target missing", target: filepath.Join(dir, "optional.yaml"), want: []string{"location:default/optional-things"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestService(t, "sqlite")
			spec, err := ParseSpec(tc.target)
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.AddLocation(context.Background(), spec, false)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Errors) != 0 {
				t.Errorf("problems: %+v", res.Errors)
			}
			for _, ref := range tc.want {
				if !exists(t, s, ref) {
					t.Errorf("%s not ingested", ref)
				}
			}
			for _, ref := range tc.absent {
				if exists(t, s, ref) {
					t.Errorf("%s ingested, want it left out", ref)
				}
			}
			if tc.name == "url" {
				api := mustEntity(t, s, "api:default/remote-api")
				if def, _ := api.Spec["definition"].(string); !strings.Contains(def, "title: remote") {
					t.Errorf("URL-relative $text not resolved: %q", def)
				}
				if api.Metadata.Annotations[AnnotationViewURL] != spec.Target {
					t.Errorf("view-url = %q", api.Metadata.Annotations[AnnotationViewURL])
				}
			}
		})
	}
}
