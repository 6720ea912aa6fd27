package catalog

import (
	"strconv"
	"strings"
)

// sqlText builds one hand-written statement with the placeholders of the database at hand.
type sqlText struct {
	pg   bool
	b    strings.Builder
	args []any
}

func (s *Service) sqlText() *sqlText { return &sqlText{pg: s.db.IsPostgres()} }

// w appends literal SQL.
func (q *sqlText) w(parts ...string) *sqlText {
	for _, p := range parts {
		q.b.WriteString(p)
	}
	return q
}

// arg appends a placeholder bound to v.
func (q *sqlText) arg(v any) *sqlText {
	q.args = append(q.args, v)
	if q.pg {
		q.b.WriteString("$" + strconv.Itoa(len(q.args)))
	} else {
		q.b.WriteString("?")
	}
	return q
}

// list appends "(p1, p2, ...)" bound to vs.
func (q *sqlText) list(vs []string) *sqlText {
	q.b.WriteString("(")
	for i, v := range vs {
		if i > 0 {
			q.b.WriteString(", ")
		}
		q.arg(v)
	}
	q.b.WriteString(")")
	return q
}

// Query returns the statement and its arguments.
func (q *sqlText) Query() (string, []any) { return q.b.String(), q.args }

// columnKeys are search keys that have a lower-cased column of their own on entities, so the
// most common filters need no subquery.
var columnKeys = map[string]string{
	"kind":               "e.kind",
	"metadata.namespace": "e.namespace",
	"metadata.name":      "e.name",
}

// where appends the filter as SQL over the entities table aliased e.
func (q *sqlText) filter(f Filter) *sqlText {
	if f.Empty() {
		return q.w("1=1")
	}
	q.w("(")
	for i, all := range f.AnyOf {
		if i > 0 {
			q.w(" OR ")
		}
		q.w("(")
		for j, c := range all {
			if j > 0 {
				q.w(" AND ")
			}
			q.condition(c)
		}
		q.w(")")
	}
	return q.w(")")
}

func (q *sqlText) condition(c Condition) {
	key := strings.ToLower(c.Key)
	values := make([]string, len(c.Values))
	for i, v := range c.Values {
		values[i] = strings.ToLower(v)
	}
	if col, ok := columnKeys[key]; ok {
		if len(values) == 0 {
			q.w("1=1")
			return
		}
		q.w(col, " IN ").list(values)
		return
	}
	q.w("e.id IN (SELECT s.entity_id FROM search s WHERE s.key = ").arg(key)
	if len(values) > 0 {
		q.w(" AND s.value IN ").list(values)
	}
	q.w(")")
}
