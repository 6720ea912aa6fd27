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

// wildOutcomes is what each flattened public descriptor yields: entities ingested (besides
// the generated Location) and problems reported. Every problem was read and is one of: a
// relative target or substitution that cannot resolve because wild/ is flattened (NotFoundError
// naming the path under wild/), a public URL tests do not reach, or an un-rendered template
// skeleton (janus-idp: a "${{ }}" expression as the name, or a file that is not YAML until
// rendered).
var wildOutcomes = map[string]struct{ entities, problems int }{
	"1-Platform__one-platform__catalog-doc-spa.yaml":                                                             {1, 1},
	"1-Platform__one-platform__catalog-info.yaml":                                                                {1, 21},
	"1-Platform__one-platform__catalog-resources-NativeMongoDB.yaml":                                             {1, 0},
	"1-Platform__one-platform__catalog-systems-OnePlatform.yaml":                                                 {1, 0},
	"1-Platform__one-platform__packages-api-catalog-service-catalog-info.yaml":                                   {1, 0},
	"1-Platform__one-platform__packages-user-group-service-catalog-info.yaml":                                    {1, 0},
	"Invoca__process_settings__catalog-info.yaml":                                                                {1, 0},
	"Invoca__process_settings__catalog-info.yml":                                                                 {1, 0},
	"PagerDuty__backstage-plugin__catalog-info.yaml":                                                             {1, 0},
	"RoadieHQ__roadie-backstage-plugins__catalog-info.yaml":                                                      {2, 0},
	"RoadieHQ__roadie-backstage-plugins__plugins-frontend-backstage-plugin-argo-cd-catalog-info.yaml":            {1, 0},
	"RoadieHQ__roadie-backstage-plugins__plugins-frontend-github-auth-utils-react-catalog-info.yaml":             {1, 0},
	"RoadieHQ__roadie-backstage-plugins__plugins-home-backstage-plugin-home-rss-catalog-info.yaml":               {1, 0},
	"RoadieHQ__roadie-backstage-plugins__plugins-scaffolder-actions-scaffolder-backend-argocd-catalog-info.yaml": {1, 0},
	"ThomasVitale__document-assistant__catalog-info.yml":                                                         {1, 0},
	"Tradeshift__blayze__catalog-info.yml":                                                                       {1, 0},
	"Zenika__sensei__.backstage-catalog-info.yaml":                                                               {1, 0},
	"awslabs__backstage-plugins-for-aws__catalog-info.yaml":                                                      {1, 0},
	"awslabs__backstage-plugins-for-aws__examples-entities.yaml":                                                 {3, 0},
	"awslabs__backstage-plugins-for-aws__examples-org.yaml":                                                      {2, 0},
	"awslabs__backstage-plugins-for-aws__examples-template-template.yaml":                                        {1, 0},
	"backstage__demo__catalog-info.yaml":                                                                         {1, 1},
	"backstage__demo__demo-template-template-template.yaml":                                                      {1, 0},
	"backstage__mkdocs-techdocs-core__catalog-info.yaml":                                                         {1, 0},
	"bancorocks__bancorocks-org-catalog__catalog-domains.yaml":                                                   {2, 0},
	"bancorocks__bancorocks-org-catalog__catalog-groups.yaml":                                                    {3, 0},
	"bancorocks__bancorocks-org-catalog__catalog-info.yaml":                                                      {1, 5},
	"bancorocks__bancorocks-org-catalog__catalog-org.yaml":                                                       {1, 0},
	"bancorocks__bancorocks-org-catalog__catalog-systems.yaml":                                                   {2, 0},
	"elastic__ecs__catalog-info.yaml":                                                                            {2, 0},
	"elastic__elastic-agent-libs__catalog-info.yaml":                                                             {2, 0},
	"elastic__elasticsearch-js__catalog-info.yaml":                                                               {2, 0},
	"elastic__elasticsearch-php__catalog-info.yaml":                                                              {1, 0},
	"elastic__elasticsearch-py__catalog-info.yaml":                                                               {2, 0},
	"elastic__go-elasticsearch__catalog-info.yaml":                                                               {1, 0},
	"elastic__rally__catalog-info.yaml":                                                                          {5, 0},
	"elastic__terraform-provider-ec__catalog-info.yaml":                                                          {2, 0},
	"ibm-messaging__mq-dev-patterns__backstage-catalog-info.yaml":                                                {2, 14},
	"im-open__validate-catalog-info__test-catalog-infos-valid-entities.yml":                                      {4, 1},
	"janus-idp__software-templates__skeletons-catalog-info-catalog-info.yaml":                                    {0, 1},
	"janus-idp__software-templates__templates-github-backstage-system-skeleton-all.yaml":                         {0, 1},
	"janus-idp__software-templates__templates-github-backstage-system-template.yaml":                             {1, 0},
	"janus-idp__software-templates__templates-github-define-ansible-job-template.yaml":                           {1, 0},
	"janus-idp__software-templates__templates-github-register-component-template.yaml":                           {1, 0},
	"janus-idp__software-templates__templates-github-tekton-template.yaml":                                       {1, 0},
	"portefaix__portefaix-backstage__catalog-catalog-info.yaml":                                                  {1, 5},
	"portefaix__portefaix-backstage__catalog-domains-platform.yaml":                                              {1, 0},
	"portefaix__portefaix-backstage__catalog-groups-org.yaml":                                                    {1, 0},
	"portefaix__portefaix-backstage__catalog-groups-team-groups.yaml":                                            {2, 0},
	"portefaix__portefaix-backstage__catalog-systems-observability.yaml":                                         {1, 0},
	"portefaix__portefaix-backstage__catalog-templates.yaml":                                                     {1, 1},
	"redhat-developer__red-hat-developer-hub-software-templates__templates-create-backend-plugin-template.yaml":  {1, 0},
	"redhat-developer__red-hat-developer-hub-software-templates__templates-gitlab-python-backend-template.yaml":  {1, 0},
	"redhat-developer__rhdh__catalog-entities-all.yaml":                                                          {1, 5},
	"redhat-developer__rhdh__catalog-entities-apis-nexus-repo-manager-3.yaml":                                    {0, 1},
	"redhat-developer__rhdh__catalog-entities-apis-petstore.yaml":                                                {0, 1},
	"redhat-developer__rhdh__catalog-entities-components-showcase.yaml":                                          {1, 0},
	"redhat-developer__rhdh__catalog-entities-e2e-test-resources-rbac-transitive-parent-ownership.yaml":          {3, 0},
	"redhat-developer__rhdh__catalog-entities-groups-rhdh-team.yaml":                                             {1, 0},
	"redhat-developer__rhdh__catalog-entities-resources-pgdb.yaml":                                               {1, 0},
	"redhat-developer__rhdh__catalog-info.yaml":                                                                  {2, 0},
	"tyriis__home-ops__.backstage-api-adguard-home-catalog-info.yaml":                                            {0, 1},
	"tyriis__home-ops__.backstage-catalog-info.yaml":                                                             {1, 35},
	"tyriis__home-ops__.backstage-components-home-assistant-catalog-info.yaml":                                   {1, 0},
	"tyriis__home-ops__.backstage-domains-home-catalog-info.yaml":                                                {1, 0},
	"tyriis__home-ops__.backstage-systems-mqtt.home-catalog-info.yaml":                                           {1, 0},
	"tyriis__home-ops__.backstage-systems-talos-flux-catalog-info.yaml":                                          {1, 0},
	"vmware-tanzu__application-accelerator-samples__csharp-rest-service-catalog-catalog-info.yaml":               {1, 0},
}

