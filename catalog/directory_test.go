package catalog

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/database"
)

// directoryOrg is a small organisation: platform is a child of engineering; jane is a member
// of platform by her memberOf, max of ops only through ops' members list; the component is
// owned by platform, the API by another namespace's team.
const directoryOrg = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: engineering
spec:
  type: department
  children: [platform]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: Platform
spec:
  type: team
  parent: engineering
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: ops
spec:
  type: team
  children: []
  members: [max]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: Jane.Doe
spec:
  profile:
    displayName: Jane Doe
    email: Jane.Doe@Example.com
  memberOf: [platform]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: max
spec:
  memberOf: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: billing
spec:
  type: service
  lifecycle: production
  owner: platform
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: billing-api
  namespace: payments
spec:
  type: openapi
  lifecycle: production
  owner: team-pay
  definition: "openapi: 3.0.0"
`

func TestDirectory(t *testing.T) {
	for _, backend := range database.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			s := newTestService(t, backend)
			file := filepath.Join(t.TempDir(), "org.yaml")
			writeFile(t, file, directoryOrg)
			ingest(t, s, file)
			ctx := context.Background()

			t.Run("user by email", func(t *testing.T) {
				cases := []struct {
					name  string
					email string
					want  Person
					found bool
				}{
					{"exact", "Jane.Doe@Example.com", Person{Ref: "user:default/jane.doe", Name: "Jane.Doe", DisplayName: "Jane Doe", Email: "Jane.Doe@Example.com"}, true},
					{"other case", "jane.doe@example.COM", Person{Ref: "user:default/jane.doe", Name: "Jane.Doe", DisplayName: "Jane Doe", Email: "Jane.Doe@Example.com"}, true},
					{"unknown", "nobody@example.com", Person{}, false},
					{"empty", " ", Person{}, false},
				}
				for _, tc := range cases {
					t.Run(tc.name, func(t *testing.T) {
						got, err := s.UserByEmail(ctx, tc.email)
						if tc.found != (err == nil) || got != tc.want {
							t.Fatalf("got %+v, %v", got, err)
						}
						if !tc.found && !IsNotFound(err) {
							t.Errorf("error %v does not match ErrNotFound", err)
						}
					})
				}
			})

			t.Run("user by name", func(t *testing.T) {
				cases := []struct {
					name string
					in   string
					want Person
					err  error
				}{
					{"other case", "jane.DOE", Person{Ref: "user:default/jane.doe", Name: "Jane.Doe", DisplayName: "Jane Doe", Email: "Jane.Doe@Example.com"}, nil},
					{"no profile: the name is shown", "max", Person{Ref: "user:default/max", Name: "max", DisplayName: "max"}, nil},
					{"a group is not a user", "platform", Person{}, ErrNotFound},
					{"empty", "", Person{}, ErrNotFound},
				}
				for _, tc := range cases {
					t.Run(tc.name, func(t *testing.T) {
						got, err := s.UserByName(ctx, tc.in)
						if got != tc.want || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
							t.Fatalf("got %+v, %v", got, err)
						}
					})
				}
			})

			t.Run("parent groups", func(t *testing.T) {
				cases := []struct {
					ref  string
					want []string
				}{
					{"user:default/jane.doe", []string{"group:default/platform"}},
					{"User:default/Jane.Doe", []string{"group:default/platform"}},
					{"user:default/max", []string{"group:default/ops"}},
					{"group:default/platform", []string{"group:default/engineering"}},
					{"group:default/engineering", nil},
					{"user:default/nobody", nil},
					{"component:default/billing", nil},
				}
				for _, tc := range cases {
					t.Run(tc.ref, func(t *testing.T) {
						got, err := s.ParentGroups(ctx, tc.ref)
						if err != nil || !slices.Equal(got, tc.want) {
							t.Fatalf("got %v, %v; want %v", got, err, tc.want)
						}
					})
				}
				if _, err := s.ParentGroups(ctx, "user:"); err == nil {
					t.Error("a malformed ref was accepted")
				}
			})

			t.Run("people", func(t *testing.T) {
				people, err := s.People(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, p := range people {
					names = append(names, p.DisplayName)
				}
				if !slices.Equal(names, []string{"Jane Doe", "max"}) {
					t.Errorf("people %v", names)
				}
			})

			t.Run("ownership", func(t *testing.T) {
				locs, err := s.Locations(ctx)
				if err != nil || len(locs) != 1 {
					t.Fatalf("locations %v, %v", locs, err)
				}
				cases := []struct {
					name string
					get  func() (Ownership, error)
					want Ownership
				}{
					{"location", func() (Ownership, error) { return s.LocationOwnership(ctx, locs[0].ID) },
						Ownership{Owners: []string{"group:default/platform", "group:payments/team-pay"}, Unowned: 5, Entities: 7}},
					{"component", func() (Ownership, error) {
						return s.EntityOwnership(ctx, model.Ref{Kind: "Component", Namespace: "default", Name: "Billing"})
					}, Ownership{Owners: []string{"group:default/platform"}, Entities: 1}},
					{"user", func() (Ownership, error) {
						return s.EntityOwnership(ctx, model.Ref{Kind: "user", Namespace: "default", Name: "max"})
					}, Ownership{Unowned: 1, Entities: 1}},
				}
				for _, tc := range cases {
					t.Run(tc.name, func(t *testing.T) {
						got, err := tc.get()
						if err != nil || !slices.Equal(got.Owners, tc.want.Owners) || got.Unowned != tc.want.Unowned || got.Entities != tc.want.Entities {
							t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
						}
					})
				}
				if _, err := s.LocationOwnership(ctx, "no-such-location"); !IsNotFound(err) {
					t.Errorf("unknown location: %v", err)
				}
				if _, err := s.EntityOwnership(ctx, model.Ref{Kind: "component", Namespace: "default", Name: "nope"}); !IsNotFound(err) {
					t.Errorf("unknown entity: %v", err)
				}
			})

			t.Run("ownership of a dry run", func(t *testing.T) {
				res, err := s.AddLocation(ctx, Spec{Type: "file", Target: file}, true)
				if err != nil {
					t.Fatal(err)
				}
				got := OwnershipOf(append(res.Entities, nil))
				if !slices.Equal(got.Owners, []string{"group:default/platform", "group:payments/team-pay"}) || got.Unowned != 5 || got.Entities != 7 {
					t.Errorf("got %+v", got)
				}
			})
		})
	}
}

// FuzzDirectoryLookups feeds sign-in input (an email from a provider, a name from the guest
// form, a ref from a session) to the directory: it finds the one user it names or says there is
// none, and never fails otherwise.
func FuzzDirectoryLookups(f *testing.F) {
	for _, seed := range []string{"Jane.Doe@Example.com", "jane.doe", "max", "user:default/jane.doe", "group:default/platform",
		"", " ", "%", "_", "a,b=c", "'; DROP TABLE entities; --", "user:", "group:x/", "\x00", "user:default/\x00", "\xff\xfe", "ünïcödé@example.com"} {
		f.Add(seed)
	}
	file := filepath.Join(f.TempDir(), "org.yaml")
	writeFile(f, file, directoryOrg)
	var services []*Service
	for _, backend := range database.Backends(f) {
		s := newTestService(f, backend)
		ingest(f, s, file)
		services = append(services, s)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, in string) {
		for _, s := range services {
			lookUp(ctx, t, s, in)
		}
	})
}

// lookUp checks one fuzz input against one service.
func lookUp(ctx context.Context, t *testing.T, s *Service, in string) {
	t.Helper()
	if p, err := s.UserByEmail(ctx, in); err == nil {
		if p.Ref != "user:default/jane.doe" {
			t.Fatalf("email %q found %+v", in, p)
		}
	} else if !IsNotFound(err) {
		t.Fatalf("email %q: %v", in, err)
	}
	if p, err := s.UserByName(ctx, in); err == nil {
		if p.Ref != "user:default/jane.doe" && p.Ref != "user:default/max" {
			t.Fatalf("name %q found %+v", in, p)
		}
	} else if !IsNotFound(err) {
		t.Fatalf("name %q: %v", in, err)
	}
	groups, err := s.ParentGroups(ctx, in)
	var input *InputError
	if err != nil && !errors.As(err, &input) {
		t.Fatalf("groups of %q: %v", in, err)
	}
	for _, g := range groups {
		if g != "group:default/platform" && g != "group:default/ops" && g != "group:default/engineering" {
			t.Fatalf("groups of %q: %v", in, groups)
		}
	}
}
