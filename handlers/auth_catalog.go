package handlers

import (
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/model"
)

// Permission checks for the catalog actions pages and the API share. Each returns nil when the
// caller may go ahead, or an error the error handler turns into 403 (the denial is already in
// the audit log) or, for a missing location or entity, 404.

// checkOwners turns who owns the entities concerned into the owners a permission rule needs:
// the caller must own every one of them, and an entity without an owner (a user, a group) is
// something only an admin may bring in or take away, so any such entity leaves no owner to be.
func checkOwners(o catalog.Ownership) []string {
	if o.Unowned > 0 || o.Entities == 0 {
		return nil
	}
	return o.Owners
}

// authorizeRegister checks that the caller may register spec. Only when their role or token
// does not settle it is the location read (a dry run) to learn who owns what it holds.
func (s *Server) authorizeRegister(c echo.Context, spec catalog.Spec) error {
	ctx := c.Request().Context()
	id := callerOf(c).Identity
	res := auth.Resource{Ref: spec.Key()}
	if id.Kind == auth.KindUser && !id.Can(auth.PermLocationRegister, res) {
		dry, err := s.cfg.Catalog.AddLocation(ctx, spec, true)
		if err != nil {
			return err
		}
		res.Owners = checkOwners(catalog.OwnershipOf(dry.Entities))
	}
	return s.auth.Authorize(ctx, id, auth.PermLocationRegister, res)
}

// authorizeUnregister checks that the caller may remove the location with the given id, which
// needs admin, a write token, or owning everything it brought in.
func (s *Server) authorizeUnregister(c echo.Context, loc catalog.Location) error {
	ctx := c.Request().Context()
	own, err := s.cfg.Catalog.LocationOwnership(ctx, loc.ID)
	if err != nil {
		return err
	}
	return s.auth.Authorize(ctx, callerOf(c).Identity, auth.PermLocationUnregister,
		auth.Resource{Ref: loc.Spec().Key(), Owners: checkOwners(own)})
}

// authorizeEntity checks that the caller may do p (refresh or remove) to the entity ref.
func (s *Server) authorizeEntity(c echo.Context, p auth.Permission, ref model.Ref) error {
	ctx := c.Request().Context()
	own, err := s.cfg.Catalog.EntityOwnership(ctx, ref)
	if err != nil {
		return err
	}
	return s.auth.Authorize(ctx, callerOf(c).Identity, p, auth.Resource{Ref: ref.String(), Owners: checkOwners(own)})
}

// recordChange adds a successful catalog change to the audit log. The change is done, so a lost
// record is logged rather than turned into an error response.
func (s *Server) recordChange(c echo.Context, action, target string, detail map[string]string) {
	ctx := c.Request().Context()
	err := s.auth.Record(ctx, auth.Event{Actor: callerOf(c).Identity.Ref, Action: action, Target: target, Detail: detail})
	if err != nil {
		s.log.ErrorContext(ctx, "audit event lost", slog.String("action", action), slog.String("target", target), slog.Any("error", err))
	}
}

// authorizeRemoveEntity checks that the caller may remove the entity with the given uid, and
// returns its ref. Removing one entity takes away what a location brought in, so it needs what
// unregistering does: admin, a write token, or owning the entity.
func (s *Server) authorizeRemoveEntity(c echo.Context, uid string) (model.Ref, error) {
	body, err := s.cfg.Catalog.EntityByUID(c.Request().Context(), uid)
	if err != nil {
		return model.Ref{}, err
	}
	var e model.Entity
	if err := json.Unmarshal(body, &e); err != nil {
		return model.Ref{}, fmt.Errorf("handlers: decode entity %s: %w", uid, err)
	}
	ref := e.Ref()
	return ref, s.authorizeEntity(c, auth.PermLocationUnregister, ref)
}
