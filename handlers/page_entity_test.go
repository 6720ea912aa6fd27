package handlers

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/keelson-dev/keelson/database"
)

// goodDescriptor is a component owned by a demo team; badDescriptor is the same file after a
// careless edit: the lifecycle became a list, which fails validation.
const (
	goodDescriptor = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: basket-recommender
  title: Basket Recommender
  description: Suggests what else goes into the basket.
spec:
  type: service
  lifecycle: experimental
  owner: conversion
  system: checkout
  dependsOn:
    - component:cart-service
  consumesApis:
    - cart-api
`
	badDescriptor = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: basket-recommender
  title: Basket Recommender
spec:
  type: service
  lifecycle: [experimental]
  owner: conversion
`
)

// newBrokenServer serves the demo catalog plus a component whose descriptor broke after its
// first good read.
func newBrokenServer(t *testing.T, backend string) (*pageServer, string) {
	t.Helper()
	file := writeDescriptor(t, t.TempDir(), "catalog-info.yaml", goodDescriptor)
	ts := newPageServer(t, backend, pageOptions{files: []string{file}})
	writeDescriptor(t, file[:strings.LastIndexByte(file, '/')], "catalog-info.yaml", badDescriptor)
	if err := ts.catalog.RefreshAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ts, file
}

func TestEntityPage(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			ts, file := newBrokenServer(t, backend)
			tests := []struct {
				name          string
				path          string
				wantTitle     string
				wantOwnerHref string
				// wantRelations are relation type -> a target link expected in that group.
				wantRelations map[string]string
				// wantDiagram are node ids the diagram must draw (nil: no diagram).
				wantDiagram []string
				// wantErrors are texts expected in processing errors, with the file.
				wantErrors []string
			}{
				{
					name:          "component",
					path:          "/catalog/default/component/cart-service",
					wantTitle:     "Cart Service",
					wantOwnerHref: "/catalog/default/group/conversion",
					wantRelations: map[string]string{
						"ownedBy":     "/catalog/default/group/conversion",
						"providesApi": "/catalog/default/api/cart-api",
						"consumesApi": "/catalog/default/api/pricing-api",
						"partOf":      "/catalog/default/system/checkout",
					},
					wantDiagram: []string{"component:default/cart-service", "group:default/conversion", "api:default/cart-api", "system:default/checkout"},
				},
				{
					name:          "component with a broken descriptor keeps its last good version and shows why",
					path:          "/catalog/default/component/basket-recommender",
					wantTitle:     "Basket Recommender",
					wantOwnerHref: "/catalog/default/group/conversion",
					wantRelations: map[string]string{"dependsOn": "/catalog/default/component/cart-service"},
					wantDiagram:   []string{"component:default/basket-recommender", "component:default/cart-service"},
					wantErrors:    []string{"spec.lifecycle"},
				},
				{
					name:          "system",
					path:          "/catalog/default/system/checkout",
					wantTitle:     "",
					wantOwnerHref: "",
					wantRelations: map[string]string{"hasPart": "/catalog/default/component/cart-service"},
					wantDiagram:   []string{"system:default/checkout"},
				},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					p := ts.mustGet(tc.path)
					if tc.wantTitle != "" {
						if got := strings.TrimSpace(p.doc.Find(`[data-testid="page-title"]`).Text()); got != tc.wantTitle {
							t.Errorf("title: got %q, want %q", got, tc.wantTitle)
						}
					}
					if tc.wantOwnerHref != "" {
						if got, _ := p.doc.Find(`[data-testid="entity-owner"] a`).Attr("href"); got != tc.wantOwnerHref {
							t.Errorf("owner link: got %q, want %q", got, tc.wantOwnerHref)
						}
					}
					for typ, href := range tc.wantRelations {
						hrefs := attrs(p.doc.Find(`[data-testid="relation-group"][data-type="`+typ+`"] [data-testid="relation"] a`), "href")
						if !slices.Contains(hrefs, href) {
							t.Errorf("relations %s: %v, want %s among them", typ, hrefs, href)
						}
					}
					nodes := attrs(p.doc.Find(`svg[data-testid="diagram"] [data-testid="diagram-node"]`), "data-id")
					for _, id := range tc.wantDiagram {
						if !slices.Contains(nodes, id) {
							t.Errorf("diagram nodes %v lack %s", nodes, id)
						}
					}
					if len(nodes) > 0 && p.doc.Find(`svg[data-testid="diagram"] [data-testid="diagram-edge"]`).Length() == 0 {
						t.Errorf("diagram without edges")
					}
					errs := p.doc.Find(`[data-testid="processing-errors"] [data-testid="processing-error"]`)
					if errs.Length() != len(tc.wantErrors) {
						t.Errorf("processing errors: got %d, want %d: %v", errs.Length(), len(tc.wantErrors), texts(errs))
					}
					for i, want := range tc.wantErrors {
						e := errs.Eq(i)
						if msg := e.Find(`[data-testid="error-message"]`).Text(); !strings.Contains(msg, want) {
							t.Errorf("error message %q lacks %q", msg, want)
						}
						if loc := e.Find(`[data-testid="error-location"]`).Text(); !strings.HasPrefix(loc, file) {
							t.Errorf("error location %q is not the file %s", loc, file)
						}
					}
				})
			}
		})
	}
}

