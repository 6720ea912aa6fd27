package catalog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/keelson-dev/keelson/catalog/model"
)

// leaseFor is how long a replica may hold a location while refreshing it before another
// replica may take it over (the holder died).
const leaseFor = 10 * time.Minute

// refreshLocation reads a location and applies the result.
func (s *Service) refreshLocation(ctx context.Context, loc Location) (*readResult, error) {
	start := time.Now()
	res := s.readLocation(ctx, loc.Spec())
	stats, err := s.apply(ctx, loc.ID, res)
	d := time.Since(start)
	if s.opts.Observer != nil {
		s.opts.Observer.Refreshed(loc.Spec(), d, stats.written, stats.problems, err)
	}
	if err != nil {
		s.log.Error("catalog refresh failed", slog.String("location", loc.Spec().Key()), slog.Any("error", err))
		return nil, err
	}
	if stats.written >= bulkThreshold && s.db.IsPostgres() {
		// A large load leaves the planner without statistics and the visibility map unset,
		// which turns index-only counts and ordered page reads into scans until autovacuum.
		if _, err := s.db.SQL.ExecContext(ctx, "VACUUM (ANALYZE) entities, search, relations"); err != nil {
			s.log.Warn("catalog: vacuum after a large load", slog.Any("error", err))
		}
	}
	s.log.Info("catalog refreshed", slog.String("location", loc.Spec().Key()), slog.Int("entities", len(res.entities)),
		slog.Int("written", stats.written), slog.Int("orphaned", stats.orphaned), slog.Int("problems", stats.problems),
		slog.Duration("took", d))
	return res, nil
}

// RefreshAll reads every location once, configured ones first in their configured order,
// so that the first listed location wins any conflict at first start.
func (s *Service) RefreshAll(ctx context.Context) error {
	locs, err := s.Locations(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, loc := range locs {
		claimed, err := s.claim(ctx, loc.ID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !claimed {
			continue // another replica is on it
		}
		_, err = s.refreshLocation(ctx, loc)
		if rerr := s.release(ctx, loc.ID, err); rerr != nil {
			errs = append(errs, rerr)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Run refreshes due locations until ctx ends: each location about every RefreshInterval,
// one replica at a time, and deletes orphans past the grace period.
func (s *Service) Run(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for ctx.Err() == nil {
			loc, ok, err := s.claimDue(ctx)
			if err != nil {
				s.log.Error("catalog: claim location", slog.Any("error", err))
				break
			}
			if !ok {
				break
			}
			_, rerr := s.refreshLocation(ctx, loc)
			if err := s.release(ctx, loc.ID, rerr); err != nil {
				s.log.Error("catalog: release location", slog.Any("error", err))
			}
		}
		if s.opts.OrphanGrace > 0 {
			if n, err := s.deleteOrphansBefore(ctx, s.clock().Add(-s.opts.OrphanGrace)); err != nil {
				s.log.Error("catalog: delete orphans", slog.Any("error", err))
			} else if n > 0 {
				s.log.Info("catalog: deleted orphans", slog.Int("count", n))
			}
		}
	}
}

// claimDue takes the lease of the location most overdue for a refresh, if any.
func (s *Service) claimDue(ctx context.Context) (Location, bool, error) {
	now := s.clock().UTC()
	pick := s.builder().Select("id").From(entsql.Table("locations")).
		Where(entsql.And(
			entsql.LTE("next_refresh_at", now),
			entsql.Or(entsql.IsNull("lease_until"), entsql.LT("lease_until", now)),
		)).
		OrderBy("next_refresh_at", "position").Limit(1)
	if s.db.IsPostgres() {
		pick.ForUpdate(entsql.WithLockAction(entsql.SkipLocked))
	}
	upd := s.builder().Update("locations").
		Set("lease_owner", s.opts.Replica).Set("lease_until", now.Add(leaseFor)).
		Where(entsql.In("id", pick)).Returning("id", "type", "target")
	q, args := upd.Query()
	rows, err := s.db.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return Location{}, false, fmt.Errorf("catalog: claim due location: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return Location{}, false, rows.Err()
	}
	var loc Location
	if err := rows.Scan(&loc.ID, &loc.Type, &loc.Target); err != nil {
		return Location{}, false, fmt.Errorf("catalog: scan claimed location: %w", err)
	}
	return loc, true, nil
}

// claim takes the lease of one location unless another replica holds it.
func (s *Service) claim(ctx context.Context, id string) (bool, error) {
	now := s.clock().UTC()
	q, args := s.builder().Update("locations").
		Set("lease_owner", s.opts.Replica).Set("lease_until", now.Add(leaseFor)).
		Where(entsql.And(entsql.EQ("id", id),
			entsql.Or(entsql.IsNull("lease_until"), entsql.LT("lease_until", now)))).Query()
	res, err := s.db.SQL.ExecContext(ctx, q, args...)
	if err != nil {
		return false, fmt.Errorf("catalog: claim location %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("catalog: claim location %s: %w", id, err)
	}
	return n == 1, nil
}

// release gives the lease back and schedules the next refresh, jittered so that locations
// registered together spread out.
func (s *Service) release(ctx context.Context, id string, refreshErr error) error {
	now := s.clock().UTC()
	jitter := time.Duration(rand.Int64N(int64(s.opts.RefreshInterval)/5 + 1))
	upd := s.builder().Update("locations").
		Set("lease_owner", "").SetNull("lease_until").
		Set("refreshed_at", now).Set("next_refresh_at", now.Add(s.opts.RefreshInterval+jitter))
	if refreshErr != nil {
		upd.Set("last_error", refreshErr.Error())
	} else {
		upd.Set("last_error", "")
	}
	return exec(context.WithoutCancel(ctx), s.db.SQL, upd.Where(entsql.EQ("id", id)))
}

// RefreshEntity reads the location an entity came from again, now if no other replica is
// refreshing it, or as soon as that replica is done.
func (s *Service) RefreshEntity(ctx context.Context, ref model.Ref) error {
	loc, err := s.LocationByEntity(ctx, ref)
	if err != nil {
		return err
	}
	claimed, err := s.claim(ctx, loc.ID)
	if err != nil {
		return err
	}
	if !claimed {
		return exec(ctx, s.db.SQL, s.builder().Update("locations").Set("next_refresh_at", s.clock().UTC()).
			Where(entsql.EQ("id", loc.ID)))
	}
	_, rerr := s.refreshLocation(ctx, loc)
	if err := s.release(ctx, loc.ID, rerr); err != nil {
		return err
	}
	return rerr
}
