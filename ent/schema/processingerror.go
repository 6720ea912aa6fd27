package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ProcessingError is a problem found while reading a location: a file that failed to read or
// parse, or an entity that failed validation. A refresh of the location replaces its errors.
type ProcessingError struct {
	ent.Schema
}

// Fields of the ProcessingError.
func (ProcessingError) Fields() []ent.Field {
	return []ent.Field{
		field.String("location_id"),
		field.String("source").
			Comment("file path or URL the problem is in"),
		field.Int("line").
			Default(0),
		field.String("entity_ref").
			Optional().
			Comment("lower-cased ref of the entity whose status.items carries the error"),
		field.String("subject_ref").
			Optional().
			Comment("lower-cased ref of the entity the problem is about, when known"),
		field.String("owner_ref").
			Optional().
			Comment("lower-cased ref of the subject's owner, when known, for owner-facing views"),
		field.String("field_path").
			Optional(),
		field.String("name").
			Default("InputError").
			Comment("error class in Backstage's terms"),
		field.Text("message"),
		field.Time("created_at").
			Default(time.Now),
	}
}

// Indexes of the ProcessingError.
func (ProcessingError) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("location_id"),
		index.Fields("entity_ref"),
		index.Fields("owner_ref"),
	}
}
