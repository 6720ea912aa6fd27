package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Location is a registered place descriptors are read from, with its refresh bookkeeping.
type Location struct {
	ent.Schema
}

// Fields of the Location.
func (Location) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").
			NotEmpty().
			Immutable(),
		field.String("type").
			Comment("file or url"),
		field.String("target"),
		field.Bool("static").
			Default(false).
			Comment("configured at start rather than registered through the API"),
		field.Int("position").
			Default(0).
			Comment("order among static locations; earlier ones win entity conflicts at first start"),
		field.Time("created_at").
			Default(time.Now).
			Immutable(),
		field.Time("next_refresh_at").
			Default(time.Now),
		field.Time("refreshed_at").
			Optional().
			Nillable(),
		field.String("lease_owner").
			Optional(),
		field.Time("lease_until").
			Optional().
			Nillable(),
		field.String("last_error").
			Optional(),
	}
}

// Indexes of the Location.
func (Location) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("type", "target").
			Unique(),
		index.Fields("next_refresh_at"),
	}
}
