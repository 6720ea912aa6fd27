package catalog

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/google/uuid"

	"github.com/keelson-dev/keelson/catalog/model"
)

// stitcher collects, within one transaction, the entities whose stored body must be rebuilt
// from their processed form, relations and processing errors, and writes them once at the end.
type stitcher struct {
	s       *Service
	tx      *sql.Tx
	now     time.Time
	mem     map[string]*pending
	touched map[string]bool
}

// pending is a processed entity about to be written, with its stored row (nil when new).
type pending struct {
	p   *processed
	row *storedRow
}

// stitchInput is everything a stored body is built from.
type stitchInput struct {
	id        string
	key       string
	entity    *model.Entity
	processed []byte
	etag      string
	orphan    bool
	pending   *pending // nil for entities loaded from the database
}

func newStitcher(s *Service, tx *sql.Tx, now time.Time) *stitcher {
	return &stitcher{s: s, tx: tx, now: now, mem: map[string]*pending{}, touched: map[string]bool{}}
}

func (st *stitcher) put(p *processed, row *storedRow) {
	st.mem[p.key] = &pending{p: p, row: row}
	st.touched[p.key] = true
}

func (st *stitcher) touch(key string) { st.touched[key] = true }

// replaceRelations swaps the relations the given entities emit for their new ones.
func (st *stitcher) replaceRelations(ctx context.Context, changed []*processed) error {
	keys := make([]string, len(changed))
	for i, p := range changed {
		keys[i] = p.key
	}
	for _, batch := range chunks(keys, 500) {
		if err := st.dropRelations(ctx, batch); err != nil {
			return err
		}
	}
	// Rows are inserted as they are made, a statement at a time, so a large location never
	// holds all its relations in memory at once.
	const perStatement = 400
	var ins *entsql.InsertBuilder
	n := 0
	flushRows := func() error {
		if n == 0 {
			return nil
		}
		err := exec(ctx, st.tx, ins)
		ins, n = nil, 0
		return err
	}
	for _, p := range changed {
		seen := map[string]bool{}
		for _, r := range p.relations {
			source, target := r.Source.Key(), r.Target.Key()
			id := source + "\x00" + r.Type + "\x00" + target
			if seen[id] {
				continue
			}
			seen[id] = true
			st.touch(source)
			if ins == nil {
				ins = st.s.builder().Insert("relations").Columns("source_key", "type", "target_key", "target_ref", "origin_key")
			}
			ins.Values(source, r.Type, target, r.Target.String(), p.key)
			if n++; n == perStatement {
				if err := flushRows(); err != nil {
					return err
				}
			}
		}
	}
	return flushRows()
}

// dropRelations deletes the relations the given entities emitted and marks the entities on
// both ends for stitching.
func (st *stitcher) dropRelations(ctx context.Context, originKeys []string) error {
	rows, err := query(ctx, st.tx, st.s.builder().Select("source_key").Distinct().From(entsql.Table("relations")).
		Where(entsql.In("origin_key", anys(originKeys)...)))
	if err != nil {
		return err
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return fmt.Errorf("catalog: scan relation: %w", err)
		}
		st.touch(k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("catalog: read relations: %w", err)
	}
	return exec(ctx, st.tx, st.s.builder().Delete("relations").Where(entsql.In("origin_key", anys(originKeys)...)))
}

