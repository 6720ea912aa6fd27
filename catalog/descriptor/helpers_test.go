package descriptor

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/keelson-dev/keelson/catalog/catalogtest"
)

// corpusDir returns ../shared/corpus beside the repository (see catalogtest.SharedDir).
func corpusDir(tb testing.TB) string { return filepath.Join(catalogtest.SharedDir(tb), "corpus") }

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
