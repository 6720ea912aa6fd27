package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/keelson-dev/keelson/catalog/model"
)

// statusesOf loads the processing errors shown on each entity, in Backstage's status shape.
func (st *stitcher) statusesOf(ctx context.Context, keys []string) (map[string]*model.Status, error) {
	rows, err := query(ctx, st.tx, st.s.builder().Select("entity_ref", "subject_ref", "source", "line", "field_path", "name", "message").
		From(entsql.Table("processing_errors")).Where(entsql.In("entity_ref", anys(keys)...)).OrderBy("id"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*model.Status{}
	for rows.Next() {
		var pe storedProblem
		if err := rows.Scan(&pe.EntityRef, &pe.SubjectRef, &pe.Source, &pe.Line, &pe.Field, &pe.Name, &pe.Message); err != nil {
			return nil, fmt.Errorf("catalog: scan processing error: %w", err)
		}
		st := out[pe.EntityRef.String]
		if st == nil {
			st = &model.Status{}
			out[pe.EntityRef.String] = st
		}
		text := pe.describe()
		st.Items = append(st.Items, model.StatusItem{
			Type:    "backstage.io/catalog-processing",
			Level:   "error",
			Message: pe.Name + ": " + text,
			Error:   &model.ErrorBody{Name: pe.Name, Message: text},
		})
	}
	return out, rows.Err()
}

// storedProblem is a processing error row as read back for stitching.
type storedProblem struct {
	EntityRef, SubjectRef, Field sql.NullString
	Source, Name, Message        string
	Line                         int
}

// describe words the error with the file, line, subject and field it concerns.
func (p storedProblem) describe() string {
	var b strings.Builder
	b.WriteString(p.Source)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.SubjectRef.String != "" && p.SubjectRef.String != p.EntityRef.String {
		b.WriteString(p.SubjectRef.String)
		b.WriteString(": ")
	}
	if p.Field.String != "" && !strings.Contains(p.Message, p.Field.String) {
		b.WriteString(p.Field.String)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// withKindWarning adds a warning to entities of kinds no built-in rules cover: Keelson serves
// them (their envelope is valid) but says that Backstage's default catalog would refuse them.
func withKindWarning(e *model.Entity, st *model.Status) *model.Status {
	err := model.CheckRecognized(e)
	if err == nil {
		return st
	}
	out := &model.Status{}
	if st != nil {
		out.Items = append(out.Items, st.Items...)
	}
	msg := err.Error()
	var ve *model.ValidationError
	if errors.As(err, &ve) && len(ve.Problems) > 0 {
		msg = ve.Problems[0].Message
	}
	out.Items = append(out.Items, model.StatusItem{
		Type:    "backstage.io/catalog-processing",
		Level:   "warning",
		Message: "UnknownKind: " + msg,
		Error:   &model.ErrorBody{Name: "UnknownKind", Message: msg},
	})
	return out
}

// hasErrorItems reports whether a status carries an error, not just warnings.
func hasErrorItems(st *model.Status) bool {
	if st == nil {
		return false
	}
	for _, it := range st.Items {
		if it.Level == "error" {
			return true
		}
	}
	return false
}
