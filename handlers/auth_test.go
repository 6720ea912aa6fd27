package handlers

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/database"
	"github.com/keelson-dev/keelson/views"
)

func guestConfig() auth.Config { return auth.Config{AdminGroups: []string{adminGroup}} }

func TestGuestMode(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			h := newAuthHarness(t, backend, auth.Config{})
			b := h.browser()

			t.Run("anonymous pages carry the banner and a sign-in link", func(t *testing.T) {
				res := b.get("/no-such-page")
				if res.status != http.StatusNotFound {
					t.Fatalf("status %d", res.status)
				}
				if banner := res.testid("banner").Text(); !strings.Contains(banner, "Guest mode") {
					t.Errorf("banner = %q", banner)
				}
				if href, _ := res.testid("sign-in").Attr("href"); href != "/auth/login?return_to=%2Fno-such-page" {
					t.Errorf("sign-in link = %q", href)
				}
				if res.testid("user-name").Length() != 0 || res.testid("sign-out").Length() != 0 {
					t.Error("anonymous page shows a user")
				}
			})

			t.Run("the sign-in page offers the guest and the catalog's people", func(t *testing.T) {
				res := b.get(auth.LoginPath + "?return_to=/catalog")
				if res.status != http.StatusOK || res.testid("sign-in-guest").Length() != 1 {
					t.Fatalf("status %d: %s", res.status, res.body)
				}
				if n := res.testid("sign-in-user-option").Length(); n != 34 {
					t.Errorf("%d people offered, want the demo's 34", n)
				}
				if v, _ := res.testid("guest-form").Find(`input[name="return_to"]`).Attr("value"); v != "/catalog" {
					t.Errorf("return_to = %q", v)
				}
			})

			t.Run("a guest session shows who is signed in, in the banner too", func(t *testing.T) {
				b.signIn("")
				res := b.get("/no-such-page")
				if got := res.testid("user-name").Text(); got != "Guest" {
					t.Errorf("user = %q", got)
				}
				if banner := res.testid("banner").Text(); !strings.Contains(banner, "signed in as Guest in guest mode") {
					t.Errorf("banner = %q", banner)
				}
				if res.testid("sign-out").Length() != 1 || res.testid("nav-admin").Length() != 0 {
					t.Error("want a sign-out button and no admin navigation")
				}
			})

			t.Run("nobody is an admin when no admin group is configured", func(t *testing.T) {
				b := h.browser()
				b.signIn(directAdmin)
				if res := b.get(views.AdminTokensURL); res.status != http.StatusForbidden {
					t.Errorf("tokens page: %d", res.status)
				}
			})

			t.Run("an unknown user is refused with the form again", func(t *testing.T) {
				b := h.browser()
				tok := b.csrf(auth.LoginPath)
				res := b.post(auth.LoginPath, url.Values{auth.CSRFField: {tok}, "user": {"nobody.here"}})
				if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.testid("sign-in-error").Text(), "nobody.here") {
					t.Errorf("status %d, error %q", res.status, res.testid("sign-in-error").Text())
				}
			})

			t.Run("security headers carry the nonce the scripts carry", func(t *testing.T) {
				res := b.get(auth.LoginPath)
				csp := res.header.Get("Content-Security-Policy")
				nonce, _ := res.doc.Find("script[nonce]").First().Attr("nonce")
				if nonce == "" || !strings.Contains(csp, "'nonce-"+nonce+"'") || !strings.Contains(csp, "frame-ancestors 'none'") {
					t.Errorf("nonce %q, CSP %q", nonce, csp)
				}
				if res.header.Get("X-Content-Type-Options") != "nosniff" || res.header.Get("Strict-Transport-Security") != "" {
					t.Errorf("headers %v", res.header)
				}
			})
		})
	}
}

