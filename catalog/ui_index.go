package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/keelson-dev/keelson/catalog/model"
)

// UI answers the web pages' questions: the filtered, faceted and sorted catalog list, entity,
// team and user pages, the home page and the API explorer. It reads from the same entities
// table as the API, through an in-memory index of every entity's summary that is rebuilt when
// the table changes (checked on every call with one cheap query), so pages that filter and
// count ten thousand entities stay fast on SQLite and PostgreSQL alike.
type UI struct {
	svc *Service

	mu      sync.Mutex // serialises rebuilds
	idx     *uiIndex   // replaced whole, never mutated once built
	checked time.Time  // when idx was last found current
}

// UIRecheck is how long the UI trusts its index before checking the table again. Changes made
// through the UI call Invalidate and show at once; changes by other replicas, the refresh loop
// or the API show within this time.
const UIRecheck = 100 * time.Millisecond

// NewUI returns the page query layer over svc.
func NewUI(svc *Service) *UI { return &UI{svc: svc} }

// Invalidate makes the next call check the table, after a change made through the UI.
func (u *UI) Invalidate() {
	u.mu.Lock()
	u.checked = time.Time{}
	u.mu.Unlock()
}

// Service returns the catalog service the UI reads.
func (u *UI) Service() *Service { return u.svc }

// Summary is what the pages show of an entity wherever it is listed or linked.
type Summary struct {
	// Ref is the lower-cased entity ref, "component:default/artist-web".
	Ref       string
	Kind      string
	Namespace string
	Name      string
	// Title is metadata.title, or spec.profile.displayName for groups and users, or
	// spec.target for Locations.
	Title       string
	Type        string
	Lifecycle   string
	Description string
	// Owner and System are the lower-cased refs of spec.owner and spec.system, or "".
	Owner   string
	System  string
	Tags    []string
	Email   string
	Picture string
	Updated time.Time
	// Relations are the entity's stitched relations, targets lower-cased.
	Relations []model.Relation
	// Dangling is set on the stand-in summary of a ref that is not in the catalog.
	Dangling bool
}

// Text is what a link to the entity shows: the title or the name.
func (s Summary) Text() string {
	if s.Title != "" {
		return s.Title
	}
	return s.Name
}

// Targets lists the targets of the entity's relations of one type.
func (s Summary) Targets(relationType string) []string {
	var out []string
	for _, r := range s.Relations {
		if r.Type == relationType {
			out = append(out, r.TargetRef)
		}
	}
	return out
}

// The catalog list's filters, by URL parameter name, in the order the page shows them.
const (
	FacetKind      = "kind"
	FacetType      = "type"
	FacetOwner     = "owner"
	FacetLifecycle = "lifecycle"
	FacetSystem    = "system"
	FacetNamespace = "namespace"
	FacetTag       = "tag"
)

// ListFacets are the filter parameters of the catalog list in display order.
var listFacets = [...]string{FacetKind, FacetType, FacetOwner, FacetLifecycle, FacetSystem, FacetNamespace, FacetTag}

// ListFacets returns the filter parameters of the catalog list in display order.
func ListFacets() []string { return listFacets[:] }

const (
	nFacets   = len(listFacets)
	facetTags = nFacets - 1 // the only multi-valued facet
)

// Sort fields of the catalog list.
var sortFields = [...]string{"name", "kind", "type", "owner", "lifecycle"}

// SortFields returns the sortable columns of the catalog list.
func SortFields() []string { return sortFields[:] }

// uiIndex is an immutable snapshot of every entity's summary with its facet values interned
// and the entities pre-sorted by every sortable column.
type uiIndex struct {
	stamp   string
	entries []uiEntry
	byRef   map[string]int32
	// values and labels map facet value ids to the lower-cased value and its display label.
	values [nFacets][]string
	labels [nFacets][]string
	ids    [nFacets]map[string]int32
	// order holds, per sort field, entry indexes in ascending (key, ref) order.
	order [len(sortFields)][]int32
	// recent holds entry indexes newest first.
	recent []int32

	memoMu sync.Mutex
	memo   map[string]*selectionResult // by selectionKey; cleared when full
}

type uiEntry struct {
	Summary
	facet [nFacets - 1]int32 // single-valued facets; -1 when unset
	tags  []int32
	text  string // lower-cased name, title, description and tags for q
	keys  [len(sortFields)]string
}

