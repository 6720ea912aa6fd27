package views

import (
	"html/template"
	"net/url"
	"strings"
	"time"
)

// CSRFField is the form field name every POST form uses for its CSRF token;
// the CSRF middleware must read the token from "form:_csrf".
const CSRFField = "_csrf"

// Fixed routes that forms in views post or submit to; the router registers
// the handlers under these paths.
const (
	// CatalogURL is the catalog list page; its filter form submits here.
	CatalogURL = "/catalog"
	// ImportURL shows the import form (GET) and answers a dry run (POST).
	ImportURL = "/catalog-import"
	// ImportConfirmURL registers the location after a dry run (POST).
	ImportConfirmURL = "/catalog-import/confirm"
	// APIDocsURL is the API explorer.
	APIDocsURL = "/api-docs"
	// TeamsURL is the teams index.
	TeamsURL = "/teams"
)

// Nav sections, used in Page.Active to mark the current navigation item.
const (
	NavHome    = "home"
	NavCatalog = "catalog"
	NavAPIs    = "apis"
	NavTeams   = "teams"
)

// EntityURL is the Backstage-style address of an entity page:
// /catalog/:namespace/:kind/:name with the kind in lower case.
func EntityURL(namespace, kind, name string) string {
	if namespace == "" {
		namespace = "default"
	}
	return "/catalog/" + url.PathEscape(namespace) + "/" +
		url.PathEscape(strings.ToLower(kind)) + "/" + url.PathEscape(name)
}

// Page is what the layout needs on every page. Handlers fill it once per
// request (a helper in handlers builds it from the session and config).
// The CSP nonce is not here: it travels in the context (templ.WithNonce).
type Page struct {
	// Title is the page-specific part of the document title; the layout
	// appends " · Keelson".
	Title string
	// Active is the navigation section to highlight (NavCatalog, ...).
	Active string
	// User is the signed-in user, nil when nobody is signed in.
	User *User
	// Banner is an optional notice across the top, e.g. "Signed in as guest".
	Banner string
	// Version is the product version shown in the footer.
	Version string
	// Query pre-fills the global search box.
	Query string
	// Assets holds the content-hashed URLs of the stylesheet and scripts.
	Assets AssetPaths
	// ExtraNav lists navigation sections added by later features, shown
	// after Catalog, APIs and Teams.
	ExtraNav []NavItem
	// SignInURL is linked when User is nil; empty hides the link.
	SignInURL string
	// SignOut, when set, renders a sign-out button posting to its URL.
	SignOut *SignOut
}

// SignOut is the sign-out form: a POST with a CSRF token.
type SignOut struct {
	URL       string
	CSRFToken string
}

// AssetPaths are the hashed URLs the layout links, from static.Assets.Path.
type AssetPaths struct {
	CSS     string // static.Path("css/app.css")
	AppJS   string // static.Path("js/app.js")
	HtmxJS  string // static.Path("js/htmx.min.js")
	Favicon string // static.Path("img/favicon.svg")
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	Key   string // compared with Page.Active
	Label string
	Href  string
}

// User is the signed-in person as the header shows them.
type User struct {
	DisplayName string
	// Href links to the user's entity page; empty renders plain text.
	Href string
}

// EntityLink is a reference to an entity as shown in a table or list.
// Href empty means the target is not in the catalog (a dangling ref): the
// text is shown without a link.
type EntityLink struct {
	Ref   string // canonical ref, e.g. "component:default/artist-web"
	Kind  string // "Component"
	Title string // metadata.title or, for people and groups, the display name; may be empty
	Href  string // EntityURL(...)
}

// Text is what a link shows: the title, or else the ref without its kind
// (the context names it) and without the default namespace, as Backstage
// shows refs: "team-a", "portefaix/infra".
func (l EntityLink) Text() string {
	if l.Title != "" {
		return l.Title
	}
	ref := l.Ref
	if i := strings.IndexByte(ref, ':'); i >= 0 {
		ref = ref[i+1:]
	}
	return strings.TrimPrefix(ref, "default/")
}

// IsZero reports whether the link is empty (no ref and no title).
func (l EntityLink) IsZero() bool { return l.Ref == "" && l.Title == "" }

// Link is an external link from metadata.links.
type Link struct {
	URL   string
	Title string // falls back to the URL
	// Icon is Backstage's icon name ("dashboard", "docs", "github", "chat",
	// "email", "help", "alert", "web", ...); unknown names get a generic icon.
	Icon string
	Type string
}

// KeyValue is one label or annotation.
type KeyValue struct {
	Key   string
	Value string
}

// EntityRow is one entity in a table (catalog list, home, team pages).
type EntityRow struct {
	Link        EntityLink
	Kind        string
	Type        string
	Namespace   string
	Owner       EntityLink
	System      EntityLink
	Lifecycle   string
	Description string
	Tags        []string
	// Updated is when the entity last changed; zero hides the column value.
	Updated time.Time
}

// ProcessingError is an ingestion or validation error, shown prominently.
type ProcessingError struct {
	// Entity is the entity the error belongs to; zero for errors that
	// stopped a whole document or location.
	Entity EntityLink
	// Location is the file or URL the error came from.
	Location string
	// Message says what is wrong.
	Message string
	// Occurred is when the error was recorded; zero hides it.
	Occurred time.Time
}

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

// EntityHeader is the top of an entity page.
type EntityHeader struct {
	Kind      string
	Type      string // spec.type, may be empty
	Namespace string
	Name      string
	Title     string // metadata.title or the display name; falls back to Name
	Ref       string
	Owner     EntityLink
	Lifecycle string
	Tags      []string
}