// flush rebuilds and writes every touched entity, returning how many rows it wrote.
func (st *stitcher) flush(ctx context.Context, locationID string) (int, error) {
	keys := make([]string, 0, len(st.touched))
	for k := range st.touched {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	written := 0
	for _, batch := range chunks(keys, 500) {
		n, err := st.flushBatch(ctx, locationID, batch)
		if err != nil {
			return written, err
		}
		written += n
	}
	return written, nil
}

func (st *stitcher) flushBatch(ctx context.Context, locationID string, keys []string) (int, error) {
	inputs, err := st.inputs(ctx, keys)
	if err != nil {
		return 0, err
	}
	if len(inputs) == 0 {
		return 0, nil
	}
	present := make([]string, 0, len(inputs))
	for _, in := range inputs {
		present = append(present, in.key)
	}
	relations, err := st.relationsOf(ctx, present)
	if err != nil {
		return 0, err
	}
	statuses, err := st.statusesOf(ctx, present)
	if err != nil {
		return 0, err
	}
	var search [][]any
	var replaced []string
	written := 0
	for _, in := range inputs {
		e := in.entity
		e.Metadata.UID = in.id
		e.Relations = relations[in.key]
		e.Status = withKindWarning(e, statuses[in.key])
		if in.orphan {
			annotations := make(map[string]string, len(e.Metadata.Annotations)+1)
			for k, v := range e.Metadata.Annotations {
				annotations[k] = v
			}
			annotations[AnnotationOrphan] = "true"
			e.Metadata.Annotations = annotations
		}
		etag := etagOf(in.processed, e.Relations, e.Status, in.orphan)
		if in.pending == nil && etag == in.etag {
			continue
		}
		e.Metadata.Etag = etag
		body, err := json.Marshal(e)
		if err != nil {
			return written, fmt.Errorf("catalog: encode %s: %w", in.key, err)
		}
		hasErrors := hasErrorItems(e.Status)
		if err := st.write(ctx, locationID, in, body, etag, hasErrors); err != nil {
			return written, err
		}
		if in.pending == nil || in.pending.row != nil {
			replaced = append(replaced, in.id)
		}
		for _, r := range model.Search(e) {
			search = append(search, []any{in.id, r.Key, nullable(r.Value), nullable(r.OriginalValue)})
		}
		written++
	}
	for _, batch := range chunks(replaced, 500) {
		if err := exec(ctx, st.tx, st.s.builder().Delete("search").Where(entsql.In("entity_id", anys(batch)...))); err != nil {
			return written, err
		}
	}
	for _, batch := range chunks(search, 500) {
		ins := st.s.builder().Insert("search").Columns("entity_id", "key", "value", "original_value")
		for _, v := range batch {
			ins.Values(v...)
		}
		if err := exec(ctx, st.tx, ins); err != nil {
			return written, err
		}
	}
	return written, nil
}

func nullable(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// inputs gathers what each key's body is built from: the pending write, or the stored row.
func (st *stitcher) inputs(ctx context.Context, keys []string) ([]*stitchInput, error) {
	var out []*stitchInput
	var load []string
	for _, k := range keys {
		pd, ok := st.mem[k]
		if !ok {
			load = append(load, k)
			continue
		}
		id := newUID()
		if pd.row != nil {
			id = pd.row.id
		}
		e, err := pd.p.decode()
		if err != nil {
			return nil, err
		}
		out = append(out, &stitchInput{id: id, key: k, entity: e, processed: pd.p.json, pending: pd})
	}
	if len(load) == 0 {
		return out, nil
	}
	rows, err := query(ctx, st.tx, st.s.builder().Select("id", "ref", "processed", "etag", "orphan").
		From(entsql.Table("entities")).Where(entsql.In("ref", anys(load)...)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		in := &stitchInput{}
		if err := rows.Scan(&in.id, &in.key, &in.processed, &in.etag, &in.orphan); err != nil {
			return nil, fmt.Errorf("catalog: scan entity: %w", err)
		}
		in.entity = &model.Entity{}
		if err := json.Unmarshal(in.processed, in.entity); err != nil {
			return nil, fmt.Errorf("catalog: decode stored %s: %w", in.key, err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// relationsOf loads the relations each entity is the source of, sorted and without duplicates.
func (st *stitcher) relationsOf(ctx context.Context, keys []string) (map[string][]model.Relation, error) {
	rows, err := query(ctx, st.tx, st.s.builder().Select("source_key", "type", "target_ref").Distinct().
		From(entsql.Table("relations")).Where(entsql.In("source_key", anys(keys)...)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]model.Relation{}
	for rows.Next() {
		var source string
		var r model.Relation
		if err := rows.Scan(&source, &r.Type, &r.TargetRef); err != nil {
			return nil, fmt.Errorf("catalog: scan relation: %w", err)
		}
		out[source] = append(out[source], r)
	}
	for _, rels := range out {
		sort.Slice(rels, func(i, j int) bool {
			if rels[i].Type != rels[j].Type {
				return rels[i].Type < rels[j].Type
			}
			return rels[i].TargetRef < rels[j].TargetRef
		})
	}
	return out, rows.Err()
}

// write inserts or updates one entity row.
func (st *stitcher) write(ctx context.Context, locationID string, in *stitchInput, body []byte, etag string, hasErrors bool) error {
	if in.pending == nil {
		return exec(ctx, st.tx, st.s.builder().Update("entities").
			Set("body", body).Set("etag", etag).Set("has_errors", hasErrors).Set("updated_at", st.now).
			Where(entsql.EQ("id", in.id)))
	}
	p := in.pending.p
	c := p.columns
	if in.pending.row == nil {
		return exec(ctx, st.tx, st.s.builder().Insert("entities").
			Columns("id", "ref", "kind", "namespace", "name", "body", "processed", "hash", "etag", "location_id", "location_key",
				"parent_key", "orphan", "title", "spec_type", "lifecycle", "owner", "has_errors", "created_at", "updated_at").
			Values(in.id, p.key, c.kind, c.namespace, c.name, body, p.json,
				p.hash, etag, locationID, p.locationKey, p.parentKey, false, c.title, c.specType, c.lifecycle, c.owner, hasErrors, st.now, st.now))
	}
	return exec(ctx, st.tx, st.s.builder().Update("entities").
		Set("body", body).Set("processed", p.json).Set("hash", p.hash).Set("etag", etag).
		Set("location_id", locationID).Set("location_key", p.locationKey).Set("parent_key", p.parentKey).
		Set("orphan", false).SetNull("orphaned_at").Set("title", c.title).Set("spec_type", c.specType).
		Set("lifecycle", c.lifecycle).Set("owner", c.owner).Set("has_errors", hasErrors).Set("updated_at", st.now).
		Where(entsql.EQ("id", in.id)))
}

// ownerKey is the lower-cased ref of an entity's spec.owner, or "".
func ownerKey(e *model.Entity) string {
	owner, _ := e.Spec["owner"].(string)
	if owner == "" {
		return ""
	}
	ref, err := model.ParseRef(owner, model.RefContext{DefaultKind: "group", DefaultNamespace: e.Metadata.Namespace})
	if err != nil {
		return ""
	}
	return ref.Key()
}

// newUID returns a time-ordered UUID (version 7), so that new entities land at the end of the
// primary-key and search indexes instead of at random places in them.
func newUID() string {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.NewString()
	}
	return id.String()
}

// etagOf fingerprints everything a stored body is built from, so an unchanged entity is
// recognised without encoding it.
func etagOf(processed []byte, relations []model.Relation, status *model.Status, orphan bool) string {
	h := sha256.New()
	h.Write(processed)
	for _, r := range relations {
		h.Write([]byte{0})
		h.Write([]byte(r.Type))
		h.Write([]byte{1})
		h.Write([]byte(r.TargetRef))
	}
	if status != nil {
		for _, it := range status.Items {
			h.Write([]byte{2})
			h.Write([]byte(it.Level))
			h.Write([]byte{3})
			h.Write([]byte(it.Message))
		}
	}
	if orphan {
		h.Write([]byte{4})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