// TestWildDescriptors ingests every flattened public descriptor as its own location and
// checks the outcome recorded above, and that each problem names its file, kind and cause.
func TestWildDescriptors(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "corpus/wild")
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(wildOutcomes) {
		t.Errorf("%d files in wild/, %d in the table", len(files), len(wildOutcomes))
	}
	s := newTestService(t, "sqlite")
	ctx := context.Background()
	for _, f := range files {
		t.Run(f.Name(), func(t *testing.T) {
			want, ok := wildOutcomes[f.Name()]
			if !ok {
				t.Fatalf("no expected outcome for %s", f.Name())
			}
			res, err := s.AddLocation(ctx, Spec{Type: "file", Target: filepath.Join(dir, f.Name())}, false)
			if err != nil {
				t.Fatalf("add location: %v", err)
			}
			if got := len(res.Entities) - 1; got != want.entities || len(res.Errors) != want.problems {
				t.Errorf("%d entities and %d problems, want %d and %d: %+v", got, len(res.Errors), want.entities, want.problems, res.Errors)
			}
			for _, p := range res.Errors {
				expected := strings.Contains(p.Message, "tests do not leave this machine") ||
					(p.Name == "NotFoundError" || strings.Contains(p.Message, "NotFoundError")) && strings.Contains(p.Message, dir+"/") ||
					strings.HasPrefix(f.Name(), "janus-idp__") && (strings.Contains(p.Message, "${{ values.") || strings.Contains(p.Message, "YAML error"))
				if !expected || p.Source == "" {
					t.Errorf("unexpected problem: %+v", p)
				}
			}
		})
	}
}
