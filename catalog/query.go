package catalog

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/keelson-dev/keelson/catalog/model"
)

// DefaultQueryLimit is the page size of QueryEntities when none is asked for, as in Backstage.
const DefaultQueryLimit = 200

// OrderField orders results by the value of one search key.
type OrderField struct {
	Field string `json:"field"`
	Order string `json:"order"` // asc or desc
}

// EntitiesRequest asks for entities as GET /entities does.
type EntitiesRequest struct {
	Filter Filter
	Fields []string
	Order  []OrderField
	Offset int
	Limit  int // 0: no limit
	After  string
}

// EntitiesPage is a page of GET /entities; After is the cursor of the next page, if any.
type EntitiesPage struct {
	Items []json.RawMessage
	After string
}

type offsetCursor struct {
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// Entities lists entities with filters, ordering and offset pagination.
func (s *Service) Entities(ctx context.Context, req EntitiesRequest) (*EntitiesPage, error) {
	if req.After != "" {
		var c offsetCursor
		raw, err := base64.StdEncoding.DecodeString(req.After)
		if err != nil || json.Unmarshal(raw, &c) != nil {
			return nil, inputErrorf("Malformed after cursor, could not be parsed")
		}
		req.Limit, req.Offset = c.Limit, c.Offset
	}
	q := s.sqlText().w("SELECT e.body FROM entities e WHERE ").filter(req.Filter).w(" ORDER BY ")
	for _, o := range req.Order {
		q.w("(SELECT MIN(s.value) FROM search s WHERE s.entity_id = e.id AND s.key = ").arg(strings.ToLower(o.Field)).w(") ")
		q.w(direction(o.Order), " NULLS LAST, ")
	}
	if len(req.Order) == 0 {
		q.w("e.ref")
	} else {
		q.w("e.id")
	}
	if req.Limit > 0 {
		q.w(" LIMIT ").arg(req.Limit + 1)
	}
	if req.Offset > 0 {
		if req.Limit <= 0 && !q.pg {
			q.w(" LIMIT -1") // SQLite needs a LIMIT before OFFSET
		}
		q.w(" OFFSET ").arg(req.Offset)
	}
	bodies, err := s.bodies(ctx, q)
	if err != nil {
		return nil, err
	}
	page := &EntitiesPage{}
	if req.Limit > 0 && len(bodies) > req.Limit {
		bodies = bodies[:req.Limit]
		c, _ := json.Marshal(offsetCursor{Limit: req.Limit, Offset: req.Offset + req.Limit})
		page.After = base64.StdEncoding.EncodeToString(c)
	}
	page.Items, err = project(bodies, req.Fields)
	return page, err
}

func direction(order string) string {
	if strings.EqualFold(order, "desc") {
		return "DESC"
	}
	return "ASC"
}

// bodies runs a query whose single column is an entity body.
func (s *Service) bodies(ctx context.Context, q *sqlText) ([][]byte, error) {
	rows, err := query(ctx, s.db.SQL, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, fmt.Errorf("catalog: scan entity: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// EntityByRef returns the stored JSON of one entity.
func (s *Service) EntityByRef(ctx context.Context, ref model.Ref) (json.RawMessage, error) {
	bodies, err := s.bodies(ctx, s.sqlText().w("SELECT e.body FROM entities e WHERE e.ref = ").arg(ref.Key()))
	if err != nil {
		return nil, err
	}
	if len(bodies) == 0 {
		return nil, notFoundf("No entity named '%s' found, with kind '%s' in namespace '%s'", ref.Name, ref.Kind, ref.Namespace)
	}
	return bodies[0], nil
}

// Entity returns one entity decoded.
func (s *Service) Entity(ctx context.Context, ref model.Ref) (*model.Entity, error) {
	body, err := s.EntityByRef(ctx, ref)
	if err != nil {
		return nil, err
	}
	var e model.Entity
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("catalog: decode %s: %w", ref, err)
	}
	return &e, nil
}

// EntityByUID returns the stored JSON of the entity with that metadata.uid.
func (s *Service) EntityByUID(ctx context.Context, uid string) (json.RawMessage, error) {
	bodies, err := s.bodies(ctx, s.sqlText().w("SELECT e.body FROM entities e WHERE e.id = ").arg(uid))
	if err != nil {
		return nil, err
	}
	if len(bodies) == 0 {
		return nil, notFoundf("No entity with uid %s", uid)
	}
	return bodies[0], nil
}

// DeleteEntityByUID removes one entity; if its location still emits it, it returns at the next refresh.
func (s *Service) DeleteEntityByUID(ctx context.Context, uid string) error {
	keys, err := s.keysWhere(ctx, entsql.EQ("id", uid))
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		return notFoundf("No entity with uid %s", uid)
	}
	return s.deleteEntities(ctx, keys)
}

// EntitiesByRefs returns the entities for refs in the same order, with nil where none exists.
func (s *Service) EntitiesByRefs(ctx context.Context, refs []string, fields []string, filter Filter) ([]json.RawMessage, error) {
	found := map[string][]byte{}
	keys := make([]string, len(refs))
	for i, r := range refs {
		ref, err := model.ParseRef(r, model.RefContext{})
		if err != nil {
			return nil, inputErrorf("Invalid entity ref %q: %v", r, err)
		}
		keys[i] = ref.Key()
	}
	for _, batch := range chunks(keys, 500) {
		q := s.sqlText().w("SELECT e.ref, e.body FROM entities e WHERE e.ref IN ").list(batch).w(" AND ").filter(filter)
		rows, err := query(ctx, s.db.SQL, q)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			var b []byte
			if err := rows.Scan(&k, &b); err != nil {
				rows.Close()
				return nil, fmt.Errorf("catalog: scan entity: %w", err)
			}
			found[k] = b
		}
		rows.Close()
	}
	bodies := make([][]byte, len(keys))
	for i, k := range keys {
		bodies[i] = found[k]
	}
	return project(bodies, fields)
}

// AncestryItem is one entity in an ancestry chain with the refs of the entities that emitted it.
type AncestryItem struct {
	Entity           json.RawMessage `json:"entity"`
	ParentEntityRefs []string        `json:"parentEntityRefs"`
}

// Ancestry is the chain of Location entities that led to an entity, as Backstage's
// /entities/by-name/:kind/:namespace/:name/ancestry returns it.
type Ancestry struct {
	RootEntityRef string         `json:"rootEntityRef"`
	Items         []AncestryItem `json:"items"`
}

// EntityAncestry walks from an entity up through the Location entities that emitted it.
func (s *Service) EntityAncestry(ctx context.Context, ref model.Ref) (*Ancestry, error) {
	out := &Ancestry{}
	seen := map[string]bool{}
	key := ref.Key()
	for key != "" && !seen[key] {
		seen[key] = true
		rows, err := query(ctx, s.db.SQL, s.sqlText().w("SELECT e.body, e.parent_key FROM entities e WHERE e.ref = ").arg(key))
		if err != nil {
			return nil, err
		}
		var body []byte
		var parent sql.NullString
		found := rows.Next()
		if found {
			err = rows.Scan(&body, &parent)
		}
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("catalog: scan entity: %w", err)
		}
		if !found {
			if len(out.Items) == 0 {
				return nil, notFoundf("No such entity %s", ref)
			}
			break
		}
		item := AncestryItem{Entity: body, ParentEntityRefs: []string{}}
		if parent.String != "" {
			item.ParentEntityRefs = append(item.ParentEntityRefs, parent.String)
		}
		if len(out.Items) == 0 {
			out.RootEntityRef = key // stored keys are the refs as Backstage stringifies them
		}
		out.Items = append(out.Items, item)
		key = parent.String
	}
	return out, nil
}

