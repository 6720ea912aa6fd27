package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// Ref identifies an entity by kind, namespace and name. Parsed refs keep the case they were
// written in; comparisons go through Key.
type Ref struct {
	Kind      string
	Namespace string
	Name      string
}

// RefContext holds the defaults applied to the parts a reference leaves out.
type RefContext struct {
	// DefaultKind is used when the reference has no "kind:" part; without it such a
	// reference is an error.
	DefaultKind string
	// DefaultNamespace is used when the reference has no "namespace/" part; when empty,
	// "default" is used, as Backstage does.
	DefaultNamespace string
}

// ErrInvalidRef is wrapped by every reference parsing error.
var ErrInvalidRef = errors.New("invalid entity reference")

// RefError is a reference that could not be parsed; its message is Backstage's.
type RefError struct {
	// Input is the reference as given.
	Input string
	// Message is the full explanation, in Backstage's wording.
	Message string
}

// Error returns the explanation.
func (e *RefError) Error() string { return e.Message }

// Unwrap lets errors.Is match ErrInvalidRef.
func (e *RefError) Unwrap() error { return ErrInvalidRef }

// ParseRef parses "[kind:][namespace/]name" the way Backstage's parseEntityRef does: the
// first ":" ends the kind unless a "/" comes before it, the first "/" ends the namespace, and
// everything after is the name (so names may contain further ":" and "/"). Empty parts are
// errors; missing parts take the context defaults.
func ParseRef(s string, ctx RefContext) (Ref, error) {
	if s == "" {
		return Ref{}, &RefError{Input: s, Message: "Entity reference must not be empty"}
	}
	colon := strings.IndexByte(s, ':')
	slash := strings.IndexByte(s, '/')
	if slash != -1 && slash < colon {
		colon = -1
	}
	var (
		kind, namespace       string
		hasKind, hasNamespace bool
	)
	if colon != -1 {
		kind, hasKind = s[:colon], true
	}
	if slash != -1 {
		namespace, hasNamespace = s[colon+1:slash], true
	}
	name := s[max(colon+1, slash+1):]
	if (hasKind && kind == "") || (hasNamespace && namespace == "") || name == "" {
		return Ref{}, &RefError{Input: s, Message: "Entity reference " + jsonString(s) +
			" was not on the form [<kind>:][<namespace>/]<name>"}
	}
	if !hasKind {
		kind = ctx.DefaultKind
	}
	if !hasNamespace {
		namespace = ctx.DefaultNamespace
		if namespace == "" {
			namespace = DefaultNamespace
		}
	}
	if kind == "" {
		return Ref{}, &RefError{Input: s, Message: "Entity reference " + jsonString(s) +
			` had missing or empty kind (e.g. did not start with "component:" or similar)`}
	}
	return Ref{Kind: kind, Namespace: namespace, Name: name}, nil
}

// String returns the reference as Backstage's stringifyEntityRef does:
// "kind:namespace/name" with every part lower-cased and the default namespace filled in.
// It is therefore the same text as Key; both exist so that call sites say whether they
// mean the canonical display form or the storage identity.
func (r Ref) String() string {
	ns := r.Namespace
	if ns == "" {
		ns = DefaultNamespace
	}
	return lowerJS(r.Kind) + ":" + lowerJS(ns) + "/" + lowerJS(r.Name)
}

// Key returns the case-insensitive identity of the entity, used for storage and lookup.
func (r Ref) Key() string { return r.String() }

// IsZero reports whether the reference is empty.
func (r Ref) IsZero() bool { return r == Ref{} }

// jsonString renders s as JavaScript's JSON.stringify does (no HTML escaping), which is
// how Backstage quotes references in its error messages.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return `"` + s + `"`
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// lowerJS lower-cases s as JavaScript's toLocaleLowerCase('en-US') does. Go's ToLower
// differs for one code point that matters for identity: U+0130 (capital I with dot) becomes
// "i" followed by U+0307 in JavaScript.
func lowerJS(s string) string {
	if !strings.ContainsRune(s, '\u0130') {
		return strings.ToLower(s)
	}
	return strings.ToLower(strings.ReplaceAll(s, "\u0130", "i\u0307"))
}
