package model

import (
	"path/filepath"
	"slices"
	"testing"
)

// TestBackstageTemplatesAndAppExamples covers the rest of backstage-examples/: the
// community scaffolder templates, the create-app examples, the legacy v1beta2 template and
// the template skeletons, which are not descriptors until rendered.
func TestBackstageTemplatesAndAppExamples(t *testing.T) {
	root := filepath.Join(corpusDir(t), "backstage-examples")
	type want struct {
		// refs are the entities the file holds, in order; nil when it is rejected.
		refs []string
		// rows are the relations the file's entities emit.
		rows []string
		// yamlError: the file is not YAML before rendering.
		yamlError bool
		// fields and message: the single document is rejected at these fields.
		fields  []string
		message string
	}
	const (
		tpl          = "software-templates/scaffolder-templates/"
		skeletonName = " is not valid; expected a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total"
	)
	owned := func(template, owner string) []string {
		return []string{template + " ownedBy " + owner, owner + " ownerOf " + template}
	}
	cases := []struct {
		file string
		want want
	}{
		{tpl + "clean-architecture-app/template.yaml", want{refs: []string{"template:default/scaffold-bancolombia-java"},
			rows: owned("template:default/scaffold-bancolombia-java", "user:default/guest")}},
		// An owner that looks like an e-mail address is a plain name of the default kind.
		{tpl + "create-react-app/template.yaml", want{refs: []string{"template:default/create-react-app-template"},
			rows: owned("template:default/create-react-app-template", "group:default/web@example.com")}},
		// "backstage/techdocs-core" names the techdocs-core group in the backstage namespace.
		{tpl + "docs-template-cookiecutter/template.yaml", want{refs: []string{"template:default/docs-template-cookiecutter"},
			rows: owned("template:default/docs-template-cookiecutter", "group:backstage/techdocs-core")}},
		{tpl + "docs-template/template.yaml", want{refs: []string{"template:default/docs-template"},
			rows: owned("template:default/docs-template", "group:backstage/techdocs-core")}},
		{tpl + "gitlab-merge-request/template.yaml", want{refs: []string{"template:default/gitlab-merge-request"},
			rows: owned("template:default/gitlab-merge-request", "group:backstage/techdocs-core")}},
		{tpl + "pull-request/template.yaml", want{refs: []string{"template:default/pull-request"},
			rows: owned("template:default/pull-request", "group:backstage/techdocs-core")}},
		{tpl + "rails-demo/template.yaml", want{refs: []string{"template:default/rails-demo"},
			rows: owned("template:default/rails-demo", "group:backstage/techdocs-core")}},
		{tpl + "react-ssr-template/template.yaml", want{refs: []string{"template:default/react-ssr-template"},
			rows: owned("template:default/react-ssr-template", "group:default/web@example.com")}},
		{tpl + "springboot-grpc-template/template.yaml", want{refs: []string{"template:default/springboot-template"},
			rows: owned("template:default/springboot-template", "group:default/service@example.com")}},
		// Skeletons hold Nunjucks or cookiecutter expressions: either not YAML at all, or a
		// name the name rule rejects.
		{tpl + "clean-architecture-app/skeleton/catalog-info.yaml", want{fields: []string{"metadata.name"},
			message: `"${{ values.name | dump }}"` + skeletonName}},
		{tpl + "create-react-app/skeleton/catalog-info.yaml", want{yamlError: true}},
		{tpl + "docs-template-cookiecutter/skeleton/catalog-info.yaml", want{yamlError: true}},
		{tpl + "docs-template/skeleton/catalog-info.yaml", want{fields: []string{"metadata.name"},
			message: `"${{values.name | dump}}"` + skeletonName}},
		{tpl + "gitlab-merge-request/template/catalog-info.yaml", want{fields: []string{"metadata.name"},
			message: `"${{values.name | dump}}"` + skeletonName}},
		{tpl + "pull-request/template/catalog-info.yaml", want{fields: []string{"metadata.name"},
			message: `"${{values.name | dump}}"` + skeletonName}},
		{tpl + "react-ssr-template/skeleton/catalog-info.yaml", want{yamlError: true}},
		{tpl + "springboot-grpc-template/skeleton/catalog-info.yaml", want{yamlError: true}},
		// No processor of the default catalog accepts the legacy template format.
		{"scaffolder-sample-templates/v1beta2-demo/template.yaml", want{fields: []string{"apiVersion"},
			message: `"backstage.io/v1beta2" is not a supported apiVersion for kind Template; expected one of scaffolder.backstage.io/v1beta3 (no processor recognized the entity template:default/v1beta2-demo as valid, possibly caused by a foreign kind or apiVersion)`}},
		{"create-app-examples/template/template.yaml", want{refs: []string{"template:default/example-nodejs-template"},
			rows: owned("template:default/example-nodejs-template", "user:default/guest")}},
		{"create-app-examples/entities.yaml", want{
			refs: []string{"system:default/examples", "component:default/example-website", "api:default/example-grpc-api"},
			rows: []string{
				"system:default/examples ownedBy group:default/guests", "group:default/guests ownerOf system:default/examples",
				"component:default/example-website ownedBy group:default/guests", "group:default/guests ownerOf component:default/example-website",
				"component:default/example-website providesApi api:default/example-grpc-api", "api:default/example-grpc-api apiProvidedBy component:default/example-website",
				"component:default/example-website partOf system:default/examples", "system:default/examples hasPart component:default/example-website",
				"api:default/example-grpc-api ownedBy group:default/guests", "group:default/guests ownerOf api:default/example-grpc-api",
				"api:default/example-grpc-api partOf system:default/examples", "system:default/examples hasPart api:default/example-grpc-api",
			}}},
		{"create-app-examples/org.yaml", want{
			refs: []string{"user:default/guest", "group:default/guests"},
			rows: []string{"user:default/guest memberOf group:default/guests", "group:default/guests hasMember user:default/guest"}}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			docs, err := readYAML(filepath.Join(root, tc.file))
			if tc.want.yamlError {
				if err == nil {
					t.Fatalf("want a YAML error")
				}
				return
			}
			if err != nil {
				t.Fatalf("%v", err)
			}
			var refs, rows []string
			for _, d := range docs {
				if d.Null {
					continue
				}
				e, err := FromRaw(d.Raw)
				if tc.want.fields != nil {
					if err == nil {
						t.Fatalf("document %d accepted, want problems at %v", d.N, tc.want.fields)
					}
					if got := problemFields(t, err); !slices.Equal(got, tc.want.fields) {
						t.Errorf("fields %q, want %q", got, tc.want.fields)
					}
					if got := problemMessage(err, tc.want.fields[0]); got != tc.want.message {
						t.Errorf("message %q, want %q", got, tc.want.message)
					}
					continue
				}
				if err != nil {
					t.Fatalf("document %d: %v", d.N, err)
				}
				refs = append(refs, e.Ref().String())
				rels, err := Relations(e)
				if err != nil {
					t.Fatalf("document %d: relations: %v", d.N, err)
				}
				for _, r := range rels {
					rows = append(rows, r.String())
				}
			}
			if tc.want.fields != nil {
				return
			}
			if !slices.Equal(refs, tc.want.refs) {
				t.Errorf("entities %q, want %q", refs, tc.want.refs)
			}
			if !slices.Equal(rows, tc.want.rows) {
				t.Errorf("relations\n%q\nwant\n%q", rows, tc.want.rows)
			}
		})
	}
}
