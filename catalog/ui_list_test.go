package catalog

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keelson-dev/keelson/catalog/model"
)

// sampleIndex is a small catalog held in memory: components, APIs and groups with owners,
// systems, lifecycles and tags, some values missing.
func sampleIndex() *uiIndex {
	var s []Summary
	lifecycles := []string{"production", "experimental", ""}
	for i := range 30 {
		s = append(s, Summary{
			Ref: fmt.Sprintf("component:default/svc-%02d", i), Kind: "Component", Namespace: "default",
			Name: fmt.Sprintf("svc-%02d", i), Type: []string{"service", "website"}[i%2], Lifecycle: lifecycles[i%3],
			Owner: fmt.Sprintf("group:default/team-%d", i%4), System: fmt.Sprintf("system:default/sys-%d", i%2),
			Tags: []string{[]string{"go", "java", "node"}[i%3], "synthetic"}, Description: fmt.Sprintf("Service number %d", i),
			Updated: time.Date(2026, 1, 1, 0, i, 0, 0, time.UTC),
		})
	}
	for i := range 6 {
		s = append(s, Summary{Ref: fmt.Sprintf("api:default/api-%d", i), Kind: "API", Namespace: "default", Name: fmt.Sprintf("api-%d", i),
			Title: fmt.Sprintf("API %d", i), Type: "openapi", Lifecycle: "production", Owner: fmt.Sprintf("group:default/team-%d", i%4)})
	}
	for i := range 4 {
		s = append(s, Summary{Ref: fmt.Sprintf("group:default/team-%d", i), Kind: "Group", Namespace: "default", Name: fmt.Sprintf("team-%d", i),
			Title: fmt.Sprintf("Team %d", i), Type: "team"})
	}
	s = append(s, Summary{Ref: "component:other/svc-x", Kind: "Component", Namespace: "other", Name: "svc-x", Type: "service"})
	return newIndex("test", s)
}

func optionCounts(f Facet) map[string]int {
	out := map[string]int{}
	for _, o := range f.Options {
		out[o.Value] = o.Count
	}
	return out
}

func facetOf(res *ListResult, param string) Facet {
	for _, f := range res.Facets {
		if f.Param == param {
			return f
		}
	}
	return Facet{}
}

