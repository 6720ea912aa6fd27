package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/views"
)

// teamsList answers GET /teams: every group with its parent, members and owned count.
func (p *pages) teamsList(c echo.Context) error {
	teams, err := p.ui.Teams(c.Request().Context())
	if err != nil {
		return err
	}
	m := views.TeamsPage{Page: p.page(c, "Teams", views.NavTeams)}
	for _, t := range teams {
		m.Teams = append(m.Teams, views.TeamRow{
			Link:        summaryLink(t.Group),
			Type:        t.Group.Type,
			Description: t.Group.Description,
			Parent:      summaryLink(t.Parent),
			Members:     t.Members,
			Owned:       t.Owned,
		})
	}
	return p.render(c, http.StatusOK, views.TeamsView(m))
}
