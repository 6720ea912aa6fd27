package views

// KindCount is the number of entities of one kind, linked to the filtered
// catalog.
type KindCount struct {
	Kind  string
	Count int
	Href  string
}

// HomePage is "/": the signed-in user's teams and their entities, errors
// that concern them, catalog counts and recent changes.
type HomePage struct {
	Page Page
	// Teams are the user's groups; empty for guests.
	Teams []EntityLink
	// TeamEntities are the entities the user's teams own.
	TeamEntities []EntityRow
	// Errors are processing errors on the teams' entities and locations.
	Errors []ProcessingError
	// Counts are the catalog totals per kind.
	Counts []KindCount
	// Recent are the most recently changed entities, newest first.
	Recent []EntityRow
}

// CatalogFilters is the current state of the catalog form, from the URL.
type CatalogFilters struct {
	Q    string
	Sort string
}

// FacetGroup is one filter of the catalog form with its options and counts.
type FacetGroup struct {
	Param   string // URL parameter: kind, type, owner, lifecycle, system, namespace, tag
	Label   string // "Kind"
	Options []FacetOption
	// Hidden counts the values with matches that are not listed, when a
	// filter has too many to show (owners, systems).
	Hidden int
}

// FacetOption is one value of a filter with the number of matching entities.
type FacetOption struct {
	Value    string // the parameter value, e.g. "group:default/team-a"
	Label    string // what is shown; falls back to Value
	Count    int
	Selected bool
}

// Text is what a facet option shows.
func (o FacetOption) Text() string {
	if o.Label != "" {
		return o.Label
	}
	return o.Value
}

// CatalogPage is "/catalog": the filter form and the entity table.
type CatalogPage struct {
	Page    Page
	Filters CatalogFilters
	Facets  []FacetGroup
	Table   CatalogTable
}

// SortColumn makes a catalog table column sortable. Href carries the whole
// catalog state with this column's sort applied (the handler builds it);
// columns without a SortColumn are plain headers.
type SortColumn struct {
	Key  string // "name", "kind", "type", "owner" or "lifecycle"
	Href string
	// Direction is "asc" or "desc" when the table is sorted by this
	// column, empty otherwise.
	Direction string
}

// CatalogTable is the part of the catalog page that htmx swaps in place.
type CatalogTable struct {
	Columns []SortColumn
	Rows    []EntityRow
	// Total is the number of entities matching the filters (all pages).
	Total int
	// Sort is the current sort value, kept in the form when htmx swaps.
	Sort string
	// PrevHref and NextHref are the cursor pagination links; empty when
	// there is no such page.
	PrevHref string
	NextHref string
}

// ImportPage is "/catalog-import": the form, then the dry run, then the
// result.
type ImportPage struct {
	Page      Page
	CSRFToken string
	// Target is the submitted path, glob or URL.
	Target string
	// FormError is a problem with the input itself (e.g. empty target).
	FormError string
	// DryRun is set after POST ImportURL.
	DryRun *ImportDryRun
	// Result is set after POST ImportConfirmURL.
	Result *ImportResult
}

// ImportDryRun is what registering the target would do.
type ImportDryRun struct {
	Entities []ImportEntity
	Errors   []ProcessingError
	// CanConfirm is false when nothing valid was found.
	CanConfirm bool
}

// ImportEntity is one entity found by a dry run.
type ImportEntity struct {
	Link EntityLink
	// Action is "create", "update" or "unchanged".
	Action string
}

// ImportResult is the registered location and what it brought in.
type ImportResult struct {
	Location EntityLink
	Entities []EntityLink
}

// APIDocsPage is "/api-docs": the API explorer.
type APIDocsPage struct {
	Page Page
	// Types filter the table; the form submits GET APIDocsURL?type=.
	Types []FacetOption
	Rows  []APIRow
	// Total is the number of APIs of the selected types (all pages).
	Total int
	// PrevHref and NextHref are the cursor pagination links; empty when
	// there is no such page.
	PrevHref string
	NextHref string
}

// APIRow is one API in the explorer.
type APIRow struct {
	Link        EntityLink
	Type        string
	Description string
	Owner       EntityLink
	System      EntityLink
	Lifecycle   string
	Providers   []EntityLink
	Consumers   []EntityLink
}

// TeamsPage is the teams index.
type TeamsPage struct {
	Page  Page
	Teams []TeamRow
}

// TeamRow is one group in the teams index.
type TeamRow struct {
	Link        EntityLink
	Type        string
	Description string
	Parent      EntityLink
	Members     int
	Owned       int
}

// NotFoundPage is the 404 page; it offers a catalog search.
type NotFoundPage struct {
	Page Page
	Path string
}

// ErrorPage is the page for 500 and other errors.
type ErrorPage struct {
	Page      Page
	Status    int
	Heading   string
	Messages  []string
	RequestID string
}