func TestListFilters(t *testing.T) {
	idx := sampleIndex()
	tests := []struct {
		name          string
		req           ListRequest
		wantTotal     int
		wantKinds     map[string]int
		wantLifecycle map[string]int
		wantFirst     string
	}{
		{
			name:          "everything",
			req:           ListRequest{},
			wantTotal:     41,
			wantKinds:     map[string]int{"component": 31, "api": 6, "group": 4},
			wantLifecycle: map[string]int{"production": 16, "experimental": 10},
			wantFirst:     "api:default/api-0",
		},
		{
			name:          "kind keeps the kind counts of the rest",
			req:           ListRequest{Filters: map[string][]string{FacetKind: {"Component"}}},
			wantTotal:     31,
			wantKinds:     map[string]int{"component": 31, "api": 6, "group": 4},
			wantLifecycle: map[string]int{"production": 10, "experimental": 10},
			wantFirst:     "component:default/svc-00",
		},
		{
			name:          "owner by short ref, lifecycle",
			req:           ListRequest{Filters: map[string][]string{FacetOwner: {"team-1"}, FacetLifecycle: {"production"}}},
			wantTotal:     4,
			wantKinds:     map[string]int{"component": 2, "api": 2},
			wantLifecycle: map[string]int{"production": 4, "experimental": 3},
			wantFirst:     "api:default/api-1",
		},
		{
			name:          "tags are alternatives, q narrows",
			req:           ListRequest{Filters: map[string][]string{FacetTag: {"go", "node"}}, Q: "number 1"},
			wantTotal:     7,
			wantKinds:     map[string]int{"component": 7},
			wantLifecycle: map[string]int{"production": 4},
			wantFirst:     "component:default/svc-11",
		},
		{
			name:          "namespace",
			req:           ListRequest{Filters: map[string][]string{FacetNamespace: {"OTHER"}}},
			wantTotal:     1,
			wantKinds:     map[string]int{"component": 1},
			wantLifecycle: map[string]int{},
			wantFirst:     "component:other/svc-x",
		},
		{
			name:          "unknown value",
			req:           ListRequest{Filters: map[string][]string{FacetSystem: {"nowhere"}}},
			wantTotal:     0,
			wantKinds:     map[string]int{},
			wantLifecycle: map[string]int{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := idx.list(tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != tc.wantTotal {
				t.Errorf("total: got %d, want %d", res.Total, tc.wantTotal)
			}
			if got := optionCounts(facetOf(res, FacetKind)); !equalCounts(got, tc.wantKinds) {
				t.Errorf("kinds: got %v, want %v", got, tc.wantKinds)
			}
			if got := optionCounts(facetOf(res, FacetLifecycle)); !equalCounts(got, tc.wantLifecycle) {
				t.Errorf("lifecycles: got %v, want %v", got, tc.wantLifecycle)
			}
			first := ""
			if len(res.Items) > 0 {
				first = res.Items[0].Ref
			}
			if first != tc.wantFirst {
				t.Errorf("first: got %q, want %q", first, tc.wantFirst)
			}
			for param, values := range tc.req.Filters {
				for _, v := range values {
					want := normalizeFacetValue(slices.Index(listFacets[:], param), v)
					i := slices.IndexFunc(facetOf(res, param).Options, func(o FacetOption) bool { return o.Value == want })
					if i < 0 || !facetOf(res, param).Options[i].Selected {
						t.Errorf("%s=%s is not a selected option", param, v)
					}
				}
			}
		})
	}
}

func equalCounts(a, b map[string]int) bool {
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

func TestListPaging(t *testing.T) {
	idx := sampleIndex()
	for _, sort := range []string{"", "-name", "kind", "-type", "owner", "-owner", "lifecycle", "-lifecycle"} {
		for _, filters := range []map[string][]string{nil, {FacetKind: {"component"}}, {FacetLifecycle: {"experimental"}}} {
			t.Run(fmt.Sprintf("%s %v", sort, filters), func(t *testing.T) {
				all, err := idx.list(ListRequest{Filters: filters, Sort: sort, Limit: 1000})
				if err != nil {
					t.Fatal(err)
				}
				var pages [][]string
				cursor := ""
				for {
					res, err := idx.list(ListRequest{Filters: filters, Sort: sort, Limit: 4, Cursor: cursor})
					if err != nil {
						t.Fatal(err)
					}
					pages = append(pages, refs(res.Items))
					if (len(pages) == 1) != (res.PrevCursor == "") {
						t.Errorf("page %d: previous cursor %q", len(pages), res.PrevCursor)
					}
					if res.NextCursor == "" {
						break
					}
					cursor = res.NextCursor
					if len(pages) > 100 {
						t.Fatal("paging does not end")
					}
				}
				if got := slices.Concat(pages...); !slices.Equal(got, refs(all.Items)) {
					t.Errorf("pages:\n got %v\nwant %v", got, refs(all.Items))
				}
				// Walk back from the last page.
				res, _ := idx.list(ListRequest{Filters: filters, Sort: sort, Limit: 4, Cursor: cursor})
				for i := len(pages) - 2; i >= 0; i-- {
					if res.PrevCursor == "" {
						t.Fatalf("no previous cursor before page %d", i+2)
					}
					res, err = idx.list(ListRequest{Filters: filters, Sort: sort, Limit: 4, Cursor: res.PrevCursor})
					if err != nil {
						t.Fatal(err)
					}
					if got := refs(res.Items); !slices.Equal(got, pages[i]) {
						t.Errorf("back to page %d: got %v, want %v", i+1, got, pages[i])
					}
				}
			})
		}
	}
}

func refs(items []Summary) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = s.Ref
	}
	return out
}

func TestListSortOrder(t *testing.T) {
	idx := sampleIndex()
	tests := []struct {
		sort      string
		wantField string
		wantDesc  bool
		key       func(Summary) string
	}{
		{"", "name", false, func(s Summary) string { return strings.ToLower(s.Text()) }},
		{"-name", "name", true, func(s Summary) string { return strings.ToLower(s.Text()) }},
		{"lifecycle", "lifecycle", false, func(s Summary) string { return s.Lifecycle }},
		{"colour", "name", false, func(s Summary) string { return strings.ToLower(s.Text()) }},
	}
	for _, tc := range tests {
		t.Run(tc.sort, func(t *testing.T) {
			res, err := idx.list(ListRequest{Sort: tc.sort, Limit: 1000, Filters: map[string][]string{FacetKind: {"component"}}})
			if err != nil {
				t.Fatal(err)
			}
			if res.SortField != tc.wantField || res.Desc != tc.wantDesc {
				t.Errorf("sort: got %s desc=%v", res.SortField, res.Desc)
			}
			var keys []string
			for _, s := range res.Items {
				if k := tc.key(s); k != "" {
					keys = append(keys, k)
				}
			}
			sorted := slices.IsSorted(keys)
			if tc.wantDesc {
				sorted = slices.IsSortedFunc(keys, func(a, b string) int { return strings.Compare(b, a) })
			}
			if !sorted {
				t.Errorf("not sorted: %v", keys)
			}
			if tc.sort == "lifecycle" && res.Items[len(res.Items)-1].Lifecycle != "" {
				t.Errorf("entities without a lifecycle do not come last")
			}
		})
	}
}

func TestListFacetCap(t *testing.T) {
	idx := sampleIndex()
	res, err := idx.list(ListRequest{MaxOptions: 2, Filters: map[string][]string{FacetOwner: {"group:default/team-3"}}})
	if err != nil {
		t.Fatal(err)
	}
	var values []string
	for _, o := range facetOf(res, FacetOwner).Options {
		values = append(values, o.Value)
	}
	// team-0 and team-1 have the most entities; team-3 is selected.
	if want := []string{"group:default/team-0", "group:default/team-1", "group:default/team-3"}; !slices.Equal(values, want) {
		t.Errorf("owner options: got %v, want %v", values, want)
	}
	if got := facetOf(res, FacetOwner).Hidden; got != 1 {
		t.Errorf("hidden owners: got %d, want 1 (team-2)", got)
	}
	if got := facetOf(res, FacetOwner).Options[0].Label; got != "Team 0" {
		t.Errorf("owner label %q", got)
	}
}

