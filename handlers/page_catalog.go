package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/views"
)

// catalogForm is the catalog list's state: the URL carries all of it.
type catalogForm struct {
	Kind      []string `query:"kind"`
	Type      []string `query:"type"`
	Owner     []string `query:"owner"`
	Lifecycle []string `query:"lifecycle"`
	System    []string `query:"system"`
	Namespace []string `query:"namespace"`
	Tag       []string `query:"tag"`
	Q         string   `query:"q"`
	Sort      string   `query:"sort"`
	Cursor    string   `query:"cursor"`
}

// Bounds on what the catalog form accepts and shows.
const (
	maxQueryLength  = 200
	maxFilterValues = 50
	// maxFacetOptions keeps a facet with hundreds of values (owners, systems) short: the
	// values with the most matches are shown, and every selected one.
	maxFacetOptions = 25
)

var facetLabels = map[string]string{
	catalog.FacetKind: "Kind", catalog.FacetType: "Type", catalog.FacetOwner: "Owner",
	catalog.FacetLifecycle: "Lifecycle", catalog.FacetSystem: "System", catalog.FacetNamespace: "Namespace",
	catalog.FacetTag: "Tag",
}

func (f *catalogForm) filters() map[string][]string {
	return map[string][]string{
		catalog.FacetKind: f.Kind, catalog.FacetType: f.Type, catalog.FacetOwner: f.Owner,
		catalog.FacetLifecycle: f.Lifecycle, catalog.FacetSystem: f.System, catalog.FacetNamespace: f.Namespace,
		catalog.FacetTag: f.Tag,
	}
}

func (f *catalogForm) validate() error {
	if len(f.Q) > maxQueryLength {
		return echo.NewHTTPError(http.StatusBadRequest, "The search text is longer than 200 characters.")
	}
	for _, vs := range f.filters() {
		if len(vs) > maxFilterValues {
			return echo.NewHTTPError(http.StatusBadRequest, "Too many values for one filter.")
		}
	}
	return nil
}

// values renders the state back into URL parameters; cursor is left out.
func (f *catalogForm) values(sort string) url.Values {
	v := url.Values{}
	for _, param := range catalog.ListFacets() {
		for _, x := range f.filters()[param] {
			if x = strings.TrimSpace(x); x != "" {
				v.Add(param, x)
			}
		}
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		v.Set("q", q)
	}
	if sort != "" {
		v.Set("sort", sort)
	}
	return v
}

func catalogURL(v url.Values) string {
	if len(v) == 0 {
		return views.CatalogURL
	}
	return views.CatalogURL + "?" + v.Encode()
}

// catalogList answers GET /catalog: the whole page, or only the table for htmx.
func (p *pages) catalogList(c echo.Context) error {
	var form catalogForm
	if err := (&echo.DefaultBinder{}).BindQueryParams(c, &form); err != nil {
		return err
	}
	if err := form.validate(); err != nil {
		return err
	}
	res, err := p.ui.List(c.Request().Context(), catalog.ListRequest{
		Filters: form.filters(), Q: form.Q, Sort: form.Sort, Cursor: form.Cursor, MaxOptions: maxFacetOptions,
	})
	if err != nil {
		return err
	}
	table := catalogTable(&form, res)
	m := views.CatalogPage{
		Filters: views.CatalogFilters{Q: form.Q, Sort: table.Sort},
		Table:   table,
	}
	for _, f := range res.Facets {
		m.Facets = append(m.Facets, facetGroup(f))
	}
	c.Response().Header().Add(echo.HeaderVary, "HX-Request")
	if c.Request().Header.Get("HX-Request") == "true" {
		return p.render(c, http.StatusOK, views.CatalogResultsPartial(m))
	}
	m.Page = p.page(c, "Catalog", views.NavCatalog)
	return p.render(c, http.StatusOK, views.CatalogView(m))
}

// catalogTable maps a list result to the table with sort and page links.
func catalogTable(form *catalogForm, res *catalog.ListResult) views.CatalogTable {
	sort := res.SortField
	if res.Desc {
		sort = "-" + sort
	}
	if form.Sort == "" && sort == "name" {
		sort = ""
	}
	t := views.CatalogTable{Rows: summaryRows(res.Items, res.Related), Total: res.Total, Sort: sort}
	for _, key := range catalog.SortFields() {
		col := views.SortColumn{Key: key, Href: catalogURL(form.values(key))}
		if key == res.SortField {
			if res.Desc {
				col.Direction = "desc"
			} else {
				col.Direction = "asc"
				col.Href = catalogURL(form.values("-" + key))
			}
		}
		t.Columns = append(t.Columns, col)
	}
	page := func(cursor string) string {
		if cursor == "" {
			return ""
		}
		v := form.values(sort)
		v.Set("cursor", cursor)
		return catalogURL(v)
	}
	t.NextHref, t.PrevHref = page(res.NextCursor), page(res.PrevCursor)
	return t
}

// facetGroup maps one facet.
func facetGroup(f catalog.Facet) views.FacetGroup {
	g := views.FacetGroup{Param: f.Param, Label: facetLabels[f.Param], Hidden: f.Hidden}
	for _, o := range f.Options {
		g.Options = append(g.Options, views.FacetOption{Value: o.Value, Label: o.Label, Count: o.Count, Selected: o.Selected})
	}
	return g
}