// FacetCount is how many entities have one value of a facet.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Facets counts entities by the values of each facet key among those matching filter.
func (s *Service) Facets(ctx context.Context, facets []string, filter Filter) (map[string][]FacetCount, error) {
	out := make(map[string][]FacetCount, len(facets))
	if len(facets) == 0 {
		return out, nil
	}
	lower := make([]string, len(facets))
	for i, f := range facets {
		lower[i] = strings.ToLower(f)
		out[f] = []FacetCount{}
	}
	q := s.sqlText().w("SELECT s.key, s.original_value, COUNT(*) FROM search s JOIN entities e ON e.id = s.entity_id WHERE s.key IN ").
		list(lower).w(" AND s.original_value IS NOT NULL AND ").filter(filter).w(" GROUP BY s.key, s.original_value")
	rows, err := query(ctx, s.db.SQL, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byKey := map[string][]FacetCount{}
	for rows.Next() {
		var key, value string
		var n int
		if err := rows.Scan(&key, &value, &n); err != nil {
			return nil, fmt.Errorf("catalog: scan facet: %w", err)
		}
		byKey[key] = append(byKey[key], FacetCount{Value: value, Count: n})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, f := range facets {
		counts := byKey[lower[i]]
		sort.Slice(counts, func(a, b int) bool { return counts[a].Value < counts[b].Value })
		if counts != nil {
			out[f] = counts
		}
	}
	return out, nil
}

// project keeps only the given dotted fields of each body (all of it when fields is empty);
// a nil body stays null.
func project(bodies [][]byte, fields []string) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, len(bodies))
	for i, b := range bodies {
		if b == nil {
			out[i] = json.RawMessage("null")
			continue
		}
		if len(fields) == 0 {
			out[i] = b
			continue
		}
		var full map[string]any
		if err := json.Unmarshal(b, &full); err != nil {
			return nil, fmt.Errorf("catalog: decode entity: %w", err)
		}
		picked := map[string]any{}
		for _, f := range fields {
			pick(full, picked, strings.Split(f, "."))
		}
		enc, err := json.Marshal(picked)
		if err != nil {
			return nil, fmt.Errorf("catalog: encode entity: %w", err)
		}
		out[i] = enc
	}
	return out, nil
}

// pick copies the value at path from src into dst, creating the objects on the way.
func pick(src, dst map[string]any, path []string) {
	v, ok := src[path[0]]
	if !ok {
		return
	}
	if len(path) == 1 {
		dst[path[0]] = v
		return
	}
	child, ok := v.(map[string]any)
	if !ok {
		return
	}
	sub, _ := dst[path[0]].(map[string]any)
	if sub == nil {
		sub = map[string]any{}
		dst[path[0]] = sub
	}
	pick(child, sub, path[1:])
}

// ParseFields parses the values of repeated `fields` parameters (comma-separated dotted paths).
func ParseFields(params []string) []string {
	var out []string
	for _, p := range params {
		for _, f := range strings.Split(p, ",") {
			if f = strings.TrimSpace(f); f != "" {
				out = append(out, f)
			}
		}
	}
	return out
}
