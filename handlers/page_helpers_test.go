package handlers

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/catalogtest"
	"github.com/keelson-dev/keelson/catalog/demo"
	"github.com/keelson-dev/keelson/catalog/descriptor"
	"github.com/keelson-dev/keelson/database"
	"github.com/keelson-dev/keelson/static"
)

// demoRoot is where the embedded demo catalog appears to live, as keelson serve mounts it.
const demoRoot = "/keelson/demo/"

// pageServer is the real router over a real database holding the demo catalog and any extra
// files, with a browser-like client that keeps cookies and does not follow redirects.
type pageServer struct {
	t       testing.TB
	srv     *httptest.Server
	catalog *catalog.Service
	client  *http.Client
}

// pageOptions tune a page server: extra descriptor files registered after the demo, and the
// groups whose members are admins.
type pageOptions struct {
	files       []string
	adminGroups []string
	noDemo      bool
}

// newPageServer starts the router with the demo catalog (and opts.files) ingested on backend.
func newPageServer(t testing.TB, backend string, opts pageOptions) *pageServer {
	t.Helper()
	db := database.OpenTest(t, backend)
	svc := pageCatalog(t, db, opts)
	logger := slog.New(slog.DiscardHandler)
	authSvc, err := auth.NewService(auth.Config{AdminGroups: opts.adminGroups}, db, NewDirectory(svc), logger)
	if err != nil {
		t.Fatal(err)
	}
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	e := New(Config{Version: "test", Catalog: svc, Assets: assets, Logger: logger, Auth: authSvc})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &pageServer{t: t, srv: srv, catalog: svc, client: newBrowserClient(t)}
}

// pageCatalog returns a catalog service over db with the demo and opts.files ingested.
func pageCatalog(t testing.TB, db *database.DB, opts pageOptions) *catalog.Service {
	t.Helper()
	files, err := fs.Sub(demo.FS, "files")
	if err != nil {
		t.Fatal(err)
	}
	fetch := catalog.WithEmbedded(descriptor.NewFetcher(&http.Client{Timeout: 5 * time.Second, Transport: catalogtest.OfflineTransport{}}, 10<<20),
		demoRoot, files)
	svc := catalog.NewService(db, fetch, nil, slog.New(slog.DiscardHandler), catalog.Options{})
	var specs []catalog.Spec
	if !opts.noDemo {
		specs = append(specs, catalog.Spec{Type: "file", Target: demoRoot + "catalog-info.yaml"})
	}
	for _, f := range opts.files {
		specs = append(specs, catalog.Spec{Type: "file", Target: f})
	}
	ctx := context.Background()
	if err := svc.SyncStatic(ctx, specs); err != nil {
		t.Fatal(err)
	}
	if err := svc.RefreshAll(ctx); err != nil {
		t.Fatal(err)
	}
	return svc
}

func newBrowserClient(t testing.TB) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// page is one response, parsed.
type page struct {
	status int
	header http.Header
	body   string
	doc    *goquery.Document
}

func (ts *pageServer) do(req *http.Request) page {
	ts.t.Helper()
	res, err := ts.client.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	if err != nil {
		ts.t.Fatal(err)
	}
	return page{status: res.StatusCode, header: res.Header, body: string(b), doc: doc}
}

// get fetches a page as a browser does; extra headers are name, value pairs.
func (ts *pageServer) get(path string, headers ...string) page {
	ts.t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.srv.URL+path, nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return ts.do(req)
}

// mustGet fetches a page and fails the test unless it answers 200.
func (ts *pageServer) mustGet(path string) page {
	ts.t.Helper()
	p := ts.get(path)
	if p.status != http.StatusOK {
		ts.t.Fatalf("GET %s: status %d\n%s", path, p.status, p.doc.Find("main").Text())
	}
	return p
}

// post submits a form with the CSRF token taken from the page at from.
func (ts *pageServer) post(from, path string, form url.Values) page {
	ts.t.Helper()
	token, ok := ts.mustGet(from).doc.Find(`input[name="_csrf"]`).First().Attr("value")
	if !ok {
		ts.t.Fatalf("no CSRF token on %s", from)
	}
	form.Set("_csrf", token)
	req, err := http.NewRequest(http.MethodPost, ts.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Origin", ts.srv.URL)
	return ts.do(req)
}

// signIn signs in as a guest picking the named catalog user.
func (ts *pageServer) signIn(user string) {
	ts.t.Helper()
	p := ts.post(auth.LoginPath, auth.LoginPath, url.Values{"user": {user}, "return_to": {"/"}})
	if p.status != http.StatusSeeOther {
		ts.t.Fatalf("sign in as %s: status %d\n%s", user, p.status, p.doc.Find("main").Text())
	}
}

// texts returns the trimmed text of every match.
func texts(sel *goquery.Selection) []string {
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
	return out
}

// attrs returns an attribute of every match.
func attrs(sel *goquery.Selection, name string) []string {
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) { v, _ := s.Attr(name); out = append(out, v) })
	return out
}

// writeDescriptor writes a descriptor file into dir and returns its path.
func writeDescriptor(t testing.TB, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
