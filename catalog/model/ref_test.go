package model

import (
	"errors"
	"testing"
)

func TestParseRef(t *testing.T) {
	notOnForm := func(s string) string {
		return "Entity reference " + s + " was not on the form [<kind>:][<namespace>/]<name>"
	}
	missingKind := func(s string) string {
		return "Entity reference " + s + ` had missing or empty kind (e.g. did not start with "component:" or similar)`
	}
	cases := []struct {
		name    string
		in      string
		ctx     RefContext
		want    Ref
		str     string
		wantErr string
	}{
		{"full", "component:default/foo", RefContext{}, Ref{"component", "default", "foo"}, "component:default/foo", ""},
		{"case kept, string lowered", "Component:Prod/MyService", RefContext{}, Ref{"Component", "Prod", "MyService"}, "component:prod/myservice", ""},
		{"default kind", "team-a", RefContext{DefaultKind: "Group"}, Ref{"Group", "default", "team-a"}, "group:default/team-a", ""},
		{"default kind and namespace", "team-a", RefContext{DefaultKind: "Group", DefaultNamespace: "ops"}, Ref{"Group", "ops", "team-a"}, "group:ops/team-a", ""},
		{"explicit namespace wins", "other/team-a", RefContext{DefaultKind: "Group", DefaultNamespace: "ops"}, Ref{"Group", "other", "team-a"}, "group:other/team-a", ""},
		{"explicit kind wins", "user:guest", RefContext{DefaultKind: "Group"}, Ref{"user", "default", "guest"}, "user:default/guest", ""},
		{"kind without namespace takes context namespace", "user:guest", RefContext{DefaultKind: "Group", DefaultNamespace: "dev"}, Ref{"user", "dev", "guest"}, "user:dev/guest", ""},
		{"slash before colon: rest is the name", "ns/a:b", RefContext{DefaultKind: "Component"}, Ref{"Component", "ns", "a:b"}, "component:ns/a:b", ""},
		{"name keeps further slashes", "component:default/a/b", RefContext{}, Ref{"component", "default", "a/b"}, "component:default/a/b", ""},
		{"e-mail looking name", "web@example.com", RefContext{DefaultKind: "Group"}, Ref{"Group", "default", "web@example.com"}, "group:default/web@example.com", ""},
		{"spaces are not trimmed", " team-a", RefContext{DefaultKind: "Group"}, Ref{"Group", "default", " team-a"}, "group:default/ team-a", ""},
		{"dotted I lowers like JavaScript", "group:default/\u0130stanbul", RefContext{}, Ref{"group", "default", "\u0130stanbul"}, "group:default/i\u0307stanbul", ""},
		{"empty", "", RefContext{DefaultKind: "Group"}, Ref{}, "", "Entity reference must not be empty"},
		{"empty kind", ":default/admin", RefContext{DefaultKind: "Group"}, Ref{}, "", notOnForm(`":default/admin"`)},
		{"empty namespace", "user:/admin", RefContext{}, Ref{}, "", notOnForm(`"user:/admin"`)},
		{"empty name after slash", "user:default/", RefContext{}, Ref{}, "", notOnForm(`"user:default/"`)},
		{"empty name after colon", "user:", RefContext{}, Ref{}, "", notOnForm(`"user:"`)},
		{"no kind and no default", "admin", RefContext{}, Ref{}, "", missingKind(`"admin"`)},
		{"namespace but no kind", "admin/guest", RefContext{}, Ref{}, "", missingKind(`"admin/guest"`)},
		{"three parts without kind", "admin/guest/somewhere", RefContext{}, Ref{}, "", missingKind(`"admin/guest/somewhere"`)},
		{"quotes are JSON-escaped", `a"b`, RefContext{}, Ref{}, "", missingKind(`"a\"b"`)},
		{"HTML characters are not escaped", "<x>", RefContext{}, Ref{}, "", missingKind(`"<x>"`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseRef(tc.in, tc.ctx)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseRef(%q) = %v, want error %q", tc.in, got, tc.wantErr)
				}
				if err.Error() != tc.wantErr {
					t.Errorf("error = %q, want %q", err.Error(), tc.wantErr)
				}
				if !errors.Is(err, ErrInvalidRef) {
					t.Errorf("error does not wrap ErrInvalidRef")
				}
				var re *RefError
				if !errors.As(err, &re) || re.Input != tc.in {
					t.Errorf("error is not a *RefError for %q: %#v", tc.in, err)
				}
				if got != (Ref{}) {
					t.Errorf("ref = %#v on error, want zero", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRef(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("ParseRef(%q) = %#v, want %#v", tc.in, got, tc.want)
			}
			if s := got.String(); s != tc.str {
				t.Errorf("String() = %q, want %q", s, tc.str)
			}
			if k := got.Key(); k != tc.str {
				t.Errorf("Key() = %q, want %q", k, tc.str)
			}
		})
	}
}

func TestRefStringAndEntityRef(t *testing.T) {
	cases := []struct {
		name   string
		entity Entity
		want   Ref
		str    string
	}{
		{"namespace set", Entity{Kind: "Component", Metadata: Metadata{Name: "Foo", Namespace: "Bar"}},
			Ref{"Component", "Bar", "Foo"}, "component:bar/foo"},
		{"namespace defaulted", Entity{Kind: "API", Metadata: Metadata{Name: "petstore"}},
			Ref{"API", "default", "petstore"}, "api:default/petstore"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.entity.Ref()
			if got != tc.want {
				t.Errorf("Ref() = %#v, want %#v", got, tc.want)
			}
			if got.String() != tc.str || got.Key() != tc.str {
				t.Errorf("String() = %q, Key() = %q, want %q", got.String(), got.Key(), tc.str)
			}
			if got.IsZero() {
				t.Errorf("IsZero() = true")
			}
		})
	}
	if !(Ref{}).IsZero() {
		t.Errorf("zero Ref is not IsZero")
	}
	if got := (Ref{Kind: "Group", Name: "x"}).String(); got != "group:default/x" {
		t.Errorf("String() without namespace = %q", got)
	}
}
