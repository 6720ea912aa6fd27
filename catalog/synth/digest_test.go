package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateDigests pins the output to SHA-256 digests recorded from the
// reference generator, so the port is checked where node is not installed.
// app-config-locations.yaml holds absolute paths and is checked by content.
func TestGenerateDigests(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		files   []string
		digests map[string]string
	}{
		{
			name:  "1000 components",
			n:     1000,
			files: []string{"groups.yaml", "domains.yaml", "systems.yaml", "apis-000.yaml", "components-000.yaml"},
			digests: map[string]string{
				"apis-000.yaml":       "a0dd7338586c0a8ff08c7fb3a846a1e9b755c9db542d6b30e75fb19fd371add1",
				"catalog-info.yaml":   "c6f829beaedb0e572889ba210c6ad46b28ad9ff21e642f6b7e502a404c454d88",
				"components-000.yaml": "4a069181c07dbf187947b73d29e0fbd68f875ced6ff69889c59a220d60a4ddbc",
				"domains.yaml":        "f6826f00940a3454b19e4c98660308320b390466a763d88923df3573df7a0517",
				"groups.yaml":         "b37a194ecf73a5f0d73da7a42574a3af00a1ae62e4cae02e34d8c0c31f354487",
				"systems.yaml":        "2cef321680d8e1a3f2fa0e6545ab2cc00bf933d939b92b358bba799043dddf38",
				"summary.json":        "fe28b2100f7816dad79de634e1db4e876b2ec6390452436374674c061d7c9f54",
			},
		},
		{
			name: "10000 components",
			n:    10000,
			files: []string{
				"groups.yaml", "domains.yaml", "systems.yaml",
				"apis-000.yaml", "apis-001.yaml", "apis-002.yaml", "apis-003.yaml", "apis-004.yaml",
				"components-000.yaml", "components-001.yaml", "components-002.yaml", "components-003.yaml",
				"components-004.yaml", "components-005.yaml", "components-006.yaml", "components-007.yaml",
				"components-008.yaml", "components-009.yaml",
			},
			digests: map[string]string{
				"apis-004.yaml":       "e6002524af63a621ced5172ed7ecb93d8a99b7caa5ed3d7676671ec23bfffaa4",
				"catalog-info.yaml":   "ae5b13afb2e83aa17b257ba0747269c216f62058ae6b45f5e4dbf86cef12743f",
				"components-000.yaml": "704ca3d93894a97db95546618ee07a2e6201b80971da9e5fe3a6fe7c138f0cd7",
				"components-009.yaml": "8e4bc2af9d2f743231693640df05a14e665cbac9e10d67284cd29128d3dc9ff3",
				"groups.yaml":         "586d39fac249bf4d39396d19a22f964d23cd20e563d37849f693a0777f8d9545",
				"systems.yaml":        "36eea199c772407bb471e577e6f48983614a319b3f024264795486c386a830be",
				"summary.json":        "4e0860e32ef21a75df6da585f14076417714726235fdf5b3e3a7c4ea49b98e7b",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			sum, err := Generate(tc.n, dir, 1000)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			if strings.Join(sum.Files, ",") != strings.Join(tc.files, ",") {
				t.Errorf("files: got %v, want %v", sum.Files, tc.files)
			}
			for name, want := range tc.digests {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatalf("read %s: %v", name, err)
				}
				d := sha256.Sum256(b)
				if got := hex.EncodeToString(d[:]); got != want {
					t.Errorf("%s: sha256 %s, want %s", name, got, want)
				}
			}
			var cfg strings.Builder
			cfg.WriteString("catalog:\n  locations:\n")
			for _, f := range tc.files {
				cfg.WriteString("    - type: file\n      target: " + dir + "/" + f + "\n")
			}
			b, err := os.ReadFile(filepath.Join(dir, "app-config-locations.yaml"))
			if err != nil {
				t.Fatalf("read app-config-locations.yaml: %v", err)
			}
			if string(b) != cfg.String() {
				t.Errorf("app-config-locations.yaml:\n%s\nwant:\n%s", b, cfg.String())
			}
		})
	}
}

func TestGenerateRejectsBadArguments(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		perFile int
		wantErr string
	}{
		{name: "no components", n: 0, perFile: 1000, wantErr: "component count 0"},
		{name: "negative components", n: -3, perFile: 1000, wantErr: "component count -3"},
		{name: "no components per file", n: 10, perFile: 0, wantErr: "components per file 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			_, err := Generate(tc.n, dir, tc.perFile)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error: got %v, want one containing %q", err, tc.wantErr)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("output directory created for rejected arguments: %v", err)
			}
		})
	}
}

func BenchmarkGenerate10k(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		if _, err := Generate(10000, dir, 1000); err != nil {
			b.Fatalf("Generate: %v", err)
		}
	}
}
