package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/database"
)

// allDemo lists every entity the server's catalog holds, decoded, as ground truth.
func allEntitiesOf(t *testing.T, svc *catalog.Service) []*model.Entity {
	t.Helper()
	res, err := svc.Entities(context.Background(), catalog.EntitiesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*model.Entity, len(res.Items))
	for i, raw := range res.Items {
		out[i] = &model.Entity{}
		if err := json.Unmarshal(raw, out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func resultCount(t *testing.T, p page) int {
	t.Helper()
	text := strings.TrimSpace(p.doc.Find(`[data-testid="result-count"]`).Text())
	n, err := strconv.Atoi(strings.Fields(text)[0])
	if err != nil {
		t.Fatalf("result count %q: %v", text, err)
	}
	return n
}

// facetCounts reads one facet's options as value -> count.
func facetCounts(t *testing.T, p page, param string) map[string]int {
	t.Helper()
	out := map[string]int{}
	p.doc.Find(`[data-testid="facet-` + param + `"] [data-testid="facet-option"]`).Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("data-value")
		n, err := strconv.Atoi(strings.TrimSpace(s.Find(`[data-testid="facet-count"]`).Text()))
		if err != nil {
			t.Fatalf("facet %s option %s: %v", param, v, err)
		}
		out[v] = n
	})
	return out
}

func rowRefs(p page) []string {
	return attrs(p.doc.Find(`[data-testid="catalog-table"] [data-testid="entity-row"]`), "data-ref")
}

func TestCatalogPageFilters(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			ts := newPageServer(t, backend, pageOptions{})
			all := allEntitiesOf(t, ts.catalog)
			count := func(match func(e *model.Entity) bool) int {
				n := 0
				for _, e := range all {
					if match(e) {
						n++
					}
				}
				return n
			}
			lifecycle := func(e *model.Entity) string { s, _ := e.Spec["lifecycle"].(string); return s }
			isKind := func(k string) func(*model.Entity) bool {
				return func(e *model.Entity) bool { return strings.EqualFold(e.Kind, k) }
			}
			tests := []struct {
				name      string
				query     url.Values
				wantTotal int
				// wantKinds are the kind facet counts expected (only those listed are checked).
				wantKinds map[string]int
				// wantLifecycles are the lifecycle facet counts expected.
				wantLifecycles map[string]int
				rowsMatch      func(ref string) bool
				// wantOwner is the owner link every row must show, when set.
				wantOwner string
			}{
				{
					name:      "unfiltered",
					query:     url.Values{},
					wantTotal: len(all),
					wantKinds: map[string]int{"component": count(isKind("Component")), "api": count(isKind("API")), "group": count(isKind("Group"))},
				},
				{
					name:      "kind narrows and keeps the other kinds counted",
					query:     url.Values{"kind": {"component"}},
					wantTotal: count(isKind("Component")),
					wantKinds: map[string]int{"component": count(isKind("Component")), "api": count(isKind("API"))},
					wantLifecycles: map[string]int{
						"production": count(func(e *model.Entity) bool { return isKind("Component")(e) && lifecycle(e) == "production" }),
					},
					rowsMatch: func(ref string) bool { return strings.HasPrefix(ref, "component:") },
				},
				{
					name:  "kind and lifecycle",
					query: url.Values{"kind": {"component", "api"}, "lifecycle": {"production"}},
					wantTotal: count(func(e *model.Entity) bool {
						return (isKind("Component")(e) || isKind("API")(e)) && lifecycle(e) == "production"
					}),
					wantKinds: map[string]int{
						"component": count(func(e *model.Entity) bool { return isKind("Component")(e) && lifecycle(e) == "production" }),
						"api":       count(func(e *model.Entity) bool { return isKind("API")(e) && lifecycle(e) == "production" }),
					},
					rowsMatch: func(ref string) bool { return strings.HasPrefix(ref, "component:") || strings.HasPrefix(ref, "api:") },
				},
				{
					name:      "owner ref",
					query:     url.Values{"owner": {"group:default/conversion"}},
					wantTotal: count(func(e *model.Entity) bool { return catalog.SpecRef(e, "owner", "group") == "group:default/conversion" }),
					wantOwner: "/catalog/default/group/conversion",
				},
				{
					name:  "text search over the title",
					query: url.Values{"q": {"Cart  SERVICE"}},
					wantTotal: count(func(e *model.Entity) bool {
						text := strings.ToLower(e.Metadata.Name + " " + e.Metadata.Title + " " + e.Metadata.Description + " " + strings.Join(e.Metadata.Tags, " "))
						return strings.Contains(text, "cart") && strings.Contains(text, "service")
					}),
					rowsMatch: func(ref string) bool { return ref != "api:default/payments-api" },
				},
				{
					name:      "text search over tags",
					query:     url.Values{"q": {"pci-dss"}},
					wantTotal: count(func(e *model.Entity) bool { return slices.Contains(e.Metadata.Tags, "pci-dss") }),
				},
				{
					name:      "unknown value matches nothing",
					query:     url.Values{"kind": {"spaceship"}},
					wantTotal: 0,
				},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					p := ts.mustGet("/catalog?" + tc.query.Encode())
					if got := resultCount(t, p); got != tc.wantTotal {
						t.Errorf("total: got %d, want %d", got, tc.wantTotal)
					}
					if tc.wantTotal == 0 && p.doc.Find(`[data-testid="catalog-empty"]`).Length() != 1 {
						t.Errorf("no empty state")
					}
					kinds := facetCounts(t, p, "kind")
					for k, want := range tc.wantKinds {
						if kinds[k] != want {
							t.Errorf("kind facet %s: got %d, want %d", k, kinds[k], want)
						}
					}
					lifecycles := facetCounts(t, p, "lifecycle")
					for l, want := range tc.wantLifecycles {
						if lifecycles[l] != want {
							t.Errorf("lifecycle facet %s: got %d, want %d", l, lifecycles[l], want)
						}
					}
					refs := rowRefs(p)
					if want := min(tc.wantTotal, catalog.DefaultListLimit); len(refs) != want {
						t.Errorf("rows: got %d, want %d", len(refs), want)
					}
					if tc.wantOwner != "" {
						for _, h := range attrs(p.doc.Find(`[data-testid="catalog-table"] td[data-testid="entity-owner"] a`), "href") {
							if h != tc.wantOwner {
								t.Errorf("owner link %s, want %s", h, tc.wantOwner)
							}
						}
					}
					for _, r := range refs {
						if tc.rowsMatch != nil && !tc.rowsMatch(r) {
							t.Errorf("row %s does not match the filters", r)
						}
					}
					for param, values := range tc.query {
						for _, v := range values {
							sel := p.doc.Find(`[data-testid="facet-` + param + `"] [data-value="` + strings.ToLower(v) + `"] input`)
							if param != "q" && !sel.Is("[checked]") {
								t.Errorf("%s=%s is not checked", param, v)
							}
						}
					}
				})
			}
		})
	}
}

