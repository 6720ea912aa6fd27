package catalog

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/database"
)

func examplesService(t *testing.T, backend string) *Service {
	t.Helper()
	ex := filepath.Join(sharedDir(t), "corpus/backstage-examples/catalog-model/examples")
	s := newTestService(t, backend)
	ingest(t, s, filepath.Join(ex, "all.yaml"), filepath.Join(ex, "acme-corp.yaml"))
	return s
}

func refsOf(t *testing.T, items []json.RawMessage) []string {
	t.Helper()
	out := make([]string, 0, len(items))
	for _, raw := range items {
		var e model.Entity
		if err := json.Unmarshal(raw, &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e.Ref().String())
	}
	return out
}

func TestParseFilter(t *testing.T) {
	tests := []struct {
		name    string
		params  []string
		want    Filter
		wantErr string
	}{
		{name: "none", params: nil, want: Filter{}},
		{name: "blank", params: []string{" , "}, want: Filter{}},
		{name: "and", params: []string{"kind=component,spec.type=service"},
			want: Filter{AnyOf: [][]Condition{{{Key: "kind", Values: []string{"component"}}, {Key: "spec.type", Values: []string{"service"}}}}}},
		{name: "or", params: []string{"kind=component", "kind=api"},
			want: Filter{AnyOf: [][]Condition{{{Key: "kind", Values: []string{"component"}}}, {{Key: "kind", Values: []string{"api"}}}}}},
		{name: "same key widens", params: []string{"kind=component,kind=api"},
			want: Filter{AnyOf: [][]Condition{{{Key: "kind", Values: []string{"component", "api"}}}}}},
		{name: "exists", params: []string{"spec.owner"},
			want: Filter{AnyOf: [][]Condition{{{Key: "spec.owner"}}}}},
		{name: "empty value", params: []string{"metadata.name="},
			want: Filter{AnyOf: [][]Condition{{{Key: "metadata.name", Values: []string{""}}}}}},
		{name: "value with equals", params: []string{"metadata.annotations.x= a=b "},
			want: Filter{AnyOf: [][]Condition{{{Key: "metadata.annotations.x", Values: []string{"a=b"}}}}}},
		{name: "no key", params: []string{"=x"}, wantErr: "Invalid filter, '=x' is not a valid statement"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseFilter(tc.params)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseFilter = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func FuzzParseFilter(f *testing.F) {
	for _, seed := range []string{"kind=component", "a,b=c,,d=", "=x", "relations.ownedBy=group:default/team-a", "x=y=z", "\x00=\xff"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseFilter([]string{s})
		if err != nil {
			return
		}
		// What parses renders back to something that parses to the same filter.
		again, err := ParseFilter(got.String())
		if err != nil {
			t.Fatalf("round trip of %q: %v", s, err)
		}
		if len(again.AnyOf) != len(got.AnyOf) {
			t.Fatalf("round trip of %q changed the filter: %+v -> %+v", s, got, again)
		}
	})
}

func TestEntitiesFilters(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			s := examplesService(t, backend)
			ctx := context.Background()
			tests := []struct {
				name   string
				filter []string
				want   []string
			}{
				{"and", []string{"kind=component,spec.type=website"},
					[]string{"component:default/queue-proxy", "component:default/www-artist"}},
				{"case-insensitive keys and values", []string{"KIND=Component,Spec.Type=WEBSITE"},
					[]string{"component:default/queue-proxy", "component:default/www-artist"}},
				{"or", []string{"kind=domain", "kind=resource"},
					[]string{"domain:default/artists", "domain:default/audio", "domain:default/playback", "resource:default/artists-db"}},
				{"same key any value", []string{"kind=domain,kind=resource"},
					[]string{"domain:default/artists", "domain:default/audio", "domain:default/playback", "resource:default/artists-db"}},
				{"relation", []string{"kind=component,relations.ownedBy=group:default/team-c"},
					[]string{"component:default/petstore", "component:default/playback-sdk"}},
				{"array element", []string{"kind=group,spec.children=team-a"}, []string{"group:default/backstage"}},
				{"exists", []string{"kind=domain,spec.subdomainOf"}, []string{"domain:default/artists"}},
				{"no match", []string{"kind=component,spec.type=nothing"}, []string{}},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					f, err := ParseFilter(tc.filter)
					if err != nil {
						t.Fatal(err)
					}
					page, err := s.Entities(ctx, EntitiesRequest{Filter: f})
					if err != nil {
						t.Fatal(err)
					}
					got := refsOf(t, page.Items)
					sort.Strings(got)
					if !reflect.DeepEqual(got, tc.want) {
						t.Errorf("filter %v = %v, want %v", tc.filter, got, tc.want)
					}
				})
			}

			t.Run("order and pages", func(t *testing.T) {
				f, _ := ParseFilter([]string{"kind=group"})
				var names []string
				req := EntitiesRequest{Filter: f, Order: []OrderField{{Field: "metadata.name", Order: "desc"}}, Limit: 3, Fields: []string{"kind", "metadata.name"}}
				for pages := 0; pages < 10; pages++ {
					page, err := s.Entities(ctx, req)
					if err != nil {
						t.Fatal(err)
					}
					for _, raw := range page.Items {
						var e map[string]any
						json.Unmarshal(raw, &e)
						if len(e) != 2 {
							t.Errorf("fields not applied: %s", raw)
						}
						names = append(names, e["metadata"].(map[string]any)["name"].(string))
					}
					if page.After == "" {
						break
					}
					req.After = page.After
				}
				want := []string{"team-d", "team-c", "team-b", "team-a", "infrastructure", "boxoffice", "backstage", "acme-corp"}
				if !reflect.DeepEqual(names, want) {
					t.Errorf("names = %v, want %v", names, want)
				}
			})

			t.Run("by refs", func(t *testing.T) {
				items, err := s.EntitiesByRefs(ctx, []string{"component:default/petstore", "component:default/nope", "Group:team-a"}, nil, Filter{})
				if err != nil {
					t.Fatal(err)
				}
				if len(items) != 3 || string(items[1]) != "null" {
					t.Fatalf("items = %d, middle %s", len(items), items[1])
				}
				if got := refsOf(t, []json.RawMessage{items[0], items[2]}); got[0] != "component:default/petstore" || got[1] != "group:default/team-a" {
					t.Errorf("by refs = %v", got)
				}
			})

			t.Run("facets", func(t *testing.T) {
				f, _ := ParseFilter([]string{"kind=component"})
				facets, err := s.Facets(ctx, []string{"spec.type", "spec.lifecycle"}, f)
				if err != nil {
					t.Fatal(err)
				}
				total := 0
				for _, c := range facets["spec.type"] {
					total += c.Count
				}
				if total != 13 {
					t.Errorf("spec.type facet counts add to %d, want 13: %+v", total, facets)
				}
				if len(facets["spec.lifecycle"]) == 0 {
					t.Errorf("no lifecycle facet: %+v", facets)
				}
			})

			t.Run("ancestry", func(t *testing.T) {
				a, err := s.EntityAncestry(ctx, model.Ref{Kind: "component", Namespace: "default", Name: "petstore"})
				if err != nil {
					t.Fatal(err)
				}
				var chain []string
				for _, it := range a.Items {
					chain = append(chain, refsOf(t, []json.RawMessage{it.Entity})[0])
				}
				if a.RootEntityRef != "component:default/petstore" || len(chain) != 4 ||
					chain[1] != "location:default/example-components" || chain[2] != "location:default/example-all" ||
					!strings.HasPrefix(chain[3], "location:default/generated-") {
					t.Errorf("ancestry = %s %v", a.RootEntityRef, chain)
				}
			})
		})
	}
}

