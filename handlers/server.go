// Package handlers is Keelson's HTTP layer: echo routes for the HTML pages, the
// Backstage-compatible catalog API, health and metrics. Handlers bind input, call a domain
// service, map the result to a view model or JSON, and render.
package handlers

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/static"
)

// Readiness reports whether the server may take traffic.
type Readiness interface {
	// Ready returns nil when the database is reachable and the first ingestion is done.
	Ready(ctx context.Context) error
}

// Config is what the HTTP layer is built from.
type Config struct {
	Version   string
	Catalog   *catalog.Service
	Readiness Readiness
	Metrics   *Metrics
	Assets    *static.Assets
	Logger    *slog.Logger
	// Auth signs people in, identifies callers and decides what they may do; nil means guest
	// mode over the catalog's database, as keelson runs without an identity provider.
	Auth *auth.Service
}

// Server holds the dependencies every handler uses.
type Server struct {
	cfg     Config
	log     *slog.Logger
	auth    *auth.Service
	buffers sync.Pool // *bytes.Buffer for rendering pages
}

// New builds the echo router with every route and middleware.
func New(cfg Config) *echo.Echo {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	if cfg.Auth == nil {
		cfg.Auth = guestAuth(cfg)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, auth: cfg.Auth}
	s.buffers.New = func() any { return new(bytes.Buffer) }
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	// The audit log records the connecting address; forwarding headers are not trusted.
	e.IPExtractor = echo.ExtractIPDirect()
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{}))
	e.Use(middleware.Recover())
	e.Use(cfg.Metrics.Middleware())
	e.Use(s.accessLog)
	e.Use(s.requestMeta, s.securityHeaders, s.authenticate, s.csrf)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", echo.WrapHandler(cfg.Metrics.Handler()))
	if cfg.Assets != nil {
		e.GET("/static/*", echo.WrapHandler(cfg.Assets.Handler()))
	}

	api := e.Group("/api/catalog")
	s.catalogRoutes(api)
	s.authRoutes(e)
	s.pageRoutes(e)
	return e
}

// accessLog logs one line per request with its id, so a 500 page's id can be found in the log.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		res := c.Response()
		level := slog.LevelDebug
		if res.Status >= 500 && c.Path() != "/readyz" { // a load balancer polls readyz while starting
			level = slog.LevelError
		}
		s.log.Log(c.Request().Context(), level, "http request",
			slog.String("request_id", res.Header().Get(echo.HeaderXRequestID)),
			slog.String("method", c.Request().Method),
			slog.String("path", c.Request().URL.Path),
			slog.Int("status", res.Status),
			slog.Duration("took", time.Since(start)))
		return nil
	}
}
