package handlers

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/model"
)

type refreshBody struct {
	EntityRef string `json:"entityRef"`
}

// apiRefresh answers POST /refresh {entityRef}: the entity's location is read again, for an
// admin, a write token or the entity's owner.
func (s *Server) apiRefresh(c echo.Context) error {
	var body refreshBody
	if err := bindJSON(c, &body); err != nil {
		return err
	}
	ref, err := model.ParseRef(body.EntityRef, model.RefContext{})
	if err != nil {
		return &catalog.InputError{Message: "Invalid entityRef: " + err.Error()}
	}
	if err := s.authorizeEntity(c, auth.PermEntityRefresh, ref); err != nil {
		return err
	}
	if err := s.cfg.Catalog.RefreshEntity(c.Request().Context(), ref); err != nil {
		return err
	}
	s.recordChange(c, actionEntityRefreshed, ref.String(), nil)
	return c.NoContent(http.StatusOK)
}

type validateBody struct {
	Entity   json.RawMessage `json:"entity"`
	Location string          `json:"location"`
}

type serializedError struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

// apiValidateEntity answers POST /validate-entity {entity, location}: 200 when the entity is
// valid, 400 with {errors: [...]} listing every problem otherwise.
func (s *Server) apiValidateEntity(c echo.Context) error {
	var body validateBody
	if err := bindJSON(c, &body); err != nil {
		return c.JSON(http.StatusBadRequest, map[string]any{"errors": []serializedError{{"InputError", err.Error()}}})
	}
	if !strings.HasPrefix(body.Location, "url:") {
		return c.JSON(http.StatusBadRequest, map[string]any{"errors": []serializedError{{"TypeError",
			"Invalid location ref " + body.Location + ", only 'url:<target>' is supported, e.g. url:https://host/path"}}})
	}
	var raw map[string]any
	if err := json.Unmarshal(body.Entity, &raw); err != nil || raw == nil {
		return c.JSON(http.StatusBadRequest, map[string]any{"errors": []serializedError{{"TypeError", "Entity must be an object"}}})
	}
	if err := catalog.Validate(raw); err != nil {
		var errs []serializedError
		if ve, ok := err.(*model.ValidationError); ok {
			for _, p := range ve.Problems {
				errs = append(errs, serializedError{"InputError", p.String()})
			}
		} else {
			errs = append(errs, serializedError{"InputError", err.Error()})
		}
		return c.JSON(http.StatusBadRequest, map[string]any{"errors": errs})
	}
	return c.NoContent(http.StatusOK)
}
