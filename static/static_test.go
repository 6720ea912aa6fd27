package static

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func TestPath(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	tests := []struct {
		name    string
		in      string
		pattern string
	}{
		{name: "stylesheet", in: "css/app.css", pattern: `^/static/css/app\.[0-9a-f]{8}\.css$`},
		{name: "double extension", in: "js/htmx.min.js", pattern: `^/static/js/htmx\.min\.[0-9a-f]{8}\.js$`},
		{name: "leading slash", in: "/js/app.js", pattern: `^/static/js/app\.[0-9a-f]{8}\.js$`},
		{name: "unknown stays unhashed", in: "css/missing.css", pattern: `^/static/css/missing\.css$`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := a.Path(tc.in)
			if !regexp.MustCompile(tc.pattern).MatchString(got) {
				t.Errorf("Path(%q) = %q, want match %s", tc.in, got, tc.pattern)
			}
		})
	}
}

func TestHashChangesWithContent(t *testing.T) {
	one, err := newFromFS(fstest.MapFS{"css/app.css": {Data: []byte("a{}")}})
	if err != nil {
		t.Fatal(err)
	}
	two, err := newFromFS(fstest.MapFS{"css/app.css": {Data: []byte("b{}")}})
	if err != nil {
		t.Fatal(err)
	}
	if one.Path("css/app.css") == two.Path("css/app.css") {
		t.Errorf("different content, same URL %s", one.Path("css/app.css"))
	}
}

func TestHandler(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h := a.Handler()
	tests := []struct {
		name        string
		method      string
		path        string
		wantStatus  int
		wantType    string
		wantCache   string
		wantContain string
	}{
		{name: "hashed css", method: http.MethodGet, path: a.Path("css/app.css"), wantStatus: 200,
			wantType: "text/css; charset=utf-8", wantCache: immutable, wantContain: "--accent"},
		{name: "hashed htmx", method: http.MethodGet, path: a.Path("js/htmx.min.js"), wantStatus: 200,
			wantType: "text/javascript; charset=utf-8", wantCache: immutable, wantContain: "htmx"},
		{name: "hashed svg", method: http.MethodGet, path: a.Path("img/favicon.svg"), wantStatus: 200,
			wantType: "image/svg+xml", wantCache: immutable, wantContain: "<svg"},
		{name: "head", method: http.MethodHead, path: a.Path("js/app.js"), wantStatus: 200,
			wantType: "text/javascript; charset=utf-8", wantCache: immutable},
		{name: "unhashed name", method: http.MethodGet, path: "/static/css/app.css", wantStatus: 404},
		{name: "stale hash", method: http.MethodGet, path: "/static/css/app.00000000.css", wantStatus: 404},
		{name: "outside prefix", method: http.MethodGet, path: "/css/app.css", wantStatus: 404},
		{name: "post", method: http.MethodPost, path: a.Path("css/app.css"), wantStatus: 405},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
			res := rec.Result()
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tc.wantStatus {
				t.Fatalf("status = %d, want %d", res.StatusCode, tc.wantStatus)
			}
			if got := res.Header.Get("Content-Type"); tc.wantType != "" && got != tc.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tc.wantType)
			}
			if got := res.Header.Get("Cache-Control"); got != tc.wantCache {
				t.Errorf("Cache-Control = %q, want %q", got, tc.wantCache)
			}
			if tc.wantContain != "" && !strings.Contains(string(body), tc.wantContain) {
				t.Errorf("body does not contain %q", tc.wantContain)
			}
		})
	}
}

func TestHandlerNotModified(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	path := a.Path("css/app.css")
	first := httptest.NewRecorder()
	a.Handler().ServeHTTP(first, httptest.NewRequest(http.MethodGet, path, nil))
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("If-None-Match", etag)
	second := httptest.NewRecorder()
	a.Handler().ServeHTTP(second, req)
	if second.Code != http.StatusNotModified {
		t.Errorf("status = %d, want 304", second.Code)
	}
}

func TestNames(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	want := []string{"css/app.css", "img/favicon.svg", "js/app.js", "js/htmx.min.js"}
	got := a.Names()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Names() = %v, want %v", got, want)
	}
}

// TestVendoredFiles pins third-party files to the checksums recorded in
// README.md, so a changed copy cannot slip in unnoticed.
func TestVendoredFiles(t *testing.T) {
	tests := []struct {
		name   string
		sha256 string
	}{
		{name: "js/htmx.min.js", sha256: "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, err := fs.ReadFile(files, tc.name)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(body)
			if got := hex.EncodeToString(sum[:]); got != tc.sha256 {
				t.Errorf("sha256 = %s, want %s", got, tc.sha256)
			}
		})
	}
}
