// Package database opens Keelson's storage, SQLite or PostgreSQL, and brings its schema up to
// date under a lock so that replicas starting together do not race.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/keelson-dev/keelson/ent"
	"github.com/keelson-dev/keelson/ent/migrate"
)

// DB is an open database: the ent client, the raw handle for hand-tuned statements, and its dialect.
type DB struct {
	Client  *ent.Client
	SQL     *sql.DB
	Dialect string // dialect.SQLite or dialect.Postgres
	URL     string
}

// IsPostgres reports whether the database is PostgreSQL.
func (db *DB) IsPostgres() bool { return db.Dialect == dialect.Postgres }

// Close closes the database.
func (db *DB) Close() error { return db.Client.Close() }

// Open connects to url ("sqlite:PATH", "sqlite::memory:", "postgres://..." or "postgresql://...")
// and migrates the schema.
func Open(ctx context.Context, url string) (*DB, error) {
	db, err := connect(url)
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func connect(url string) (*DB, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		sqldb, err := sql.Open("pgx", url)
		if err != nil {
			return nil, fmt.Errorf("database: open postgres: %w", err)
		}
		sqldb.SetMaxOpenConns(16)
		sqldb.SetMaxIdleConns(16)
		return wrap(sqldb, dialect.Postgres, url), nil
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(url, "sqlite:")
		if path == "" {
			return nil, errors.New("database: sqlite URL needs a path, e.g. sqlite:keelson.db")
		}
		sqldb, err := sql.Open("sqlite", sqliteDSN(path))
		if err != nil {
			return nil, fmt.Errorf("database: open sqlite %s: %w", path, err)
		}
		if path == ":memory:" {
			// Every connection to :memory: is its own database: keep exactly one.
			sqldb.SetMaxOpenConns(1)
		} else {
			sqldb.SetMaxOpenConns(6)
			sqldb.SetMaxIdleConns(6)
		}
		return wrap(sqldb, dialect.SQLite, url), nil
	default:
		return nil, fmt.Errorf("database: unsupported URL %q: expected sqlite:PATH or postgres://HOST/DB", url)
	}
}

func sqliteDSN(path string) string {
	pragmas := "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate&_time_format=sqlite&_pragma=cache_size(-4096)"
	if path == ":memory:" {
		return "file::memory:?" + pragmas
	}
	return "file:" + path + "?" + pragmas + "&_pragma=journal_mode(WAL)"
}

func wrap(sqldb *sql.DB, dia, url string) *DB {
	drv := entsql.OpenDB(dia, sqldb)
	return &DB{Client: ent.NewClient(ent.Driver(drv)), SQL: sqldb, Dialect: dia, URL: url}
}

// migrate creates or upgrades the schema while holding a lock that other replicas wait on.
func (db *DB) migrate(ctx context.Context) error {
	unlock, err := db.lock(ctx, "keelson-migrate")
	if err != nil {
		return err
	}
	defer unlock()
	if err := db.Client.Schema.Create(ctx, migrate.WithDropIndex(true)); err != nil {
		return fmt.Errorf("database: migrate schema: %w", err)
	}
	return nil
}

// lock takes a cross-process lock named name: a PostgreSQL advisory lock held on one
// connection, or an flock on a file beside the SQLite database.
func (db *DB) lock(ctx context.Context, name string) (func(), error) {
	if db.IsPostgres() {
		conn, err := db.SQL.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("database: lock %s: %w", name, err)
		}
		h := fnv.New64a()
		h.Write([]byte(name))
		key := int64(h.Sum64())
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
			conn.Close()
			return nil, fmt.Errorf("database: lock %s: %w", name, err)
		}
		return func() {
			conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key)
			conn.Close()
		}, nil
	}
	path := strings.TrimPrefix(db.URL, "sqlite:")
	if path == ":memory:" {
		return func() {}, nil
	}
	f, err := os.OpenFile(filepath.Clean(path)+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("database: lock %s: %w", name, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("database: lock %s: %w", name, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
