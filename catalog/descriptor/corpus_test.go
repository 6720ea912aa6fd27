package descriptor

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// topLevelKind counts documents independently of the decoder: every entity
// in the corpus has a "kind:" line at column 0.
var topLevelKind = regexp.MustCompile(`(?m)^kind:`)

func TestDecodeWildCorpus(t *testing.T) {
	corpus := corpusDir(t)
	// docs: documents returned; errs: documents with Err set. Substitutions
	// that name public URLs fail because tests never leave 127.0.0.1, and the
	// relative ones in the flattened ibm-messaging file have no targets here.
	tests := []struct {
		file    string
		docs    int
		errs    int
		fileErr string
	}{
		{file: "1-Platform__one-platform__catalog-doc-spa.yaml", docs: 1},
		{file: "1-Platform__one-platform__catalog-info.yaml", docs: 1},
		{file: "1-Platform__one-platform__catalog-resources-NativeMongoDB.yaml", docs: 1},
		{file: "1-Platform__one-platform__catalog-systems-OnePlatform.yaml", docs: 1},
		{file: "1-Platform__one-platform__packages-api-catalog-service-catalog-info.yaml", docs: 1},
		{file: "1-Platform__one-platform__packages-user-group-service-catalog-info.yaml", docs: 1},
		{file: "Invoca__process_settings__catalog-info.yaml", docs: 1},
		{file: "Invoca__process_settings__catalog-info.yml", docs: 1},
		{file: "PagerDuty__backstage-plugin__catalog-info.yaml", docs: 1},
		{file: "RoadieHQ__roadie-backstage-plugins__catalog-info.yaml", docs: 2},
		{file: "RoadieHQ__roadie-backstage-plugins__plugins-frontend-backstage-plugin-argo-cd-catalog-info.yaml", docs: 1},
		{file: "RoadieHQ__roadie-backstage-plugins__plugins-frontend-github-auth-utils-react-catalog-info.yaml", docs: 1},
		{file: "RoadieHQ__roadie-backstage-plugins__plugins-home-backstage-plugin-home-rss-catalog-info.yaml", docs: 1},
		{file: "RoadieHQ__roadie-backstage-plugins__plugins-scaffolder-actions-scaffolder-backend-argocd-catalog-info.yaml", docs: 1},
		{file: "ThomasVitale__document-assistant__catalog-info.yml", docs: 1},
		{file: "Tradeshift__blayze__catalog-info.yml", docs: 1},
		{file: "Zenika__sensei__.backstage-catalog-info.yaml", docs: 1},
		{file: "awslabs__backstage-plugins-for-aws__catalog-info.yaml", docs: 1},
		{file: "awslabs__backstage-plugins-for-aws__examples-entities.yaml", docs: 3},
		{file: "awslabs__backstage-plugins-for-aws__examples-org.yaml", docs: 2},
		{file: "awslabs__backstage-plugins-for-aws__examples-template-template.yaml", docs: 1},
		{file: "backstage__demo__catalog-info.yaml", docs: 2, errs: 1},
		{file: "backstage__demo__demo-template-template-template.yaml", docs: 1},
		{file: "backstage__mkdocs-techdocs-core__catalog-info.yaml", docs: 1},
		{file: "bancorocks__bancorocks-org-catalog__catalog-domains.yaml", docs: 2},
		{file: "bancorocks__bancorocks-org-catalog__catalog-groups.yaml", docs: 3},
		{file: "bancorocks__bancorocks-org-catalog__catalog-info.yaml", docs: 1},
		{file: "bancorocks__bancorocks-org-catalog__catalog-org.yaml", docs: 1},
		{file: "bancorocks__bancorocks-org-catalog__catalog-systems.yaml", docs: 2},
		{file: "elastic__ecs__catalog-info.yaml", docs: 2},
		{file: "elastic__elastic-agent-libs__catalog-info.yaml", docs: 2},
		{file: "elastic__elasticsearch-js__catalog-info.yaml", docs: 2},
		{file: "elastic__elasticsearch-php__catalog-info.yaml", docs: 1},
		{file: "elastic__elasticsearch-py__catalog-info.yaml", docs: 2},
		{file: "elastic__go-elasticsearch__catalog-info.yaml", docs: 1},
		{file: "elastic__rally__catalog-info.yaml", docs: 5},
		{file: "elastic__terraform-provider-ec__catalog-info.yaml", docs: 2},
		{file: "ibm-messaging__mq-dev-patterns__backstage-catalog-info.yaml", docs: 16, errs: 14},
		{file: "im-open__validate-catalog-info__test-catalog-infos-valid-entities.yml", docs: 5, errs: 1},
		// An unrendered scaffolder skeleton: "{%- if" cannot start a YAML token.
		{file: "janus-idp__software-templates__skeletons-catalog-info-catalog-info.yaml", fileErr: ":1: YAML error: found character that cannot start any token"},
		{file: "janus-idp__software-templates__templates-github-backstage-system-skeleton-all.yaml", docs: 1},
		{file: "janus-idp__software-templates__templates-github-backstage-system-template.yaml", docs: 1},
		{file: "janus-idp__software-templates__templates-github-define-ansible-job-template.yaml", docs: 1},
		{file: "janus-idp__software-templates__templates-github-register-component-template.yaml", docs: 1},
		{file: "janus-idp__software-templates__templates-github-tekton-template.yaml", docs: 1},
		{file: "portefaix__portefaix-backstage__catalog-catalog-info.yaml", docs: 1},
		{file: "portefaix__portefaix-backstage__catalog-domains-platform.yaml", docs: 1},
		{file: "portefaix__portefaix-backstage__catalog-groups-org.yaml", docs: 1},
		{file: "portefaix__portefaix-backstage__catalog-groups-team-groups.yaml", docs: 2},
		{file: "portefaix__portefaix-backstage__catalog-systems-observability.yaml", docs: 1},
		{file: "portefaix__portefaix-backstage__catalog-templates.yaml", docs: 1},
		{file: "redhat-developer__red-hat-developer-hub-software-templates__templates-create-backend-plugin-template.yaml", docs: 1},
		{file: "redhat-developer__red-hat-developer-hub-software-templates__templates-gitlab-python-backend-template.yaml", docs: 1},
		{file: "redhat-developer__rhdh__catalog-entities-all.yaml", docs: 1},
		{file: "redhat-developer__rhdh__catalog-entities-apis-nexus-repo-manager-3.yaml", docs: 1, errs: 1},
		{file: "redhat-developer__rhdh__catalog-entities-apis-petstore.yaml", docs: 1, errs: 1},
		{file: "redhat-developer__rhdh__catalog-entities-components-showcase.yaml", docs: 1},
		{file: "redhat-developer__rhdh__catalog-entities-e2e-test-resources-rbac-transitive-parent-ownership.yaml", docs: 3},
		{file: "redhat-developer__rhdh__catalog-entities-groups-rhdh-team.yaml", docs: 1},
		{file: "redhat-developer__rhdh__catalog-entities-resources-pgdb.yaml", docs: 1},
		{file: "redhat-developer__rhdh__catalog-info.yaml", docs: 2},
		{file: "tyriis__home-ops__.backstage-api-adguard-home-catalog-info.yaml", docs: 1, errs: 1},
		{file: "tyriis__home-ops__.backstage-catalog-info.yaml", docs: 1},
		{file: "tyriis__home-ops__.backstage-components-home-assistant-catalog-info.yaml", docs: 1},
		{file: "tyriis__home-ops__.backstage-domains-home-catalog-info.yaml", docs: 1},
		{file: "tyriis__home-ops__.backstage-systems-mqtt.home-catalog-info.yaml", docs: 1},
		{file: "tyriis__home-ops__.backstage-systems-talos-flux-catalog-info.yaml", docs: 1},
		{file: "vmware-tanzu__application-accelerator-samples__csharp-rest-service-catalog-catalog-info.yaml", docs: 1},
	}
	entries, err := os.ReadDir(filepath.Join(corpus, "wild"))
	if err != nil {
		t.Fatalf("read wild: %v", err)
	}
	var listed []string
	for _, tc := range tests {
		listed = append(listed, tc.file)
	}
	for _, e := range entries {
		if !slices.Contains(listed, e.Name()) {
			t.Errorf("wild/%s is not in the table", e.Name())
		}
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(corpus, "wild", tc.file)
			docs, err := decodeFile(t, path)
			if tc.fileErr == "" && err != nil {
				t.Fatalf("file error: %v", err)
			}
			if tc.fileErr != "" && (err == nil || !strings.Contains(err.Error(), tc.fileErr)) {
				t.Fatalf("file error = %v, want it to contain %q", err, tc.fileErr)
			}
			if len(docs) != tc.docs {
				t.Fatalf("got %d documents, want %d", len(docs), tc.docs)
			}
			if tc.fileErr == "" {
				data, _ := os.ReadFile(path)
				if n := len(topLevelKind.FindAll(data, -1)); n != tc.docs {
					t.Errorf("file has %d top-level kind lines, table says %d documents", n, tc.docs)
				}
			}
			errs := 0
			last := -1
			for _, d := range docs {
				checkDocument(t, path, d)
				if d.Index <= last {
					t.Errorf("document index %d after %d", d.Index, last)
				}
				last = d.Index
				if d.Err != nil {
					errs++
				}
			}
			if errs != tc.errs {
				t.Errorf("got %d document errors, want %d", errs, tc.errs)
			}
		})
	}
}

// checkDocument asserts what holds for every decoded document.
func checkDocument(t *testing.T, source string, d Document) {
	t.Helper()
	if d.Source != source {
		t.Errorf("doc %d: source %q, want %q", d.Index, d.Source, source)
	}
	if d.Line < 1 {
		t.Errorf("doc %d: line %d", d.Index, d.Line)
	}
	if d.Err != nil {
		if d.Raw != nil {
			t.Errorf("doc %d: Raw set alongside error %v", d.Index, d.Err)
		}
		if d.Err.Line < 1 || d.Err.Message == "" || d.Err.Source != source {
			t.Errorf("doc %d: incomplete error %#v", d.Index, d.Err)
		}
		return
	}
	if _, ok := d.Raw["kind"].(string); !ok {
		t.Errorf("doc %d: kind is %#v", d.Index, d.Raw["kind"])
	}
	if _, ok := d.Raw["apiVersion"].(string); !ok {
		t.Errorf("doc %d: apiVersion is %#v", d.Index, d.Raw["apiVersion"])
	}
}
