package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Role is what a person may do beyond owning things.
type Role string

// Roles, from most to least powerful.
const (
	RoleAdmin   Role = "admin"
	RoleManager Role = "manager"
	RoleMember  Role = "member"
)

// Kind says what kind of principal an Identity is.
type Kind string

// Principal kinds.
const (
	// KindUser is a person with a session (signed in through OIDC or as a guest).
	KindUser Kind = "user"
	// KindToken is a machine presenting an API token.
	KindToken Kind = "token"
	// KindAnonymous is nobody in particular, only ever allowed in guest mode.
	KindAnonymous Kind = "anonymous"
)

// Identity is who is asking: the user (or token) ref, what they own through, and their role.
type Identity struct {
	Kind Kind `json:"kind"`
	// Ref is the user ref, or "token:<id>" for a token, or "anonymous".
	Ref         string `json:"ref"`
	DisplayName string `json:"displayName"`
	Email       string `json:"email,omitempty"`
	// OwnershipRefs are Ref and every group the user belongs to, directly or through parent
	// groups, lower-case and sorted.
	OwnershipRefs []string `json:"ownershipRefs"`
	// Teams are the groups the user is a direct member of, sorted.
	Teams []string `json:"teams"`
	// Groups are OwnershipRefs without Ref: the user's teams and their ancestors.
	Groups []string `json:"groups"`
	Role   Role     `json:"role"`
	// Scope is the token's scope (read or write); empty for people.
	Scope Scope `json:"scope,omitempty"`
}

// IsZero reports whether the identity is unset.
func (id Identity) IsZero() bool { return id.Ref == "" }

// Owns reports whether ref (an owner ref of some entity) is among the identity's ownership refs.
func (id Identity) Owns(ref string) bool {
	_, ok := slices.BinarySearch(id.OwnershipRefs, strings.ToLower(ref))
	return ok
}

// Anonymous is the identity of a caller without session or token. It may only read, and the
// HTTP layer only uses it in guest mode.
func Anonymous() Identity {
	return Identity{Kind: KindAnonymous, Ref: "anonymous", DisplayName: "Anonymous", Role: RoleMember}
}

// maxGroupDepth bounds the walk up the group tree, which the catalog does not guarantee acyclic.
const maxGroupDepth = 64

// IdentityOf resolves the session's user to an Identity: their groups (transitively, cycle-safe)
// and their role from the configured admin and manager groups.
func (s *Service) IdentityOf(ctx context.Context, sess *Session) (Identity, error) {
	return s.identityFor(ctx, User{Ref: sess.UserRef, DisplayName: sess.DisplayName, Email: sess.Email})
}

func (s *Service) identityFor(ctx context.Context, u User) (Identity, error) {
	ref := strings.ToLower(u.Ref)
	teams, groups, err := s.ancestors(ctx, ref)
	if err != nil {
		return Identity{}, err
	}
	owns := append([]string{ref}, groups...)
	slices.Sort(owns)
	owns = slices.Compact(owns)
	id := Identity{
		Kind:          KindUser,
		Ref:           ref,
		DisplayName:   u.DisplayName,
		Email:         u.Email,
		OwnershipRefs: owns,
		Teams:         teams,
		Groups:        groups,
		Role:          RoleMember,
	}
	switch {
	case intersects(groups, s.cfg.AdminGroups):
		id.Role = RoleAdmin
	case intersects(groups, s.cfg.ManagerGroups):
		id.Role = RoleManager
	}
	return id, nil
}

// ancestors walks ParentGroups breadth-first from ref and returns the direct groups and every
// group reached, both sorted.
func (s *Service) ancestors(ctx context.Context, ref string) (direct, all []string, err error) {
	seen := map[string]bool{ref: true}
	frontier := []string{ref}
	var out []string
	for depth := 0; len(frontier) > 0 && depth < maxGroupDepth; depth++ {
		if depth == 1 {
			direct = slices.Sorted(slices.Values(out))
		}
		var next []string
		for _, r := range frontier {
			parents, err := s.dir.ParentGroups(ctx, r)
			if errors.Is(err, ErrUnknownUser) {
				continue
			}
			if err != nil {
				return nil, nil, fmt.Errorf("auth: groups of %s: %w", r, err)
			}
			for _, p := range parents {
				p = strings.ToLower(p)
				if p == "" || seen[p] {
					continue
				}
				seen[p] = true
				out = append(out, p)
				next = append(next, p)
			}
		}
		frontier = next
	}
	if direct == nil {
		direct = slices.Sorted(slices.Values(out))
	}
	slices.Sort(out)
	if out == nil {
		out, direct = []string{}, []string{}
	}
	return direct, out, nil
}

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}
