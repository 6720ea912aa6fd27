package catalog

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// FullTextFilter matches entities whose values of Fields contain Term (case-insensitive).
type FullTextFilter struct {
	Term   string   `json:"term,omitempty"`
	Fields []string `json:"fields,omitempty"`
}

// QueryRequest asks for a page of entities as GET /entities/by-query does: either an initial
// request (filter, order, full-text filter) or a Cursor from a previous page.
type QueryRequest struct {
	Filter     Filter
	Fields     []string
	Limit      *int
	Offset     int
	OrderField *OrderField
	FullText   FullTextFilter
	Cursor     string
}

// QueryResult is a page of entities with the total count and cursors to the pages around it.
type QueryResult struct {
	Items      []json.RawMessage
	TotalItems int
	NextCursor string
	PrevCursor string
}

// queryCursor is the state carried from one page to the next, base64 JSON as in Backstage.
type queryCursor struct {
	OrderFields          []OrderField    `json:"orderFields"`
	OrderFieldValues     []*string       `json:"orderFieldValues,omitempty"`
	Filter               []string        `json:"filter,omitempty"`
	FullTextFilter       *FullTextFilter `json:"fullTextFilter,omitempty"`
	IsPrevious           bool            `json:"isPrevious"`
	FirstSortFieldValues []*string       `json:"firstSortFieldValues,omitempty"`
	TotalItems           *int            `json:"totalItems,omitempty"`
}

func decodeCursor(s string) (*queryCursor, error) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		raw, err = base64.RawURLEncoding.DecodeString(s)
	}
	var c queryCursor
	if err != nil || json.Unmarshal(raw, &c) != nil {
		return nil, inputErrorf("Malformed cursor: could not be parsed")
	}
	if len(c.OrderFields) > 1 {
		return nil, inputErrorf("Malformed cursor: only one order field is supported")
	}
	return &c, nil
}

func encodeCursor(c *queryCursor) string {
	b, _ := json.Marshal(c)
	return base64.StdEncoding.EncodeToString(b)
}

// QueryEntities returns one page of entities with Backstage's cursor semantics: the total is
// counted on the first page and carried in the cursor; the next and previous cursors move by
// the order field's value and then the entity uid.
func (s *Service) QueryEntities(ctx context.Context, req QueryRequest) (*QueryResult, error) {
	// First pages of small size are what lists and dashboards ask for again and again: they
	// are answered from memory until the catalog changes.
	if req.Cursor == "" && req.Limit != nil && *req.Limit <= maxCachedPage {
		key := fmt.Sprintf("%q\x00%q\x00%d\x00%+v\x00%q\x00%q\x00%d", req.Filter.String(), req.Fields, *req.Limit,
			req.OrderField, req.FullText.Term, req.FullText.Fields, req.Offset)
		now := time.Now()
		if res, ok := s.pages.get(key, now); ok {
			return res, nil
		}
		gen := s.gen.current()
		res, err := s.queryEntities(ctx, req)
		if err == nil {
			s.pages.put(key, res, gen, now)
		}
		return res, err
	}
	return s.queryEntities(ctx, req)
}

// maxCachedPage is the largest page QueryEntities keeps in memory.
const maxCachedPage = 50