func TestCSRF(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			h := newAuthHarness(t, backend, guestConfig())
			b := h.browser()
			b.signIn(directAdmin)
			good := b.csrf(views.AdminTokensURL)
			cases := []struct {
				name   string
				path   string
				form   url.Values
				origin string
				want   int
			}{
				{"form without a token", views.AdminTokensURL, url.Values{"name": {"ci"}, "scope": {"read"}}, "", http.StatusForbidden},
				{"form with another token", views.AdminTokensURL, url.Values{"name": {"ci"}, "scope": {"read"}, auth.CSRFField: {strings.Repeat("x", 43)}}, "", http.StatusForbidden},
				{"form from another origin", views.AdminTokensURL, url.Values{"name": {"ci"}, "scope": {"read"}, auth.CSRFField: {good}}, "https://evil.example", http.StatusForbidden},
				{"sign-out without a token", auth.LogoutPath, url.Values{}, "", http.StatusForbidden},
				{"sign-in without a token", auth.LoginPath, url.Values{"user": {ownerUser}}, "", http.StatusForbidden},
				{"form with the page's token", views.AdminTokensURL, url.Values{"name": {"ci"}, "scope": {"read"}, auth.CSRFField: {good}}, "", http.StatusOK},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					var headers []string
					if tc.origin != "" {
						headers = []string{"Origin", tc.origin}
					}
					res := b.post(tc.path, tc.form, headers...)
					if res.status != tc.want {
						t.Fatalf("status %d, want %d: %s", res.status, tc.want, res.body)
					}
					if tc.want == http.StatusForbidden && !strings.Contains(res.testid("error-page").Text(), "did not come from Keelson") {
						t.Errorf("error page: %q", res.testid("error-page").Text())
					}
				})
			}
			res := b.get(views.AdminTokensURL)
			if n := res.testid("token-row").Length(); n != 1 {
				t.Errorf("%d tokens exist, want only the one posted with the token", n)
			}
			if got := res.testid("user-name").Text(); got != "Kenji Watanabe" {
				t.Errorf("still signed in as %q", got)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			h := newAuthHarness(t, backend, guestConfig())
			admin := h.browser()
			admin.signIn(nestedAdmin)
			tok := admin.csrf(views.AdminTokensURL)

			res := admin.post(views.AdminTokensURL, url.Values{auth.CSRFField: {tok}, "name": {""}, "scope": {"read"}})
			if res.status != http.StatusUnprocessableEntity || res.testid("token-form-error").Length() != 1 {
				t.Fatalf("empty name: %d", res.status)
			}
			res = admin.post(views.AdminTokensURL, url.Values{auth.CSRFField: {tok}, "name": {"deploy pipeline"}, "scope": {"read"}})
			secret := res.testid("token-value").Text()
			if res.status != http.StatusOK || !strings.HasPrefix(secret, auth.TokenPrefix) {
				t.Fatalf("create: %d, secret %q", res.status, secret)
			}
			if strings.Contains(string(admin.get(views.AdminTokensURL).body), secret) {
				t.Error("the secret is shown again after creation")
			}

			status, _, body := h.callAPI(http.MethodGet, "/api/audit?action="+auth.ActionTokenCreated, "", secret)
			var page auth.AuditPage
			if err := json.Unmarshal(body, &page); err != nil || status != http.StatusOK {
				t.Fatalf("audit API with the token: %d %s", status, body)
			}
			if len(page.Events) != 1 || page.Events[0].Actor != "user:default/"+nestedAdmin || page.Events[0].Detail["name"] != "deploy pipeline" {
				t.Errorf("token-created events: %+v", page.Events)
			}

			status, _, _ = h.callAPI(http.MethodPost, "/api/catalog/refresh", `{"entityRef":"component:default/storefront-web"}`, secret)
			if status != http.StatusForbidden {
				t.Errorf("read token refreshing: %d, want 403", status)
			}

			list := admin.get(views.AdminTokensURL)
			id, _ := list.testid("token-row").Attr("data-token-id")
			if res := admin.post(views.AdminTokenRevokeURL(id), url.Values{auth.CSRFField: {tok}}); res.status != http.StatusSeeOther {
				t.Fatalf("revoke: %d", res.status)
			}
			status, h401, body := h.callAPI(http.MethodGet, "/api/catalog/entities?limit=1", "", secret)
			e := decodeError(t, body)
			if status != http.StatusUnauthorized || e.Error.Name != "AuthenticationError" || e.Response.StatusCode != 401 ||
				e.Request.URL != "/api/catalog/entities?limit=1" || !strings.HasPrefix(h401.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("revoked token: %d %s", status, body)
			}
			if list := admin.get(views.AdminTokensURL); list.testid("token-revoked").Length() != 1 {
				t.Error("the token is not shown as revoked")
			}
			if res := admin.post(views.AdminTokenRevokeURL("no-such-token"), url.Values{auth.CSRFField: {tok}}); res.status != http.StatusNotFound {
				t.Errorf("revoking an unknown token: %d", res.status)
			}
			if n := len(h.events(auth.ActionTokenRevoked)); n != 1 {
				t.Errorf("%d token-revoked events", n)
			}

			member := h.browser()
			member.signIn(strangerUser)
			if res := member.get(views.AdminTokensURL); res.status != http.StatusForbidden {
				t.Errorf("a member on the tokens page: %d", res.status)
			}
			if res := h.browser().get(views.AdminTokensURL); res.status != http.StatusFound || res.location() != "/auth/login?return_to=%2Fadmin%2Ftokens" {
				t.Errorf("anonymous on the tokens page: %d to %q", res.status, res.location())
			}
		})
	}
}

