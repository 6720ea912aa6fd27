package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/synth"
	"github.com/keelson-dev/keelson/database"
	"github.com/keelson-dev/keelson/handlers"
)

// BenchmarkInProcess runs what the keelson binary runs, ingestion and the catalog API's
// handlers, inside the test process, so that -cpuprofile and -memprofile see where the time
// and memory of BenchmarkCatalog go:
//
//	go test ./cmd/keelson -run '^$' -bench 'InProcess/sqlite/10k/by-query' -benchtime 2000x -cpuprofile cpu.out
//	go tool pprof -top cpu.out
//
// Names are InProcess/<backend>/<size>/<measure>, with the backends and sizes of
// BenchmarkCatalog. ingest is one ingestion into an empty database per run, whatever b.N is;
// by-query and by-name serve b.N requests through the echo router from 4 goroutines, without
// the network, against the catalog the last ingest stored.
func BenchmarkInProcess(b *testing.B) {
	sizes := benchSizes(b)
	catalogRoot := b.TempDir()
	dirs := make(map[int]string)
	for _, backend := range benchBackends() {
		b.Run(backend, func(b *testing.B) {
			for _, size := range sizes {
				b.Run(size.label, func(b *testing.B) {
					if _, ok := dirs[size.n]; !ok {
						dir := filepath.Join(catalogRoot, size.label)
						if _, err := synth.Generate(size.n, dir, 1000); err != nil {
							b.Fatalf("generate the synthetic catalog: %v", err)
						}
						dirs[size.n] = dir
					}
					p := &inProcess{
						fixture: fixture{
							backend:  backend,
							root:     filepath.Join(dirs[size.n], "catalog-info.yaml"),
							n:        size.n,
							work:     b.TempDir(),
							pgBase:   os.Getenv("KEELSON_TEST_POSTGRES_URL"),
							warnings: b,
						},
					}
					b.Cleanup(p.close)
					b.Run("ingest", p.benchIngest)
					b.Run("by-query", p.benchByQuery)
					b.Run("by-name", p.benchByName)
				})
			}
		})
	}
}

// inProcess holds the database and router the last ingest built.
type inProcess struct {
	fixture
	db     *database.DB
	router http.Handler
}

// benchIngest ingests the synthetic catalog into an empty database, as serve does at start.
func (p *inProcess) benchIngest(b *testing.B) {
	p.close()
	took := p.ingest(b)
	b.ReportMetric(took.Seconds(), "s-to-queryable")
	b.ReportMetric(0, "ns/op")
}

// ingest opens a new database, runs the first ingestion and builds the router over it.
func (p *inProcess) ingest(b *testing.B) time.Duration {
	b.Helper()
	ctx := context.Background()
	p.starts++
	p.srv = &server{}
	url := p.database(b, p.srv)
	begin := time.Now()
	db, err := database.Open(ctx, url)
	if err != nil {
		b.Fatalf("open %s: %v", p.backend, err)
	}
	p.db = db
	cfg := Config{Locations: []string{p.root}, MaxFileBytes: 10 << 20, RefreshInterval: time.Hour}
	specs, fetch, err := locations(cfg)
	if err != nil {
		b.Fatalf("locations: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := catalog.NewService(db, fetch, time.Now, logger, catalog.Options{
		RefreshInterval: cfg.RefreshInterval,
		Limits:          limits(cfg),
		Replica:         "bench",
	})
	if err := svc.SyncStatic(ctx, specs); err != nil {
		b.Fatalf("configured locations: %v", err)
	}
	if err := svc.RefreshAll(ctx); err != nil {
		b.Fatalf("first ingestion: %v", err)
	}
	took := time.Since(begin)
	p.router = handlers.New(handlers.Config{Version: "bench", Catalog: svc, Logger: logger})
	return took
}

// close closes the database of the last ingest and removes it.
func (p *inProcess) close() {
	if p.db != nil {
		p.db.Close()
		p.db = nil
	}
	p.router = nil
	p.stop()
}

// ready returns the router over the last ingested catalog, ingesting when there is none.
func (p *inProcess) ready(b *testing.B) http.Handler {
	b.Helper()
	if p.router == nil {
		p.ingest(b)
	}
	return p.router
}

// benchByQuery serves by-query?filter=kind=component&limit=20 through the router.
func (p *inProcess) benchByQuery(b *testing.B) {
	router := p.ready(b)
	total := []byte(fmt.Sprintf(`"totalItems":%d`, p.n))
	serveParallel(b, router, func(*rand.Rand) (string, []byte) {
		return "/api/catalog/entities/by-query?filter=kind=component&limit=20", total
	})
}

// benchByName serves by-name lookups of pseudo-random existing components through the router.
func (p *inProcess) benchByName(b *testing.B) {
	router := p.ready(b)
	serveParallel(b, router, func(r *rand.Rand) (string, []byte) {
		name := fmt.Sprintf("svc-%06d", r.IntN(p.n))
		return "/api/catalog/entities/by-name/component/default/" + name, []byte(`"name":"` + name + `"`)
	})
}

// serveParallel sends b.N requests from benchConns goroutines straight to the router and
// checks each answer is 200 and contains the expected bytes.
func serveParallel(b *testing.B, router http.Handler, next func(*rand.Rand) (path string, want []byte)) {
	b.Helper()
	b.SetParallelism(max(1, benchConns/max(1, runtime.GOMAXPROCS(0))))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
		for pb.Next() {
			path, want := next(r)
			rec := httptest.NewRecorder()
			router.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if rec.Code != http.StatusOK || !bytes.Contains(rec.Body.Bytes(), want) {
				b.Errorf("GET %s: status %d, body %.300s", path, rec.Code, rec.Body.Bytes())
				return
			}
		}
	})
}
