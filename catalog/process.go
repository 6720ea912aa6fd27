package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/keelson-dev/keelson/catalog/descriptor"
	"github.com/keelson-dev/keelson/catalog/model"
)

// process normalises an entity and derives what is stored for it.
func (s *Service) process(e *model.Entity, parentKey, locationKey string) (*processed, error) {
	rels, err := model.Relations(e)
	if err != nil {
		return nil, err
	}
	e.Relations = nil
	e.Status = nil
	e.Metadata.UID = ""
	e.Metadata.Etag = ""
	body, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("catalog: encode %s: %w", e.Ref(), err)
	}
	h := sha256.New()
	h.Write(body)
	h.Write([]byte{0})
	h.Write([]byte(parentKey))
	h.Write([]byte{0})
	h.Write([]byte(locationKey))
	return &processed{
		ref:         e.Ref(),
		columns:     columnsOf(e),
		key:         e.Ref().Key(),
		parentKey:   parentKey,
		locationKey: locationKey,
		relations:   rels,
		json:        body,
		hash:        hex.EncodeToString(h.Sum(nil)),
	}, nil
}

// entityColumns are the indexed fields of an entity's row.
type entityColumns struct {
	kind, namespace, name string // lower-cased
	title, specType       string
	lifecycle, owner      string
}

func columnsOf(e *model.Entity) entityColumns {
	ref := e.Ref()
	specType, _ := e.Spec["type"].(string)
	lifecycle, _ := e.Spec["lifecycle"].(string)
	return entityColumns{
		kind: strings.ToLower(ref.Kind), namespace: strings.ToLower(ref.Namespace), name: strings.ToLower(ref.Name),
		title: e.Metadata.Title, specType: specType, lifecycle: lifecycle, owner: ownerKey(e),
	}
}

// decode returns the processed entity as a fresh tree.
func (p *processed) decode() (*model.Entity, error) {
	var e model.Entity
	if err := json.Unmarshal(p.json, &e); err != nil {
		return nil, fmt.Errorf("catalog: decode %s: %w", p.key, err)
	}
	return &e, nil
}

// generatedLocation is the Location entity that stands for a registered or configured location.
func generatedLocation(spec Spec) *model.Entity {
	return &model.Entity{
		APIVersion: "backstage.io/v1alpha1",
		Kind:       "Location",
		Metadata: model.Metadata{
			Name:      spec.GeneratedName(),
			Namespace: "default",
			Annotations: map[string]string{
				AnnotationManagedByLocation:       spec.Key(),
				AnnotationManagedByOriginLocation: spec.Key(),
			},
		},
		Spec: map[string]any{"type": spec.Type, "target": spec.Target},
	}
}

// annotate sets the location annotations Backstage's location processor sets.
func annotate(e *model.Entity, file, origin Spec) {
	if e.Metadata.Annotations == nil {
		e.Metadata.Annotations = map[string]string{}
	}
	e.Metadata.Annotations[AnnotationManagedByLocation] = file.Key()
	e.Metadata.Annotations[AnnotationManagedByOriginLocation] = origin.Key()
	if file.Type == "url" {
		if _, ok := e.Metadata.Annotations[AnnotationViewURL]; !ok {
			e.Metadata.Annotations[AnnotationViewURL] = file.Target
		}
		if _, ok := e.Metadata.Annotations[AnnotationSourceLocation]; !ok {
			if i := strings.LastIndexByte(file.Target, '/'); i > 0 {
				e.Metadata.Annotations[AnnotationSourceLocation] = "url:" + file.Target[:i+1]
			}
		}
	}
}

// locationTargets lists the targets of a Location entity, typed as the entity says or as the
// file it was read from.
func locationTargets(e *model.Entity, file Spec) []childLocation {
	typ, _ := e.Spec["type"].(string)
	if typ == "" {
		typ = file.Type
	}
	optional := false
	if p, _ := e.Spec["presence"].(string); p == "optional" {
		optional = true
	}
	var targets []string
	if t, ok := e.Spec["target"].(string); ok && t != "" {
		targets = append(targets, t)
	}
	if list, ok := e.Spec["targets"].([]any); ok {
		for _, v := range list {
			if t, ok := v.(string); ok && t != "" {
				targets = append(targets, t)
			}
		}
	}
	out := make([]childLocation, 0, len(targets))
	for _, t := range targets {
		ttyp := typ
		if strings.HasPrefix(t, "https://") || strings.HasPrefix(t, "http://") {
			ttyp = "url" // an absolute URL is read as one whatever the file it is listed in
		}
		out = append(out, childLocation{spec: Spec{Type: ttyp, Target: t}, optional: optional})
	}
	return out
}

// expand turns a file or URL target into the files it names.
func (s *Service) expand(spec Spec) ([]string, error) {
	switch spec.Type {
	case "url":
		return []string{spec.Target}, nil
	case "file":
		if e, ok := s.fetch.(embeddedTargets); ok {
			if _, ok := e.name(spec.Target); ok {
				return []string{spec.Target}, nil
			}
		}
		return descriptor.Expand("", spec.Target)
	default:
		return nil, fmt.Errorf("unsupported location type %q: expected file or url", spec.Type)
	}
}

func isPattern(target string) bool { return strings.ContainsAny(target, "*?[") }

// validationProblems turns a validation failure into one problem per field.
func validationProblems(err error, doc *descriptor.Document, subject, owner, parentKey string) []problem {
	var ve *model.ValidationError
	if !errors.As(err, &ve) {
		return []problem{{Source: doc.Source, Line: doc.Line, Name: "InputError", Message: err.Error(), SubjectKey: subject, OwnerKey: owner, ParentKey: parentKey}}
	}
	out := make([]problem, 0, len(ve.Problems))
	for _, p := range ve.Problems {
		line := doc.Line
		if p.Field != "" {
			line = doc.LineOf(p.Field)
		}
		out = append(out, problem{Source: doc.Source, Line: line, Field: p.Field, Name: "InputError", Message: p.Message,
			SubjectKey: subject, OwnerKey: owner, ParentKey: parentKey})
	}
	return out
}

// rawRefKey derives the ref key of a document that failed validation, if its kind and name are
// at least strings, so its last good version is kept and its error is shown against it.
func rawRefKey(raw map[string]any) string {
	kind, _ := raw["kind"].(string)
	meta, _ := raw["metadata"].(map[string]any)
	name, _ := meta["name"].(string)
	if kind == "" || name == "" {
		return ""
	}
	ns, _ := meta["namespace"].(string)
	if ns == "" {
		ns = "default"
	}
	return strings.ToLower(kind + ":" + ns + "/" + name)
}

// rawOwnerKey derives the owner ref key of a document that failed validation, when it has one.
func rawOwnerKey(raw map[string]any) string {
	spec, _ := raw["spec"].(map[string]any)
	owner, _ := spec["owner"].(string)
	if owner == "" {
		return ""
	}
	meta, _ := raw["metadata"].(map[string]any)
	ns, _ := meta["namespace"].(string)
	if ns == "" {
		ns = "default"
	}
	ref, err := model.ParseRef(owner, model.RefContext{DefaultKind: "group", DefaultNamespace: ns})
	if err != nil {
		return ""
	}
	return ref.Key()
}
