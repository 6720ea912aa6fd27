package catalog

import (
	"context"
	"encoding/base64"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/keelson-dev/keelson/catalog/model"
)

// DefaultListLimit is the catalog list's page size: a screenful of rows.
const DefaultListLimit = 20

// ListRequest is the catalog list's state as the URL carries it.
type ListRequest struct {
	// Filters holds the selected values of each facet (kind, type, owner, lifecycle, system,
	// namespace, tag); values of one facet are alternatives, facets must all match. Owner and
	// system values are entity refs; the others compare case-insensitively.
	Filters map[string][]string
	// Q is text every word of which must appear in the name, title, description or tags.
	Q string
	// Sort is a sort field, "-" before it for descending; empty sorts by name.
	Sort string
	// Cursor is a page cursor from a previous ListResult.
	Cursor string
	// Limit is the page size; 0 means DefaultListLimit.
	Limit int
	// MaxOptions, when positive, keeps only the facet options with the most matches, and
	// every selected one, so a facet with hundreds of values (owners, systems) stays short.
	MaxOptions int
}

// ListResult is one page of the catalog list with the counts its filters show.
type ListResult struct {
	Items []Summary
	// Total is the number of entities matching every filter.
	Total int
	// Facets are in ListFacets order; each option counts the entities that match the text
	// and every other facet's selection.
	Facets []Facet
	// SortField and Desc are the sort applied.
	SortField string
	Desc      bool
	// Related holds the summaries of the items' owners and systems.
	Related map[string]Summary
	// NextCursor and PrevCursor lead to the pages around this one; empty when there is none.
	NextCursor string
	PrevCursor string
}

// Facet is one filter of the catalog list with the count of each value.
type Facet struct {
	Param   string
	Options []FacetOption
	// Hidden counts the values with matches left out by ListRequest.MaxOptions.
	Hidden int
}

// FacetOption is one value of a facet.
type FacetOption struct {
	// Value is the lower-cased value as the URL carries it (a full ref for owner and system).
	Value    string
	Label    string
	Count    int
	Selected bool
}

// ParseSort splits a sort parameter into a known field and its direction; an unknown field
// sorts by name.
func ParseSort(s string) (field string, desc bool) {
	desc = strings.HasPrefix(s, "-")
	field = strings.ToLower(strings.TrimPrefix(s, "-"))
	if !slices.Contains(sortFields[:], field) {
		return "name", false
	}
	return field, desc
}

// normalizeFacetValue turns a URL value into the index's lower-cased key.
func normalizeFacetValue(facet int, v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	kind := ""
	switch listFacets[facet] {
	case FacetOwner:
		kind = "group"
	case FacetSystem:
		kind = "system"
	default:
		return strings.ToLower(v)
	}
	r, err := model.ParseRef(v, model.RefContext{DefaultKind: kind})
	if err != nil {
		return strings.ToLower(v)
	}
	return r.Key()
}

// listCursor is where a page starts: after (or, going back, before) the entity with this sort
// key and ref.
type listCursor struct {
	sort string
	prev bool
	key  string
	ref  string
}

func (c listCursor) encode() string {
	dir := "n"
	if c.prev {
		dir = "p"
	}
	return base64.RawURLEncoding.EncodeToString([]byte(c.sort + "\x1f" + dir + "\x1f" + c.key + "\x1f" + c.ref))
}

func decodeListCursor(s string) (listCursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return listCursor{}, inputErrorf("Malformed cursor: could not be parsed")
	}
	parts := strings.SplitN(string(raw), "\x1f", 4)
	if len(parts) != 4 || (parts[1] != "n" && parts[1] != "p") {
		return listCursor{}, inputErrorf("Malformed cursor: could not be parsed")
	}
	return listCursor{sort: parts[0], prev: parts[1] == "p", key: parts[2], ref: parts[3]}, nil
}

// List answers the catalog page: the filtered page of entities, the total, the facet counts
// and the cursors around the page, in one pass over the index.
func (u *UI) List(ctx context.Context, req ListRequest) (*ListResult, error) {
	idx, err := u.index(ctx)
	if err != nil {
		return nil, err
	}
	return idx.list(req)
}

