package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Session is a signed-in browser session; the cookie holds a random id whose hash is the key.
type Session struct {
	ent.Schema
}

// Fields of the Session.
func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").
			NotEmpty().
			Immutable().
			Comment("SHA-256 of the cookie value, hex"),
		field.String("user_ref"),
		field.String("display_name").
			Optional(),
		field.String("email").
			Optional(),
		field.String("csrf_token").
			Sensitive(),
		field.Text("id_token").
			Optional().
			Sensitive().
			Comment("kept for the provider's end-session id_token_hint"),
		field.Time("created_at").
			Default(time.Now).
			Immutable(),
		field.Time("last_seen_at").
			Default(time.Now),
		field.Time("expires_at").
			Comment("absolute expiry"),
	}
}

// Indexes of the Session.
func (Session) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("user_ref"),
		index.Fields("expires_at"),
	}
}
