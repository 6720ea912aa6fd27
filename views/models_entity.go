package views

import "html/template"

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
