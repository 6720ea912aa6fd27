package views_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/keelson-dev/keelson/views"
)

// render renders a component with a CSP nonce in the context and parses
// the result.
func render(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	ctx := templ.WithNonce(context.Background(), "nonce-123")
	if err := c.Render(ctx, &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

// check is one expectation on a rendered page: the selector matches count
// elements (-1: at least one) and, when text is set, the first match's
// trimmed text contains it; attr/value check an attribute of the first match.
type check struct {
	sel   string
	count int
	text  string
	attr  string
	value string
}

func assertChecks(t *testing.T, doc *goquery.Document, checks []check) {
	t.Helper()
	for _, c := range checks {
		sel := doc.Find(c.sel)
		switch {
		case c.count == -1 && sel.Length() == 0:
			t.Errorf("%s: no match", c.sel)
			continue
		case c.count >= 0 && sel.Length() != c.count:
			t.Errorf("%s: %d matches, want %d", c.sel, sel.Length(), c.count)
			continue
		}
		if c.text != "" {
			if got := strings.Join(strings.Fields(sel.First().Text()), " "); !strings.Contains(got, c.text) {
				t.Errorf("%s: text %q does not contain %q", c.sel, got, c.text)
			}
		}
		if c.attr != "" {
			if got, _ := sel.First().Attr(c.attr); got != c.value {
				t.Errorf("%s: %s = %q, want %q", c.sel, c.attr, got, c.value)
			}
		}
	}
}

// TestLayout checks the frame every page shares.
func TestLayout(t *testing.T) {
	guest := samplePage("Catalog", views.NavCatalog)
	signedOut := samplePage("Catalog", views.NavCatalog)
	signedOut.User, signedOut.SignOut, signedOut.Banner = nil, nil, ""
	signedOut.SignInURL = "/auth/sign-in"
	signedOut.ExtraNav = []views.NavItem{{Key: "scorecards", Label: "Scorecards", Href: "/scorecards"}}
	signedOut.Query = "petstore"
	tests := []struct {
		name   string
		page   views.Page
		checks []check
	}{
		{
			name: "signed in with banner",
			page: guest,
			checks: []check{
				{sel: "html[lang=en]", count: 1},
				{sel: "title", count: 1, text: "Catalog · Keelson"},
				{sel: "link[rel=stylesheet]", count: 1, attr: "href", value: "/static/css/app.0123abcd.css"},
				{sel: "link[rel=icon]", count: 1, attr: "href", value: "/static/img/favicon.11223344.svg"},
				{sel: "script[src='/static/js/app.4567ef01.js']", count: 1, attr: "nonce", value: "nonce-123"},
				{sel: "script[src='/static/js/htmx.min.89abcdef.js'][defer]", count: 1, attr: "nonce", value: "nonce-123"},
				{sel: "script:not([src])", count: 0},
				{sel: "[onclick],[onload],[onchange],[style]", count: 0},
				{sel: "meta[name=htmx-config]", count: 1, attr: "content", value: `{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"historyCacheSize":0,"historyRestoreAsHxRequest":false}`},
				{sel: "a.skip-link[data-testid=skip-link]", count: 1, attr: "href", value: "#main"},
				{sel: "main#main", count: 1},
				{sel: "[data-testid=banner][role=status]", count: 1, text: "Signed in as guest"},
				{sel: "[data-testid=brand]", count: 1, text: "Keelson"},
				{sel: "nav[aria-label=Main] a", count: 3},
				{sel: "[data-testid=nav-catalog]", count: 1, attr: "href", value: "/catalog"},
				{sel: "[data-testid=nav-apis]", count: 1, attr: "href", value: "/api-docs"},
				{sel: "[data-testid=nav-teams]", count: 1, attr: "href", value: "/teams"},
				{sel: "[aria-current=page]", count: 1, text: "Catalog"},
				{sel: "form[data-testid=global-search][role=search][method=get]", count: 1, attr: "action", value: "/catalog"},
				{sel: "#global-q", count: 1, attr: "name", value: "q"},
				{sel: "label[for=global-q]", count: 1, text: "Search the catalog"},
				{sel: "[data-testid=user-name]", count: 1, attr: "href", value: "/catalog/default/user/guest"},
				{sel: "form:has([data-testid=sign-out]) input[name=_csrf]", count: 1, attr: "value", value: "csrf-token-1"},
				{sel: "[data-testid=theme-toggle][type=button]", count: 1, attr: "aria-label", value: "Switch between light and dark theme"},
				{sel: "[data-testid=footer]", count: 1, text: "Keelson v0.3.0"},
			},
		},
		{
			name: "signed out with extra nav",
			page: signedOut,
			checks: []check{
				{sel: "[data-testid=banner]", count: 0},
				{sel: "[data-testid=user-name]", count: 0},
				{sel: "[data-testid=sign-out]", count: 0},
				{sel: "[data-testid=sign-in]", count: 1, attr: "href", value: "/auth/sign-in"},
				{sel: "[data-testid=nav-scorecards]", count: 1, attr: "href", value: "/scorecards"},
				{sel: "#global-q", count: 1, attr: "value", value: "petstore"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := render(t, views.NotFoundView(views.NotFoundPage{Page: tc.page}))
			assertChecks(t, doc, tc.checks)
		})
	}
}

// TestHeadingOrder checks every page has one h1 and never skips a level.
func TestHeadingOrder(t *testing.T) {
	pages := map[string]templ.Component{
		"home":     views.HomeView(sampleHome()),
		"catalog":  views.CatalogView(sampleCatalog()),
		"entity":   views.EntityView(sampleEntity(smallDiagram())),
		"api":      views.EntityView(func() views.EntityPage { m := sampleEntity(nil); m.API = sampleOpenAPI(); return m }()),
		"location": views.EntityView(sampleLocation()),
		"group":    views.GroupView(sampleGroup()),
		"user":     views.UserView(sampleUser()),
		"import":   views.ImportView(sampleImportDryRun()),
		"apis":     views.APIDocsView(sampleAPIDocs()),
		"teams":    views.TeamsView(sampleTeams()),
		"404":      views.NotFoundView(sampleNotFound()),
		"500":      views.ErrorView(sampleError()),
	}
	for name, c := range pages {
		t.Run(name, func(t *testing.T) {
			doc := render(t, c)
			if n := doc.Find("h1").Length(); n != 1 {
				t.Errorf("%d h1 elements, want 1", n)
			}
			last := 0
			doc.Find("h1, h2, h3, h4, h5, h6").Each(func(_ int, s *goquery.Selection) {
				level := int(goquery.NodeName(s)[1] - '0')
				if level > last+1 {
					t.Errorf("heading %q is h%d after h%d", strings.TrimSpace(s.Text()), level, last)
				}
				last = level
			})
			doc.Find("input:not([type=hidden]):not([type=checkbox])").Each(func(_ int, s *goquery.Selection) {
				id, _ := s.Attr("id")
				if id == "" || doc.Find("label[for='"+id+"']").Length() == 0 {
					t.Errorf("input %q has no label", id)
				}
			})
			ids := map[string]bool{}
			doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
				id, _ := s.Attr("id")
				if ids[id] {
					t.Errorf("duplicate id %q", id)
				}
				ids[id] = true
			})
		})
	}
}

func TestEntityLinkText(t *testing.T) {
	tests := []struct {
		link views.EntityLink
		want string
	}{
		{views.EntityLink{Ref: "group:default/team-a"}, "team-a"},
		{views.EntityLink{Ref: "group:portefaix/infra"}, "portefaix/infra"},
		{views.EntityLink{Ref: "group:default/team-a", Title: "Team A"}, "Team A"},
		{views.EntityLink{Ref: "default/odd"}, "odd"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.link.Text(); got != tc.want {
				t.Errorf("Text() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestEntityURL(t *testing.T) {
	tests := []struct {
		namespace, kind, name string
		want                  string
	}{
		{"default", "Component", "artist-web", "/catalog/default/component/artist-web"},
		{"", "API", "petstore", "/catalog/default/api/petstore"},
		{"portefaix", "Group", "team a/b", "/catalog/portefaix/group/team%20a%2Fb"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := views.EntityURL(tc.namespace, tc.kind, tc.name); got != tc.want {
				t.Errorf("EntityURL = %q, want %q", got, tc.want)
			}
		})
	}
}

func BenchmarkCatalogTable(b *testing.B) {
	table := sampleTable()
	rows := table.Rows
	table.Rows = nil
	for len(table.Rows) < 50 {
		table.Rows = append(table.Rows, rows...)
	}
	c := views.CatalogView(views.CatalogPage{Page: samplePage("Catalog", views.NavCatalog), Facets: sampleCatalog().Facets, Table: table})
	var buf bytes.Buffer
	ctx := context.Background()
	for b.Loop() {
		buf.Reset()
		if err := c.Render(ctx, &buf); err != nil {
			b.Fatal(err)
		}
	}
}