// writeLocation writes a catalog file with one component owned by owner and, when withUser,
// a User entity, which nobody owns.
func writeLocation(t *testing.T, name, owner string, withUser bool) string {
	t.Helper()
	doc := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name +
		"\nspec:\n  type: service\n  lifecycle: experimental\n  owner: " + owner + "\n"
	if withUser {
		doc += "---\napiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: " + name +
			"-person\nspec:\n  profile:\n    email: " + name + "@northwind.example\n  memberOf: [" + adminGroup + "]\n"
	}
	path := filepath.Join(t.TempDir(), "catalog-info.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLocationPermissions(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			h := newAuthHarness(t, backend, guestConfig())
			owner, stranger, admin := h.browser(), h.browser(), h.browser()
			owner.signIn(ownerUser)
			stranger.signIn(strangerUser)
			admin.signIn(directAdmin)
			ownerCSRF, strangerCSRF, adminCSRF := owner.csrf("/no-such-page"), stranger.csrf("/no-such-page"), admin.csrf("/no-such-page")
			body := func(path string) string { return `{"type":"file","target":"` + path + `"}` }

			owned := writeLocation(t, "checkout-api", "web-experience", false)
			people := writeLocation(t, "hr-sync", "web-experience", true)

			cases := []struct {
				name   string
				call   func() *response
				status int
				actor  string // the permission-denied event expected, "" for none
			}{
				{"a non-owner may not register", func() *response {
					return stranger.api(http.MethodPost, "/api/catalog/locations", body(owned), strangerCSRF)
				}, http.StatusForbidden, "user:default/" + strangerUser},
				{"nor dry-run it", func() *response {
					return stranger.api(http.MethodPost, "/api/catalog/locations?dryRun=true", body(owned), strangerCSRF)
				}, http.StatusForbidden, "user:default/" + strangerUser},
				{"anonymous may not register", func() *response {
					return h.browser().api(http.MethodPost, "/api/catalog/locations", body(owned), "")
				}, http.StatusForbidden, "anonymous"},
				{"an owner may not bring in people", func() *response {
					return owner.api(http.MethodPost, "/api/catalog/locations", body(people), ownerCSRF)
				}, http.StatusForbidden, "user:default/" + ownerUser},
				{"a session without the CSRF header is refused", func() *response {
					return owner.api(http.MethodPost, "/api/catalog/locations", body(owned), "")
				}, http.StatusForbidden, ""},
				{"the owner may register", func() *response {
					return owner.api(http.MethodPost, "/api/catalog/locations", body(owned), ownerCSRF)
				}, http.StatusCreated, ""},
				{"an admin may bring in people", func() *response {
					return admin.api(http.MethodPost, "/api/catalog/locations", body(people), adminCSRF)
				}, http.StatusCreated, ""},
				{"a non-owner may not refresh", func() *response {
					return stranger.api(http.MethodPost, "/api/catalog/refresh", `{"entityRef":"component:default/checkout-api"}`, strangerCSRF)
				}, http.StatusForbidden, "user:default/" + strangerUser},
				{"the owner may refresh", func() *response {
					return owner.api(http.MethodPost, "/api/catalog/refresh", `{"entityRef":"component:default/checkout-api"}`, ownerCSRF)
				}, http.StatusOK, ""},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					before := len(h.events(auth.ActionPermissionDenied))
					res := tc.call()
					if res.status != tc.status {
						t.Fatalf("status %d, want %d: %s", res.status, tc.status, res.body)
					}
					denied := h.events(auth.ActionPermissionDenied)
					switch {
					case tc.actor == "" && len(denied) != before:
						t.Errorf("unexpected denial recorded: %+v", denied[0])
					case tc.actor != "" && (len(denied) != before+1 || denied[0].Actor != tc.actor || denied[0].Outcome != auth.OutcomeDenied):
						t.Errorf("denial events %+v, want one by %s", denied, tc.actor)
					case tc.status == http.StatusForbidden && tc.actor != "" && decodeError(t, res.body).Error.Name != "NotAllowedError":
						t.Errorf("error body %s", res.body)
					}
				})
			}

			added := h.events(auth.ActionLocationAdded)
			if len(added) != 2 || added[1].Actor != "user:default/"+ownerUser || added[1].Target != "file:"+owned || added[1].RequestID == "" {
				t.Fatalf("location-registered events: %+v", added)
			}
			var hr struct {
				Metadata struct {
					UID string `json:"uid"`
				} `json:"metadata"`
			}
			if res := owner.get("/api/catalog/entities/by-name/component/default/hr-sync"); json.Unmarshal(res.body, &hr) != nil || hr.Metadata.UID == "" {
				t.Fatalf("hr-sync: %d %s", res.status, res.body)
			}
			if res := stranger.api(http.MethodDelete, "/api/catalog/entities/by-uid/"+hr.Metadata.UID, "", strangerCSRF); res.status != http.StatusForbidden {
				t.Errorf("a non-owner removing an entity: %d", res.status)
			}
			if res := owner.api(http.MethodDelete, "/api/catalog/entities/by-uid/"+hr.Metadata.UID, "", ownerCSRF); res.status != http.StatusNoContent {
				t.Errorf("the owner removing an entity: %d %s", res.status, res.body)
			}
			if removed := h.events(actionEntityRemoved); len(removed) != 1 || removed[0].Target != "component:default/hr-sync" {
				t.Errorf("entity-removed events: %+v", removed)
			}
			id := added[1].Detail["id"]
			if res := stranger.api(http.MethodDelete, "/api/catalog/locations/"+id, "", strangerCSRF); res.status != http.StatusForbidden {
				t.Errorf("a non-owner unregistering: %d", res.status)
			}
			if res := owner.api(http.MethodDelete, "/api/catalog/locations/"+id, "", ownerCSRF); res.status != http.StatusNoContent {
				t.Errorf("the owner unregistering: %d %s", res.status, res.body)
			}
			removed := h.events(auth.ActionLocationRemoved)
			if len(removed) != 1 || removed[0].Actor != "user:default/"+ownerUser || removed[0].Target != "file:"+owned {
				t.Errorf("location-removed events: %+v", removed)
			}
			if n := len(h.events(actionEntityRefreshed)); n != 1 {
				t.Errorf("%d entity-refreshed events", n)
			}
		})
	}
}

