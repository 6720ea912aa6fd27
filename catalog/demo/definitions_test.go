package demo

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// TestAPIDefinitions parses every API definition with a parser for its type,
// so the API pages built on the demo show real operations, channels, types
// and services.
func TestAPIDefinitions(t *testing.T) {
	c := loadCatalog(t)
	inline, text := 0, 0
	for _, e := range c.entities {
		if e.kind() != "API" {
			continue
		}
		if textTarget(e) != "" {
			text++
		} else {
			inline++
		}
		t.Run(e.name(), func(t *testing.T) {
			def, err := definition(e)
			if err != nil {
				t.Fatal(err)
			}
			switch typ := str(e.spec()["type"]); typ {
			case "openapi":
				checkOpenAPI(t, def)
			case "asyncapi":
				checkAsyncAPI(t, def)
			case "graphql":
				checkGraphQL(t, def)
			case "grpc":
				checkProto(t, def)
			default:
				t.Fatalf("API type %q has no definition check", typ)
			}
		})
	}
	if inline < 3 || text < 3 {
		t.Errorf("definitions: %d inline and %d through $text, want at least 3 of each", inline, text)
	}
}

func checkOpenAPI(t *testing.T, def string) {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData([]byte(def))
	if err != nil {
		t.Fatalf("load OpenAPI: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("validate OpenAPI: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q, want 3.x", doc.OpenAPI)
	}
	if doc.Info.Title == "" || doc.Info.Description == "" {
		t.Errorf("info lacks a title or description")
	}
	declared := map[string]bool{}
	for _, tag := range doc.Tags {
		declared[tag.Name] = true
	}
	if len(declared) == 0 {
		t.Errorf("no tags declared")
	}
	ops := 0
	for p, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops++
			if op.OperationID == "" || op.Summary == "" {
				t.Errorf("%s %s: operationId or summary missing", method, p)
			}
			if len(op.Tags) == 0 {
				t.Errorf("%s %s: no tags", method, p)
			}
			for _, tag := range op.Tags {
				if !declared[tag] {
					t.Errorf("%s %s: tag %q is not declared", method, p, tag)
				}
			}
			if op.Responses == nil || op.Responses.Len() == 0 {
				t.Errorf("%s %s: no responses", method, p)
			}
		}
	}
	if ops < 3 {
		t.Errorf("%d operations, want at least 3", ops)
	}
}

// asyncAPIDoc is the part of an AsyncAPI 2 document the check reads.
type asyncAPIDoc struct {
	AsyncAPI string `yaml:"asyncapi"`
	Info     struct {
		Title   string `yaml:"title"`
		Version string `yaml:"version"`
	} `yaml:"info"`
	Servers  map[string]struct{ URL, Protocol string } `yaml:"servers"`
	Channels map[string]struct {
		Publish   *asyncAPIOperation `yaml:"publish"`
		Subscribe *asyncAPIOperation `yaml:"subscribe"`
	} `yaml:"channels"`
	Components struct {
		Messages map[string]any `yaml:"messages"`
	} `yaml:"components"`
}

type asyncAPIOperation struct {
	OperationID string         `yaml:"operationId"`
	Message     map[string]any `yaml:"message"`
}

