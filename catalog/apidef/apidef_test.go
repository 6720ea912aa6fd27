package apidef

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		apiType  string
		def      string
		wantLine int
		wantMsg  string
	}{
		{name: "openapi bad yaml", apiType: "openapi", def: "openapi: 3.0.0\ninfo:\n  title: a: b\npaths: {}\n", wantLine: 3, wantMsg: "mapping values are not allowed"},
		{name: "openapi no version", apiType: "openapi", def: "info:\n  title: x\n", wantLine: 1, wantMsg: `neither an "openapi" nor a "swagger"`},
		{name: "openapi old swagger", apiType: "OpenAPI", def: "swagger: '1.2'\n", wantLine: 1, wantMsg: `unsupported swagger version "1.2"`},
		{name: "openapi scalar", apiType: "openapi", def: "just text", wantLine: 1, wantMsg: "not a YAML or JSON mapping"},
		{name: "openapi wrong shape", apiType: "openapi", def: "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: [1, 2]\n", wantLine: 3, wantMsg: `"paths" cannot be an array`},
		{name: "openapi nested wrong shape", apiType: "openapi", def: "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: 5\n      responses: {}\n", wantLine: 6, wantMsg: `"parameters" cannot be a number`},
		{name: "openapi json wrong shape", apiType: "openapi", def: "{\"openapi\": \"3.0.0\",\n \"info\": {\"title\": \"x\", \"version\": \"1\"},\n \"paths\": \"none\"}", wantLine: 3, wantMsg: `"paths" cannot be a string`},
		{name: "swagger wrong shape", apiType: "openapi", def: "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      tags: true\n", wantLine: 6, wantMsg: `"tags" cannot be a bool`},
		{name: "asyncapi channels list", apiType: "asyncapi", def: "asyncapi: 2.6.0\ninfo: {title: x, version: '1'}\nchannels:\n  - a\n", wantLine: 4, wantMsg: `"channels" must be a mapping`},
		{name: "asyncapi no version", apiType: "asyncapi", def: "info:\n  title: x\n", wantLine: 1, wantMsg: `no "asyncapi" version field`},
		{name: "asyncapi v1", apiType: "asyncapi", def: "asyncapi: '1.2.0'\n", wantLine: 1, wantMsg: `unsupported asyncapi version "1.2.0"`},
		{name: "asyncapi tab indent", apiType: "asyncapi", def: "asyncapi: 2.0.0\nchannels:\n\tx: {}\n", wantLine: 3, wantMsg: "tab"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse(tc.apiType, tc.def)
			if d == nil || d.Raw != tc.def {
				t.Fatalf("Definition must carry the raw text even on error, got %+v", d)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want *ParseError", err)
			}
			if pe.Line != tc.wantLine {
				t.Errorf("Line = %d, want %d (%v)", pe.Line, tc.wantLine, pe)
			}
			if !strings.Contains(pe.Msg, tc.wantMsg) {
				t.Errorf("Msg = %q, want it to contain %q", pe.Msg, tc.wantMsg)
			}
			if pe.Type != strings.ToLower(tc.apiType) {
				t.Errorf("Type = %q", pe.Type)
			}
		})
	}
}

