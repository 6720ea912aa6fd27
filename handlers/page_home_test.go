package handlers

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/keelson-dev/keelson/database"
)

func TestHomePage(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			ts, file := newBrokenServer(t, backend)
			all := allEntitiesOf(t, ts.catalog)
			kinds := map[string]int{}
			for _, e := range all {
				kinds[e.Kind]++
			}
			owned := 0
			for _, n := range ownedByAny(all, "group:default/conversion") {
				owned += n
			}
			tests := []struct {
				name       string
				user       string
				wantTeams  []string
				wantOwned  int
				wantErrors int
			}{
				{name: "anonymous", user: ""},
				{name: "member of a team with a broken descriptor", user: "mateo.rossi",
					wantTeams: []string{"/catalog/default/group/conversion"}, wantOwned: owned, wantErrors: 1},
				{name: "member of a team without errors", user: "amara.okafor",
					wantTeams: []string{"/catalog/default/group/fulfilment-engineering"},
					wantOwned: func() int {
						n := 0
						for _, c := range ownedByAny(all, "group:default/fulfilment-engineering") {
							n += c
						}
						return n
					}()},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					ts.client = newBrowserClient(t)
					if tc.user != "" {
						ts.signIn(tc.user)
					}
					p := ts.mustGet("/")
					counts := map[string]int{}
					p.doc.Find(`[data-testid="kind-count"]`).Each(func(_ int, s *goquery.Selection) {
						k, _ := s.Attr("data-kind")
						n, _ := strconv.Atoi(strings.TrimSpace(s.Find(".stat-value").Text()))
						counts[k] = n
					})
					if !mapsEqual(counts, kinds) {
						t.Errorf("counts: got %v, want %v", counts, kinds)
					}
					if got := attrs(p.doc.Find(`[data-testid="home-teams"] a`), "href"); !slices.Equal(got, tc.wantTeams) {
						t.Errorf("teams: got %v, want %v", got, tc.wantTeams)
					}
					if got := p.doc.Find(`[data-testid="team-entities"] [data-testid="entity-row"]`).Length(); got != tc.wantOwned {
						t.Errorf("team entities: got %d, want %d", got, tc.wantOwned)
					}
					errs := p.doc.Find(`[data-testid="processing-error"]`)
					if errs.Length() != tc.wantErrors {
						t.Errorf("errors: got %d, want %d", errs.Length(), tc.wantErrors)
					}
					if tc.wantErrors > 0 {
						if got, _ := errs.First().Find(`[data-testid="error-entity"] a`).Attr("href"); got != "/catalog/default/component/basket-recommender" {
							t.Errorf("error entity link %q", got)
						}
						if got := errs.First().Find(`[data-testid="error-location"]`).Text(); !strings.HasPrefix(got, file) {
							t.Errorf("error location %q", got)
						}
					}
					if n := p.doc.Find(`[data-testid="recent-entity"]`).Length(); n != 10 {
						t.Errorf("recent: %d entities, want 10", n)
					}
				})
			}
		})
	}
}

func TestAPIDocsPage(t *testing.T) {
	ts := newPageServer(t, "sqlite", pageOptions{})
	all := allEntitiesOf(t, ts.catalog)
	apis, openapi := 0, 0
	for _, e := range all {
		if e.Kind == "API" {
			apis++
			if e.Spec["type"] == "openapi" {
				openapi++
			}
		}
	}
	tests := []struct {
		name     string
		query    string
		wantRows int
	}{
		{"all", "", apis},
		{"openapi only", "?type=openapi", openapi},
		{"unknown type", "?type=soap", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ts.mustGet("/api-docs" + tc.query)
			if got := p.doc.Find(`[data-testid="api-row"]`).Length(); got != tc.wantRows {
				t.Errorf("rows: got %d, want %d", got, tc.wantRows)
			}
		})
	}
	row := ts.mustGet("/api-docs").doc.Find(`[data-testid="api-row"][data-ref="api:default/cart-api"]`)
	if got := attrs(row.Find(`[data-testid="api-providers"] a`), "href"); !slices.Contains(got, "/catalog/default/component/cart-service") {
		t.Errorf("cart-api providers: %v", got)
	}
	if got := row.Find(`[data-testid="api-consumers"] a`).Length(); got == 0 {
		t.Errorf("cart-api has no consumers")
	}
	if got, _ := row.Find(`[data-testid="api-owner"] a`).Attr("href"); got != "/catalog/default/group/conversion" {
		t.Errorf("cart-api owner %q", got)
	}
}
