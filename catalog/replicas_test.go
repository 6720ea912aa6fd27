package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/keelson-dev/keelson/catalog/descriptor"
	"github.com/keelson-dev/keelson/database"
)

// TestReplicasShareRefreshWork runs two catalog services on one database: every due location
// is claimed by exactly one of them, and a lease past its time can be taken over.
func TestReplicasShareRefreshWork(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			db := database.OpenTest(t, backend)
			other, err := database.Open(context.Background(), db.URL)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			fetch := descriptor.NewFetcher(&http.Client{Timeout: time.Second}, 1<<20)
			now := time.Now()
			clock := func() time.Time { return now }
			a := NewService(db, fetch, clock, slog.New(slog.DiscardHandler), Options{Replica: "a"})
			b := NewService(other, fetch, clock, slog.New(slog.DiscardHandler), Options{Replica: "b"})

			dir := t.TempDir()
			var specs []Spec
			for i := range 24 {
				f := filepath.Join(dir, fmt.Sprintf("c%02d.yaml", i))
				writeFile(t, f, component(fmt.Sprintf("c%02d", i), "team-a", ""))
				specs = append(specs, Spec{Type: "file", Target: f})
			}
			if err := a.SyncStatic(context.Background(), specs); err != nil {
				t.Fatal(err)
			}

			claims := map[string][]string{}
			var mu sync.Mutex
			var wg sync.WaitGroup
			for _, svc := range []*Service{a, b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						loc, ok, err := svc.claimDue(context.Background())
						if err != nil {
							t.Error(err)
							return
						}
						if !ok {
							return
						}
						mu.Lock()
						claims[loc.ID] = append(claims[loc.ID], svc.opts.Replica)
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if len(claims) != len(specs) {
				t.Fatalf("%d locations claimed, want %d", len(claims), len(specs))
			}
			for id, by := range claims {
				if len(by) != 1 {
					t.Errorf("location %s claimed by %v", id, by)
				}
			}

			// A replica that died leaves leases behind; once they expire another takes over.
			now = now.Add(leaseFor + time.Second)
			loc, ok, err := b.claimDue(context.Background())
			if err != nil || !ok {
				t.Fatalf("expired lease not taken over: ok=%v err=%v", ok, err)
			}
			if err := b.release(context.Background(), loc.ID, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestOrphansDeletedAfterGrace checks that orphans are kept until the grace period ends.
func TestOrphansDeletedAfterGrace(t *testing.T) {
	dir := t.TempDir()
	s := newTestService(t, "sqlite")
	now := time.Now()
	s.clock = func() time.Time { return now.UTC() }
	s.opts.OrphanGrace = time.Hour
	file := filepath.Join(dir, "c.yaml")
	writeFile(t, file, component("keep", "team-a", "")+component("gone", "team-a", ""))
	ingest(t, s, file)
	writeFile(t, file, component("keep", "team-a", ""))
	refresh(t, s)
	if n, err := s.deleteOrphansBefore(context.Background(), now.Add(-s.opts.OrphanGrace)); err != nil || n != 0 {
		t.Fatalf("deleted %d orphans within the grace period (err %v)", n, err)
	}
	if !exists(t, s, "component:default/gone") {
		t.Fatalf("orphan deleted early")
	}
	now = now.Add(2 * time.Hour)
	if n, err := s.deleteOrphansBefore(context.Background(), now.Add(-s.opts.OrphanGrace)); err != nil || n != 1 {
		t.Fatalf("deleted %d orphans after the grace period, want 1 (err %v)", n, err)
	}
	if exists(t, s, "component:default/gone") || !exists(t, s, "component:default/keep") {
		t.Errorf("wrong entities deleted")
	}
}
