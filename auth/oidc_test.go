package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/database"
	"github.com/keelson-dev/keelson/ent/session"
)

// claimsUser is a mock provider user whose ID token claims a test bends (wrong audience,
// expired, other nonce), so the provider signs exactly the token the case needs.
type claimsUser struct {
	*mockoidc.MockUser
	bend func(*mockoidc.IDTokenClaims)
}

func (u claimsUser) Claims(scope []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if u.bend != nil {
		u.bend(c)
	}
	return u.MockUser.Claims(scope, c)
}

// unverifiedUser is a provider user whose email_verified claim is present and false (mockoidc
// drops a false email_verified).
type unverifiedUser struct{ *mockoidc.MockUser }

func (u unverifiedUser) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return &struct {
		*mockoidc.IDTokenClaims
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
	}{c, u.Email, false}, nil
}

func mockUser(email string) *mockoidc.MockUser {
	return &mockoidc.MockUser{Subject: "sub-" + email, Email: email, EmailVerified: true, PreferredUsername: email}
}

// provider is a mock OpenID provider on loopback and a Keelson auth service configured for it.
type provider struct {
	m     *mockoidc.MockOIDC
	svc   *auth.Service
	db    *database.DB
	clock *clock
	http  *http.Client
}

type providerOptions struct {
	endSession bool         // advertise an end_session_endpoint in discovery
	down       *atomic.Bool // while true, discovery answers 503
	config     func(*auth.Config)
}

func startProvider(t *testing.T, db *database.DB, opt providerOptions) *provider {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatalf("mockoidc: %v", err)
	}
	if opt.down != nil {
		down := opt.down
		m.AddMiddleware(func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if down.Load() {
					http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
					return
				}
				next.ServeHTTP(w, r)
			})
		})
	}
	if opt.endSession {
		if err := m.AddMiddleware(withEndSession(m)); err != nil {
			t.Fatalf("mockoidc middleware: %v", err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatalf("mockoidc start: %v", err)
	}
	t.Cleanup(func() { m.Shutdown() })
	c := newClock()
	cfg := auth.Config{
		Issuer:        m.Issuer(),
		ClientID:      m.ClientID,
		ClientSecret:  m.ClientSecret,
		BaseURL:       "http://127.0.0.1:7007",
		AdminGroups:   []string{"admins"},
		ManagerGroups: []string{"managers"},
		Clock:         c.Now,
	}
	if opt.config != nil {
		opt.config(&cfg)
	}
	svc, err := auth.NewService(cfg, db, testDirectory(), discardLogger())
	if err != nil {
		t.Fatalf("new service: %v", err)
	}
	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &provider{m: m, svc: svc, db: db, clock: c, http: client}
}

// withEndSession adds an end_session_endpoint to the provider's discovery document.
func withEndSession(m *mockoidc.MockOIDC) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != mockoidc.DiscoveryEndpoint {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var doc map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			doc["end_session_endpoint"] = m.Issuer() + "/logout"
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(doc)
		})
	}
}

// begin starts a sign-in and returns the provider URL and the flow cookie.
func (p *provider) begin(t *testing.T, returnTo string) (string, *http.Cookie) {
	t.Helper()
	rec := httptest.NewRecorder()
	authURL, err := p.svc.BeginLogin(context.Background(), rec, returnTo)
	if err != nil {
		t.Fatalf("begin login: %v", err)
	}
	flow := cookieNamed(rec.Header(), "keelson_oidc_flow")
	if flow == nil || !flow.HttpOnly || flow.SameSite != http.SameSiteLaxMode || flow.MaxAge != 600 {
		t.Fatalf("flow cookie = %+v, want HttpOnly, SameSite=Lax, 10 minutes", flow)
	}
	return authURL, flow
}

// authorize follows the provider URL as a browser would and returns the callback URL.
func (p *provider) authorize(t *testing.T, authURL string) string {
	t.Helper()
	resp, err := p.http.Get(authURL)
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		t.Fatalf("authorize: status %d: %s", resp.StatusCode, b.String())
	}
	return resp.Header.Get("Location")
}

