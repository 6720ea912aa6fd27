package handlers

import (
	"context"
	"fmt"
	"strings"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/catalog"
)

// Directory is the catalog seen as the directory of people and groups that sign-in and
// identity resolution need; it satisfies auth.Directory. The two domain packages stay
// independent of each other, so the HTTP layer, which uses both, joins them here.
type Directory struct {
	Catalog *catalog.Service
}

// NewDirectory returns the auth.Directory backed by the catalog.
func NewDirectory(c *catalog.Service) *Directory { return &Directory{Catalog: c} }

// UserByEmail finds the User entity whose spec.profile.email matches, case-insensitively.
func (d *Directory) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	p, err := d.Catalog.UserByEmail(ctx, email)
	return userOf(p, err)
}

// UserByName finds user:default/<name>, case-insensitively.
func (d *Directory) UserByName(ctx context.Context, name string) (auth.User, error) {
	p, err := d.Catalog.UserByName(ctx, name)
	return userOf(p, err)
}

// ParentGroups returns a user's groups or a group's parent, as lower-case refs.
func (d *Directory) ParentGroups(ctx context.Context, ref string) ([]string, error) {
	groups, err := d.Catalog.ParentGroups(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("directory: groups of %s: %w", ref, err)
	}
	return groups, nil
}

func userOf(p catalog.Person, err error) (auth.User, error) {
	if catalog.IsNotFound(err) {
		return auth.User{}, auth.ErrUnknownUser
	}
	if err != nil {
		return auth.User{}, fmt.Errorf("directory: %w", err)
	}
	return auth.User{Ref: strings.ToLower(p.Ref), DisplayName: p.DisplayName, Email: p.Email}, nil
}
