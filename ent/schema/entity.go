package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Entity is one catalog entity as served: its stitched JSON body plus the fields queries index.
type Entity struct {
	ent.Schema
}

// Fields of the Entity.
func (Entity) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").
			NotEmpty().
			Immutable().
			Comment("metadata.uid"),
		field.String("ref").
			NotEmpty().
			Unique().
			Comment("lower-cased kind:namespace/name"),
		field.String("kind").
			Comment("lower-cased kind"),
		field.String("namespace").
			Comment("lower-cased namespace"),
		field.String("name").
			Comment("lower-cased name"),
		field.Bytes("body").
			Comment("the stitched entity JSON served by the API"),
		field.Bytes("processed").
			Comment("the processed entity JSON before stitching (no relations, no status)"),
		field.String("hash").
			Comment("content hash of the processed entity, to skip unchanged writes"),
		field.String("etag"),
		field.String("location_id").
			Optional().
			Comment("id of the location whose refresh produced the entity"),
		field.String("location_key").
			Optional().
			Comment("backstage.io/managed-by-location of the entity"),
		field.String("parent_key").
			Optional().
			Comment("lower-cased ref of the Location entity whose processing emitted this one"),
		field.Bool("orphan").
			Default(false),
		field.Time("orphaned_at").
			Optional().
			Nillable(),
		field.String("title").
			Optional(),
		field.String("spec_type").
			Optional(),
		field.String("lifecycle").
			Optional(),
		field.String("owner").
			Optional().
			Comment("lower-cased ref of spec.owner"),
		field.Bool("has_errors").
			Default(false).
			Comment("status.items carries processing errors"),
		field.Time("created_at").
			Default(time.Now).
			Immutable(),
		field.Time("updated_at").
			Default(time.Now),
	}
}

// Edges of the Entity.
func (Entity) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("search", Search.Type).
			Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the Entity.
func (Entity) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("kind", "namespace", "name"),
		index.Fields("kind", "id"),
		index.Fields("location_id"),
		index.Fields("owner"),
		index.Fields("updated_at"),
	}
}
