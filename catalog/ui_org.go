package catalog

import (
	"context"
	"slices"
	"strings"

	"github.com/keelson-dev/keelson/catalog/model"
)

// OwnedSummary counts owned entities by kind and lifecycle and lists them.
type OwnedSummary struct {
	// Lifecycles are the lifecycles seen, sorted, with "" (none) last when present.
	Lifecycles []string
	// Kinds are the kinds seen, sorted; Counts[i][j] counts kind i with lifecycle j.
	Kinds  []string
	Counts [][]int
	// Entities are the owned entities by kind, then title.
	Entities []Summary
}

// GroupDetail is the team page: the group, its parent, children and members, and what it owns
// directly or through its child groups at any depth.
type GroupDetail struct {
	EntityDetail
	Parent   string
	Children []Summary
	Members  []Summary
	Owned    OwnedSummary
}

// UserDetail is a person's page: their groups and what they own directly or through them.
type UserDetail struct {
	EntityDetail
	Groups []Summary
	Owned  OwnedSummary
}

// Group returns a group's page data.
func (u *UI) Group(ctx context.Context, ref model.Ref) (*GroupDetail, error) {
	d, err := u.Entity(ctx, ref)
	if err != nil {
		return nil, err
	}
	idx, err := u.index(ctx)
	if err != nil {
		return nil, err
	}
	g := &GroupDetail{EntityDetail: *d}
	self := d.Self
	if parents := self.Targets(model.RelationChildOf); len(parents) > 0 {
		g.Parent = parents[0]
	}
	for _, c := range self.Targets(model.RelationParentOf) {
		g.Children = append(g.Children, SummaryOf(d.Related, c))
	}
	for _, m := range self.Targets(model.RelationHasMember) {
		g.Members = append(g.Members, SummaryOf(d.Related, m))
	}
	sortSummaries(g.Children)
	sortSummaries(g.Members)
	g.Owned = idx.ownedBy(idx.descendants(ref.Key()))
	g.Related = idx.related(g.Related, g.Owned.Entities)
	return g, nil
}

// User returns a user's page data.
func (u *UI) User(ctx context.Context, ref model.Ref) (*UserDetail, error) {
	d, err := u.Entity(ctx, ref)
	if err != nil {
		return nil, err
	}
	idx, err := u.index(ctx)
	if err != nil {
		return nil, err
	}
	out := &UserDetail{EntityDetail: *d}
	owners := map[string]bool{ref.Key(): true}
	for _, g := range d.Self.Targets(model.RelationMemberOf) {
		out.Groups = append(out.Groups, SummaryOf(d.Related, g))
		owners[g] = true
	}
	sortSummaries(out.Groups)
	out.Owned = idx.ownedBy(owners)
	out.Related = idx.related(out.Related, out.Owned.Entities)
	return out, nil
}

// descendants returns the group and every group below it (cycle-safe).
func (x *uiIndex) descendants(key string) map[string]bool {
	out := map[string]bool{key: true}
	queue := []string{key}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		i, ok := x.byRef[k]
		if !ok {
			continue
		}
		for _, c := range x.entries[i].Targets(model.RelationParentOf) {
			if !out[c] {
				out[c] = true
				queue = append(queue, c)
			}
		}
	}
	return out
}

// ownedBy summarises the entities whose owner is one of owners.
func (x *uiIndex) ownedBy(owners map[string]bool) OwnedSummary {
	var o OwnedSummary
	for i := range x.entries {
		if e := &x.entries[i]; e.Owner != "" && owners[e.Owner] {
			o.Entities = append(o.Entities, e.Summary)
		}
	}
	kinds := map[string]bool{}
	lifecycles := map[string]bool{}
	for _, e := range o.Entities {
		kinds[e.Kind] = true
		lifecycles[e.Lifecycle] = true
	}
	for k := range kinds {
		o.Kinds = append(o.Kinds, k)
	}
	slices.Sort(o.Kinds)
	for l := range lifecycles {
		if l != "" {
			o.Lifecycles = append(o.Lifecycles, l)
		}
	}
	slices.Sort(o.Lifecycles)
	if lifecycles[""] {
		o.Lifecycles = append(o.Lifecycles, "")
	}
	o.Counts = make([][]int, len(o.Kinds))
	for i := range o.Counts {
		o.Counts[i] = make([]int, len(o.Lifecycles))
	}
	for _, e := range o.Entities {
		o.Counts[slices.Index(o.Kinds, e.Kind)][slices.Index(o.Lifecycles, e.Lifecycle)]++
	}
	slices.SortFunc(o.Entities, func(a, b Summary) int {
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		return compareSummaries(a, b)
	})
	return o
}

func compareSummaries(a, b Summary) int {
	if c := strings.Compare(strings.ToLower(a.Text()), strings.ToLower(b.Text())); c != 0 {
		return c
	}
	return strings.Compare(a.Ref, b.Ref)
}

func sortSummaries(s []Summary) { slices.SortFunc(s, compareSummaries) }

// TeamSummary is one group on the teams index.
type TeamSummary struct {
	Group   Summary
	Parent  Summary
	Members int
	// Owned counts the entities the group owns directly.
	Owned int
}

