package catalog

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/keelson-dev/keelson/catalog/descriptor"
	"github.com/keelson-dev/keelson/catalog/model"
)

// Annotations Keelson sets on every entity it reads, with Backstage's names and meaning.
const (
	AnnotationManagedByLocation       = "backstage.io/managed-by-location"
	AnnotationManagedByOriginLocation = "backstage.io/managed-by-origin-location"
	AnnotationOrphan                  = "backstage.io/orphan"
	AnnotationViewURL                 = "backstage.io/view-url"
	AnnotationSourceLocation          = "backstage.io/source-location"
)

// maxFilesPerLocation bounds how many descriptor files one location may pull in through
// nested Location entities, so a target cycle or a runaway glob cannot exhaust memory.
const maxFilesPerLocation = 100_000

// Spec identifies a location: its type ("file" or "url") and target.
type Spec struct {
	Type   string `json:"type"`
	Target string `json:"target"`
}

// Key is the value of the managed-by-location annotation for the spec: "type:target".
func (s Spec) Key() string { return s.Type + ":" + s.Target }

// GeneratedName is the name of the Location entity Backstage generates for a registered or
// configured location: "generated-" and the SHA-1 of "type:target".
func (s Spec) GeneratedName() string {
	sum := sha1.Sum([]byte(s.Type + ":" + s.Target))
	return "generated-" + hex.EncodeToString(sum[:])
}

// processed is one entity read from a location, ready to be stored. It keeps the entity
// encoded, not as a tree of maps, so that a large location's result stays small in memory.
type processed struct {
	ref         model.Ref
	columns     entityColumns
	key         string // lower-cased ref
	parentKey   string // Location entity that emitted it ("" for the root)
	locationKey string // managed-by-location
	relations   []model.RelationRow
	json        []byte // processed entity: no relations, no status, no uid/etag
	hash        string
}

// problem is a processing error found while reading a location.
type problem struct {
	Source     string
	Line       int
	Field      string
	Name       string // Backstage error class: InputError, NotFoundError, ConflictError
	Message    string
	SubjectKey string // entity the problem is about, when known
	OwnerKey   string // that entity's owner, when known
	ParentKey  string // Location entity that read the file
}

// readResult is everything one refresh of a location produced.
type readResult struct {
	entities []*processed
	problems []problem
	okFiles  map[string]bool // managed-by-location keys read and parsed
	failed   bool            // some file failed to read or parse
	emitted  map[string]bool // every ref key the location still claims, valid or not
}

// readLocation reads a location and everything its Location entities point at.
func (s *Service) readLocation(ctx context.Context, spec Spec) *readResult {
	res := &readResult{okFiles: map[string]bool{}, emitted: map[string]bool{}}
	root := generatedLocation(spec)
	rootP, err := s.process(root, "", spec.Key())
	if err != nil {
		res.problems = append(res.problems, problem{Source: spec.Target, Name: "InputError", Message: err.Error()})
		return res
	}
	res.add(rootP)

	level := []childLocation{{parentKey: rootP.key, spec: spec}}
	seen := map[string]bool{}
	files := 0
	// Files are read level by level: the files of one level are decoded and validated in
	// parallel, then merged in order, so the result is the same as reading them one by one.
	for len(level) > 0 {
		var batch []fileJob
		for _, j := range level {
			targets, err := s.expand(j.spec)
			if err != nil {
				res.failed = true
				res.problems = append(res.problems, problem{Source: j.spec.Target, Name: "InputError", Message: err.Error(), ParentKey: j.parentKey})
				continue
			}
			if len(targets) == 0 && !j.optional && !isPattern(j.spec.Target) {
				res.failed = true
				res.problems = append(res.problems, problem{Source: j.spec.Target, Name: "NotFoundError", ParentKey: j.parentKey,
					Message: fmt.Sprintf("Unable to read %s, %s does not exist", j.spec.Type, j.spec.Target)})
				continue
			}
			for _, target := range targets {
				fileSpec := Spec{Type: j.spec.Type, Target: target}
				if seen[fileSpec.Key()] {
					continue
				}
				seen[fileSpec.Key()] = true
				if files++; files > maxFilesPerLocation {
					res.failed = true
					res.problems = append(res.problems, problem{Source: target, Name: "InputError", ParentKey: j.parentKey,
						Message: fmt.Sprintf("location reaches more than %d files; the rest were not read", maxFilesPerLocation)})
					return res
				}
				batch = append(batch, fileJob{file: fileSpec, parentKey: j.parentKey, optional: j.optional})
			}
		}
		results := s.readFiles(ctx, batch, spec)
		level = nil
		for _, fr := range results {
			level = append(level, res.merge(fr)...)
		}
	}
	return res
}

type childLocation struct {
	parentKey string
	spec      Spec
	optional  bool
}

// fileJob is one descriptor file to read, with the Location entity that points at it.
type fileJob struct {
	file      Spec
	parentKey string
	optional  bool
}

// fileResult is what one descriptor file yielded, in document order.
type fileResult struct {
	file   Spec
	ok     bool // read and parsed without error
	failed bool // could not be read or parsed (a missing optional file is neither)
	items  []fileItem
}

