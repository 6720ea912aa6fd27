package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/views"
)

// homeShow answers GET /: the caller's teams with what they own and the processing errors that
// concern them, catalog counts and recent changes.
func (p *pages) homeShow(c echo.Context) error {
	teams := callerOf(c).Identity.Teams
	h, err := p.ui.Home(c.Request().Context(), teams)
	if err != nil {
		return err
	}
	m := views.HomePage{
		Page:         p.page(c, "Home", views.NavHome),
		Teams:        summaryLinks(h.Teams),
		TeamEntities: summaryRows(h.Owned, h.Related),
		Errors:       errorViews(h.Errors, h.Related, ""),
		Recent:       summaryRows(h.Recent, h.Related),
	}
	for _, k := range h.Counts {
		m.Counts = append(m.Counts, views.KindCount{Kind: k.Kind, Count: k.Count, Href: catalogHref("kind", k.Kind)})
	}
	return p.render(c, http.StatusOK, views.HomeView(m))
}
