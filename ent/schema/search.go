package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Search is one flattened key/value of an entity, used for filters, facets and ordering.
type Search struct {
	ent.Schema
}

// Annotations of the Search.
func (Search) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Annotation{Table: "search"},
	}
}

// Fields of the Search.
func (Search) Fields() []ent.Field {
	return []ent.Field{
		field.String("entity_id"),
		field.String("key"),
		field.String("value").
			Optional().
			Nillable(),
		field.String("original_value").
			Optional().
			Nillable(),
	}
}

// Edges of the Search.
func (Search) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("entity", Entity.Type).
			Ref("search").
			Field("entity_id").
			Unique().
			Required(),
	}
}

// Indexes of the Search.
func (Search) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("key", "value"),
		index.Fields("entity_id"),
	}
}