// fileItem is one document's outcome: a processed entity (with the Location targets it
// names), or problems and, when its ref is known, the ref it still claims.
type fileItem struct {
	p        *processed
	line     int
	children []childLocation
	problems []problem
	claims   string
}

// readFiles reads a batch of files with as many workers as there are CPUs, keeping order.
func (s *Service) readFiles(ctx context.Context, batch []fileJob, origin Spec) []*fileResult {
	out := make([]*fileResult, len(batch))
	workers := min(runtime.GOMAXPROCS(0), len(batch))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = s.readFile(ctx, batch[i], origin)
			}
		}()
	}
	for i := range batch {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// merge adds one file's outcome to the location's result and returns the Location targets
// of its entities.
func (r *readResult) merge(fr *fileResult) []childLocation {
	if fr.ok {
		r.okFiles[fr.file.Key()] = true
	}
	if fr.failed {
		r.failed = true
	}
	var children []childLocation
	for _, it := range fr.items {
		r.problems = append(r.problems, it.problems...)
		if it.p == nil {
			if it.claims != "" {
				r.emitted[it.claims] = true
			}
			continue
		}
		if r.emitted[it.p.key] {
			r.problems = append(r.problems, problem{Source: fr.file.Target, Line: it.line, Name: "ConflictError", SubjectKey: it.p.key, ParentKey: it.p.parentKey,
				Message: fmt.Sprintf("Entity %s is defined more than once in this location; the first definition is kept", it.p.ref)})
			continue
		}
		r.add(it.p)
		children = append(children, it.children...)
	}
	return children
}

// readFile reads one descriptor file and processes its documents.
func (s *Service) readFile(ctx context.Context, job fileJob, origin Spec) *fileResult {
	file, parentKey := job.file, job.parentKey
	fr := &fileResult{file: file}
	data, err := s.fetch.Fetch(ctx, file.Target)
	if err != nil {
		if job.optional && errors.Is(err, descriptor.ErrNotFound) {
			return fr
		}
		fr.failed = true
		name := "InputError"
		if errors.Is(err, descriptor.ErrNotFound) {
			name = "NotFoundError"
		}
		fr.items = append(fr.items, fileItem{problems: []problem{{Source: file.Target, Name: name,
			Message: fmt.Sprintf("Unable to read %s, %v", file.Key(), err), ParentKey: parentKey}}})
		return fr
	}
	docs, err := descriptor.Decode(ctx, file.Target, data, s.fetch, s.limits)
	if err != nil {
		fr.failed = true
		p := problem{Source: file.Target, Name: "InputError", Message: err.Error(), ParentKey: parentKey}
		var de *descriptor.Error
		if errors.As(err, &de) {
			p.Line, p.Field, p.Message = de.Line, de.Field, de.Message
		}
		fr.items = append(fr.items, fileItem{problems: []problem{p}})
		// Documents before the parse error are still processed, but the file does not count
		// as read: nothing it produced before is orphaned.
	} else {
		fr.ok = true
	}
	for i := range docs {
		fr.items = append(fr.items, s.readDocument(&docs[i], file, origin, parentKey))
	}
	return fr
}

// readDocument validates and processes one document.
func (s *Service) readDocument(doc *descriptor.Document, file, origin Spec, parentKey string) fileItem {
	if doc.Err != nil {
		// A document whose substitution failed still names its entity (Partial), so the
		// entity keeps its last good version and the error is shown against it.
		subject := rawRefKey(doc.Partial)
		return fileItem{claims: subject, problems: []problem{{Source: file.Target, Line: doc.Err.Line, Field: doc.Err.Field,
			Name: "InputError", Message: doc.Err.Message, ParentKey: parentKey,
			SubjectKey: subject, OwnerKey: rawOwnerKey(doc.Partial)}}}
	}
	entity, err := model.FromRaw(doc.Raw)
	var p *processed
	if err == nil {
		annotate(entity, file, origin)
		p, err = s.process(entity, parentKey, file.Key())
	}
	if err != nil {
		subject := rawRefKey(doc.Raw)
		return fileItem{claims: subject, problems: validationProblems(err, doc, subject, rawOwnerKey(doc.Raw), parentKey)}
	}
	it := fileItem{p: p, line: doc.Line}
	if strings.EqualFold(entity.Kind, "Location") {
		for _, c := range locationTargets(entity, file) {
			c.parentKey = p.key
			resolved, err := descriptor.Resolve(file.Target, c.spec.Target)
			if err != nil {
				it.problems = append(it.problems, problem{Source: file.Target, Line: doc.LineOf("spec.targets"), Field: "spec.targets",
					Name: "InputError", Message: err.Error(), SubjectKey: p.key, ParentKey: parentKey})
				continue
			}
			c.spec.Target = resolved
			it.children = append(it.children, c)
		}
	}
	return it
}

func (r *readResult) add(p *processed) {
	r.entities = append(r.entities, p)
	r.emitted[p.key] = true
}
