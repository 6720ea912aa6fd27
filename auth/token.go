package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/keelson-dev/keelson/ent"
	"github.com/keelson-dev/keelson/ent/apitoken"
)

// TokenPrefix starts every API token, so that leaked tokens are easy to recognise and scan for.
const TokenPrefix = "kst_"

// ErrUnauthenticated means the request presented no valid credentials (or a revoked token).
var ErrUnauthenticated = errors.New("auth: unauthenticated")

// ErrTokenNotFound means no token has the given id.
var ErrTokenNotFound = errors.New("auth: token not found")

// Scope is what a token may do.
type Scope string

// Token scopes.
const (
	ScopeRead  Scope = "read"
	ScopeWrite Scope = "write"
)

// usedEvery is how stale last_used_at may get before an authentication refreshes it.
const usedEvery = time.Minute

// Token is an API token as listed; its secret is never kept.
type Token struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Scope      Scope      `json:"scope"`
	CreatedBy  string     `json:"createdBy"`
	CreatedAt  time.Time  `json:"createdAt"`
	LastUsedAt *time.Time `json:"lastUsedAt,omitempty"`
	RevokedAt  *time.Time `json:"revokedAt,omitempty"`
}

// NewToken is a token just created: the only time its plaintext exists.
type NewToken struct {
	Token
	Plaintext string `json:"token"`
}

func tokenFromRow(r *ent.APIToken) Token {
	return Token{
		ID: r.ID, Name: r.Name, Scope: Scope(r.Scope), CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt, RevokedAt: r.RevokedAt,
	}
}

// CreateToken creates a token named name with scope for actor, who must be allowed
// PermTokenManage. The plaintext is returned once and stored only as a SHA-256 hash.
func (s *Service) CreateToken(ctx context.Context, actor Identity, name string, scope Scope) (NewToken, error) {
	if err := s.Authorize(ctx, actor, PermTokenManage, Resource{Ref: "tokens"}); err != nil {
		return NewToken{}, err
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return NewToken{}, &ValidationError{Field: "name", Message: "is required"}
	case utf8.RuneCountInString(name) > 100 || !utf8.ValidString(name):
		return NewToken{}, &ValidationError{Field: "name", Message: "must be at most 100 characters"}
	case scope != ScopeRead && scope != ScopeWrite:
		return NewToken{}, &ValidationError{Field: "scope", Message: "must be read or write"}
	}
	plain := TokenPrefix + randomToken(32)
	row, err := s.db.Client.APIToken.Create().
		SetID(uuid.NewString()).
		SetName(name).
		SetHash(hashHex(plain)).
		SetScope(apitoken.Scope(scope)).
		SetCreatedBy(actor.Ref).
		SetCreatedAt(s.now()).
		Save(ctx)
	if err != nil {
		return NewToken{}, fmt.Errorf("auth: create token %q: %w", name, err)
	}
	t := tokenFromRow(row)
	s.recordQuietly(ctx, Event{Actor: actor.Ref, Action: ActionTokenCreated, Target: "token:" + t.ID,
		Detail: map[string]string{"name": name, "scope": string(scope)}})
	return NewToken{Token: t, Plaintext: plain}, nil
}

// ListTokens lists every token, revoked ones included, newest first; actor must be allowed
// PermTokenManage.
func (s *Service) ListTokens(ctx context.Context, actor Identity) ([]Token, error) {
	if err := s.Authorize(ctx, actor, PermTokenManage, Resource{Ref: "tokens"}); err != nil {
		return nil, err
	}
	rows, err := s.db.Client.APIToken.Query().
		Order(ent.Desc(apitoken.FieldCreatedAt), ent.Asc(apitoken.FieldID)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: list tokens: %w", err)
	}
	out := make([]Token, len(rows))
	for i, r := range rows {
		out[i] = tokenFromRow(r)
	}
	return out, nil
}

// RevokeToken revokes the token id at once; actor must be allowed PermTokenManage. Revoking a
// revoked token is not an error.
func (s *Service) RevokeToken(ctx context.Context, actor Identity, id string) error {
	if err := s.Authorize(ctx, actor, PermTokenManage, Resource{Ref: "token:" + id}); err != nil {
		return err
	}
	row, err := s.db.Client.APIToken.Get(ctx, id)
	if ent.IsNotFound(err) {
		return ErrTokenNotFound
	}
	if err != nil {
		return fmt.Errorf("auth: load token %s: %w", id, err)
	}
	if row.RevokedAt != nil {
		return nil
	}
	if err := s.db.Client.APIToken.UpdateOneID(id).SetRevokedAt(s.now()).Exec(ctx); err != nil {
		return fmt.Errorf("auth: revoke token %s: %w", id, err)
	}
	s.recordQuietly(ctx, Event{Actor: actor.Ref, Action: ActionTokenRevoked, Target: "token:" + id,
		Detail: map[string]string{"name": row.Name}})
	return nil
}

// AuthenticateToken returns the identity of the (unrevoked) token whose plaintext is given, or
// ErrUnauthenticated. Its last-used time is refreshed at most once a minute.
func (s *Service) AuthenticateToken(ctx context.Context, plaintext string) (Identity, error) {
	if !strings.HasPrefix(plaintext, TokenPrefix) {
		return Identity{}, ErrUnauthenticated
	}
	row, err := s.db.Client.APIToken.Query().
		Where(apitoken.Hash(hashHex(plaintext)), apitoken.RevokedAtIsNil()).
		Only(ctx)
	if ent.IsNotFound(err) {
		return Identity{}, ErrUnauthenticated
	}
	if err != nil {
		return Identity{}, fmt.Errorf("auth: look up token: %w", err)
	}
	now := s.now()
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) >= usedEvery {
		// The condition makes concurrent replicas write at most once per minute between them.
		_, err := s.db.Client.APIToken.Update().
			Where(apitoken.ID(row.ID), apitoken.Or(apitoken.LastUsedAtIsNil(), apitoken.LastUsedAtLT(now.Add(-usedEvery)))).
			SetLastUsedAt(now).
			Save(ctx)
		if err != nil {
			return Identity{}, fmt.Errorf("auth: touch token %s: %w", row.ID, err)
		}
	}
	ref := "token:" + row.ID
	return Identity{
		Kind:          KindToken,
		Ref:           ref,
		DisplayName:   row.Name,
		OwnershipRefs: []string{ref},
		Teams:         []string{},
		Groups:        []string{},
		Role:          RoleMember,
		Scope:         Scope(row.Scope),
	}, nil
}

// ParseBearer extracts the token from an Authorization header value "Bearer <token>" (scheme
// case-insensitive). It reports false for any other scheme or a malformed token.
func ParseBearer(header string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimLeft(tok, " ")
	if tok == "" || len(tok) > 512 {
		return "", false
	}
	// RFC 6750 b64token: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/", then "=" padding.
	body := strings.TrimRight(tok, "=")
	if body == "" {
		return "", false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~+/", c) >= 0) {
			return "", false
		}
	}
	return tok, true
}
