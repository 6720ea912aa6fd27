package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/keelson-dev/keelson/catalog/synth"
)

// The end-to-end benchmarks build the keelson binary, generate the synthetic catalog
// (../shared/bench/DATA-SHAPE.md) and start the binary on it as a user would:
//
//	go test ./cmd/keelson -run '^$' -bench 'Catalog' -benchtime 20000x -count 5 -timeout 90m | tee bench.txt
//	go run golang.org/x/perf/cmd/benchstat@latest bench.txt
//
// Give -benchtime as a count (20000x), not a duration: start ignores b.N, so a duration longer
// than one start would repeat starts. A 50k run outlasts go test's default 10-minute timeout.
//
// Names are Catalog/<backend>/<size>/<measure>: backend is sqlite, or postgres when
// KEELSON_TEST_POSTGRES_URL is set; size is 10k unless KEELSON_BENCH_N (comma-separated
// component counts) or a size named in -bench, such as 'Catalog/sqlite/50k', asks for more.
//
//	start     one cold start on an empty database per run, whatever b.N is (a start takes
//	          seconds): s-to-queryable is from process start until /readyz answers and the
//	          catalog API counts every entity; MiB-peak-rss is the process's VmHWM then.
//	by-query  b.N requests of by-query?filter=kind=component&limit=20 over 4 keep-alive
//	          connections: req/s, ms-p99 latency, MiB-peak-rss after the load.
//	by-name   b.N by-name lookups of pseudo-random existing components, likewise.
//
// by-query and by-name run against the server the last start left running. The server runs
// with --refresh-interval 1h so that a periodic refresh does not fall inside a measurement.

// benchConns is the number of concurrent client connections the throughput targets assume.
const benchConns = 4

// benchSize is a catalog size: its label in benchmark names and its component count.
type benchSize struct {
	label string
	n     int
}

// BenchmarkCatalog measures the keelson binary end to end on the synthetic catalog.
func BenchmarkCatalog(b *testing.B) {
	bin := buildKeelson(b)
	sizes := benchSizes(b)
	catalogRoot := b.TempDir()
	catalogs := make(map[int]synth.Summary)
	dirs := make(map[int]string)
	for _, backend := range benchBackends() {
		b.Run(backend, func(b *testing.B) {
			for _, size := range sizes {
				b.Run(size.label, func(b *testing.B) {
					if _, ok := dirs[size.n]; !ok {
						dir := filepath.Join(catalogRoot, size.label)
						sum, err := synth.Generate(size.n, dir, 1000)
						if err != nil {
							b.Fatalf("generate the synthetic catalog: %v", err)
						}
						catalogs[size.n], dirs[size.n] = sum, dir
					}
					f := &fixture{
						bin:      bin,
						backend:  backend,
						root:     filepath.Join(dirs[size.n], "catalog-info.yaml"),
						n:        size.n,
						total:    expectedEntities(catalogs[size.n]),
						work:     b.TempDir(),
						pgBase:   os.Getenv("KEELSON_TEST_POSTGRES_URL"),
						warnings: b,
					}
					b.Cleanup(f.stop)
					b.Run("start", f.benchStart)
					b.Run("by-query", f.benchByQuery)
					b.Run("by-name", f.benchByName)
				})
			}
		})
	}
}

// expectedEntities is what the catalog API serves for a synthetic catalog: every entity in
// its files, the root catalog-info.yaml's own Location entity, and the Location entity
// generated for the configured static location (as Backstage generates one).
func expectedEntities(sum synth.Summary) int {
	return sum.Total + 2
}

// buildKeelson builds the binary under test once for the whole benchmark.
func buildKeelson(b *testing.B) string {
	b.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		b.Fatalf("the go command is needed to build keelson: %v", err)
	}
	bin := filepath.Join(b.TempDir(), "keelson")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// benchBackends lists sqlite, and postgres when KEELSON_TEST_POSTGRES_URL is set.
