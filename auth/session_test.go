package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/database"
)

// guestSignIn signs in as name and returns the session cookie.
func guestSignIn(t *testing.T, svc *auth.Service, name string, presented ...*http.Cookie) *http.Cookie {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/auth/login", nil)
	for _, c := range presented {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	if err := svc.GuestSignIn(context.Background(), rec, req, name); err != nil {
		t.Fatalf("guest sign-in as %q: %v", name, err)
	}
	c := cookieNamed(rec.Header(), svc.SessionCookieName())
	if c == nil {
		t.Fatal("no session cookie set")
	}
	return c
}

func requestWith(c *http.Cookie) *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	if c != nil {
		req.AddCookie(c)
	}
	return req
}

func TestSessionExpiry(t *testing.T) {
	tests := []struct {
		name   string
		steps  []time.Duration // clock advances, each followed by a request
		wantOK bool
	}{
		{name: "fresh", steps: []time.Duration{0}, wantOK: true},
		{name: "used within idle time keeps living", steps: []time.Duration{11 * time.Hour, 11 * time.Hour, 11 * time.Hour}, wantOK: true},
		{name: "idle too long", steps: []time.Duration{12 * time.Hour}, wantOK: false},
		{name: "absolute expiry despite use", steps: []time.Duration{
			11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour,
			11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour,
			11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour, 11 * time.Hour,
			11 * time.Hour,
		}, wantOK: false},
	}
	for _, b := range database.Backends(t) {
		for _, tc := range tests {
			t.Run(b+"/"+tc.name, func(t *testing.T) {
				db := database.OpenTest(t, b)
				c := newClock()
				svc := newGuestService(t, db, c)
				cookie := guestSignIn(t, svc, "")
				var err error
				for _, d := range tc.steps {
					c.Advance(d)
					_, err = svc.SessionFromRequest(context.Background(), requestWith(cookie))
					if err != nil {
						break
					}
				}
				if tc.wantOK && err != nil {
					t.Fatalf("session: %v, want alive", err)
				}
				if !tc.wantOK {
					if !errors.Is(err, auth.ErrNoSession) {
						t.Fatalf("session: %v, want ErrNoSession", err)
					}
					if n, _ := db.Client.Session.Query().Count(context.Background()); n != 0 {
						t.Errorf("expired session row kept: %d rows", n)
					}
				}
			})
		}
	}
}

