package database

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// Backends lists the databases a storage test runs on: SQLite always, and PostgreSQL when
// KEELSON_TEST_POSTGRES_URL is set. Under CI (CI non-empty) a missing PostgreSQL URL fails the test.
func Backends(t testing.TB) []string {
	t.Helper()
	names := []string{"sqlite"}
	if os.Getenv("KEELSON_TEST_POSTGRES_URL") != "" {
		names = append(names, "postgres")
	} else if os.Getenv("CI") != "" {
		t.Fatal("KEELSON_TEST_POSTGRES_URL is not set: CI must run the storage tests on PostgreSQL")
	}
	return names
}

// OpenTest opens a fresh, migrated database for a test: a new SQLite file in a temp dir, or a
// new PostgreSQL database created beside the one KEELSON_TEST_POSTGRES_URL names (dropped at cleanup).
func OpenTest(t testing.TB, backend string) *DB {
	t.Helper()
	ctx := context.Background()
	var url string
	switch backend {
	case "sqlite":
		url = "sqlite:" + filepath.Join(t.TempDir(), "keelson.db")
	case "postgres":
		url = createTestPostgres(t)
	default:
		t.Fatalf("unknown backend %q", backend)
	}
	db, err := Open(ctx, url)
	if err != nil {
		t.Fatalf("open %s: %v", backend, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func createTestPostgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv("KEELSON_TEST_POSTGRES_URL")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	name := fmt.Sprintf("keelson_test_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("postgres: create database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return replaceDatabase(base, name)
}

// replaceDatabase swaps the database name in a postgres:// URL.
func replaceDatabase(url, name string) string {
	rest := url
	query := ""
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest, query = rest[:i], rest[i:]
	}
	scheme := strings.Index(rest, "://")
	if j := strings.LastIndexByte(rest, '/'); j > scheme+2 {
		rest = rest[:j]
	}
	return rest + "/" + name + query
}
