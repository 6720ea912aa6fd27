package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/keelson-dev/keelson/catalog/model"
)

// ProcessingError is a stored processing error as the pages show it.
type ProcessingError struct {
	// Source is the file or URL the error came from.
	Source string
	Line   int
	Field  string
	Name   string
	// Message is the error without the file, which Source carries.
	Message string
	// Entity is the lower-cased ref of the entity the error is about, when known, else the
	// entity that shows it (the Location that read the file).
	Entity   string
	Occurred time.Time
}

// Where is the file with the line, when known: "/repo/catalog-info.yaml:12".
func (p ProcessingError) Where() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d", p.Source, p.Line)
	}
	return p.Source
}

// Text is the message with the field it concerns, when the message does not name it.
func (p ProcessingError) Text() string {
	if p.Field != "" && !strings.Contains(p.Message, p.Field) {
		return p.Field + ": " + p.Message
	}
	return p.Message
}

// RelationGroup is every relation of one type from an entity, targets in title order.
type RelationGroup struct {
	Type    string
	Targets []Summary
}

// Neighbour is an entity drawn around another on its diagram, with the relation that links
// them seen from the entity at the centre.
type Neighbour struct {
	Relation string
	Entity   Summary
}

// EntityDetail is everything the entity page shows beyond the entity itself.
type EntityDetail struct {
	Entity *model.Entity
	// Self is the entity's summary; Related holds the summaries of every entity it refers
	// to (owner, system, domain, parent, relation targets) that is in the catalog.
	Self    Summary
	Related map[string]Summary
	Errors  []ProcessingError
	// Relations are grouped by type in a fixed, readable order.
	Relations []RelationGroup
	// Neighbours are the entities its diagram draws; Hidden counts, per relation type,
	// those left out to keep the drawing readable.
	Neighbours []Neighbour
	Hidden     map[string]int
}

// relationOrder is the order relation groups are shown in; unknown types follow, by name.
var relationOrder = []string{
	model.RelationOwnedBy, model.RelationOwnerOf, model.RelationPartOf, model.RelationHasPart,
	model.RelationProvidesAPI, model.RelationAPIProvidedBy, model.RelationConsumesAPI, model.RelationAPIConsumedBy,
	model.RelationDependsOn, model.RelationDependencyOf, model.RelationParentOf, model.RelationChildOf,
	model.RelationMemberOf, model.RelationHasMember,
}

// diagramRelations are the relations an entity's neighbourhood diagram draws.
var diagramRelations = []string{
	model.RelationOwnedBy, model.RelationPartOf, model.RelationProvidesAPI, model.RelationConsumesAPI,
	model.RelationAPIProvidedBy, model.RelationAPIConsumedBy, model.RelationDependsOn, model.RelationDependencyOf,
	model.RelationHasPart,
}

// maxNeighboursPerRelation keeps a diagram readable for entities with hundreds of relations.
const maxNeighboursPerRelation = 8

// Entity returns an entity with what its page shows: the summaries of what it refers to, its
// processing errors, its relations grouped and its neighbourhood.
func (u *UI) Entity(ctx context.Context, ref model.Ref) (*EntityDetail, error) {
	e, err := u.svc.Entity(ctx, ref)
	if err != nil {
		return nil, err
	}
	idx, err := u.index(ctx)
	if err != nil {
		return nil, err
	}
	errs, err := u.entityErrors(ctx, ref.Key())
	if err != nil {
		return nil, err
	}
	d := &EntityDetail{Entity: e, Errors: errs, Hidden: map[string]int{}}
	if s, ok := idx.get(ref.Key()); ok {
		d.Self = s
	} else {
		d.Self = Summary{Ref: ref.Key(), Kind: e.Kind, Namespace: e.Ref().Namespace, Name: e.Metadata.Name, Title: e.Metadata.Title}
	}
	refs := entityRefs(e)
	d.Related = idx.withErrors(idx.lookup(refs), errs)
	d.Relations = groupRelations(e.Relations, d.Related)
	d.Neighbours, d.Hidden = neighbours(d.Relations)
	return d, nil
}

// entityRefs lists every ref an entity's page links: relation targets and the spec refs that
// the About card shows.
func entityRefs(e *model.Entity) []string {
	refs := make([]string, 0, len(e.Relations)+4)
	for _, r := range e.Relations {
		refs = append(refs, strings.ToLower(r.TargetRef))
	}
	ns := e.Ref().Namespace
	for field, kind := range map[string]string{"owner": "group", "system": "system", "domain": "domain", "parent": "group", "subcomponentOf": "component", "subdomainOf": "domain"} {
		if v, ok := e.Spec[field].(string); ok && v != "" {
			if r, err := model.ParseRef(v, model.RefContext{DefaultKind: kind, DefaultNamespace: ns}); err == nil {
				refs = append(refs, r.Key())
			}
		}
	}
	return refs
}

