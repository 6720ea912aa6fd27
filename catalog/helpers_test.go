package catalog

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/keelson-dev/keelson/catalog/catalogtest"
	"github.com/keelson-dev/keelson/catalog/descriptor"
	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/database"
)

func sharedDir(t testing.TB) string { return catalogtest.SharedDir(t) }

// newTestService opens a fresh database on backend and a catalog service over it.
func newTestService(t testing.TB, backend string) *Service {
	t.Helper()
	db := database.OpenTest(t, backend)
	fetch := descriptor.NewFetcher(&http.Client{Timeout: 5 * time.Second, Transport: catalogtest.OfflineTransport{}}, 10<<20)
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
