package synth

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/keelson-dev/keelson/catalog/catalogtest"
)

// sharedDir returns ../shared beside the repository (see catalogtest.SharedDir).
func sharedDir(t *testing.T) string { return catalogtest.SharedDir(t) }

// readDir returns every regular file in dir by name.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	out := make(map[string][]byte, len(entries))
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatalf("read %s: %v", e.Name(), err)
		}
		out[e.Name()] = b
	}
	return out
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestGenerateMatchesReference runs the reference generator and this port
// into the same directory (the side file app-config-locations.yaml holds
// absolute paths) and compares every file byte for byte.
func TestGenerateMatchesReference(t *testing.T) {
	script := filepath.Join(sharedDir(t), "bench", "gen-catalog.js")
	if _, err := os.Stat(script); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("reference generator missing: %v", err)
		}
		t.Skipf("reference generator missing: %v", err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		// TestGenerateDigests still pins the output without node.
		t.Skip("node is not installed; TestGenerateDigests covers the output")
	}
	tests := []struct {
		name    string
		n       int
		perFile int
	}{
		{name: "1000 components", n: 1000, perFile: 1000},
		{name: "2500 components", n: 2500, perFile: 1000},
		{name: "2500 components 700 per file", n: 2500, perFile: 700},
		{name: "7 components", n: 7, perFile: 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "catalog")
			cmd := exec.Command(node, script, strconv.Itoa(tc.n), dir, strconv.Itoa(tc.perFile))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("reference generator: %v\n%s", err, out)
			}
			want := readDir(t, dir)
			if err := os.RemoveAll(dir); err != nil {
				t.Fatalf("clear %s: %v", dir, err)
			}
			sum, err := Generate(tc.n, dir, tc.perFile)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			got := readDir(t, dir)
			if len(got) != len(want) {
				t.Fatalf("files: got %v, want %v", sortedKeys(got), sortedKeys(want))
			}
			for _, name := range sortedKeys(want) {
				g, ok := got[name]
				if !ok {
					t.Errorf("%s: not generated", name)
					continue
				}
				if !bytes.Equal(g, want[name]) {
					t.Errorf("%s: differs from the reference at byte %d", name, firstDiff(g, want[name]))
				}
			}
			if sum.Components != tc.n {
				t.Errorf("summary components: got %d, want %d", sum.Components, tc.n)
			}
		})
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
