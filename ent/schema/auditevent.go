package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// AuditEvent records one security-relevant event: who did what to what, and how it ended.
type AuditEvent struct {
	ent.Schema
}

// Fields of the AuditEvent.
func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Time("at").
			Default(time.Now).
			Immutable(),
		field.String("actor").
			Comment("user or token ref, or the attempted identity when refused"),
		field.String("action").
			Comment("e.g. sign-in, sign-in-refused, token-created, location-registered, permission-denied"),
		field.String("target").
			Optional(),
		field.String("outcome").
			Default("success"),
		field.String("request_id").
			Optional(),
		field.String("ip").
			Optional(),
		field.JSON("detail", map[string]string{}).
			Optional(),
	}
}

// Indexes of the AuditEvent.
func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("at"),
		index.Fields("actor"),
		index.Fields("action"),
	}
}
