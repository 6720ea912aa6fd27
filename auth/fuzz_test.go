package auth_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/keelson-dev/keelson/auth"
)

func FuzzSafeReturnTo(f *testing.F) {
	for _, s := range []string{"/", "/catalog?kind=api", "//evil.example", "/\\evil", "https://x", "/auth/login",
		"/%2e%2e/x", "/x\ny", "\x00", "/a?b=//c", "/.//evil", "/ /evil"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://portal.example.com/some/page")
	f.Fuzz(func(t *testing.T, raw string) {
		got := auth.SafeReturnTo(raw)
		if got != "/" && got != raw {
			t.Fatalf("SafeReturnTo(%q) = %q: must be the input or /", raw, got)
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\r\n\t") {
			t.Fatalf("SafeReturnTo(%q) = %q is not a plain same-site path", raw, got)
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("SafeReturnTo(%q) = %q does not parse: %v", raw, got, err)
		}
		if r := base.ResolveReference(u); r.Host != base.Host || r.Scheme != base.Scheme {
			t.Fatalf("SafeReturnTo(%q) = %q leaves the site: %s", raw, got, r)
		}
	})
}

func FuzzParseBearer(f *testing.F) {
	for _, s := range []string{"Bearer kst_abc", "bearer x==", "Basic abc", "Bearer", "Bearer a b", "Bearer \x00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		tok, ok := auth.ParseBearer(header)
		if !ok {
			if tok != "" {
				t.Fatalf("ParseBearer(%q) = %q with ok false", header, tok)
			}
			return
		}
		if tok == "" || len(tok) > 512 || strings.ContainsAny(tok, " \t\r\n") || !strings.Contains(header, tok) {
			t.Fatalf("ParseBearer(%q) = %q", header, tok)
		}
		if again, ok := auth.ParseBearer("Bearer " + tok); !ok || again != tok {
			t.Fatalf("ParseBearer does not round-trip %q", tok)
		}
	})
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"actor=user:default/ada&action=sign-in", "since=2026-01-02&until=2026-01-03",
		"limit=10&before=5", "since=2026-01-02T10:00:00Z", "limit=-1", "until=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		filter, err := auth.ParseFilter(q)
		if err != nil {
			return
		}
		if filter.Limit < 0 || filter.Before < 0 {
			t.Fatalf("ParseFilter(%q) = %+v: negative numbers", query, filter)
		}
	})
}
