package catalog

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/google/uuid"

	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/ent"
	"github.com/keelson-dev/keelson/ent/location"
	"github.com/keelson-dev/keelson/ent/processingerror"
)

// Location is a registered place descriptors are read from, as the API shows it.
type Location struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Target string `json:"target"`
}

// Spec returns the location's type and target.
func (l Location) Spec() Spec { return Spec{Type: l.Type, Target: l.Target} }

// Problem is a processing error as the API and the web UI show it.
type Problem struct {
	Source  string `json:"source"`
	Line    int    `json:"line,omitempty"`
	Entity  string `json:"entityRef,omitempty"`
	Field   string `json:"field,omitempty"`
	Name    string `json:"name"`
	Message string `json:"message"`
}

// AddResult is what registering a location produced (or would produce, in a dry run).
type AddResult struct {
	Location Location        `json:"location"`
	Entities []*model.Entity `json:"entities"`
	Exists   bool            `json:"exists,omitempty"`
	Errors   []Problem       `json:"errors,omitempty"`
}

// ParseSpec turns a target as a person writes it (a path, a glob or an http(s) URL) into a
// location spec with an absolute target.
func ParseSpec(target string) (Spec, error) {
	target = strings.TrimSpace(target)
	switch {
	case target == "":
		return Spec{}, inputErrorf("a location target is required: a file path, a glob or an http(s) URL")
	case strings.HasPrefix(target, "http://"), strings.HasPrefix(target, "https://"):
		return Spec{Type: "url", Target: target}, nil
	default:
		abs, err := absPath(target)
		if err != nil {
			return Spec{}, inputErrorf("location target %q: %v", target, err)
		}
		return Spec{Type: "file", Target: abs}, nil
	}
}

// validateSpec checks a location spec given through the API.
func validateSpec(spec Spec) error {
	switch spec.Type {
	case "file", "url":
	default:
		return inputErrorf("Invalid location type %q, expected file or url", spec.Type)
	}
	if spec.Target == "" {
		return inputErrorf("Location target must be a non-empty string")
	}
	if spec.Type == "url" && !strings.HasPrefix(spec.Target, "http://") && !strings.HasPrefix(spec.Target, "https://") {
		return inputErrorf("Invalid url location target %q, expected an http(s) URL", spec.Target)
	}
	if spec.Type == "file" && !strings.HasPrefix(spec.Target, "/") {
		return inputErrorf("Invalid file location target %q, expected an absolute path", spec.Target)
	}
	return nil
}

// AddLocation registers a location and reads it at once; with dryRun it only reads it and
// reports what would be stored.
func (s *Service) AddLocation(ctx context.Context, spec Spec, dryRun bool) (*AddResult, error) {
	if err := validateSpec(spec); err != nil {
		return nil, err
	}
	existing, err := s.db.Client.Location.Query().
		Where(location.Type(spec.Type), location.Target(spec.Target)).Only(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return nil, fmt.Errorf("catalog: find location %s: %w", spec.Key(), err)
	}
	if dryRun {
		res := s.readLocation(ctx, spec)
		out := &AddResult{Location: Location{Type: spec.Type, Target: spec.Target}, Exists: existing != nil}
		if existing != nil {
			out.Location.ID = existing.ID
		}
		if out.Entities, err = decodeAll(res.entities); err != nil {
			return nil, err
		}
		for _, p := range res.problems {
			out.Errors = append(out.Errors, p.public())
		}
		return out, nil
	}
	if existing != nil {
		return nil, &ConflictError{Message: fmt.Sprintf("Location %s already exists", spec.Key())}
	}
	row, err := s.db.Client.Location.Create().
		SetID(uuid.NewString()).SetType(spec.Type).SetTarget(spec.Target).
		SetNextRefreshAt(s.clock()).Save(ctx)
	if err != nil {
		if ent.IsConstraintError(err) {
			return nil, &ConflictError{Message: fmt.Sprintf("Location %s already exists", spec.Key())}
		}
		return nil, fmt.Errorf("catalog: add location %s: %w", spec.Key(), err)
	}
	loc := Location{ID: row.ID, Type: row.Type, Target: row.Target}
	res, err := s.refreshLocation(ctx, loc)
	if rerr := s.release(ctx, loc.ID, err); rerr != nil && err == nil {
		err = rerr
	}
	if err != nil {
		return nil, err
	}
	out := &AddResult{Location: loc}
	if out.Entities, err = decodeAll(res.entities); err != nil {
		return nil, err
	}
	for _, p := range res.problems {
		out.Errors = append(out.Errors, p.public())
	}
	return out, nil
}