func TestSessionLastSeenWrittenAtMostOnceAMinute(t *testing.T) {
	db := database.OpenTest(t, "sqlite")
	c := newClock()
	svc := newGuestService(t, db, c)
	cookie := guestSignIn(t, svc, "")
	start := c.Now()
	lastSeen := func() time.Time {
		row, err := db.Client.Session.Query().Only(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return row.LastSeenAt
	}
	c.Advance(30 * time.Second)
	svc.SessionFromRequest(context.Background(), requestWith(cookie))
	if got := lastSeen(); !got.Equal(start) {
		t.Errorf("last seen after 30s = %v, want unchanged %v", got, start)
	}
	c.Advance(31 * time.Second)
	svc.SessionFromRequest(context.Background(), requestWith(cookie))
	if got := lastSeen(); !got.Equal(c.Now()) {
		t.Errorf("last seen after 61s = %v, want %v", got, c.Now())
	}
}

func TestSessionRotation(t *testing.T) {
	for _, b := range database.Backends(t) {
		t.Run(b, func(t *testing.T) {
			db := database.OpenTest(t, b)
			ctx := context.Background()
			svc := newGuestService(t, db, newClock())
			first := guestSignIn(t, svc, "")
			second := guestSignIn(t, svc, "jane.doe", first)
			if first.Value == second.Value {
				t.Fatal("sign-in reused the session id")
			}
			if _, err := svc.SessionFromRequest(ctx, requestWith(first)); !errors.Is(err, auth.ErrNoSession) {
				t.Errorf("old session: %v, want ErrNoSession", err)
			}
			sess, err := svc.SessionFromRequest(ctx, requestWith(second))
			if err != nil || sess.UserRef != "user:default/jane.doe" || sess.DisplayName != "Jane Doe" {
				t.Fatalf("new session = %+v, %v", sess, err)
			}
			if n, _ := db.Client.Session.Query().Count(ctx); n != 1 {
				t.Errorf("%d session rows, want 1", n)
			}
			// A session id an attacker planted before sign-in is not the one afterwards.
			planted := &http.Cookie{Name: svc.SessionCookieName(), Value: "planted-by-attacker"}
			third := guestSignIn(t, svc, "", planted)
			if third.Value == planted.Value {
				t.Error("sign-in adopted a planted session id")
			}
		})
	}
}

func TestGuestSignIn(t *testing.T) {
	tests := []struct {
		name    string
		pick    string
		wantRef string
		wantErr error
	}{
		{name: "guest", pick: "", wantRef: auth.GuestRef},
		{name: "guest by name", pick: "guest", wantRef: auth.GuestRef},
		{name: "catalog user", pick: "jane.doe", wantRef: "user:default/jane.doe"},
		{name: "catalog user by ref", pick: "user:default/ada", wantRef: "user:default/ada"},
		{name: "not in catalog", pick: "nobody", wantErr: auth.ErrUnknownUser},
	}
	db := database.OpenTest(t, "sqlite")
	svc := newGuestService(t, db, newClock())
	if !svc.GuestMode() {
		t.Fatal("GuestMode() = false without an issuer")
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			err := svc.GuestSignIn(context.Background(), rec, httptest.NewRequest(http.MethodPost, "/auth/login", nil), tc.pick)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			caller, err := svc.Authenticate(context.Background(), requestWith(cookieNamed(rec.Header(), "keelson_session")))
			if err != nil || caller.Identity.Ref != tc.wantRef || caller.Session == nil {
				t.Fatalf("caller = %+v, %v; want %s", caller, err, tc.wantRef)
			}
		})
	}
}

func TestGuestSignOut(t *testing.T) {
	for _, b := range database.Backends(t) {
		t.Run(b, func(t *testing.T) {
			db := database.OpenTest(t, b)
			ctx := context.Background()
			svc := newGuestService(t, db, newClock())
			cookie := guestSignIn(t, svc, "")
			next, err := svc.SignOut(ctx, httptest.NewRecorder(), requestWith(cookie))
			if err != nil || next != auth.LoginPath {
				t.Fatalf("sign out = %q, %v; want %s", next, err, auth.LoginPath)
			}
			if n, _ := db.Client.Session.Query().Count(ctx); n != 0 {
				t.Errorf("%d session rows left", n)
			}
			// Signing out without a session is harmless.
			if next, err := svc.SignOut(ctx, httptest.NewRecorder(), requestWith(nil)); err != nil || next != auth.LoginPath {
				t.Errorf("sign out again = %q, %v", next, err)
			}
			page, _ := svc.Audit().List(ctx, auth.Filter{Action: auth.ActionSignOut})
			if len(page.Events) != 1 || page.Events[0].Actor != auth.GuestRef {
				t.Errorf("sign-out audit = %+v", page.Events)
			}
		})
	}
}

func TestSecureCookies(t *testing.T) {
	svc, err := auth.NewService(auth.Config{BaseURL: "https://portal.example.com/"},
		database.OpenTest(t, "sqlite"), testDirectory(), discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	c := guestSignIn(t, svc, "")
	if c.Name != "__Host-keelson_session" || !c.Secure || c.Path != "/" || c.Domain != "" {
		t.Errorf("cookie = %+v, want a Secure __Host- cookie on /", c)
	}
	if svc.Config().BaseURL != "https://portal.example.com" {
		t.Errorf("base URL = %q, want the trailing slash trimmed", svc.Config().BaseURL)
	}
}
