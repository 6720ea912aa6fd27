// Package catalogtest holds what tests across packages need to read real catalogs without
// leaving this machine: the shared corpus directory and an offline HTTP transport.
package catalogtest

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// SharedDir returns the absolute path of ../shared beside the repository. Outside CI the test
// is skipped when it is absent; in CI (CI set) its absence fails the test.
func SharedDir(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("../shared is missing in CI: %v", err)
		}
		t.Skipf("../shared not present: %v", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// OfflineTransport keeps tests on this machine: loopback requests go through; the public API
// definitions Backstage's example catalog points at are answered with a small OpenAPI
// document standing in for them; any other host fails as an unreachable one would.
type OfflineTransport struct{}

// RoundTrip answers one request.
func (OfflineTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	host := r.URL.Hostname()
	if host == "127.0.0.1" || host == "localhost" || host == "::1" {
		return http.DefaultTransport.RoundTrip(r)
	}
	if host != "raw.githubusercontent.com" || !strings.HasPrefix(r.URL.Path, "/APIs-guru/openapi-directory/") {
		return nil, fmt.Errorf("dial tcp: lookup %s: no such host (tests do not leave this machine)", host)
	}
	body := "openapi: 3.0.0\ninfo:\n  title: stand-in for " + r.URL.String() + "\n  version: 1.0.0\npaths: {}\n"
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Header: http.Header{"Content-Type": {"text/yaml"}},
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
}

// Examples returns the two root files Backstage's example app registers: all.yaml and acme-corp.yaml.
func Examples(t testing.TB) []string {
	t.Helper()
	ex := filepath.Join(SharedDir(t), "corpus/backstage-examples/catalog-model/examples")
	return []string{filepath.Join(ex, "all.yaml"), filepath.Join(ex, "acme-corp.yaml")}
}