func TestEntityPageAbout(t *testing.T) {
	ts := newPageServer(t, "sqlite", pageOptions{})
	p := ts.mustGet("/catalog/default/component/cart-service")
	tests := []struct {
		testid string
		want   string
	}{
		{"about-description", "Keeps shopping carts"},
		{"about-system", "Checkout"},
		{"entity-ref", "component:default/cart-service"},
		{"lifecycle", "production"},
		{"entity-type", "service"},
	}
	for _, tc := range tests {
		t.Run(tc.testid, func(t *testing.T) {
			if got := p.doc.Find(`[data-testid="` + tc.testid + `"]`).First().Text(); !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want %q in it", got, tc.want)
			}
		})
	}
	if got, _ := p.doc.Find(`[data-testid="source-url"]`).Attr("href"); got != "https://github.com/northwind-labs/cart-service/tree/main/" {
		t.Errorf("source url: %q", got)
	}
	if n := p.doc.Find(`[data-testid="links"] [data-testid="link"]`).Length(); n != 4 {
		t.Errorf("links: got %d, want 4", n)
	}
	if got := texts(p.doc.Find(`[data-testid="tags"] [data-testid="tag"]`)); !slices.Equal(got, []string{"kotlin", "spring-boot"}) {
		t.Errorf("tags: %v", got)
	}
	if got := texts(p.doc.Find(`[data-testid="labels"] [data-testid="label"]`)); !slices.Equal(got, []string{"tier: critical"}) {
		t.Errorf("labels: %v", got)
	}
}

func TestAPIEntityPage(t *testing.T) {
	ts := newPageServer(t, "sqlite", pageOptions{})
	tests := []struct {
		name       string
		path       string
		wantType   string
		wantOps    bool
		wantChans  bool
		wantHilite bool
	}{
		{"openapi", "/catalog/default/api/payments-api", "openapi", true, false, false},
		{"asyncapi", "/catalog/default/api/order-events", "asyncapi", false, true, false},
		{"graphql", "/catalog/default/api/storefront-graphql", "graphql", false, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ts.mustGet(tc.path)
			def := p.doc.Find(`[data-testid="api-definition"]`)
			if got, _ := def.Attr("data-api-type"); got != tc.wantType {
				t.Errorf("type: got %q, want %q", got, tc.wantType)
			}
			ops := def.Find(`[data-testid="operation"]`)
			if (ops.Length() > 0) != tc.wantOps {
				t.Errorf("operations: %d", ops.Length())
			}
			if tc.wantOps {
				method := strings.TrimSpace(ops.First().Find(`[data-testid="operation-method"]`).Text())
				path := strings.TrimSpace(ops.First().Find(`[data-testid="operation-path"]`).Text())
				if method == "" || !strings.HasPrefix(path, "/") {
					t.Errorf("first operation: %q %q", method, path)
				}
			}
			if got := def.Find(`[data-testid="channel"]`).Length() > 0; got != tc.wantChans {
				t.Errorf("channels shown: %v", got)
			}
			if got := def.Find(`.hl-k, [class^="hl-"]`).Length() > 0; got != tc.wantHilite {
				t.Errorf("highlighting: %v", got)
			}
			if def.Find(`[data-testid="api-raw-text"]`).Text() == "" {
				t.Errorf("no raw definition")
			}
		})
	}
}

func TestEntityPageNotFound(t *testing.T) {
	ts := newPageServer(t, "sqlite", pageOptions{})
	tests := []struct {
		name string
		path string
	}{
		{"unknown entity", "/catalog/default/component/no-such-thing"},
		{"unknown page", "/no/such/page"},
		{"entity path without a name", "/catalog/default/component"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ts.get(tc.path)
			if p.status != http.StatusNotFound {
				t.Errorf("status: got %d, want 404", p.status)
			}
			if p.doc.Find(`[data-testid="not-found-search"] input[name="q"]`).Length() != 1 {
				t.Errorf("the 404 page offers no search")
			}
		})
	}
}
