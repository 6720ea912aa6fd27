package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/keelson-dev/keelson/catalog/catalogtest"
)

func TestValidateCommand(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ok\nspec:\n  type: service\n  owner: team-a\n  lifecycle: production\n"), 0o644)
	invalid := filepath.Join(catalogtest.SharedDir(t), "corpus/invalid/backstage__backstage__packages-catalog-model-examples-components-invalid-component.yaml")

	tests := []struct {
		name      string
		files     []string
		wantExit  bool
		wantLines []string // regular expressions, each matching one output line
	}{
		{name: "valid", files: []string{good}, wantLines: []string{`^1 files, 1 entities, 0 problems$`}},
		{name: "invalid", files: []string{good, invalid}, wantExit: true, wantLines: []string{
			`^` + regexp.QuoteMeta(invalid) + `:\d+: component:default/invalid component: metadata\.name: .*not valid`,
			`^` + regexp.QuoteMeta(invalid) + `:\d+: component:default/invalid component: metadata\.tags\[\d\]: .*not valid`,
			`^2 files, 2 entities, 2 problems$`,
		}},
		{name: "missing file", files: []string{filepath.Join(dir, "nope.yaml")}, wantExit: true, wantLines: []string{`nope\.yaml:0: .*no such file`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), append([]string{"validate"}, tc.files...), func(string) string { return "" }, &out, &out)
			var code exitCode
			if tc.wantExit != errors.As(err, &code) {
				t.Fatalf("err = %v, want exit %v\n%s", err, tc.wantExit, out.String())
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			for _, pattern := range tc.wantLines {
				re := regexp.MustCompile(pattern)
				found := false
				for _, l := range lines {
					found = found || re.MatchString(l)
				}
				if !found {
					t.Errorf("no line matches %s in:\n%s", pattern, out.String())
				}
			}
		})
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, &out, &out); err != nil || !strings.HasPrefix(out.String(), "keelson ") {
		t.Errorf("version: %v %q", err, out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, &out, &out); err == nil {
		t.Errorf("unknown command accepted")
	}
}
