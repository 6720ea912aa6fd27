package auth_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/database"
)

// portal is a minimal HTTP front for the auth service, wired the way the handlers package is
// asked to: security headers, authentication, CSRF on POST, then the route.
func portal(svc *auth.Service) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /auth/login", func(w http.ResponseWriter, r *http.Request) {
		to, err := svc.BeginLogin(r.Context(), w, r.URL.Query().Get("return_to"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		http.Redirect(w, r, to, http.StatusFound)
	})
	mux.HandleFunc("GET /auth/callback", func(w http.ResponseWriter, r *http.Request) {
		next, err := svc.FinishLogin(r.Context(), w, r)
		var refused *auth.SignInRefusedError
		switch {
		case errors.As(err, &refused):
			http.Error(w, refused.Message, http.StatusForbidden)
		case errors.Is(err, auth.ErrLoginFailed):
			http.Error(w, "sign-in failed", http.StatusBadRequest)
		case err != nil:
			http.Error(w, err.Error(), http.StatusInternalServerError)
		default:
			http.Redirect(w, r, next, http.StatusSeeOther)
		}
	})
	mux.HandleFunc("POST /auth/logout", func(w http.ResponseWriter, r *http.Request) {
		next, err := svc.SignOut(r.Context(), w, r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
	})
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		c, _ := auth.CallerFrom(r.Context())
		fmt.Fprintf(w, "%s|%s|%s", c.Identity.Ref, strings.Join(c.Identity.Teams, ","), svc.CSRFToken(w, r, c.Session))
	})
	mux.HandleFunc("POST /admin/tokens", func(w http.ResponseWriter, r *http.Request) {
		c, _ := auth.CallerFrom(r.Context())
		if _, err := svc.CreateToken(r.Context(), c.Identity, r.PostFormValue("name"), auth.Scope(r.PostFormValue("scope"))); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range svc.SecurityHeaders(auth.NewNonce(), r.TLS != nil) {
			w.Header().Set(k, v)
		}
		ctx := auth.WithRequestMeta(r.Context(), auth.RequestMeta{RequestID: "req", IP: "127.0.0.1"})
		if !strings.HasPrefix(r.URL.Path, "/auth/") {
			c, err := svc.Authenticate(ctx, r)
			if err != nil {
				http.Redirect(w, r, auth.LoginURL(r.URL.RequestURI()), http.StatusFound)
				return
			}
			if r.Method == http.MethodPost && c.Session != nil {
				if err := svc.VerifyCSRF(r, c.Session); err != nil {
					http.Error(w, err.Error(), http.StatusForbidden)
					return
				}
			}
			ctx = auth.WithCaller(ctx, c)
		} else if r.Method == http.MethodPost {
			c, _ := svc.Authenticate(ctx, r)
			if err := svc.VerifyCSRF(r, c.Session); err != nil {
				http.Error(w, err.Error(), http.StatusForbidden)
				return
			}
		}
		mux.ServeHTTP(w, r.WithContext(ctx))
	})
}

// TestBrowserSignInAndOut walks a cookie-keeping client through the whole flow over loopback:
// a protected page redirects to sign-in, the provider signs in, the page shows the user, a
// form without the CSRF token is refused, sign-out ends the session.
func TestBrowserSignInAndOut(t *testing.T) {
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })

	var svc *auth.Service
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { portal(svc).ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	svc, err = auth.NewService(auth.Config{
		Issuer: m.Issuer(), ClientID: m.ClientID, ClientSecret: m.ClientSecret, BaseURL: srv.URL,
		AdminGroups: []string{"admins"},
	}, database.OpenTest(t, "sqlite"), testDirectory(), discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	get := func(u string) (int, string) {
		t.Helper()
		resp, err := browser.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	post := func(u string, form url.Values) int {
		t.Helper()
		resp, err := browser.PostForm(u, form)
		if err != nil {
			t.Fatalf("POST %s: %v", u, err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	m.QueueUser(mockUser("ada@example.com"))
	status, body := get(srv.URL + "/whoami?x=1")
	parts := strings.Split(body, "|")
	if status != http.StatusOK || len(parts) != 3 || parts[0] != "user:default/ada" || parts[1] != "group:default/admins" {
		t.Fatalf("after sign-in: %d %q", status, body)
	}
	csrf := parts[2]

	if code := post(srv.URL+"/admin/tokens", url.Values{"name": {"ci"}, "scope": {"read"}}); code != http.StatusForbidden {
		t.Errorf("POST without CSRF token: %d, want 403", code)
	}
	if code := post(srv.URL+"/admin/tokens", url.Values{"name": {"ci"}, "scope": {"read"}, auth.CSRFField: {csrf}}); code != http.StatusCreated {
		t.Errorf("POST with CSRF token: %d, want 201", code)
	}
	if code := post(srv.URL+"/auth/logout", url.Values{}); code != http.StatusForbidden {
		t.Errorf("sign-out without CSRF token: %d, want 403", code)
	}
	browser.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := browser.PostForm(srv.URL+"/auth/logout", url.Values{auth.CSRFField: {csrf}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != auth.SignedOutPath {
		t.Errorf("sign-out: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if status, _ := get(srv.URL + "/whoami"); status != http.StatusFound {
		t.Errorf("after sign-out /whoami answered %d, want a redirect to sign in", status)
	}
	if h := resp.Header.Get("Content-Security-Policy"); !strings.Contains(h, "form-action 'self' "+m.Addr()) {
		t.Errorf("CSP = %q", h)
	}
}
