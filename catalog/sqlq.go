package catalog

import (
	"context"
	"database/sql"
	"fmt"

	entsql "entgo.io/ent/dialect/sql"
)

// execer runs hand-written statements; both *sql.DB and *sql.Tx satisfy it.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// querier is an ent SQL builder that renders to a statement and its arguments.
type querier interface {
	Query() (string, []any)
}

// builder returns an ent SQL builder for the service's dialect, so statements use the right
// placeholders on SQLite and PostgreSQL.
func (s *Service) builder() *entsql.DialectBuilder { return entsql.Dialect(s.db.Dialect) }

func exec(ctx context.Context, x execer, q querier) error {
	query, args := q.Query()
	if _, err := x.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("catalog: %s: %w", firstWords(query), err)
	}
	return nil
}

func query(ctx context.Context, x execer, q querier) (*sql.Rows, error) {
	query, args := q.Query()
	rows, err := x.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("catalog: %s: %w", firstWords(query), err)
	}
	return rows, nil
}

func firstWords(q string) string {
	if len(q) > 60 {
		return q[:60] + "..."
	}
	return q
}

// chunks splits keys into batches small enough for any database's parameter limit.
func chunks[T any](items []T, size int) [][]T {
	var out [][]T
	for len(items) > size {
		out = append(out, items[:size])
		items = items[size:]
	}
	if len(items) > 0 {
		out = append(out, items)
	}
	return out
}

func anys[T any](items []T) []any {
	out := make([]any, len(items))
	for i, v := range items {
		out[i] = v
	}
	return out
}
