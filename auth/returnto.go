package auth

import (
	"net/url"
	"strings"
)

// maxReturnTo bounds the remembered path.
const maxReturnTo = 2048

// SafeReturnTo returns raw when it is a path on this site ("/catalog?kind=api"), and "/" for
// anything else: absolute or scheme-relative URLs, backslashes (which browsers treat as slashes),
// control characters, or paths under /auth/ (which would loop back into sign-in).
func SafeReturnTo(raw string) string {
	if raw == "" || len(raw) > maxReturnTo || raw[0] != '/' {
		return "/"
	}
	if len(raw) > 1 && (raw[1] == '/' || raw[1] == '\\') {
		return "/"
	}
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	if p := u.Path; p == "/auth" || strings.HasPrefix(p, "/auth/") {
		return "/"
	}
	return raw
}
