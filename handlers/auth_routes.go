package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/views"
)

// authRoutes registers sign-in, sign-out, the admin pages and the audit log API.
func (s *Server) authRoutes(e *echo.Echo) {
	e.GET(auth.LoginPath, s.signInShow)
	e.POST(auth.LoginPath, s.signInGuest)
	e.GET(auth.CallbackPath, s.signInCallback)
	e.POST(auth.LogoutPath, s.signOut)
	e.GET(auth.SignedOutPath, s.signedOut)
	e.GET(views.AdminTokensURL, s.tokensList)
	e.POST(views.AdminTokensURL, s.tokenCreate)
	e.POST(views.AdminTokensURL+"/:id/revoke", s.tokenRevoke)
	e.GET(views.AdminAuditURL, s.auditShow)
	e.GET("/api/audit", s.apiAudit)
}

// guestAuth is the auth service of a server configured without one: guest sign-in, sessions
// and tokens in the catalog's database, nobody an admin.
func guestAuth(cfg Config) *auth.Service {
	svc, err := auth.NewService(auth.Config{}, cfg.Catalog.DB(), NewDirectory(cfg.Catalog), cfg.Logger)
	if err != nil {
		// Only a missing database or directory fails a zero configuration: a wiring mistake.
		panic(fmt.Sprintf("handlers: guest-mode auth: %v", err))
	}
	return svc
}

// requireUser makes sure a person is signed in before a page that acts as them. When not, ok
// is false and the response is decided: a GET is sent to sign in and back, anything else is
// refused with err.
func requireUser(c echo.Context) (id auth.Identity, ok bool, err error) {
	id = callerOf(c).Identity
	if id.Kind == auth.KindUser {
		return id, true, nil
	}
	if r := c.Request(); r.Method == http.MethodGet || r.Method == http.MethodHead {
		return auth.Identity{}, false, c.Redirect(http.StatusFound, auth.LoginURL(r.URL.RequestURI()))
	}
	return auth.Identity{}, false, auth.ErrUnauthenticated
}
