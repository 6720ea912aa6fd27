package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/database"
	"github.com/keelson-dev/keelson/ent/apitoken"
)

var adminID = auth.Identity{Kind: auth.KindUser, Ref: "user:default/ada", Role: auth.RoleAdmin,
	OwnershipRefs: []string{"group:default/admins", "user:default/ada"}}

func bearerRequest(token string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/api/catalog/entities", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}

func TestTokenLifecycle(t *testing.T) {
	for _, b := range database.Backends(t) {
		t.Run(b, func(t *testing.T) {
			db := database.OpenTest(t, b)
			ctx := context.Background()
			c := newClock()
			svc := newGuestService(t, db, c)

			nt, err := svc.CreateToken(ctx, adminID, "  ci pipeline ", auth.ScopeWrite)
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			if !strings.HasPrefix(nt.Plaintext, "kst_") || len(nt.Plaintext) != 4+43 || nt.Name != "ci pipeline" ||
				nt.Scope != auth.ScopeWrite || nt.CreatedBy != adminID.Ref || nt.LastUsedAt != nil || nt.RevokedAt != nil {
				t.Fatalf("new token = %+v", nt)
			}
			row, err := db.Client.APIToken.Get(ctx, nt.ID)
			if err != nil {
				t.Fatal(err)
			}
			if row.Hash == nt.Plaintext || strings.Contains(row.Hash, strings.TrimPrefix(nt.Plaintext, "kst_")) || len(row.Hash) != 64 {
				t.Errorf("stored hash %q must be a SHA-256, not the token", row.Hash)
			}

			caller, err := svc.Authenticate(ctx, bearerRequest(nt.Plaintext))
			if err != nil {
				t.Fatalf("authenticate: %v", err)
			}
			id := caller.Identity
			if id.Kind != auth.KindToken || id.Ref != "token:"+nt.ID || id.Scope != auth.ScopeWrite || id.DisplayName != "ci pipeline" || caller.Session != nil {
				t.Errorf("token identity = %+v", caller)
			}
			lastUsed := func() time.Time {
				r, err := db.Client.APIToken.Get(ctx, nt.ID)
				if err != nil || r.LastUsedAt == nil {
					t.Fatalf("last used: %+v %v", r, err)
				}
				return r.LastUsedAt.UTC()
			}
			first := c.Now()
			if got := lastUsed(); !got.Equal(first) {
				t.Errorf("last used = %v, want %v", got, first)
			}
			c.Advance(30 * time.Second)
			svc.AuthenticateToken(ctx, nt.Plaintext)
			if got := lastUsed(); !got.Equal(first) {
				t.Errorf("last used rewritten within a minute: %v", got)
			}
			c.Advance(40 * time.Second)
			svc.AuthenticateToken(ctx, nt.Plaintext)
			if got := lastUsed(); !got.Equal(c.Now()) {
				t.Errorf("last used = %v, want %v", got, c.Now())
			}

			other, err := svc.CreateToken(ctx, adminID, "reader", auth.ScopeRead)
			if err != nil {
				t.Fatal(err)
			}
			list, err := svc.ListTokens(ctx, adminID)
			if err != nil || len(list) != 2 {
				t.Fatalf("list = %+v, %v", list, err)
			}

			if err := svc.RevokeToken(ctx, adminID, nt.ID); err != nil {
				t.Fatalf("revoke: %v", err)
			}
			if _, err := svc.Authenticate(ctx, bearerRequest(nt.Plaintext)); !errors.Is(err, auth.ErrUnauthenticated) {
				t.Fatalf("authenticate right after revocation: %v, want ErrUnauthenticated", err)
			}
			if _, err := svc.Authenticate(ctx, bearerRequest(other.Plaintext)); err != nil {
				t.Errorf("other token stopped working: %v", err)
			}
			if err := svc.RevokeToken(ctx, adminID, nt.ID); err != nil {
				t.Errorf("revoke twice: %v", err)
			}
			if err := svc.RevokeToken(ctx, adminID, "no-such-id"); !errors.Is(err, auth.ErrTokenNotFound) {
				t.Errorf("revoke unknown: %v, want ErrTokenNotFound", err)
			}
			revoked, err := db.Client.APIToken.Query().Where(apitoken.RevokedAtNotNil()).Count(ctx)
			if err != nil || revoked != 1 {
				t.Errorf("revoked rows = %d, %v", revoked, err)
			}

			created, _ := svc.Audit().List(ctx, auth.Filter{Action: auth.ActionTokenCreated})
			revokedEv, _ := svc.Audit().List(ctx, auth.Filter{Action: auth.ActionTokenRevoked})
			if len(created.Events) != 2 || len(revokedEv.Events) != 1 || revokedEv.Events[0].Target != "token:"+nt.ID {
				t.Errorf("audit: created %+v, revoked %+v", created.Events, revokedEv.Events)
			}
		})
	}
}

func TestTokenRules(t *testing.T) {
	db := database.OpenTest(t, "sqlite")
	ctx := context.Background()
	svc := newGuestService(t, db, newClock())
	member := auth.Identity{Kind: auth.KindUser, Ref: "user:default/jane.doe", Role: auth.RoleMember}
	tests := []struct {
		name      string
		actor     auth.Identity
		tokenName string
		scope     auth.Scope
		wantErr   error  // sentinel, or nil for a ValidationError on field
		field     string // ValidationError field
	}{
		{name: "member", actor: member, tokenName: "x", scope: auth.ScopeRead, wantErr: auth.ErrForbidden},
		{name: "empty name", actor: adminID, tokenName: "  ", scope: auth.ScopeRead, field: "name"},
		{name: "long name", actor: adminID, tokenName: strings.Repeat("n", 101), scope: auth.ScopeRead, field: "name"},
		{name: "bad scope", actor: adminID, tokenName: "x", scope: "admin", field: "scope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.CreateToken(ctx, tc.actor, tc.tokenName, tc.scope)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error = %v, want %v", err, tc.wantErr)
				}
				return
			}
			var ve *auth.ValidationError
			if !errors.As(err, &ve) || ve.Field != tc.field {
				t.Fatalf("error = %v, want a ValidationError on %s", err, tc.field)
			}
		})
	}
	if _, err := svc.ListTokens(ctx, member); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("member lists tokens: %v", err)
	}
	if err := svc.RevokeToken(ctx, member, "x"); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("member revokes: %v", err)
	}
	if n, _ := db.Client.APIToken.Query().Count(ctx); n != 0 {
		t.Errorf("%d tokens created by refused requests", n)
	}
}

