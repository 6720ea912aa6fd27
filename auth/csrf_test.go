package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/database"
)

func TestVerifyCSRF(t *testing.T) {
	svc := newGuestService(t, database.OpenTest(t, "sqlite"), newClock())
	ctx := context.Background()
	cookie := guestSignIn(t, svc, "jane.doe")
	sess, err := svc.SessionFromRequest(ctx, requestWith(cookie))
	if err != nil {
		t.Fatal(err)
	}
	other := guestSignIn(t, svc, "ada")
	otherSess, err := svc.SessionFromRequest(ctx, requestWith(other))
	if err != nil {
		t.Fatal(err)
	}

	// The anonymous double-submit token comes from a first page view.
	view := httptest.NewRequest(http.MethodGet, "/auth/login", nil)
	rec := httptest.NewRecorder()
	anonToken := svc.CSRFToken(rec, view, nil)
	anonCookie := cookieNamed(rec.Header(), "keelson_csrf")
	if anonCookie == nil || anonCookie.Value != anonToken || !anonCookie.HttpOnly {
		t.Fatalf("anonymous CSRF cookie = %+v, token %q", anonCookie, anonToken)
	}
	if again := svc.CSRFToken(httptest.NewRecorder(), view, nil); again != anonToken {
		t.Errorf("second CSRFToken in one request = %q, want %q", again, anonToken)
	}
	if got := svc.CSRFToken(httptest.NewRecorder(), view, sess); got != sess.CSRFToken {
		t.Errorf("CSRFToken with a session = %q, want the session's", got)
	}

	tests := []struct {
		name    string
		sess    *auth.Session
		form    string // _csrf form value
		header  string // X-CSRF-Token
		cookie  *http.Cookie
		origin  string
		wantErr bool
	}{
		{name: "session token in form", sess: sess, form: sess.CSRFToken},
		{name: "session token in header", sess: sess, header: sess.CSRFToken},
		{name: "same origin", sess: sess, form: sess.CSRFToken, origin: "http://127.0.0.1:7007"},
		{name: "missing token", sess: sess, wantErr: true},
		{name: "wrong token", sess: sess, form: "forged", wantErr: true},
		{name: "another session's token", sess: sess, form: otherSess.CSRFToken, wantErr: true},
		{name: "truncated token", sess: sess, form: sess.CSRFToken[:20], wantErr: true},
		{name: "cross origin", sess: sess, form: sess.CSRFToken, origin: "https://evil.example", wantErr: true},
		{name: "null origin", sess: sess, form: sess.CSRFToken, origin: "null", wantErr: true},
		{name: "anonymous double submit", form: anonToken, cookie: anonCookie},
		{name: "anonymous without cookie", form: anonToken, wantErr: true},
		{name: "anonymous without form", cookie: anonCookie, wantErr: true},
		{name: "anonymous mismatch", form: flipFirst(anonToken), cookie: anonCookie, wantErr: true},
		{name: "anonymous, both empty", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{}
			if tc.form != "" {
				form.Set(auth.CSRFField, tc.form)
			}
			req := httptest.NewRequest(http.MethodPost, "/admin/tokens", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.header != "" {
				req.Header.Set(auth.CSRFHeader, tc.header)
			}
			if tc.cookie != nil {
				req.AddCookie(&http.Cookie{Name: tc.cookie.Name, Value: tc.cookie.Value})
			}
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			err := svc.VerifyCSRF(req, tc.sess)
			if tc.wantErr != (err != nil) {
				t.Fatalf("VerifyCSRF = %v, want error %v", err, tc.wantErr)
			}
			if err != nil && !errors.Is(err, auth.ErrCSRF) {
				t.Errorf("error = %v, want ErrCSRF", err)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	tests := []struct {
		name     string
		tls      bool
		targets  []string
		wantHSTS bool
		wantForm string
	}{
		{name: "plain http", wantForm: "form-action 'self';"},
		{name: "tls", tls: true, wantHSTS: true, wantForm: "form-action 'self';"},
		{name: "with provider", targets: []string{"https://idp.example"}, wantForm: "form-action 'self' https://idp.example;"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := auth.SecurityHeaders("abc123", tc.tls, tc.targets...)
			csp := h["Content-Security-Policy"]
			for _, want := range []string{"script-src 'self' 'nonce-abc123'", "frame-ancestors 'none'", "object-src 'none'", "default-src 'self'", tc.wantForm} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP allows unsafe sources: %s", csp)
			}
			if h["X-Content-Type-Options"] != "nosniff" || h["Referrer-Policy"] != "same-origin" || h["X-Frame-Options"] != "DENY" {
				t.Errorf("headers = %v", h)
			}
			if _, ok := h["Strict-Transport-Security"]; ok != tc.wantHSTS {
				t.Errorf("HSTS present = %v, want %v", ok, tc.wantHSTS)
			}
		})
	}
	if a, b := auth.NewNonce(), auth.NewNonce(); a == b || len(a) < 22 {
		t.Errorf("nonces %q, %q: want distinct random values", a, b)
	}
}

func TestSafeReturnTo(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/catalog?kind=api#x", "/catalog?kind=api#x"},
		{"/", "/"},
		{"", "/"},
		{"catalog", "/"},
		{"//evil.example/x", "/"},
		{"/\\evil.example", "/"},
		{"/a\\b", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"/x\r\nLocation: https://evil.example", "/"},
		{"/%2F%2Fevil.example", "/%2F%2Fevil.example"},
		{"/auth/login?return_to=/x", "/"},
		{"/auth", "/"},
		{"/authors", "/authors"},
		{"/" + strings.Repeat("a", 3000), "/"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := auth.SafeReturnTo(tc.in); got != tc.want {
				t.Errorf("SafeReturnTo(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// flipFirst changes the first character of s.
func flipFirst(s string) string {
	if s[0] == 'a' {
		return "b" + s[1:]
	}
	return "a" + s[1:]
}

func TestLoginURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/", "/auth/login"},
		{"", "/auth/login"},
		{"/catalog?kind=api&q=a b", "/auth/login?return_to=%2Fcatalog%3Fkind%3Dapi%26q%3Da+b"},
		{"https://evil.example/", "/auth/login"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := auth.LoginURL(tc.in); got != tc.want {
				t.Errorf("LoginURL(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
