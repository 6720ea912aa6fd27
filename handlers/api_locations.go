package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/model"
)

type locationBody struct {
	Type   string `json:"type"`
	Target string `json:"target"`
}

// apiLocations answers GET /locations: [{data: {id, type, target}}].
func (s *Server) apiLocations(c echo.Context) error {
	locs, err := s.cfg.Catalog.Locations(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]map[string]catalog.Location, len(locs))
	for i, l := range locs {
		out[i] = map[string]catalog.Location{"data": l}
	}
	return c.JSON(http.StatusOK, out)
}

// apiAddLocation answers POST /locations[?dryRun=true] with 201 and {location, entities}. A dry
// run needs the same permission as registering: it reads whatever the target points at.
func (s *Server) apiAddLocation(c echo.Context) error {
	var body locationBody
	if err := bindJSON(c, &body); err != nil {
		return err
	}
	dryRun, _ := strconv.ParseBool(c.QueryParam("dryRun"))
	spec := catalog.Spec{Type: body.Type, Target: body.Target}
	if err := s.authorizeRegister(c, spec); err != nil {
		return err
	}
	res, err := s.cfg.Catalog.AddLocation(c.Request().Context(), spec, dryRun)
	if err != nil {
		return err
	}
	if !dryRun {
		s.recordChange(c, auth.ActionLocationAdded, spec.Key(), map[string]string{"id": res.Location.ID})
	}
	if res.Entities == nil {
		res.Entities = []*model.Entity{}
	}
	return c.JSON(http.StatusCreated, res)
}

func (s *Server) apiLocation(c echo.Context) error {
	l, err := s.cfg.Catalog.GetLocation(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

// apiDeleteLocation answers DELETE /locations/:id: the location and the entities it brought in
// are removed, by an admin, a write token or whoever owns all of those entities.
func (s *Server) apiDeleteLocation(c echo.Context) error {
	loc, err := s.cfg.Catalog.GetLocation(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if err := s.authorizeUnregister(c, loc); err != nil {
		return err
	}
	if err := s.cfg.Catalog.DeleteLocation(c.Request().Context(), loc.ID); err != nil {
		return err
	}
	s.recordChange(c, auth.ActionLocationRemoved, loc.Spec().Key(), map[string]string{"id": loc.ID})
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) apiLocationByEntity(c echo.Context) error {
	l, err := s.cfg.Catalog.LocationByEntity(c.Request().Context(), nameParams(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}
