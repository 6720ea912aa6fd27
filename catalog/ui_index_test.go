package catalog

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/database"
)

const uiDescriptor = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  profile:
    displayName: Team A
    email: a@example.com
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web
  description: The web shop
  tags: [shop]
spec:
  type: website
  lifecycle: production
  owner: team-a
  system: shop
  consumesApis: [orders]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: orders
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition: "openapi: 3.0.0\ninfo: {title: Orders, version: '1'}\npaths: {}"
`

func TestUIFollowsTheCatalog(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			svc := newTestService(t, backend)
			dir := t.TempDir()
			file := filepath.Join(dir, "catalog-info.yaml")
			writeFile(t, file, uiDescriptor)
			ingest(t, svc, file)
			ui := NewUI(svc)

			res, err := ui.List(ctx, ListRequest{Q: "shop"})
			if err != nil {
				t.Fatal(err)
			}
			if got := refs(res.Items); !slices.Equal(got, []string{"component:default/web"}) {
				t.Fatalf("search: %v", got)
			}
			if got := res.Related["group:default/team-a"].Title; got != "Team A" {
				t.Errorf("owner title from the profile: %q", got)
			}

			d, err := ui.Entity(ctx, model.Ref{Kind: "Component", Namespace: "default", Name: "web"})
			if err != nil {
				t.Fatal(err)
			}
			if d.Self.System != "system:default/shop" || d.Self.Owner != "group:default/team-a" {
				t.Errorf("summary: owner %q system %q", d.Self.Owner, d.Self.System)
			}
			var types []string
			for _, g := range d.Relations {
				types = append(types, g.Type)
			}
			if want := []string{"ownedBy", "partOf", "consumesApi"}; !slices.Equal(types, want) {
				t.Errorf("relation groups: got %v, want %v", types, want)
			}
			if !SummaryOf(d.Related, "system:default/shop").Dangling || SummaryOf(d.Related, "api:default/orders").Dangling {
				t.Errorf("dangling refs are not told from present ones")
			}
			if len(d.Neighbours) != 3 {
				t.Errorf("neighbours: %v", d.Neighbours)
			}

			apis, err := ui.APIs(ctx, nil, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(apis.Rows) != 1 || len(apis.Rows[0].Consumers) != 1 || apis.Rows[0].Consumers[0].Ref != "component:default/web" {
				t.Errorf("api rows: %+v", apis.Rows)
			}

			// The file changes: the web shop is gone (kept as an orphan), a new component appears.
			writeFile(t, file, uiDescriptor[:strings.Index(uiDescriptor, "---\napiVersion: backstage.io/v1alpha1\nkind: Component")]+
				"---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: shop-app\nspec:\n  type: app\n  lifecycle: beta\n  owner: team-a\n")
			if err := svc.RefreshAll(ctx); err != nil {
				t.Fatal(err)
			}
			ui.Invalidate()
			res, err = ui.List(ctx, ListRequest{Q: "shop"})
			if err != nil {
				t.Fatal(err)
			}
			if got := refs(res.Items); !slices.Equal(got, []string{"component:default/shop-app", "component:default/web"}) {
				t.Errorf("after the change: %v", got)
			}
			g, err := ui.Group(ctx, model.Ref{Kind: "Group", Namespace: "default", Name: "team-a"})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(g.Owned.Kinds, []string{"API", "Component"}) || !slices.Equal(g.Owned.Lifecycles, []string{"beta", "production"}) {
				t.Errorf("ownership: %v %v %v", g.Owned.Kinds, g.Owned.Lifecycles, g.Owned.Counts)
			}
			if _, err := ui.Entity(ctx, model.Ref{Kind: "Component", Namespace: "default", Name: "nothing"}); !IsNotFound(err) {
				t.Errorf("unknown entity: %v", err)
			}
		})
	}
}

// TestUIConcurrentReaders reads pages from many goroutines while the catalog is refreshed
// and the index invalidated; run with -race it checks the index is shared safely.
func TestUIConcurrentReaders(t *testing.T) {
	ctx := context.Background()
	svc := newTestService(t, "sqlite")
	file := filepath.Join(t.TempDir(), "catalog-info.yaml")
	writeFile(t, file, uiDescriptor)
	ingest(t, svc, file)
	ui := NewUI(svc)
	errs := make(chan error, 16)
	done := make(chan struct{})
	for i := range 8 {
		go func() {
			for j := 0; ; j++ {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				var err error
				switch (i + j) % 3 {
				case 0:
					_, err = ui.List(ctx, ListRequest{Filters: map[string][]string{FacetKind: {"component"}}, Q: "web", MaxOptions: 1})
				case 1:
					_, err = ui.Group(ctx, model.Ref{Kind: "Group", Namespace: "default", Name: "team-a"})
				default:
					ui.Invalidate()
					_, err = ui.Home(ctx, []string{"group:default/team-a"})
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 3 {
		writeFile(t, file, strings.Replace(uiDescriptor, "The web shop", "The web shop, take "+strconv.Itoa(i), 1))
		if err := svc.RefreshAll(ctx); err != nil {
			t.Error(err)
		}
	}
	close(done)
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
