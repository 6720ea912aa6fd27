package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Relation is one directed relation between two entity refs; targets need not exist yet.
type Relation struct {
	ent.Schema
}

// Fields of the Relation.
func (Relation) Fields() []ent.Field {
	return []ent.Field{
		field.String("source_key").
			Comment("lower-cased source ref"),
		field.String("type"),
		field.String("target_key").
			Comment("lower-cased target ref"),
		field.String("target_ref").
			Comment("target ref as written, kind lower-cased"),
		field.String("origin_key").
			Comment("lower-cased ref of the entity whose processing emitted the relation"),
	}
}

// Indexes of the Relation.
func (Relation) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("source_key"),
		index.Fields("target_key"),
		index.Fields("origin_key"),
	}
}