func TestOIDCMode(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			// Nothing listens on port 1: discovery fails, which must not stop anything but sign-in.
			h := newAuthHarness(t, backend, auth.Config{Issuer: "http://127.0.0.1:1/oidc", ClientID: "keelson"})
			cases := []struct {
				name     string
				method   string
				path     string
				token    string
				status   int
				location string
			}{
				{"API without credentials", http.MethodGet, "/api/catalog/entities?filter=kind=user", "", http.StatusUnauthorized, ""},
				{"API mutation without credentials", http.MethodPost, "/api/catalog/refresh", "", http.StatusUnauthorized, ""},
				{"audit API without credentials", http.MethodGet, "/api/audit", "", http.StatusUnauthorized, ""},
				{"API with a malformed token", http.MethodGet, "/api/catalog/entities", "not a token", http.StatusUnauthorized, ""},
				{"API with a token", http.MethodGet, "/api/catalog/entities?filter=kind=user&limit=1", h.token(auth.ScopeRead), http.StatusOK, ""},
				{"page without a session", http.MethodGet, "/catalog?kind=api", "", http.StatusFound, "/auth/login?return_to=%2Fcatalog%3Fkind%3Dapi"},
				{"health stays open", http.MethodGet, "/healthz", "", http.StatusOK, ""},
				{"sign-in with the provider down", http.MethodGet, auth.LoginPath, "", http.StatusServiceUnavailable, ""},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					req, err := http.NewRequest(tc.method, h.url+tc.path, nil)
					if err != nil {
						t.Fatal(err)
					}
					if tc.token != "" {
						req.Header.Set("Authorization", "Bearer "+tc.token)
					}
					res := h.browser().do(req)
					if res.status != tc.status || res.location() != tc.location {
						t.Fatalf("%d to %q, want %d to %q: %s", res.status, res.location(), tc.status, tc.location, res.body)
					}
					if tc.status == http.StatusServiceUnavailable && !strings.Contains(res.testid("error-page").Text(), "identity provider cannot be reached") {
						t.Errorf("error page: %q", res.testid("error-page").Text())
					}
					if tc.status == http.StatusUnauthorized {
						e := decodeError(t, res.body)
						if e.Error.Name != "AuthenticationError" || e.Error.Message == "" || e.Request.Method != tc.method ||
							e.Request.URL != tc.path || e.Response.StatusCode != 401 {
							t.Errorf("error body %s", res.body)
						}
					}
				})
			}
			t.Run("no guest sign-in page and no banner", func(t *testing.T) {
				res := h.browser().get(auth.SignedOutPath)
				if res.status != http.StatusOK || res.testid("sign-in-guest").Length() != 0 || res.testid("banner").Length() != 0 {
					t.Errorf("status %d, guest form %d, banner %q", res.status, res.testid("sign-in-guest").Length(), res.testid("banner").Text())
				}
				if href, _ := res.testid("sign-in-provider").Attr("href"); href != auth.LoginPath {
					t.Errorf("provider link %q", href)
				}
			})
		})
	}
}