func TestParseAsyncAPI3(t *testing.T) {
	def := `asyncapi: 3.0.0
info:
  title: Account Service
  version: 1.0.0
servers:
  production:
    host: broker.example.com
    pathname: /ws
    protocol: ws
channels:
  userSignedup:
    address: user/signedup
    messages:
      UserSignedUp:
        $ref: '#/components/messages/UserSignedUp'
operations:
  sendUserSignedup:
    action: send
    summary: A user signed up.
    channel:
      $ref: '#/channels/userSignedup'
    messages:
      - $ref: '#/channels/userSignedup/messages/UserSignedUp'
`
	d, err := Parse("asyncapi", def)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"title", d.Title, "Account Service"},
		{"servers", strings.Join(d.Servers, "|"), "broker.example.com/ws (ws)"},
		{"channel", d.Channels[0].Name, "user/signedup"},
		{"action", d.Channels[0].Operations[0].Action, "send"},
		{"operation id", d.Channels[0].Operations[0].OperationID, "sendUserSignedup"},
		{"summary", d.Channels[0].Operations[0].Summary, "A user signed up."},
		{"messages", strings.Join(d.Channels[0].Operations[0].Messages, ","), "UserSignedUp"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

func TestParseOtherTypes(t *testing.T) {
	tests := []struct {
		name    string
		apiType string
	}{
		{name: "trpc", apiType: "trpc"},
		{name: "unknown", apiType: "soap"},
		{name: "empty type", apiType: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse(tc.apiType, "anything: [at all")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if d.Raw != "anything: [at all" || d.Highlighted != "" || len(d.Groups) != 0 || len(d.Channels) != 0 {
				t.Errorf("want raw text only, got %+v", d)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	seeds := []struct{ typ, def string }{
		{"openapi", "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      tags: [x]\n      responses: {'200': {description: ok}}\n"},
		{"openapi", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {200: {description: ok}}\n"},
		{"openapi", `{"openapi":"3.1.0","info":{"title":"t","version":"1"},"webhooks":{"w":{"post":{}}}}`},
		{"asyncapi", "asyncapi: 2.0.0\nchannels:\n  a:\n    publish:\n      message: {oneOf: [{$ref: '#/x/y'}, {name: m}]}\n"},
		{"asyncapi", "asyncapi: 3.0.0\nchannels: {c: {address: a}}\noperations: {o: {action: send, channel: {$ref: '#/channels/c'}}}\n"},
		{"graphql", "type Query { a: Int }"},
		{"grpc", "syntax = \"proto3\";\nservice S { rpc A (B) returns (C); }"},
		{"trpc", "export const x = 1"},
	}
	for _, s := range seeds {
		f.Add(s.typ, s.def)
	}
	f.Fuzz(func(t *testing.T, apiType, def string) {
		d, err := Parse(apiType, def)
		if d == nil {
			t.Fatal("nil Definition")
		}
		if d.Raw != def {
			t.Fatal("Raw differs from input")
		}
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
		}
	})
}

func findOperation(d *Definition, method, path string) (*Operation, string) {
	for _, g := range d.Groups {
		for i := range g.Operations {
			if g.Operations[i].Method == method && g.Operations[i].Path == path {
				return &g.Operations[i], g.Tag
			}
		}
	}
	return nil, ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestParseOpenAPIDetails(t *testing.T) {
	def := `{
  "openapi": "3.0.3",
  "info": {"title": "Orders", "version": "2.1.0", "description": "Order handling"},
  "servers": [{"url": "https://orders.example.com/v2"}],
  "tags": [{"name": "orders", "description": "Order operations"}, {"name": "unused"}, {"name": "admin"}],
  "paths": {
    "/orders/{id}": {
      "summary": "One order",
      "parameters": [
        {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
        {"name": "trace", "in": "header", "schema": {"type": "boolean"}}
      ],
      "get": {
        "tags": ["orders"],
        "operationId": "getOrder",
        "parameters": [{"name": "id", "in": "path", "required": true, "description": "Order id", "schema": {"type": "integer", "format": "int64"}}],
        "responses": {"default": {"description": "error"}, "404": {"description": "missing"}, "200": {"description": "the order"}, "2XX": {"description": "fine"}}
      },
      "delete": {"tags": ["orders", "admin"], "deprecated": true, "responses": {"204": {"description": "gone"}}}
    },
    "/health": {
      "get": {"summary": "Health", "responses": {"200": {"description": "ok"}}}
    },
    "/orders": {
      "post": {
        "tags": ["orders"],
        "requestBody": {"content": {"application/xml": {}, "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}}}}},
        "responses": {"201": {"description": "created"}}
      }
    }
  },
  "components": {"schemas": {"Order": {"type": "object"}}}
}`
	d, err := Parse("openapi", def)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	var groups []string
	for _, g := range d.Groups {
		var ops []string
		for _, op := range g.Operations {
			ops = append(ops, op.Method+" "+op.Path)
		}
		groups = append(groups, g.Tag+"="+strings.Join(ops, ","))
	}
	get, _ := findOperation(d, "GET", "/orders/{id}")
	del, _ := findOperation(d, "DELETE", "/orders/{id}")
	post, _ := findOperation(d, "POST", "/orders")
	if get == nil || del == nil || post == nil {
		t.Fatalf("operations missing: %v", groups)
	}
	var params []string
	for _, p := range get.Parameters {
		params = append(params, fmt.Sprintf("%s %s %s %v %s", p.In, p.Name, p.Type, p.Required, p.Description))
	}
	var codes []string
	for _, r := range get.Responses {
		codes = append(codes, r.Code+":"+r.Description)
	}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"title", d.Title, "Orders"},
		{"version", d.Version, "2.1.0"},
		{"description", d.Description, "Order handling"},
		{"servers", strings.Join(d.Servers, ","), "https://orders.example.com/v2"},
		{"groups: declared order, unused dropped, untagged last", strings.Join(groups, " | "),
			"orders=POST /orders,GET /orders/{id},DELETE /orders/{id} | admin=DELETE /orders/{id} | default=GET /health"},
		{"group description", d.Groups[0].Description, "Order operations"},
		{"operation parameter replaces path parameter", strings.Join(params, " | "),
			"path id integer (int64) true Order id | header trace boolean false "},
		{"path summary is the fallback", get.Summary, "One order"},
		{"responses sorted", strings.Join(codes, ","), "200:the order,2XX:fine,404:missing,default:error"},
		{"deprecated", fmt.Sprint(del.Deprecated), "true"},
		{"operation id", get.OperationID, "getOrder"},
		{"request body media types sorted", strings.Join(post.RequestBody, ","), "application/json,application/xml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}
