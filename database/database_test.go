package database

import (
	"context"
	"sync"
	"testing"
)

func TestOpenMigratesOnEveryBackend(t *testing.T) {
	for _, backend := range Backends(t) {
		t.Run(backend, func(t *testing.T) {
			db := OpenTest(t, backend)
			ctx := context.Background()
			n, err := db.Client.Entity.Query().Count(ctx)
			if err != nil {
				t.Fatalf("count entities: %v", err)
			}
			if n != 0 {
				t.Fatalf("fresh database has %d entities, want 0", n)
			}
			// Migrating again, from several replicas at once, must be a no-op.
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					other, err := Open(ctx, db.URL)
					if err != nil {
						errs <- err
						return
					}
					other.Close()
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("concurrent migrate: %v", err)
			}
		})
	}
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	for _, url := range []string{"mysql://x", "", "sqlite:"} {
		if _, err := Open(context.Background(), url); err == nil {
			t.Errorf("Open(%q) succeeded, want error", url)
		}
	}
}

func TestReplaceDatabase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "postgres://postgres@127.0.0.1:5432/x?sslmode=disable"},
		{"postgres://postgres@127.0.0.1:5432/test", "postgres://postgres@127.0.0.1:5432/x"},
		{"postgres://postgres@127.0.0.1:5432", "postgres://postgres@127.0.0.1:5432/x"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := replaceDatabase(tc.in, "x"); got != tc.want {
				t.Errorf("replaceDatabase = %q, want %q", got, tc.want)
			}
		})
	}
}