func TestAuditLogPage(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			h := newAuthHarness(t, backend, guestConfig())
			admin, member := h.browser(), h.browser()
			admin.signIn(directAdmin)
			member.signIn(strangerUser)
			member.get(views.AdminAuditURL)
			cases := []struct {
				name    string
				query   string
				status  int
				actions []string
				actors  []string
			}{
				{"sign-ins only", "?action=sign-in", http.StatusOK, []string{"sign-in", "sign-in"},
					[]string{"user:default/" + strangerUser, "user:default/" + directAdmin}},
				{"one actor", "?actor=user:default/" + strangerUser, http.StatusOK, []string{"permission-denied", "sign-in"},
					[]string{"user:default/" + strangerUser, "user:default/" + strangerUser}},
				{"a day with nothing", "?until=2001-01-01", http.StatusOK, nil, nil},
				{"a malformed date", "?since=yesterday", http.StatusUnprocessableEntity, nil, nil},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					res := admin.get(views.AdminAuditURL + tc.query)
					if res.status != tc.status {
						t.Fatalf("status %d: %s", res.status, res.body)
					}
					var actions, actors []string
					res.testid("audit-event-action").Each(func(_ int, s *goquery.Selection) { actions = append(actions, s.Text()) })
					res.testid("audit-event-actor").Each(func(_ int, s *goquery.Selection) { actors = append(actors, s.Text()) })
					if strings.Join(actions, ",") != strings.Join(tc.actions, ",") || strings.Join(actors, ",") != strings.Join(tc.actors, ",") {
						t.Errorf("actions %v actors %v", actions, actors)
					}
					if (tc.status == http.StatusUnprocessableEntity) != (res.testid("audit-filter-error").Length() == 1) {
						t.Errorf("filter error shown: %q", res.testid("audit-filter-error").Text())
					}
				})
			}
			t.Run("pages link to older events", func(t *testing.T) {
				res := admin.get(views.AdminAuditURL + "?limit=1")
				next, _ := res.testid("audit-next").Attr("href")
				if res.testid("audit-event").Length() != 1 || !strings.Contains(next, "before=") || !strings.Contains(next, "limit=1") {
					t.Fatalf("next %q", next)
				}
				older := admin.get(next)
				if older.testid("audit-event").Length() != 1 || older.testid("audit-event-action").Text() == "" {
					t.Errorf("older page: %s", older.body)
				}
			})
			t.Run("admins see the admin navigation, members do not", func(t *testing.T) {
				if admin.get("/no-such-page").testid("nav-admin").Length() != 1 || member.get("/no-such-page").testid("nav-admin").Length() != 0 {
					t.Error("admin navigation shown to the wrong people")
				}
			})
		})
	}
}