func (x *uiIndex) list(req ListRequest) (*ListResult, error) {
	limit := req.Limit
	if limit <= 0 {
		limit = DefaultListLimit
	}
	field, desc := ParseSort(req.Sort)
	sortIdx := slices.Index(sortFields[:], field)
	sortParam := field
	if desc {
		sortParam = "-" + field
	}
	var cur *listCursor
	if req.Cursor != "" {
		c, err := decodeListCursor(req.Cursor)
		if err != nil {
			return nil, err
		}
		if c.sort == sortParam {
			cur = &c
		}
	}

	// Selections per facet as value ids; a selected value unknown to the catalog matches
	// nothing but is still shown.
	var selected [nFacets]map[int32]bool
	var unknown [nFacets][]string
	for f, param := range listFacets {
		for _, v := range req.Filters[param] {
			key := normalizeFacetValue(f, v)
			if key == "" {
				continue
			}
			if selected[f] == nil {
				selected[f] = map[int32]bool{}
			}
			if id, ok := x.ids[f][key]; ok {
				selected[f][id] = true
			} else if !slices.Contains(unknown[f], key) {
				unknown[f] = append(unknown[f], key)
			}
		}
	}
	words := strings.Fields(strings.ToLower(req.Q))

	sel := x.selection(selected, unknown, words, req.MaxOptions)
	res := &ListResult{Total: sel.total, SortField: field, Desc: desc, Facets: sel.facets}
	x.page(res, sortIdx, sortParam, desc, cur, sel.matched, limit)
	res.Related = x.related(nil, res.Items)
	return res, nil
}

// selectionResult is what one set of filters selects: the matching entries, their number and
// the facet counts. It depends only on the filters and the snapshot, so it is kept for the
// next page, sort or visitor asking for the same filters.
type selectionResult struct {
	matched []bool
	total   int
	facets  []Facet
}

// maxSelections bounds the remembered selections per snapshot.
const maxSelections = 256

func selectionKey(selected [nFacets]map[int32]bool, unknown [nFacets][]string, words []string, maxOptions int) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(maxOptions))
	b.WriteByte('|')
	for f := range selected {
		ids := make([]int, 0, len(selected[f]))
		for id := range selected[f] {
			ids = append(ids, int(id))
		}
		slices.Sort(ids)
		for _, id := range ids {
			b.WriteString(strconv.Itoa(id))
			b.WriteByte(',')
		}
		for _, u := range unknown[f] {
			b.WriteString(u)
			b.WriteByte('\x1f')
		}
		if selected[f] != nil {
			b.WriteByte('+')
		}
		b.WriteByte('|')
	}
	for _, w := range words {
		b.WriteString(w)
		b.WriteByte('\x1f')
	}
	return b.String()
}

func (x *uiIndex) selection(selected [nFacets]map[int32]bool, unknown [nFacets][]string, words []string, maxOptions int) *selectionResult {
	key := selectionKey(selected, unknown, words, maxOptions)
	x.memoMu.Lock()
	if r, ok := x.memo[key]; ok {
		x.memoMu.Unlock()
		return r
	}
	x.memoMu.Unlock()
	r := x.count(selected, unknown, words, maxOptions)
	x.memoMu.Lock()
	if x.memo == nil || len(x.memo) >= maxSelections {
		x.memo = map[string]*selectionResult{}
	}
	x.memo[key] = r
	x.memoMu.Unlock()
	return r
}