func TestQueryEntitiesCursors(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			s := examplesService(t, backend)
			ctx := context.Background()
			f, _ := ParseFilter([]string{"kind=user"})
			for _, order := range []string{"asc", "desc"} {
				t.Run(order, func(t *testing.T) {
					limit := 4
					res, err := s.QueryEntities(ctx, QueryRequest{Filter: f, Limit: &limit,
						OrderField: &OrderField{Field: "metadata.name", Order: order}})
					if err != nil {
						t.Fatal(err)
					}
					if res.TotalItems != 17 {
						t.Errorf("totalItems = %d, want 17", res.TotalItems)
					}
					var pages [][]string
					pages = append(pages, refsOf(t, res.Items))
					for res.NextCursor != "" {
						if res, err = s.QueryEntities(ctx, QueryRequest{Cursor: res.NextCursor, Limit: &limit}); err != nil {
							t.Fatal(err)
						}
						pages = append(pages, refsOf(t, res.Items))
					}
					var all []string
					for _, p := range pages {
						all = append(all, p...)
					}
					names := make([]string, len(all))
					seen := map[string]bool{}
					for i, r := range all {
						names[i] = r[strings.IndexByte(r, '/')+1:]
						seen[r] = true
					}
					inOrder := sort.SliceIsSorted(names, func(i, j int) bool {
						if order == "desc" {
							return names[i] > names[j]
						}
						return names[i] < names[j]
					})
					if len(all) != 17 || len(seen) != 17 || !inOrder {
						t.Fatalf("walked %v, want 17 distinct users by name %s", all, order)
					}
					// Walk back from the last page with prevCursor.
					back := 0
					for res.PrevCursor != "" {
						if res, err = s.QueryEntities(ctx, QueryRequest{Cursor: res.PrevCursor, Limit: &limit}); err != nil {
							t.Fatal(err)
						}
						back++
						if got, want := refsOf(t, res.Items), pages[len(pages)-1-back]; !reflect.DeepEqual(got, want) {
							t.Fatalf("previous page %d = %v, want %v", back, got, want)
						}
					}
					if back != len(pages)-1 {
						t.Errorf("walked back %d pages, want %d", back, len(pages)-1)
					}
				})
			}

			t.Run("full text", func(t *testing.T) {
				res, err := s.QueryEntities(ctx, QueryRequest{Filter: f, FullText: FullTextFilter{Term: "DAV", Fields: []string{"metadata.name"}}})
				if err != nil {
					t.Fatal(err)
				}
				got := refsOf(t, res.Items)
				sort.Strings(got)
				if res.TotalItems != 1 || !reflect.DeepEqual(got, []string{"user:default/breanna.davison"}) {
					t.Errorf("full text = %v (%d), want breanna.davison alone", got, res.TotalItems)
				}
			})

			t.Run("malformed cursor", func(t *testing.T) {
				if _, err := s.QueryEntities(ctx, QueryRequest{Cursor: "not-a-cursor"}); err == nil {
					t.Errorf("malformed cursor accepted")
				}
			})
		})
	}
}