// callback delivers the provider's redirect to FinishLogin with the given cookies.
func (p *provider) callback(callbackURL string, cookies ...*http.Cookie) (*httptest.ResponseRecorder, string, error) {
	req := httptest.NewRequest(http.MethodGet, callbackURL, nil)
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	rec := httptest.NewRecorder()
	next, err := p.svc.FinishLogin(context.Background(), rec, req)
	return rec, next, err
}

func TestOIDCSignIn(t *testing.T) {
	for _, b := range database.Backends(t) {
		t.Run(b, func(t *testing.T) {
			db := database.OpenTest(t, b)
			p := startProvider(t, db, providerOptions{})
			authURL, flow := p.begin(t, "/catalog?kind=api")

			u, err := url.Parse(authURL)
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			checks := map[string]string{
				"code_challenge_method": "S256",
				"redirect_uri":          "http://127.0.0.1:7007/auth/callback",
				"client_id":             p.m.ClientID,
				"response_type":         "code",
				"scope":                 "openid profile email",
			}
			for k, want := range checks {
				if got := q.Get(k); got != want {
					t.Errorf("auth URL %s = %q, want %q", k, got, want)
				}
			}
			for _, k := range []string{"state", "nonce", "code_challenge"} {
				if len(q.Get(k)) < 43 {
					t.Errorf("auth URL %s = %q, want a long random value", k, q.Get(k))
				}
			}

			p.m.QueueUser(mockUser("Jane.Doe@example.com"))
			rec, next, err := p.callback(p.authorize(t, authURL), flow)
			if err != nil {
				t.Fatalf("finish login: %v", err)
			}
			if next != "/catalog?kind=api" {
				t.Errorf("return to = %q, want /catalog?kind=api", next)
			}
			if c := cookieNamed(rec.Header(), "keelson_oidc_flow"); c == nil || c.MaxAge >= 0 {
				t.Errorf("flow cookie not cleared: %+v", c)
			}
			sc := cookieNamed(rec.Header(), "keelson_session")
			if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || len(sc.Value) != 43 {
				t.Fatalf("session cookie = %+v", sc)
			}
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.AddCookie(sc)
			caller, err := p.svc.Authenticate(context.Background(), req)
			if err != nil {
				t.Fatalf("authenticate: %v", err)
			}
			id := caller.Identity
			if id.Ref != "user:default/jane.doe" || id.DisplayName != "Jane Doe" || id.Email != "jane.doe@example.com" || id.Role != auth.RoleMember {
				t.Errorf("identity = %+v", id)
			}
			if strings.Join(id.Groups, ",") != "group:default/engineering,group:default/org,group:default/platform" {
				t.Errorf("groups = %v", id.Groups)
			}
			row, err := db.Client.Session.Query().Only(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if row.ID == sc.Value || len(row.ID) != 64 || row.IDToken == "" {
				t.Errorf("stored session id %q (cookie %q), id token set %v: want the hash, not the cookie", row.ID, sc.Value, row.IDToken != "")
			}
			page, err := p.svc.Audit().List(context.Background(), auth.Filter{Action: auth.ActionSignIn})
			if err != nil || len(page.Events) != 1 || page.Events[0].Actor != "user:default/jane.doe" || page.Events[0].Detail["method"] != "oidc" {
				t.Errorf("sign-in audit = %+v, %v", page.Events, err)
			}
		})
	}
}

func TestOIDCFailures(t *testing.T) {
	tests := []struct {
		name     string
		config   func(*auth.Config)
		user     mockoidc.User
		tamper   func(callback string) string // edits the callback URL
		noCookie bool
		wantStep string // FlowError step, or "" for a refusal
		reason   string // SignInRefusedError reason
	}{
		{name: "wrong state", user: mockUser("jane.doe@example.com"), wantStep: auth.StepState,
			tamper: func(cb string) string { return replaceParam(cb, "state", "forged") }},
		{name: "no flow cookie", user: mockUser("jane.doe@example.com"), noCookie: true, wantStep: auth.StepState},
		{name: "provider error", user: mockUser("jane.doe@example.com"), wantStep: auth.StepProvider,
			tamper: func(cb string) string { return replaceParam(cb, "error", "access_denied") }},
		{name: "forged code", user: mockUser("jane.doe@example.com"), wantStep: auth.StepExchange,
			tamper: func(cb string) string { return replaceParam(cb, "code", "made-up") }},
		{name: "nonce mismatch", wantStep: auth.StepNonce,
			user: claimsUser{mockUser("jane.doe@example.com"), func(c *mockoidc.IDTokenClaims) { c.Nonce = "someone-elses-nonce" }}},
		{name: "wrong audience", wantStep: auth.StepIDToken,
			user: claimsUser{mockUser("jane.doe@example.com"), func(c *mockoidc.IDTokenClaims) { c.Audience = jwt.ClaimStrings{"another-client"} }}},
		{name: "expired token", wantStep: auth.StepIDToken,
			user: claimsUser{mockUser("jane.doe@example.com"), func(c *mockoidc.IDTokenClaims) {
				c.IssuedAt = jwt.NewNumericDate(time.Now().Add(-2 * time.Hour))
				c.NotBefore = c.IssuedAt
				c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Hour))
			}}},
		{name: "wrong issuer", wantStep: auth.StepIDToken,
			user: claimsUser{mockUser("jane.doe@example.com"), func(c *mockoidc.IDTokenClaims) { c.Issuer = "http://127.0.0.1:1/elsewhere" }}},
		{name: "unknown user", user: mockUser("stranger@example.com"), reason: auth.ReasonUnknownUser},
		{name: "disallowed domain", user: mockUser("jane.doe@example.com"), reason: auth.ReasonDomainNotAllowed,
			config: func(c *auth.Config) { c.AllowedDomains = []string{"example.org"} }},
		{name: "unverified email", reason: auth.ReasonEmailUnverified,
			user: unverifiedUser{mockUser("jane.doe@example.com")}},
		{name: "no email", reason: auth.ReasonNoEmail, user: &mockoidc.MockUser{Subject: "s"}},
	}
	for _, b := range database.Backends(t) {
		db := database.OpenTest(t, b)
		for _, tc := range tests {
			t.Run(b+"/"+tc.name, func(t *testing.T) {
				p := startProvider(t, db, providerOptions{config: tc.config})
				ctx := context.Background()
				before, _ := p.svc.Audit().List(ctx, auth.Filter{Limit: 1})
				authURL, flow := p.begin(t, "/")
				p.m.QueueUser(tc.user)
				cb := p.authorize(t, authURL)
				if tc.tamper != nil {
					cb = tc.tamper(cb)
				}
				var cookies []*http.Cookie
				if !tc.noCookie {
					cookies = append(cookies, flow)
				}
				rec, next, err := p.callback(cb, cookies...)
				if err == nil {
					t.Fatalf("sign-in succeeded (to %q), want failure", next)
				}
				if sc := cookieNamed(rec.Header(), "keelson_session"); sc != nil {
					t.Errorf("session cookie set on failure: %+v", sc)
				}
				var fe *auth.FlowError
				var re *auth.SignInRefusedError
				switch {
				case tc.wantStep != "":
					if !errors.As(err, &fe) || fe.Step != tc.wantStep || !errors.Is(err, auth.ErrLoginFailed) {
						t.Fatalf("error = %v, want a FlowError at %s", err, tc.wantStep)
					}
				default:
					if !errors.As(err, &re) || re.Reason != tc.reason {
						t.Fatalf("error = %v, want a refusal for %s", err, tc.reason)
					}
					if strings.Join(re.Contacts, ",") != "group:default/admins" || re.Message == "" {
						t.Errorf("refusal contacts %v, message %q", re.Contacts, re.Message)
					}
				}
				if n, _ := db.Client.Session.Query().Where(session.CreatedAtGTE(p.clock.Now().Add(-time.Second))).Count(ctx); n != 0 {
					t.Errorf("%d sessions created, want none", n)
				}
				after, err := p.svc.Audit().List(ctx, auth.Filter{Before: 0, Limit: 1})
				if err != nil || len(after.Events) != 1 || (len(before.Events) == 1 && after.Events[0].ID == before.Events[0].ID) {
					t.Fatalf("no audit event recorded: %+v %v", after, err)
				}
				wantAction := auth.ActionSignInFailed
				if tc.reason != "" {
					wantAction = auth.ActionSignInRefused
				}
				if ev := after.Events[0]; ev.Action != wantAction || ev.Outcome == auth.OutcomeSuccess {
					t.Errorf("audit event = %+v, want %s", ev, wantAction)
				}
			})
		}
	}
}