func TestCatalogPageHTMXPartial(t *testing.T) {
	ts := newPageServer(t, "sqlite", pageOptions{})
	p := ts.get("/catalog?kind=api", "HX-Request", "true")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	if p.doc.Find("html header, [data-testid=site-header], [data-testid=catalog-filters]").Length() != 0 {
		t.Errorf("the partial carries the page around the table")
	}
	// The facets come along out of band with the counts for the new filters.
	if got := facetCounts(t, p, "kind"); got["api"] != resultCount(t, p) || got["component"] == 0 {
		t.Errorf("kind facet in the partial: %v", got)
	}
	if n := p.doc.Find(`fieldset.facet[hx-swap-oob="true"]`).Length(); n != len(catalog.ListFacets()) {
		t.Errorf("%d facets swapped out of band, want every one", n)
	}
	if p.doc.Find(`#catalog-table`).Length() != 1 {
		t.Errorf("the partial has no #catalog-table")
	}
	if v, _ := p.doc.Find(`#catalog-sort[hx-swap-oob]`).Attr("name"); v != "sort" {
		t.Errorf("the partial does not carry the sort field out of band")
	}
	if !slices.Contains(p.header.Values("Vary"), "HX-Request") {
		t.Errorf("Vary: %v", p.header.Values("Vary"))
	}
	for _, r := range rowRefs(p) {
		if !strings.HasPrefix(r, "api:") {
			t.Errorf("row %s is not an API", r)
		}
	}
}

