package model

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestInvalidCorpus checks that every descriptor in invalid/ is rejected for exactly the
// reasons invalid/NOTES.md gives, field by field.
func TestInvalidCorpus(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "invalid")
	const (
		imOpen   = "im-open__validate-catalog-info__test-catalog-infos-invalid-entities.yml"
		nameRule = "is not valid; expected a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total"
	)
	type expect struct {
		// null: an empty document, skipped like Backstage skips it.
		null bool
		// fields: the exact fields reported, in order; nil means the document is valid.
		fields []string
		// messages: expected message substrings for some of the fields.
		messages map[string]string
		// ref: the reference the error names.
		ref string
		// unknownKind: the document is valid but of a kind the default catalog rejects.
		unknownKind bool
	}
	spec := "must have required property 'spec'"
	cases := []struct {
		file string
		doc  int
		want expect
	}{
		{"backstage__backstage__packages-catalog-model-examples-components-invalid-component.yaml", 1, expect{
			// The label goVersion: go1.15.3 is valid and must not be reported.
			fields: []string{"metadata.name", "metadata.tags[1]"},
			messages: map[string]string{
				"metadata.name":    `"invalid component" ` + nameRule,
				"metadata.tags[1]": `"go 1.15.3" is not valid; expected a string that is sequences of [a-z0-9+#] separated by [-], at most 63 characters in total`,
			},
			ref: "component:default/invalid component",
		}},
		{"cosmonic-labs__mcp-server-template-ts__catalog-info.yaml", 1, expect{
			fields:   []string{"metadata.name"},
			messages: map[string]string{"metadata.name": `"${{ values.appName }}" ` + nameRule},
			ref:      "component:default/${{ values.appname }}",
		}},
		{"LLNL__radiuss-shared-ci__catalog-info.yml", 1, expect{
			// GitLab CI/CD catalog metadata: no envelope at all.
			fields: []string{"apiVersion", "kind", "metadata"},
			messages: map[string]string{
				"apiVersion": "must have required property 'apiVersion'",
				"kind":       "must have required property 'kind'",
				"metadata":   "must have required property 'metadata'",
			},
		}},
		{imOpen, 1, expect{fields: []string{"spec"}, messages: map[string]string{"spec": spec},
			ref: "system:default/content-management"}},
		{imOpen, 2, expect{null: true}},
		{imOpen, 3, expect{fields: []string{"apiVersion"},
			messages: map[string]string{"apiVersion": "must have required property 'apiVersion'"},
			ref:      "system:default/content-management-3"}},
		{imOpen, 4, expect{fields: []string{"apiVersion"}, messages: map[string]string{"apiVersion": "must be string"},
			ref: "system:default/content-management-4"}},
		{imOpen, 5, expect{fields: []string{"apiVersion"}, messages: map[string]string{"apiVersion": `"invalid.version.io/v5" is not a supported apiVersion for kind System; expected one of backstage.io/v1alpha1, backstage.io/v1beta1 (no processor recognized the entity system:default/content-management-5 as valid, possibly caused by a foreign kind or apiVersion)`},
			ref: "system:default/content-management-5"}},
		{imOpen, 6, expect{fields: []string{"kind"}, messages: map[string]string{"kind": "must have required property 'kind'"}}},
		{imOpen, 7, expect{fields: []string{"kind"}, messages: map[string]string{"kind": "must be string"}}},
		{imOpen, 8, expect{unknownKind: true, ref: "thing:default/content-management-8"}},
		{imOpen, 9, expect{fields: []string{"metadata", "spec"},
			messages: map[string]string{"metadata": "must have required property 'metadata'", "spec": spec}}},
		{imOpen, 10, expect{fields: []string{"metadata", "spec"}, messages: map[string]string{"metadata": "must be object"}}},
		{imOpen, 11, expect{fields: []string{"metadata.name", "spec"}, messages: map[string]string{"metadata.name": "must be string"}}},
		{imOpen, 12, expect{fields: []string{"metadata.title", "spec"},
			messages: map[string]string{"metadata.title": "must NOT have fewer than 1 characters"},
			ref:      "system:default/content-management-12"}},
		{imOpen, 13, expect{fields: []string{"metadata.annotations", "spec"},
			messages: map[string]string{"metadata.annotations": "must be a valid object"},
			ref:      "system:default/content-management-13"}},
		{imOpen, 14, expect{fields: []string{"metadata.links", "spec"},
			messages: map[string]string{"metadata.links": "must be array"},
			ref:      "system:default/content-management-14"}},
		{imOpen, 15, expect{
			// Link 4 (icon: description) is valid; the https:host URLs parse as URLs.
			fields: []string{"metadata.links[0].url", "metadata.links[1].url", "metadata.links[2].title", "metadata.links[3].icon", "spec"},
			messages: map[string]string{
				"metadata.links[0].url":   "must have required property 'url'",
				"metadata.links[1].url":   "must NOT have fewer than 1 characters",
				"metadata.links[2].title": "must NOT have fewer than 1 characters",
				"metadata.links[3].icon":  "must NOT have fewer than 1 characters",
			},
			ref: "system:default/content-management-15"}},
		{imOpen, 16, expect{fields: []string{"extra-props", "spec"},
			messages: map[string]string{"extra-props": "must NOT have additional properties"},
			ref:      "system:default/content-management-16"}},
		{imOpen, 17, expect{fields: []string{"metadata.name", "spec"},
			messages: map[string]string{"metadata.name": `"entity-names-can-only-be-63-characters-long-and-this-one-has--64" ` + nameRule},
			ref:      "system:default/entity-names-can-only-be-63-characters-long-and-this-one-has--64"}},
		{imOpen, 18, expect{fields: []string{"metadata.name", "spec"},
			messages: map[string]string{"metadata.name": `"content-management-18!" ` + nameRule},
			ref:      "system:default/content-management-18!"}},
		// The stream ends with "---" after the last document: an empty document.
		{imOpen, 19, expect{null: true}},
	}
	docsByFile := map[string][]yamlDoc{}
	for _, tc := range cases {
		if _, ok := docsByFile[tc.file]; !ok {
			docs, err := readYAML(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatalf("read %s: %v", tc.file, err)
			}
			docsByFile[tc.file] = docs
		}
	}
	// Every document of every file is covered by the table.
	for file, docs := range docsByFile {
		covered := 0
		for _, tc := range cases {
			if tc.file == file {
				covered++
			}
		}
		if covered != len(docs) {
			t.Errorf("%s has %d documents, the table covers %d", file, len(docs), covered)
		}
	}
	for _, tc := range cases {
		t.Run(strings.SplitN(tc.file, "__", 2)[0]+"/doc"+strconv.Itoa(tc.doc), func(t *testing.T) {
			docs := docsByFile[tc.file]
			if tc.doc > len(docs) {
				t.Fatalf("document %d missing; the file has %d", tc.doc, len(docs))
			}
			d := docs[tc.doc-1]
			if d.Null != tc.want.null {
				t.Fatalf("null document = %v, want %v", d.Null, tc.want.null)
			}
			if d.Null {
				return
			}
			e, err := FromRaw(d.Raw)
			if tc.want.fields == nil {
				if err != nil {
					t.Fatalf("FromRaw: %v", err)
				}
				if got := KnownKind(e.Kind); got == tc.want.unknownKind {
					t.Errorf("KnownKind(%q) = %v, want %v", e.Kind, got, !tc.want.unknownKind)
				}
				if got := e.Ref().String(); got != tc.want.ref {
					t.Errorf("ref = %q, want %q", got, tc.want.ref)
				}
				rec := CheckRecognized(e)
				if tc.want.unknownKind != (rec != nil) {
					t.Errorf("CheckRecognized = %v, want an error: %v", rec, tc.want.unknownKind)
				}
				if rec != nil && !strings.Contains(rec.Error(), "No processor recognized the entity "+tc.want.ref+" as valid") {
					t.Errorf("CheckRecognized message = %q", rec.Error())
				}
				return
			}
			if err == nil {
				t.Fatalf("FromRaw accepted the document, want problems at %v", tc.want.fields)
			}
			if got := problemFields(t, err); !slices.Equal(got, tc.want.fields) {
				t.Errorf("fields = %q, want %q (%v)", got, tc.want.fields, err)
			}
			for field, msg := range tc.want.messages {
				if got := problemMessage(err, field); got != msg {
					t.Errorf("message for %s = %q, want %q", field, got, msg)
				}
			}
			if got := err.(*ValidationError).Ref; got != tc.want.ref {
				t.Errorf("Ref = %q, want %q", got, tc.want.ref)
			}
		})
	}
}