func TestDescendantsAndOwnership(t *testing.T) {
	s := []Summary{
		{Ref: "group:default/org", Kind: "Group", Name: "org", Relations: []model.Relation{{Type: model.RelationParentOf, TargetRef: "group:default/a"}}},
		{Ref: "group:default/a", Kind: "Group", Name: "a", Relations: []model.Relation{{Type: model.RelationParentOf, TargetRef: "group:default/b"}, {Type: model.RelationChildOf, TargetRef: "group:default/org"}}},
		// b names org as a child: a cycle.
		{Ref: "group:default/b", Kind: "Group", Name: "b", Relations: []model.Relation{{Type: model.RelationParentOf, TargetRef: "group:default/org"}}},
		{Ref: "component:default/x", Kind: "Component", Name: "x", Owner: "group:default/b", Lifecycle: "production"},
		{Ref: "component:default/y", Kind: "Component", Name: "y", Owner: "group:default/a"},
		{Ref: "api:default/z", Kind: "API", Name: "z", Owner: "group:default/a", Lifecycle: "production"},
		{Ref: "component:default/w", Kind: "Component", Name: "w", Owner: "group:default/other"},
	}
	idx := newIndex("test", s)
	tests := []struct {
		group      string
		wantKinds  []string
		wantLife   []string
		wantCounts [][]int
	}{
		{"group:default/org", []string{"API", "Component"}, []string{"production", ""}, [][]int{{1, 0}, {1, 1}}},
		{"group:default/b", []string{"API", "Component"}, []string{"production", ""}, [][]int{{1, 0}, {1, 1}}},
		{"group:default/nobody", nil, nil, [][]int{}},
	}
	for _, tc := range tests {
		t.Run(tc.group, func(t *testing.T) {
			o := idx.ownedBy(idx.descendants(tc.group))
			if !slices.Equal(o.Kinds, tc.wantKinds) || !slices.Equal(o.Lifecycles, tc.wantLife) {
				t.Errorf("kinds %v lifecycles %v", o.Kinds, o.Lifecycles)
			}
			if fmt.Sprint(o.Counts) != fmt.Sprint(tc.wantCounts) {
				t.Errorf("counts: got %v, want %v", o.Counts, tc.wantCounts)
			}
		})
	}
}

func TestListCursorErrors(t *testing.T) {
	idx := sampleIndex()
	tests := []struct {
		name    string
		cursor  string
		wantErr bool
	}{
		{"not base64", "%%%", true},
		{"missing parts", listCursorText("name\x1fn"), true},
		{"bad direction", listCursorText("name\x1fx\x1fk\x1fr"), true},
		{"another sort's cursor starts over", listCursor{sort: "-kind", key: "x", ref: "y"}.encode(), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := idx.list(ListRequest{Cursor: tc.cursor})
			if (err != nil) != tc.wantErr {
				t.Fatalf("error: %v", err)
			}
			if err == nil && res.Items[0].Ref != "api:default/api-0" {
				t.Errorf("first item %s", res.Items[0].Ref)
			}
		})
	}
}

// listCursorText encodes raw cursor text as cursors are encoded.
func listCursorText(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// FuzzList feeds arbitrary URL state to the catalog list: it must never panic, and any page
// it returns holds only entities matching the filters, no more than asked for.
func FuzzList(f *testing.F) {
	idx := sampleIndex()
	first, _ := idx.list(ListRequest{Limit: 3})
	f.Add("component", "team-1", "go", "svc", "-owner", first.NextCursor, 3)
	f.Add("", "", "", "", "", "", 0)
	f.Add("API", "group:default/team-2", "node", "number 1", "lifecycle", "bmFtZR9wH3gfeQ", 1)
	f.Add("kind:weird/ref", ":", "", "\x00", "-", "////", -5)
	f.Fuzz(func(t *testing.T, kind, owner, tag, q, sort, cursor string, limit int) {
		req := ListRequest{Filters: map[string][]string{FacetKind: {kind}, FacetOwner: {owner}, FacetTag: {tag}}, Q: q, Sort: sort, Cursor: cursor, Limit: limit % 100}
		res, err := idx.list(req)
		if err != nil {
			return
		}
		max := req.Limit
		if max <= 0 {
			max = DefaultListLimit
		}
		if len(res.Items) > max || len(res.Items) > res.Total {
			t.Fatalf("%d items for limit %d and total %d", len(res.Items), max, res.Total)
		}
		for _, s := range res.Items {
			if k := strings.TrimSpace(kind); k != "" && !strings.EqualFold(s.Kind, k) {
				t.Fatalf("%s does not match kind %q", s.Ref, kind)
			}
		}
	})
}
