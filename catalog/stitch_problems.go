package catalog

import (
	"context"
	"database/sql"
	"fmt"

	entsql "entgo.io/ent/dialect/sql"
)

// replaceProblems swaps a location's processing errors for the new ones. An error about an
// entity that is stored is shown on that entity; otherwise on the Location entity that read it.
func (st *stitcher) replaceProblems(ctx context.Context, locationID string, problems []problem) error {
	rows, err := query(ctx, st.tx, st.s.builder().Select("entity_ref").Distinct().From(entsql.Table("processing_errors")).
		Where(entsql.EQ("location_id", locationID)))
	if err != nil {
		return err
	}
	for rows.Next() {
		var k sql.NullString
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return fmt.Errorf("catalog: scan processing error: %w", err)
		}
		if k.String != "" {
			st.touch(k.String)
		}
	}
	rows.Close()
	if err := exec(ctx, st.tx, st.s.builder().Delete("processing_errors").Where(entsql.EQ("location_id", locationID))); err != nil {
		return err
	}
	if len(problems) == 0 {
		return nil
	}
	stored, err := st.existing(ctx, problems)
	if err != nil {
		return err
	}
	for _, batch := range chunks(problems, 200) {
		ins := st.s.builder().Insert("processing_errors").Columns("location_id", "source", "line", "entity_ref", "subject_ref",
			"owner_ref", "field_path", "name", "message", "created_at")
		for _, p := range batch {
			attach := p.ParentKey
			if p.SubjectKey != "" && stored[p.SubjectKey] {
				attach = p.SubjectKey
			}
			if attach != "" {
				st.touch(attach)
			}
			ins.Values(locationID, p.Source, p.Line, attach, p.SubjectKey, p.OwnerKey, p.Field, p.Name, p.Message, st.now)
		}
		if err := exec(ctx, st.tx, ins); err != nil {
			return err
		}
	}
	return nil
}

// existing reports which problem subjects are stored (or about to be).
func (st *stitcher) existing(ctx context.Context, problems []problem) (map[string]bool, error) {
	out := map[string]bool{}
	var ask []string
	for _, p := range problems {
		if p.SubjectKey == "" {
			continue
		}
		if _, ok := st.mem[p.SubjectKey]; ok {
			out[p.SubjectKey] = true
			continue
		}
		ask = append(ask, p.SubjectKey)
	}
	for _, batch := range chunks(ask, 500) {
		rows, err := query(ctx, st.tx, st.s.builder().Select("ref").From(entsql.Table("entities")).Where(entsql.In("ref", anys(batch)...)))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, fmt.Errorf("catalog: scan entity: %w", err)
			}
			out[k] = true
		}
		rows.Close()
	}
	return out, nil
}