func decodeAll(ps []*processed) ([]*model.Entity, error) {
	out := make([]*model.Entity, 0, len(ps))
	for _, p := range ps {
		e, err := p.decode()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (p problem) public() Problem {
	return Problem{Source: p.Source, Line: p.Line, Entity: p.SubjectKey, Field: p.Field, Name: p.Name, Message: p.Message}
}

// Locations lists every registered location, configured ones first.
func (s *Service) Locations(ctx context.Context) ([]Location, error) {
	rows, err := s.db.Client.Location.Query().
		Order(ent.Desc(location.FieldStatic), ent.Asc(location.FieldPosition), ent.Asc(location.FieldCreatedAt), ent.Asc(location.FieldID)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("catalog: list locations: %w", err)
	}
	out := make([]Location, len(rows))
	for i, r := range rows {
		out[i] = Location{ID: r.ID, Type: r.Type, Target: r.Target}
	}
	return out, nil
}

// GetLocation returns one location by id.
func (s *Service) GetLocation(ctx context.Context, id string) (Location, error) {
	r, err := s.db.Client.Location.Get(ctx, id)
	if ent.IsNotFound(err) {
		return Location{}, notFoundf("Found no location with ID %s", id)
	}
	if err != nil {
		return Location{}, fmt.Errorf("catalog: get location %s: %w", id, err)
	}
	return Location{ID: r.ID, Type: r.Type, Target: r.Target}, nil
}

// LocationByEntity returns the location an entity was read from.
func (s *Service) LocationByEntity(ctx context.Context, ref model.Ref) (Location, error) {
	rows, err := query(ctx, s.db.SQL, s.builder().Select("location_id").From(entsql.Table("entities")).
		Where(entsql.EQ("ref", ref.Key())))
	if err != nil {
		return Location{}, err
	}
	var id string
	found := rows.Next()
	if found {
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return Location{}, fmt.Errorf("catalog: scan entity: %w", err)
		}
	}
	rows.Close()
	if !found || id == "" {
		return Location{}, notFoundf("found no location for %s", ref)
	}
	return s.GetLocation(ctx, id)
}

// DeleteLocation unregisters a location and removes the entities it produced.
func (s *Service) DeleteLocation(ctx context.Context, id string) error {
	if _, err := s.GetLocation(ctx, id); err != nil {
		return err
	}
	keys, err := s.keysWhere(ctx, entsql.EQ("location_id", id))
	if err != nil {
		return err
	}
	if len(keys) > 0 {
		if err := s.deleteEntities(ctx, keys); err != nil {
			return err
		}
	}
	if _, err := s.db.Client.ProcessingError.Delete().Where(processingerror.LocationID(id)).Exec(ctx); err != nil {
		return fmt.Errorf("catalog: delete errors of location %s: %w", id, err)
	}
	if err := s.db.Client.Location.DeleteOneID(id).Exec(ctx); err != nil && !ent.IsNotFound(err) {
		return fmt.Errorf("catalog: delete location %s: %w", id, err)
	}
	return nil
}

func (s *Service) keysWhere(ctx context.Context, pred *entsql.Predicate) ([]string, error) {
	rows, err := query(ctx, s.db.SQL, s.builder().Select("ref").From(entsql.Table("entities")).Where(pred))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("catalog: scan entity: %w", err)
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// SyncStatic makes the configured locations registered, in order, and unregisters configured
// locations that are no longer configured. Locations registered through the API are untouched.
func (s *Service) SyncStatic(ctx context.Context, specs []Spec) error {
	want := map[string]int{}
	for i, spec := range specs {
		if err := validateSpec(spec); err != nil {
			return fmt.Errorf("catalog: configured location %d: %w", i+1, err)
		}
		want[spec.Key()] = i
	}
	rows, err := s.db.Client.Location.Query().All(ctx)
	if err != nil {
		return fmt.Errorf("catalog: list locations: %w", err)
	}
	have := map[string]*ent.Location{}
	for _, r := range rows {
		key := Spec{Type: r.Type, Target: r.Target}.Key()
		have[key] = r
		if _, ok := want[key]; !ok && r.Static {
			if err := s.DeleteLocation(ctx, r.ID); err != nil {
				return err
			}
		}
	}
	for i, spec := range specs {
		if r, ok := have[spec.Key()]; ok {
			if !r.Static || r.Position != i {
				if err := s.db.Client.Location.UpdateOneID(r.ID).SetStatic(true).SetPosition(i).Exec(ctx); err != nil {
					return fmt.Errorf("catalog: update location %s: %w", spec.Key(), err)
				}
			}
			continue
		}
		err := s.db.Client.Location.Create().SetID(uuid.NewString()).SetType(spec.Type).SetTarget(spec.Target).
			SetStatic(true).SetPosition(i).SetNextRefreshAt(s.clock()).Exec(ctx)
		if err != nil && !ent.IsConstraintError(err) { // another replica registered it first
			return fmt.Errorf("catalog: add location %s: %w", spec.Key(), err)
		}
	}
	return nil
}

// Problems lists the processing errors of one location, or of every location when id is "".
func (s *Service) Problems(ctx context.Context, id string) ([]Problem, error) {
	q := s.db.Client.ProcessingError.Query()
	if id != "" {
		q = q.Where(processingerror.LocationID(id))
	}
	rows, err := q.Order(ent.Asc("id")).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("catalog: list processing errors: %w", err)
	}
	out := make([]Problem, len(rows))
	for i, r := range rows {
		out[i] = Problem{Source: r.Source, Line: r.Line, Entity: r.SubjectRef, Field: r.FieldPath, Name: r.Name, Message: r.Message}
	}
	return out, nil
}

// absPath makes a file target absolute, keeping glob characters as they are.
func absPath(target string) (string, error) {
	if filepath.IsAbs(target) {
		return filepath.Clean(target), nil
	}
	return filepath.Abs(target)
}

// Unread counts the locations that have never been read, by any replica; a replica is ready
// to serve when there are none.
func (s *Service) Unread(ctx context.Context) (int, error) {
	n, err := s.db.Client.Location.Query().Where(location.RefreshedAtIsNil()).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("catalog: count unread locations: %w", err)
	}
	return n, nil
}
