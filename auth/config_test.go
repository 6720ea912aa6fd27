package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/database"
)

func TestNewServiceConfig(t *testing.T) {
	db := database.OpenTest(t, "sqlite")
	tests := []struct {
		name    string
		cfg     auth.Config
		wantErr string
		check   func(t *testing.T, c auth.Config)
	}{
		{name: "guest defaults", cfg: auth.Config{}, check: func(t *testing.T, c auth.Config) {
			if c.SignInResolver != auth.ResolverEmail || c.SessionIdle != auth.DefaultSessionIdle ||
				c.SessionAbsolute != auth.DefaultSessionAbsolute || c.Secure || c.OIDCEnabled() || c.Clock == nil ||
				strings.Join(c.Scopes, " ") != "openid profile email" {
				t.Errorf("defaults = %+v", c)
			}
		}},
		{name: "groups and domains normalised", cfg: auth.Config{
			AdminGroups:    []string{"Admins", "group:Platform", "default/sre", " ", "group:ops/oncall"},
			AllowedDomains: []string{" @Example.COM ", ""},
			Scopes:         []string{"email", "groups"},
			SessionIdle:    time.Hour,
		}, check: func(t *testing.T, c auth.Config) {
			if got := strings.Join(c.AdminGroups, ","); got != "group:default/admins,group:default/platform,group:default/sre,group:ops/oncall" {
				t.Errorf("admin groups = %s", got)
			}
			if got := strings.Join(c.AllowedDomains, ","); got != "example.com" {
				t.Errorf("domains = %s", got)
			}
			if got := strings.Join(c.Scopes, " "); got != "openid email groups" {
				t.Errorf("scopes = %s", got)
			}
			if c.SessionIdle != time.Hour {
				t.Errorf("idle = %v", c.SessionIdle)
			}
		}},
		{name: "https base URL means secure cookies", cfg: auth.Config{BaseURL: "https://portal.example.com"},
			check: func(t *testing.T, c auth.Config) {
				if !c.Secure {
					t.Error("Secure = false for an https base URL")
				}
			}},
		{name: "bad resolver", cfg: auth.Config{SignInResolver: "emailOnly"}, wantErr: "unknown sign-in resolver"},
		{name: "issuer without client", cfg: auth.Config{Issuer: "http://127.0.0.1:1", BaseURL: "http://127.0.0.1:7007"}, wantErr: "client ID"},
		{name: "issuer without base URL", cfg: auth.Config{Issuer: "http://127.0.0.1:1", ClientID: "c"}, wantErr: "base URL"},
		{name: "relative base URL", cfg: auth.Config{BaseURL: "/portal"}, wantErr: "absolute http(s) URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc, err := auth.NewService(tc.cfg, db, testDirectory(), discardLogger())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, svc.Config())
		})
	}
	if _, err := auth.NewService(auth.Config{}, nil, testDirectory(), nil); err == nil {
		t.Error("NewService without a database succeeded")
	}
}