func (s *Service) queryEntities(ctx context.Context, req QueryRequest) (*QueryResult, error) {
	limit := DefaultQueryLimit
	if req.Limit != nil {
		limit = *req.Limit
	}
	if limit < 0 {
		return nil, inputErrorf("Invalid limit, must be a non-negative integer")
	}
	var c *queryCursor
	if req.Cursor != "" {
		var err error
		if c, err = decodeCursor(req.Cursor); err != nil {
			return nil, err
		}
	} else {
		c = &queryCursor{Filter: req.Filter.String()}
		if req.OrderField != nil {
			c.OrderFields = []OrderField{*req.OrderField}
		}
		if strings.TrimSpace(req.FullText.Term) != "" {
			ft := req.FullText
			c.FullTextFilter = &ft
		}
	}
	filter, err := ParseFilter(c.Filter)
	if err != nil {
		return nil, err
	}
	var sortField *OrderField
	if len(c.OrderFields) == 1 {
		sortField = &c.OrderFields[0]
	}

	// The filtered set, with the sort value of each entity when sorting by a field.
	// The filtered set is ids (and sort values) only: bodies are read for the one page kept.
	inner := s.sqlText().w("SELECT e.id AS id")
	if sortField != nil {
		inner.w(", (SELECT MIN(s.value) FROM search s WHERE s.entity_id = e.id AND s.key = ").arg(strings.ToLower(sortField.Field)).w(") AS sv")
	}
	inner.w(" FROM entities e WHERE ").filter(filter)
	if c.FullTextFilter != nil {
		s.fullText(inner, c.FullTextFilter, sortField)
	}

	total := 0
	if c.TotalItems != nil {
		total = *c.TotalItems
	} else {
		cq := s.sqlText()
		cq.args = inner.args
		cq.w("SELECT COUNT(*) FROM (", inner.b.String(), ") f")
		if total, err = s.cachedCount(ctx, cq); err != nil {
			return nil, err
		}
	}

	desc := sortField != nil && strings.EqualFold(sortField.Order, "desc")
	backwards := c.IsPrevious
	// The canonical order is the sort value (nulls last), then the uid; a previous page walks
	// it in reverse.
	valueDir := "ASC"
	if desc != backwards {
		valueDir = "DESC"
	}
	idDir := "ASC"
	if backwards {
		idDir = "DESC"
	}
	q := s.sqlText()
	q.args = inner.args
	q.w("SELECT f.id")
	if sortField != nil {
		q.w(", f.sv")
	}
	q.w(" FROM (", inner.b.String(), ") f WHERE 1=1")
	if v := c.OrderFieldValues; len(v) > 0 {
		if sortField != nil && len(v) == 2 {
			afterSortValue(q, v[0], v[1], valueDir, backwards)
		} else if v[len(v)-1] != nil {
			q.w(" AND f.id ", comparator(idDir), " ").arg(*v[len(v)-1])
		}
	}
	q.w(" ORDER BY ")
	if sortField != nil {
		if backwards {
			q.w("(f.sv IS NULL) DESC, ")
		} else {
			q.w("(f.sv IS NULL) ASC, ")
		}
		q.w("f.sv ", valueDir, ", ")
	}
	q.w("f.id ", idDir)
	if req.Cursor == "" && req.Offset > 0 {
		q.w(" LIMIT ").arg(limit + 1).w(" OFFSET ").arg(req.Offset)
	} else if backwards {
		q.w(" LIMIT ").arg(limit)
	} else {
		q.w(" LIMIT ").arg(limit + 1)
	}

	type row struct {
		id string
		sv *string
	}
	var rows []row
	if limit > 0 {
		rs, err := query(ctx, s.db.SQL, q)
		if err != nil {
			return nil, err
		}
		for rs.Next() {
			var r row
			dest := []any{&r.id}
			if sortField != nil {
				dest = append(dest, &r.sv)
			}
			if err := rs.Scan(dest...); err != nil {
				rs.Close()
				return nil, fmt.Errorf("catalog: scan entity: %w", err)
			}
			rows = append(rows, r)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, fmt.Errorf("catalog: query entities: %w", err)
		}
	}
	if backwards {
		for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
			rows[i], rows[j] = rows[j], rows[i]
		}
	}
	hasMore := limit > 0 && (backwards || len(rows) > limit)
	if len(rows) > limit {
		rows = rows[:limit]
	}
	values := func(r row) []*string {
		id := r.id
		if sortField != nil {
			return []*string{r.sv, &id}
		}
		return []*string{&id}
	}
	res := &QueryResult{TotalItems: total}
	initial := c.FirstSortFieldValues == nil
	if len(rows) > 0 {
		first := c.FirstSortFieldValues
		if first == nil {
			first = values(rows[0])
		}
		if hasMore {
			next := *c
			next.OrderFieldValues = values(rows[len(rows)-1])
			next.FirstSortFieldValues = first
			next.IsPrevious = false
			next.TotalItems = &total
			res.NextCursor = encodeCursor(&next)
		}
		if !initial && !sameValues(values(rows[0]), c.FirstSortFieldValues) {
			prev := *c
			prev.OrderFieldValues = values(rows[0])
			prev.IsPrevious = true
			prev.TotalItems = &total
			res.PrevCursor = encodeCursor(&prev)
		}
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.id
	}
	bodies, err := s.bodiesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	res.Items, err = project(bodies, req.Fields)
	return res, err
}

