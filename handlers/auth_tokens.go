package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/views"
)

// tokenForm is what the create-token form posts.
type tokenForm struct {
	Name  string `form:"name"`
	Scope string `form:"scope"`
}

// tokensList answers GET /admin/tokens.
func (s *Server) tokensList(c echo.Context) error {
	id, ok, err := requireUser(c)
	if !ok {
		return err
	}
	m, err := s.tokensPage(c, id)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.TokensView(m))
}

// tokenCreate answers POST /admin/tokens: the new token is shown once, on the page the form
// posted to, and never again.
func (s *Server) tokenCreate(c echo.Context) error {
	id, ok, err := requireUser(c)
	if !ok {
		return err
	}
	var form tokenForm
	if err := c.Bind(&form); err != nil {
		return err
	}
	created, err := s.auth.CreateToken(c.Request().Context(), id, form.Name, auth.Scope(form.Scope))
	var invalid *auth.ValidationError
	if errors.As(err, &invalid) {
		m, err := s.tokensPage(c, id)
		if err != nil {
			return err
		}
		m.Form = views.TokenForm{Name: form.Name, Scope: form.Scope, Error: tokenFieldLabel(invalid.Field) + " " + invalid.Message + "."}
		return s.render(c, http.StatusUnprocessableEntity, views.TokensView(m))
	}
	if err != nil {
		return err
	}
	m, err := s.tokensPage(c, id)
	if err != nil {
		return err
	}
	m.Created = &views.CreatedToken{Name: created.Name, Scope: string(created.Scope), Value: created.Plaintext}
	return s.render(c, http.StatusOK, views.TokensView(m))
}

// tokenRevoke answers POST /admin/tokens/:id/revoke; the token stops working at once.
func (s *Server) tokenRevoke(c echo.Context) error {
	id, ok, err := requireUser(c)
	if !ok {
		return err
	}
	if err := s.auth.RevokeToken(c.Request().Context(), id, c.Param("id")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, views.AdminTokensURL)
}

// tokensPage lists the tokens; it is refused unless id may manage tokens.
func (s *Server) tokensPage(c echo.Context, id auth.Identity) (views.TokensPage, error) {
	tokens, err := s.auth.ListTokens(c.Request().Context(), id)
	if err != nil {
		return views.TokensPage{}, err
	}
	m := views.TokensPage{Page: s.page(c, "API tokens", views.NavAdmin), CSRFToken: s.csrfToken(c)}
	for _, t := range tokens {
		row := views.TokenRow{ID: t.ID, Name: t.Name, Scope: string(t.Scope), CreatedBy: actorLink(t.CreatedBy),
			Created: t.CreatedAt}
		if t.LastUsedAt != nil {
			row.LastUsed = *t.LastUsedAt
		}
		if t.RevokedAt != nil {
			row.Revoked = *t.RevokedAt
		}
		m.Tokens = append(m.Tokens, row)
	}
	return m, nil
}

// actorLink links a user ref to its entity page.
func actorLink(ref string) views.EntityLink {
	if !strings.HasPrefix(ref, "user:") || ref == auth.GuestRef {
		return views.EntityLink{Ref: ref, Title: ref}
	}
	return refLink(ref, "User")
}

func tokenFieldLabel(field string) string {
	switch field {
	case "name":
		return "The name"
	case "scope":
		return "The scope"
	}
	return field
}
