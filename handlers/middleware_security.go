package handlers

import (
	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/auth"
)

// requestMeta puts the request id and the client address into the request's context, so that
// audit events recorded while serving it name the request they happened in.
func (s *Server) requestMeta(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		meta := auth.RequestMeta{RequestID: c.Response().Header().Get(echo.HeaderXRequestID), IP: c.RealIP()}
		c.SetRequest(r.WithContext(auth.WithRequestMeta(r.Context(), meta)))
		return next(c)
	}
}

// securityHeaders sets the Content-Security-Policy (with a fresh script nonce), framing,
// sniffing, referrer and, over TLS, HSTS headers on every response, and hands the nonce to templ
// so that the layout's script tags carry it.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		nonce := auth.NewNonce()
		h := c.Response().Header()
		for k, v := range s.auth.SecurityHeaders(nonce, r.TLS != nil || s.auth.Config().Secure) {
			h.Set(k, v)
		}
		c.SetRequest(r.WithContext(templ.WithNonce(r.Context(), nonce)))
		return next(c)
	}
}
