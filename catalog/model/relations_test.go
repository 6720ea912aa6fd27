package model

import (
	"slices"
	"testing"
)

func TestRelations(t *testing.T) {
	cases := []struct {
		name string
		e    Entity
		want []string
		// problems are the fields of the expected error, when the entity fails.
		problems []string
		messages []string
	}{
		{"component: every relation field, defaults and explicit kinds",
			Entity{Kind: "Component", Metadata: Metadata{Name: "svc", Namespace: "prod"}, Spec: map[string]any{
				"owner": "team-a", "subcomponentOf": "parent", "providesApis": []any{"api-a", "other/api-b"},
				"consumesApis": []any{"api:default/api-c"}, "dependsOn": []any{"resource:db"},
				"dependencyOf": []any{"component:frontend"}, "system": "shop",
			}},
			[]string{
				"component:prod/svc ownedBy group:prod/team-a", "group:prod/team-a ownerOf component:prod/svc",
				"component:prod/svc partOf component:prod/parent", "component:prod/parent hasPart component:prod/svc",
				"component:prod/svc providesApi api:prod/api-a", "api:prod/api-a apiProvidedBy component:prod/svc",
				"component:prod/svc providesApi api:other/api-b", "api:other/api-b apiProvidedBy component:prod/svc",
				"component:prod/svc consumesApi api:default/api-c", "api:default/api-c apiConsumedBy component:prod/svc",
				"component:prod/svc dependsOn resource:prod/db", "resource:prod/db dependencyOf component:prod/svc",
				"component:prod/svc dependencyOf component:prod/frontend", "component:prod/frontend dependsOn component:prod/svc",
				"component:prod/svc partOf system:prod/shop", "system:prod/shop hasPart component:prod/svc",
			}, nil, nil},
		{"API: owner and system",
			Entity{Kind: "API", Metadata: Metadata{Name: "a"}, Spec: map[string]any{"owner": "user:jdoe", "system": "s"}},
			[]string{"api:default/a ownedBy user:default/jdoe", "user:default/jdoe ownerOf api:default/a",
				"api:default/a partOf system:default/s", "system:default/s hasPart api:default/a"}, nil, nil},
		{"resource: dependsOn and dependencyOf",
			Entity{Kind: "Resource", Metadata: Metadata{Name: "db"}, Spec: map[string]any{"owner": "g", "dependsOn": []any{"resource:disk"}, "dependencyOf": []any{"component:svc"}}},
			[]string{"resource:default/db ownedBy group:default/g", "group:default/g ownerOf resource:default/db",
				"resource:default/db dependsOn resource:default/disk", "resource:default/disk dependencyOf resource:default/db",
				"resource:default/db dependencyOf component:default/svc", "component:default/svc dependsOn resource:default/db"}, nil, nil},
		{"system: domain",
			Entity{Kind: "System", Metadata: Metadata{Name: "s"}, Spec: map[string]any{"owner": "g", "domain": "d"}},
			[]string{"system:default/s ownedBy group:default/g", "group:default/g ownerOf system:default/s",
				"system:default/s partOf domain:default/d", "domain:default/d hasPart system:default/s"}, nil, nil},
		{"domain: subdomainOf",
			Entity{Kind: "Domain", Metadata: Metadata{Name: "d"}, Spec: map[string]any{"owner": "g", "subdomainOf": "top"}},
			[]string{"domain:default/d ownedBy group:default/g", "group:default/g ownerOf domain:default/d",
				"domain:default/d partOf domain:default/top", "domain:default/top hasPart domain:default/d"}, nil, nil},
		{"group: parent, children, members",
			Entity{Kind: "Group", Metadata: Metadata{Name: "team", Namespace: "org"}, Spec: map[string]any{
				"type": "team", "parent": "dept", "children": []any{"sub"}, "members": []any{"jdoe", "user:default/guest"}}},
			[]string{"group:org/team childOf group:org/dept", "group:org/dept parentOf group:org/team",
				"group:org/team parentOf group:org/sub", "group:org/sub childOf group:org/team",
				"group:org/team hasMember user:org/jdoe", "user:org/jdoe memberOf group:org/team",
				"group:org/team hasMember user:default/guest", "user:default/guest memberOf group:org/team"}, nil, nil},
		{"user: memberOf",
			Entity{Kind: "User", Metadata: Metadata{Name: "jdoe"}, Spec: map[string]any{"memberOf": []any{"team-a", "group:ops/sre"}}},
			[]string{"user:default/jdoe memberOf group:default/team-a", "group:default/team-a hasMember user:default/jdoe",
				"user:default/jdoe memberOf group:ops/sre", "group:ops/sre hasMember user:default/jdoe"}, nil, nil},
		{"template: owner",
			Entity{Kind: "Template", Metadata: Metadata{Name: "t"}, Spec: map[string]any{"owner": "backstage/techdocs-core", "steps": []any{}}},
			[]string{"template:default/t ownedBy group:backstage/techdocs-core", "group:backstage/techdocs-core ownerOf template:default/t"}, nil, nil},
		{"AI skill: dependsOn defaults to AiResource",
			Entity{Kind: "AiResource", Metadata: Metadata{Name: "s"}, Spec: map[string]any{"type": "skill", "owner": "g", "system": "x", "dependsOn": []any{"other"}}},
			[]string{"airesource:default/s ownedBy group:default/g", "group:default/g ownerOf airesource:default/s",
				"airesource:default/s partOf system:default/x", "system:default/x hasPart airesource:default/s",
				"airesource:default/s dependsOn airesource:default/other", "airesource:default/other dependencyOf airesource:default/s"}, nil, nil},
		{"AI rule: no dependsOn relations",
			Entity{Kind: "AiResource", Metadata: Metadata{Name: "r"}, Spec: map[string]any{"type": "rule", "owner": "g", "dependsOn": []any{"other"}}},
			[]string{"airesource:default/r ownedBy group:default/g", "group:default/g ownerOf airesource:default/r"}, nil, nil},
		{"duplicates are dropped case-insensitively",
			Entity{Kind: "Component", Metadata: Metadata{Name: "c"}, Spec: map[string]any{"owner": "g", "providesApis": []any{"a", "A", "api:a"}}},
			[]string{"component:default/c ownedBy group:default/g", "group:default/g ownerOf component:default/c",
				"component:default/c providesApi api:default/a", "api:default/a apiProvidedBy component:default/c"}, nil, nil},
		{"an empty single reference emits nothing",
			Entity{Kind: "Component", Metadata: Metadata{Name: "c"}, Spec: map[string]any{"owner": "", "system": nil}},
			nil, nil, nil},
		{"location and unknown kinds have no relations",
			Entity{Kind: "Location", Metadata: Metadata{Name: "l"}, Spec: map[string]any{"owner": "g"}},
			nil, nil, nil},
		{"unknown kind",
			Entity{Kind: "Thing", Metadata: Metadata{Name: "t"}, Spec: map[string]any{"owner": "g"}},
			nil, nil, nil},
		{"unparseable references fail the entity",
			Entity{Kind: "Component", Metadata: Metadata{Name: "c"}, Spec: map[string]any{
				"owner": "g", "dependsOn": []any{"db", "resource:ok", ""}, "system": "x:/y", "providesApis": []any{7}}},
			nil,
			[]string{"spec.providesApis[0]", "spec.dependsOn[0]", "spec.dependsOn[2]", "spec.system"},
			[]string{"must be string",
				`Entity reference "db" had missing or empty kind (e.g. did not start with "component:" or similar)`,
				"Entity reference must not be empty",
				`Entity reference "x:/y" was not on the form [<kind>:][<namespace>/]<name>`}},
		{"a reference field of the wrong type",
			Entity{Kind: "User", Metadata: Metadata{Name: "u"}, Spec: map[string]any{"memberOf": map[string]any{}}},
			nil, []string{"spec.memberOf"}, []string{"must be string or array of strings"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := Relations(&tc.e)
			if tc.problems != nil {
				if err == nil {
					t.Fatalf("Relations succeeded with %v, want problems at %v", rows, tc.problems)
				}
				if rows != nil {
					t.Errorf("rows = %v on error, want nil", rows)
				}
				ve := err.(*ValidationError)
				var fields, messages []string
				for _, p := range ve.Problems {
					fields = append(fields, p.Field)
					messages = append(messages, p.Message)
				}
				if !slices.Equal(fields, tc.problems) || !slices.Equal(messages, tc.messages) {
					t.Errorf("problems = %q %q, want %q %q", fields, messages, tc.problems, tc.messages)
				}
				if ve.Ref != tc.e.Ref().String() {
					t.Errorf("Ref = %q", ve.Ref)
				}
				return
			}
			if err != nil {
				t.Fatalf("Relations: %v", err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("relations =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestRelationsKeepReferenceCase(t *testing.T) {
	e := &Entity{Kind: "Component", Metadata: Metadata{Name: "Svc"}, Spec: map[string]any{"owner": "Team-A"}}
	rows, err := Relations(e)
	if err != nil {
		t.Fatalf("Relations: %v", err)
	}
	want := []RelationRow{
		{Source: Ref{"Component", "default", "Svc"}, Type: RelationOwnedBy, Target: Ref{"Group", "default", "Team-A"}},
		{Source: Ref{"Group", "default", "Team-A"}, Type: RelationOwnerOf, Target: Ref{"Component", "default", "Svc"}},
	}
	if !slices.Equal(rows, want) {
		t.Errorf("rows = %#v, want %#v", rows, want)
	}
}

func TestRelationsOf(t *testing.T) {
	a := Ref{"Component", "default", "A"}
	rows := []RelationRow{
		{a, RelationPartOf, Ref{"System", "default", "S"}},
		{a, RelationOwnedBy, Ref{"Group", "default", "Team"}},
		{Ref{"component", "DEFAULT", "a"}, RelationOwnedBy, Ref{"group", "default", "team"}},
		{a, RelationDependsOn, Ref{"Resource", "default", "db"}},
		{a, RelationDependsOn, Ref{"Component", "default", "b"}},
		{Ref{"Group", "default", "Team"}, RelationOwnerOf, a},
	}
	cases := []struct {
		name   string
		source Ref
		want   []Relation
	}{
		{"sorted by type then target, duplicates dropped", Ref{"component", "default", "a"}, []Relation{
			{"dependsOn", "component:default/b"},
			{"dependsOn", "resource:default/db"},
			{"ownedBy", "group:default/team"},
			{"partOf", "system:default/s"},
		}},
		{"other source", Ref{"Group", "default", "team"}, []Relation{{"ownerOf", "component:default/a"}}},
		{"no relations", Ref{"API", "default", "x"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := RelationsOf(rows, tc.source); !slices.Equal(got, tc.want) {
				t.Errorf("RelationsOf = %v, want %v", got, tc.want)
			}
		})
	}
}
