package catalog

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/keelson-dev/keelson/database"
)

// TestInvalidCorpus ingests every file of corpus/invalid and checks each is rejected for the
// reasons its NOTES.md gives, with the problems naming the file, line and field.
func TestInvalidCorpus(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "corpus/invalid")
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			s := newTestService(t, backend)
			ctx := context.Background()
			add := func(name string) *AddResult {
				t.Helper()
				res, err := s.AddLocation(ctx, Spec{Type: "file", Target: filepath.Join(dir, name)}, false)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range res.Errors {
					if p.Source != filepath.Join(dir, name) || p.Line == 0 {
						t.Errorf("%s: problem without file or line: %+v", name, p)
					}
				}
				return res
			}
			fields := func(res *AddResult) []string {
				var out []string
				for _, p := range res.Errors {
					out = append(out, p.Field)
				}
				sort.Strings(out)
				return out
			}

			t.Run("invalid component", func(t *testing.T) {
				res := add("backstage__backstage__packages-catalog-model-examples-components-invalid-component.yaml")
				if got := fields(res); len(got) != 2 || got[0] != "metadata.name" || !strings.HasPrefix(got[1], "metadata.tags") {
					t.Errorf("fields = %v, want metadata.name and a tag (not the label)", got)
				}
				if len(res.Entities) != 1 {
					t.Errorf("%d entities, want only the generated Location", len(res.Entities))
				}
			})

			t.Run("un-rendered template name", func(t *testing.T) {
				res := add("cosmonic-labs__mcp-server-template-ts__catalog-info.yaml")
				if got := fields(res); len(got) != 1 || got[0] != "metadata.name" {
					t.Errorf("fields = %v, want metadata.name", got)
				}
			})

			t.Run("not a descriptor", func(t *testing.T) {
				res := add("LLNL__radiuss-shared-ci__catalog-info.yml")
				got := strings.Join(fields(res), ",")
				for _, f := range []string{"apiVersion", "kind", "metadata"} {
					if !strings.Contains(got, f) {
						t.Errorf("fields = %s, want %s missing", got, f)
					}
				}
				if len(res.Entities) != 1 {
					t.Errorf("an entity was invented from a non-descriptor")
				}
			})

			t.Run("eighteen documents", func(t *testing.T) {
				name := "im-open__validate-catalog-info__test-catalog-infos-invalid-entities.yml"
				data, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				// Map each line to the "# Doc N" comment above it.
				docOf := map[int]int{}
				doc := 0
				marker := regexp.MustCompile(`^# Doc (\d+)`)
				for i, line := range strings.Split(string(data), "\n") {
					if m := marker.FindStringSubmatch(line); m != nil {
						doc, _ = strconv.Atoi(m[1])
					}
					docOf[i+1] = doc
				}
				res := add(name)
				failed := map[int]bool{}
				for _, p := range res.Errors {
					failed[docOf[p.Line]] = true
				}
				for d := 1; d <= 18; d++ {
					want := d != 2 && d != 8 // comments only; unknown kind (served with a warning)
					if failed[d] != want {
						t.Errorf("doc %d rejected = %v, want %v", d, failed[d], want)
					}
				}
				thing := mustEntity(t, s, "thing:default/content-management-8")
				if thing.Status == nil || len(thing.Status.Items) != 1 || thing.Status.Items[0].Level != "warning" ||
					!strings.Contains(thing.Status.Items[0].Message, "No processor recognized") {
					t.Errorf("unknown kind status = %+v, want a warning that Backstage would refuse it", thing.Status)
				}
			})
		})
	}
}
