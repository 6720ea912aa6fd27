package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/demo"
	"github.com/keelson-dev/keelson/catalog/descriptor"
	"github.com/keelson-dev/keelson/database"
	"github.com/keelson-dev/keelson/handlers"
	"github.com/keelson-dev/keelson/static"
)

// demoPrefix is where the bundled demo catalog appears to live: a path no disk has, served
// from the binary, so the demo's entities keep stable location annotations.
const demoPrefix = "/keelson/demo/"

// readiness is ready once the database answers, this replica's first ingestion is done and
// every location has been read by some replica.
type readiness struct {
	db       *database.DB
	catalog  *catalog.Service
	ingested atomic.Bool
}

func (r *readiness) Ready(ctx context.Context) error {
	if err := r.db.SQL.PingContext(ctx); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	if !r.ingested.Load() {
		return errors.New("first catalog ingestion not done")
	}
	if n, err := r.catalog.Unread(ctx); err != nil || n > 0 {
		return fmt.Errorf("%d locations not read yet (%v)", n, err)
	}
	return nil
}

// serve runs the portal until ctx ends, then shuts down gracefully.
func serve(ctx context.Context, cfg Config, stderr io.Writer) error {
	logger := newLogger(cfg, stderr)
	if cfg.MemoryLimit > 0 {
		debug.SetMemoryLimit(cfg.MemoryLimit)
	}
	db, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()

	specs, fetch, err := locations(cfg)
	if err != nil {
		return err
	}
	metrics := handlers.NewMetrics()
	host, _ := os.Hostname()
	svc := catalog.NewService(db, fetch, time.Now, logger, catalog.Options{
		RefreshInterval: cfg.RefreshInterval,
		OrphanGrace:     cfg.OrphanGrace,
		Limits:          limits(cfg),
		Replica:         fmt.Sprintf("%s-%d", host, os.Getpid()),
		Observer:        metrics,
	})
	assets, err := static.New()
	if err != nil {
		return err
	}
	authSvc, err := newAuth(cfg.Auth, db, svc, logger)
	if err != nil {
		return err
	}
	ready := &readiness{db: db, catalog: svc}
	e := handlers.New(handlers.Config{Version: version(), Catalog: svc, Readiness: ready, Metrics: metrics, Assets: assets,
		Logger: logger, Auth: authSvc})

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	logger.Info("keelson serving", slog.String("addr", ln.Addr().String()), slog.String("database", db.Dialect),
		slog.Int("locations", len(specs)), slog.String("version", version()))

	work, stopWork := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		purged := make(chan struct{})
		go func() {
			defer close(purged)
			purgeSessions(work, authSvc, logger)
		}()
		defer func() { <-purged }()
		if err := svc.SyncStatic(work, specs); err != nil {
			logger.Error("configured locations", slog.Any("error", err))
		} else if err := svc.RefreshAll(work); err != nil {
			logger.Error("first ingestion", slog.Any("error", err))
		}
		ready.ingested.Store(true)
		svc.Run(work)
	}()

	select {
	case err := <-serveErr:
		stopWork()
		<-done
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	logger.Info("keelson shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	stopWork()
	<-done
	return err
}

// newAuth builds the sign-in service; an unreachable identity provider does not stop startup,
// as the provider is discovered at the first sign-in.
func newAuth(cfg AuthConfig, db *database.DB, svc *catalog.Service, logger *slog.Logger) (*auth.Service, error) {
	a, err := auth.NewService(auth.Config{
		Issuer:            cfg.OIDCIssuer,
		ClientID:          cfg.OIDCClientID,
		ClientSecret:      cfg.OIDCClientSecret,
		BaseURL:           cfg.BaseURL,
		SignInResolver:    cfg.SignInResolver,
		AllowedDomains:    cfg.AllowedDomains,
		AllowUnknownUsers: cfg.AllowUnknownUsers,
		AdminGroups:       cfg.AdminGroups,
		ManagerGroups:     cfg.ManagerGroups,
		SessionIdle:       cfg.SessionIdle,
		SessionAbsolute:   cfg.SessionAbsolute,
	}, db, handlers.NewDirectory(svc), logger)
	if err != nil {
		return nil, err
	}
	mode := "guest"
	if !a.GuestMode() {
		mode = "oidc"
	}
	logger.Info("sign-in", slog.String("mode", mode), slog.String("issuer", cfg.OIDCIssuer),
		slog.Any("admin_groups", a.Config().AdminGroups), slog.Any("manager_groups", a.Config().ManagerGroups))
	return a, nil
}

// sessionPurgeEvery is how often expired sessions are deleted; sign-in deletes them too.
const sessionPurgeEvery = 30 * time.Minute

// purgeSessions deletes expired sessions until ctx ends.
func purgeSessions(ctx context.Context, a *auth.Service, logger *slog.Logger) {
	t := time.NewTicker(sessionPurgeEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := a.PurgeSessions(ctx); err != nil && ctx.Err() == nil {
				logger.Error("purge sessions", slog.Any("error", err))
			}
		}
	}
}

// locations turns the configured targets into location specs, or the demo catalog when none
// is configured, with the fetcher that reads them.
func locations(cfg Config) ([]catalog.Spec, descriptor.Fetcher, error) {
	fetch := descriptor.NewFetcher(&http.Client{Timeout: 30 * time.Second}, cfg.MaxFileBytes)
	var specs []catalog.Spec
	for _, target := range cfg.Locations {
		spec, err := catalog.ParseSpec(target)
		if err != nil {
			return nil, nil, err
		}
		specs = append(specs, spec)
	}
	if len(specs) == 0 && cfg.Demo {
		files, err := fs.Sub(demo.FS, "files")
		if err != nil {
			return nil, nil, fmt.Errorf("demo catalog: %w", err)
		}
		fetch = catalog.WithEmbedded(fetch, demoPrefix, files)
		specs = append(specs, catalog.Spec{Type: "file", Target: demoPrefix + "catalog-info.yaml"})
	}
	return specs, fetch, nil
}

func limits(cfg Config) descriptor.Limits {
	l := descriptor.DefaultLimits()
	l.MaxFileBytes = cfg.MaxFileBytes
	return l
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
