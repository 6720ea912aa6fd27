package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/keelson-dev/keelson/catalog/descriptor"
	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/database"
)

// sharedDir returns ../shared beside the repo, skipping the test when it is absent outside CI.
func sharedDir(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "shared")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("../shared is missing in CI: %v", err)
		}
		t.Skipf("../shared not present: %v", err)
	}
	abs, _ := filepath.Abs(dir)
	return abs
}

// offlineTransport keeps tests on this machine: loopback requests go through; the public API
// definitions Backstage's example catalog points at are answered here with a small OpenAPI
// document standing in for them; anything else fails as an unreachable host would.
type offlineTransport struct{}

func (offlineTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	host := r.URL.Hostname()
	if host == "127.0.0.1" || host == "localhost" || host == "::1" {
		return http.DefaultTransport.RoundTrip(r)
	}
	if host != "raw.githubusercontent.com" || !strings.HasPrefix(r.URL.Path, "/APIs-guru/openapi-directory/") {
		return nil, fmt.Errorf("dial tcp: lookup %s: no such host (tests do not leave this machine)", host)
	}
	body := "openapi: 3.0.0\ninfo:\n  title: stand-in for " + r.URL.String() + "\n  version: 1.0.0\npaths: {}\n"
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Header: http.Header{"Content-Type": {"text/yaml"}},
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
}

// newTestService opens a fresh database on backend and a catalog service over it.
func newTestService(t testing.TB, backend string) *Service {
	t.Helper()
	db := database.OpenTest(t, backend)
	fetch := descriptor.NewFetcher(&http.Client{Timeout: 5 * time.Second, Transport: offlineTransport{}}, 10<<20)
	return NewService(db, fetch, nil, slog.New(slog.DiscardHandler), Options{})
}

// ingest registers files as configured locations and reads them all once.
func ingest(t testing.TB, s *Service, files ...string) {
	t.Helper()
	var specs []Spec
	for _, f := range files {
		specs = append(specs, Spec{Type: "file", Target: f})
	}
	ctx := context.Background()
	if err := s.SyncStatic(ctx, specs); err != nil {
		t.Fatalf("sync locations: %v", err)
	}
	if err := s.RefreshAll(ctx); err != nil {
		t.Fatalf("refresh: %v", err)
	}
}

// mustEntity fetches and decodes one entity by ref string.
func mustEntity(t testing.TB, s *Service, ref string) *model.Entity {
	t.Helper()
	r, err := model.ParseRef(ref, model.RefContext{})
	if err != nil {
		t.Fatalf("parse ref %s: %v", ref, err)
	}
	e, err := s.Entity(context.Background(), r)
	if err != nil {
		t.Fatalf("entity %s: %v", ref, err)
	}
	return e
}

// allEntities lists every served entity.
func allEntities(t testing.TB, s *Service) []*model.Entity {
	t.Helper()
	page, err := s.Entities(context.Background(), EntitiesRequest{})
	if err != nil {
		t.Fatalf("entities: %v", err)
	}
	out := make([]*model.Entity, len(page.Items))
	for i, raw := range page.Items {
		out[i] = &model.Entity{}
		if err := json.Unmarshal(raw, out[i]); err != nil {
			t.Fatalf("decode entity: %v", err)
		}
	}
	return out
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
