package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keelson-dev/keelson/database"
	"github.com/keelson-dev/keelson/ent"
	"github.com/keelson-dev/keelson/ent/auditevent"
)

// Audit actions recorded by auth itself, and the ones the HTTP layer records for catalog changes.
const (
	ActionSignIn           = "sign-in"
	ActionSignInRefused    = "sign-in-refused"
	ActionSignInFailed     = "sign-in-failed"
	ActionSignOut          = "sign-out"
	ActionTokenCreated     = "token-created"
	ActionTokenRevoked     = "token-revoked"
	ActionLocationAdded    = "location-registered"
	ActionLocationRemoved  = "location-removed"
	ActionPermissionDenied = "permission-denied"
)

// Audit outcomes.
const (
	OutcomeSuccess = "success"
	OutcomeDenied  = "denied"
	OutcomeFailure = "failure"
)

// Event is one audit log entry.
type Event struct {
	ID        int               `json:"id"`
	At        time.Time         `json:"at"`
	Actor     string            `json:"actor"`
	Action    string            `json:"action"`
	Target    string            `json:"target,omitempty"`
	Outcome   string            `json:"outcome"`
	RequestID string            `json:"requestId,omitempty"`
	IP        string            `json:"ip,omitempty"`
	Detail    map[string]string `json:"detail,omitempty"`
}

// RequestMeta is what the audit log records about the request an event happened in.
type RequestMeta struct {
	RequestID string
	IP        string
}

type requestMetaKey struct{}

// WithRequestMeta returns ctx carrying m, so that events recorded under ctx name the request.
func WithRequestMeta(ctx context.Context, m RequestMeta) context.Context {
	return context.WithValue(ctx, requestMetaKey{}, m)
}

// RequestMetaFrom returns the RequestMeta in ctx, zero when none.
func RequestMetaFrom(ctx context.Context) RequestMeta {
	m, _ := ctx.Value(requestMetaKey{}).(RequestMeta)
	return m
}

// AuditLog stores and lists audit events.
type AuditLog struct {
	db    *database.DB
	clock func() time.Time
}

// NewAuditLog returns the audit log stored in db, stamping events with clock.
func NewAuditLog(db *database.DB, clock func() time.Time) *AuditLog {
	if clock == nil {
		clock = time.Now
	}
	return &AuditLog{db: db, clock: clock}
}

// Record stores e. At defaults to now, Outcome to success, RequestID and IP to the ones in ctx.
func (a *AuditLog) Record(ctx context.Context, e Event) error {
	if e.Actor == "" || e.Action == "" {
		return errors.New("auth: audit event needs an actor and an action")
	}
	if e.At.IsZero() {
		e.At = a.clock()
	}
	if e.Outcome == "" {
		e.Outcome = OutcomeSuccess
	}
	m := RequestMetaFrom(ctx)
	if e.RequestID == "" {
		e.RequestID = m.RequestID
	}
	if e.IP == "" {
		e.IP = m.IP
	}
	create := a.db.Client.AuditEvent.Create().
		SetAt(e.At).
		SetActor(e.Actor).
		SetAction(e.Action).
		SetTarget(e.Target).
		SetOutcome(e.Outcome).
		SetRequestID(e.RequestID).
		SetIP(e.IP)
	if len(e.Detail) > 0 {
		create.SetDetail(e.Detail)
	}
	if err := create.Exec(ctx); err != nil {
		return fmt.Errorf("auth: record %s by %s: %w", e.Action, e.Actor, err)
	}
	return nil
}

// Filter selects audit events. Zero fields do not filter.
type Filter struct {
	Actor  string    `json:"actor,omitempty"`
	Action string    `json:"action,omitempty"`
	Since  time.Time `json:"since,omitzero"`
	Until  time.Time `json:"until,omitzero"`
	// Limit caps the page size: default DefaultAuditLimit, at most MaxAuditLimit.
	Limit int `json:"limit,omitempty"`
	// Before is the cursor: only events with a smaller ID (older) are listed.
	Before int `json:"before,omitempty"`
}

