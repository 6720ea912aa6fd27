package handlers

import (
	"net/url"
	"strings"

	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/views"
)

// summaryLink maps a summary to a link; a ref that is not in the catalog gets no href.
func summaryLink(s catalog.Summary) views.EntityLink {
	if s.Ref == "" {
		return views.EntityLink{}
	}
	l := views.EntityLink{Ref: s.Ref, Kind: s.Kind}
	if !s.Dangling {
		l.Title = s.Title
		l.Href = views.EntityURL(s.Namespace, s.Kind, s.Name)
	}
	return l
}

// relatedLink links a ref through the summaries at hand.
func relatedLink(related map[string]catalog.Summary, ref string) views.EntityLink {
	if ref == "" {
		return views.EntityLink{}
	}
	return summaryLink(catalog.SummaryOf(related, ref))
}

func summaryLinks(items []catalog.Summary) []views.EntityLink {
	out := make([]views.EntityLink, len(items))
	for i, s := range items {
		out[i] = summaryLink(s)
	}
	return out
}

// summaryRow maps a summary to a table row, its owner and system linked through related.
func summaryRow(s catalog.Summary, related map[string]catalog.Summary) views.EntityRow {
	return views.EntityRow{
		Link:        summaryLink(s),
		Kind:        s.Kind,
		Type:        s.Type,
		Namespace:   s.Namespace,
		Owner:       relatedLink(related, s.Owner),
		System:      relatedLink(related, s.System),
		Lifecycle:   s.Lifecycle,
		Description: s.Description,
		Tags:        s.Tags,
		Updated:     s.Updated,
	}
}

func summaryRows(items []catalog.Summary, related map[string]catalog.Summary) []views.EntityRow {
	out := make([]views.EntityRow, len(items))
	for i, s := range items {
		out[i] = summaryRow(s, related)
	}
	return out
}

// errorViews maps stored processing errors; the entity is linked when it is not the
// page's own (self).
func errorViews(errs []catalog.ProcessingError, related map[string]catalog.Summary, self string) []views.ProcessingError {
	out := make([]views.ProcessingError, len(errs))
	for i, e := range errs {
		pe := views.ProcessingError{Location: e.Where(), Message: e.Name + ": " + e.Text(), Occurred: e.Occurred}
		if e.Entity != "" && e.Entity != self {
			pe.Entity = relatedLink(related, e.Entity)
		}
		out[i] = pe
	}
	return out
}

// catalogHref is the catalog list URL with the given filter applied, e.g. kind=component.
func catalogHref(param, value string) string {
	return views.CatalogURL + "?" + url.Values{param: {strings.ToLower(value)}}.Encode()
}
