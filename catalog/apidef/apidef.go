// Package apidef reads the spec.definition of an API entity into a structure
// made for reading on a page: OpenAPI operations grouped by tag, AsyncAPI
// channels, and syntax-highlighted GraphQL and gRPC. It knows nothing of HTTP
// or HTML templates; handlers copy a Definition into views.APIDefinition.
package apidef

import (
	"errors"
	"fmt"
	"html/template"
	"regexp"
	"strconv"
	"strings"
)

// API types with a reader of their own; every other spec.type is shown as
// raw text.
const (
	TypeOpenAPI  = "openapi"
	TypeAsyncAPI = "asyncapi"
	TypeGraphQL  = "graphql"
	TypeGRPC     = "grpc"
)

// maxDefinitionBytes bounds what Parse reads: larger definitions are shown
// raw only, so a huge document cannot stall a page render.
const maxDefinitionBytes = 4 << 20

// Definition is an API definition prepared for reading.
type Definition struct {
	// Type is the API type as given (spec.type), lower-cased.
	Type        string
	Title       string
	Version     string
	Description string
	// Servers are the base URLs (OpenAPI) or broker addresses (AsyncAPI).
	Servers []string
	// Groups are OpenAPI operations grouped by tag, in the document's tag
	// order, then by first use; untagged operations go to "default".
	Groups []OperationGroup
	// Channels are AsyncAPI channels in document order.
	Channels []Channel
	// Highlighted is GraphQL or gRPC source as HTML with "hl-" prefixed
	// class names (the stylesheet colours them); empty for other types.
	Highlighted template.HTML
	// Raw is the definition exactly as given.
	Raw string
}

// OperationGroup is the OpenAPI operations under one tag.
type OperationGroup struct {
	Tag         string
	Description string
	Operations  []Operation
}

// Operation is one OpenAPI operation (or OpenAPI 3.1 webhook).
type Operation struct {
	Method      string // upper case
	Path        string // the path, or "webhook: <name>" for webhooks
	OperationID string
	Summary     string
	Description string
	Deprecated  bool
	Parameters  []Parameter
	// RequestBody lists the request body media types, sorted.
	RequestBody []string
	// Responses are sorted by status code, "default" last.
	Responses []Response
}

// Parameter is one operation parameter.
type Parameter struct {
	In          string
	Name        string
	Required    bool
	Type        string
	Description string
}

// Response is one documented response.
type Response struct {
	Code        string
	Description string
}

// Channel is one AsyncAPI channel.
type Channel struct {
	Name        string
	Description string
	Operations  []ChannelOperation
}

// ChannelOperation is publish/subscribe (AsyncAPI 2.x) or send/receive
// (3.x) on a channel.
type ChannelOperation struct {
	Action      string
	OperationID string
	Summary     string
	Messages    []string
}

// ParseError says why a definition could not be read and, when known, on
// which line of the definition.
type ParseError struct {
	Type string // the API type being read
	Line int    // 1-based; 0 when unknown
	Msg  string
}

// Error implements error.
func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("apidef: %s definition, line %d: %s", e.Type, e.Line, e.Msg)
	}
	return fmt.Sprintf("apidef: %s definition: %s", e.Type, e.Msg)
}

// Parse reads an API entity's definition. It always returns a Definition
// carrying at least Type and Raw, so a page can show the raw text; when the
// definition cannot be read it also returns a *ParseError saying what and
// where, and the Definition holds whatever was read before the failure
// (nothing structured, for most errors).
func Parse(apiType string, definition string) (*Definition, error) {
	d := &Definition{Type: strings.ToLower(strings.TrimSpace(apiType)), Raw: definition}
	if len(definition) > maxDefinitionBytes {
		return d, &ParseError{Type: d.Type, Msg: fmt.Sprintf("definition is %d bytes, more than the %d this page reads", len(definition), maxDefinitionBytes)}
	}
	var err error
	switch d.Type {
	case TypeOpenAPI:
		err = parseOpenAPI(d, definition)
	case TypeAsyncAPI:
		err = parseAsyncAPI(d, definition)
	case TypeGraphQL:
		err = highlight(d, "graphql", definition)
	case TypeGRPC:
		err = highlight(d, "protobuf", definition)
	}
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			pe = &ParseError{Type: d.Type, Msg: err.Error()}
		}
		pe.Type = d.Type
		return d, pe
	}
	return d, nil
}

// yamlLine finds the line number in a YAML library message
// ("yaml: line 12: did not find expected key").
var yamlLine = regexp.MustCompile(`line (\d+)`)

// yamlError turns a YAML decoding error into a ParseError with its line,
// naming the usual cause when the line is indented with a tab.
func yamlError(err error, text string) *ParseError {
	msg := err.Error()
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	if line > 0 {
		msg = strings.TrimSpace(strings.TrimPrefix(msg, "line "+strconv.Itoa(line)+":"))
		lines := strings.Split(text, "\n")
		if line <= len(lines) {
			l := lines[line-1]
			indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
			if strings.Contains(indent, "\t") {
				msg += " (a tab in the indentation: YAML indents with spaces only)"
			}
		}
	}
	return &ParseError{Line: line, Msg: msg}
}
