package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/keelson-dev/keelson/catalog"
)

// Metrics is Keelson's Prometheus registry: HTTP request durations and catalog ingestion.
// It implements catalog.Observer.
type Metrics struct {
	registry  *prometheus.Registry
	requests  *prometheus.HistogramVec
	refreshes *prometheus.HistogramVec
	written   prometheus.Counter
	problems  *prometheus.GaugeVec
}

// NewMetrics creates a registry with Go runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "keelson_http_request_duration_seconds",
			Help:    "Duration of HTTP requests by method, route and status code.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route", "code"}),
		refreshes: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "keelson_catalog_refresh_duration_seconds",
			Help:    "Duration of catalog location refreshes by outcome.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}, []string{"outcome"}),
		written: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "keelson_catalog_entities_written_total",
			Help: "Entities written (inserted or changed) by catalog refreshes.",
		}),
		problems: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "keelson_catalog_processing_errors",
			Help: "Processing errors found by the last refresh of each location.",
		}, []string{"location"}),
	}
	m.registry.MustRegister(m.requests, m.refreshes, m.written, m.problems,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the Prometheus exposition.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Middleware times every request by its route pattern (not its path, to bound cardinality).
func (m *Metrics) Middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			if err := next(c); err != nil {
				c.Error(err) // answer now, so the status below is the one sent
			}
			status := c.Response().Status
			route := c.Path()
			if route == "" {
				route = "unmatched"
			}
			m.requests.WithLabelValues(c.Request().Method, route, strconv.Itoa(status)).Observe(time.Since(start).Seconds())
			return nil
		}
	}
}

// Refreshed records one location refresh.
func (m *Metrics) Refreshed(location catalog.Spec, d time.Duration, written, problems int, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.refreshes.WithLabelValues(outcome).Observe(d.Seconds())
	m.written.Add(float64(written))
	m.problems.WithLabelValues(location.Key()).Set(float64(problems))
}
