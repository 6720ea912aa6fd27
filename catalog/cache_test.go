package catalog

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/keelson-dev/keelson/database"
)

// TestCachedAnswersFollowWrites checks that cached counts and first pages change with the
// catalog: at once for writes of this process, within cacheTTL for another replica's.
func TestCachedAnswersFollowWrites(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			dir := t.TempDir()
			a := newTestService(t, backend)
			file := filepath.Join(dir, "c.yaml")
			writeFile(t, file, component("one", "team-a", ""))
			ingest(t, a, file)
			ctx := context.Background()
			f, _ := ParseFilter([]string{"kind=component"})
			limit := 10
			total := func(s *Service) int {
				t.Helper()
				res, err := s.QueryEntities(ctx, QueryRequest{Filter: f, Limit: &limit})
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Items) != res.TotalItems {
					t.Fatalf("page of %d items with totalItems %d", len(res.Items), res.TotalItems)
				}
				return res.TotalItems
			}
			if n := total(a); n != 1 {
				t.Fatalf("total = %d, want 1", n)
			}
			writeFile(t, file, component("one", "team-a", "")+component("two", "team-a", ""))
			refresh(t, a)
			if n := total(a); n != 2 {
				t.Errorf("after this process wrote: total = %d, want 2 at once", n)
			}

			// Another replica on the same database.
			b := NewService(a.db, a.fetch, nil, slog.New(slog.DiscardHandler), Options{Replica: "b"})
			if n := total(b); n != 2 {
				t.Fatalf("replica b total = %d", n)
			}
			writeFile(t, file, component("one", "team-a", "")+component("two", "team-a", "")+component("three", "team-a", ""))
			refresh(t, a)
			time.Sleep(cacheTTL + 100*time.Millisecond)
			if n := total(b); n != 3 {
				t.Errorf("replica b total = %d after its cache expired, want 3", n)
			}
		})
	}
}
