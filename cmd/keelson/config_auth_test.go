package main

import (
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/database"
)

func TestAuthConfig(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		want    AuthConfig
		wantErr string
	}{
		{
			name: "defaults: guest mode",
			want: AuthConfig{SignInResolver: "emailMatchingUserEntityProfileEmail", SessionIdle: 12 * time.Hour, SessionAbsolute: 7 * 24 * time.Hour},
		},
		{
			name: "variables",
			env: map[string]string{
				"KEELSON_OIDC_ISSUER": "https://id.example.com", "KEELSON_OIDC_CLIENT_ID": "keelson",
				"KEELSON_OIDC_CLIENT_SECRET": "s3cret", "KEELSON_BASE_URL": "https://portal.example.com",
				"KEELSON_SIGN_IN_RESOLVER": "emailLocalPartMatchingUserEntityName", "KEELSON_ALLOWED_DOMAINS": "example.com, example.org",
				"KEELSON_ALLOW_UNKNOWN_USERS": "true", "KEELSON_ADMIN_GROUPS": "platform, group:ops/sre,",
				"KEELSON_MANAGER_GROUPS": "leads", "KEELSON_SESSION_IDLE": "1h", "KEELSON_SESSION_ABSOLUTE": "24h",
			},
			want: AuthConfig{
				OIDCIssuer: "https://id.example.com", OIDCClientID: "keelson", OIDCClientSecret: "s3cret",
				BaseURL: "https://portal.example.com", SignInResolver: "emailLocalPartMatchingUserEntityName",
				AllowedDomains: []string{"example.com", "example.org"}, AllowUnknownUsers: true,
				AdminGroups: []string{"platform", "group:ops/sre"}, ManagerGroups: []string{"leads"},
				SessionIdle: time.Hour, SessionAbsolute: 24 * time.Hour,
			},
		},
		{
			name: "flags win over variables",
			args: []string{"--admin-groups", "admins", "--allow-unknown-users=false", "--oidc-issuer", "https://other.example.com"},
			env:  map[string]string{"KEELSON_ADMIN_GROUPS": "platform", "KEELSON_ALLOW_UNKNOWN_USERS": "true", "KEELSON_OIDC_ISSUER": "https://id.example.com"},
			want: AuthConfig{OIDCIssuer: "https://other.example.com", SignInResolver: "emailMatchingUserEntityProfileEmail",
				AdminGroups: []string{"admins"}, SessionIdle: 12 * time.Hour, SessionAbsolute: 7 * 24 * time.Hour},
		},
		{
			name:    "a malformed boolean",
			env:     map[string]string{"KEELSON_ALLOW_UNKNOWN_USERS": "sometimes"},
			wantErr: "KEELSON_ALLOW_UNKNOWN_USERS",
		},
		{
			name:    "a malformed duration",
			env:     map[string]string{"KEELSON_SESSION_IDLE": "forever"},
			wantErr: "KEELSON_SESSION_IDLE",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := cfg.Auth
			if got.OIDCIssuer != tc.want.OIDCIssuer || got.OIDCClientID != tc.want.OIDCClientID ||
				got.OIDCClientSecret != tc.want.OIDCClientSecret || got.BaseURL != tc.want.BaseURL ||
				got.SignInResolver != tc.want.SignInResolver || got.AllowUnknownUsers != tc.want.AllowUnknownUsers ||
				!slices.Equal(got.AllowedDomains, tc.want.AllowedDomains) || !slices.Equal(got.AdminGroups, tc.want.AdminGroups) ||
				!slices.Equal(got.ManagerGroups, tc.want.ManagerGroups) || got.SessionIdle != tc.want.SessionIdle ||
				got.SessionAbsolute != tc.want.SessionAbsolute {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestNewAuth(t *testing.T) {
	db := database.OpenTest(t, "sqlite")
	svc := catalog.NewService(db, nil, nil, slog.New(slog.DiscardHandler), catalog.Options{})
	logger := slog.New(slog.DiscardHandler)
	cases := []struct {
		name    string
		cfg     AuthConfig
		guest   bool
		wantErr string
	}{
		{"guest mode", AuthConfig{AdminGroups: []string{"platform"}}, true, ""},
		{"a provider", AuthConfig{OIDCIssuer: "http://127.0.0.1:1", OIDCClientID: "keelson", BaseURL: "http://127.0.0.1:7007"}, false, ""},
		{"a provider without a client", AuthConfig{OIDCIssuer: "http://127.0.0.1:1", BaseURL: "http://127.0.0.1:7007"}, false, "client ID"},
		{"a provider without a base URL", AuthConfig{OIDCIssuer: "http://127.0.0.1:1", OIDCClientID: "keelson"}, false, "base URL"},
		{"an unknown resolver", AuthConfig{SignInResolver: "byShoeSize"}, true, "byShoeSize"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := newAuth(tc.cfg, db, svc, logger)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one about %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.GuestMode() != tc.guest {
				t.Errorf("guest mode %v", a.GuestMode())
			}
		})
	}
}