func checkAsyncAPI(t *testing.T, def string) {
	t.Helper()
	var doc asyncAPIDoc
	if err := yaml.Unmarshal([]byte(def), &doc); err != nil {
		t.Fatalf("decode AsyncAPI: %v", err)
	}
	if !strings.HasPrefix(doc.AsyncAPI, "2.") {
		t.Errorf("asyncapi version %q, want 2.x", doc.AsyncAPI)
	}
	if doc.Info.Title == "" || doc.Info.Version == "" {
		t.Errorf("info lacks a title or version")
	}
	if len(doc.Servers) == 0 {
		t.Errorf("no servers")
	}
	if len(doc.Channels) == 0 {
		t.Fatalf("no channels")
	}
	for name, ch := range doc.Channels {
		ops := []*asyncAPIOperation{ch.Publish, ch.Subscribe}
		if ch.Publish == nil && ch.Subscribe == nil {
			t.Errorf("channel %s: neither publish nor subscribe", name)
		}
		for _, op := range ops {
			if op == nil {
				continue
			}
			if op.OperationID == "" || len(op.Message) == 0 {
				t.Errorf("channel %s: operation lacks an operationId or a message", name)
			}
			ref, isRef := op.Message["$ref"].(string)
			if !isRef {
				if op.Message["payload"] == nil {
					t.Errorf("channel %s: inline message has no payload", name)
				}
				continue
			}
			msg := strings.TrimPrefix(ref, "#/components/messages/")
			if _, ok := doc.Components.Messages[msg]; !ok || msg == ref {
				t.Errorf("channel %s: message $ref %q does not resolve", name, ref)
			}
		}
	}
}

// checkBraces fails unless every opening brace and parenthesis is closed.
func checkBraces(t *testing.T, def string) {
	t.Helper()
	var stack []rune
	pairs := map[rune]rune{'}': '{', ')': '(', ']': '['}
	for _, r := range def {
		switch r {
		case '{', '(', '[':
			stack = append(stack, r)
		case '}', ')', ']':
			if len(stack) == 0 || stack[len(stack)-1] != pairs[r] {
				t.Fatalf("unbalanced %q", r)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Fatalf("%d unclosed brackets", len(stack))
	}
}

func checkGraphQL(t *testing.T, def string) {
	t.Helper()
	// Descriptions may contain anything; leave them out of the checks.
	def = regexp.MustCompile(`(?s)"""(.*?)"""|"[^"\n]*"`).ReplaceAllString(def, "")
	checkBraces(t, def)
	types := regexp.MustCompile(`(?m)^(type|input|enum|scalar) (\w+)`).FindAllStringSubmatch(def, -1)
	var names []string
	for _, m := range types {
		names = append(names, m[2])
	}
	for _, want := range []string{"Query", "Mutation"} {
		if !slices.Contains(names, want) {
			t.Errorf("no %s type; types: %v", want, names)
		}
	}
	if len(names) < 8 {
		t.Errorf("%d type definitions, want at least 8", len(names))
	}
	for _, m := range regexp.MustCompile(`:\s*\[?(\w+)`).FindAllStringSubmatch(def, -1) {
		builtin := []string{"ID", "String", "Int", "Float", "Boolean"}
		if !slices.Contains(builtin, m[1]) && !slices.Contains(names, m[1]) {
			t.Errorf("type %s is used but not defined", m[1])
		}
	}
}

func checkProto(t *testing.T, def string) {
	t.Helper()
	checkBraces(t, def)
	if !strings.Contains(def, `syntax = "proto3";`) {
		t.Errorf("not a proto3 file")
	}
	if !regexp.MustCompile(`(?m)^package [a-z0-9.]+;$`).MatchString(def) {
		t.Errorf("no package declaration")
	}
	if !regexp.MustCompile(`(?m)^service \w+ \{$`).MatchString(def) {
		t.Errorf("no service")
	}
	messages := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^(?:message|enum) (\w+) \{`).FindAllStringSubmatch(def, -1) {
		messages[m[1]] = true
	}
	rpcs := regexp.MustCompile(`rpc (\w+)\((?:stream )?(\w+)\) returns \((?:stream )?(\w+)\);`).FindAllStringSubmatch(def, -1)
	if len(rpcs) < 2 {
		t.Errorf("%d rpcs, want at least 2", len(rpcs))
	}
	for _, rpc := range rpcs {
		for _, msg := range rpc[2:] {
			if !messages[msg] {
				t.Errorf("rpc %s: message %s is not defined", rpc[1], msg)
			}
		}
	}
}
