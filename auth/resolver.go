package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Reasons a person is refused at sign-in.
const (
	ReasonNoEmail          = "no-email"
	ReasonEmailUnverified  = "email-unverified"
	ReasonDomainNotAllowed = "domain-not-allowed"
	ReasonUnknownUser      = "unknown-user"
)

// SignInRefusedError means the provider vouched for a person whom Keelson does not let in; the
// HTTP layer answers 403 with a page saying why (Message) and whom to ask (Contacts).
type SignInRefusedError struct {
	// Reason is one of the Reason* constants.
	Reason string
	// Email is the address the provider gave, empty when it gave none.
	Email string
	// Message explains the refusal in a sentence fit for the person refused.
	Message string
	// Contacts are the refs of the groups whose members can help (the admin groups).
	Contacts []string
}

// Error describes the refusal.
func (e *SignInRefusedError) Error() string {
	return fmt.Sprintf("auth: sign-in refused (%s) for %q: %s", e.Reason, e.Email, e.Message)
}

// resolve maps verified ID token claims to the User who signs in, or refuses them.
func (s *Service) resolve(ctx context.Context, cl claims) (User, error) {
	email := strings.TrimSpace(cl.Email)
	refuse := func(reason, msg string) error {
		err := &SignInRefusedError{Reason: reason, Email: email, Message: msg, Contacts: s.cfg.AdminGroups}
		actor := email
		if actor == "" {
			actor = "subject:" + cl.Subject
		}
		s.recordQuietly(ctx, Event{Actor: actor, Action: ActionSignInRefused, Outcome: OutcomeDenied,
			Detail: map[string]string{"reason": reason}})
		return err
	}
	at := strings.LastIndexByte(email, '@')
	if email == "" || at <= 0 || at == len(email)-1 {
		return User{}, refuse(ReasonNoEmail, "Your identity provider did not share a usable email address with Keelson, so it cannot tell who you are.")
	}
	if cl.EmailVerified != nil && !*cl.EmailVerified {
		return User{}, refuse(ReasonEmailUnverified, "Your identity provider says your email address "+email+" is not verified.")
	}
	local, domain := email[:at], strings.ToLower(email[at+1:])
	if len(s.cfg.AllowedDomains) > 0 && !containsFold(s.cfg.AllowedDomains, domain) {
		return User{}, refuse(ReasonDomainNotAllowed, "Accounts from "+domain+" may not sign in to Keelson.")
	}
	var (
		u   User
		err error
	)
	switch s.cfg.SignInResolver {
	case ResolverEmailLocalPart:
		u, err = s.dir.UserByName(ctx, local)
	default:
		u, err = s.dir.UserByEmail(ctx, email)
	}
	switch {
	case err == nil:
		if u.Email == "" {
			u.Email = email
		}
		if u.DisplayName == "" {
			u.DisplayName = firstNonEmpty(cl.Name, cl.PreferredUsername, email)
		}
		u.Ref = strings.ToLower(u.Ref)
		return u, nil
	case errors.Is(err, ErrUnknownUser) && s.cfg.AllowUnknownUsers:
		return User{
			Ref:         "user:default/" + strings.ToLower(local),
			DisplayName: firstNonEmpty(cl.Name, cl.PreferredUsername, email),
			Email:       email,
		}, nil
	case errors.Is(err, ErrUnknownUser):
		return User{}, refuse(ReasonUnknownUser, "There is no User entity for "+email+" in the catalog, and Keelson only lets people in the catalog sign in.")
	default:
		return User{}, fmt.Errorf("auth: resolve %s: %w", email, err)
	}
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
