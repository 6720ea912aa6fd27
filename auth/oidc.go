package auth

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// flowTTL is how long a started sign-in may take before its flow cookie is refused.
const flowTTL = 10 * time.Minute

// discoveryRetry is how long a failed provider discovery is remembered before trying again.
const discoveryRetry = 5 * time.Second

// ErrLoginFailed is matched (errors.Is) by every *FlowError: the sign-in did not complete and the
// person should try again.
var ErrLoginFailed = errors.New("auth: sign-in failed")

// ErrProviderUnavailable means the identity provider could not be reached for discovery.
var ErrProviderUnavailable = errors.New("auth: identity provider unavailable")

// ErrGuestDisabled means guest sign-in was attempted while an identity provider is configured.
var ErrGuestDisabled = errors.New("auth: guest sign-in is off when an identity provider is configured")

// ErrOIDCDisabled means an OIDC flow was started while no identity provider is configured.
var ErrOIDCDisabled = errors.New("auth: no identity provider is configured")

// Flow steps a FlowError names.
const (
	StepProvider = "provider" // the provider answered the callback with an error
	StepState    = "state"    // missing, expired or mismatched flow cookie or state
	StepExchange = "exchange" // the code could not be exchanged (replayed, wrong verifier, ...)
	StepIDToken  = "id-token" // the ID token is missing or failed verification
	StepNonce    = "nonce"    // the ID token's nonce is not the one this browser sent
	StepClaims   = "claims"   // the ID token's claims could not be read
)

// FlowError is a sign-in that failed in the protocol (as opposed to a person being refused).
type FlowError struct {
	Step string
	Err  error
}

// Error describes the failed step.
func (e *FlowError) Error() string {
	return fmt.Sprintf("auth: sign-in failed at %s: %v", e.Step, e.Err)
}

// Unwrap returns the cause.
func (e *FlowError) Unwrap() error { return e.Err }

// Is makes every FlowError match ErrLoginFailed.
func (e *FlowError) Is(target error) bool { return target == ErrLoginFailed }

// oidcClient holds the lazily discovered provider.
type oidcClient struct {
	cfg  Config
	http *http.Client

	mu         sync.Mutex
	provider   *oidc.Provider
	endSession string
	lastErr    error
	lastTry    time.Time
}

func newOIDCClient(cfg Config) *oidcClient {
	return &oidcClient{cfg: cfg, http: &http.Client{Timeout: 15 * time.Second}}
}

// discover returns the provider, discovering it on first use and retrying a failed discovery
// no more often than every discoveryRetry.
func (c *oidcClient) discover(ctx context.Context) (*oidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, nil
	}
	now := c.cfg.Clock()
	if c.lastErr != nil && now.Sub(c.lastTry) < discoveryRetry {
		return nil, c.lastErr
	}
	c.lastTry = now
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, c.http), c.cfg.Issuer)
	if err != nil {
		c.lastErr = fmt.Errorf("%w: discover %s: %v", ErrProviderUnavailable, c.cfg.Issuer, err)
		return nil, c.lastErr
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&meta); err != nil {
		c.lastErr = fmt.Errorf("%w: read discovery of %s: %v", ErrProviderUnavailable, c.cfg.Issuer, err)
		return nil, c.lastErr
	}
	c.provider, c.endSession, c.lastErr = p, meta.EndSession, nil
	return p, nil
}

// endSessionEndpoint is the provider's end_session_endpoint, empty when it has none or was never
// discovered.
func (c *oidcClient) endSessionEndpoint() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.endSession
}

func (c *oidcClient) oauth2Config(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     c.cfg.ClientID,
		ClientSecret: c.cfg.ClientSecret,
		Endpoint:     p.Endpoint(),
		RedirectURL:  c.cfg.BaseURL + CallbackPath,
		Scopes:       c.cfg.Scopes,
	}
}

// flowState is what the browser carries between BeginLogin and FinishLogin.
type flowState struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	ReturnTo string `json:"r"`
	Expires  int64  `json:"e"`
}

func (s *Service) flowCookieName() string { return s.cookieName("keelson_oidc_flow") }

// BeginLogin starts the authorization code flow: it sets the short-lived flow cookie (state,
// nonce, PKCE verifier and where to go afterwards) on w and returns the provider URL to redirect
// the browser to. returnTo is sanitised: anything but a same-site path becomes "/".
func (s *Service) BeginLogin(ctx context.Context, w http.ResponseWriter, returnTo string) (string, error) {
	if s.oidc == nil {
		return "", ErrOIDCDisabled
	}
	p, err := s.oidc.discover(ctx)
	if err != nil {
		return "", err
	}
	st := flowState{
		State:    randomToken(32),
		Nonce:    randomToken(32),
		Verifier: oauth2.GenerateVerifier(),
		ReturnTo: SafeReturnTo(returnTo),
		Expires:  s.now().Add(flowTTL).Unix(),
	}
	raw, err := json.Marshal(st)
	if err != nil {
		return "", fmt.Errorf("auth: encode flow state: %w", err)
	}
	http.SetCookie(w, s.cookie(s.flowCookieName(), base64.RawURLEncoding.EncodeToString(raw), int(flowTTL/time.Second)))
	return s.oidc.oauth2Config(p).AuthCodeURL(st.State,
		oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier)), nil
}

// LoginURL is the sign-in address that returns to returnTo afterwards; pages that need a
// session redirect there.
func LoginURL(returnTo string) string {
	returnTo = SafeReturnTo(returnTo)
	if returnTo == "/" {
		return LoginPath
	}
	return LoginPath + "?return_to=" + url.QueryEscape(returnTo)
}