func replaceParam(raw, key, value string) string {
	u, _ := url.Parse(raw)
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestOIDCReplayedCode(t *testing.T) {
	for _, b := range database.Backends(t) {
		t.Run(b, func(t *testing.T) {
			p := startProvider(t, database.OpenTest(t, b), providerOptions{})
			authURL, flow := p.begin(t, "/")
			p.m.QueueUser(mockUser("jane.doe@example.com"))
			cb := p.authorize(t, authURL)
			if _, _, err := p.callback(cb, flow); err != nil {
				t.Fatalf("first callback: %v", err)
			}
			// An attacker who captured both the redirect and the flow cookie replays them.
			_, _, err := p.callback(cb, flow)
			var fe *auth.FlowError
			if !errors.As(err, &fe) || fe.Step != auth.StepExchange {
				t.Fatalf("replay: error = %v, want a FlowError at exchange", err)
			}
		})
	}
}

func TestOIDCFlowExpires(t *testing.T) {
	p := startProvider(t, database.OpenTest(t, "sqlite"), providerOptions{})
	authURL, flow := p.begin(t, "/")
	cb := p.authorize(t, authURL)
	p.clock.Advance(11 * time.Minute)
	_, _, err := p.callback(cb, flow)
	var fe *auth.FlowError
	if !errors.As(err, &fe) || fe.Step != auth.StepState {
		t.Fatalf("error = %v, want a FlowError at state", err)
	}
}

func TestOIDCResolvers(t *testing.T) {
	tests := []struct {
		name    string
		config  func(*auth.Config)
		email   string
		wantRef string
		wantErr string // refusal reason
	}{
		{name: "email, case-insensitive", email: "ADA@Example.com", wantRef: "user:default/ada"},
		{name: "local part", email: "max@elsewhere.example", wantRef: "user:default/max",
			config: func(c *auth.Config) { c.SignInResolver = auth.ResolverEmailLocalPart }},
		{name: "local part unknown", email: "nobody@example.com", wantErr: auth.ReasonUnknownUser,
			config: func(c *auth.Config) { c.SignInResolver = auth.ResolverEmailLocalPart }},
		{name: "unknown allowed", email: "New.Person@example.com", wantRef: "user:default/new.person",
			config: func(c *auth.Config) { c.AllowUnknownUsers = true }},
		{name: "allowed domain, any case", email: "jane.doe@EXAMPLE.com", wantRef: "user:default/jane.doe",
			config: func(c *auth.Config) { c.AllowedDomains = []string{"@Example.com", "example.org"} }},
	}
	db := database.OpenTest(t, "sqlite")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := startProvider(t, db, providerOptions{config: tc.config})
			authURL, flow := p.begin(t, "/")
			p.m.QueueUser(mockUser(tc.email))
			rec, _, err := p.callback(p.authorize(t, authURL), flow)
			if tc.wantErr != "" {
				var re *auth.SignInRefusedError
				if !errors.As(err, &re) || re.Reason != tc.wantErr {
					t.Fatalf("error = %v, want refusal %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("finish login: %v", err)
			}
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.AddCookie(cookieNamed(rec.Header(), "keelson_session"))
			caller, err := p.svc.Authenticate(context.Background(), req)
			if err != nil || caller.Identity.Ref != tc.wantRef {
				t.Fatalf("identity = %+v, %v; want %s", caller.Identity, err, tc.wantRef)
			}
		})
	}
}

