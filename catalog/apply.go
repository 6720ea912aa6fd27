package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"
)

// storedRow is what apply needs to know about an entity already in the database.
type storedRow struct {
	id         string
	key        string
	hash       string
	locationID string
	locKey     string
	orphan     bool
}

// applyStats counts what one apply wrote.
type applyStats struct {
	written  int
	orphaned int
	problems int
}

// apply stores a location's read result in one transaction: changed entities are written,
// unchanged ones skipped, vanished ones orphaned, conflicts and errors recorded, and every
// entity whose relations or status changed is stitched again.
func (s *Service) apply(ctx context.Context, locationID string, res *readResult) (applyStats, error) {
	var stats applyStats
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return stats, fmt.Errorf("catalog: begin: %w", err)
	}
	defer tx.Rollback()
	now := s.clock().UTC()

	own, err := s.rowsWhere(ctx, tx, entsql.EQ("location_id", locationID))
	if err != nil {
		return stats, err
	}
	ownByKey := make(map[string]*storedRow, len(own))
	for _, r := range own {
		ownByKey[r.key] = r
	}
	var foreignKeys []string
	for _, p := range res.entities {
		if _, ok := ownByKey[p.key]; !ok {
			foreignKeys = append(foreignKeys, p.key)
		}
	}
	foreign := map[string]*storedRow{}
	for _, batch := range chunks(foreignKeys, 500) {
		rows, err := s.rowsWhere(ctx, tx, entsql.In("ref", anys(batch)...))
		if err != nil {
			return stats, err
		}
		for _, r := range rows {
			foreign[r.key] = r
		}
	}
	liveLocations, err := s.locationIDs(ctx, tx)
	if err != nil {
		return stats, err
	}

	bulk, err := s.beginBulk(ctx, tx, len(res.entities))
	if err != nil {
		return stats, err
	}
	st := newStitcher(s, tx, now)
	problems := res.problems
	var changed []*processed
	for _, p := range res.entities {
		if r, ok := ownByKey[p.key]; ok {
			if r.hash == p.hash && !r.orphan {
				continue
			}
			st.put(p, r)
			changed = append(changed, p)
			continue
		}
		if r, ok := foreign[p.key]; ok && r.locationID != locationID && liveLocations[r.locationID] && !r.orphan {
			problems = append(problems, problem{
				Source: sourceOf(p.locationKey), Name: "ConflictError", SubjectKey: p.key, ParentKey: p.parentKey,
				Message: fmt.Sprintf("Detected conflicting entityRef %s already referenced by %s and now also %s",
					p.ref, r.locKey, p.locationKey),
			})
			delete(res.emitted, p.key)
			continue
		} else if ok {
			st.put(p, r) // takes over an orphaned entity or one whose location is gone
		} else {
			st.put(p, nil)
		}
		changed = append(changed, p)
	}
	if err := st.replaceRelations(ctx, changed); err != nil {
		return stats, err
	}

	// Orphan what the location no longer emits, unless a file failed to read: then only
	// entities of files that were read without error can be known to be gone.
	for _, r := range own {
		if res.emitted[r.key] || r.orphan {
			continue
		}
		if res.okFiles[r.locKey] || !res.failed {
			if err := exec(ctx, tx, s.builder().Update("entities").
				Set("orphan", true).Set("orphaned_at", now).Where(entsql.EQ("id", r.id))); err != nil {
				return stats, err
			}
			st.touch(r.key)
			stats.orphaned++
		}
	}

	if err := st.replaceProblems(ctx, locationID, problems); err != nil {
		return stats, err
	}
	written, err := st.flush(ctx, locationID)
	if err != nil {
		return stats, err
	}
	if bulk {
		if err := s.endBulk(ctx, tx); err != nil {
			return stats, err
		}
	}
	if err := tx.Commit(); err != nil {
		return stats, fmt.Errorf("catalog: commit location %s: %w", locationID, err)
	}
	s.gen.changed()
	stats.written = written
	stats.problems = len(problems)
	return stats, nil
}

