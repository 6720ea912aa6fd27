package catalog

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/database"
)

const rootLocation = `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: root
spec:
  targets:
    - ./a.yaml
    - ./b.yaml
`

func component(name, owner, extra string) string {
	return `---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ` + name + `
spec:
  type: service
  lifecycle: production
  owner: ` + owner + `
` + extra
}

func refresh(t *testing.T, s *Service) {
	t.Helper()
	if err := s.RefreshAll(context.Background()); err != nil {
		t.Fatalf("refresh: %v", err)
	}
}

func statusMessages(e *model.Entity) []string {
	if e.Status == nil {
		return nil
	}
	var out []string
	for _, it := range e.Status.Items {
		out = append(out, it.Message)
	}
	return out
}

func exists(t *testing.T, s *Service, ref string) bool {
	t.Helper()
	r, _ := model.ParseRef(ref, model.RefContext{})
	_, err := s.EntityByRef(context.Background(), r)
	return err == nil
}

// TestRefreshLifecycle walks one location through the changes a real repository sees.
func TestRefreshLifecycle(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			dir := t.TempDir()
			s := newTestService(t, backend)
			writeFile(t, filepath.Join(dir, "catalog-info.yaml"), rootLocation)
			writeFile(t, filepath.Join(dir, "a.yaml"), component("alpha", "team-x", "")+component("beta", "team-x", ""))
			writeFile(t, filepath.Join(dir, "b.yaml"), component("gamma", "team-y", ""))
			ingest(t, s, filepath.Join(dir, "catalog-info.yaml"))

			alpha := mustEntity(t, s, "component:default/alpha")
			if len(alpha.Relations) != 1 || alpha.Relations[0].Type != "ownedBy" || alpha.Relations[0].TargetRef != "group:default/team-x" {
				t.Fatalf("alpha relations = %+v, want ownedBy group:default/team-x (dangling until the group exists)", alpha.Relations)
			}
			beta := mustEntity(t, s, "component:default/beta")

			// A change to one entity rewrites only that entity.
			writeFile(t, filepath.Join(dir, "a.yaml"), component("alpha", "team-x", "  system: shop\n")+component("beta", "team-x", ""))
			refresh(t, s)
			alpha2 := mustEntity(t, s, "component:default/alpha")
			if alpha2.Metadata.Etag == alpha.Metadata.Etag || alpha2.Spec["system"] != "shop" {
				t.Errorf("alpha not rewritten: etag %s -> %s, spec %v", alpha.Metadata.Etag, alpha2.Metadata.Etag, alpha2.Spec)
			}
			if alpha2.Metadata.UID != alpha.Metadata.UID {
				t.Errorf("alpha uid changed on update")
			}
			if b := mustEntity(t, s, "component:default/beta"); b.Metadata.Etag != beta.Metadata.Etag {
				t.Errorf("unchanged beta was rewritten")
			}

			// The group arrives: the relation resolves from its side too.
			writeFile(t, filepath.Join(dir, "b.yaml"), component("gamma", "team-y", "")+`---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-x
spec:
  type: team
  children: []
`)
			refresh(t, s)
			group := mustEntity(t, s, "group:default/team-x")
			owns := map[string]bool{}
			for _, r := range group.Relations {
				if r.Type == "ownerOf" {
					owns[r.TargetRef] = true
				}
			}
			if !owns["component:default/alpha"] || !owns["component:default/beta"] {
				t.Errorf("team-x ownerOf = %v, want alpha and beta", owns)
			}

			// An entity that disappears from its file becomes an orphan.
			writeFile(t, filepath.Join(dir, "a.yaml"), component("alpha", "team-x", "  system: shop\n"))
			refresh(t, s)
			if b := mustEntity(t, s, "component:default/beta"); b.Metadata.Annotations[AnnotationOrphan] != "true" {
				t.Errorf("beta annotations = %v, want backstage.io/orphan", b.Metadata.Annotations)
			}

			// A file that no longer parses orphans nothing it produced, and its error is shown
			// on the Location entity that reads it.
			writeFile(t, filepath.Join(dir, "b.yaml"), "apiVersion: [unclosed\n")
			refresh(t, s)
			gamma := mustEntity(t, s, "component:default/gamma")
			if gamma.Metadata.Annotations[AnnotationOrphan] != "" {
				t.Errorf("gamma orphaned by a parse error in its file")
			}
			root := mustEntity(t, s, "location:default/root")
			if msgs := statusMessages(root); len(msgs) != 1 || !strings.Contains(msgs[0], "b.yaml") {
				t.Errorf("root location status = %v, want the parse error of b.yaml", msgs)
			}

			// An entity that turns invalid keeps its last good version, with the error.
			writeFile(t, filepath.Join(dir, "b.yaml"), component("gamma", "team-y", "")+`---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-x
spec:
  type: team
  children: []
`)
			writeFile(t, filepath.Join(dir, "a.yaml"), component("alpha", "team-x", "  system: shop\n  dependsOn: 42\n")+
				component("never-valid", "team-x", "  lifecycle: twice\n  lifecycle: again\n"))
			refresh(t, s)
			alpha3 := mustEntity(t, s, "component:default/alpha")
			if alpha3.Spec["system"] != "shop" || alpha3.Metadata.Annotations[AnnotationOrphan] != "" {
				t.Errorf("alpha lost its last good version: %+v", alpha3)
			}
			if msgs := statusMessages(alpha3); len(msgs) == 0 || !strings.Contains(strings.Join(msgs, " "), "spec.dependsOn") {
				t.Errorf("alpha status = %v, want an error naming spec.dependsOn", msgs)
			}
			// An entity that never processed is not served; its error is on the Location entity.
			if exists(t, s, "component:default/never-valid") {
				t.Errorf("never-valid is served")
			}
			root = mustEntity(t, s, "location:default/root")
			if msgs := strings.Join(statusMessages(root), " "); !strings.Contains(msgs, "a.yaml") {
				t.Errorf("root location status = %q, want the error of the never-valid entity in a.yaml", msgs)
			}
			problems, err := s.Problems(context.Background(), "")
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) != 2 {
				t.Errorf("problems = %+v, want alpha's and never-valid's", problems)
			}
		})
	}
}

