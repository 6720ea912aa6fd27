package views

import (
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
