package handlers

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/catalogtest"
	"github.com/keelson-dev/keelson/catalog/descriptor"
	"github.com/keelson-dev/keelson/catalog/synth"
	"github.com/keelson-dev/keelson/database"
	"github.com/keelson-dev/keelson/static"
)

// benchComponents is the size of the synthetic catalog the page benchmarks run on.
const benchComponents = 10_000

// benchConnections is how many clients request pages at once.
const benchConnections = 4

// BenchmarkPage renders the catalog list and an entity page server-side over a real loopback
// HTTP server at 10,000 components, with 4 connections, and reports requests per second.
func BenchmarkPage(b *testing.B) {
	base := startBenchServer(b)
	for _, tc := range []struct {
		name string
		path string
	}{
		{"catalog", "/catalog"},
		{"catalog-filtered", "/catalog?kind=component&lifecycle=production&owner=group:default/team-0042&q=svc&sort=-name"},
		{"catalog-htmx", "/catalog?kind=api&tag=rest"},
		{"entity", "/catalog/default/component/svc-004321"},
		{"api", "/catalog/default/api/api-001234"},
		{"api-docs", "/api-docs?type=openapi"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			headers := http.Header{"Accept": {"text/html"}}
			if tc.name == "catalog-htmx" {
				headers.Set("HX-Request", "true")
			}
			fetchOK(b, base+tc.path, headers) // warm the page index
			var next atomic.Int64
			var wg sync.WaitGroup
			errs := make(chan error, benchConnections)
			b.ResetTimer()
			start := time.Now()
			for range benchConnections {
				wg.Add(1)
				go func() {
					defer wg.Done()
					client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}, Timeout: 30 * time.Second}
					defer client.CloseIdleConnections()
					for next.Add(1) <= int64(b.N) {
						if err := fetch(client, base+tc.path, headers); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			close(errs)
			for err := range errs {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
		})
	}
}

// startBenchServer ingests the synthetic catalog into a fresh SQLite database and serves the
// router on a loopback port.
func startBenchServer(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	if _, err := synth.Generate(benchComponents, dir, 1000); err != nil {
		b.Fatal(err)
	}
	db := database.OpenTest(b, "sqlite")
	fetch := descriptor.NewFetcher(&http.Client{Timeout: 5 * time.Second, Transport: catalogtest.OfflineTransport{}}, 10<<20)
	logger := slog.New(slog.DiscardHandler)
	svc := catalog.NewService(db, fetch, nil, logger, catalog.Options{})
	ctx := context.Background()
	if err := svc.SyncStatic(ctx, []catalog.Spec{{Type: "file", Target: dir + "/catalog-info.yaml"}}); err != nil {
		b.Fatal(err)
	}
	if err := svc.RefreshAll(ctx); err != nil {
		b.Fatal(err)
	}
	assets, err := static.New()
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: New(Config{Version: "bench", Catalog: svc, Assets: assets, Logger: logger}), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

func fetchOK(b *testing.B, url string, headers http.Header) {
	b.Helper()
	if err := fetch(http.DefaultClient, url, headers); err != nil {
		b.Fatal(err)
	}
}

// fetch requests one page and reads it whole; any status but 200 is an error.
func fetch(client *http.Client, url string, headers http.Header) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header = headers.Clone()
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return &statusError{url: url, status: res.StatusCode}
	}
	return nil
}

type statusError struct {
	url    string
	status int
}

func (e *statusError) Error() string { return e.url + ": status " + http.StatusText(e.status) }
