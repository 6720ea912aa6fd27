package views_test

import (
	"html/template"
	"time"

	"github.com/keelson-dev/keelson/views"
)

// The fixtures below are modelled on Backstage's example catalog (the ACME
// organisation and the artist engagement portal), so every page is rendered
// with the kind of data the portal really shows.

var fixtureTime = time.Date(2026, 11, 20, 14, 30, 0, 0, time.UTC)

func samplePage(title, active string) views.Page {
	return views.Page{
		Title:   title,
		Active:  active,
		User:    &views.User{DisplayName: "Guest", Href: views.EntityURL("default", "User", "guest")},
		Banner:  "Signed in as guest. Anyone can see and change this catalog.",
		Version: "v0.3.0",
		Assets: views.AssetPaths{
			CSS:     "/static/css/app.0123abcd.css",
			AppJS:   "/static/js/app.4567ef01.js",
			HtmxJS:  "/static/js/htmx.min.89abcdef.js",
			Favicon: "/static/img/favicon.11223344.svg",
		},
		SignOut: &views.SignOut{URL: "/auth/sign-out", CSRFToken: "csrf-token-1"},
	}
}

func link(kind, name string) views.EntityLink {
	return views.EntityLink{
		Ref:  toLower(kind) + ":default/" + name,
		Kind: kind,
		Href: views.EntityURL("default", kind, name),
	}
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func sampleRows() []views.EntityRow {
	return []views.EntityRow{
		{
			Link: link("Component", "artist-lookup"), Kind: "Component", Type: "service", Namespace: "default",
			Owner: link("Group", "team-a"), System: link("System", "artist-engagement-portal"),
			Lifecycle: "experimental", Description: "Artist Lookup", Tags: []string{"java", "data"},
			Updated: fixtureTime,
		},
		{
			Link: link("Component", "playback-order"), Kind: "Component", Type: "service", Namespace: "default",
			Owner: link("Group", "team-b"), Lifecycle: "production",
			Description: "Playback Order", Tags: []string{"java", "playback"}, Updated: fixtureTime.Add(-time.Hour),
		},
		{
			Link: link("API", "petstore"), Kind: "API", Type: "openapi", Namespace: "default",
			Owner: link("Group", "team-c"), Lifecycle: "experimental",
			Description: "The petstore API", Tags: []string{"store", "rest"}, Updated: fixtureTime.Add(-2 * time.Hour),
		},
		{
			Link: link("Resource", "artists-db"), Kind: "Resource", Type: "database", Namespace: "default",
			Owner: views.EntityLink{Ref: "group:default/departed-team"}, Lifecycle: "deprecated",
			Description: "Stores artist details", Updated: fixtureTime.Add(-3 * time.Hour),
		},
	}
}

func sampleErrors() []views.ProcessingError {
	return []views.ProcessingError{
		{
			Entity:   link("API", "nodeapi"),
			Location: "url:https://github.com/ibm-messaging/mq-dev-patterns/blob/master/backstage/catalog-info.yaml",
			Message:  `$text target "./nodeapi/sample.yaml" not found`,
			Occurred: fixtureTime,
		},
		{
			Location: "file:./catalog/broken.yaml",
			Message:  `metadata.name "Not A Name" is not valid; expected a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total`,
		},
	}
}

func sampleHome() views.HomePage {
	return views.HomePage{
		Page:         samplePage("Home", views.NavHome),
		Teams:        []views.EntityLink{link("Group", "team-a"), link("Group", "team-b")},
		TeamEntities: sampleRows()[:2],
		Errors:       sampleErrors()[:1],
		Counts: []views.KindCount{
			{Kind: "Component", Count: 10, Href: "/catalog?kind=component"},
			{Kind: "API", Count: 11, Href: "/catalog?kind=api"},
			{Kind: "Group", Count: 9, Href: "/catalog?kind=group"},
			{Kind: "User", Count: 14, Href: "/catalog?kind=user"},
			{Kind: "System", Count: 4, Href: "/catalog?kind=system"},
		},
		Recent: sampleRows(),
	}
}

func sampleCatalog() views.CatalogPage {
	return views.CatalogPage{
		Page:    samplePage("Catalog", views.NavCatalog),
		Filters: views.CatalogFilters{Q: "artist", Sort: "name"},
		Facets: []views.FacetGroup{
			{Param: "kind", Label: "Kind", Options: []views.FacetOption{
				{Value: "component", Label: "Component", Count: 10, Selected: true},
				{Value: "api", Label: "API", Count: 11},
				{Value: "resource", Label: "Resource", Count: 3},
			}},
			{Param: "type", Label: "Type", Options: []views.FacetOption{
				{Value: "service", Count: 7}, {Value: "website", Count: 2}, {Value: "library", Count: 1},
			}},
			{Param: "owner", Label: "Owner", Options: []views.FacetOption{
				{Value: "group:default/team-a", Label: "team-a", Count: 4},
				{Value: "group:default/team-b", Label: "team-b", Count: 3},
			}},
			{Param: "lifecycle", Label: "Lifecycle", Options: []views.FacetOption{
				{Value: "production", Count: 5}, {Value: "experimental", Count: 5, Selected: true},
			}},
			{Param: "tag", Label: "Tag", Options: []views.FacetOption{
				{Value: "java", Count: 4}, {Value: "data", Count: 2},
			}},
		},
		Table: sampleTable(),
	}
}

func sampleTable() views.CatalogTable {
	return views.CatalogTable{
		Columns: []views.SortColumn{
			{Key: "name", Href: "/catalog?kind=component&q=artist&sort=-name", Direction: "asc"},
			{Key: "kind", Href: "/catalog?kind=component&q=artist&sort=kind"},
			{Key: "owner", Href: "/catalog?kind=component&q=artist&sort=owner"},
		},
		Rows:     sampleRows(),
		Total:    42,
		Sort:     "name",
		NextHref: "/catalog?kind=component&q=artist&sort=name&cursor=eyJuIjoiYXJ0aXN0cy1kYiJ9",
		PrevHref: "/catalog?kind=component&q=artist&sort=name&cursor=eyJwIjoiYXJ0aXN0LWxvb2t1cCJ9",
	}
}

func sampleEntity(d *views.Diagram) views.EntityPage {
	return views.EntityPage{
		Page: samplePage("artist-lookup", views.NavCatalog),
		Header: views.EntityHeader{
			Kind: "Component", Type: "service", Namespace: "default", Name: "artist-lookup",
			Title: "Artist Lookup", Ref: "component:default/artist-lookup",
			Owner: link("Group", "team-a"), Lifecycle: "experimental", Tags: []string{"java", "data"},
		},
		Errors: sampleErrors()[1:],
		About: views.About{
			Description: "Artist Lookup",
			System:      link("System", "artist-engagement-portal"),
			Domain:      link("Domain", "artists"),
			Links: []views.Link{
				{URL: "https://example.com/dashboard", Title: "Dashboard", Icon: "dashboard"},
				{URL: "https://example.com/help", Title: "Support", Icon: "help"},
				{URL: "https://example.com/cloud", Title: "Link with Cloud Icon", Icon: "cloud"},
			},
			SourceURL:   "https://github.com/backstage/backstage/tree/master/plugins/playlist",
			ViewURL:     "https://github.com/backstage/backstage/blob/master/catalog-info.yaml",
			EditURL:     "https://github.com/backstage/backstage/edit/master/catalog-info.yaml",
			Labels:      []views.KeyValue{{Key: "tier", Value: "2"}},
			Annotations: []views.KeyValue{{Key: "backstage.io/source-template", Value: "template:default/springboot-template"}},
		},
		Relations: []views.RelationGroup{
			{Type: "ownedBy", Label: "Owned by", Entities: []views.EntityLink{link("Group", "team-a")}},
			{Type: "partOf", Label: "Part of", Entities: []views.EntityLink{link("System", "artist-engagement-portal")}},
			{Type: "dependsOn", Label: "Depends on", Entities: []views.EntityLink{link("Resource", "artists-db")}},
			{Type: "apiConsumedBy", Label: "API consumed by", Entities: []views.EntityLink{link("Component", "www-artist")}},
		},
		Diagram: d,
	}
}

// smallDiagram is a hand-placed two-node diagram for tests of the markup.
func smallDiagram() *views.Diagram {
	return &views.Diagram{
		Width: 420, Height: 80,
		Nodes: []views.DiagramNode{
			{ID: "component:default/artist-lookup", Label: "artist-lookup", Kind: "Component", Center: true, X: 16, Y: 16, W: 140, H: 48},
			{ID: "group:default/team-a", Label: "team-a", Kind: "Group", Href: "/catalog/default/group/team-a", X: 264, Y: 16, W: 140, H: 48},
		},
		Edges: []views.DiagramEdge{{
			From: "component:default/artist-lookup", To: "group:default/team-a", Label: "owned by",
			Points: []views.Point{{X: 156, Y: 40}, {X: 264, Y: 40}}, LabelAt: views.Point{X: 210, Y: 33},
		}},
	}
}

func sampleOpenAPI() *views.APIDefinition {
	return &views.APIDefinition{
		Type: "openapi", Title: "Swagger Petstore", Version: "1.0.0",
		Servers: []string{"http://petstore.swagger.io/v1"},
		OperationGroups: []views.OperationGroup{{
			Tag: "pets",
			Operations: []views.Operation{
				{
					Method: "GET", Path: "/pets", OperationID: "listPets", Summary: "List all pets",
					Parameters: []views.Parameter{{In: "query", Name: "limit", Type: "integer (int32)", Description: "How many items to return at one time (max 100)"}},
					Responses:  []views.Response{{Code: "200", Description: "A paged array of pets"}, {Code: "default", Description: "unexpected error"}},
				},
				{
					Method: "POST", Path: "/pets", OperationID: "createPets", Summary: "Create a pet",
					RequestBody: []string{"application/json"},
					Responses:   []views.Response{{Code: "201", Description: "Null response"}},
				},
				{
					Method: "GET", Path: "/pets/{petId}", OperationID: "showPetById", Summary: "Info for a specific pet",
					Parameters: []views.Parameter{{In: "path", Name: "petId", Required: true, Type: "string", Description: "The id of the pet to retrieve"}},
					Responses:  []views.Response{{Code: "200", Description: "Expected response to a valid request"}},
				},
				{
					Method: "DELETE", Path: "/pets/{petId}", OperationID: "deletePet", Deprecated: true,
					Description: "Deletes a pet.\nOnly for admins.",
				},
			},
		}},
		Raw: "openapi: \"3.0.0\"\ninfo:\n  version: 1.0.0\n  title: Swagger Petstore\n<script>alert(1)</script>\n",
	}
}

func sampleAsyncAPI() *views.APIDefinition {
	return &views.APIDefinition{
		Type: "asyncapi", Title: "Streetlights API", Version: "1.0.0",
		Servers: []string{"api.streetlights.smartylighting.com:{port} (mqtt)"},
		Channels: []views.Channel{
			{
				Name:        "smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured",
				Description: "The topic on which measured values may be produced and consumed.",
				Operations: []views.ChannelOperation{{
					Action: "subscribe", OperationID: "receiveLightMeasurement",
					Summary:  "Receive information about environmental lighting conditions of a particular streetlight.",
					Messages: []string{"lightMeasured"},
				}},
			},
			{
				Name:       "smartylighting/streetlights/1/0/action/{streetlightId}/turn/on",
				Operations: []views.ChannelOperation{{Action: "publish", OperationID: "turnOn", Messages: []string{"turnOnOff"}}},
			},
		},
		Raw: "asyncapi: 2.0.0\n",
	}
}

func sampleGraphQL() *views.APIDefinition {
	return &views.APIDefinition{
		Type: "graphql",
		Highlighted: template.HTML(`<pre class="hl-chroma"><code><span class="hl-line"><span class="hl-cl">` +
			`<span class="hl-kd">type</span> <span class="hl-nc">Film</span> <span class="hl-p">{</span></span></span></code></pre>`),
		Raw: "type Film {\n  title: String\n}\n",
	}
}

func sampleBrokenAPI() *views.APIDefinition {
	return &views.APIDefinition{
		Type:  "openapi",
		Error: "line 3: mapping values are not allowed in this context",
		Raw:   "openapi: 3.0.0\ninfo:\n  title: a: b\n",
	}
}

func sampleLocation() views.EntityPage {
	m := sampleEntity(nil)
	m.Header = views.EntityHeader{Kind: "Location", Namespace: "default", Name: "example-apis", Ref: "location:default/example-apis"}
	m.About = views.About{Description: "A collection of all Backstage example APIs"}
	m.Relations = nil
	m.Location = &views.LocationActions{
		Target: "./apis/*.yaml", Type: "file",
		RefreshURL:    "/catalog/default/location/example-apis/refresh",
		UnregisterURL: "/catalog/default/location/example-apis/unregister",
		CSRFToken:     "csrf-token-1",
	}
	return m
}

func sampleGroup() views.GroupPage {
	return views.GroupPage{
		Page: samplePage("team-a", views.NavTeams),
		Header: views.EntityHeader{
			Kind: "Group", Type: "team", Namespace: "default", Name: "team-a", Ref: "group:default/team-a",
		},
		Profile:  views.Profile{Email: "team-a@example.com"},
		About:    views.About{Description: "Team A"},
		Parent:   link("Group", "backstage"),
		Children: []views.EntityLink{link("Group", "team-a-frontend")},
		Members: []views.Member{
			{Link: link("User", "breanna.davison"), Email: "breanna-davison@example.com"},
			{Link: link("User", "janelle.dawe"), Email: "janelle-dawe@example.com"},
		},
		Summary: views.OwnershipSummary{
			Lifecycles: []string{"production", "experimental"},
			Rows: []views.OwnershipRow{
				{Kind: "Component", Counts: []int{2, 1}, Total: 3},
				{Kind: "API", Counts: []int{1, 0}, Total: 1},
			},
		},
		Owned: sampleRows()[:1],
	}
}

func sampleUser() views.UserPage {
	return views.UserPage{
		Page:    samplePage("Breanna Davison", views.NavTeams),
		Header:  views.EntityHeader{Kind: "User", Namespace: "default", Name: "breanna.davison", Title: "Breanna Davison", Ref: "user:default/breanna.davison"},
		Profile: views.Profile{DisplayName: "Breanna Davison", Email: "breanna-davison@example.com"},
		Groups:  []views.EntityLink{link("Group", "team-a")},
		Summary: views.OwnershipSummary{
			Lifecycles: []string{"experimental"},
			Rows:       []views.OwnershipRow{{Kind: "Component", Counts: []int{1}, Total: 1}},
		},
		Owned: sampleRows()[:1],
	}
}

func sampleImportDryRun() views.ImportPage {
	return views.ImportPage{
		Page:      samplePage("Register an existing component", views.NavCatalog),
		CSRFToken: "csrf-token-1",
		Target:    "../shared/corpus/backstage-examples/catalog-model/examples/components/*.yaml",
		DryRun: &views.ImportDryRun{
			Entities: []views.ImportEntity{
				{Link: link("Component", "artist-lookup"), Action: "create"},
				{Link: link("Component", "playback-order"), Action: "update"},
				{Link: link("Component", "searcher"), Action: "unchanged"},
			},
			Errors:     sampleErrors()[1:],
			CanConfirm: true,
		},
	}
}

func sampleImportResult() views.ImportPage {
	return views.ImportPage{
		Page:      samplePage("Register an existing component", views.NavCatalog),
		CSRFToken: "csrf-token-1",
		Result: &views.ImportResult{
			Location: link("Location", "generated-3f9c2a1b"),
			Entities: []views.EntityLink{link("Component", "artist-lookup"), link("Component", "playback-order")},
		},
	}
}

func sampleAPIDocs() views.APIDocsPage {
	return views.APIDocsPage{
		Page: samplePage("APIs", views.NavAPIs),
		Types: []views.FacetOption{
			{Value: "openapi", Count: 5, Selected: true}, {Value: "asyncapi", Count: 1}, {Value: "graphql", Count: 1}, {Value: "grpc", Count: 1},
		},
		Rows: []views.APIRow{
			{
				Link: link("API", "petstore"), Type: "openapi", Description: "The petstore API",
				Owner: link("Group", "team-c"), Lifecycle: "experimental",
				Providers: []views.EntityLink{link("Component", "petstore")},
				Consumers: []views.EntityLink{link("Component", "www-artist"), link("Component", "artist-lookup")},
			},
			{
				Link: link("API", "streetlights"), Type: "asyncapi", Owner: link("Group", "team-c"), Lifecycle: "production",
			},
		},
	}
}

func sampleTeams() views.TeamsPage {
	return views.TeamsPage{
		Page: samplePage("Teams", views.NavTeams),
		Teams: []views.TeamRow{
			{Link: link("Group", "team-a"), Type: "team", Description: "Team A", Parent: link("Group", "backstage"), Members: 4, Owned: 7},
			{Link: link("Group", "team-b"), Type: "team", Description: "Team B", Parent: link("Group", "backstage"), Members: 1, Owned: 3},
			{Link: link("Group", "acme-corp"), Type: "organization", Description: "The ACME Corporation", Members: 0, Owned: 0},
		},
	}
}

func sampleNotFound() views.NotFoundPage {
	p := samplePage("Not found", "")
	p.Query = "artist"
	return views.NotFoundPage{Page: p, Path: "/catalog/default/component/artst-lookup"}
}

func sampleError() views.ErrorPage {
	return views.ErrorPage{
		Page: samplePage("Error", ""), Status: 500, Heading: "Something went wrong",
		RequestID: "01JD3Q5W8H2N6ZP4Y7V9K1M3RT",
	}
}
