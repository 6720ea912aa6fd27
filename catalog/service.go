// Package catalog is Keelson's software catalog: locations are read into entities with
// Backstage's rules, stored with their relations and search rows, and queried by the web UI and
// the Backstage-compatible API alike.
package catalog

import (
	"log/slog"
	"time"

	"github.com/keelson-dev/keelson/catalog/descriptor"
	"github.com/keelson-dev/keelson/database"
)

// Options tune the catalog service.
type Options struct {
	// RefreshInterval is how often each location is read again (jittered by up to 20%).
	RefreshInterval time.Duration
	// OrphanGrace is how long an orphaned entity is kept before it is deleted; 0 keeps it.
	OrphanGrace time.Duration
	// Limits bound what one descriptor file may cost to decode.
	Limits descriptor.Limits
	// Replica names this process in refresh leases.
	Replica string
	// Observer, when set, is told about every refresh, for metrics.
	Observer Observer
}

// Observer receives refresh outcomes; the HTTP layer implements it with Prometheus metrics.
type Observer interface {
	Refreshed(location Spec, d time.Duration, written, problems int, err error)
}

// Service reads, stores and answers queries about catalog entities.
type Service struct {
	db     *database.DB
	fetch  descriptor.Fetcher
	limits descriptor.Limits
	clock  func() time.Time
	log    *slog.Logger
	opts   Options
	gen    *generation
	counts *answerCache[int]
	pages  *answerCache[*QueryResult]
}

// NewService returns a catalog service over db that reads descriptors through fetch.
func NewService(db *database.DB, fetch descriptor.Fetcher, clock func() time.Time, logger *slog.Logger, opts Options) *Service {
	if opts.RefreshInterval <= 0 {
		opts.RefreshInterval = 2 * time.Minute
	}
	if opts.Limits == (descriptor.Limits{}) {
		opts.Limits = descriptor.DefaultLimits()
	}
	if opts.Replica == "" {
		opts.Replica = "keelson"
	}
	if clock == nil {
		clock = time.Now
	}
	// Times are stored in UTC so that SQLite, which compares them as text, orders them right.
	local := clock
	clock = func() time.Time { return local().UTC() }
	if logger == nil {
		logger = slog.Default()
	}
	gen := &generation{}
	return &Service{db: db, fetch: fetch, limits: opts.Limits, clock: clock, log: logger, opts: opts,
		gen: gen, counts: newAnswerCache[int](gen), pages: newAnswerCache[*QueryResult](gen)}
}

// DB returns the database the service stores into.
func (s *Service) DB() *database.DB { return s.db }