// index returns a snapshot that reflects the entities table as it is now.
func (u *UI) index(ctx context.Context) (*uiIndex, error) {
	now := u.svc.clock()
	u.mu.Lock()
	if idx := u.idx; idx != nil && !u.checked.IsZero() && now.Sub(u.checked) < UIRecheck && now.After(u.checked) {
		u.mu.Unlock()
		return idx, nil
	}
	u.mu.Unlock()
	stamp, err := u.stamp(ctx)
	if err != nil {
		return nil, err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.idx == nil || u.idx.stamp != stamp {
		idx, err := u.build(ctx, stamp)
		if err != nil {
			return nil, err
		}
		u.idx = idx
	}
	u.checked = now
	return u.idx, nil
}

// stamp identifies the table's state: every write sets updated_at, and a removal changes the
// count.
func (u *UI) stamp(ctx context.Context) (string, error) {
	rows, err := query(ctx, u.svc.db.SQL, u.svc.sqlText().
		w("SELECT (SELECT COUNT(*) FROM entities), (SELECT MAX(updated_at) FROM entities)"))
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var n int64
	var latest any
	if rows.Next() {
		if err := rows.Scan(&n, &latest); err != nil {
			return "", fmt.Errorf("catalog: scan entities stamp: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("catalog: entities stamp: %w", err)
	}
	if t, ok := latest.(time.Time); ok {
		latest = t.UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprintf("%d|%v", n, latest), nil
}

// uiBody is the part of a stored body the index reads.
type uiBody struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name        string   `json:"name"`
		Namespace   string   `json:"namespace"`
		Title       string   `json:"title"`
		Description string   `json:"description"`
		Tags        []string `json:"tags"`
	} `json:"metadata"`
	Spec      map[string]json.RawMessage `json:"spec"`
	Relations []model.Relation           `json:"relations"`
}

func specString(spec map[string]json.RawMessage, key string) string {
	raw, ok := spec[key]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

type uiProfile struct {
	DisplayName string `json:"displayName"`
	Email       string `json:"email"`
	Picture     string `json:"picture"`
}

// summaryOf reads a stored body into a summary.
func summaryOf(key string, body []byte, updated time.Time) (Summary, error) {
	var b uiBody
	if err := json.Unmarshal(body, &b); err != nil {
		return Summary{}, fmt.Errorf("catalog: decode %s: %w", key, err)
	}
	ns := b.Metadata.Namespace
	if ns == "" {
		ns = model.DefaultNamespace
	}
	s := Summary{
		Ref: key, Kind: b.Kind, Namespace: ns, Name: b.Metadata.Name, Title: b.Metadata.Title,
		Description: b.Metadata.Description, Tags: b.Metadata.Tags, Updated: updated, Relations: b.Relations,
		Type: specString(b.Spec, "type"), Lifecycle: specString(b.Spec, "lifecycle"),
	}
	for i := range s.Relations {
		s.Relations[i].TargetRef = strings.ToLower(s.Relations[i].TargetRef)
	}
	if raw, ok := b.Spec["profile"]; ok {
		var p uiProfile
		if json.Unmarshal(raw, &p) == nil {
			if s.Title == "" {
				s.Title = p.DisplayName
			}
			s.Email, s.Picture = p.Email, p.Picture
		}
	}
	if s.Title == "" && strings.EqualFold(s.Kind, "Location") {
		// A generated Location's name is a hash; its target says what it is.
		s.Title = specString(b.Spec, "target")
	}
	ctx := model.RefContext{DefaultNamespace: ns}
	if owner := specString(b.Spec, "owner"); owner != "" {
		ctx.DefaultKind = "group"
		if r, err := model.ParseRef(owner, ctx); err == nil {
			s.Owner = r.Key()
		}
	}
	if system := specString(b.Spec, "system"); system != "" {
		ctx.DefaultKind = "system"
		if r, err := model.ParseRef(system, ctx); err == nil {
			s.System = r.Key()
		}
	}
	return s, nil
}

// build reads every entity and prepares the snapshot.
func (u *UI) build(ctx context.Context, stamp string) (*uiIndex, error) {
	rows, err := query(ctx, u.svc.db.SQL, u.svc.sqlText().w("SELECT e.ref, e.updated_at, e.body FROM entities e ORDER BY e.ref"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var summaries []Summary
	for rows.Next() {
		var key string
		var updated sql.NullTime
		var body []byte
		if err := rows.Scan(&key, &updated, &body); err != nil {
			return nil, fmt.Errorf("catalog: scan entity: %w", err)
		}
		s, err := summaryOf(key, body, updated.Time.UTC())
		if err != nil {
			u.svc.log.Warn("catalog: entity left out of the page index", slog.String("ref", key), slog.Any("error", err))
			continue
		}
		summaries = append(summaries, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: read entities: %w", err)
	}
	return newIndex(stamp, summaries), nil
}

// newIndex interns and sorts the summaries (refs unique and lower-cased).
func newIndex(stamp string, summaries []Summary) *uiIndex {
	idx := &uiIndex{stamp: stamp, byRef: make(map[string]int32, len(summaries)), entries: make([]uiEntry, len(summaries))}
	for i := range idx.ids {
		idx.ids[i] = map[string]int32{}
	}
	for i, s := range summaries {
		idx.byRef[s.Ref] = int32(i)
		idx.entries[i].Summary = s
	}
	for i := range idx.entries {
		idx.prepare(&idx.entries[i])
	}
	idx.sort()
	return idx
}

// intern returns the id of a facet value, registering it with its label.
func (x *uiIndex) intern(facet int, value, label string) int32 {
	if value == "" {
		return -1
	}
	key := strings.ToLower(value)
	if id, ok := x.ids[facet][key]; ok {
		return id
	}
	id := int32(len(x.values[facet]))
	x.ids[facet][key] = id
	x.values[facet] = append(x.values[facet], key)
	x.labels[facet] = append(x.labels[facet], label)
	return id
}

// text is the display text of a ref: the entity's title or name, or the ref without its kind
// and default namespace when the entity is not in the catalog.
func (x *uiIndex) text(ref string) string {
	if i, ok := x.byRef[ref]; ok {
		return x.entries[i].Text()
	}
	return shortRef(ref)
}

// shortRef drops the kind and the default namespace of a ref, as Backstage shows refs.
func shortRef(ref string) string {
	if i := strings.IndexByte(ref, ':'); i >= 0 {
		ref = ref[i+1:]
	}
	return strings.TrimPrefix(ref, "default/")
}

func (x *uiIndex) prepare(e *uiEntry) {
	e.facet[0] = x.intern(0, e.Kind, e.Kind)
	e.facet[1] = x.intern(1, e.Type, e.Type)
	e.facet[2] = x.intern(2, e.Owner, x.text(e.Owner))
	e.facet[3] = x.intern(3, e.Lifecycle, e.Lifecycle)
	e.facet[4] = x.intern(4, e.System, x.text(e.System))
	e.facet[5] = x.intern(5, e.Namespace, e.Namespace)
	for _, t := range e.Tags {
		if id := x.intern(facetTags, t, t); id >= 0 && !slices.Contains(e.tags, id) {
			e.tags = append(e.tags, id)
		}
	}
	var b strings.Builder
	b.WriteString(e.Name)
	b.WriteByte('\n')
	b.WriteString(e.Title)
	b.WriteByte('\n')
	b.WriteString(e.Description)
	for _, t := range e.Tags {
		b.WriteByte('\n')
		b.WriteString(t)
	}
	e.text = strings.ToLower(b.String())
	name := strings.ToLower(e.Text())
	ownerText := ""
	if e.Owner != "" {
		ownerText = strings.ToLower(x.text(e.Owner))
	}
	// Empty values sort after every value; the name breaks ties.
	for i, v := range [...]string{"", strings.ToLower(e.Kind), strings.ToLower(e.Type), ownerText, strings.ToLower(e.Lifecycle)} {
		if i == 0 {
			e.keys[0] = name
			continue
		}
		if v == "" {
			e.keys[i] = "\x01\x00" + name
		} else {
			e.keys[i] = "\x00" + v + "\x00" + name
		}
	}
}

func (x *uiIndex) sort() {
	n := len(x.entries)
	for f := range x.order {
		perm := make([]int32, n)
		for i := range perm {
			perm[i] = int32(i)
		}
		slices.SortFunc(perm, func(a, b int32) int { return x.compare(f, a, b) })
		x.order[f] = perm
	}
	x.recent = make([]int32, n)
	for i := range x.recent {
		x.recent[i] = int32(i)
	}
	slices.SortFunc(x.recent, func(a, b int32) int {
		if c := x.entries[b].Updated.Compare(x.entries[a].Updated); c != 0 {
			return c
		}
		return strings.Compare(x.entries[a].Ref, x.entries[b].Ref)
	})
}

func (x *uiIndex) compare(field int, a, b int32) int {
	ea, eb := &x.entries[a], &x.entries[b]
	if c := strings.Compare(ea.keys[field], eb.keys[field]); c != 0 {
		return c
	}
	return strings.Compare(ea.Ref, eb.Ref)
}

// Lookup returns the summaries of the given refs that are in the catalog, by lower-cased ref.
func (u *UI) Lookup(ctx context.Context, refs []string) (map[string]Summary, error) {
	idx, err := u.index(ctx)
	if err != nil {
		return nil, err
	}
	return idx.lookup(refs), nil
}

func (x *uiIndex) lookup(refs []string) map[string]Summary {
	out := make(map[string]Summary, len(refs))
	for _, r := range refs {
		key := strings.ToLower(r)
		if i, ok := x.byRef[key]; ok {
			out[key] = x.entries[i].Summary
		}
	}
	return out
}

// related returns the summaries of the owners and systems of items, for their table rows.
func (x *uiIndex) related(into map[string]Summary, items []Summary) map[string]Summary {
	if into == nil {
		into = map[string]Summary{}
	}
	for _, s := range items {
		for _, r := range [2]string{s.Owner, s.System} {
			if r == "" {
				continue
			}
			if _, ok := into[r]; ok {
				continue
			}
			if i, ok := x.byRef[r]; ok {
				into[r] = x.entries[i].Summary
			}
		}
	}
	return into
}

// withErrors adds the summaries of the entities errors are about.
func (x *uiIndex) withErrors(into map[string]Summary, errs []ProcessingError) map[string]Summary {
	if into == nil {
		into = map[string]Summary{}
	}
	for _, e := range errs {
		if i, ok := x.byRef[e.Entity]; ok {
			into[e.Entity] = x.entries[i].Summary
		}
	}
	return into
}

func (x *uiIndex) get(ref string) (Summary, bool) {
	i, ok := x.byRef[strings.ToLower(ref)]
	if !ok {
		return Summary{}, false
	}
	return x.entries[i].Summary, true
}
