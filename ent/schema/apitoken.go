package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
)

// APIToken is a bearer token for machines and scripts; only its hash is stored.
type APIToken struct {
	ent.Schema
}

// Fields of the APIToken.
func (APIToken) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").
			NotEmpty().
			Immutable(),
		field.String("name").
			NotEmpty(),
		field.String("hash").
			Unique().
			Sensitive(),
		field.Enum("scope").
			Values("read", "write"),
		field.String("created_by"),
		field.Time("created_at").
			Default(time.Now).
			Immutable(),
		field.Time("last_used_at").
			Optional().
			Nillable(),
		field.Time("revoked_at").
			Optional().
			Nillable(),
	}
}
