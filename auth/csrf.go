package auth

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// CSRFField is the form field that carries the CSRF token (views.CSRFField has the same value).
const CSRFField = "_csrf"

// CSRFHeader is the request header that carries the CSRF token for scripted requests (htmx).
const CSRFHeader = "X-CSRF-Token"

// ErrCSRF means a state-changing request did not prove it came from Keelson's own pages.
var ErrCSRF = errors.New("auth: cross-site request forgery check failed")

func (s *Service) csrfCookieName() string { return s.cookieName("keelson_csrf") }

// CSRFToken returns the token the page's forms must carry: the session's own token, or for a
// caller without a session a double-submit token kept in a cookie (set on w when missing).
func (s *Service) CSRFToken(w http.ResponseWriter, r *http.Request, sess *Session) string {
	if sess != nil {
		return sess.CSRFToken
	}
	if c, err := r.Cookie(s.csrfCookieName()); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	tok := randomToken(32)
	http.SetCookie(w, s.cookie(s.csrfCookieName(), tok, 0))
	// Later reads in the same request see the new token.
	r.AddCookie(&http.Cookie{Name: s.csrfCookieName(), Value: tok})
	return tok
}

// VerifyCSRF checks a state-changing request from a browser: the token in the CSRFField form
// field or the CSRFHeader header must equal the session's token (or, without a session, the
// double-submit cookie), compared in constant time; and an Origin header, when sent, must be
// Keelson's own. Requests authenticated by a bearer token need no CSRF check.
func (s *Service) VerifyCSRF(r *http.Request, sess *Session) error {
	if o := r.Header.Get("Origin"); o != "" && !s.sameOrigin(r, o) {
		return ErrCSRF
	}
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		got = r.PostFormValue(CSRFField)
	}
	var want string
	if sess != nil {
		want = sess.CSRFToken
	} else if c, err := r.Cookie(s.csrfCookieName()); err == nil {
		want = c.Value
	}
	if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return ErrCSRF
	}
	return nil
}

// sameOrigin reports whether origin is Keelson's: the base URL's origin, or (without a base
// URL) the request's own host.
func (s *Service) sameOrigin(r *http.Request, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if s.cfg.BaseURL != "" {
		b, err := url.Parse(s.cfg.BaseURL)
		return err == nil && strings.EqualFold(b.Scheme, u.Scheme) && strings.EqualFold(b.Host, u.Host)
	}
	return strings.EqualFold(u.Host, r.Host)
}
