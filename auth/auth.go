// Package auth signs people in (OIDC or guest), keeps their sessions in the database, resolves
// who they are (user, groups, role), decides what they may do, authenticates API tokens, protects
// forms against cross-site request forgery and records security-relevant events in the audit log.
//
// It knows nothing of echo, handlers or views: the HTTP layer calls it with net/http requests and
// response writers, and maps its typed errors to pages and status codes.
package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/keelson-dev/keelson/database"
)

// Sign-in resolvers, named as Backstage names them.
const (
	// ResolverEmail matches the email claim against spec.profile.email of User entities.
	ResolverEmail = "emailMatchingUserEntityProfileEmail"
	// ResolverEmailLocalPart matches the part of the email before "@" against User entity names.
	ResolverEmailLocalPart = "emailLocalPartMatchingUserEntityName"
)

// Routes the auth flow relies on; the HTTP layer registers its handlers under these paths.
const (
	// LoginPath starts a sign-in (GET) and, in guest mode, signs in a guest (POST).
	LoginPath = "/auth/login"
	// CallbackPath receives the provider's redirect; BaseURL+CallbackPath is the redirect URL.
	CallbackPath = "/auth/callback"
	// LogoutPath signs out (POST).
	LogoutPath = "/auth/logout"
	// SignedOutPath is where the provider sends the browser back after ending its session.
	SignedOutPath = "/auth/signed-out"
)

// GuestRef is the user a guest signs in as unless they pick a User from the catalog.
const GuestRef = "user:default/guest"

// Default lifetimes of a session.
const (
	DefaultSessionIdle     = 12 * time.Hour
	DefaultSessionAbsolute = 7 * 24 * time.Hour
)

// Config configures sign-in, sessions and roles. The zero value (apart from BaseURL) is guest mode.
type Config struct {
	// Issuer is the OIDC issuer URL; empty turns OIDC off and guest sign-in on.
	Issuer string
	// ClientID and ClientSecret identify Keelson at the provider.
	ClientID     string
	ClientSecret string
	// BaseURL is where Keelson is served, e.g. https://portal.example.com (no trailing slash).
	BaseURL string
	// Scopes requested from the provider; default openid, profile, email.
	Scopes []string
	// SignInResolver is ResolverEmail (default) or ResolverEmailLocalPart.
	SignInResolver string
	// AllowedDomains, when not empty, restricts sign-in to these email domains.
	AllowedDomains []string
	// AllowUnknownUsers lets people without a User entity sign in (as user:default/<local part>).
	AllowUnknownUsers bool
	// AdminGroups and ManagerGroups are group refs (or bare names in the default namespace)
	// whose members, directly or through child groups, get the admin or manager role.
	AdminGroups   []string
	ManagerGroups []string
	// SessionIdle ends a session not used for this long; SessionAbsolute ends any session this
	// long after sign-in.
	SessionIdle     time.Duration
	SessionAbsolute time.Duration
	// Secure marks cookies Secure (and __Host- prefixed); forced on when BaseURL is https.
	Secure bool
	// Clock returns the current time; default time.Now.
	Clock func() time.Time
}

// OIDCEnabled reports whether sign-in goes through an OpenID provider.
func (c Config) OIDCEnabled() bool { return c.Issuer != "" }