// count makes one pass over the index: an entry that fails no facet matches; one that fails
// exactly one facet still counts towards that facet's options, so each facet's counts show
// what choosing another value of it would give.
func (x *uiIndex) count(selected [nFacets]map[int32]bool, unknown [nFacets][]string, words []string, maxOptions int) *selectionResult {
	var counts [nFacets][]int
	for f := range counts {
		counts[f] = make([]int, len(x.values[f]))
	}
	matched := make([]bool, len(x.entries))
	total := 0
	for i := range x.entries {
		e := &x.entries[i]
		if !containsAll(e.text, words) {
			continue
		}
		failed, misses := -1, 0
		for f := 0; f < nFacets && misses < 2; f++ {
			if selected[f] != nil && !e.matches(f, selected[f]) {
				failed = f
				misses++
			}
		}
		switch misses {
		case 0:
			matched[i] = true
			total++
			for f := 0; f < facetTags; f++ {
				if id := e.facet[f]; id >= 0 {
					counts[f][id]++
				}
			}
			for _, id := range e.tags {
				counts[facetTags][id]++
			}
		case 1:
			if failed == facetTags {
				for _, id := range e.tags {
					counts[facetTags][id]++
				}
			} else if id := e.facet[failed]; id >= 0 {
				counts[failed][id]++
			}
		}
	}

	r := &selectionResult{matched: matched, total: total}
	for f, param := range listFacets {
		r.facets = append(r.facets, x.facet(f, param, counts[f], selected[f], unknown[f], maxOptions))
	}
	return r
}
func containsAll(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

func (e *uiEntry) matches(f int, sel map[int32]bool) bool {
	if f == facetTags {
		for _, id := range e.tags {
			if sel[id] {
				return true
			}
		}
		return false
	}
	return e.facet[f] >= 0 && sel[e.facet[f]]
}

// facet lists the values with matches, and every selected value, by label.
func (x *uiIndex) facet(f int, param string, counts []int, sel map[int32]bool, unknown []string, maxOptions int) Facet {
	out := Facet{Param: param}
	var ids []int
	for id, n := range counts {
		if n > 0 || sel[int32(id)] {
			ids = append(ids, id)
		}
	}
	if maxOptions > 0 && len(ids) > maxOptions {
		byCount := slices.Clone(ids)
		slices.SortStableFunc(byCount, func(a, b int) int { return counts[b] - counts[a] })
		keep := make(map[int]bool, maxOptions)
		for i, id := range byCount {
			if i < maxOptions || sel[int32(id)] {
				keep[id] = true
			}
		}
		before := len(ids)
		ids = slices.DeleteFunc(ids, func(id int) bool { return !keep[id] })
		out.Hidden = before - len(ids)
	}
	for _, id := range ids {
		out.Options = append(out.Options, FacetOption{Value: x.values[f][id], Label: x.labels[f][id], Count: counts[id], Selected: sel[int32(id)]})
	}
	for _, v := range unknown {
		label := v
		if param == FacetOwner || param == FacetSystem {
			label = shortRef(v)
		}
		out.Options = append(out.Options, FacetOption{Value: v, Label: label, Selected: true})
	}
	sort.Slice(out.Options, func(i, j int) bool {
		a, b := strings.ToLower(out.Options[i].Label), strings.ToLower(out.Options[j].Label)
		if a != b {
			return a < b
		}
		return out.Options[i].Value < out.Options[j].Value
	})
	return out
}

// page collects one page of matched entries in sort order, starting at the cursor.
func (x *uiIndex) page(res *ListResult, sortIdx int, sortParam string, desc bool, cur *listCursor, matched []bool, limit int) {
	perm := x.order[sortIdx]
	n := len(perm)
	// lo is the first position at or after the cursor, hi the first after it.
	lo, hi := 0, 0
	if cur != nil {
		lo = sort.Search(n, func(k int) bool { return x.cmpKey(sortIdx, perm[k], cur.key, cur.ref) >= 0 })
		hi = lo
		if hi < n && x.cmpKey(sortIdx, perm[hi], cur.key, cur.ref) == 0 {
			hi++
		}
	}
	// Walking forward in the shown order means up the ascending permutation unless desc.
	start, step := 0, 1
	switch {
	case cur == nil && desc:
		start, step = n-1, -1
	case cur == nil:
	case !cur.prev && !desc:
		start, step = hi, 1
	case !cur.prev && desc:
		start, step = lo-1, -1
	case cur.prev && !desc:
		start, step = lo-1, -1
	default:
		start, step = hi, 1
	}
	got := make([]int32, 0, min(limit+1, n))
	k := start
	for ; k >= 0 && k < n && len(got) <= limit; k += step {
		if matched[perm[k]] {
			got = append(got, perm[k])
		}
	}
	more := len(got) > limit
	if more {
		got = got[:limit]
	}
	backwards := cur != nil && cur.prev
	if backwards {
		slices.Reverse(got)
	}
	res.Items = make([]Summary, len(got))
	for j, i := range got {
		res.Items[j] = x.entries[i].Summary
	}
	if len(got) == 0 {
		return
	}
	pos := func(entry int32) int {
		return sort.Search(n, func(k int) bool { return x.compare(sortIdx, perm[k], entry) >= 0 })
	}
	// forward is the direction of the ascending permutation that the shown order follows.
	forward := 1
	if desc {
		forward = -1
	}
	first, last := got[0], got[len(got)-1]
	hasNext := (!backwards && more) || (backwards && x.anyMatched(perm, matched, pos(last)+forward, forward))
	hasPrev := (backwards && more) || (!backwards && cur != nil && x.anyMatched(perm, matched, pos(first)-forward, -forward))
	if hasNext {
		res.NextCursor = listCursor{sort: sortParam, key: x.entries[last].keys[sortIdx], ref: x.entries[last].Ref}.encode()
	}
	if hasPrev {
		res.PrevCursor = listCursor{sort: sortParam, prev: true, key: x.entries[first].keys[sortIdx], ref: x.entries[first].Ref}.encode()
	}
}

func (x *uiIndex) cmpKey(sortIdx int, entry int32, key, ref string) int {
	e := &x.entries[entry]
	if c := strings.Compare(e.keys[sortIdx], key); c != 0 {
		return c
	}
	return strings.Compare(e.Ref, ref)
}

func (x *uiIndex) anyMatched(perm []int32, matched []bool, from, step int) bool {
	for k := from; k >= 0 && k < len(perm); k += step {
		if matched[perm[k]] {
			return true
		}
	}
	return false
}
