package handlers

import (
	"bytes"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/views"
)

// render renders a component into a buffer with the request's context, then writes the
// status and the body, so a failing render becomes a 500 rather than half a page.
func (s *Server) render(c echo.Context, status int, component templ.Component) error {
	var buf bytes.Buffer
	if err := component.Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// page builds the layout model every page shares.
func (s *Server) page(c echo.Context, title, active string) views.Page {
	p := views.Page{Title: title, Active: active, Version: s.cfg.Version, Query: c.QueryParam("q")}
	if a := s.cfg.Assets; a != nil {
		p.Assets = views.AssetPaths{
			CSS:     a.Path("css/app.css"),
			AppJS:   a.Path("js/app.js"),
			HtmxJS:  a.Path("js/htmx.min.js"),
			Favicon: a.Path("img/favicon.svg"),
		}
	}
	return p
}
