// Package views holds Keelson's HTML: templ components, the layout, and the
// view-model structs the components render. A view model carries exactly what
// a page shows, already mapped from the domain by a handler; views never
// queries anything and imports only templ and the standard library.
//
// # Pages and their models
//
//	HomeView(HomePage)          GET /
//	CatalogView(CatalogPage)    GET /catalog (full page)
//	CatalogTablePartial(CatalogTable)
//	                            GET /catalog with "HX-Request: true" (an htmx
//	                            swap; the layout makes htmx restore history
//	                            without that header, so the full page is
//	                            right then); send "Vary: HX-Request"
//	EntityView(EntityPage)      GET /catalog/:namespace/:kind/:name, any kind
//	                            (API entities set API, Locations set Location)
//	GroupView(GroupPage)        the same URL for kind Group
//	UserView(UserPage)          the same URL for kind User
//	ImportView(ImportPage)      GET and POST ImportURL, POST ImportConfirmURL
//	APIDocsView(APIDocsPage)    GET APIDocsURL
//	TeamsView(TeamsPage)        GET TeamsURL
//	NotFoundView(NotFoundPage)  404
//	ErrorView(ErrorPage)        500 (with the request id) and other errors
//
// # Rendering
//
// Render into a buffer with the request's context, after putting the CSP
// nonce in it with templ.WithNonce(ctx, nonce); the layout puts that nonce on
// its <script> elements. No component emits inline scripts, inline event
// handlers or style attributes, so "script-src 'self' 'nonce-…'; style-src
// 'self'" holds. htmx is configured in the layout not to inject styles or
// evaluate code.
//
// # Forms
//
// Every POST form carries the CSRF token in the field CSRFField ("_csrf"),
// taken from the model (ImportPage.CSRFToken, LocationActions.CSRFToken,
// SignOut.CSRFToken). The catalog filter form is a GET form whose parameter
// names are the URL's: q, sort, kind, type, owner, lifecycle, system,
// namespace, tag (FacetGroup.Param); the handler builds every href (sort
// columns, cursor links) so views never has to know the query encoding.
//
// # Mapping from other packages
//
// Package diagram's Result and package apidef's Definition are copied into
// Diagram and APIDefinition by the handler: the leaf types have the same
// fields, so views.Point(p), views.Parameter(p), views.Response(r) and
// views.ChannelOperation(o) are plain conversions. For an API definition
// that apidef could not read, set APIDefinition.Error to the error's text:
// the raw definition is still shown, opened.
package views
