package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/views"
)

// importForm is what the import page posts: a path, glob or URL.
type importForm struct {
	Target string `form:"target"`
}

// importQuery names the location just registered, to show what it brought in.
type importQuery struct {
	Location string `query:"location"`
}

// maxTargetLength bounds the import target a person may type.
const maxTargetLength = 2048

// importShow answers GET /catalog-import: the form, or after registering, the result.
func (p *pages) importShow(c echo.Context) error {
	if _, ok, err := requireUser(c); !ok {
		return err
	}
	var q importQuery
	if err := (&echo.DefaultBinder{}).BindQueryParams(c, &q); err != nil {
		return err
	}
	m := p.importPage(c)
	if q.Location != "" {
		res, err := p.importResult(c.Request().Context(), q.Location)
		if err != nil {
			return err
		}
		m.Result = res
	}
	return p.render(c, http.StatusOK, views.ImportView(m))
}

func (p *pages) importPage(c echo.Context) views.ImportPage {
	return views.ImportPage{Page: p.page(c, "Register an existing component", views.NavCatalog), CSRFToken: p.csrfToken(c)}
}

// bindImport reads and checks the target; a bad target is answered with the form and its
// error (422), and ok is false.
func (p *pages) bindImport(c echo.Context) (spec catalog.Spec, m views.ImportPage, ok bool, err error) {
	var form importForm
	if err := c.Bind(&form); err != nil {
		return spec, m, false, err
	}
	m = p.importPage(c)
	m.Target = strings.TrimSpace(form.Target)
	if len(m.Target) > maxTargetLength {
		m.FormError = fmt.Sprintf("The target is longer than %d characters.", maxTargetLength)
		return spec, m, false, p.render(c, http.StatusUnprocessableEntity, views.ImportView(m))
	}
	spec, err = catalog.ParseSpec(m.Target)
	var input *catalog.InputError
	if errors.As(err, &input) {
		m.FormError = input.Message
		return spec, m, false, p.render(c, http.StatusUnprocessableEntity, views.ImportView(m))
	}
	return spec, m, err == nil, err
}

// importAnalyze answers POST /catalog-import: a dry run listing what the target holds and
// what is wrong with it.
func (p *pages) importAnalyze(c echo.Context) error {
	spec, m, ok, err := p.bindImport(c)
	if !ok {
		return err
	}
	if err := p.authorizeRegister(c, spec); err != nil {
		return err
	}
	ctx := c.Request().Context()
	res, err := p.cfg.Catalog.AddLocation(ctx, spec, true)
	if err != nil {
		var input *catalog.InputError
		if errors.As(err, &input) {
			m.FormError = input.Message
			return p.render(c, http.StatusUnprocessableEntity, views.ImportView(m))
		}
		return err
	}
	dry, err := p.dryRun(ctx, spec, res)
	if err != nil {
		return err
	}
	if res.Exists {
		m.FormError = "This location is already registered; it is read again on every refresh."
		dry.CanConfirm = false
	}
	m.DryRun = dry
	return p.render(c, http.StatusOK, views.ImportView(m))
}

// dryRun maps a dry run: the entities found (without the Location standing for the target
// itself), whether each is new, and the errors.
func (p *pages) dryRun(ctx context.Context, spec catalog.Spec, res *catalog.AddResult) (*views.ImportDryRun, error) {
	var refs []string
	var found []*model.Entity
	for _, e := range res.Entities {
		if strings.EqualFold(e.Kind, "Location") && e.Metadata.Name == spec.GeneratedName() {
			continue
		}
		found = append(found, e)
		refs = append(refs, e.Ref().Key())
	}
	exists, err := p.ui.Exists(ctx, refs)
	if err != nil {
		return nil, err
	}
	dry := &views.ImportDryRun{CanConfirm: len(found) > 0}
	for _, e := range found {
		action := "create"
		if exists[e.Ref().Key()] {
			action = "update"
		}
		link := views.EntityLink{Ref: e.Ref().String(), Kind: e.Kind, Title: e.Metadata.Title}
		if exists[e.Ref().Key()] {
			link.Href = views.EntityURL(e.Ref().Namespace, e.Kind, e.Metadata.Name)
		}
		dry.Entities = append(dry.Entities, views.ImportEntity{Link: link, Action: action})
	}
	for _, pr := range res.Errors {
		pe := views.ProcessingError{Location: pr.Source, Message: pr.Name + ": " + pr.Message}
		if pr.Line > 0 {
			pe.Location = fmt.Sprintf("%s:%d", pr.Source, pr.Line)
		}
		if pr.Field != "" && !strings.Contains(pr.Message, pr.Field) {
			pe.Message = pr.Name + ": " + pr.Field + ": " + pr.Message
		}
		if pr.Entity != "" {
			pe.Entity = views.EntityLink{Ref: pr.Entity}
		}
		dry.Errors = append(dry.Errors, pe)
	}
	return dry, nil
}

// importConfirm answers POST /catalog-import/confirm: the location is registered and read,
// then the browser is sent to the result.
func (p *pages) importConfirm(c echo.Context) error {
	spec, _, ok, err := p.bindImport(c)
	if !ok {
		return err
	}
	if err := p.authorizeRegister(c, spec); err != nil {
		return err
	}
	res, err := p.cfg.Catalog.AddLocation(c.Request().Context(), spec, false)
	if err != nil {
		return err
	}
	p.ui.Invalidate()
	p.recordChange(c, auth.ActionLocationAdded, spec.Key(), map[string]string{"id": res.Location.ID})
	return c.Redirect(http.StatusSeeOther, views.ImportURL+"?"+url.Values{"location": {res.Location.ID}}.Encode())
}

// importResult lists what a registered location provides.
func (p *pages) importResult(ctx context.Context, id string) (*views.ImportResult, error) {
	loc, err := p.cfg.Catalog.GetLocation(ctx, id)
	if err != nil {
		return nil, err
	}
	spec := loc.Spec()
	page, err := p.cfg.Catalog.Entities(ctx, catalog.EntitiesRequest{
		Filter: catalog.Filter{AnyOf: [][]catalog.Condition{{{Key: "metadata.annotations." + catalog.AnnotationManagedByOriginLocation, Values: []string{spec.Key()}}}}},
		Fields: []string{"kind", "metadata"},
	})
	if err != nil {
		return nil, err
	}
	root := model.Ref{Kind: "Location", Namespace: model.DefaultNamespace, Name: spec.GeneratedName()}
	res := &views.ImportResult{Location: views.EntityLink{Ref: root.String(), Kind: "Location", Title: spec.Target,
		Href: views.EntityURL(root.Namespace, root.Kind, root.Name)}}
	for _, raw := range page.Items {
		var e model.Entity
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, fmt.Errorf("handlers: decode entity: %w", err)
		}
		r := e.Ref()
		if r.Key() == root.Key() {
			continue
		}
		res.Entities = append(res.Entities, views.EntityLink{Ref: r.String(), Kind: e.Kind, Title: e.Metadata.Title,
			Href: views.EntityURL(r.Namespace, e.Kind, e.Metadata.Name)})
	}
	return res, nil
}
