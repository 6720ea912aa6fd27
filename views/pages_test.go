package views_test

import (
	"testing"

	"github.com/a-h/templ"

	"github.com/keelson-dev/keelson/views"
)

func TestPages(t *testing.T) {
	tests := []struct {
		name   string
		c      templ.Component
		checks []check
	}{
		{
			name: "home",
			c:    views.HomeView(sampleHome()),
			checks: []check{
				{sel: "title", count: 1, text: "Home · Keelson"},
				{sel: "[data-testid=page-title]", count: 1, text: "Welcome, Guest"},
				{sel: "[data-testid=home-teams] a", count: 2, text: "team-a", attr: "href", value: "/catalog/default/group/team-a"},
				{sel: "[data-testid=kind-count]", count: 5, text: "10 Component"},
				{sel: "[data-testid=kind-count] a", count: 5, attr: "href", value: "/catalog?kind=component"},
				{sel: "[data-testid=team-entities] [data-testid=entity-row]", count: 2},
				{sel: "[data-testid=processing-error]", count: 1, text: `$text target "./nodeapi/sample.yaml" not found`},
				{sel: "[data-testid=error-location]", count: 1, text: "mq-dev-patterns/blob/master/backstage/catalog-info.yaml"},
				{sel: "[data-testid=recent-entity]", count: 4, text: "owned by team-a"},
				{sel: "[data-testid=home-teams]", count: 1, text: "Your teams: team-a, team-b"},
				{sel: "[data-testid=recent-entity] time", count: 4, attr: "datetime", value: "2026-11-20T14:30:00Z"},
			},
		},
		{
			name: "home signed out, empty catalog",
			c: views.HomeView(views.HomePage{Page: func() views.Page {
				p := samplePage("Home", views.NavHome)
				p.User, p.SignOut = nil, nil
				return p
			}()}),
			checks: []check{
				{sel: "[data-testid=page-title]", count: 1, text: "Welcome to Keelson"},
				{sel: "[data-testid=home-teams]", count: 0},
				{sel: "[data-testid=team-entities]", count: 0},
				{sel: "[data-testid=team-entities-empty]", count: 0},
				{sel: "[data-testid=counts-empty]", count: 1, text: "The catalog is empty"},
				{sel: "[data-testid=recent-empty]", count: 1},
				{sel: "[data-testid=processing-errors]", count: 0},
				{sel: "a[href='/catalog-import']", count: 1, text: "Register a component"},
			},
		},
		{
			name: "catalog",
			c:    views.CatalogView(sampleCatalog()),
			checks: []check{
				{sel: "[data-testid=nav-catalog]", count: 1, attr: "aria-current", value: "page"},
				{sel: "form[data-testid=catalog-filters]", count: 1, attr: "hx-get", value: "/catalog"},
				{sel: "form[data-testid=catalog-filters]", count: 1, attr: "hx-target", value: "#catalog-table"},
				{sel: "form[data-testid=catalog-filters]", count: 1, attr: "hx-push-url", value: "true"},
				{sel: "form[data-testid=catalog-filters]", count: 1, attr: "method", value: "get"},
				{sel: "#catalog-q", count: 1, attr: "value", value: "artist"},
				{sel: "label[for=catalog-q]", count: 1, text: "Search"},
				{sel: "#catalog-sort", count: 1, attr: "value", value: "name"},
				{sel: "[data-testid=facet-kind] [data-testid=facet-option]", count: 3},
				{sel: "[data-testid=facet-kind] input:checked", count: 1, attr: "value", value: "component"},
				{sel: "[data-testid=facet-kind] [data-testid=facet-count]", count: 3, text: "10"},
				{sel: "[data-testid=facet-owner] input", count: 2, attr: "name", value: "owner"},
				{sel: "[data-testid=facet-owner] [data-testid=facet-option]", count: 2, text: "team-a 4"},
				{sel: "[data-testid=facet-lifecycle] input:checked", count: 1, attr: "value", value: "experimental"},
				{sel: "[data-testid=facet-system]", count: 0},
				{sel: "#catalog-table[data-testid=catalog-table]", count: 1},
				{sel: "[data-testid=result-count]", count: 1, text: "42 entities"},
				{sel: "[data-testid=entity-row]", count: 4},
				{sel: "[data-testid=entity-row] [data-testid=entity-name] a", count: -1, attr: "href", value: "/catalog/default/component/artist-lookup"},
				{sel: "[data-testid=entity-owner] .dangling", count: 1, text: "departed-team", attr: "title", value: "Not in the catalog"},
				{sel: "[data-testid=sort-name]", count: 1, attr: "href", value: "/catalog?kind=component&q=artist&sort=-name"},
				{sel: "th[aria-sort=ascending]", count: 1, text: "Name"},
				{sel: "[data-testid=sort-type]", count: 0},
				{sel: "[data-testid=next-page]", count: 1, attr: "hx-get", value: "/catalog?kind=component&q=artist&sort=name&cursor=eyJuIjoiYXJ0aXN0cy1kYiJ9"},
				{sel: "[data-testid=prev-page]", count: 1, attr: "rel", value: "prev"},
				{sel: "th[scope=col]", count: -1},
				{sel: "th[scope=row]", count: 4},
			},
		},
		{
			name: "catalog table partial",
			c:    views.CatalogTablePartial(sampleTable()),
			checks: []check{
				{sel: "html > body > #catalog-table", count: 1},
				{sel: "header", count: 0},
				{sel: "#catalog-sort[hx-swap-oob=true]", count: 1, attr: "value", value: "name"},
				{sel: "[data-testid=entity-row]", count: 4},
			},
		},
		{
			name: "catalog empty",
			c:    views.CatalogTableView(views.CatalogTable{}),
			checks: []check{
				{sel: "[data-testid=catalog-empty]", count: 1, text: "No entities match"},
				{sel: "[data-testid=result-count]", count: 1, text: "0 entities"},
				{sel: "[data-testid=pagination]", count: 0},
			},
		},
		{
			name: "entity",
			c:    views.EntityView(sampleEntity(smallDiagram())),
			checks: []check{
				{sel: "[data-testid=page-title]", count: 1, text: "Artist Lookup"},
				{sel: "[data-testid=entity-header] [data-testid=kind]", count: 1, text: "Component"},
				{sel: "[data-testid=entity-type]", count: 1, text: "service"},
				{sel: "[data-testid=entity-header] [data-testid=entity-owner] a", count: 1, attr: "href", value: "/catalog/default/group/team-a"},
				{sel: "[data-testid=entity-header] [data-testid=lifecycle]", count: 1, text: "experimental"},
				{sel: "[data-testid=entity-header] [data-testid=tag]", count: 2, text: "java"},
				{sel: "[data-testid=entity-ref]", count: 1, text: "component:default/artist-lookup"},
				{sel: "[data-testid=processing-errors][aria-labelledby]", count: 1, text: "1 processing error"},
				{sel: "[data-testid=error-location]", count: 1, text: "file:./catalog/broken.yaml"},
				{sel: "[data-testid=about-description]", count: 1, text: "Artist Lookup"},
				{sel: "[data-testid=about-system] a", count: 1, attr: "href", value: "/catalog/default/system/artist-engagement-portal"},
				{sel: "[data-testid=about-domain] a", count: 1, attr: "href", value: "/catalog/default/domain/artists"},
				{sel: "[data-testid=link]", count: 3, text: "Dashboard"},
				{sel: "[data-testid=link] a svg.icon", count: 3},
				{sel: "[data-testid=view-url]", count: 1, attr: "href", value: "https://github.com/backstage/backstage/blob/master/catalog-info.yaml"},
				{sel: "[data-testid=edit-url]", count: 1, attr: "href", value: "https://github.com/backstage/backstage/edit/master/catalog-info.yaml"},
				{sel: "[data-testid=source-url]", count: 1},
				{sel: "[data-testid=label]", count: 1, text: "tier: 2"},
				{sel: "[data-testid=annotations] summary", count: 1, text: "1 annotation"},
				{sel: "[data-testid=relation-group]", count: 4},
				{sel: "[data-testid=relation-group][data-type=dependsOn] dt", count: 1, text: "Depends on"},
				{sel: "[data-testid=relation-group][data-type=dependsOn] [data-testid=relation] a", count: 1, attr: "href", value: "/catalog/default/resource/artists-db"},
				{sel: "svg[data-testid=diagram]", count: 1, attr: "viewBox", value: "0 0 420.0 80.0"},
				{sel: "svg title", count: 1, text: "Relations of Artist Lookup"},
				{sel: "[data-testid=diagram-node]", count: 2},
				{sel: "[data-testid=diagram-node].is-center", count: 1, attr: "data-id", value: "component:default/artist-lookup"},
				{sel: "[data-testid=diagram-node-link]", count: 1, attr: "href", value: "/catalog/default/group/team-a"},
				{sel: "[data-testid=diagram-edge]", count: 1, attr: "data-to", value: "group:default/team-a"},
				{sel: "[data-testid=diagram-edge] path", count: 1, attr: "d", value: "M156.0 40.0 L264.0 40.0"},
				{sel: "[data-testid=diagram-edge] text", count: 1, text: "owned by"},
				{sel: "[data-testid=api-definition]", count: 0},
				{sel: "[data-testid=location-actions]", count: 0},
			},
		},
		{
			name: "diagram curves and long edges",
			c: views.DiagramView(views.Diagram{
				Width: 300, Height: 100,
				Edges: []views.DiagramEdge{{From: "a", To: "b", Points: []views.Point{{X: 0, Y: 0}, {X: 100, Y: 50}, {X: 200, Y: 50}}}},
			}, "a"),
			checks: []check{
				{sel: "[data-testid=diagram-edge] path", count: 1, attr: "d", value: "M0.0 0.0 C50.0 0.0 50.0 50.0 100.0 50.0 L200.0 50.0"},
				{sel: "[data-testid=diagram-edge] text", count: 0},
				{sel: "[data-testid=diagram-edge] path", count: 1, attr: "marker-end", value: "url(#diagram-arrow)"},
			},
		},
		{
			name: "unsafe link urls neutralised",
			c: views.AboutCard(views.About{
				Links:     []views.Link{{URL: "javascript:alert(1)", Title: "Click me"}},
				SourceURL: "javascript:alert(2)",
			}),
			checks: []check{
				{sel: "[data-testid=link] a", count: 1, attr: "href", value: "about:invalid#TemplFailedSanitizationURL"},
				{sel: "[data-testid=source-url]", count: 1, attr: "href", value: "about:invalid#TemplFailedSanitizationURL"},
			},
		},
		{
			name: "api openapi",
			c:    views.APIDefinitionView(*sampleOpenAPI()),
			checks: []check{
				{sel: "[data-testid=api-definition]", count: 1, attr: "data-api-type", value: "openapi"},
				{sel: "[data-testid=api-title]", count: 1, text: "Swagger Petstore"},
				{sel: "[data-testid=api-version]", count: 1, text: "v1.0.0"},
				{sel: "[data-testid=api-servers] li", count: 1, text: "http://petstore.swagger.io/v1"},
				{sel: "[data-testid=operation-group]", count: 1, attr: "data-tag", value: "pets"},
				{sel: "[data-testid=operation]", count: 4, attr: "data-path", value: "/pets"},
				{sel: "[data-testid=operation-method]", count: 4, text: "GET"},
				{sel: "[data-testid=operation-summary]", count: 4, text: "List all pets"},
				{sel: "[data-testid=operation][data-operation-id=deletePet] .badge-warn", count: 1, text: "deprecated"},
				{sel: "[data-testid=parameter] th[scope=row]", count: 2, text: "limit"},
				{sel: "[data-testid=parameter] td:nth-of-type(1)", count: 2, text: "query"},
				{sel: "[data-testid=parameter] td:nth-of-type(2)", count: 2, text: "integer (int32)"},
				{sel: "[data-testid=parameter] td:nth-of-type(3)", count: 2, text: "no"},
				{sel: "[data-testid=operation][data-path='/pets/{petId}'] [data-testid=parameter] td:nth-of-type(3)", count: 1, text: "yes"},
				{sel: "[data-testid=request-body]", count: 1, text: "application/json"},
				{sel: "[data-testid=operation][data-operation-id=showPetById] [data-testid=operation-summary]", count: 1, text: "Info for a specific pet"},
				{sel: "[data-testid=operation][data-operation-id=deletePet] [data-testid=operation-summary]", count: 1, text: "Deletes a pet."},
				{sel: "[data-testid=response]", count: 4, text: "200 A paged array of pets"},
				{sel: "details[data-testid=api-raw]", count: 1},
				{sel: "details[data-testid=api-raw][open]", count: 0},
				{sel: "[data-testid=api-raw-text]", count: 1, text: "<script>alert(1)</script>"},
				{sel: "[data-testid=api-raw-text] script", count: 0},
				{sel: "[data-testid=copy-definition]", count: 1, attr: "data-copy-target", value: "api-raw-text"},
				{sel: "[data-testid=api-error]", count: 0},
			},
		},
		{
			name: "api asyncapi",
			c:    views.APIDefinitionView(*sampleAsyncAPI()),
			checks: []check{
				{sel: "[data-testid=channel]", count: 2, attr: "data-channel", value: "smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured"},
				{sel: "[data-testid=channel-action]", count: 2, text: "subscribe"},
				{sel: "[data-testid=channel-operation]", count: 2, text: "receiveLightMeasurement"},
				{sel: "[data-testid=channel-operation]", count: 2, text: "messages: lightMeasured"},
			},
		},
		{
			name: "api graphql highlighted",
			c:    views.APIDefinitionView(*sampleGraphQL()),
			checks: []check{
				{sel: "[data-testid=api-highlighted] pre.hl-chroma .hl-kd", count: 1, text: "type"},
				{sel: "[data-testid=api-raw-text]", count: 1, text: "type Film {"},
			},
		},
		{
			name: "api unreadable",
			c:    views.APIDefinitionView(*sampleBrokenAPI()),
			checks: []check{
				{sel: "[data-testid=api-error][role=alert]", count: 1, text: "line 3: mapping values are not allowed"},
				{sel: "details[data-testid=api-raw][open]", count: 1},
				{sel: "[data-testid=api-raw-text]", count: 1, text: "title: a: b"},
			},
		},
		{
			name: "location",
			c:    views.EntityView(sampleLocation()),
			checks: []check{
				{sel: "[data-testid=location-target]", count: 1, text: "./apis/*.yaml"},
				{sel: "form[action='/catalog/default/location/example-apis/refresh'][method=post] input[name=_csrf]", count: 1, attr: "value", value: "csrf-token-1"},
				{sel: "form[action='/catalog/default/location/example-apis/unregister'][method=post] input[name=_csrf]", count: 1, attr: "value", value: "csrf-token-1"},
				{sel: "[data-testid=refresh-location]", count: 1, text: "Refresh"},
				{sel: "[data-testid=unregister-location]", count: 1, text: "Unregister"},
				{sel: "[data-testid=relations-empty]", count: 1},
				{sel: "[data-testid=diagram]", count: 0},
			},
		},
		{
			name: "group",
			c:    views.GroupView(sampleGroup()),
			checks: []check{
				{sel: "[data-testid=nav-teams]", count: 1, attr: "aria-current", value: "page"},
				{sel: "[data-testid=page-title]", count: 1, text: "team-a"},
				{sel: "[data-testid=profile-email]", count: 1, attr: "href", value: "mailto:team-a@example.com"},
				{sel: "[data-testid=group-parent] a", count: 1, attr: "href", value: "/catalog/default/group/backstage"},
				{sel: "[data-testid=group-child] a", count: 1, attr: "href", value: "/catalog/default/group/team-a-frontend"},
				{sel: "[data-testid=member] a:first-of-type", count: 2, text: "breanna.davison"},
				{sel: "[data-testid=member] a[href^=mailto]", count: 2, attr: "href", value: "mailto:breanna-davison@example.com"},
				{sel: "[data-testid=ownership-row]", count: 2, attr: "data-kind", value: "Component"},
				{sel: "[data-testid=ownership-row] td", count: 6, text: "2"},
				{sel: "[data-testid=ownership-total]", count: 2, text: "3"},
				{sel: "[data-testid=ownership-summary] thead th", count: 4, text: "Kind"},
				{sel: "[data-testid=owned-entities] [data-testid=entity-row]", count: 1},
			},
		},
		{
			name: "user",
			c:    views.UserView(sampleUser()),
			checks: []check{
				{sel: "[data-testid=page-title]", count: 1, text: "Breanna Davison"},
				{sel: "[data-testid=profile-name]", count: 1, text: "Breanna Davison"},
				{sel: "[data-testid=user-group] a", count: 1, attr: "href", value: "/catalog/default/group/team-a"},
				{sel: "[data-testid=ownership-total]", count: 1, text: "1"},
				{sel: "[data-testid=owned-entities] [data-testid=entity-row]", count: 1},
			},
		},
		{
			name: "import form",
			c:    views.ImportView(views.ImportPage{Page: samplePage("Register", views.NavCatalog), CSRFToken: "t0", FormError: "Enter a file path, glob or URL."}),
			checks: []check{
				{sel: "form[data-testid=import-form][method=post]", count: 1, attr: "action", value: "/catalog-import"},
				{sel: "[data-testid=import-form] input[name=_csrf]", count: 1, attr: "value", value: "t0"},
				{sel: "label[for=import-target]", count: 1, text: "File path, glob or URL"},
				{sel: "#import-target[aria-invalid=true]", count: 1, attr: "name", value: "target"},
				{sel: "[data-testid=import-form-error]", count: 1, text: "Enter a file path"},
				{sel: "[data-testid=import-dry-run]", count: 0},
			},
		},
		{
			name: "import dry run",
			c:    views.ImportView(sampleImportDryRun()),
			checks: []check{
				{sel: "#import-target", count: 1, attr: "value", value: "../shared/corpus/backstage-examples/catalog-model/examples/components/*.yaml"},
				{sel: "[data-testid=import-dry-run] p", count: -1, text: "Reading ../shared/corpus/backstage-examples/catalog-model/examples/components/*.yaml finds 3 entities."},
				{sel: "[data-testid=import-entity]", count: 3, attr: "data-ref", value: "component:default/artist-lookup"},
				{sel: "[data-testid=import-entity] .badge", count: 3, text: "create"},
				{sel: "[data-testid=import-dry-run] [data-testid=processing-error]", count: 1},
				{sel: "form[data-testid=import-confirm-form][method=post]", count: 1, attr: "action", value: "/catalog-import/confirm"},
				{sel: "[data-testid=import-confirm-form] input[name=_csrf]", count: 1, attr: "value", value: "csrf-token-1"},
				{sel: "[data-testid=import-confirm-form] input[name=target]", count: 1, attr: "value", value: "../shared/corpus/backstage-examples/catalog-model/examples/components/*.yaml"},
				{sel: "[data-testid=import-confirm]", count: 1, text: "Register location"},
			},
		},
		{
			name: "import nothing to confirm",
			c: views.ImportView(views.ImportPage{
				Page: samplePage("Register", views.NavCatalog), Target: "./missing.yaml",
				DryRun: &views.ImportDryRun{Errors: []views.ProcessingError{{Location: "file:./missing.yaml", Message: "file not found"}}},
			}),
			checks: []check{
				{sel: "[data-testid=import-confirm-form]", count: 0},
				{sel: "[data-testid=import-nothing]", count: 1},
				{sel: "[data-testid=processing-error]", count: 1, text: "file not found"},
			},
		},
		{
			name: "import result",
			c:    views.ImportView(sampleImportResult()),
			checks: []check{
				{sel: "[data-testid=import-result] p", count: 2, text: "The location generated-3f9c2a1b now provides 2 entities:"},
				{sel: "[data-testid=import-result] a", count: -1, attr: "href", value: "/catalog/default/location/generated-3f9c2a1b"},
				{sel: "[data-testid=imported-entity]", count: 2},
				{sel: "[data-testid=import-form]", count: 0},
			},
		},
		{
			name: "api docs",
			c:    views.APIDocsView(sampleAPIDocs()),
			checks: []check{
				{sel: "[data-testid=nav-apis]", count: 1, attr: "aria-current", value: "page"},
				{sel: "[data-testid=api-type-filter] input:checked", count: 1, attr: "value", value: "openapi"},
				{sel: "[data-testid=api-row]", count: 2, attr: "data-ref", value: "api:default/petstore"},
				{sel: "[data-testid=api-row] [data-testid=api-type]", count: 2, text: "openapi"},
				{sel: "[data-testid=api-owner] a", count: 2, attr: "href", value: "/catalog/default/group/team-c"},
				{sel: "[data-testid=api-providers] a", count: 1, attr: "href", value: "/catalog/default/component/petstore"},
				{sel: "[data-testid=api-consumers]", count: 2, text: "www-artist, artist-lookup"},
			},
		},
		{
			name: "teams",
			c:    views.TeamsView(sampleTeams()),
			checks: []check{
				{sel: "[data-testid=team]", count: 3, attr: "data-ref", value: "group:default/team-a"},
				{sel: "[data-testid=team] h2 a", count: 3, attr: "href", value: "/catalog/default/group/team-a"},
				{sel: "[data-testid=team-members]", count: 3, text: "4 members"},
				{sel: "[data-testid=team-owned]", count: 3, text: "7 entities owned"},
			},
		},
		{
			name: "not found",
			c:    views.NotFoundView(sampleNotFound()),
			checks: []check{
				{sel: "[data-testid=page-title]", count: 1, text: "Page not found"},
				{sel: "[data-testid=not-found-path]", count: 1, text: "/catalog/default/component/artst-lookup"},
				{sel: "form[data-testid=not-found-search][method=get]", count: 1, attr: "action", value: "/catalog"},
				{sel: "#not-found-q", count: 1, attr: "value", value: "artist"},
				{sel: "label[for=not-found-q]", count: 1},
			},
		},
		{
			name: "error",
			c:    views.ErrorView(sampleError()),
			checks: []check{
				{sel: "[data-testid=error-status]", count: 1, text: "500"},
				{sel: "[data-testid=request-id]", count: 1, text: "01JD3Q5W8H2N6ZP4Y7V9K1M3RT"},
				{sel: "[data-testid=page-title]", count: 1, text: "Something went wrong"},
			},
		},
		{
			name: "validation error",
			c: views.ErrorView(views.ErrorPage{
				Page: samplePage("Invalid", ""), Status: 422, Heading: "The entity is not valid",
				Messages: []string{`"metadata.name" is required`, `"spec.owner" must be an entity ref`},
			}),
			checks: []check{
				{sel: "[data-testid=error-status]", count: 1, text: "422"},
				{sel: "[data-testid=error-message]", count: 2, text: `"metadata.name" is required`},
				{sel: "[data-testid=request-id]", count: 0},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertChecks(t, render(t, tc.c), tc.checks)
		})
	}
}
