package descriptor

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// corpusDir returns ../shared/corpus next to the repository root. Outside CI
// the test is skipped when the corpus is absent; in CI that is a failure.
func corpusDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatalf("no go.mod above the test directory")
		}
		dir = parent
	}
	corpus := filepath.Join(filepath.Dir(dir), "shared", "corpus")
	if _, err := os.Stat(corpus); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("corpus missing at %s: %v", corpus, err)
		}
		tb.Skipf("corpus missing at %s", corpus)
	}
	return corpus
}

// loopbackOnly refuses every host but the loopback interface, so tests never
// reach the network even when descriptors name public URLs.
type loopbackOnly struct{}

func (loopbackOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	switch r.URL.Hostname() {
	case "127.0.0.1", "localhost", "::1":
		return http.DefaultTransport.RoundTrip(r)
	}
	return nil, fmt.Errorf("tests only reach 127.0.0.1, not %s", r.URL.Host)
}

// testFetcher reads local files and loopback URLs.
func testFetcher() Fetcher {
	return NewFetcher(&http.Client{Transport: loopbackOnly{}}, 10<<20)
}

// decodeFile reads and decodes a file with the default limits.
func decodeFile(tb testing.TB, path string) ([]Document, error) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	return Decode(context.Background(), path, data, testFetcher(), DefaultLimits())
}

// decodeString decodes inline YAML as if it were the file at source.
func decodeString(tb testing.TB, source, text string) ([]Document, error) {
	tb.Helper()
	return Decode(context.Background(), source, []byte(text), testFetcher(), DefaultLimits())
}