// Heading is the page heading: the title, or the name.
func (h EntityHeader) Heading() string {
	if h.Title != "" {
		return h.Title
	}
	return h.Name
}

// About is the entity's "About" card.
type About struct {
	Description string
	System      EntityLink
	Domain      EntityLink
	Parent      EntityLink // parent component, group or domain, when any
	Links       []Link
	// SourceURL, ViewURL and EditURL come from the
	// backstage.io/source-location, backstage.io/view-url and
	// backstage.io/edit-url annotations.
	SourceURL string
	ViewURL   string
	EditURL   string
	Labels    []KeyValue
	// Annotations are shown folded; the handler leaves out the ones above.
	Annotations []KeyValue
}

// RelationGroup is every relation of one type from this entity.
type RelationGroup struct {
	Type     string // "dependsOn"
	Label    string // "Depends on"
	Entities []EntityLink
}

// Diagram is the entity's neighbourhood, already laid out (package diagram
// computes positions; the handler copies them here). Units are SVG pixels.
type Diagram struct {
	Width  float64
	Height float64
	Nodes  []DiagramNode
	Edges  []DiagramEdge
}

// DiagramNode is one positioned box; X and Y are its top-left corner.
type DiagramNode struct {
	ID     string
	Label  string
	Kind   string
	Href   string
	Center bool
	X, Y   float64
	W, H   float64
}

// DiagramEdge is a directed, labelled edge drawn through Points.
type DiagramEdge struct {
	From   string
	To     string
	Label  string
	Points []Point
	// LabelAt is where the label's baseline starts or ends.
	LabelAt Point
	// LabelAnchor is SVG's text-anchor for the label: "start", "middle"
	// or "end"; empty means "middle".
	LabelAnchor string
}

// Point is a position in the diagram.
type Point struct{ X, Y float64 }

// EntityPage is "/catalog/:namespace/:kind/:name" for any kind.
type EntityPage struct {
	Page      Page
	Header    EntityHeader
	Errors    []ProcessingError
	About     About
	Relations []RelationGroup
	// Diagram is nil when the entity has no relations to draw.
	Diagram *Diagram
	// API is set for API entities.
	API *APIDefinition
	// Location is set for Location entities.
	Location *LocationActions
}

// APIDefinition is an API entity's spec.definition prepared for reading.
type APIDefinition struct {
	// Type is spec.type: openapi, asyncapi, graphql, grpc, trpc, ...
	Type        string
	Title       string
	Version     string
	Description string
	// Error says why the definition could not be read (with the line when
	// known); the raw text is shown regardless.
	Error   string
	Servers []string
	// OperationGroups are OpenAPI operations grouped by tag.
	OperationGroups []OperationGroup
	// Channels are AsyncAPI channels.
	Channels []Channel
	// Highlighted is the definition as syntax-highlighted HTML with class
	// names (GraphQL, gRPC); it must come from a trusted highlighter.
	Highlighted template.HTML
	// Raw is the definition text, always shown in a <details> with a copy
	// button.
	Raw string
}

// OperationGroup is the OpenAPI operations under one tag.
type OperationGroup struct {
	Tag         string
	Description string
	Operations  []Operation
}

// Operation is one OpenAPI operation.
type Operation struct {
	Method      string // upper case
	Path        string
	OperationID string
	Summary     string
	Description string
	Deprecated  bool
	Parameters  []Parameter
	// RequestBody lists the request body media types.
	RequestBody []string
	Responses   []Response
}

// Parameter is one OpenAPI operation parameter.
type Parameter struct {
	In          string // path, query, header, cookie
	Name        string
	Required    bool
	Type        string // schema type, e.g. "integer", "array of string"
	Description string
}

// Response is one OpenAPI response.
type Response struct {
	Code        string
	Description string
}

// Channel is one AsyncAPI channel.
type Channel struct {
	Name        string
	Description string
	Operations  []ChannelOperation
}

// ChannelOperation is a publish/subscribe (2.x) or send/receive (3.x)
// operation on a channel.
type ChannelOperation struct {
	Action      string
	OperationID string
	Summary     string
	Messages    []string
}

// LocationActions are the refresh and unregister buttons of a Location.
type LocationActions struct {
	Target        string
	Type          string // "url", "file", ...
	RefreshURL    string
	UnregisterURL string
	CSRFToken     string
}

// Profile is spec.profile of a group or user.
type Profile struct {
	DisplayName string
	Email       string
	Picture     string
}

// Member is a group member.
type Member struct {
	Link  EntityLink
	Email string
}

// OwnershipSummary counts owned entities by kind (rows) and lifecycle
// (columns).
type OwnershipSummary struct {
	Lifecycles []string
	Rows       []OwnershipRow
}

// OwnershipRow is one kind's counts, aligned with OwnershipSummary.Lifecycles.
type OwnershipRow struct {
	Kind   string
	Counts []int
	Total  int
}

// GroupPage is the team page: a Group entity.
type GroupPage struct {
	Page     Page
	Header   EntityHeader
	Errors   []ProcessingError
	Profile  Profile
	About    About
	Parent   EntityLink
	Children []EntityLink
	Members  []Member
	// Summary counts what the group owns directly or through child groups.
	Summary OwnershipSummary
	// Owned lists those entities; Owner shows which group owns each.
	Owned []EntityRow
}

// UserPage is a User entity's page.
type UserPage struct {
	Page    Page
	Header  EntityHeader
	Errors  []ProcessingError
	Profile Profile
	About   About
	Groups  []EntityLink
	Summary OwnershipSummary
	// Owned is what the user owns directly or through their groups.
	Owned []EntityRow
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
