package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/database"
	"github.com/keelson-dev/keelson/views"
)

// importDescriptor holds a good component of the conversion team and a broken one.
const importDescriptor = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: coupon-service
  title: Coupon Service
spec:
  type: service
  lifecycle: experimental
  owner: conversion
  system: checkout
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: Not A Valid Name!
spec:
  type: service
  lifecycle: experimental
  owner: conversion
`

func TestImportPage(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			ts := newPageServer(t, backend, pageOptions{})
			file := writeDescriptor(t, t.TempDir(), "catalog-info.yaml", importDescriptor)

			// Not signed in: sent to sign in and back.
			p := ts.get(views.ImportURL)
			if loc := p.header.Get("Location"); p.status != http.StatusFound || !strings.HasPrefix(loc, auth.LoginPath) {
				t.Fatalf("anonymous import: status %d, Location %q", p.status, loc)
			}
			ts.signIn("mateo.rossi")

			p = ts.post(views.ImportURL, views.ImportURL, url.Values{"target": {"  "}})
			if p.status != http.StatusUnprocessableEntity || p.doc.Find(`[data-testid="import-form-error"]`).Length() != 1 {
				t.Errorf("empty target: status %d, form error %q", p.status, p.doc.Find(`[data-testid="import-form-error"]`).Text())
			}

			p = ts.post(views.ImportURL, views.ImportURL, url.Values{"target": {file}})
			if p.status != http.StatusOK {
				t.Fatalf("dry run: status %d\n%s", p.status, p.doc.Find("main").Text())
			}
			dry := p.doc.Find(`[data-testid="import-dry-run"]`)
			if got := attrs(dry.Find(`[data-testid="import-entity"]`), "data-ref"); !slices.Equal(got, []string{"component:default/coupon-service"}) {
				t.Errorf("dry run entities: %v", got)
			}
			errs := dry.Find(`[data-testid="processing-error"]`)
			if errs.Length() == 0 {
				t.Errorf("the dry run shows no errors")
			}
			if loc := errs.First().Find(`[data-testid="error-location"]`).Text(); !strings.HasPrefix(loc, file) {
				t.Errorf("error location %q, want the file", loc)
			}
			if ts.get("/catalog/default/component/coupon-service").status != http.StatusNotFound {
				t.Errorf("a dry run registered the entity")
			}

			p = ts.post(views.ImportURL, views.ImportConfirmURL, url.Values{"target": {file}})
			if p.status != http.StatusSeeOther {
				t.Fatalf("confirm: status %d\n%s", p.status, p.doc.Find("main").Text())
			}
			result := ts.mustGet(p.header.Get("Location"))
			imported := attrs(result.doc.Find(`[data-testid="imported-entity"] a`), "href")
			if !slices.Equal(imported, []string{"/catalog/default/component/coupon-service"}) {
				t.Errorf("imported: %v", imported)
			}
			locHref, _ := result.doc.Find(`[data-testid="import-result"] a`).First().Attr("href")
			if !strings.HasPrefix(locHref, "/catalog/default/location/generated-") {
				t.Fatalf("location link %q", locHref)
			}
			entity := ts.mustGet("/catalog/default/component/coupon-service")
			if got := strings.TrimSpace(entity.doc.Find(`[data-testid="page-title"]`).Text()); got != "Coupon Service" {
				t.Errorf("imported entity title %q", got)
			}
			if got := resultCount(t, ts.mustGet("/catalog?q=coupon")); got != 1 {
				t.Errorf("catalog search finds %d coupon entities, want 1", got)
			}

			// The Location's page shows the broken document's error and the actions.
			loc := ts.mustGet(locHref)
			if got := loc.doc.Find(`[data-testid="location-target"]`).Text(); got != file {
				t.Errorf("location target %q", got)
			}
			if got := loc.doc.Find(`[data-testid="processing-errors"] [data-testid="error-location"]`).First().Text(); !strings.HasPrefix(got, file) {
				t.Errorf("location error from %q, want the file", got)
			}

			// Analyze again: the location is registered.
			p = ts.post(views.ImportURL, views.ImportURL, url.Values{"target": {file}})
			if p.doc.Find(`[data-testid="import-form-error"]`).Length() != 1 || p.doc.Find(`[data-testid="import-confirm"]`).Length() != 0 {
				t.Errorf("a registered location can be confirmed again")
			}

			writeDescriptor(t, file[:strings.LastIndexByte(file, '/')], "catalog-info.yaml", strings.Replace(importDescriptor, "Coupon Service", "Coupon Engine", 1))
			p = ts.post(locHref, locHref+"/refresh", url.Values{})
			if p.status != http.StatusSeeOther || p.header.Get("Location") != locHref {
				t.Errorf("refresh: status %d to %q", p.status, p.header.Get("Location"))
			}
			if got := strings.TrimSpace(ts.mustGet("/catalog/default/component/coupon-service").doc.Find(`[data-testid="page-title"]`).Text()); got != "Coupon Engine" {
				t.Errorf("after refresh the title is %q", got)
			}

			p = ts.post(locHref, locHref+"/unregister", url.Values{})
			if p.status != http.StatusSeeOther || p.header.Get("Location") != views.CatalogURL {
				t.Errorf("unregister: status %d to %q", p.status, p.header.Get("Location"))
			}
			if ts.get("/catalog/default/component/coupon-service").status != http.StatusNotFound {
				t.Errorf("the entity outlived its location")
			}
		})
	}
}

func TestImportPageRefusesOthersEntities(t *testing.T) {
	ts := newPageServer(t, "sqlite", pageOptions{})
	file := writeDescriptor(t, t.TempDir(), "catalog-info.yaml", importDescriptor)
	ts.signIn("amara.okafor") // fulfilment engineering, not conversion
	p := ts.post(views.ImportURL, views.ImportConfirmURL, url.Values{"target": {file}})
	if p.status != http.StatusForbidden {
		t.Errorf("status: got %d, want 403", p.status)
	}
	if ts.get("/catalog/default/component/coupon-service").status != http.StatusNotFound {
		t.Errorf("the entity was registered")
	}
	for _, action := range []string{"/refresh", "/unregister"} {
		p := ts.post("/catalog", "/catalog/default/location/demo"+action, url.Values{})
		if p.status != http.StatusNotFound && p.status != http.StatusForbidden {
			t.Errorf("%s on a location that is not there: status %d", action, p.status)
		}
	}
}
