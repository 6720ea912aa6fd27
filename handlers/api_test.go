package handlers

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/catalogtest"
	"github.com/keelson-dev/keelson/catalog/descriptor"
	"github.com/keelson-dev/keelson/database"
	"github.com/keelson-dev/keelson/static"
)

// testServer is the real router over a real database holding the given files.
type testServer struct {
	t       testing.TB
	srv     *httptest.Server
	catalog *catalog.Service
	// token is a write-scoped API token that do sends with every request but GET and HEAD.
	token string
}

func newTestServer(t testing.TB, backend string, files ...string) *testServer {
	t.Helper()
	db := database.OpenTest(t, backend)
	fetch := descriptor.NewFetcher(&http.Client{Timeout: 5 * time.Second, Transport: catalogtest.OfflineTransport{}}, 10<<20)
	metrics := NewMetrics()
	svc := catalog.NewService(db, fetch, nil, slog.New(slog.DiscardHandler), catalog.Options{Observer: metrics})
	var specs []catalog.Spec
	for _, f := range files {
		specs = append(specs, catalog.Spec{Type: "file", Target: f})
	}
	if err := svc.SyncStatic(context.Background(), specs); err != nil {
		t.Fatal(err)
	}
	if err := svc.RefreshAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	authSvc, err := auth.NewService(auth.Config{}, db, NewDirectory(svc), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	admin := auth.Identity{Kind: auth.KindUser, Ref: "user:default/test-admin", Role: auth.RoleAdmin}
	tok, err := authSvc.CreateToken(context.Background(), admin, "api tests", auth.ScopeWrite)
	if err != nil {
		t.Fatal(err)
	}
	e := New(Config{Version: "test", Catalog: svc, Assets: assets, Logger: slog.New(slog.DiscardHandler), Auth: authSvc, Metrics: metrics})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &testServer{t: t, srv: srv, catalog: svc, token: tok.Plaintext}
}

// do sends a request and returns the status, headers and body.
func (ts *testServer) do(method, path, body string) (int, http.Header, []byte) {
	ts.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.srv.URL+path, r)
	if err != nil {
		ts.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if method != http.MethodGet && method != http.MethodHead {
		req.Header.Set("Authorization", "Bearer "+ts.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

func examples(t testing.TB) []string { return catalogtest.Examples(t) }