// withDefaults fills the defaults and normalises group refs.
func (c Config) withDefaults() (Config, error) {
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("auth: base URL %q must be an absolute http(s) URL", c.BaseURL)
		}
		if u.Scheme == "https" {
			c.Secure = true
		}
	}
	if c.OIDCEnabled() {
		if c.ClientID == "" {
			return c, errors.New("auth: OIDC issuer set without a client ID")
		}
		if c.BaseURL == "" {
			return c, errors.New("auth: OIDC needs the base URL for its redirect URL")
		}
	}
	if len(c.Scopes) == 0 {
		c.Scopes = []string{"openid", "profile", "email"}
	} else if !slices.Contains(c.Scopes, "openid") {
		c.Scopes = append([]string{"openid"}, c.Scopes...)
	}
	switch c.SignInResolver {
	case "":
		c.SignInResolver = ResolverEmail
	case ResolverEmail, ResolverEmailLocalPart:
	default:
		return c, fmt.Errorf("auth: unknown sign-in resolver %q (want %s or %s)", c.SignInResolver, ResolverEmail, ResolverEmailLocalPart)
	}
	domains := make([]string, 0, len(c.AllowedDomains))
	for _, d := range c.AllowedDomains {
		if d = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(d), "@"))); d != "" {
			domains = append(domains, d)
		}
	}
	c.AllowedDomains = domains
	c.AdminGroups = groupRefs(c.AdminGroups)
	c.ManagerGroups = groupRefs(c.ManagerGroups)
	if c.SessionIdle <= 0 {
		c.SessionIdle = DefaultSessionIdle
	}
	if c.SessionAbsolute <= 0 {
		c.SessionAbsolute = DefaultSessionAbsolute
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	return c, nil
}

// groupRefs turns configured group names into canonical lower-case group refs.
func groupRefs(in []string) []string {
	out := make([]string, 0, len(in))
	for _, g := range in {
		g = strings.ToLower(strings.TrimSpace(g))
		if g == "" {
			continue
		}
		if !strings.Contains(g, ":") {
			g = "group:" + g
		}
		if !strings.Contains(g, "/") {
			g = strings.Replace(g, ":", ":default/", 1)
		}
		out = append(out, g)
	}
	return out
}

// Directory is the part of the catalog that sign-in and identity need.
type Directory interface {
	// UserByEmail finds the User entity whose spec.profile.email matches (case-insensitive);
	// it returns ErrUnknownUser when there is none.
	UserByEmail(ctx context.Context, email string) (User, error)
	// UserByName finds user:default/<name>; it returns ErrUnknownUser when there is none.
	UserByName(ctx context.Context, name string) (User, error)
	// ParentGroups returns the direct memberships of a user ref, or the parent of a group ref,
	// as lower-case refs.
	ParentGroups(ctx context.Context, ref string) ([]string, error)
}

// User is a User entity as sign-in needs it.
type User struct {
	Ref         string
	DisplayName string
	Email       string
}

// ErrUnknownUser is returned by a Directory when no User entity matches.
var ErrUnknownUser = errors.New("auth: no matching user in the catalog")

// Service is the auth service: one per process, safe for concurrent use.
type Service struct {
	cfg   Config
	db    *database.DB
	dir   Directory
	log   *slog.Logger
	audit *AuditLog
	oidc  *oidcClient // nil in guest mode
}

// NewService checks cfg and builds the service. Provider discovery happens lazily, on the first
// sign-in, so Keelson starts while the identity provider is briefly unreachable.
func NewService(cfg Config, db *database.DB, dir Directory, logger *slog.Logger) (*Service, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if db == nil || dir == nil {
		return nil, errors.New("auth: a database and a directory are required")
	}
	if logger == nil {
		logger = slog.Default()
	}
	s := &Service{
		cfg:   cfg,
		db:    db,
		dir:   dir,
		log:   logger,
		audit: NewAuditLog(db, cfg.Clock),
	}
	if cfg.OIDCEnabled() {
		s.oidc = newOIDCClient(cfg)
	}
	return s, nil
}

// Config returns the effective configuration (defaults filled in).
func (s *Service) Config() Config { return s.cfg }

// GuestMode reports whether guest sign-in is on (no identity provider configured); pages then
// show a banner saying so.
func (s *Service) GuestMode() bool { return !s.cfg.OIDCEnabled() }

// Audit returns the audit log.
func (s *Service) Audit() *AuditLog { return s.audit }

func (s *Service) now() time.Time { return s.cfg.Clock() }
