package handlers

import (
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/views"
)

// pages holds the HTML page handlers: the Server's dependencies plus the catalog's page query
// layer, whose entity index is shared by every page.
type pages struct {
	*Server
	ui      *catalog.UI
	apiDefs *apiDefinitions
}

// Routes of the location actions on a Location entity's page.
const (
	refreshSuffix    = "/refresh"
	unregisterSuffix = "/unregister"
)

// pageRoutes registers the web UI: home, catalog list, entity pages, import, API explorer and
// teams, with Backstage's URL scheme.
func (s *Server) pageRoutes(e *echo.Echo) {
	p := &pages{Server: s, ui: catalog.NewUI(s.cfg.Catalog), apiDefs: &apiDefinitions{}}
	e.GET("/", p.homeShow)
	e.GET(views.CatalogURL, p.catalogList)
	e.GET("/catalog/:namespace/:kind/:name", p.entityShow)
	e.POST("/catalog/:namespace/:kind/:name"+refreshSuffix, p.locationRefresh)
	e.POST("/catalog/:namespace/:kind/:name"+unregisterSuffix, p.locationUnregister)
	e.GET(views.ImportURL, p.importShow)
	e.POST(views.ImportURL, p.importAnalyze)
	e.POST(views.ImportConfirmURL, p.importConfirm)
	e.GET(views.APIDocsURL, p.apiDocsList)
	e.GET(views.TeamsURL, p.teamsList)
}

// entityParams is the entity named by an entity page's path.
type entityParams struct {
	Namespace string `param:"namespace"`
	Kind      string `param:"kind"`
	Name      string `param:"name"`
}

// bindEntity reads the entity ref from the path, unescaping each part.
func bindEntity(c echo.Context) (model.Ref, error) {
	var p entityParams
	if err := (&echo.DefaultBinder{}).BindPathParams(c, &p); err != nil {
		return model.Ref{}, err
	}
	unescape := func(s string) string {
		if u, err := url.PathUnescape(s); err == nil {
			return u
		}
		return s
	}
	ref := model.Ref{Kind: unescape(p.Kind), Namespace: unescape(p.Namespace), Name: unescape(p.Name)}
	if ref.Kind == "" || ref.Namespace == "" || ref.Name == "" {
		return model.Ref{}, echo.ErrNotFound
	}
	return ref, nil
}