func TestSessionExpiry(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			h := newAuthHarness(t, backend, guestConfig())
			b := h.browser()
			b.signIn(directAdmin)
			csrf := b.csrf(views.AdminTokensURL)
			if res := b.get(views.AdminTokensURL); res.status != http.StatusOK {
				t.Fatalf("before expiry: %d", res.status)
			}
			h.clock.Advance(auth.DefaultSessionIdle + time.Minute)
			res := b.get(views.AdminTokensURL)
			if res.status != http.StatusFound || res.location() != "/auth/login?return_to=%2Fadmin%2Ftokens" {
				t.Errorf("after expiry: %d to %q", res.status, res.location())
			}
			if res := b.post(views.AdminTokensURL, url.Values{auth.CSRFField: {csrf}, "name": {"late"}, "scope": {"read"}}); res.status != http.StatusForbidden {
				t.Errorf("a form of the expired session: %d", res.status)
			}
			if page := b.get("/no-such-page"); page.testid("user-name").Length() != 0 || page.testid("sign-in").Length() != 1 {
				t.Error("pages still show the expired session's user")
			}
		})
	}
}

// follow follows redirects from res, across hosts, up to ten times, and returns the last
// response and the path of every URL visited on the way.
func (b *browser) follow(res *response, from string) (*response, []string) {
	b.t.Helper()
	var visited []string
	at, err := url.Parse(from)
	if err != nil {
		b.t.Fatal(err)
	}
	for i := 0; i < 10 && res.status >= 300 && res.status < 400; i++ {
		next, err := at.Parse(res.location())
		if err != nil {
			b.t.Fatal(err)
		}
		visited = append(visited, next.Path)
		req, err := http.NewRequest(http.MethodGet, next.String(), nil)
		if err != nil {
			b.t.Fatal(err)
		}
		res, at = b.do(req), next
	}
	return res, visited
}

