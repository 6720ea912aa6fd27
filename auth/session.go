package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/keelson-dev/keelson/ent"
	entsession "github.com/keelson-dev/keelson/ent/session"
)

// ErrNoSession means the request carries no valid session: none, unknown, or expired.
var ErrNoSession = errors.New("auth: no valid session")

// seenEvery is how stale last_seen_at may get before a request refreshes it.
const seenEvery = time.Minute

// Session is a signed-in browser session.
type Session struct {
	// ID is the SHA-256 of the cookie value, hex; the cookie value itself is never stored.
	ID          string
	UserRef     string
	DisplayName string
	Email       string
	// CSRFToken is what the session's forms must carry (see CSRFToken and VerifyCSRF).
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	idToken    string
}

// SessionCookieName is the name of the session cookie ("__Host-" prefixed with Secure).
func (s *Service) SessionCookieName() string { return s.cookieName("keelson_session") }

func (s *Service) cookieName(base string) string {
	if s.cfg.Secure {
		return "__Host-" + base
	}
	return base
}

// cookie builds an HttpOnly, SameSite=Lax cookie on "/"; maxAge < 0 deletes it.
func (s *Service) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.cfg.Secure,
		SameSite: http.SameSiteLaxMode,
	}
}

// randomToken returns n random bytes, base64url without padding.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b) // crypto/rand.Read never fails; it aborts the program instead.
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// startSession rotates: it ends any session the request presents, creates a new one for u and
// sets its cookie.
func (s *Service) startSession(ctx context.Context, w http.ResponseWriter, r *http.Request, u User, idToken string) error {
	if c, err := r.Cookie(s.SessionCookieName()); err == nil && c.Value != "" {
		if _, err := s.db.Client.Session.Delete().Where(entsession.ID(hashHex(c.Value))).Exec(ctx); err != nil {
			return fmt.Errorf("auth: end previous session: %w", err)
		}
	}
	if err := s.PurgeSessions(ctx); err != nil {
		return err
	}
	value := randomToken(32)
	now := s.now()
	expires := now.Add(s.cfg.SessionAbsolute)
	create := s.db.Client.Session.Create().
		SetID(hashHex(value)).
		SetUserRef(u.Ref).
		SetDisplayName(u.DisplayName).
		SetEmail(u.Email).
		SetCsrfToken(randomToken(32)).
		SetCreatedAt(now).
		SetLastSeenAt(now).
		SetExpiresAt(expires)
	if idToken != "" {
		create.SetIDToken(idToken)
	}
	if err := create.Exec(ctx); err != nil {
		return fmt.Errorf("auth: create session for %s: %w", u.Ref, err)
	}
	http.SetCookie(w, s.cookie(s.SessionCookieName(), value, int(s.cfg.SessionAbsolute/time.Second)))
	s.recordQuietly(ctx, Event{Actor: u.Ref, Action: ActionSignIn, Outcome: OutcomeSuccess,
		Detail: map[string]string{"email": u.Email, "method": s.method()}})
	return nil
}

func (s *Service) method() string {
	if s.oidc != nil {
		return "oidc"
	}
	return "guest"
}

// SessionFromRequest returns the session the request's cookie names. A session past its idle
// or absolute expiry is deleted and ErrNoSession returned; a live one has its last-seen time
// refreshed (at most once a minute, to spare writes).
func (s *Service) SessionFromRequest(ctx context.Context, r *http.Request) (*Session, error) {
	c, err := r.Cookie(s.SessionCookieName())
	if err != nil || c.Value == "" {
		return nil, ErrNoSession
	}
	id := hashHex(c.Value)
	row, err := s.db.Client.Session.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("auth: load session: %w", err)
	}
	now := s.now()
	if !now.Before(row.ExpiresAt) || !now.Before(row.LastSeenAt.Add(s.cfg.SessionIdle)) {
		if err := s.db.Client.Session.DeleteOneID(id).Exec(ctx); err != nil && !ent.IsNotFound(err) {
			return nil, fmt.Errorf("auth: delete expired session: %w", err)
		}
		return nil, ErrNoSession
	}
	if now.Sub(row.LastSeenAt) >= seenEvery {
		if err := s.db.Client.Session.UpdateOneID(id).SetLastSeenAt(now).Exec(ctx); err != nil && !ent.IsNotFound(err) {
			return nil, fmt.Errorf("auth: touch session: %w", err)
		}
		row.LastSeenAt = now
	}
	return &Session{
		ID:          row.ID,
		UserRef:     row.UserRef,
		DisplayName: row.DisplayName,
		Email:       row.Email,
		CSRFToken:   row.CsrfToken,
		CreatedAt:   row.CreatedAt,
		LastSeenAt:  row.LastSeenAt,
		ExpiresAt:   row.ExpiresAt,
		idToken:     row.IDToken,
	}, nil
}

// PurgeSessions deletes every session past its idle or absolute expiry. Sign-in calls it; a
// periodic job may too.
func (s *Service) PurgeSessions(ctx context.Context) error {
	now := s.now()
	_, err := s.db.Client.Session.Delete().Where(entsession.Or(
		entsession.ExpiresAtLTE(now),
		entsession.LastSeenAtLTE(now.Add(-s.cfg.SessionIdle)),
	)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: purge expired sessions: %w", err)
	}
	return nil
}

// SignOut ends the request's session (deleting its row) and clears the cookie. It returns where
// to send the browser: the provider's end-session endpoint (with id_token_hint and
// post_logout_redirect_uri) when it advertises one, else SignedOutPath with OIDC, or LoginPath
// in guest mode.
func (s *Service) SignOut(ctx context.Context, w http.ResponseWriter, r *http.Request) (string, error) {
	http.SetCookie(w, s.cookie(s.SessionCookieName(), "", -1))
	next := LoginPath
	if s.oidc != nil {
		next = SignedOutPath
	}
	sess, err := s.SessionFromRequest(ctx, r)
	if errors.Is(err, ErrNoSession) {
		return next, nil
	}
	if err != nil {
		return "", err
	}
	if err := s.db.Client.Session.DeleteOneID(sess.ID).Exec(ctx); err != nil && !ent.IsNotFound(err) {
		return "", fmt.Errorf("auth: delete session: %w", err)
	}
	s.recordQuietly(ctx, Event{Actor: sess.UserRef, Action: ActionSignOut, Outcome: OutcomeSuccess})
	if u := s.endSessionURL(sess.idToken); u != "" {
		return u, nil
	}
	return next, nil
}

// GuestSignIn signs in without an identity provider, as GuestRef when name is empty or as the
// User entity user:default/<name> from the catalog. It is refused (ErrGuestDisabled) when an
// identity provider is configured.
func (s *Service) GuestSignIn(ctx context.Context, w http.ResponseWriter, r *http.Request, name string) error {
	if s.oidc != nil {
		s.recordQuietly(ctx, Event{Actor: "anonymous", Action: ActionSignInRefused, Outcome: OutcomeDenied,
			Detail: map[string]string{"reason": "guest-disabled"}})
		return ErrGuestDisabled
	}
	name = strings.TrimSpace(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(name)), "user:default/"))
	u := User{Ref: GuestRef, DisplayName: "Guest"}
	if name != "" && name != "guest" {
		found, err := s.dir.UserByName(ctx, name)
		if err != nil {
			return fmt.Errorf("auth: guest sign-in as %q: %w", name, err)
		}
		u = found
		u.Ref = strings.ToLower(u.Ref)
	}
	return s.startSession(ctx, w, r, u, "")
}
