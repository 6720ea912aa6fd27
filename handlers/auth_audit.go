package handlers

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/views"
)

// Audit actions the HTTP layer records for catalog changes that package auth has no name for.
const (
	actionEntityRefreshed = "entity-refreshed"
	actionEntityRemoved   = "entity-removed"
)

// auditActions are the actions the audit log page offers as a filter.
func auditActions() []string {
	return []string{
		auth.ActionSignIn, auth.ActionSignInRefused, auth.ActionSignInFailed, auth.ActionSignOut,
		auth.ActionTokenCreated, auth.ActionTokenRevoked, auth.ActionLocationAdded, auth.ActionLocationRemoved,
		actionEntityRefreshed, actionEntityRemoved, auth.ActionPermissionDenied,
	}
}

// auditShow answers GET /admin/audit: the audit log, filtered, newest first.
func (s *Server) auditShow(c echo.Context) error {
	id, ok, err := requireUser(c)
	if !ok {
		return err
	}
	ctx := c.Request().Context()
	if err := s.auth.Authorize(ctx, id, auth.PermAuditRead, auth.Resource{Ref: "audit"}); err != nil {
		return err
	}
	q := c.QueryParams()
	m := views.AuditLogPage{
		Page:     s.page(c, "Audit log", navAudit),
		Actions:  auditActions(),
		Filters:  views.AuditFilters{Actor: q.Get("actor"), Action: q.Get("action"), Since: q.Get("since"), Until: q.Get("until")},
		JSONHref: "/api/audit?" + q.Encode(),
	}
	if m.Filters.Action != "" && !slices.Contains(m.Actions, m.Filters.Action) {
		m.Actions = append(m.Actions, m.Filters.Action)
	}
	f, err := auth.ParseFilter(q)
	var invalid *auth.ValidationError
	if errors.As(err, &invalid) {
		m.FilterError = "“" + invalid.Field + "” " + invalid.Message + "."
		return s.render(c, http.StatusUnprocessableEntity, views.AuditLogView(m))
	}
	if err != nil {
		return err
	}
	page, err := s.auth.Audit().List(ctx, f)
	if err != nil {
		return err
	}
	for _, e := range page.Events {
		row := views.AuditRow{At: e.At, Actor: e.Actor, Action: e.Action, Target: e.Target, Outcome: e.Outcome,
			IP: e.IP, RequestID: e.RequestID}
		for _, k := range slices.Sorted(maps.Keys(e.Detail)) {
			row.Detail = append(row.Detail, views.KeyValue{Key: k, Value: e.Detail[k]})
		}
		m.Events = append(m.Events, row)
	}
	if page.Next > 0 {
		m.NextHref = views.AdminAuditURL + "?" + withBefore(q, page.Next)
	}
	return s.render(c, http.StatusOK, views.AuditLogView(m))
}

// apiAudit answers GET /api/audit with one page of events as JSON ({events, next}); the next
// page is ?before=<next>.
func (s *Server) apiAudit(c echo.Context) error {
	ctx := c.Request().Context()
	if err := s.auth.Authorize(ctx, callerOf(c).Identity, auth.PermAuditRead, auth.Resource{Ref: "audit"}); err != nil {
		return err
	}
	f, err := auth.ParseFilter(c.QueryParams())
	if err != nil {
		return err
	}
	page, err := s.auth.Audit().List(ctx, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// withBefore is q with the cursor set to before.
func withBefore(q url.Values, before int) string {
	next := url.Values{}
	for k, v := range q {
		next[k] = slices.Clone(v)
	}
	next.Set("before", strconv.Itoa(before))
	return next.Encode()
}