func TestOIDCSignIn(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			m, err := mockoidc.Run()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { m.Shutdown() })
			h := newAuthHarness(t, backend, auth.Config{Issuer: m.Issuer(), ClientID: m.ClientID, ClientSecret: m.ClientSecret,
				AdminGroups: []string{adminGroup}})
			user := func(email string) *mockoidc.MockUser {
				return &mockoidc.MockUser{Subject: "sub-" + email, Email: email, EmailVerified: true, PreferredUsername: email}
			}

			b := h.browser()
			t.Run("a person in the catalog signs in and lands where they were going", func(t *testing.T) {
				m.QueueUser(user(nestedAdmin + "@northwind.example"))
				res, visited := b.follow(b.get(views.AdminTokensURL), h.url+views.AdminTokensURL)
				if res.status != http.StatusOK || res.testid("user-name").Text() != "Ravi Patel" || res.testid("banner").Length() != 0 {
					t.Fatalf("landed with %d as %q after %v: %s", res.status, res.testid("user-name").Text(), visited, res.body)
				}
				if len(visited) < 3 || visited[0] != auth.LoginPath || visited[len(visited)-2] != auth.CallbackPath || visited[len(visited)-1] != views.AdminTokensURL {
					t.Errorf("went through %v", visited)
				}
				if in := h.events(auth.ActionSignIn); len(in) != 1 || in[0].Actor != "user:default/"+nestedAdmin || in[0].Detail["method"] != "oidc" {
					t.Errorf("sign-in events %+v", in)
				}

			})

			t.Run("a person without a User entity is refused with a page saying why", func(t *testing.T) {
				b := h.browser()
				m.QueueUser(user("stranger@elsewhere.example"))
				res, _ := b.follow(b.get(auth.LoginPath), h.url+auth.LoginPath)
				if res.status != http.StatusForbidden || res.testid("refused-email").Text() != "stranger@elsewhere.example" {
					t.Fatalf("%d: %s", res.status, res.body)
				}
				if !strings.Contains(res.testid("refused-reason").Text(), "no User entity") {
					t.Errorf("reason %q", res.testid("refused-reason").Text())
				}
				if href, _ := res.testid("refused-contact").Find("a").Attr("href"); href != "/catalog/default/group/"+adminGroup {
					t.Errorf("contact link %q", href)
				}
			})

			t.Run("a callback without a flow in this browser fails", func(t *testing.T) {
				res := h.browser().get(auth.CallbackPath + "?code=x&state=y")
				if res.status != http.StatusBadRequest || res.testid("sign-in-error").Length() != 1 {
					t.Errorf("%d: %s", res.status, res.body)
				}
			})

			t.Run("sign-out ends the session", func(t *testing.T) {
				b := h.browser()
				m.QueueUser(user(ownerUser + "@northwind.example"))
				if res, _ := b.follow(b.get(auth.LoginPath+"?return_to=/no-such-page"), h.url+auth.LoginPath); res.testid("user-name").Text() != "Sophie Laurent" {
					t.Fatalf("sign-in: %d: %s", res.status, res.body)
				}
				csrf := b.csrf("/no-such-page")
				res := b.post(auth.LogoutPath, url.Values{auth.CSRFField: {csrf}})
				if res.status != http.StatusSeeOther {
					t.Fatalf("sign-out: %d", res.status)
				}
				if page := b.get("/no-such-page"); page.status != http.StatusFound {
					t.Errorf("after sign-out a page answered %d", page.status)
				}
			})

			t.Run("the session expires when idle, last as it moves the clock past the provider tokens", func(t *testing.T) {
				csrf := b.csrf(views.AdminTokensURL)
				h.clock.Advance(auth.DefaultSessionIdle + time.Minute)
				res := b.get("/catalog")
				if res.status != http.StatusFound || res.location() != "/auth/login?return_to=%2Fcatalog" {
					t.Errorf("page after expiry: %d to %q", res.status, res.location())
				}
				if api := b.api(http.MethodGet, "/api/catalog/entities?limit=1", "", csrf); api.status != http.StatusUnauthorized {
					t.Errorf("API after expiry: %d", api.status)
				}
			})
		})
	}
}

func TestServedOverHTTPS(t *testing.T) {
	h := newAuthHarness(t, "sqlite", auth.Config{BaseURL: "https://portal.example.com"})
	res := h.browser().get(auth.LoginPath)
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("status %d, HSTS %q", res.status, res.header.Get("Strict-Transport-Security"))
	}
	cookies := (&http.Response{Header: res.header}).Cookies()
	if len(cookies) != 1 || cookies[0].Name != "__Host-keelson_csrf" || !cookies[0].Secure || !cookies[0].HttpOnly {
		t.Errorf("cookies %+v", cookies)
	}
}
