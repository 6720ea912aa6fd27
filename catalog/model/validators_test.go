package model

import (
	"strings"
	"testing"
)

func TestFieldFormatValidators(t *testing.T) {
	type check struct {
		in   string
		want bool
	}
	cases := []struct {
		name   string
		fn     func(string) bool
		checks []check
	}{
		{"object name", isValidObjectName, []check{
			{"a", true}, {"a-b_c.d", true}, {"A1", true}, {strings.Repeat("a", 63), true},
			{"", false}, {strings.Repeat("a", 64), false}, {"-a", false}, {"a-", false}, {"a b", false},
			{"a!", false}, {"é", false}, {"${{ x }}", false},
		}},
		{"icon", isValidIcon, []check{
			{"kind:api", true}, {"dashboard", true}, {"a:b:c", true}, {":a", false}, {"a:", false}, {"bad icon", false},
		}},
		{"DNS label", isValidDNSLabel, []check{
			{"a", true}, {"a-b", true}, {"a1", true}, {strings.Repeat("a", 63), true},
			{"", false}, {"-a-b", false}, {"a-b-", false}, {"a--b", false}, {"a_b", false}, {"Prod", false}, {strings.Repeat("a", 64), false},
		}},
		{"tag", isValidTag, []check{
			{"java", true}, {"c++", true}, {"c#", true}, {"go-1", true}, {"a-b-c", true},
			{"Java", false}, {"go 1.15.3", false}, {"go1.15", false}, {"-a", false}, {"a--b", false}, {"", false}, {strings.Repeat("t", 64), false},
		}},
		{"DNS subdomain", isValidDNSSubdomain, []check{
			{"adam.bertil.caesar", true}, {"adam.ber-til.caesar", true}, {"a." + strings.Repeat("b", 63) + ".c", true},
			{"adam.-bertil.caesar", false}, {"adam.bertil-.caesar", false}, {"adam/bertil.caesar", false},
			{"a." + strings.Repeat("b", 64) + ".c", false},
			{strings.Repeat("a", 63) + "." + strings.Repeat("a", 63) + "." + strings.Repeat("a", 63) + "." + strings.Repeat("a", 61), true},
			{strings.Repeat("a", 63) + "." + strings.Repeat("a", 63) + "." + strings.Repeat("a", 63) + "." + strings.Repeat("a", 62), false},
		}},
		{"apiVersion", isValidAPIVersion, []check{
			{"backstage.io/v1alpha1", true}, {"my-company.net/v1", true}, {"v1", true}, {"invalid.version.io/v5", true},
			{"1.0", false}, {"a/b/c", false}, {"Backstage.io/v1", false}, {"backstage.io/v1-alpha", false}, {"", false},
		}},
		{"kind", isValidKind, []check{
			{"Component", true}, {"API", true}, {"x1", true}, {"1x", false}, {"My-Kind", false}, {"", false}, {strings.Repeat("K", 64), false},
		}},
		{"label key", isValidLabelKey, []check{
			{"goVersion", true}, {"backstage.io/custom", true}, {"example.com/a_b", true},
			{"Example.com/x", false}, {"a/b/c", false}, {"bad key", false}, {"/x", false}, {"x/", false},
		}},
		{"label value", isValidLabelValue, []check{
			{"", true}, {"go1.15.3", true}, {"Gold", true}, {"-x", false}, {"a b", false},
		}},
		{"non-blank string", isValidNonBlank, []check{
			{"abc", true}, {" abc ", true}, {"", false}, {"   ", false}, {"\t\u00a0\u3000", false},
		}},
		{"URL", isValidURL, []check{
			{"http://foo", true}, {"https://www.foo.com/", true}, {"https://foo.com:8080", true},
			{"https://foo:8080/sub/page?query=value&another=val", true}, {"https://foo.com/page#fragment", true},
			{"ftp://ftp.some.domain.com/path", true}, {"xyz://custom-protocol:4444/path", true},
			{"https:content-management.io", true}, {"mailto:team@example.com", true}, {"https://user:pw@host/x", true},
			{"http://[::1]:8080/", true}, {"  https://x  ", true}, {"https://ex\tample.com/", true},
			{"", false}, {"abc", false}, {"   abc", false}, {"/relative/path", false}, {"http://", false},
			{"https://bad host/", false}, {"https://host:99999/", false}, {"https://host:8a/", false}, {"1http://x", false},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, c := range tc.checks {
				if got := tc.fn(c.in); got != c.want {
					t.Errorf("%s(%q) = %v, want %v", tc.name, c.in, got, c.want)
				}
			}
		})
	}
}