// readFlow reads and checks the flow cookie; it always clears it so a flow is used at most once.
func (s *Service) readFlow(w http.ResponseWriter, r *http.Request) (flowState, error) {
	http.SetCookie(w, s.cookie(s.flowCookieName(), "", -1))
	c, err := r.Cookie(s.flowCookieName())
	if err != nil {
		return flowState{}, &FlowError{Step: StepState, Err: errors.New("no sign-in in progress in this browser")}
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return flowState{}, &FlowError{Step: StepState, Err: fmt.Errorf("malformed flow cookie: %w", err)}
	}
	var st flowState
	if err := json.Unmarshal(raw, &st); err != nil || st.State == "" || st.Nonce == "" || st.Verifier == "" {
		return flowState{}, &FlowError{Step: StepState, Err: errors.New("malformed flow cookie")}
	}
	if s.now().Unix() > st.Expires {
		return flowState{}, &FlowError{Step: StepState, Err: errors.New("the sign-in took too long")}
	}
	got := r.URL.Query().Get("state")
	if subtle.ConstantTimeCompare([]byte(got), []byte(st.State)) != 1 {
		return flowState{}, &FlowError{Step: StepState, Err: errors.New("state does not match")}
	}
	return st, nil
}

// claims are the ID token claims sign-in reads.
type claims struct {
	Subject           string `json:"sub"`
	Email             string `json:"email"`
	EmailVerified     *bool  `json:"email_verified"`
	Name              string `json:"name"`
	PreferredUsername string `json:"preferred_username"`
}

// FinishLogin completes the flow on the callback request: it checks state against the flow
// cookie, exchanges the code with the PKCE verifier, verifies the ID token (signature, issuer,
// audience, expiry, nonce), resolves the person to a User entity, and starts a new session
// (setting its cookie on w; a session presented with the request is ended). It returns where to
// send the browser. A protocol failure is a *FlowError; a person who may not sign in gets a
// *SignInRefusedError. Both are recorded in the audit log.
func (s *Service) FinishLogin(ctx context.Context, w http.ResponseWriter, r *http.Request) (string, error) {
	if s.oidc == nil {
		return "", ErrOIDCDisabled
	}
	st, err := s.readFlow(w, r)
	if err != nil {
		return "", s.loginFailed(ctx, err)
	}
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		return "", s.loginFailed(ctx, &FlowError{Step: StepProvider, Err: fmt.Errorf("%s: %s", e, q.Get("error_description"))})
	}
	p, err := s.oidc.discover(ctx)
	if err != nil {
		return "", err
	}
	hctx := oidc.ClientContext(context.WithValue(ctx, oauth2.HTTPClient, s.oidc.http), s.oidc.http)
	tok, err := s.oidc.oauth2Config(p).Exchange(hctx, q.Get("code"), oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return "", s.loginFailed(ctx, &FlowError{Step: StepExchange, Err: err})
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		return "", s.loginFailed(ctx, &FlowError{Step: StepIDToken, Err: errors.New("the token response has no id_token")})
	}
	// Verifier shares the provider's cached key set, fetched with the discovery HTTP client.
	idt, err := p.Verifier(&oidc.Config{ClientID: s.cfg.ClientID, Now: s.cfg.Clock}).Verify(hctx, rawID)
	if err != nil {
		return "", s.loginFailed(ctx, &FlowError{Step: StepIDToken, Err: err})
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(st.Nonce)) != 1 {
		return "", s.loginFailed(ctx, &FlowError{Step: StepNonce, Err: errors.New("nonce does not match")})
	}
	var cl claims
	if err := idt.Claims(&cl); err != nil {
		return "", s.loginFailed(ctx, &FlowError{Step: StepClaims, Err: err})
	}
	user, err := s.resolve(ctx, cl)
	if err != nil {
		return "", err
	}
	if err := s.startSession(ctx, w, r, user, rawID); err != nil {
		return "", err
	}
	return SafeReturnTo(st.ReturnTo), nil
}

// loginFailed records a failed sign-in and returns err.
func (s *Service) loginFailed(ctx context.Context, err error) error {
	var fe *FlowError
	step := ""
	if errors.As(err, &fe) {
		step = fe.Step
	}
	s.recordQuietly(ctx, Event{Actor: "anonymous", Action: ActionSignInFailed, Outcome: OutcomeFailure,
		Detail: map[string]string{"step": step, "error": truncate(err.Error(), 300)}})
	return err
}

// endSessionURL builds the provider's end-session URL, or "" when it offers none.
func (s *Service) endSessionURL(idToken string) string {
	if s.oidc == nil {
		return ""
	}
	ep := s.oidc.endSessionEndpoint()
	if ep == "" {
		return ""
	}
	u, err := url.Parse(ep)
	if err != nil {
		return ""
	}
	q := u.Query()
	if idToken != "" {
		q.Set("id_token_hint", idToken)
	}
	q.Set("client_id", s.cfg.ClientID)
	q.Set("post_logout_redirect_uri", s.cfg.BaseURL+SignedOutPath)
	u.RawQuery = q.Encode()
	return u.String()
}

// providerOrigins lists the origins sign-in and sign-out forms may end up at, for the CSP
// form-action directive.
func (s *Service) providerOrigins() []string {
	if s.oidc == nil {
		return nil
	}
	var out []string
	for _, raw := range []string{s.cfg.Issuer, s.oidc.endSessionEndpoint()} {
		if u, err := url.Parse(raw); err == nil && u.Scheme != "" && u.Host != "" {
			o := u.Scheme + "://" + u.Host
			if !slices.Contains(out, o) {
				out = append(out, o)
			}
		}
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
