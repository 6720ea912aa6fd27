package auth

import (
	"strings"
)

// NewNonce returns a fresh random value for a Content-Security-Policy script nonce; one per
// response.
func NewNonce() string { return randomToken(18) }

// SecurityHeaders returns the security headers for a response: a Content-Security-Policy that
// runs only same-origin scripts carrying nonce, forbids framing, plugins and inline styles;
// nosniff; a same-origin referrer policy; and HSTS when served over TLS. formTargets are extra
// origins forms may post or redirect to (the identity provider, for sign-out).
func SecurityHeaders(nonce string, tls bool, formTargets ...string) map[string]string {
	formAction := "'self'"
	for _, t := range formTargets {
		formAction += " " + t
	}
	csp := []string{
		"default-src 'self'",
		"script-src 'self' 'nonce-" + nonce + "'",
		"style-src 'self'",
		"img-src 'self' data:",
		"font-src 'self'",
		"connect-src 'self'",
		"object-src 'none'",
		"base-uri 'none'",
		"form-action " + formAction,
		"frame-ancestors 'none'",
	}
	h := map[string]string{
		"Content-Security-Policy":    strings.Join(csp, "; "),
		"X-Content-Type-Options":     "nosniff",
		"X-Frame-Options":            "DENY",
		"Referrer-Policy":            "same-origin",
		"Cross-Origin-Opener-Policy": "same-origin",
	}
	if tls {
		h["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
	}
	return h
}

// SecurityHeaders is the package function with the identity provider's origins allowed as form
// targets, so that sign-out can redirect to the provider's end-session endpoint.
func (s *Service) SecurityHeaders(nonce string, tls bool) map[string]string {
	return SecurityHeaders(nonce, tls, s.providerOrigins()...)
}