// Teams lists every group with its parent, member count and owned count.
func (u *UI) Teams(ctx context.Context) ([]TeamSummary, error) {
	idx, err := u.index(ctx)
	if err != nil {
		return nil, err
	}
	owned := map[string]int{}
	for i := range idx.entries {
		if o := idx.entries[i].Owner; o != "" {
			owned[o]++
		}
	}
	var out []TeamSummary
	for _, i := range idx.order[0] {
		e := &idx.entries[i]
		if !strings.EqualFold(e.Kind, "Group") {
			continue
		}
		t := TeamSummary{Group: e.Summary, Members: len(e.Targets(model.RelationHasMember)), Owned: owned[e.Ref]}
		if p := e.Targets(model.RelationChildOf); len(p) > 0 {
			if s, ok := idx.get(p[0]); ok {
				t.Parent = s
			} else {
				t.Parent = placeholder(p[0])
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// KindCount is the number of entities of one kind.
type KindCount struct {
	Kind  string
	Count int
}

// Home is the home page's data for a person in the given teams.
type Home struct {
	Teams []Summary
	// Owned are the entities the teams own, by kind then title.
	Owned []Summary
	// Errors are the processing errors about the teams' entities, or recorded against
	// descriptors that name one of the teams as owner.
	Errors []ProcessingError
	Counts []KindCount
	Recent []Summary
	// Related holds the summaries of the listed entities' owners and systems.
	Related map[string]Summary
}

// maxHomeErrors and maxRecent bound the home page's lists.
const (
	maxHomeErrors = 50
	maxRecent     = 10
)

// Home returns the home page's data; teams are group refs (the signed-in person's teams).
func (u *UI) Home(ctx context.Context, teams []string) (*Home, error) {
	idx, err := u.index(ctx)
	if err != nil {
		return nil, err
	}
	h := &Home{}
	owners := map[string]bool{}
	var keys []string
	for _, t := range teams {
		key := strings.ToLower(t)
		if owners[key] {
			continue
		}
		owners[key] = true
		keys = append(keys, key)
		if s, ok := idx.get(key); ok {
			h.Teams = append(h.Teams, s)
		} else {
			h.Teams = append(h.Teams, placeholder(key))
		}
	}
	if len(keys) > 0 {
		h.Owned = idx.ownedBy(owners).Entities
		q := u.svc.sqlText().w("SELECT p.source, p.line, p.field_path, p.name, p.message, p.subject_ref, p.entity_ref, p.created_at FROM processing_errors p WHERE p.owner_ref IN ").
			list(keys).w(" OR p.entity_ref IN (SELECT e.ref FROM entities e WHERE e.owner IN ").list(keys).
			w(") ORDER BY p.id LIMIT ").arg(maxHomeErrors)
		if h.Errors, err = u.problems(ctx, q); err != nil {
			return nil, err
		}
	}
	counts := map[string]int{}
	for i := range idx.entries {
		counts[idx.entries[i].Kind]++
	}
	for k, n := range counts {
		h.Counts = append(h.Counts, KindCount{Kind: k, Count: n})
	}
	slices.SortFunc(h.Counts, func(a, b KindCount) int { return strings.Compare(a.Kind, b.Kind) })
	for _, i := range idx.recent[:min(maxRecent, len(idx.recent))] {
		h.Recent = append(h.Recent, idx.entries[i].Summary)
	}
	h.Related = idx.withErrors(idx.related(idx.related(nil, h.Owned), h.Recent), h.Errors)
	return h, nil
}

// APIRow is one API in the explorer with who provides and consumes it.
type APIRow struct {
	API       Summary
	Owner     Summary
	System    Summary
	Providers []Summary
	Consumers []Summary
}

// APIList is one page of the API explorer: the APIs of the selected types with the count of
// every type.
type APIList struct {
	Rows  []APIRow
	Types []FacetOption
	// Total is the number of APIs of the selected types; the cursors lead to the pages
	// around this one.
	Total      int
	NextCursor string
	PrevCursor string
}

// DefaultAPILimit is the API explorer's page size.
const DefaultAPILimit = 50

// APIs lists a page of the APIs of the given types (all when none) by title, with who
// provides and consumes each.
func (u *UI) APIs(ctx context.Context, types []string, cursor string) (*APIList, error) {
	idx, err := u.index(ctx)
	if err != nil {
		return nil, err
	}
	res, err := idx.list(ListRequest{Filters: map[string][]string{FacetKind: {"api"}, FacetType: types}, Cursor: cursor, Limit: DefaultAPILimit})
	if err != nil {
		return nil, err
	}
	out := &APIList{Total: res.Total, NextCursor: res.NextCursor, PrevCursor: res.PrevCursor}
	for _, f := range res.Facets {
		if f.Param == FacetType {
			out.Types = f.Options
		}
	}
	resolve := func(ref string) Summary {
		if s, ok := idx.get(ref); ok {
			return s
		}
		return placeholder(ref)
	}
	for _, e := range res.Items {
		row := APIRow{API: e}
		if e.Owner != "" {
			row.Owner = resolve(e.Owner)
		}
		if e.System != "" {
			row.System = resolve(e.System)
		}
		for _, p := range e.Targets(model.RelationAPIProvidedBy) {
			row.Providers = append(row.Providers, resolve(p))
		}
		for _, c := range e.Targets(model.RelationAPIConsumedBy) {
			row.Consumers = append(row.Consumers, resolve(c))
		}
		sortSummaries(row.Providers)
		sortSummaries(row.Consumers)
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// Exists reports which of the given refs are in the catalog.
func (u *UI) Exists(ctx context.Context, refs []string) (map[string]bool, error) {
	idx, err := u.index(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range refs {
		if _, ok := idx.byRef[strings.ToLower(r)]; ok {
			out[strings.ToLower(r)] = true
		}
	}
	return out, nil
}
