package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/auth"
)

// openPath reports whether path is served to anyone without looking at credentials: health,
// readiness, metrics and the static assets.
func openPath(path string) bool {
	switch path {
	case "/healthz", "/readyz", "/metrics":
		return true
	}
	return strings.HasPrefix(path, "/static/")
}

// authPath reports whether path belongs to the sign-in flow, which must be reachable without a
// session.
func authPath(path string) bool { return path == "/auth" || strings.HasPrefix(path, "/auth/") }

func apiPath(path string) bool { return strings.HasPrefix(path, "/api/") }

// authenticate identifies the caller by bearer token or session cookie and puts them into the
// request's context. Without valid credentials: the sign-in pages are served anyway; a presented
// but invalid (or revoked) token is a 401; in guest mode the caller reads as auth.Anonymous();
// with an identity provider, the API answers 401 and pages redirect to sign-in, remembering
// where the browser was going.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		path := r.URL.Path
		if openPath(path) {
			return next(c)
		}
		caller, err := s.auth.Authenticate(r.Context(), r)
		switch {
		case err == nil:
		case !errors.Is(err, auth.ErrUnauthenticated):
			return err
		case authPath(path):
			caller = auth.Caller{Identity: auth.Anonymous()}
		case r.Header.Get(echo.HeaderAuthorization) != "":
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="keelson"`)
			return auth.ErrUnauthenticated
		case s.auth.GuestMode():
			caller = auth.Caller{Identity: auth.Anonymous()}
		case apiPath(path) || (r.Method != http.MethodGet && r.Method != http.MethodHead):
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="keelson"`)
			return auth.ErrUnauthenticated
		default:
			return c.Redirect(http.StatusFound, auth.LoginURL(r.URL.RequestURI()))
		}
		c.SetRequest(r.WithContext(auth.WithCaller(r.Context(), caller)))
		return next(c)
	}
}

// csrf refuses state-changing requests that carry ambient credentials (a session cookie) or
// come from a form (the sign-in form included) unless they carry the page's CSRF token and,
// when the browser names an origin, come from Keelson's own. Bearer-token requests need no
// token: a browser never attaches one by itself. API requests with neither token nor session
// act as auth.Anonymous(), which may only read, so they have nothing to forge.
func (s *Server) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			return next(c)
		}
		if openPath(r.URL.Path) {
			return next(c)
		}
		caller := callerOf(c)
		if caller.Identity.Kind == auth.KindToken {
			return next(c)
		}
		if apiPath(r.URL.Path) && caller.Session == nil {
			return next(c)
		}
		if err := s.auth.VerifyCSRF(r, caller.Session); err != nil {
			return err
		}
		return next(c)
	}
}

// callerOf returns who made the request; auth.Anonymous() when nobody was identified.
func callerOf(c echo.Context) auth.Caller {
	if caller, ok := auth.CallerFrom(c.Request().Context()); ok {
		return caller
	}
	return auth.Caller{Identity: auth.Anonymous()}
}

// csrfToken is the token the request's page must put into its forms, tied to the same session
// the csrf middleware checks against.
func (s *Server) csrfToken(c echo.Context) string {
	return s.auth.CSRFToken(c.Response().Writer, c.Request(), callerOf(c).Session)
}
