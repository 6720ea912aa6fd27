package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/views"
)

// signInForm is what the guest sign-in forms post.
type signInForm struct {
	User     string `form:"user"`
	ReturnTo string `form:"return_to"`
}

// signInShow answers GET /auth/login: with an identity provider it starts the provider's
// sign-in; in guest mode it shows the guest sign-in page.
func (s *Server) signInShow(c echo.Context) error {
	returnTo := c.QueryParam("return_to")
	if !s.auth.GuestMode() {
		to, err := s.auth.BeginLogin(c.Request().Context(), c.Response().Writer, returnTo)
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusFound, to)
	}
	m, err := s.signInPage(c, returnTo)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.SignInView(m))
}

// signInPage builds the sign-in page: the provider's button, or the guest forms with the
// people of the catalog to choose from.
func (s *Server) signInPage(c echo.Context, returnTo string) (views.SignInPage, error) {
	m := views.SignInPage{
		Page:        s.page(c, "Sign in", ""),
		OIDC:        !s.auth.GuestMode(),
		ProviderURL: auth.LoginURL(returnTo),
		ReturnTo:    auth.SafeReturnTo(returnTo),
	}
	if m.OIDC {
		return m, nil
	}
	m.CSRFToken = s.csrfToken(c)
	people, err := s.cfg.Catalog.People(c.Request().Context())
	if err != nil {
		return m, err
	}
	for _, p := range people {
		if p.Ref == auth.GuestRef {
			continue
		}
		m.Users = append(m.Users, views.SignInUser{Name: p.Name, DisplayName: p.DisplayName, Email: p.Email})
	}
	return m, nil
}

// signInGuest answers POST /auth/login in guest mode: it signs in as the guest or as the chosen
// User entity, then goes where the person was going.
func (s *Server) signInGuest(c echo.Context) error {
	var form signInForm
	if err := c.Bind(&form); err != nil {
		return err
	}
	err := s.auth.GuestSignIn(c.Request().Context(), c.Response().Writer, c.Request(), form.User)
	if errors.Is(err, auth.ErrUnknownUser) {
		m, perr := s.signInPage(c, form.ReturnTo)
		if perr != nil {
			return perr
		}
		m.Error = "There is no user named “" + strings.TrimSpace(form.User) + "” in the catalog."
		return s.render(c, http.StatusUnprocessableEntity, views.SignInView(m))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, auth.SafeReturnTo(form.ReturnTo))
}

// signInCallback answers GET /auth/callback: the provider's redirect back after sign-in.
func (s *Server) signInCallback(c echo.Context) error {
	next, err := s.auth.FinishLogin(c.Request().Context(), c.Response().Writer, c.Request())
	var refused *auth.SignInRefusedError
	switch {
	case errors.As(err, &refused):
		m := views.SignInRefusedPage{
			Page:     s.page(c, "Sign-in refused", ""),
			Email:    refused.Email,
			Message:  refused.Message,
			RetryURL: auth.LoginPath,
		}
		for _, g := range refused.Contacts {
			m.Contacts = append(m.Contacts, refLink(g, "Group"))
		}
		return s.render(c, http.StatusForbidden, views.SignInRefusedView(m))
	case errors.Is(err, auth.ErrLoginFailed):
		s.log.InfoContext(c.Request().Context(), "sign-in failed", slog.Any("error", err))
		m := views.SignInPage{
			Page:        s.page(c, "Sign in", ""),
			OIDC:        true,
			ProviderURL: auth.LoginPath,
			Error:       loginFailedMessage(err),
		}
		return s.render(c, http.StatusBadRequest, views.SignInView(m))
	case errors.Is(err, auth.ErrOIDCDisabled):
		return echo.NewHTTPError(http.StatusNotFound, "No identity provider is configured.")
	case err != nil:
		return err
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// loginFailedMessage tells the person what went wrong in words they can act on.
func loginFailedMessage(err error) string {
	var fe *auth.FlowError
	if errors.As(err, &fe) {
		switch fe.Step {
		case auth.StepState:
			return "The sign-in took too long or was started in another browser tab. Please try again."
		case auth.StepProvider:
			return "The identity provider did not sign you in. Please try again."
		}
	}
	return "The sign-in could not be completed. Please try again."
}

// signOut answers POST /auth/logout: the session ends here and, when the provider offers it,
// at the provider too.
func (s *Server) signOut(c echo.Context) error {
	next, err := s.auth.SignOut(c.Request().Context(), c.Response().Writer, c.Request())
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// signedOut answers GET /auth/signed-out, where the provider sends the browser after sign-out.
func (s *Server) signedOut(c echo.Context) error {
	m, err := s.signInPage(c, "")
	if err != nil {
		return err
	}
	m.SignedOut = true
	m.ProviderURL = auth.LoginPath
	return s.render(c, http.StatusOK, views.SignInView(m))
}

// refLink links an entity ref (kind defaulting to defaultKind) to its page.
func refLink(ref, defaultKind string) views.EntityLink {
	parsed, err := model.ParseRef(ref, model.RefContext{DefaultKind: defaultKind})
	if err != nil {
		return views.EntityLink{Ref: ref}
	}
	return views.EntityLink{Ref: parsed.String(), Kind: defaultKind,
		Href: views.EntityURL(parsed.Namespace, parsed.Kind, parsed.Name)}
}
