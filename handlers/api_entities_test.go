package handlers

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keelson-dev/keelson/database"
)

func TestCatalogAPI(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			ts := newTestServer(t, backend, examples(t)...)

			t.Run("entities array with link header", func(t *testing.T) {
				status, h, body := ts.do("GET", "/api/catalog/entities?filter=kind=group&limit=5&fields=metadata.name", "")
				var items []map[string]any
				if err := json.Unmarshal(body, &items); err != nil || status != 200 {
					t.Fatalf("status %d body %s", status, body)
				}
				if len(items) != 5 || !strings.Contains(h.Get("Link"), `rel="next"`) || !strings.Contains(h.Get("Link"), "after=") {
					t.Errorf("items %d, link %q", len(items), h.Get("Link"))
				}
			})

			t.Run("by-query shape", func(t *testing.T) {
				status, _, body := ts.do("GET", "/api/catalog/entities/by-query?filter=kind=component&limit=5&orderField=metadata.name,asc", "")
				var res struct {
					Items      []map[string]any  `json:"items"`
					TotalItems int               `json:"totalItems"`
					PageInfo   map[string]string `json:"pageInfo"`
				}
				if err := json.Unmarshal(body, &res); err != nil || status != 200 {
					t.Fatalf("status %d body %s", status, body)
				}
				if len(res.Items) != 5 || res.TotalItems != 13 || res.PageInfo["nextCursor"] == "" {
					t.Errorf("items %d total %d pageInfo %v", len(res.Items), res.TotalItems, res.PageInfo)
				}
				status, _, body = ts.do("GET", "/api/catalog/entities/by-query?cursor="+url.QueryEscape(res.PageInfo["nextCursor"]), "")
				if status != 200 || !strings.Contains(string(body), `"prevCursor"`) {
					t.Errorf("next page: %d %s", status, body)
				}
			})

			t.Run("by-name and by-uid", func(t *testing.T) {
				status, _, body := ts.do("GET", "/api/catalog/entities/by-name/component/default/petstore", "")
				var e struct {
					Metadata struct {
						UID  string `json:"uid"`
						Name string `json:"name"`
					} `json:"metadata"`
					Relations []map[string]string `json:"relations"`
				}
				if err := json.Unmarshal(body, &e); err != nil || status != 200 || e.Metadata.Name != "petstore" || len(e.Relations) == 0 {
					t.Fatalf("by-name: %d %s", status, body)
				}
				status, _, body = ts.do("GET", "/api/catalog/entities/by-uid/"+e.Metadata.UID, "")
				if status != 200 || !strings.Contains(string(body), `"petstore"`) {
					t.Errorf("by-uid: %d %s", status, body)
				}
				status, _, _ = ts.do("GET", "/api/catalog/entities/by-name/Component/Default/PETSTORE", "")
				if status != 200 {
					t.Errorf("by-name is case-insensitive in Backstage; got %d", status)
				}
			})

			t.Run("not found error body", func(t *testing.T) {
				status, _, body := ts.do("GET", "/api/catalog/entities/by-name/component/default/nope", "")
				var eb apiError
				if err := json.Unmarshal(body, &eb); err != nil || status != 404 {
					t.Fatalf("status %d body %s", status, body)
				}
				want := apiError{Error: apiErrorDetail{Name: "NotFoundError", Message: "No entity named 'nope' found, with kind 'component' in namespace 'default'"},
					Request: apiErrorRequest{Method: "GET", URL: "/api/catalog/entities/by-name/component/default/nope"}, Response: apiErrorResponse{StatusCode: 404}}
				if eb != want {
					t.Errorf("error body = %+v, want %+v", eb, want)
				}
			})

			t.Run("bad filter is an input error", func(t *testing.T) {
				status, _, body := ts.do("GET", "/api/catalog/entities?filter==x", "")
				if status != 400 || !strings.Contains(string(body), `"InputError"`) {
					t.Errorf("status %d body %s", status, body)
				}
			})

			t.Run("by-refs", func(t *testing.T) {
				status, _, body := ts.do("POST", "/api/catalog/entities/by-refs?fields=kind", `{"entityRefs":["component:default/petstore","api:default/nope"]}`)
				if status != 200 || string(body) != `{"items":[{"kind":"Component"},null]}` {
					t.Errorf("by-refs: %d %s", status, body)
				}
			})

			t.Run("facets", func(t *testing.T) {
				status, _, body := ts.do("GET", "/api/catalog/entity-facets?facet=kind&filter=kind=domain", "")
				if status != 200 || strings.TrimSpace(string(body)) != `{"facets":{"kind":[{"value":"Domain","count":3}]}}` {
					t.Errorf("facets: %d %s", status, body)
				}
			})

			t.Run("ancestry", func(t *testing.T) {
				status, _, body := ts.do("GET", "/api/catalog/entities/by-name/component/default/petstore/ancestry", "")
				if status != 200 || !strings.Contains(string(body), `"rootEntityRef":"component:default/petstore"`) || !strings.Contains(string(body), `"parentEntityRefs"`) {
					t.Errorf("ancestry: %d %s", status, body)
				}
			})

			t.Run("validate-entity", func(t *testing.T) {
				status, _, _ := ts.do("POST", "/api/catalog/validate-entity",
					`{"location":"url:https://example.com/catalog-info.yaml","entity":{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"ok"},"spec":{"type":"service","owner":"me","lifecycle":"production"}}}`)
				if status != 200 {
					t.Errorf("valid entity: %d", status)
				}
				status, _, body := ts.do("POST", "/api/catalog/validate-entity",
					`{"location":"url:https://example.com/catalog-info.yaml","entity":{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"bad name"},"spec":{"type":"service","owner":"me","lifecycle":"production"}}}`)
				if status != 400 || !strings.Contains(string(body), `"errors"`) || !strings.Contains(string(body), "metadata.name") {
					t.Errorf("invalid entity: %d %s", status, body)
				}
			})

			t.Run("locations", func(t *testing.T) {
				status, _, body := ts.do("GET", "/api/catalog/locations", "")
				var locs []struct {
					Data struct{ ID, Type, Target string } `json:"data"`
				}
				if err := json.Unmarshal(body, &locs); err != nil || status != 200 || len(locs) != 2 || locs[0].Data.Type != "file" {
					t.Fatalf("locations: %d %s", status, body)
				}
				dir := t.TempDir()
				file := filepath.Join(dir, "catalog-info.yaml")
				os.WriteFile(file, []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: added\nspec:\n  type: service\n  owner: team-a\n  lifecycle: production\n"), 0o644)
				reqBody := `{"type":"file","target":"` + file + `"}`
				status, _, body = ts.do("POST", "/api/catalog/locations?dryRun=true", reqBody)
				if status != 201 || !strings.Contains(string(body), `"added"`) {
					t.Fatalf("dry run: %d %s", status, body)
				}
				if s, _, _ := ts.do("GET", "/api/catalog/entities/by-name/component/default/added", ""); s != 404 {
					t.Errorf("dry run stored the entity")
				}
				status, _, body = ts.do("POST", "/api/catalog/locations", reqBody)
				var created struct {
					Location struct{ ID string } `json:"location"`
				}
				if json.Unmarshal(body, &created); status != 201 || created.Location.ID == "" {
					t.Fatalf("register: %d %s", status, body)
				}
				if s, _, _ := ts.do("POST", "/api/catalog/locations", reqBody); s != 409 {
					t.Errorf("second registration: %d, want 409", s)
				}
				if s, _, b := ts.do("GET", "/api/catalog/locations/by-entity/component/default/added", ""); s != 200 || !strings.Contains(string(b), created.Location.ID) {
					t.Errorf("by-entity: %d %s", s, b)
				}
				if s, _, _ := ts.do("POST", "/api/catalog/refresh", `{"entityRef":"component:default/added"}`); s != 200 {
					t.Errorf("refresh: %d", s)
				}
				if s, _, _ := ts.do("DELETE", "/api/catalog/locations/"+created.Location.ID, ""); s != 204 {
					t.Errorf("delete: %d", s)
				}
				if s, _, _ := ts.do("GET", "/api/catalog/locations/"+created.Location.ID, ""); s != 404 {
					t.Errorf("deleted location still there: %d", s)
				}
				if s, _, _ := ts.do("GET", "/api/catalog/entities/by-name/component/default/added", ""); s != 404 {
					t.Errorf("entity of deleted location still served: %d", s)
				}
			})

			t.Run("delete by uid", func(t *testing.T) {
				_, _, body := ts.do("GET", "/api/catalog/entities/by-name/component/default/searcher", "")
				var e struct {
					Metadata struct{ UID string } `json:"metadata"`
				}
				json.Unmarshal(body, &e)
				if s, _, _ := ts.do("DELETE", "/api/catalog/entities/by-uid/"+e.Metadata.UID, ""); s != 204 {
					t.Errorf("delete: %d", s)
				}
				if s, _, _ := ts.do("GET", "/api/catalog/entities/by-uid/"+e.Metadata.UID, ""); s != 404 {
					t.Errorf("deleted entity served: %d", s)
				}
			})
		})
	}
}

func TestHealthAndMetrics(t *testing.T) {
	ts := newTestServer(t, "sqlite", examples(t)...)
	if s, _, b := ts.do("GET", "/healthz", ""); s != 200 || !strings.Contains(string(b), "ok") {
		t.Errorf("healthz: %d %s", s, b)
	}
	if s, _, _ := ts.do("GET", "/readyz", ""); s != http.StatusOK {
		t.Errorf("readyz without a readiness check: %d", s)
	}
	ts.do("GET", "/api/catalog/entities", "")
	s, _, b := ts.do("GET", "/metrics", "")
	if s != 200 {
		t.Fatalf("metrics: %d", s)
	}
	for _, want := range []string{
		`keelson_http_request_duration_seconds_count{code="200",method="GET",route="/api/catalog/entities"} 1`,
		`keelson_catalog_refresh_duration_seconds_count{outcome="ok"} 2`,
		`keelson_catalog_entities_written_total 68`,
		`keelson_catalog_processing_errors{location="file:` + examples(t)[0] + `"} 0`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
