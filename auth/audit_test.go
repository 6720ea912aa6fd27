package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/database"
)

func TestAuditList(t *testing.T) {
	for _, b := range database.Backends(t) {
		t.Run(b, func(t *testing.T) {
			db := database.OpenTest(t, b)
			ctx := context.Background()
			c := newClock()
			log := auth.NewAuditLog(db, c.Now)
			start := c.Now()
			// Ten events an hour apart: alternating actors, every third a token creation.
			for i := range 10 {
				actor := "user:default/ada"
				if i%2 == 1 {
					actor = "user:default/jane.doe"
				}
				action := auth.ActionSignIn
				if i%3 == 0 {
					action = auth.ActionTokenCreated
				}
				if err := log.Record(ctx, auth.Event{Actor: actor, Action: action, Target: fmt.Sprintf("t%d", i),
					Detail: map[string]string{"n": fmt.Sprint(i)}}); err != nil {
					t.Fatal(err)
				}
				c.Advance(time.Hour)
			}
			targets := func(p auth.AuditPage) string {
				s := ""
				for _, e := range p.Events {
					s += e.Target + " "
				}
				return s
			}
			tests := []struct {
				name     string
				filter   auth.Filter
				want     string
				wantNext bool
			}{
				{name: "all, newest first", filter: auth.Filter{}, want: "t9 t8 t7 t6 t5 t4 t3 t2 t1 t0 "},
				{name: "actor", filter: auth.Filter{Actor: "user:default/jane.doe"}, want: "t9 t7 t5 t3 t1 "},
				{name: "action", filter: auth.Filter{Action: auth.ActionTokenCreated}, want: "t9 t6 t3 t0 "},
				{name: "actor and action", filter: auth.Filter{Actor: "user:default/ada", Action: auth.ActionTokenCreated}, want: "t6 t0 "},
				{name: "since", filter: auth.Filter{Since: start.Add(7 * time.Hour)}, want: "t9 t8 t7 "},
				{name: "until is exclusive", filter: auth.Filter{Until: start.Add(2 * time.Hour)}, want: "t1 t0 "},
				{name: "window", filter: auth.Filter{Since: start.Add(3 * time.Hour), Until: start.Add(5 * time.Hour)}, want: "t4 t3 "},
				{name: "limit", filter: auth.Filter{Limit: 3}, want: "t9 t8 t7 ", wantNext: true},
				{name: "nothing", filter: auth.Filter{Actor: "user:default/nobody"}, want: ""},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					page, err := log.List(ctx, tc.filter)
					if err != nil {
						t.Fatal(err)
					}
					if got := targets(page); got != tc.want || (page.Next != 0) != tc.wantNext {
						t.Errorf("events %q next %d, want %q next %v", got, page.Next, tc.want, tc.wantNext)
					}
				})
			}

			// Walking the cursor visits every event once.
			var walked string
			f := auth.Filter{Limit: 4}
			for pages := 0; ; pages++ {
				if pages > 5 {
					t.Fatal("cursor does not end")
				}
				page, err := log.List(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				walked += targets(page)
				if page.Next == 0 {
					break
				}
				f.Before = page.Next
			}
			if walked != "t9 t8 t7 t6 t5 t4 t3 t2 t1 t0 " {
				t.Errorf("cursor walk = %q", walked)
			}

			page, err := log.List(ctx, auth.Filter{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			ev := page.Events[0]
			if ev.Outcome != auth.OutcomeSuccess || ev.Detail["n"] != "9" || !ev.At.Equal(start.Add(9*time.Hour)) {
				t.Errorf("event = %+v", ev)
			}
			raw, err := json.Marshal(page)
			if err != nil {
				t.Fatal(err)
			}
			var back struct {
				Events []map[string]any `json:"events"`
				Next   int              `json:"next"`
			}
			if err := json.Unmarshal(raw, &back); err != nil || back.Events[0]["actor"] != "user:default/jane.doe" ||
				back.Events[0]["action"] != auth.ActionTokenCreated || back.Next != page.Next {
				t.Errorf("JSON = %s (%v)", raw, err)
			}
		})
	}
}

func TestAuditRecordNeedsActorAndAction(t *testing.T) {
	log := auth.NewAuditLog(database.OpenTest(t, "sqlite"), nil)
	if err := log.Record(context.Background(), auth.Event{Action: "x"}); err == nil {
		t.Error("recorded an event without an actor")
	}
	if err := log.Record(context.Background(), auth.Event{Actor: "x"}); err == nil {
		t.Error("recorded an event without an action")
	}
}

func TestParseFilter(t *testing.T) {
	tests := []struct {
		query   string
		want    auth.Filter
		wantErr string // field
	}{
		{query: "", want: auth.Filter{}},
		{query: "actor=+user:default/ada+&action=sign-in&limit=20&before=99",
			want: auth.Filter{Actor: "user:default/ada", Action: "sign-in", Limit: 20, Before: 99}},
		{query: "since=2026-01-02&until=2026-01-03",
			want: auth.Filter{Since: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC)}},
		{query: "since=2026-01-02T10:00:00%2B02:00",
			want: auth.Filter{Since: time.Date(2026, 1, 2, 8, 0, 0, 0, time.UTC)}},
		{query: "since=yesterday", wantErr: "since"},
		{query: "until=2026-13-01", wantErr: "until"},
		{query: "limit=-1", wantErr: "limit"},
		{query: "before=abc", wantErr: "before"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := auth.ParseFilter(q)
			if tc.wantErr != "" {
				var ve *auth.ValidationError
				if !errors.As(err, &ve) || ve.Field != tc.wantErr {
					t.Fatalf("error = %v, want a ValidationError on %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Actor != tc.want.Actor || got.Action != tc.want.Action || !got.Since.Equal(tc.want.Since) ||
				!got.Until.Equal(tc.want.Until) || got.Limit != tc.want.Limit || got.Before != tc.want.Before {
				t.Errorf("ParseFilter = %+v, want %+v", got, tc.want)
			}
		})
	}
}
