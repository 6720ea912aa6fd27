package handlers

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/database"
)

// ownershipTable reads the ownership summary as kind -> total.
func ownershipTable(t *testing.T, p page) map[string]int {
	t.Helper()
	out := map[string]int{}
	p.doc.Find(`[data-testid="ownership-row"]`).Each(func(_ int, s *goquery.Selection) {
		kind, _ := s.Attr("data-kind")
		n, err := strconv.Atoi(strings.TrimSpace(s.Find(`[data-testid="ownership-total"]`).Text()))
		if err != nil {
			t.Fatalf("total of %s: %v", kind, err)
		}
		out[kind] = n
	})
	return out
}

// ownedByAny counts the entities of the catalog by kind whose owner is one of owners.
func ownedByAny(all []*model.Entity, owners ...string) map[string]int {
	out := map[string]int{}
	for _, e := range all {
		if slices.Contains(owners, catalog.SpecRef(e, "owner", "group")) {
			out[e.Kind]++
		}
	}
	return out
}

func TestGroupAndUserPages(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			ts := newPageServer(t, backend, pageOptions{})
			all := allEntitiesOf(t, ts.catalog)
			var productTeams []string
			for _, e := range all {
				if e.Kind == "Group" {
					if parent, _ := e.Spec["parent"].(string); parent == "product-engineering" {
						productTeams = append(productTeams, e.Ref().Key())
					}
				}
			}
			if len(productTeams) == 0 {
				t.Fatal("the demo has no teams under product-engineering")
			}
			tests := []struct {
				name         string
				path         string
				wantOwned    map[string]int
				wantParent   string
				wantChildren int
				wantMembers  []string
				wantGroups   []string
			}{
				{
					name:        "team",
					path:        "/catalog/default/group/conversion",
					wantOwned:   ownedByAny(all, "group:default/conversion"),
					wantParent:  "/catalog/default/group/product-engineering",
					wantMembers: []string{"/catalog/default/user/mateo.rossi", "/catalog/default/user/hannah.schmidt"},
				},
				{
					name:         "department owns through its teams",
					path:         "/catalog/default/group/product-engineering",
					wantOwned:    ownedByAny(all, append([]string{"group:default/product-engineering"}, productTeams...)...),
					wantParent:   "/catalog/default/group/northwind",
					wantChildren: len(productTeams),
					wantMembers:  []string{"/catalog/default/user/tomas.berg"},
				},
				{
					name:       "user owns through their groups",
					path:       "/catalog/default/user/mateo.rossi",
					wantOwned:  ownedByAny(all, "user:default/mateo.rossi", "group:default/conversion"),
					wantGroups: []string{"/catalog/default/group/conversion"},
				},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					p := ts.mustGet(tc.path)
					if got := ownershipTable(t, p); !mapsEqual(got, tc.wantOwned) {
						t.Errorf("owned by kind: got %v, want %v", got, tc.wantOwned)
					}
					total := 0
					for _, n := range tc.wantOwned {
						total += n
					}
					if got := p.doc.Find(`[data-testid="owned-entities"] [data-testid="entity-row"]`).Length(); got != total {
						t.Errorf("owned rows: got %d, want %d", got, total)
					}
					if got, _ := p.doc.Find(`[data-testid="group-parent"] a`).Attr("href"); got != tc.wantParent {
						t.Errorf("parent: got %q, want %q", got, tc.wantParent)
					}
					if got := p.doc.Find(`[data-testid="group-child"]`).Length(); got != tc.wantChildren {
						t.Errorf("children: got %d, want %d", got, tc.wantChildren)
					}
					members := attrs(p.doc.Find(`[data-testid="member"] a[title]`), "href")
					for _, m := range tc.wantMembers {
						if !slices.Contains(members, m) {
							t.Errorf("members %v lack %s", members, m)
						}
					}
					groups := attrs(p.doc.Find(`[data-testid="user-group"] a`), "href")
					if !slices.Equal(groups, tc.wantGroups) {
						t.Errorf("groups: got %v, want %v", groups, tc.wantGroups)
					}
				})
			}
		})
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestTeamsPage(t *testing.T) {
	ts := newPageServer(t, "sqlite", pageOptions{})
	all := allEntitiesOf(t, ts.catalog)
	groups := 0
	for _, e := range all {
		if e.Kind == "Group" {
			groups++
		}
	}
	p := ts.mustGet("/teams")
	teams := p.doc.Find(`[data-testid="team"]`)
	if teams.Length() != groups {
		t.Errorf("teams: got %d, want %d", teams.Length(), groups)
	}
	conv := p.doc.Find(`[data-testid="team"][data-ref="group:default/conversion"]`)
	want := 0
	for _, n := range ownedByAny(all, "group:default/conversion") {
		want += n
	}
	if got := conv.Find(`[data-testid="team-owned"]`).Text(); !strings.HasPrefix(got, strconv.Itoa(want)+" ") {
		t.Errorf("conversion owns %q, want %d", got, want)
	}
	if got := conv.Find(`[data-testid="team-members"]`).Text(); got != "2 members" {
		t.Errorf("conversion members: %q", got)
	}
}