// bodiesByID reads the bodies of the given entities, in the order given; an entity removed
// since its id was read is left out.
func (s *Service) bodiesByID(ctx context.Context, ids []string) ([][]byte, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := query(ctx, s.db.SQL, s.sqlText().w("SELECT e.id, e.body FROM entities e WHERE e.id IN ").list(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := make(map[string][]byte, len(ids))
	for rows.Next() {
		var id string
		var body []byte
		if err := rows.Scan(&id, &body); err != nil {
			return nil, fmt.Errorf("catalog: scan entity: %w", err)
		}
		byID[id] = body
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: read entities: %w", err)
	}
	out := make([][]byte, 0, len(ids))
	for _, id := range ids {
		if b, ok := byID[id]; ok {
			out = append(out, b)
		}
	}
	return out, nil
}

// cachedCount runs a COUNT query unless the same count is cached and still valid.
func (s *Service) cachedCount(ctx context.Context, q *sqlText) (int, error) {
	text, args := q.Query()
	key := fmt.Sprintf("%s\x00%q", text, args)
	now := time.Now()
	if n, ok := s.counts.get(key, now); ok {
		return n, nil
	}
	gen := s.gen.current()
	n, err := s.count(ctx, q)
	if err != nil {
		return 0, err
	}
	s.counts.put(key, n, gen, now)
	return n, nil
}

// comparator is the operator that moves past a value in the given direction.
func comparator(dir string) string {
	if dir == "DESC" {
		return "<"
	}
	return ">"
}

// afterSortValue appends the keyset condition that moves past (value, id) in traversal order.
func afterSortValue(q *sqlText, value, id *string, valueDir string, backwards bool) {
	if id == nil {
		return
	}
	idCmp := ">"
	if backwards {
		idCmp = "<"
	}
	if value == nil {
		if backwards {
			q.w(" AND (f.sv IS NOT NULL OR f.id ", idCmp, " ").arg(*id).w(")")
		} else {
			q.w(" AND f.sv IS NULL AND f.id ", idCmp, " ").arg(*id)
		}
		return
	}
	q.w(" AND (f.sv ", comparator(valueDir), " ").arg(*value).w(" OR (f.sv = ").arg(*value).w(" AND f.id ", idCmp, " ").arg(*id).w(")")
	if !backwards {
		q.w(" OR f.sv IS NULL")
	}
	q.w(")")
}

// fullText appends the full-text condition: any of the fields contains the term.
func (s *Service) fullText(q *sqlText, ft *FullTextFilter, sortField *OrderField) {
	term := strings.ToLower(strings.TrimSpace(ft.Term))
	fields := ft.Fields
	if len(fields) == 0 {
		if sortField != nil {
			fields = []string{sortField.Field}
		} else {
			fields = []string{"metadata.uid"}
		}
	}
	lower := make([]string, len(fields))
	for i, f := range fields {
		lower[i] = strings.ToLower(f)
	}
	q.w(" AND e.id IN (SELECT s.entity_id FROM search s WHERE s.key IN ").list(lower).
		w(" AND s.value LIKE ").arg("%" + escapeLike(term) + "%").w(" ESCAPE '\\')")
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

func sameValues(a, b []*string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if (a[i] == nil) != (b[i] == nil) || (a[i] != nil && *a[i] != *b[i]) {
			return false
		}
	}
	return true
}

func (s *Service) count(ctx context.Context, q *sqlText) (int, error) {
	rows, err := query(ctx, s.db.SQL, q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, fmt.Errorf("catalog: scan count: %w", err)
		}
	}
	return n, rows.Err()
}