func TestAuthenticateRejects(t *testing.T) {
	db := database.OpenTest(t, "sqlite")
	ctx := context.Background()
	svc := newGuestService(t, db, newClock())
	nt, err := svc.CreateToken(ctx, adminID, "x", auth.ScopeRead)
	if err != nil {
		t.Fatal(err)
	}
	session := guestSignIn(t, svc, "")
	tests := []struct {
		name   string
		header string
		cookie bool
	}{
		{name: "nothing"},
		{name: "unknown token", header: "Bearer kst_unknown"},
		{name: "token without prefix", header: "Bearer " + strings.TrimPrefix(nt.Plaintext, "kst_")},
		{name: "basic auth", header: "Basic dXNlcjpwYXNz"},
		{name: "bad bearer with a good cookie", header: "Bearer kst_unknown", cookie: true},
		{name: "malformed bearer with a good cookie", header: "Bearer", cookie: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/api/x", nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			if tc.cookie {
				req.AddCookie(session)
			}
			if _, err := svc.Authenticate(ctx, req); !errors.Is(err, auth.ErrUnauthenticated) {
				t.Errorf("authenticate = %v, want ErrUnauthenticated", err)
			}
		})
	}
}

func TestParseBearer(t *testing.T) {
	tests := []struct {
		header string
		want   string
		ok     bool
	}{
		{"Bearer kst_abc-DEF_123", "kst_abc-DEF_123", true},
		{"bearer kst_abc", "kst_abc", true},
		{"BEARER   abc==", "abc==", true},
		{"  Bearer abc  ", "abc", true},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"Bearer ===", "", false},
		{"Bearer a b", "", false},
		{"Bearer a\tb", "", false},
		{"Bearer a=b", "", false},
		{"Basic abc", "", false},
		{"Bearerabc", "", false},
		{"Bearer " + strings.Repeat("a", 513), "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			got, ok := auth.ParseBearer(tc.header)
			if got != tc.want || ok != tc.ok {
				t.Errorf("ParseBearer(%q) = %q, %v; want %q, %v", tc.header, got, ok, tc.want, tc.ok)
			}
		})
	}
}