func TestOIDCSignOut(t *testing.T) {
	tests := []struct {
		name       string
		endSession bool
	}{
		{name: "provider with end-session endpoint", endSession: true},
		{name: "provider without", endSession: false},
	}
	for _, b := range database.Backends(t) {
		for _, tc := range tests {
			t.Run(b+"/"+tc.name, func(t *testing.T) {
				db := database.OpenTest(t, b)
				p := startProvider(t, db, providerOptions{endSession: tc.endSession})
				ctx := context.Background()
				authURL, flow := p.begin(t, "/")
				rec, _, err := p.callback(p.authorize(t, authURL), flow)
				if err != nil {
					t.Fatal(err)
				}
				sc := cookieNamed(rec.Header(), "keelson_session")
				req := httptest.NewRequest(http.MethodPost, "/auth/logout", nil)
				req.AddCookie(sc)
				out := httptest.NewRecorder()
				next, err := p.svc.SignOut(ctx, out, req)
				if err != nil {
					t.Fatalf("sign out: %v", err)
				}
				if n, _ := db.Client.Session.Query().Count(ctx); n != 0 {
					t.Errorf("%d session rows left, want 0", n)
				}
				if c := cookieNamed(out.Header(), "keelson_session"); c == nil || c.MaxAge >= 0 {
					t.Errorf("session cookie not cleared: %+v", c)
				}
				if !tc.endSession {
					if next != auth.SignedOutPath {
						t.Errorf("next = %q, want %s", next, auth.SignedOutPath)
					}
				} else {
					u, err := url.Parse(next)
					if err != nil || u.Scheme+"://"+u.Host+u.Path != p.m.Issuer()+"/logout" {
						t.Fatalf("next = %q, want the end-session endpoint", next)
					}
					if u.Query().Get("id_token_hint") == "" || u.Query().Get("post_logout_redirect_uri") != "http://127.0.0.1:7007/auth/signed-out" {
						t.Errorf("end-session query = %v", u.Query())
					}
					hdr := p.svc.SecurityHeaders("n", false)["Content-Security-Policy"]
					if !strings.Contains(hdr, "form-action 'self' "+p.m.Addr()) {
						t.Errorf("CSP form-action does not allow the provider: %s", hdr)
					}
				}
				if _, err := p.svc.Authenticate(ctx, req); !errors.Is(err, auth.ErrUnauthenticated) {
					t.Errorf("authenticate after sign-out: %v, want ErrUnauthenticated", err)
				}
			})
		}
	}
}

