package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/keelson-dev/keelson/catalog/model"
)

// Person is a User entity as sign-in and the directory of people need it.
type Person struct {
	// Ref is the user's canonical, lower-case ref.
	Ref string
	// Name is metadata.name as written.
	Name string
	// DisplayName is spec.profile.displayName, falling back to the name.
	DisplayName string
	// Email is spec.profile.email; may be empty.
	Email string
}

// maxPeople bounds People, which feeds a picker, not a report.
const maxPeople = 1000

// UserByEmail returns the User entity whose spec.profile.email is email, compared
// case-insensitively. It returns an error matching ErrNotFound when there is none; when several
// users share the address, the one with the smallest ref wins, so the answer is stable.
func (s *Service) UserByEmail(ctx context.Context, email string) (Person, error) {
	email = strings.TrimSpace(email)
	if !lookupable(email) {
		return Person{}, notFoundf("No user with email %q", email)
	}
	f := Filter{AnyOf: [][]Condition{{
		{Key: "kind", Values: []string{"user"}},
		{Key: "spec.profile.email", Values: []string{email}},
	}}}
	page, err := s.Entities(ctx, EntitiesRequest{Filter: f, Limit: 1})
	if err != nil {
		return Person{}, fmt.Errorf("catalog: user by email: %w", err)
	}
	if len(page.Items) == 0 {
		return Person{}, notFoundf("No user with email %s", email)
	}
	return personOf(page.Items[0])
}

// UserByName returns the User entity user:default/<name>, compared case-insensitively, or an
// error matching ErrNotFound.
func (s *Service) UserByName(ctx context.Context, name string) (Person, error) {
	name = strings.TrimSpace(name)
	if !lookupable(name) {
		return Person{}, notFoundf("No user named %q", name)
	}
	body, err := s.EntityByRef(ctx, model.Ref{Kind: "user", Namespace: model.DefaultNamespace, Name: name})
	if err != nil {
		return Person{}, err
	}
	return personOf(body)
}

