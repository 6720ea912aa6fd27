package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/views"
)

// groupShow is the team page: profile, parent and children, members, and what the group
// owns directly or through its child groups.
func (p *pages) groupShow(c echo.Context, ref model.Ref) error {
	g, err := p.ui.Group(c.Request().Context(), ref)
	if err != nil {
		return err
	}
	m := views.GroupPage{
		Page:    p.page(c, g.Self.Text(), views.NavTeams),
		Header:  entityHeader(&g.EntityDetail),
		Errors:  errorViews(g.Errors, g.Related, g.Self.Ref),
		Profile: profile(g.Self),
		About:   entityAbout(&g.EntityDetail),
		Parent:  relatedLink(g.Related, g.Parent),
		Summary: ownedSummary(g.Owned),
		Owned:   summaryRows(firstOwned(g.Owned.Entities), g.Related),
	}
	m.Children = summaryLinks(g.Children)
	for _, s := range g.Members {
		m.Members = append(m.Members, views.Member{Link: summaryLink(s), Email: s.Email})
	}
	return p.render(c, http.StatusOK, views.GroupView(m))
}

// userShow is a person's page: their groups and what they own through them.
func (p *pages) userShow(c echo.Context, ref model.Ref) error {
	u, err := p.ui.User(c.Request().Context(), ref)
	if err != nil {
		return err
	}
	m := views.UserPage{
		Page:    p.page(c, u.Self.Text(), views.NavTeams),
		Header:  entityHeader(&u.EntityDetail),
		Errors:  errorViews(u.Errors, u.Related, u.Self.Ref),
		Profile: profile(u.Self),
		About:   entityAbout(&u.EntityDetail),
		Groups:  summaryLinks(u.Groups),
		Summary: ownedSummary(u.Owned),
		Owned:   summaryRows(firstOwned(u.Owned.Entities), u.Related),
	}
	return p.render(c, http.StatusOK, views.UserView(m))
}

// maxOwnedRows bounds the owned entities listed on a team or user page; the counts by kind
// and lifecycle still cover all of them (an organisation's root group owns the catalog).
const maxOwnedRows = 200

func firstOwned(s []catalog.Summary) []catalog.Summary { return s[:min(len(s), maxOwnedRows)] }

func profile(s catalog.Summary) views.Profile {
	return views.Profile{DisplayName: s.Title, Email: s.Email, Picture: s.Picture}
}

// ownedSummary maps the kind by lifecycle counts; entities without a lifecycle count under
// "—".
func ownedSummary(o catalog.OwnedSummary) views.OwnershipSummary {
	s := views.OwnershipSummary{}
	for _, l := range o.Lifecycles {
		if l == "" {
			l = "—"
		}
		s.Lifecycles = append(s.Lifecycles, l)
	}
	for i, k := range o.Kinds {
		row := views.OwnershipRow{Kind: k, Counts: o.Counts[i]}
		for _, n := range o.Counts[i] {
			row.Total += n
		}
		s.Rows = append(s.Rows, row)
	}
	return s
}
