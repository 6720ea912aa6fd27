package descriptor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// newCatalogServer serves a small descriptor tree over HTTP on 127.0.0.1.
func newCatalogServer(t *testing.T) *httptest.Server {
	t.Helper()
	files := map[string]string{
		"/repo/catalog/catalog-info.yaml": "kind: API\nmetadata:\n  name: pets\nspec:\n  definition:\n    $text: ./openapi.yaml\n" +
			"  schema:\n    $json: ../schemas/pets.json\n  rooted:\n    $text: /top.txt\n---\nkind: API\nspec:\n  definition:\n    $text: ./gone.yaml\n",
		"/repo/catalog/openapi.yaml": "openapi: 3.1.0\n",
		"/repo/schemas/pets.json":    `{"type": "object", "count": 3}`,
		"/top.txt":                   "top",
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if body, ok := files[r.URL.Path]; ok {
			fmt.Fprint(w, body)
			return
		}
		http.NotFound(w, r)
	})
	mux.HandleFunc("/error", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("/huge-declared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "5000")
		fmt.Fprint(w, strings.Repeat("x", 5000))
	})
	mux.HandleFunc("/huge-streamed", func(w http.ResponseWriter, r *http.Request) {
		for range 50 {
			fmt.Fprint(w, strings.Repeat("x", 100))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestDecodeFromURL(t *testing.T) {
	srv := newCatalogServer(t)
	source := srv.URL + "/repo/catalog/catalog-info.yaml"
	fetch := NewFetcher(srv.Client(), 1<<20)
	data, err := fetch.Fetch(context.Background(), source)
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	docs, err := Decode(context.Background(), source, data, fetch, DefaultLimits())
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	assertDocs(t, docs, []docWant{
		{index: 0, line: 1, raw: map[string]any{"kind": "API", "metadata": map[string]any{"name": "pets"}, "spec": map[string]any{
			"definition": "openapi: 3.1.0\n",
			"schema":     map[string]any{"type": "object", "count": int64(3)},
			"rooted":     "top",
		}}},
		{index: 1, line: 12, field: "spec.definition", eline: 15,
			err: "Placeholder $text could not read location ./gone.yaml, NotFoundError: could not read " + srv.URL + "/repo/catalog/gone.yaml, 404 Not Found: not found"},
	})
	if !errors.Is(docs[1].Err, ErrNotFound) {
		t.Errorf("missing URL does not wrap ErrNotFound: %v", docs[1].Err)
	}
}

func TestFetchURLFailures(t *testing.T) {
	srv := newCatalogServer(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	client := &http.Client{Timeout: 200 * time.Millisecond}
	tests := []struct {
		name   string
		target string
		is     error
		want   string
	}{
		{name: "not found", target: srv.URL + "/nothing.yaml", is: ErrNotFound, want: "404 Not Found"},
		{name: "server error", target: srv.URL + "/error", want: "500 Internal Server Error"},
		{name: "declared too large", target: srv.URL + "/huge-declared", is: ErrTooLarge, want: "5000 bytes, more than the limit of 1000 bytes"},
		{name: "streamed too large", target: srv.URL + "/huge-streamed", is: ErrTooLarge, want: "more than the limit of 1000 bytes"},
		{name: "unreachable", target: closedURL + "/catalog-info.yaml", want: "connection refused"},
		{name: "client timeout", target: srv.URL + "/slow", want: "Client.Timeout exceeded"},
	}
	fetch := NewFetcher(client, 1000)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := fetch.Fetch(context.Background(), tc.target)
			if err == nil {
				t.Fatalf("no error, got %d bytes", len(data))
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
	t.Run("unreachable substitution fails only its document", func(t *testing.T) {
		input := "kind: A\nspec:\n  d:\n    $text: " + closedURL + "/x.yaml\n---\nkind: B\n"
		docs, err := Decode(context.Background(), srv.URL+"/c.yaml", []byte(input), fetch, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		assertDocs(t, docs, []docWant{
			{index: 0, line: 1, field: "spec.d", eline: 4, err: "Placeholder $text could not read location " + closedURL + "/x.yaml, Error: could not read"},
			{index: 1, line: 6, raw: map[string]any{"kind": "B"}},
		})
	})
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		docs, err := Decode(ctx, srv.URL+"/c.yaml", []byte("kind: A\n"), fetch, DefaultLimits())
		if len(docs) != 0 || !errors.Is(err, context.Canceled) {
			t.Errorf("docs %d, err %v", len(docs), err)
		}
	})
}

func TestFetchFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"small.yaml": "kind: A\n", "big.yaml": strings.Repeat("x", 2000)})
	fetch := NewFetcher(nil, 1000)
	tests := []struct {
		name   string
		target string
		is     error
		want   string
	}{
		{name: "missing", target: filepath.Join(dir, "nope.yaml"), is: ErrNotFound, want: "nope.yaml, not found"},
		{name: "too large", target: filepath.Join(dir, "big.yaml"), is: ErrTooLarge, want: "2000 bytes, more than the limit of 1000 bytes"},
		{name: "directory", target: dir, want: "not a regular file"},
		{name: "relative path", target: "small.yaml", want: "want an absolute file path or an http(s) URL"},
		{name: "file URL", target: "file://" + filepath.Join(dir, "small.yaml"), want: "want an absolute file path or an http(s) URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fetch.Fetch(context.Background(), tc.target)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
	data, err := fetch.Fetch(context.Background(), filepath.Join(dir, "small.yaml"))
	if err != nil || string(data) != "kind: A\n" {
		t.Errorf("read small file: %q %v", data, err)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, err := fetch.Fetch(context.Background(), "/dev/zero"); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("/dev/zero: %v", err)
		}
	}
}

func TestRawURL(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{in: "https://github.com/o/r/blob/main/catalog-info.yaml", want: "https://raw.githubusercontent.com/o/r/main/catalog-info.yaml"},
		{in: "https://github.com/o/r/blob/v1.2/a/b%20c.yaml", want: "https://raw.githubusercontent.com/o/r/v1.2/a/b%20c.yaml"},
		{in: "https://gitlab.com/g/sub/p/-/blob/main/x.yaml?ref_type=heads", want: "https://gitlab.com/g/sub/p/-/raw/main/x.yaml?ref_type=heads"},
		{in: "https://git.example.com/g/p/-/blob/main/x.yaml", want: "https://git.example.com/g/p/-/raw/main/x.yaml"},
		{in: "https://github.com/o/r/tree/main/docs", want: "https://github.com/o/r/tree/main/docs"},
		{in: "https://example.com/catalog-info.yaml", want: "https://example.com/catalog-info.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			u, err := url.Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := rawURL(u).String(); got != tc.want {
				t.Errorf("rawURL(%s) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name    string
		base    string
		target  string
		want    string
		wantErr string
	}{
		{name: "file sibling", base: "/repo/catalog/all.yaml", target: "./apis.yaml", want: "/repo/catalog/apis.yaml"},
		{name: "file parent", base: "/repo/catalog/all.yaml", target: "../x/y.yaml", want: "/repo/x/y.yaml"},
		{name: "file bare name", base: "/repo/catalog/all.yaml", target: "apis/a.yaml", want: "/repo/catalog/apis/a.yaml"},
		{name: "directory base", base: "/repo/catalog/", target: "a.yaml", want: "/repo/catalog/a.yaml"},
		{name: "absolute path", base: "/repo/catalog/all.yaml", target: "/etc/../srv/x.yaml", want: "/srv/x.yaml"},
		{name: "absolute URL verbatim", base: "/repo/all.yaml", target: "https://example.com/a.yaml", want: "https://example.com/a.yaml"},
		{name: "URL sibling", base: "https://example.com/a/b/c.yaml", target: "./d.yaml", want: "https://example.com/a/b/d.yaml"},
		{name: "URL parent", base: "https://example.com/a/b/c.yaml", target: "../d.yaml", want: "https://example.com/a/d.yaml"},
		{name: "URL host root", base: "https://example.com/a/b/c.yaml", target: "/d.yaml", want: "https://example.com/d.yaml"},
		{name: "URL keeps the base query", base: "https://gitlab.com/g/p/-/blob/main/c.yaml?ref_type=heads", target: "./d.yaml", want: "https://gitlab.com/g/p/-/blob/main/d.yaml?ref_type=heads"},
		{name: "GitHub blob sibling", base: "https://github.com/o/r/blob/main/catalog/all.yaml", target: "./apis/x.yaml", want: "https://github.com/o/r/blob/main/catalog/apis/x.yaml"},
		{name: "GitHub repository root", base: "https://github.com/o/r/blob/main/catalog/all.yaml", target: "/docs/x.yaml", want: "https://github.com/o/r/blob/main/docs/x.yaml"},
		{name: "GitLab repository root", base: "https://gitlab.com/g/sub/p/-/blob/dev/a/b.yaml", target: "/x.yaml", want: "https://gitlab.com/g/sub/p/-/blob/dev/x.yaml"},
		{name: "URL with space", base: "https://example.com/a/c.yaml", target: "./my file.yaml", want: "https://example.com/a/my%20file.yaml"},
		{name: "empty target", base: "/repo/a.yaml", target: "", wantErr: "empty target"},
		{name: "relative without base", base: "", target: "a.yaml", wantErr: "without a base"},
		{name: "unsupported base scheme", base: "ftp://host/a.yaml", target: "b.yaml", wantErr: "only http(s) URLs and file paths"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Resolve(tc.base, tc.target)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Resolve(%q, %q) = %q, %v; want error %q", tc.base, tc.target, got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("Resolve(%q, %q) = %q, %v; want %q", tc.base, tc.target, got, err, tc.want)
			}
		})
	}
}

// TestLoopbackOnly makes sure the tests' transport cannot reach the network.
func TestLoopbackOnly(t *testing.T) {
	_, err := testFetcher().Fetch(context.Background(), "https://example.com/x.yaml")
	if err == nil || !strings.Contains(err.Error(), "tests only reach 127.0.0.1") {
		t.Errorf("fetch of a public URL: %v", err)
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		t.Errorf("a network operation happened: %v", opErr)
	}
}
