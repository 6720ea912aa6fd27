package auth_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/database"
)

// directory is an in-memory stand-in for the catalog's users and groups.
type directory struct {
	users   []auth.User         // refs user:default/<name>
	parents map[string][]string // user ref -> groups, group ref -> parent
}

func (d *directory) UserByEmail(_ context.Context, email string) (auth.User, error) {
	for _, u := range d.users {
		if strings.EqualFold(u.Email, email) {
			return u, nil
		}
	}
	return auth.User{}, auth.ErrUnknownUser
}

func (d *directory) UserByName(_ context.Context, name string) (auth.User, error) {
	for _, u := range d.users {
		if strings.EqualFold(u.Ref, "user:default/"+name) {
			return u, nil
		}
	}
	return auth.User{}, auth.ErrUnknownUser
}

func (d *directory) ParentGroups(_ context.Context, ref string) ([]string, error) {
	return d.parents[ref], nil
}

// testDirectory has a small organisation: platform is a child of engineering, which is a child
// of org; admins is its own group; a cycle loops-a <-> loops-b.
func testDirectory() *directory {
	return &directory{
		users: []auth.User{
			{Ref: "user:default/jane.doe", DisplayName: "Jane Doe", Email: "jane.doe@example.com"},
			{Ref: "user:default/ada", DisplayName: "Ada Admin", Email: "ada@example.com"},
			{Ref: "user:default/max", DisplayName: "Max Manager", Email: "max@example.com"},
			{Ref: "user:default/cy", DisplayName: "Cy Cycle", Email: "cy@example.com"},
		},
		parents: map[string][]string{
			"user:default/jane.doe":     {"group:default/platform"},
			"group:default/platform":    {"group:default/engineering"},
			"group:default/engineering": {"group:default/org"},
			"user:default/ada":          {"group:default/admins"},
			"user:default/max":          {"group:default/managers", "group:default/platform"},
			"user:default/cy":           {"group:default/loops-a"},
			"group:default/loops-a":     {"group:default/loops-b"},
			"group:default/loops-b":     {"group:default/loops-a"},
		},
	}
}

// clock is a settable clock for expiry tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now().UTC().Truncate(time.Second)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newGuestService is a guest-mode service with admins and managers groups configured.
func newGuestService(t *testing.T, db *database.DB, c *clock) *auth.Service {
	t.Helper()
	svc, err := auth.NewService(auth.Config{
		BaseURL:       "http://127.0.0.1:7007",
		AdminGroups:   []string{"admins"},
		ManagerGroups: []string{"group:default/managers"},
		Clock:         c.Now,
	}, db, testDirectory(), discardLogger())
	if err != nil {
		t.Fatalf("new service: %v", err)
	}
	return svc
}

// cookieNamed returns the cookie a response set, nil when none.
func cookieNamed(h http.Header, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}
