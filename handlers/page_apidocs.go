package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/views"
)

// apiDocsForm filters the API explorer by type.
type apiDocsForm struct {
	Type []string `query:"type"`
}

// apiDocsList answers GET /api-docs: every API with its type, owner, lifecycle, providers and
// consumers.
func (p *pages) apiDocsList(c echo.Context) error {
	var form apiDocsForm
	if err := (&echo.DefaultBinder{}).BindQueryParams(c, &form); err != nil {
		return err
	}
	if len(form.Type) > maxFilterValues {
		return echo.NewHTTPError(http.StatusBadRequest, "Too many API types.")
	}
	list, err := p.ui.APIs(c.Request().Context(), form.Type)
	if err != nil {
		return err
	}
	m := views.APIDocsPage{Page: p.page(c, "APIs", views.NavAPIs)}
	for _, t := range list.Types {
		m.Types = append(m.Types, views.FacetOption{Value: t.Value, Label: t.Label, Count: t.Count, Selected: t.Selected})
	}
	for _, r := range list.Rows {
		m.Rows = append(m.Rows, views.APIRow{
			Link:        summaryLink(r.API),
			Type:        r.API.Type,
			Description: r.API.Description,
			Owner:       summaryLink(r.Owner),
			System:      summaryLink(r.System),
			Lifecycle:   r.API.Lifecycle,
			Providers:   summaryLinks(r.Providers),
			Consumers:   summaryLinks(r.Consumers),
		})
	}
	return p.render(c, http.StatusOK, views.APIDocsView(m))
}
