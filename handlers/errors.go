package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/views"
)

// apiError is Backstage's error response body.
type apiError struct {
	Error    apiErrorDetail   `json:"error"`
	Request  apiErrorRequest  `json:"request"`
	Response apiErrorResponse `json:"response"`
}

type apiErrorDetail struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

type apiErrorRequest struct {
	Method string `json:"method"`
	URL    string `json:"url"`
}

type apiErrorResponse struct {
	StatusCode int `json:"statusCode"`
}

// classify maps a domain error to its HTTP status, Backstage error name and messages.
func classify(err error) (status int, name string, messages []string) {
	var (
		he     *echo.HTTPError
		authv  *auth.ValidationError
		denied *auth.ForbiddenError
		input  *catalog.InputError
		nf     *catalog.NotFoundError
		cf     *catalog.ConflictError
		ve     *model.ValidationError
	)
	switch {
	case errors.As(err, &he):
		msg := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok {
			msg = m
		}
		return he.Code, nameForStatus(he.Code), []string{msg}
	case errors.Is(err, auth.ErrUnauthenticated):
		return http.StatusUnauthorized, "AuthenticationError",
			[]string{"Missing or invalid credentials: sign in, or send Authorization: Bearer <token>"}
	case errors.Is(err, auth.ErrCSRF):
		return http.StatusForbidden, "NotAllowedError",
			[]string{"This form has expired or did not come from Keelson. Reload the page and try again."}
	case errors.As(err, &denied):
		msg := "Permission denied: " + denied.Actor + " may not " + string(denied.Permission)
		if denied.Resource != "" {
			msg += " on " + denied.Resource
		}
		return http.StatusForbidden, "NotAllowedError", []string{msg}
	case errors.Is(err, auth.ErrForbidden):
		return http.StatusForbidden, "NotAllowedError", []string{"Permission denied"}
	case errors.Is(err, auth.ErrGuestDisabled):
		return http.StatusForbidden, "NotAllowedError", []string{"Guest sign-in is off: sign in through your identity provider."}
	case errors.Is(err, auth.ErrProviderUnavailable):
		return http.StatusServiceUnavailable, "ServiceUnavailableError",
			[]string{"The identity provider cannot be reached. Try again in a minute."}
	case errors.As(err, &authv):
		return http.StatusUnprocessableEntity, "InputError", []string{authv.Field + " " + authv.Message}
	case errors.Is(err, auth.ErrTokenNotFound):
		return http.StatusNotFound, "NotFoundError", []string{"No such token."}
	case errors.As(err, &input):
		return http.StatusBadRequest, "InputError", []string{input.Message}
	case errors.As(err, &nf):
		return http.StatusNotFound, "NotFoundError", []string{nf.Message}
	case errors.Is(err, catalog.ErrNotFound):
		return http.StatusNotFound, "NotFoundError", []string{err.Error()}
	case errors.As(err, &cf):
		return http.StatusConflict, "ConflictError", []string{cf.Message}
	case errors.As(err, &ve):
		msgs := make([]string, len(ve.Problems))
		for i, p := range ve.Problems {
			msgs[i] = p.String()
		}
		return http.StatusUnprocessableEntity, "InputError", msgs
	default:
		return http.StatusInternalServerError, "Error", []string{"Internal server error"}
	}
}

func nameForStatus(code int) string {
	switch code {
	case http.StatusBadRequest:
		return "InputError"
	case http.StatusUnauthorized:
		return "AuthenticationError"
	case http.StatusForbidden:
		return "NotAllowedError"
	case http.StatusNotFound:
		return "NotFoundError"
	case http.StatusConflict:
		return "ConflictError"
	default:
		return "Error"
	}
}

// handleError is the one place errors become responses: Backstage's JSON error body for API
// clients, an error page for browsers. Unexpected errors are logged once, with the request id.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, name, messages := classify(err)
	requestID := c.Response().Header().Get(echo.HeaderXRequestID)
	if status >= 500 {
		s.log.Error("request failed", slog.String("request_id", requestID), slog.String("method", c.Request().Method),
			slog.String("path", c.Request().URL.Path), slog.Any("error", err))
	}
	if wantsJSON(c) {
		body := apiError{
			Error:    apiErrorDetail{Name: name, Message: strings.Join(messages, "; ")},
			Request:  apiErrorRequest{Method: c.Request().Method, URL: c.Request().URL.RequestURI()},
			Response: apiErrorResponse{StatusCode: status},
		}
		if c.Request().Method == http.MethodHead {
			c.NoContent(status)
			return
		}
		c.JSON(status, body)
		return
	}
	page := s.page(c, "", "")
	if status == http.StatusNotFound {
		s.render(c, status, views.NotFoundView(views.NotFoundPage{Page: withTitle(page, "Not found"), Path: c.Request().URL.Path}))
		return
	}
	heading := ""
	// A 503 says what is unavailable (the identity provider, say); other server errors say
	// nothing beyond the request id.
	if status < 500 || status == http.StatusServiceUnavailable {
		heading = http.StatusText(status)
	} else {
		messages = nil
	}
	s.render(c, status, views.ErrorView(views.ErrorPage{Page: withTitle(page, http.StatusText(status)), Status: status,
		Heading: heading, Messages: messages, RequestID: requestID}))
}

// wantsJSON tells API clients from browsers: the API prefix, or an Accept header without HTML.
func wantsJSON(c echo.Context) bool {
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		return true
	}
	accept := c.Request().Header.Get(echo.HeaderAccept)
	return accept != "" && !strings.Contains(accept, "text/html") && strings.Contains(accept, "json")
}

func withTitle(p views.Page, title string) views.Page {
	p.Title = title
	return p
}