func benchBackends() []string {
	backends := []string{"sqlite"}
	if os.Getenv("KEELSON_TEST_POSTGRES_URL") != "" {
		backends = append(backends, "postgres")
	}
	return backends
}

// benchSizes is 10k components, or the counts in KEELSON_BENCH_N, plus any of the standard
// sizes the -bench pattern names (so -bench 'Catalog/sqlite/50k' runs 50k without the variable).
func benchSizes(b *testing.B) []benchSize {
	b.Helper()
	var sizes []benchSize
	add := func(n int) {
		label := strconv.Itoa(n)
		if n%1000 == 0 {
			label = strconv.Itoa(n/1000) + "k"
		}
		if !slices.ContainsFunc(sizes, func(s benchSize) bool { return s.n == n }) {
			sizes = append(sizes, benchSize{label: label, n: n})
		}
	}
	if env := os.Getenv("KEELSON_BENCH_N"); env != "" {
		for _, field := range strings.Split(env, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(field))
			if err != nil || n < 1 {
				b.Fatalf("KEELSON_BENCH_N=%q: expected comma-separated component counts such as 10000,50000", env)
			}
			add(n)
		}
	} else {
		add(10000)
	}
	if f := flag.Lookup("test.bench"); f != nil {
		for _, n := range []int{10000, 50000} {
			if strings.Contains(f.Value.String(), strconv.Itoa(n/1000)+"k") {
				add(n)
			}
		}
	}
	return sizes
}

// fixture is one backend and catalog size: it starts keelson processes and keeps the last one
// running for the throughput benchmarks.
type fixture struct {
	bin, backend, root string
	n, total           int
	work               string
	pgBase             string
	warnings           testing.TB

	starts int
	srv    *server
}

// server is one running keelson process.
type server struct {
	cmd      *exec.Cmd
	base     string
	logPath  string
	exited   chan struct{}
	waitErr  error
	cleanups []func()
}

// benchStart performs one cold start per run and keeps the server for the benchmarks after it.
func (f *fixture) benchStart(b *testing.B) {
	f.stop()
	took := f.start(b)
	b.ReportMetric(took.Seconds(), "s-to-queryable")
	b.ReportMetric(f.srv.peakRSS(b), "MiB-peak-rss")
	b.ReportMetric(0, "ns/op")
}

// benchByQuery loads the first page of components, as a catalog page does.
func (f *fixture) benchByQuery(b *testing.B) {
	srv := f.running(b)
	path := "/api/catalog/entities/by-query?filter=kind=component&limit=20"
	total := []byte(fmt.Sprintf(`"totalItems":%d`, f.n))
	component := []byte(`"kind":"Component"`)
	runLoad(b, srv, func(*rand.Rand) (string, func([]byte) error) {
		return path, func(body []byte) error {
			if !bytes.Contains(body, total) {
				return fmt.Errorf("body lacks %s", total)
			}
			if c := bytes.Count(body, component); c != 20 {
				return fmt.Errorf("%d components in the page, want 20", c)
			}
			return nil
		}
	})
}

// benchByName looks up pseudo-random existing components by name.
func (f *fixture) benchByName(b *testing.B) {
	srv := f.running(b)
	runLoad(b, srv, func(r *rand.Rand) (string, func([]byte) error) {
		name := fmt.Sprintf("svc-%06d", r.IntN(f.n))
		return "/api/catalog/entities/by-name/component/default/" + name, func(body []byte) error {
			if !bytes.Contains(body, []byte(`"name":"`+name+`"`)) {
				return fmt.Errorf("body lacks the name %s", name)
			}
			return nil
		}
	})
}

// running returns the server the last start left, starting one when none runs.
func (f *fixture) running(b *testing.B) *server {
	b.Helper()
	if f.srv == nil {
		f.start(b)
	}
	return f.srv
}