func TestOIDCDiscoveryRetries(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: the provider is down
	svc, err := auth.NewService(auth.Config{
		Issuer: "http://" + addr + "/oidc", ClientID: "c", BaseURL: "http://127.0.0.1:7007",
	}, database.OpenTest(t, "sqlite"), testDirectory(), discardLogger())
	if err != nil {
		t.Fatalf("new service with the provider down: %v", err)
	}
	if _, err := svc.BeginLogin(context.Background(), httptest.NewRecorder(), "/"); !errors.Is(err, auth.ErrProviderUnavailable) {
		t.Fatalf("begin login: %v, want ErrProviderUnavailable", err)
	}
}

func TestOIDCDiscoveryRecovers(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	p := startProvider(t, database.OpenTest(t, "sqlite"), providerOptions{down: &down})
	ctx := context.Background()
	if _, err := p.svc.BeginLogin(ctx, httptest.NewRecorder(), "/"); !errors.Is(err, auth.ErrProviderUnavailable) {
		t.Fatalf("begin login while down: %v, want ErrProviderUnavailable", err)
	}
	down.Store(false)
	if _, err := p.svc.BeginLogin(ctx, httptest.NewRecorder(), "/"); !errors.Is(err, auth.ErrProviderUnavailable) {
		t.Fatalf("begin login right after: %v, want the failure remembered for a few seconds", err)
	}
	p.clock.Advance(6 * time.Second)
	authURL, flow := p.begin(t, "/")
	if _, _, err := p.callback(p.authorize(t, authURL), flow); err != nil {
		t.Fatalf("sign-in after the provider recovered: %v", err)
	}
}

func TestGuestSignInRefusedWithOIDC(t *testing.T) {
	p := startProvider(t, database.OpenTest(t, "sqlite"), providerOptions{})
	err := p.svc.GuestSignIn(context.Background(), httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/auth/login", nil), "")
	if !errors.Is(err, auth.ErrGuestDisabled) {
		t.Fatalf("guest sign-in: %v, want ErrGuestDisabled", err)
	}
	if p.svc.GuestMode() {
		t.Error("GuestMode() = true with an issuer configured")
	}
}
