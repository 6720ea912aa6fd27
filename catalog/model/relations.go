package model

import (
	"fmt"
	"sort"
)

// RelationRow is one stored relation; a relation and its inverse are two rows.
type RelationRow struct {
	Source Ref
	Type   string
	Target Ref
}

// Relations derives the relations Backstage's processors emit for e: for every reference in
// a relation-bearing spec field (see kindDefFor), the outgoing relation from e and the
// incoming one back to e. References that leave out the kind take the field's default kind;
// those that leave out the namespace take e's namespace. Rows are returned in field order,
// without duplicates (compared case-insensitively, as the catalog stores them).
//
// A reference that cannot be parsed fails the whole entity, as it fails Backstage's
// processing: the result is then nil and a *ValidationError naming every bad field.
// Entities of unknown kinds and Location entities have no relations.
func Relations(e *Entity) ([]RelationRow, error) {
	def, ok := kindDefFor(e.Kind)
	if !ok {
		return nil, nil
	}
	self := e.Ref()
	specType, _ := e.Spec["type"].(string)
	ctx := RefContext{DefaultNamespace: self.Namespace}
	var (
		rows []RelationRow
		ps   problems
	)
	seen := map[string]bool{}
	emit := func(r RelationRow) {
		k := r.Source.Key() + "\x00" + r.Type + "\x00" + r.Target.Key()
		if !seen[k] {
			seen[k] = true
			rows = append(rows, r)
		}
	}
	for _, f := range def.relations(specType) {
		v, present := e.Spec[f.field]
		if !present || v == nil {
			continue
		}
		path := "spec." + f.field
		var targets []string
		var paths []string
		switch x := v.(type) {
		case string:
			if x == "" {
				// Backstage's processor skips a falsy single reference.
				continue
			}
			targets, paths = []string{x}, []string{path}
		case []any:
			for i, item := range x {
				s, ok := item.(string)
				if !ok {
					ps.add(index(path, i), "must be string")
					continue
				}
				targets = append(targets, s)
				paths = append(paths, index(path, i))
			}
		case []string:
			for i, s := range x {
				targets = append(targets, s)
				paths = append(paths, index(path, i))
			}
		default:
			ps.add(path, "must be string or array of strings")
			continue
		}
		ctx.DefaultKind = f.defaultKind
		for i, t := range targets {
			target, err := ParseRef(t, ctx)
			if err != nil {
				ps.add(paths[i], err.Error())
				continue
			}
			emit(RelationRow{Source: self, Type: f.outgoing, Target: target})
			emit(RelationRow{Source: target, Type: f.incoming, Target: self})
		}
	}
	if len(ps.list) > 0 {
		return nil, &ValidationError{Ref: self.String(), Problems: ps.list}
	}
	return rows, nil
}

// RelationsOf returns the relations of source among rows, in the shape and order the
// Backstage catalog puts on an entity: type, then target reference, ascending, without
// duplicates.
func RelationsOf(rows []RelationRow, source Ref) []Relation {
	key := source.Key()
	seen := map[Relation]bool{}
	var out []Relation
	for _, r := range rows {
		if r.Source.Key() != key {
			continue
		}
		rel := Relation{Type: r.Type, TargetRef: r.Target.String()}
		if !seen[rel] {
			seen[rel] = true
			out = append(out, rel)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Type != out[j].Type {
			return out[i].Type < out[j].Type
		}
		return out[i].TargetRef < out[j].TargetRef
	})
	return out
}

// String renders the row as "source type target".
func (r RelationRow) String() string {
	return fmt.Sprintf("%s %s %s", r.Source, r.Type, r.Target)
}