// start runs keelson on a new empty database and waits until every entity is queryable.
func (f *fixture) start(b *testing.B) time.Duration {
	b.Helper()
	f.starts++
	srv := &server{exited: make(chan struct{})}
	f.srv = srv
	dbURL := f.database(b, srv)
	addr := freeAddr(b)
	srv.base = "http://" + addr
	srv.logPath = filepath.Join(f.work, fmt.Sprintf("keelson-%d.log", f.starts))
	logFile, err := os.Create(srv.logPath)
	if err != nil {
		b.Fatalf("server log: %v", err)
	}
	defer logFile.Close()
	srv.cmd = exec.Command(f.bin, "serve",
		"--addr", addr,
		"--database-url", dbURL,
		"--catalog-locations", f.root,
		"--demo=false",
		"--refresh-interval", "1h",
	)
	srv.cmd.Dir = f.work
	srv.cmd.Env = serverEnv()
	srv.cmd.Stdout, srv.cmd.Stderr = logFile, logFile
	begin := time.Now()
	if err := srv.cmd.Start(); err != nil {
		b.Fatalf("start keelson: %v", err)
	}
	go func() {
		srv.waitErr = srv.cmd.Wait()
		close(srv.exited)
	}()
	if err := srv.waitQueryable(f.total); err != nil {
		b.Fatalf("keelson on %s with %d components: %v\n%s", f.backend, f.n, err, srv.logTail())
	}
	return time.Since(begin)
}

// database creates the empty database one start uses, and registers its removal.
func (f *fixture) database(b *testing.B, srv *server) string {
	b.Helper()
	if f.backend == "sqlite" {
		path := filepath.Join(f.work, fmt.Sprintf("keelson-%d.db", f.starts))
		srv.cleanups = append(srv.cleanups, func() {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
		})
		return "sqlite:" + path
	}
	name := fmt.Sprintf("keelson_bench_%d_%d", os.Getpid(), f.starts)
	if err := pgExec(f.pgBase, "CREATE DATABASE "+name); err != nil {
		b.Fatalf("postgres: %v", err)
	}
	srv.cleanups = append(srv.cleanups, func() {
		if err := pgExec(f.pgBase, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			f.warnings.Logf("postgres: %v", err)
		}
	})
	u, err := url.Parse(f.pgBase)
	if err != nil {
		b.Fatalf("KEELSON_TEST_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// stop ends the running server, if any, and removes its database.
func (f *fixture) stop() {
	srv := f.srv
	if srv == nil {
		return
	}
	f.srv = nil
	if srv.cmd != nil && srv.cmd.Process != nil {
		srv.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-srv.exited:
		case <-time.After(30 * time.Second):
			srv.cmd.Process.Kill()
			<-srv.exited
		}
	}
	for _, c := range srv.cleanups {
		c()
	}
}

// pgExec runs one statement on the PostgreSQL server base names.
func pgExec(base, stmt string) error {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return fmt.Errorf("open %s: %w", base, err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt); err != nil {
		return fmt.Errorf("%s: %w", stmt, err)
	}
	return nil
}

// serverEnv is this process's environment without KEELSON_* variables, so only the
// benchmark's flags configure the server.
func serverEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "KEELSON_") })
}