// TestLocationConflict checks that the location that stored an entity first keeps it.
func TestLocationConflict(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			dir := t.TempDir()
			s := newTestService(t, backend)
			first, second := filepath.Join(dir, "first.yaml"), filepath.Join(dir, "second.yaml")
			writeFile(t, first, component("shared", "team-a", ""))
			writeFile(t, second, component("shared", "team-b", ""))
			ingest(t, s, first, second)
			e := mustEntity(t, s, "component:default/shared")
			if e.Spec["owner"] != "team-a" {
				t.Errorf("owner = %v, want team-a from the first location", e.Spec["owner"])
			}
			locs, err := s.Locations(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			problems, err := s.Problems(context.Background(), locs[1].ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) != 1 || problems[0].Name != "ConflictError" ||
				!strings.Contains(problems[0].Message, first) || !strings.Contains(problems[0].Message, second) {
				t.Errorf("second location problems = %+v, want a conflict naming both files", problems)
			}
			// Refreshing again changes nothing: the first location still owns it.
			refresh(t, s)
			if e := mustEntity(t, s, "component:default/shared"); e.Spec["owner"] != "team-a" {
				t.Errorf("owner after refresh = %v", e.Spec["owner"])
			}
		})
	}
}

// TestAddAndDeleteLocation registers a location through the service, dry-runs one, and
// unregisters it.
func TestAddAndDeleteLocation(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			dir := t.TempDir()
			s := newTestService(t, backend)
			ctx := context.Background()
			file := filepath.Join(dir, "catalog-info.yaml")
			writeFile(t, file, component("svc", "team-a", "")+component("Bad Name", "team-a", ""))
			spec := Spec{Type: "file", Target: file}

			dry, err := s.AddLocation(ctx, spec, true)
			if err != nil {
				t.Fatal(err)
			}
			if len(dry.Entities) != 2 || len(dry.Errors) != 1 || dry.Exists {
				t.Errorf("dry run = %d entities, errors %+v, exists %v; want the generated Location and svc, one error", len(dry.Entities), dry.Errors, dry.Exists)
			}
			if exists(t, s, "component:default/svc") {
				t.Fatalf("dry run stored an entity")
			}
			res, err := s.AddLocation(ctx, spec, false)
			if err != nil {
				t.Fatal(err)
			}
			if res.Location.ID == "" || !exists(t, s, "component:default/svc") {
				t.Fatalf("location not registered and read: %+v", res)
			}
			if _, err := s.AddLocation(ctx, spec, false); err == nil {
				t.Errorf("registering twice succeeded")
			}
			if err := s.DeleteLocation(ctx, res.Location.ID); err != nil {
				t.Fatal(err)
			}
			if exists(t, s, "component:default/svc") {
				t.Errorf("svc still served after its location was unregistered")
			}
			if _, err := s.GetLocation(ctx, res.Location.ID); err == nil {
				t.Errorf("location still listed")
			}
		})
	}
}
