package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Permission names something a caller may want to do.
type Permission string

// Permissions. A new feature adds its permission here and its rule in Can.
const (
	// PermCatalogRead reads the catalog (pages and the JSON API).
	PermCatalogRead Permission = "catalog.read"
	// PermLocationRegister registers a location; Resource.Owners are the owners of the entities
	// a dry run of the location found.
	PermLocationRegister Permission = "location.register"
	// PermLocationUnregister removes a location; Resource.Owners are the owners of its entities.
	PermLocationUnregister Permission = "location.unregister"
	// PermEntityRefresh refreshes an entity; Resource.Owners is the entity's owner.
	PermEntityRefresh Permission = "entity.refresh"
	// PermTokenManage lists, creates and revokes API tokens.
	PermTokenManage Permission = "token.manage"
	// PermAuditRead reads the audit log.
	PermAuditRead Permission = "audit.read"
)

// Resource is what a permission is checked against.
type Resource struct {
	// Ref names the resource for the audit log (an entity ref, a location target, ...).
	Ref string
	// Owners are the owner refs of the entities concerned; owning all of them is what "owner"
	// means in the rules. Empty means nobody owns it, so only admins qualify.
	Owners []string
}

// ErrForbidden is matched (errors.Is) by every *ForbiddenError.
var ErrForbidden = errors.New("auth: permission denied")

// ForbiddenError says who was denied what.
type ForbiddenError struct {
	Actor      string
	Permission Permission
	Resource   string
}

// Error describes the denial.
func (e *ForbiddenError) Error() string {
	if e.Resource == "" {
		return fmt.Sprintf("auth: %s may not %s", e.Actor, e.Permission)
	}
	return fmt.Sprintf("auth: %s may not %s on %s", e.Actor, e.Permission, e.Resource)
}

// Is makes every ForbiddenError match ErrForbidden.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

// Can is the one place that decides whether id may do p to r.
func (id Identity) Can(p Permission, r Resource) bool {
	if id.IsZero() {
		return false
	}
	switch p {
	case PermCatalogRead:
		return true
	case PermLocationRegister, PermLocationUnregister, PermEntityRefresh:
		return id.isWriteToken() || id.isAdmin() || id.ownsAll(r.Owners)
	case PermTokenManage:
		return id.isAdmin()
	case PermAuditRead:
		return id.Kind == KindToken || id.isAdmin()
	default:
		return false
	}
}

// isAdmin is a person with the admin role; tokens and anonymous callers never are.
func (id Identity) isAdmin() bool { return id.Kind == KindUser && id.Role == RoleAdmin }

// isWriteToken is a token allowed to change the catalog. Tokens are created by admins, so a
// write token acts with an admin's catalog rights, but never manages tokens.
func (id Identity) isWriteToken() bool { return id.Kind == KindToken && id.Scope == ScopeWrite }

// ownsAll is a person who owns every one of owners (and there is at least one).
func (id Identity) ownsAll(owners []string) bool {
	if id.Kind != KindUser || len(owners) == 0 {
		return false
	}
	for _, o := range owners {
		if !id.Owns(o) {
			return false
		}
	}
	return true
}

// Authorize checks id.Can(p, r); a denial is recorded in the audit log and returned as a
// *ForbiddenError.
func (s *Service) Authorize(ctx context.Context, id Identity, p Permission, r Resource) error {
	if id.Can(p, r) {
		return nil
	}
	actor := id.Ref
	if actor == "" {
		actor = "anonymous"
	}
	detail := map[string]string{"permission": string(p), "role": string(id.Role)}
	if len(r.Owners) > 0 {
		detail["owners"] = strings.Join(r.Owners, ",")
	}
	s.recordQuietly(ctx, Event{Actor: actor, Action: ActionPermissionDenied, Target: r.Ref,
		Outcome: OutcomeDenied, Detail: detail})
	return &ForbiddenError{Actor: actor, Permission: p, Resource: r.Ref}
}
