package model

import (
	"maps"
	"path/filepath"
	"slices"
	"testing"
)

// exampleCatalog reads Backstage's example catalog the way ingestion does: from all.yaml and
// acme-corp.yaml, following Location targets, with relative substitutions resolved.
type exampleCatalog struct {
	files    []string
	entities []*Entity
	rows     []RelationRow
}

func loadExampleCatalog(t *testing.T) exampleCatalog {
	t.Helper()
	root := filepath.Join(corpusDir(t), "backstage-examples", "catalog-model", "examples")
	var c exampleCatalog
	seen := map[string]bool{}
	queue := []string{filepath.Join(root, "all.yaml"), filepath.Join(root, "acme-corp.yaml")}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		rel, _ := filepath.Rel(root, path)
		c.files = append(c.files, rel)
		docs, err := readYAML(path)
		if err != nil {
			t.Fatalf("read %s: %v", rel, err)
		}
		for _, d := range docs {
			if d.Null {
				continue
			}
			if d.Raw == nil {
				t.Fatalf("%s document %d is not a mapping", rel, d.N)
			}
			resolved, missing := resolvePlaceholders(d.Raw, filepath.Dir(path))
			if len(missing) > 0 {
				t.Fatalf("%s document %d: substitution targets not found: %v", rel, d.N, missing)
			}
			e, err := FromRaw(resolved.(map[string]any))
			if err != nil {
				t.Fatalf("%s document %d: %v", rel, d.N, err)
			}
			rows, err := Relations(e)
			if err != nil {
				t.Fatalf("%s document %d: relations: %v", rel, d.N, err)
			}
			c.entities = append(c.entities, e)
			c.rows = append(c.rows, rows...)
			if e.Kind == "Location" {
				targets, _ := e.Spec["targets"].([]any)
				if tg, ok := e.Spec["target"].(string); ok {
					targets = append(targets, tg)
				}
				for _, tg := range targets {
					queue = append(queue, filepath.Join(filepath.Dir(path), tg.(string)))
				}
			}
		}
	}
	return c
}

// TestExampleCatalog checks that every entity of Backstage's example catalog validates and
// that the relations derived from it are the ones Backstage's processors emit.
func TestExampleCatalog(t *testing.T) {
	c := loadExampleCatalog(t)
	if len(c.files) != 48 {
		t.Errorf("reached %d descriptor files, want 48 (49 with the $text definition)", len(c.files))
	}
	kinds := map[string]int{}
	for _, e := range c.entities {
		kinds[e.Kind]++
		if !KnownKind(e.Kind) {
			t.Errorf("%s: kind %s is not known", e.Ref(), e.Kind)
		}
		if e.Metadata.Namespace == "" {
			t.Errorf("%s: namespace not defaulted", e.Ref())
		}
	}
	wantKinds := map[string]int{"API": 10, "AiResource": 2, "Component": 13, "Domain": 3, "Group": 8,
		"Location": 9, "Resource": 1, "System": 3, "User": 17}
	if !maps.Equal(kinds, wantKinds) {
		t.Errorf("entities by kind = %v, want %v", kinds, wantKinds)
	}

	// Rows as each entity emits them, and the distinct relations the catalog stores.
	emitted := map[string]int{}
	distinct := map[string]int{}
	seen := map[string]bool{}
	for _, r := range c.rows {
		emitted[r.Type]++
		k := r.Source.Key() + " " + r.Type + " " + r.Target.Key()
		if !seen[k] {
			seen[k] = true
			distinct[r.Type]++
		}
	}
	wantEmitted := map[string]int{
		RelationOwnedBy: 32, RelationOwnerOf: 32, // every spec.owner
		RelationMemberOf: 17, RelationHasMember: 17, // 17 users' memberOf, no group lists members
		RelationChildOf: 14, RelationParentOf: 14, // 7 parents + 7 children entries
		RelationPartOf: 16, RelationHasPart: 16, // 10 systems, 3 domains, 2 subcomponentOf, 1 subdomainOf
		RelationProvidesAPI: 5, RelationAPIProvidedBy: 5,
		RelationConsumesAPI: 1, RelationAPIConsumedBy: 1,
		RelationDependsOn: 1, RelationDependencyOf: 1,
	}
	if !maps.Equal(emitted, wantEmitted) {
		t.Errorf("emitted relations = %v, want %v", emitted, wantEmitted)
	}
	wantDistinct := maps.Clone(wantEmitted)
	// Each group's parent and its parent's children name the same pairs.
	wantDistinct[RelationChildOf], wantDistinct[RelationParentOf] = 7, 7
	if !maps.Equal(distinct, wantDistinct) {
		t.Errorf("distinct relations = %v, want %v", distinct, wantDistinct)
	}

	cases := []struct {
		ref  Ref
		want []Relation
	}{
		{Ref{"Group", "default", "team-a"}, []Relation{
			{"childOf", "group:default/backstage"},
			{"hasMember", "user:default/breanna.davison"},
			{"hasMember", "user:default/guest"},
			{"hasMember", "user:default/janelle.dawe"},
			{"hasMember", "user:default/nigel.manning"},
			{"hasMember", "user:development/guest"},
			{"ownerOf", "airesource:default/frontend-design"},
			{"ownerOf", "airesource:default/use-internal-apis"},
			{"ownerOf", "api:default/backstage-mcp-server"},
			{"ownerOf", "api:default/spotify"},
			{"ownerOf", "api:default/wayback-archive"},
			{"ownerOf", "api:default/wayback-search"},
			{"ownerOf", "component:default/artist-lookup"},
			{"ownerOf", "component:default/wayback-archive"},
			{"ownerOf", "component:default/wayback-archive-storage"},
			{"ownerOf", "component:default/wayback-search"},
			{"ownerOf", "component:default/www-artist"},
			{"ownerOf", "domain:default/artists"},
			{"ownerOf", "resource:default/artists-db"},
			{"ownerOf", "system:default/artist-engagement-portal"},
		}},
		{Ref{"Component", "default", "artist-lookup"}, []Relation{
			{"dependsOn", "resource:default/artists-db"},
			{"ownedBy", "group:default/team-a"},
			{"partOf", "system:default/artist-engagement-portal"},
		}},
		{Ref{"Resource", "default", "artists-db"}, []Relation{
			{"dependencyOf", "component:default/artist-lookup"},
			{"ownedBy", "group:default/team-a"},
			{"partOf", "system:default/artist-engagement-portal"},
		}},
		{Ref{"Domain", "default", "artists"}, []Relation{
			{"hasPart", "system:default/artist-engagement-portal"},
			{"ownedBy", "group:default/team-a"},
			{"partOf", "domain:default/audio"},
		}},
		{Ref{"API", "default", "backstage-mcp-server"}, []Relation{
			{"ownedBy", "group:default/team-a"},
		}},
		{Ref{"User", "development", "guest"}, []Relation{
			{"memberOf", "group:default/team-a"},
		}},
		{Ref{"Location", "default", "example-all"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.ref.String(), func(t *testing.T) {
			got := RelationsOf(c.rows, tc.ref)
			if !slices.Equal(got, tc.want) {
				t.Errorf("relations =\n%v\nwant\n%v", got, tc.want)
			}
		})
	}
}