// People lists the User entities of the default namespace (at most 1000), ordered by name, for
// choosing whom to act as when no identity provider is configured.
func (s *Service) People(ctx context.Context) ([]Person, error) {
	f := Filter{AnyOf: [][]Condition{{
		{Key: "kind", Values: []string{"user"}},
		{Key: "metadata.namespace", Values: []string{model.DefaultNamespace}},
	}}}
	page, err := s.Entities(ctx, EntitiesRequest{Filter: f, Limit: maxPeople})
	if err != nil {
		return nil, fmt.Errorf("catalog: list people: %w", err)
	}
	out := make([]Person, 0, len(page.Items))
	for _, body := range page.Items {
		p, err := personOf(body)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// lookupable reports whether s can name anything in the catalog: not empty, and text every
// database accepts (valid UTF-8 without NUL), as every stored name and email is.
func lookupable(s string) bool {
	return s != "" && utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

func personOf(body json.RawMessage) (Person, error) {
	var e model.Entity
	if err := json.Unmarshal(body, &e); err != nil {
		return Person{}, fmt.Errorf("catalog: decode user: %w", err)
	}
	p := Person{Ref: e.Ref().Key(), Name: e.Metadata.Name, DisplayName: e.Metadata.Name}
	if profile, ok := e.Spec["profile"].(map[string]any); ok {
		if d, ok := profile["displayName"].(string); ok && strings.TrimSpace(d) != "" {
			p.DisplayName = strings.TrimSpace(d)
		}
		if m, ok := profile["email"].(string); ok {
			p.Email = strings.TrimSpace(m)
		}
	}
	return p, nil
}

// ParentGroups returns, for a user ref, the groups the user is a member of (through the user's
// spec.memberOf or a group's spec.members); for a group ref, its parent group. Refs are
// lower-case and sorted; a ref with no such relations (or no entity) has none.
func (s *Service) ParentGroups(ctx context.Context, ref string) ([]string, error) {
	parsed, err := model.ParseRef(ref, model.RefContext{DefaultKind: "user"})
	if err == nil && !lookupable(ref) {
		return nil, nil
	}
	if err != nil {
		return nil, &InputError{Message: fmt.Sprintf("Invalid entity ref %q: %v", ref, err)}
	}
	var relation string
	switch strings.ToLower(parsed.Kind) {
	case "user":
		relation = model.RelationMemberOf
	case "group":
		relation = model.RelationChildOf
	default:
		return nil, nil
	}
	q := s.sqlText().w("SELECT DISTINCT r.target_key FROM relations r WHERE r.source_key = ").arg(parsed.Key()).
		w(" AND r.type = ").arg(relation).w(" ORDER BY r.target_key")
	rows, err := query(ctx, s.db.SQL, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("catalog: scan group of %s: %w", ref, err)
		}
		if strings.HasPrefix(k, "group:") {
			out = append(out, k)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: groups of %s: %w", ref, err)
	}
	return out, nil
}

// Ownership says who owns a set of entities, for permission checks on actions that touch all
// of them (refreshing, registering or unregistering a location).
type Ownership struct {
	// Owners are the distinct, lower-case owner refs, sorted.
	Owners []string
	// Unowned counts the entities that have no owner (users, groups, or entities that leave
	// spec.owner out). Location entities are structural and not counted.
	Unowned int
	// Entities is how many entities were looked at, Location entities excluded.
	Entities int
}

// add counts one entity of kind with the given owner ref (empty when it has none).
func (o *Ownership) add(kind, owner string) {
	if strings.EqualFold(kind, "location") {
		return
	}
	o.Entities++
	if owner == "" {
		o.Unowned++
		return
	}
	owner = strings.ToLower(owner)
	if i, found := slices.BinarySearch(o.Owners, owner); !found {
		o.Owners = slices.Insert(o.Owners, i, owner)
	}
}

// OwnershipOf computes the ownership of the given entities, as a dry run of a location returns
// them: spec.owner resolved against each entity's namespace, with Group as the default kind.
func OwnershipOf(entities []*model.Entity) Ownership {
	var o Ownership
	for _, e := range entities {
		if e == nil {
			continue
		}
		o.add(e.Kind, ownerKey(e))
	}
	return o
}

// LocationOwnership computes the ownership of the entities a registered location produced. It
// returns an error matching ErrNotFound when there is no such location.
func (s *Service) LocationOwnership(ctx context.Context, locationID string) (Ownership, error) {
	if _, err := s.GetLocation(ctx, locationID); err != nil {
		return Ownership{}, err
	}
	return s.ownership(ctx, s.sqlText().w("SELECT e.kind, e.owner FROM entities e WHERE e.location_id = ").arg(locationID))
}

// EntityOwnership computes the ownership of one entity. It returns an error matching
// ErrNotFound when there is no such entity.
func (s *Service) EntityOwnership(ctx context.Context, ref model.Ref) (Ownership, error) {
	o, err := s.ownership(ctx, s.sqlText().w("SELECT e.kind, e.owner FROM entities e WHERE e.ref = ").arg(ref.Key()))
	if err != nil {
		return Ownership{}, err
	}
	if o.Entities == 0 {
		if _, err := s.EntityByRef(ctx, ref); err != nil {
			return Ownership{}, err
		}
	}
	return o, nil
}

func (s *Service) ownership(ctx context.Context, q *sqlText) (Ownership, error) {
	rows, err := query(ctx, s.db.SQL, q)
	if err != nil {
		return Ownership{}, err
	}
	defer rows.Close()
	var o Ownership
	for rows.Next() {
		var kind string
		var owner *string
		if err := rows.Scan(&kind, &owner); err != nil {
			return Ownership{}, fmt.Errorf("catalog: scan owner: %w", err)
		}
		if owner == nil {
			o.add(kind, "")
		} else {
			o.add(kind, *owner)
		}
	}
	if err := rows.Err(); err != nil {
		return Ownership{}, fmt.Errorf("catalog: read owners: %w", err)
	}
	return o, nil
}

// IsNotFound reports whether err says a catalog object does not exist.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