// Page sizes of the audit log.
const (
	DefaultAuditLimit = 50
	MaxAuditLimit     = 500
)

// AuditPage is one page of events, newest first; Next is the Before cursor of the next (older)
// page, 0 when there is none.
type AuditPage struct {
	Events []Event `json:"events"`
	Next   int     `json:"next,omitempty"`
}

// List returns the events matching f, newest first.
func (a *AuditLog) List(ctx context.Context, f Filter) (AuditPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultAuditLimit
	}
	limit = min(limit, MaxAuditLimit)
	q := a.db.Client.AuditEvent.Query()
	if f.Actor != "" {
		q.Where(auditevent.Actor(f.Actor))
	}
	if f.Action != "" {
		q.Where(auditevent.Action(f.Action))
	}
	if !f.Since.IsZero() {
		q.Where(auditevent.AtGTE(f.Since))
	}
	if !f.Until.IsZero() {
		q.Where(auditevent.AtLT(f.Until))
	}
	if f.Before > 0 {
		q.Where(auditevent.IDLT(f.Before))
	}
	rows, err := q.Order(ent.Desc(auditevent.FieldID)).Limit(limit + 1).All(ctx)
	if err != nil {
		return AuditPage{}, fmt.Errorf("auth: list audit events: %w", err)
	}
	page := AuditPage{Events: make([]Event, 0, min(len(rows), limit))}
	for i, r := range rows {
		if i == limit {
			page.Next = rows[i-1].ID
			break
		}
		page.Events = append(page.Events, Event{
			ID: r.ID, At: r.At, Actor: r.Actor, Action: r.Action, Target: r.Target,
			Outcome: r.Outcome, RequestID: r.RequestID, IP: r.IP, Detail: r.Detail,
		})
	}
	return page, nil
}

// ParseFilter reads a Filter from URL query parameters: actor, action, since and until
// (RFC 3339 or YYYY-MM-DD; until is exclusive, a bare date meaning the end of that day), limit
// and before.
func ParseFilter(q url.Values) (Filter, error) {
	f := Filter{
		Actor:  strings.TrimSpace(q.Get("actor")),
		Action: strings.TrimSpace(q.Get("action")),
	}
	var err error
	if f.Since, err = parseFilterTime(q.Get("since"), false); err != nil {
		return Filter{}, &ValidationError{Field: "since", Message: err.Error()}
	}
	if f.Until, err = parseFilterTime(q.Get("until"), true); err != nil {
		return Filter{}, &ValidationError{Field: "until", Message: err.Error()}
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"limit", &f.Limit}, {"before", &f.Before}} {
		v := strings.TrimSpace(q.Get(p.name))
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return Filter{}, &ValidationError{Field: p.name, Message: "must be a whole number, 0 or more"}
		}
		*p.dst = n
	}
	if len(f.Actor) > 300 || len(f.Action) > 100 {
		return Filter{}, &ValidationError{Field: "actor", Message: "is too long"}
	}
	return f, nil
}

func parseFilterTime(v string, endOfDay bool) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, errors.New("must be a date (2006-01-02) or an RFC 3339 time")
	}
	if endOfDay {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

// Record stores an audit event (see AuditLog.Record); the HTTP layer uses it for the catalog
// changes it makes (location registered or removed).
func (s *Service) Record(ctx context.Context, e Event) error { return s.audit.Record(ctx, e) }

// recordQuietly records e; a failure is logged, not returned, so that the audit log being
// unavailable never turns a refusal into an acceptance or a success into an error page.
func (s *Service) recordQuietly(ctx context.Context, e Event) {
	if err := s.audit.Record(context.WithoutCancel(ctx), e); err != nil {
		s.log.ErrorContext(ctx, "audit event lost", slog.String("action", e.Action),
			slog.String("actor", e.Actor), slog.Any("error", err))
	}
}

// ValidationError is input the caller must correct; the HTTP layer answers 422 with Message.
type ValidationError struct {
	Field   string
	Message string
}

// Error names the field and what is wrong with it.
func (e *ValidationError) Error() string { return fmt.Sprintf("auth: %s %s", e.Field, e.Message) }
