package views_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/keelson-dev/keelson/views"
)

// authRender renders an auth page with a CSP nonce and parses it.
func authRender(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(templ.WithNonce(context.Background(), "n0nce"), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

// authExpect is one expectation: sel matches count elements; text, when set, is contained in
// the first match's whitespace-normalised text; attr, when set, has value on the first match.
type authExpect struct {
	sel   string
	count int
	text  string
	attr  string
	value string
}

func authCheck(t *testing.T, doc *goquery.Document, want []authExpect) {
	t.Helper()
	for _, w := range want {
		sel := doc.Find(w.sel)
		if sel.Length() != w.count {
			t.Errorf("%s: %d matches, want %d", w.sel, sel.Length(), w.count)
			continue
		}
		if w.text != "" {
			if got := strings.Join(strings.Fields(sel.First().Text()), " "); !strings.Contains(got, w.text) {
				t.Errorf("%s: text %q lacks %q", w.sel, got, w.text)
			}
		}
		if w.attr != "" {
			if got, _ := sel.First().Attr(w.attr); got != w.value {
				t.Errorf("%s[%s] = %q, want %q", w.sel, w.attr, got, w.value)
			}
		}
	}
}

func authPage(title string) views.Page {
	return views.Page{Title: title, Assets: views.AssetPaths{CSS: "/static/app.css"}}
}

func TestAuthPages(t *testing.T) {
	at := time.Date(2026, 11, 21, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		name string
		c    templ.Component
		want []authExpect
	}{
		{
			name: "guest sign-in",
			c: views.SignInView(views.SignInPage{
				Page: authPage("Sign in"), ReturnTo: "/catalog?kind=api", CSRFToken: "tok",
				Users: []views.SignInUser{
					{Name: "jane.doe", DisplayName: "Jane Doe", Email: "jane@example.com"},
					{Name: "ada"},
				},
			}),
			want: []authExpect{
				{sel: `[data-testid="page-title"]`, count: 1, text: "Sign in to Keelson"},
				{sel: `[data-testid="guest-notice"]`, count: 1, text: "No identity provider"},
				{sel: `[data-testid="guest-form"]`, count: 1, attr: "action", value: "/auth/login"},
				{sel: `[data-testid="guest-form"] input[name="_csrf"]`, count: 1, attr: "value", value: "tok"},
				{sel: `[data-testid="guest-form"] input[name="return_to"]`, count: 1, attr: "value", value: "/catalog?kind=api"},
				{sel: `[data-testid="guest-form"] input[name="user"]`, count: 1, attr: "value", value: ""},
				{sel: `[data-testid="sign-in-guest"]`, count: 1, text: "Continue as guest"},
				{sel: `[data-testid="pick-user-form"] input[name="_csrf"]`, count: 1, attr: "value", value: "tok"},
				{sel: `[data-testid="sign-in-user-option"]`, count: 2, text: "Jane Doe (jane.doe) · jane@example.com", attr: "value", value: "jane.doe"},
				{sel: `[data-testid="sign-in-provider"]`, count: 0},
				{sel: `[data-testid="signed-out"]`, count: 0},
			},
		},
		{
			name: "guest sign-in with an empty catalog",
			c:    views.SignInView(views.SignInPage{Page: authPage("Sign in"), CSRFToken: "tok"}),
			want: []authExpect{
				{sel: `[data-testid="sign-in-guest"]`, count: 1},
				{sel: `[data-testid="pick-user-form"]`, count: 0},
			},
		},
		{
			name: "provider sign-in after sign-out",
			c: views.SignInView(views.SignInPage{
				Page: authPage("Sign in"), OIDC: true, ProviderURL: "/auth/login?return_to=%2F", SignedOut: true,
				Error: "The sign-in took too long. Please try again.",
			}),
			want: []authExpect{
				{sel: `[data-testid="sign-in-provider"]`, count: 1, text: "Sign in", attr: "href", value: "/auth/login?return_to=%2F"},
				{sel: `[data-testid="signed-out"]`, count: 1, text: "You have signed out."},
				{sel: `[data-testid="sign-in-error"]`, count: 1, text: "took too long"},
				{sel: `[data-testid="guest-form"]`, count: 0},
				{sel: `[data-testid="pick-user-form"]`, count: 0},
			},
		},
		{
			name: "sign-in refused",
			c: views.SignInRefusedView(views.SignInRefusedPage{
				Page: authPage("Sign-in refused"), Email: "stranger@example.com",
				Message:  "There is no User entity for stranger@example.com in the catalog.",
				Contacts: []views.EntityLink{{Ref: "group:default/admins", Kind: "Group", Title: "Admins", Href: "/catalog/default/group/admins"}},
				RetryURL: "/auth/login",
			}),
			want: []authExpect{
				{sel: `[data-testid="page-title"]`, count: 1, text: "You cannot sign in"},
				{sel: `[data-testid="refused-email"]`, count: 1, text: "stranger@example.com"},
				{sel: `[data-testid="refused-reason"]`, count: 1, text: "no User entity"},
				{sel: `[data-testid="refused-contact"] a`, count: 1, text: "Admins", attr: "href", value: "/catalog/default/group/admins"},
				{sel: `[data-testid="refused-no-contacts"]`, count: 0},
				{sel: `[data-testid="refused-retry"]`, count: 1, attr: "href", value: "/auth/login"},
			},
		},
		{
			name: "sign-in refused without admins",
			c:    views.SignInRefusedView(views.SignInRefusedPage{Page: authPage("Sign-in refused"), Message: "No email."}),
			want: []authExpect{
				{sel: `[data-testid="refused-no-contacts"]`, count: 1},
				{sel: `[data-testid="refused-email"]`, count: 0},
				{sel: `[data-testid="refused-retry"]`, count: 0},
			},
		},
		{
			name: "tokens with one just created",
			c: views.TokensView(views.TokensPage{
				Page: authPage("API tokens"), CSRFToken: "tok",
				Created: &views.CreatedToken{Name: "ci", Scope: "write", Value: "kst_secret"},
				Tokens: []views.TokenRow{
					{ID: "t-1", Name: "ci", Scope: "write", CreatedBy: views.EntityLink{Ref: "user:default/ada", Title: "Ada"}, Created: at, LastUsed: at},
					{ID: "t 2", Name: "old", Scope: "read", Created: at, Revoked: at},
				},
			}),
			want: []authExpect{
				{sel: `[data-testid="token-created"]`, count: 1, text: "Token “ci” created (write)"},
				{sel: `[data-testid="token-value"]`, count: 1, text: "kst_secret"},
				{sel: `[data-testid="token-form"]`, count: 1, attr: "action", value: "/admin/tokens"},
				{sel: `[data-testid="token-form"] input[name="_csrf"]`, count: 1, attr: "value", value: "tok"},
				{sel: `[data-testid="token-scope-read"][checked]`, count: 1},
				{sel: `[data-testid="token-scope-write"][checked]`, count: 0},
				{sel: `[data-testid="token-row"]`, count: 2, attr: "data-token-id", value: "t-1"},
				{sel: `[data-testid="token-row-last-used"] time`, count: 1, attr: "datetime", value: "2026-11-21T10:30:00Z"},
				{sel: `[data-testid="token-revoke-form"]`, count: 1, attr: "action", value: "/admin/tokens/t-1/revoke"},
				{sel: `[data-testid="token-revoke-form"] input[name="_csrf"]`, count: 1, attr: "value", value: "tok"},
				{sel: `[data-testid="token-revoked"]`, count: 1},
				{sel: `[data-testid="tokens-empty"]`, count: 0},
			},
		},
		{
			name: "tokens form error, none listed",
			c: views.TokensView(views.TokensPage{
				Page: authPage("API tokens"), CSRFToken: "tok",
				Form: views.TokenForm{Name: "x", Scope: "write", Error: "name is required"},
			}),
			want: []authExpect{
				{sel: `[data-testid="token-form-error"]`, count: 1, text: "name is required"},
				{sel: `[data-testid="token-name"]`, count: 1, attr: "aria-invalid", value: "true"},
				{sel: `[data-testid="token-scope-write"][checked]`, count: 1},
				{sel: `[data-testid="token-created"]`, count: 0},
				{sel: `[data-testid="tokens-empty"]`, count: 1},
				{sel: `[data-testid="token-value"]`, count: 0},
			},
		},
		{
			name: "audit log",
			c: views.AuditLogView(views.AuditLogPage{
				Page:    authPage("Audit log"),
				Filters: views.AuditFilters{Actor: "user:default/ada", Action: "sign-in", Since: "2026-11-01"},
				Actions: []string{"sign-in", "sign-out", "token-created"},
				Events: []views.AuditRow{
					{At: at, Actor: "user:default/ada", Action: "sign-in", Outcome: "success", IP: "127.0.0.1", RequestID: "r1",
						Detail: []views.KeyValue{{Key: "method", Value: "oidc"}}},
					{At: at, Actor: "user:default/jane", Action: "permission-denied", Target: "component:default/x", Outcome: "denied"},
				},
				NextHref: "/admin/audit?before=7",
				JSONHref: "/api/audit?actor=user%3Adefault%2Fada",
			}),
			want: []authExpect{
				{sel: `[data-testid="audit-filters"]`, count: 1, attr: "action", value: "/admin/audit"},
				{sel: `[data-testid="audit-actor"]`, count: 1, attr: "value", value: "user:default/ada"},
				{sel: `[data-testid="audit-action"] option[selected]`, count: 1, attr: "value", value: "sign-in"},
				{sel: `[data-testid="audit-since"]`, count: 1, attr: "value", value: "2026-11-01"},
				{sel: `[data-testid="audit-event"]`, count: 2},
				{sel: `[data-testid="audit-event-actor"]`, count: 2, text: "user:default/ada"},
				{sel: `[data-testid="audit-event-detail"]`, count: 1, text: "method: oidc"},
				{sel: `[data-testid="audit-event-outcome"].badge-warn`, count: 1, text: "denied"},
				{sel: `[data-testid="audit-next"]`, count: 1, attr: "href", value: "/admin/audit?before=7"},
				{sel: `[data-testid="audit-json"]`, count: 1, attr: "href", value: "/api/audit?actor=user%3Adefault%2Fada"},
				{sel: `[data-testid="audit-empty"]`, count: 0},
			},
		},
		{
			name: "audit log, nothing found",
			c:    views.AuditLogView(views.AuditLogPage{Page: authPage("Audit log"), FilterError: "since must be a date"}),
			want: []authExpect{
				{sel: `[data-testid="audit-empty"]`, count: 1},
				{sel: `[data-testid="audit-filter-error"]`, count: 1, text: "since must be a date"},
				{sel: `[data-testid="audit-action"] option[selected]`, count: 1, attr: "value", value: ""},
				{sel: `[data-testid="audit-next"]`, count: 0},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := authRender(t, tc.c)
			authCheck(t, doc, tc.want)
			// Every POST form carries a CSRF token.
			doc.Find(`form[method="post"]`).Each(func(_ int, f *goquery.Selection) {
				if f.Find(`input[name="_csrf"]`).Length() != 1 {
					id, _ := f.Attr("data-testid")
					t.Errorf("POST form %s has no CSRF field", id)
				}
			})
		})
	}
}

func TestAdminTokenRevokeURL(t *testing.T) {
	if got := views.AdminTokenRevokeURL("a/b c"); got != "/admin/tokens/a%2Fb%20c/revoke" {
		t.Errorf("AdminTokenRevokeURL = %q", got)
	}
}
