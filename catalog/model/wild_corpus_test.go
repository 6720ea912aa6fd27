package model

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestWildCorpus runs every document of wild/ and wild-trees/ through FromRaw and
// Relations, after standing in for the substitutions ingestion performs. Every descriptor
// must validate unless the table below says why it does not.
func TestWildCorpus(t *testing.T) {
	root := corpusDir(t)
	const ibm = "wild-trees/ibm-messaging__mq-dev-patterns/backstage/"
	const ibmFlat = "wild/ibm-messaging__mq-dev-patterns__backstage-catalog-info.yaml"
	type outcome struct {
		// yamlError: the file is not YAML (an un-rendered scaffolder skeleton).
		yamlError bool
		// notDescriptor: a substitution target or other data file, not an entity.
		notDescriptor bool
		// missing: substitution targets that do not exist, so ingestion reports the
		// document before the model sees it.
		missing []string
		// fields and message: the document is rejected at these fields.
		fields  []string
		message string
	}
	exceptions := map[string]outcome{
		// A scaffolder skeleton committed un-rendered: "{%- if ... %}" is not YAML.
		"wild/janus-idp__software-templates__skeletons-catalog-info-catalog-info.yaml": {yamlError: true},
		// Another un-rendered skeleton: the Location's name is a template expression, which
		// the name rule rejects ("$", "{", "}" and spaces are not allowed).
		"wild/janus-idp__software-templates__templates-github-backstage-system-skeleton-all.yaml#1": {
			fields:  []string{"metadata.name"},
			message: `"${{ values.repoName }}-entities" is not valid; expected a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total`,
		},
		// The flattened copy of the IBM file: its relative substitutions point into
		// directories that wild/ does not have (wild-trees/ holds the real layout).
		ibmFlat + "#2":  {missing: []string{"./components/resource-links.yaml"}},
		ibmFlat + "#3":  {missing: []string{"./nodeapi/sample.yaml"}},
		ibmFlat + "#4":  {missing: []string{"./jmsapi/sample.yaml"}},
		ibmFlat + "#5":  {missing: []string{"./springapi/sample.yaml"}},
		ibmFlat + "#6":  {missing: []string{"./pythonapi/sample.yaml"}},
		ibmFlat + "#7":  {missing: []string{"./goapi/sample.yaml"}},
		ibmFlat + "#8":  {missing: []string{"./dotnetapi/sample.yaml"}},
		ibmFlat + "#10": {missing: []string{"./asyncapi/sample.yaml"}},
		ibmFlat + "#11": {missing: []string{"./templates/inputparams.yaml", "./templates/node-steps.yaml", "./templates/outputlinks.yaml"}},
		ibmFlat + "#12": {missing: []string{"./templates/inputparams.yaml", "./templates/jms-steps.yaml", "./templates/outputlinks.yaml"}},
		ibmFlat + "#13": {missing: []string{"./templates/inputparams.yaml", "./templates/outputlinks.yaml", "./templates/spring-steps.yaml"}},
		ibmFlat + "#14": {missing: []string{"./templates/inputparams.yaml", "./templates/outputlinks.yaml", "./templates/python-steps.yaml"}},
		ibmFlat + "#15": {missing: []string{"./templates/dotnet-steps.yaml", "./templates/inputparams.yaml", "./templates/outputlinks.yaml"}},
		ibmFlat + "#16": {missing: []string{"./templates/go-steps.yaml", "./templates/inputparams.yaml", "./templates/outputlinks.yaml"}},
		// The three $text targets left out of the tree on purpose (see the corpus README).
		ibm + "catalog-info.yaml#3": {missing: []string{"./nodeapi/sample.yaml"}},
		ibm + "catalog-info.yaml#7": {missing: []string{"./goapi/sample.yaml"}},
		ibm + "catalog-info.yaml#8": {missing: []string{"./dotnetapi/sample.yaml"}},
		// Substitution targets: API definitions ($text), link lists, steps and parameters
		// ($yaml), and a parameter fragment; none is an entity.
		ibm + "asyncapi/sample.yaml":           {notDescriptor: true},
		ibm + "jmsapi/sample.yaml":             {notDescriptor: true},
		ibm + "pythonapi/sample.yaml":          {notDescriptor: true},
		ibm + "springapi/sample.yaml":          {notDescriptor: true},
		ibm + "components/resource-links.yaml": {notDescriptor: true},
		ibm + "templates/dotnet-steps.yaml":    {notDescriptor: true},
		ibm + "templates/go-steps.yaml":        {notDescriptor: true},
		ibm + "templates/inputparams.yaml":     {notDescriptor: true},
		ibm + "templates/jms-steps.yaml":       {notDescriptor: true},
		ibm + "templates/node-steps.yaml":      {notDescriptor: true},
		ibm + "templates/outputlinks.yaml":     {notDescriptor: true},
		ibm + "templates/python-steps.yaml":    {notDescriptor: true},
		ibm + "templates/repo-def.yaml":        {notDescriptor: true},
		ibm + "templates/spring-steps.yaml":    {notDescriptor: true},
	}
	used := map[string]bool{}
	lookup := func(key string) (outcome, bool) {
		if o, ok := exceptions[key]; ok {
			used[key] = true
			return o, true
		}
		return outcome{}, false
	}
	valid := 0
	for _, sub := range []string{"wild", "wild-trees"} {
		err := filepath.WalkDir(filepath.Join(root, sub), func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			fileOutcome, fileListed := lookup(rel)
			t.Run(rel, func(t *testing.T) {
				docs, err := readYAML(path)
				if fileListed && fileOutcome.yamlError {
					if err == nil {
						t.Errorf("want a YAML error")
					}
					return
				}
				if fileListed && fileOutcome.notDescriptor {
					for _, d := range docs {
						if d.Raw != nil && (d.Raw["apiVersion"] != nil || d.Raw["kind"] != nil) {
							t.Errorf("document %d looks like a descriptor", d.N)
						}
					}
					return
				}
				if err != nil {
					t.Fatalf("%v", err)
				}
				for _, d := range docs {
					if d.Null {
						continue
					}
					key := rel + "#" + strconv.Itoa(d.N)
					want, listed := lookup(key)
					if d.Raw == nil {
						t.Errorf("document %d is not a mapping", d.N)
						continue
					}
					resolved, missing := resolvePlaceholders(d.Raw, filepath.Dir(path))
					slices.Sort(missing)
					if !slices.Equal(missing, want.missing) {
						t.Errorf("document %d: missing substitution targets %q, want %q", d.N, missing, want.missing)
					}
					if len(missing) > 0 {
						continue
					}
					e, err := FromRaw(resolved.(map[string]any))
					if listed && want.fields != nil {
						if err == nil {
							t.Errorf("document %d accepted, want problems at %v", d.N, want.fields)
							continue
						}
						if got := problemFields(t, err); !slices.Equal(got, want.fields) {
							t.Errorf("document %d: fields %q, want %q", d.N, got, want.fields)
						}
						if got := problemMessage(err, want.fields[0]); got != want.message {
							t.Errorf("document %d: message %q, want %q", d.N, got, want.message)
						}
						continue
					}
					if err != nil {
						t.Errorf("document %d: %v", d.N, err)
						continue
					}
					if !KnownKind(e.Kind) {
						t.Errorf("document %d: unknown kind %q", d.N, e.Kind)
					}
					if _, err := Relations(e); err != nil {
						t.Errorf("document %d: relations: %v", d.N, err)
					}
					valid++
				}
			})
			return nil
		})
		if err != nil {
			t.Fatalf("walk %s: %v", sub, err)
		}
	}
	for key := range exceptions {
		if !used[key] {
			t.Errorf("exception %s matched no document", key)
		}
	}
	t.Logf("%d descriptors validated", valid)
	if valid != 142 {
		t.Errorf("%d descriptors validated, want 142", valid)
	}
}