func TestCatalogPageSortAndCursor(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			ts := newPageServer(t, backend, pageOptions{})
			first := ts.mustGet("/catalog")
			total := resultCount(t, first)
			if total <= catalog.DefaultListLimit {
				t.Fatalf("the demo catalog has %d entities, too few to page", total)
			}
			names := func(p page) []string {
				return texts(p.doc.Find(`[data-testid="catalog-table"] [data-testid="entity-name"] > a`))
			}
			for _, tc := range []struct {
				name string
				sort string
				desc bool
			}{{"name ascending", "", false}, {"name descending", "-name", true}} {
				t.Run(tc.name, func(t *testing.T) {
					path := "/catalog"
					if tc.sort != "" {
						path += "?sort=" + tc.sort
					}
					var seen []string
					var pages []page
					for path != "" {
						p := ts.mustGet(path)
						pages = append(pages, p)
						seen = append(seen, rowRefs(p)...)
						n := names(p)
						sorted := slices.IsSortedFunc(n, func(a, b string) int {
							c := strings.Compare(strings.ToLower(a), strings.ToLower(b))
							if tc.desc {
								return -c
							}
							return c
						})
						if !sorted {
							t.Errorf("page %d is not sorted: %v", len(pages), n)
						}
						path, _ = p.doc.Find(`[data-testid="next-page"]`).Attr("href")
						if len(pages) > total {
							t.Fatal("pagination does not end")
						}
					}
					if len(seen) != total {
						t.Errorf("paged through %d entities, want %d", len(seen), total)
					}
					slices.Sort(seen)
					if len(slices.Compact(seen)) != total {
						t.Errorf("pages repeat entities")
					}
					if pages[0].doc.Find(`[data-testid="prev-page"]`).Length() != 0 {
						t.Errorf("the first page links a previous page")
					}
					last := pages[len(pages)-1]
					prev, ok := last.doc.Find(`[data-testid="prev-page"]`).Attr("href")
					if !ok {
						t.Fatal("the last page links no previous page")
					}
					back := ts.mustGet(prev)
					if got, want := rowRefs(back), rowRefs(pages[len(pages)-2]); !slices.Equal(got, want) {
						t.Errorf("previous page:\n got %v\nwant %v", got, want)
					}
					u, _ := url.Parse(prev)
					if got := u.Query().Get("sort"); got != tc.sort {
						t.Errorf("the page link drops the sort: %q", got)
					}
				})
			}
		})
	}
}

func TestCatalogPageSortLinks(t *testing.T) {
	ts := newPageServer(t, "sqlite", pageOptions{})
	p := ts.mustGet("/catalog?kind=component&sort=owner")
	tests := []struct {
		column    string
		wantSort  string
		wantOrder string
	}{
		{"name", "name", ""},
		{"owner", "-owner", "ascending"},
		{"lifecycle", "lifecycle", ""},
	}
	for _, tc := range tests {
		t.Run(tc.column, func(t *testing.T) {
			link := p.doc.Find(`[data-testid="sort-` + tc.column + `"]`)
			href, _ := link.Attr("href")
			u, err := url.Parse(href)
			if err != nil {
				t.Fatal(err)
			}
			if got := u.Query().Get("sort"); got != tc.wantSort {
				t.Errorf("sort: got %q, want %q", got, tc.wantSort)
			}
			if got := u.Query().Get("kind"); got != "component" {
				t.Errorf("the sort link drops the filter: %q", got)
			}
			order, _ := link.Parent().Attr("aria-sort")
			if order != tc.wantOrder {
				t.Errorf("aria-sort: got %q, want %q", order, tc.wantOrder)
			}
		})
	}
	owners := texts(p.doc.Find(`[data-testid="catalog-table"] td[data-testid="entity-owner"]`))
	if !slices.IsSortedFunc(owners, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
		t.Errorf("rows are not sorted by owner: %v", owners)
	}
}

func TestCatalogPageBadInput(t *testing.T) {
	ts := newPageServer(t, "sqlite", pageOptions{})
	tests := []struct {
		name   string
		query  string
		status int
	}{
		{"malformed cursor", "cursor=%25%25", http.StatusBadRequest},
		{"long search", "q=" + strings.Repeat("x", 201), http.StatusBadRequest},
		{"unknown sort falls back to name", "sort=colour", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ts.get("/catalog?" + tc.query)
			if p.status != tc.status {
				t.Errorf("status: got %d, want %d", p.status, tc.status)
			}
			if tc.status != http.StatusOK && p.doc.Find(`[data-testid="error-page"]`).Length() != 1 {
				t.Errorf("no error page")
			}
		})
	}
}
