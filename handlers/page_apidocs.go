package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/views"
)

// apiDocsForm filters the API explorer by type.
type apiDocsForm struct {
	Type   []string `query:"type"`
	Cursor string   `query:"cursor"`
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
	list, err := p.ui.APIs(c.Request().Context(), form.Type, form.Cursor)
	if err != nil {
		return err
	}
	m := views.APIDocsPage{Page: p.page(c, "APIs", views.NavAPIs), Total: list.Total,
		PrevHref: form.pageHref(list.PrevCursor), NextHref: form.pageHref(list.NextCursor)}
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

// pageHref is the explorer with the same types at another page; "" without a cursor.
func (f *apiDocsForm) pageHref(cursor string) string {
	if cursor == "" {
		return ""
	}
	v := url.Values{"type": f.Type, "cursor": {cursor}}
	return views.APIDocsURL + "?" + v.Encode()
}