// SpecRef resolves a ref-valued spec field of e (owner, system, domain, ...) to a lower-cased
// ref, with the field's default kind; "" when unset or malformed.
func SpecRef(e *model.Entity, field, defaultKind string) string {
	v, _ := e.Spec[field].(string)
	if v == "" {
		return ""
	}
	r, err := model.ParseRef(v, model.RefContext{DefaultKind: defaultKind, DefaultNamespace: e.Ref().Namespace})
	if err != nil {
		return ""
	}
	return r.Key()
}

// placeholder is the summary of a ref that is not in the catalog: kind and name from the ref.
func placeholder(ref string) Summary {
	r, err := model.ParseRef(ref, model.RefContext{DefaultKind: "component"})
	if err != nil {
		return Summary{Ref: ref, Name: ref, Dangling: true}
	}
	return Summary{Ref: ref, Kind: r.Kind, Namespace: r.Namespace, Name: r.Name, Dangling: true}
}

// SummaryOf returns the summary of ref from related, or a placeholder for a dangling ref.
func SummaryOf(related map[string]Summary, ref string) Summary {
	if s, ok := related[strings.ToLower(ref)]; ok {
		return s
	}
	return placeholder(strings.ToLower(ref))
}

func groupRelations(rels []model.Relation, related map[string]Summary) []RelationGroup {
	byType := map[string][]Summary{}
	var types []string
	for _, r := range rels {
		if _, ok := byType[r.Type]; !ok {
			types = append(types, r.Type)
		}
		byType[r.Type] = append(byType[r.Type], SummaryOf(related, r.TargetRef))
	}
	rank := func(t string) int {
		if i := slices.Index(relationOrder, t); i >= 0 {
			return i
		}
		return len(relationOrder)
	}
	slices.SortFunc(types, func(a, b string) int {
		if c := rank(a) - rank(b); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	out := make([]RelationGroup, 0, len(types))
	for _, t := range types {
		targets := byType[t]
		slices.SortFunc(targets, func(a, b Summary) int {
			if c := strings.Compare(strings.ToLower(a.Text()), strings.ToLower(b.Text())); c != 0 {
				return c
			}
			return strings.Compare(a.Ref, b.Ref)
		})
		out = append(out, RelationGroup{Type: t, Targets: slices.CompactFunc(targets, func(a, b Summary) bool { return a.Ref == b.Ref })})
	}
	return out
}

func neighbours(groups []RelationGroup) ([]Neighbour, map[string]int) {
	var out []Neighbour
	hidden := map[string]int{}
	seen := map[string]bool{}
	for _, t := range diagramRelations {
		for _, g := range groups {
			if g.Type != t {
				continue
			}
			shown := 0
			for _, s := range g.Targets {
				if seen[s.Ref] {
					continue
				}
				if shown == maxNeighboursPerRelation {
					hidden[t]++
					continue
				}
				seen[s.Ref] = true
				shown++
				out = append(out, Neighbour{Relation: t, Entity: s})
			}
		}
	}
	return out, hidden
}

// entityErrors lists the processing errors shown on one entity, oldest first.
func (u *UI) entityErrors(ctx context.Context, key string) ([]ProcessingError, error) {
	q := u.svc.sqlText().w("SELECT p.source, p.line, p.field_path, p.name, p.message, p.subject_ref, p.entity_ref, p.created_at FROM processing_errors p WHERE p.entity_ref = ").
		arg(key).w(" ORDER BY p.id")
	return u.problems(ctx, q)
}

func (u *UI) problems(ctx context.Context, q *sqlText) ([]ProcessingError, error) {
	rows, err := query(ctx, u.svc.db.SQL, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ProcessingError
	for rows.Next() {
		var p ProcessingError
		var field, subject, entity sql.NullString
		var at sql.NullTime
		if err := rows.Scan(&p.Source, &p.Line, &field, &p.Name, &p.Message, &subject, &entity, &at); err != nil {
			return nil, fmt.Errorf("catalog: scan processing error: %w", err)
		}
		p.Field, p.Occurred = field.String, at.Time.UTC()
		p.Entity = subject.String
		if p.Entity == "" {
			p.Entity = entity.String
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: read processing errors: %w", err)
	}
	return out, nil
}
