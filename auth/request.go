package auth

import (
	"context"
	"errors"
	"net/http"
)

// Caller is who made a request: their identity and, for browsers, their session.
type Caller struct {
	Identity Identity
	// Session is the browser session; nil for tokens and anonymous callers.
	Session *Session
}

// Authenticate identifies the caller of r: a bearer token in the Authorization header when there
// is one (a header that is present but invalid is ErrUnauthenticated, never a fallback to the
// cookie), else the session cookie. Without either it returns ErrUnauthenticated; the HTTP layer
// then redirects to LoginPath, answers 401, or (in guest mode, for reading) uses Anonymous().
func (s *Service) Authenticate(ctx context.Context, r *http.Request) (Caller, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := ParseBearer(h)
		if !ok {
			return Caller{}, ErrUnauthenticated
		}
		id, err := s.AuthenticateToken(ctx, tok)
		if err != nil {
			return Caller{}, err
		}
		return Caller{Identity: id}, nil
	}
	sess, err := s.SessionFromRequest(ctx, r)
	if errors.Is(err, ErrNoSession) {
		return Caller{}, ErrUnauthenticated
	}
	if err != nil {
		return Caller{}, err
	}
	id, err := s.IdentityOf(ctx, sess)
	if err != nil {
		return Caller{}, err
	}
	return Caller{Identity: id, Session: sess}, nil
}

type callerKey struct{}

// WithCaller returns ctx carrying c, for handlers down the chain.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the Caller in ctx; ok is false when there is none.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}
