package handlers

import (
	"bytes"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/views"
)

// render renders a component into a buffer with the request's context, then writes the
// status and the body, so a failing render becomes a 500 rather than half a page.
// Buffers are reused across requests: a page is tens of kilobytes, and allocating one per
// request was a fifth of a catalog page's cost.
func (s *Server) render(c echo.Context, status int, component templ.Component) error {
	buf := s.buffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			buf.Reset()
			s.buffers.Put(buf)
		}
	}()
	if err := component.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// maxPooledBuffer keeps an unusually large page's buffer from being held for ever.
const maxPooledBuffer = 1 << 20

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
	s.pageUser(c, &p)
	return p
}

// navAudit marks the audit log page in Page.Active; views.NavAdmin marks the tokens page.
const navAudit = "admin-audit"

// pageUser fills what the layout shows about the caller: their name and sign-out button (or a
// sign-in link), the guest-mode banner, and the admin navigation for admins.
func (s *Server) pageUser(c echo.Context, p *views.Page) {
	r := c.Request()
	caller := callerOf(c)
	id := caller.Identity
	switch id.Kind {
	case auth.KindUser:
		p.User = &views.User{DisplayName: id.DisplayName, Href: userHref(id.Ref)}
		if caller.Session != nil {
			p.SignOut = &views.SignOut{URL: auth.LogoutPath, CSRFToken: s.csrfToken(c)}
		}
	case auth.KindToken:
		p.User = &views.User{DisplayName: id.DisplayName}
	default:
		if !authPath(r.URL.Path) {
			p.SignInURL = auth.LoginURL(r.URL.RequestURI())
		}
	}
	if s.auth.GuestMode() {
		if id.Kind == auth.KindUser {
			p.Banner = "You are signed in as " + id.DisplayName + " in guest mode: no identity provider is configured, so anyone can sign in as anyone. Do not use this mode for real data."
		} else {
			p.Banner = "Guest mode: no identity provider is configured, so anyone can sign in as a guest or as anyone in the catalog. Do not use this mode for real data."
		}
	}
	if id.Kind == auth.KindUser && id.Role == auth.RoleAdmin {
		p.ExtraNav = append(p.ExtraNav,
			views.NavItem{Key: views.NavAdmin, Label: "Tokens", Href: views.AdminTokensURL},
			views.NavItem{Key: navAudit, Label: "Audit log", Href: views.AdminAuditURL})
	}
}

// userHref links a user ref to its entity page; the built-in guest has none.
func userHref(ref string) string {
	if ref == "" || ref == auth.GuestRef {
		return ""
	}
	parsed, err := model.ParseRef(ref, model.RefContext{DefaultKind: "user"})
	if err != nil {
		return ""
	}
	return views.EntityURL(parsed.Namespace, parsed.Kind, parsed.Name)
}
