package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/model"
)

// catalogRoutes registers the Backstage-compatible catalog API.
func (s *Server) catalogRoutes(g *echo.Group) {
	g.GET("/entities", s.apiEntities)
	g.GET("/entities/by-query", s.apiEntitiesByQuery)
	g.POST("/entities/by-refs", s.apiEntitiesByRefs)
	g.GET("/entities/by-uid/:uid", s.apiEntityByUID)
	g.DELETE("/entities/by-uid/:uid", s.apiDeleteEntityByUID)
	g.GET("/entities/by-name/:kind/:namespace/:name", s.apiEntityByName)
	g.GET("/entities/by-name/:kind/:namespace/:name/ancestry", s.apiEntityAncestry)
	g.GET("/entity-facets", s.apiEntityFacets)
	g.POST("/refresh", s.apiRefresh)
	g.POST("/validate-entity", s.apiValidateEntity)
	g.GET("/locations", s.apiLocations)
	g.POST("/locations", s.apiAddLocation)
	g.GET("/locations/:id", s.apiLocation)
	g.DELETE("/locations/:id", s.apiDeleteLocation)
	g.GET("/locations/by-entity/:kind/:namespace/:name", s.apiLocationByEntity)
}

var orderParam = regexp.MustCompile(`^(asc|desc):(.+)$`)

// apiEntities answers GET /entities: a JSON array, with a Link header to the next page.
func (s *Server) apiEntities(c echo.Context) error {
	q := c.QueryParams()
	filter, err := catalog.ParseFilter(q["filter"])
	if err != nil {
		return err
	}
	req := catalog.EntitiesRequest{Filter: filter, Fields: catalog.ParseFields(q["fields"]), After: q.Get("after")}
	for _, o := range q["order"] {
		m := orderParam.FindStringSubmatch(o)
		if m == nil {
			return &catalog.InputError{Message: `Invalid order parameter "` + o + `", expected "<asc or desc>:<field name>"`}
		}
		req.Order = append(req.Order, catalog.OrderField{Order: m[1], Field: m[2]})
	}
	if req.Limit, err = intParam(q, "limit"); err != nil {
		return err
	}
	if req.Offset, err = intParam(q, "offset"); err != nil {
		return err
	}
	page, err := s.cfg.Catalog.Entities(c.Request().Context(), req)
	if err != nil {
		return err
	}
	if page.After != "" {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Del("offset")
		next.Set("after", page.After)
		c.Response().Header().Set("Link", "<"+c.Request().URL.Path+"?"+next.Encode()+`>; rel="next"`)
	}
	return writeJSONArray(c, page.Items)
}

// apiEntitiesByQuery answers GET /entities/by-query.
func (s *Server) apiEntitiesByQuery(c echo.Context) error {
	q := c.QueryParams()
	req := catalog.QueryRequest{Fields: catalog.ParseFields(q["fields"]), Cursor: q.Get("cursor")}
	if q.Has("limit") {
		n, err := intParam(q, "limit")
		if err != nil {
			return err
		}
		req.Limit = &n
	}
	var err error
	if req.Offset, err = intParam(q, "offset"); err != nil {
		return err
	}
	if req.Cursor == "" {
		if req.Filter, err = catalog.ParseFilter(q["filter"]); err != nil {
			return err
		}
		req.FullText = catalog.FullTextFilter{Term: q.Get("fullTextFilterTerm"), Fields: catalog.ParseFields(q["fullTextFilterFields"])}
		if of := q["orderField"]; len(of) > 0 {
			field, order, _ := strings.Cut(of[0], ",")
			if order != "" && order != "asc" && order != "desc" {
				return &catalog.InputError{Message: "Invalid order field order, must be asc or desc"}
			}
			if order == "" {
				order = "asc"
			}
			req.OrderField = &catalog.OrderField{Field: field, Order: order}
		}
	}
	res, err := s.cfg.Catalog.QueryEntities(c.Request().Context(), req)
	if err != nil {
		return err
	}
	return writeQueryResult(c, res)
}

type byRefsBody struct {
	EntityRefs []string `json:"entityRefs"`
	Fields     []string `json:"fields"`
}

// apiEntitiesByRefs answers POST /entities/by-refs: {items} in the order asked, null where missing.
func (s *Server) apiEntitiesByRefs(c echo.Context) error {
	var body byRefsBody
	if err := bindJSON(c, &body); err != nil {
		return err
	}
	if body.EntityRefs == nil {
		return &catalog.InputError{Message: "Malformed request body: entityRefs must be an array of strings"}
	}
	q := c.QueryParams()
	filter, err := catalog.ParseFilter(q["filter"])
	if err != nil {
		return err
	}
	fields := catalog.ParseFields(q["fields"])
	if len(fields) == 0 {
		fields = body.Fields
	}
	items, err := s.cfg.Catalog.EntitiesByRefs(c.Request().Context(), body.EntityRefs, fields, filter)
	if err != nil {
		return err
	}
	return writeItems(c, items)
}

func (s *Server) apiEntityByUID(c echo.Context) error {
	body, err := s.cfg.Catalog.EntityByUID(c.Request().Context(), c.Param("uid"))
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, body)
}

func (s *Server) apiDeleteEntityByUID(c echo.Context) error {
	ref, err := s.authorizeRemoveEntity(c, c.Param("uid"))
	if err != nil {
		return err
	}
	if err := s.cfg.Catalog.DeleteEntityByUID(c.Request().Context(), c.Param("uid")); err != nil {
		return err
	}
	s.recordChange(c, actionEntityRemoved, ref.String(), nil)
	return c.NoContent(http.StatusNoContent)
}

func nameParams(c echo.Context) model.Ref {
	return model.Ref{Kind: c.Param("kind"), Namespace: c.Param("namespace"), Name: c.Param("name")}
}

func (s *Server) apiEntityByName(c echo.Context) error {
	body, err := s.cfg.Catalog.EntityByRef(c.Request().Context(), nameParams(c))
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, body)
}

func (s *Server) apiEntityAncestry(c echo.Context) error {
	a, err := s.cfg.Catalog.EntityAncestry(c.Request().Context(), nameParams(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// apiEntityFacets answers GET /entity-facets?facet=...&filter=....
func (s *Server) apiEntityFacets(c echo.Context) error {
	q := c.QueryParams()
	facets := q["facet"]
	if len(facets) == 0 {
		return &catalog.InputError{Message: "Missing facet parameter"}
	}
	filter, err := catalog.ParseFilter(q["filter"])
	if err != nil {
		return err
	}
	res, err := s.cfg.Catalog.Facets(c.Request().Context(), facets, filter)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"facets": res})
}

func intParam(q url.Values, name string) (int, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, &catalog.InputError{Message: "Invalid " + name + " query parameter \"" + v + "\", must be a non-negative integer"}
	}
	return n, nil
}
