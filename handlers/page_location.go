package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/views"
)

// locationActions is the refresh and unregister card of a Location entity's page.
func (p *pages) locationActions(c echo.Context, e *model.Entity) *views.LocationActions {
	ref := e.Ref()
	target := specString(e, "target")
	if target == "" {
		if list, ok := e.Spec["targets"].([]any); ok {
			parts := make([]string, 0, len(list))
			for _, t := range list {
				if s, ok := t.(string); ok {
					parts = append(parts, s)
				}
			}
			target = strings.Join(parts, ", ")
		}
	}
	base := views.EntityURL(ref.Namespace, ref.Kind, ref.Name)
	return &views.LocationActions{Target: target, Type: specString(e, "type"), RefreshURL: base + refreshSuffix,
		UnregisterURL: base + unregisterSuffix, CSRFToken: p.csrfToken(c)}
}

// bindLocation reads a Location entity's ref from the path; any other kind has no actions.
func bindLocation(c echo.Context) (model.Ref, error) {
	ref, err := bindEntity(c)
	if err != nil {
		return model.Ref{}, err
	}
	if !strings.EqualFold(ref.Kind, "location") {
		return model.Ref{}, echo.ErrNotFound
	}
	return ref, nil
}

// locationRefresh answers POST .../location/:name/refresh: the location that provides the
// Location entity is read again, then the page is shown afresh.
func (p *pages) locationRefresh(c echo.Context) error {
	ref, err := bindLocation(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	loc, err := p.cfg.Catalog.LocationByEntity(ctx, ref)
	if err != nil {
		return err
	}
	// A Location has no owner of its own: refreshing it is for those who own what it provides.
	own, err := p.cfg.Catalog.LocationOwnership(ctx, loc.ID)
	if err != nil {
		return err
	}
	if err := p.auth.Authorize(ctx, callerOf(c).Identity, auth.PermEntityRefresh,
		auth.Resource{Ref: ref.String(), Owners: checkOwners(own)}); err != nil {
		return err
	}
	if err := p.cfg.Catalog.RefreshEntity(ctx, ref); err != nil {
		return err
	}
	p.ui.Invalidate()
	p.recordChange(c, actionEntityRefreshed, ref.String(), nil)
	return c.Redirect(http.StatusSeeOther, views.EntityURL(ref.Namespace, ref.Kind, ref.Name))
}

// locationUnregister answers POST .../location/:name/unregister: the registered location the
// entity came from is removed with everything it provides, then the catalog is shown.
func (p *pages) locationUnregister(c echo.Context) error {
	ref, err := bindLocation(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	loc, err := p.cfg.Catalog.LocationByEntity(ctx, ref)
	if err != nil {
		return err
	}
	if err := p.authorizeUnregister(c, loc); err != nil {
		return err
	}
	if err := p.cfg.Catalog.DeleteLocation(ctx, loc.ID); err != nil {
		return err
	}
	p.ui.Invalidate()
	p.recordChange(c, auth.ActionLocationRemoved, loc.Spec().Key(), map[string]string{"id": loc.ID})
	return c.Redirect(http.StatusSeeOther, views.CatalogURL)
}