// freeAddr finds a free loopback port.
func freeAddr(b *testing.B) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatalf("find a free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitQueryable polls /readyz, then the entity count, until the count is total.
func (s *server) waitQueryable(total int) error {
	client := &http.Client{Timeout: 5 * time.Second}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(time.Hour)
	var readySince time.Time
	last := -1
	for {
		select {
		case <-s.exited:
			return fmt.Errorf("exited before the catalog was queryable: %v", s.waitErr)
		case <-deadline:
			return fmt.Errorf("not queryable after an hour (last count %d, want %d)", last, total)
		case <-tick.C:
		}
		if readySince.IsZero() {
			if status(client, s.base+"/readyz") != http.StatusOK {
				continue
			}
			readySince = time.Now()
		}
		n, err := countEntities(client, s.base)
		if err != nil {
			return err
		}
		last = n
		if n == total {
			return nil
		}
		if time.Since(readySince) > time.Minute {
			return fmt.Errorf("ready for a minute but serving %d entities, want %d", n, total)
		}
	}
}

// status is the status code of a GET, or 0 when the request fails.
func status(client *http.Client, u string) int {
	resp, err := client.Get(u)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// countEntities asks the catalog API how many entities it serves.
func countEntities(client *http.Client, base string) (int, error) {
	resp, err := client.Get(base + "/api/catalog/entities/by-query?limit=0")
	if err != nil {
		return 0, fmt.Errorf("count entities: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("count entities: status %d", resp.StatusCode)
	}
	var page struct {
		TotalItems *int `json:"totalItems"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		return 0, fmt.Errorf("count entities: %w", err)
	}
	if page.TotalItems == nil {
		return 0, fmt.Errorf("count entities: no totalItems in the answer")
	}
	return *page.TotalItems, nil
}

// peakRSS is the process's peak resident set size (VmHWM) in MiB.
func (s *server) peakRSS(b *testing.B) float64 {
	b.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		b.Fatalf("read peak RSS: %v", err)
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				b.Fatalf("parse VmHWM %q: %v", line, err)
			}
			return float64(kib) / 1024
		}
	}
	b.Fatalf("no VmHWM in /proc/%d/status", s.cmd.Process.Pid)
	return 0
}

// logTail is the end of the server's log, for failure messages.
func (s *server) logTail() string {
	data, err := os.ReadFile(s.logPath)
	if err != nil {
		return fmt.Sprintf("(no server log: %v)", err)
	}
	if len(data) > 4000 {
		data = data[len(data)-4000:]
	}
	return string(data)
}

// request picks the next request path and returns the check for its body.
type request func(r *rand.Rand) (path string, check func(body []byte) error)

// runLoad sends b.N requests split over benchConns workers, each with its own keep-alive
// connection, and reports req/s, the 99th percentile latency and the peak RSS after the load.
func runLoad(b *testing.B, srv *server, next request) {
	b.Helper()
	clients := make([]*http.Client, benchConns)
	for i := range clients {
		clients[i] = &http.Client{
			Timeout:   30 * time.Second,
			Transport: &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1, MaxIdleConns: 1},
		}
		// Open each connection before timing.
		if err := get(clients[i], srv.base, rand.New(rand.NewPCG(0, uint64(i))), next, new(bytes.Buffer)); err != nil {
			b.Fatalf("warm-up: %v", err)
		}
	}
	defer func() {
		for _, c := range clients {
			c.CloseIdleConnections()
		}
	}()
	latencies := make([][]time.Duration, benchConns)
	errs := make([]error, benchConns)
	var wg sync.WaitGroup
	b.ResetTimer()
	begin := time.Now()
	for w := range benchConns {
		share := b.N / benchConns
		if w < b.N%benchConns {
			share++
		}
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(b.N), uint64(w)))
			var body bytes.Buffer
			lat := make([]time.Duration, 0, share)
			for range share {
				t0 := time.Now()
				if err := get(clients[w], srv.base, r, next, &body); err != nil {
					errs[w] = err
					return
				}
				lat = append(lat, time.Since(t0))
			}
			latencies[w] = lat
		})
	}
	wg.Wait()
	elapsed := time.Since(begin)
	b.StopTimer()
	for _, err := range errs {
		if err != nil {
			b.Fatalf("load: %v\n%s", err, srv.logTail())
		}
	}
	all := slices.Concat(latencies...)
	slices.Sort(all)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(all[(len(all)*99)/100].Microseconds())/1000, "ms-p99")
	b.ReportMetric(srv.peakRSS(b), "MiB-peak-rss")
}

// get sends one request and checks its answer; body is reused between requests.
func get(client *http.Client, base string, r *rand.Rand, next request, body *bytes.Buffer) error {
	path, check := next(r)
	resp, err := client.Get(base + path)
	if err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	body.Reset()
	_, err = body.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("GET %s: read body: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d: %.300s", path, resp.StatusCode, body.Bytes())
	}
	if err := check(body.Bytes()); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return nil
}
