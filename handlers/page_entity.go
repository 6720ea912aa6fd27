package handlers

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/views"
)

// relationLabels words relation types for the relations card.
var relationLabels = map[string]string{
	model.RelationOwnedBy:       "Owned by",
	model.RelationOwnerOf:       "Owner of",
	model.RelationPartOf:        "Part of",
	model.RelationHasPart:       "Has part",
	model.RelationProvidesAPI:   "Provides API",
	model.RelationAPIProvidedBy: "API provided by",
	model.RelationConsumesAPI:   "Consumes API",
	model.RelationAPIConsumedBy: "API consumed by",
	model.RelationDependsOn:     "Depends on",
	model.RelationDependencyOf:  "Dependency of",
	model.RelationParentOf:      "Parent of",
	model.RelationChildOf:       "Child of",
	model.RelationMemberOf:      "Member of",
	model.RelationHasMember:     "Has member",
}

// Annotations the About card shows as buttons rather than in the annotation list.
const (
	annotationEditURL = "backstage.io/edit-url"
)

// entityShow answers GET /catalog/:namespace/:kind/:name; groups and users have pages of
// their own.
func (p *pages) entityShow(c echo.Context) error {
	ref, err := bindEntity(c)
	if err != nil {
		return err
	}
	switch strings.ToLower(ref.Kind) {
	case "group":
		return p.groupShow(c, ref)
	case "user":
		return p.userShow(c, ref)
	}
	d, err := p.ui.Entity(c.Request().Context(), ref)
	if err != nil {
		return err
	}
	m := views.EntityPage{
		Page:      p.page(c, entityTitle(d.Entity), views.NavCatalog),
		Header:    entityHeader(d),
		Errors:    errorViews(d.Errors, d.Related, d.Self.Ref),
		About:     entityAbout(d),
		Relations: relationGroups(d.Relations),
		Diagram:   entityDiagram(d),
	}
	if strings.EqualFold(d.Entity.Kind, "API") {
		m.API = p.apiDefs.get(d.Entity)
	}
	if strings.EqualFold(d.Entity.Kind, "Location") {
		m.Location = p.locationActions(c, d.Entity)
	}
	return p.render(c, http.StatusOK, views.EntityView(m))
}

func entityTitle(e *model.Entity) string {
	if e.Metadata.Title != "" {
		return e.Metadata.Title
	}
	return e.Metadata.Name
}

func specString(e *model.Entity, key string) string {
	s, _ := e.Spec[key].(string)
	return s
}

func entityHeader(d *catalog.EntityDetail) views.EntityHeader {
	e := d.Entity
	ref := e.Ref()
	return views.EntityHeader{
		Kind:      e.Kind,
		Type:      specString(e, "type"),
		Namespace: ref.Namespace,
		Name:      e.Metadata.Name,
		Title:     d.Self.Title,
		Ref:       ref.String(),
		Owner:     relatedLink(d.Related, catalog.SpecRef(e, "owner", "group")),
		Lifecycle: specString(e, "lifecycle"),
		Tags:      e.Metadata.Tags,
	}
}

func entityAbout(d *catalog.EntityDetail) views.About {
	e := d.Entity
	a := views.About{
		Description: e.Metadata.Description,
		System:      relatedLink(d.Related, catalog.SpecRef(e, "system", "system")),
		Domain:      relatedLink(d.Related, catalog.SpecRef(e, "domain", "domain")),
	}
	for _, f := range [...]struct{ field, kind string }{{"subcomponentOf", "component"}, {"subdomainOf", "domain"}, {"parent", "group"}} {
		if r := catalog.SpecRef(e, f.field, f.kind); r != "" {
			a.Parent = relatedLink(d.Related, r)
			break
		}
	}
	for _, l := range e.Metadata.Links {
		a.Links = append(a.Links, views.Link{URL: l.URL, Title: l.Title, Icon: l.Icon, Type: l.Type})
	}
	ann := e.Metadata.Annotations
	if v := ann[catalog.AnnotationSourceLocation]; strings.HasPrefix(v, "url:") {
		a.SourceURL = strings.TrimPrefix(v, "url:")
	}
	a.ViewURL, a.EditURL = ann[catalog.AnnotationViewURL], ann[annotationEditURL]
	a.Labels = sortedPairs(e.Metadata.Labels, nil)
	a.Annotations = sortedPairs(ann, map[string]bool{catalog.AnnotationSourceLocation: a.SourceURL != "",
		catalog.AnnotationViewURL: a.ViewURL != "", annotationEditURL: a.EditURL != ""})
	return a
}

func sortedPairs(m map[string]string, skip map[string]bool) []views.KeyValue {
	out := make([]views.KeyValue, 0, len(m))
	for k, v := range m {
		if !skip[k] {
			out = append(out, views.KeyValue{Key: k, Value: v})
		}
	}
	slices.SortFunc(out, func(a, b views.KeyValue) int { return strings.Compare(a.Key, b.Key) })
	return out
}

func relationGroups(groups []catalog.RelationGroup) []views.RelationGroup {
	out := make([]views.RelationGroup, len(groups))
	for i, g := range groups {
		label := relationLabels[g.Type]
		if label == "" {
			label = g.Type
		}
		out[i] = views.RelationGroup{Type: g.Type, Label: label, Entities: summaryLinks(g.Targets)}
	}
	return out
}
