package catalog

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/keelson-dev/keelson/database"
)

// TestBackstageExampleCatalog ingests Backstage's example catalog the way its example app
// configures it (all.yaml and acme-corp.yaml) and checks the entities and relations.
func TestBackstageExampleCatalog(t *testing.T) {
	ex := filepath.Join(sharedDir(t), "corpus/backstage-examples/catalog-model/examples")
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			s := newTestService(t, backend)
			ingest(t, s, filepath.Join(ex, "all.yaml"), filepath.Join(ex, "acme-corp.yaml"))
			problems, err := s.Problems(context.Background(), "")
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) != 0 {
				t.Fatalf("problems: %+v", problems)
			}
			entities := allEntities(t, s)
			counts := map[string]int{}
			relations := map[string]bool{}
			for _, e := range entities {
				counts[e.Kind]++
				for _, r := range e.Relations {
					relations[e.Ref().Key()+" "+r.Type+" "+r.TargetRef] = true
				}
				if e.Status != nil && len(e.Status.Items) > 0 {
					t.Errorf("%s has status items %+v", e.Ref(), e.Status.Items)
				}
			}
			want := map[string]int{"API": 10, "AiResource": 2, "Component": 13, "Domain": 3, "Group": 8,
				"Location": 11, "Resource": 1, "System": 3, "User": 17}
			for kind, n := range want {
				if counts[kind] != n {
					t.Errorf("%s: %d entities, want %d", kind, counts[kind], n)
				}
			}
			if len(entities) != 68 {
				t.Errorf("%d entities, want 68 (66 from the files, 2 generated Location entities)", len(entities))
			}
			// Every relation is stored in both directions.
			inverse := map[string]string{
				"ownedBy": "ownerOf", "partOf": "hasPart", "providesApi": "apiProvidedBy", "consumesApi": "apiConsumedBy",
				"dependsOn": "dependencyOf", "parentOf": "childOf", "memberOf": "hasMember", "subcomponentOf": "hasSubcomponent",
			}
			for k, v := range inverse {
				inverse[v] = k
			}
			for rel := range relations {
				parts := strings.Fields(rel)
				back := parts[2] + " " + inverse[parts[1]] + " " + parts[0]
				if !relations[back] {
					t.Errorf("relation %q has no inverse %q", rel, back)
				}
			}
			for _, rel := range []string{
				"component:default/www-artist ownedBy group:default/team-a",
				"group:default/team-a ownerOf component:default/www-artist",
				"component:default/www-artist partOf system:default/artist-engagement-portal",
				"system:default/artist-engagement-portal partOf domain:default/artists",
				"component:default/petstore providesApi api:default/petstore",
				"api:default/petstore apiProvidedBy component:default/petstore",
				"user:default/breanna.davison memberOf group:default/team-a",
				"group:default/team-a hasMember user:default/breanna.davison",
				"group:default/acme-corp parentOf group:default/infrastructure",
				"group:default/infrastructure childOf group:default/acme-corp",
				"airesource:default/frontend-design ownedBy group:default/team-a",
			} {
				if !relations[rel] {
					t.Errorf("missing relation %q", rel)
				}
			}
			if len(relations) != 158 {
				keys := make([]string, 0, len(relations))
				for k := range relations {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				t.Errorf("%d relations, want 158:\n%s", len(relations), strings.Join(keys, "\n"))
			}
			petstore := mustEntity(t, s, "component:default/petstore")
			if got := petstore.Metadata.Annotations[AnnotationManagedByOriginLocation]; got != "file:"+filepath.Join(ex, "all.yaml") {
				t.Errorf("petstore origin location = %q", got)
			}
			if got := petstore.Metadata.Annotations[AnnotationManagedByLocation]; got != "file:"+filepath.Join(ex, "components/petstore-component.yaml") {
				t.Errorf("petstore location = %q", got)
			}
			if petstore.Metadata.UID == "" || petstore.Metadata.Etag == "" {
				t.Errorf("petstore has no uid or etag: %+v", petstore.Metadata)
			}
		})
	}
}

// TestWildTrees ingests the sub-trees of public repositories with their relative references.
func TestWildTrees(t *testing.T) {
	trees := filepath.Join(sharedDir(t), "corpus/wild-trees")
	tests := []struct {
		name         string
		root         string
		wantEntities int
		wantProblems []string // substrings, one per expected problem, in any order
	}{
		{
			name: "ibm-messaging", root: "ibm-messaging__mq-dev-patterns/backstage/catalog-info.yaml",
			wantEntities: 1 + 13,
			wantProblems: []string{"nodeapi/sample.yaml", "goapi/sample.yaml", "dotnetapi/sample.yaml"},
		},
		{
			name: "portefaix", root: "portefaix__portefaix-backstage/catalog/catalog-info.yaml",
			wantProblems: []string{
				"portefaix-kubernetes/tree/master/catalog/catalog-info.yaml",
				"portefaix-infrastructure/tree/master/catalog/catalog-info.yaml"},
		},
		{
			name: "portefaix-templates", root: "portefaix__portefaix-backstage/catalog/templates.yaml",
			wantEntities: 2, wantProblems: []string{"templates/commons/system/template.yaml, not found"},
		},
		{
			name: "rhdh", root: "redhat-developer__rhdh/catalog-entities/all.yaml",
			// Two $openapi definitions live on public URLs, which tests do not reach.
			wantProblems: []string{"learn.openapis.org/main/examples/v3.0/petstore.yaml", "nexus-swagger.json"},
		},
	}
	for _, backend := range database.Backends(t) {
		for _, tc := range tests {
			t.Run(backend+"/"+tc.name, func(t *testing.T) {
				s := newTestService(t, backend)
				ingest(t, s, filepath.Join(trees, tc.root))
				problems, err := s.Problems(context.Background(), "")
				if err != nil {
					t.Fatal(err)
				}
				if len(problems) != len(tc.wantProblems) {
					t.Fatalf("%d problems, want %d: %+v", len(problems), len(tc.wantProblems), problems)
				}
				for _, want := range tc.wantProblems {
					found := false
					for _, p := range problems {
						if strings.Contains(p.Source+": "+p.Message, want) || strings.Contains(p.Message, want) {
							found = true
						}
					}
					if !found {
						t.Errorf("no problem mentions %q: %+v", want, problems)
					}
				}
				entities := allEntities(t, s)
				if tc.wantEntities > 0 && len(entities) != tc.wantEntities {
					t.Errorf("%d entities, want %d", len(entities), tc.wantEntities)
				}
				if len(entities) < 2 {
					t.Errorf("only %d entities ingested", len(entities))
				}
			})
		}
	}
}

// TestWildDescriptors ingests every flattened public descriptor as its own location: each
// either yields entities or reports errors naming the file, and nothing panics.
func TestWildDescriptors(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "corpus/wild")
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestService(t, "sqlite")
	ctx := context.Background()
	for _, f := range files {
		t.Run(f.Name(), func(t *testing.T) {
			path := filepath.Join(dir, f.Name())
			res, err := s.AddLocation(ctx, Spec{Type: "file", Target: path}, false)
			if err != nil {
				t.Fatalf("add location: %v", err)
			}
			if len(res.Entities) < 2 && len(res.Errors) == 0 {
				t.Errorf("no entity and no error from %s", f.Name())
			}
			for _, p := range res.Errors {
				if p.Source == "" || p.Message == "" || p.Name == "" {
					t.Errorf("problem without source, name or message: %+v", p)
				}
			}
		})
	}
}