// rowsWhere loads stored rows matching a predicate.
func (s *Service) rowsWhere(ctx context.Context, x execer, pred *entsql.Predicate) ([]*storedRow, error) {
	rows, err := query(ctx, x, s.builder().
		Select("id", "ref", "hash", "location_id", "location_key", "orphan").
		From(entsql.Table("entities")).Where(pred))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*storedRow
	for rows.Next() {
		r := &storedRow{}
		var locID, locKey sql.NullString
		if err := rows.Scan(&r.id, &r.key, &r.hash, &locID, &locKey, &r.orphan); err != nil {
			return nil, fmt.Errorf("catalog: scan entity: %w", err)
		}
		r.locationID, r.locKey = locID.String, locKey.String
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *Service) locationIDs(ctx context.Context, x execer) (map[string]bool, error) {
	rows, err := query(ctx, x, s.builder().Select("id").From(entsql.Table("locations")))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("catalog: scan location: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// sourceOf turns a managed-by-location value back into the file path or URL it names.
func sourceOf(locationKey string) string {
	for _, prefix := range []string{"file:", "url:"} {
		if len(locationKey) > len(prefix) && locationKey[:len(prefix)] == prefix {
			return locationKey[len(prefix):]
		}
	}
	return locationKey
}

// deleteOrphansBefore removes orphans older than the grace period and re-stitches their peers.
func (s *Service) deleteOrphansBefore(ctx context.Context, cutoff time.Time) (int, error) {
	rows, err := query(ctx, s.db.SQL, s.builder().Select("ref").From(entsql.Table("entities")).
		Where(entsql.And(entsql.EQ("orphan", true), entsql.LT("orphaned_at", cutoff))))
	if err != nil {
		return 0, err
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return 0, fmt.Errorf("catalog: scan orphan: %w", err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if len(keys) == 0 {
		return 0, rows.Err()
	}
	return len(keys), s.deleteEntities(ctx, keys)
}

// deleteEntities removes entities with their relations and search rows, and stitches the
// entities on the other end of their relations.
func (s *Service) deleteEntities(ctx context.Context, keys []string) error {
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("catalog: begin: %w", err)
	}
	defer tx.Rollback()
	st := newStitcher(s, tx, s.clock().UTC())
	for _, batch := range chunks(keys, 500) {
		if err := st.dropRelations(ctx, batch); err != nil {
			return err
		}
		if err := exec(ctx, tx, s.builder().Delete("entities").Where(entsql.In("ref", anys(batch)...))); err != nil {
			return err
		}
	}
	for _, k := range keys {
		delete(st.touched, k)
	}
	if _, err := st.flush(ctx, ""); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("catalog: commit delete: %w", err)
	}
	s.gen.changed()
	return nil
}

// bulkThreshold is how many entities a first load must bring for the search index to be
// built once at the end rather than row by row.
const bulkThreshold = 2000

// beginBulk drops the search table's value index when a large location is loaded into an
// empty catalog (the first start), so that the index is built once by endBulk, sorted, in the
// same transaction: readers never see the catalog without it.
func (s *Service) beginBulk(ctx context.Context, tx *sql.Tx, entities int) (bool, error) {
	if entities < bulkThreshold {
		return false, nil
	}
	rows, err := query(ctx, tx, s.sqlText().w("SELECT COUNT(*) FROM (SELECT 1 FROM search LIMIT 1) s"))
	if err != nil {
		return false, err
	}
	n := 0
	if rows.Next() {
		err = rows.Scan(&n)
	}
	rows.Close()
	if err != nil || n > 0 {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, "DROP INDEX IF EXISTS search_key_value"); err != nil {
		return false, fmt.Errorf("catalog: drop search index for a bulk load: %w", err)
	}
	return true, nil
}

// endBulk rebuilds the index beginBulk dropped, exactly as the schema defines it.
func (s *Service) endBulk(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, "CREATE INDEX search_key_value ON search (key, value)"); err != nil {
		return fmt.Errorf("catalog: rebuild search index after a bulk load: %w", err)
	}
	return nil
}
