package model

import (
	"strings"
	"unicode/utf8"
)

// The field format rules below are Backstage's default validators
// (KubernetesValidatorFunctions and CommonValidatorFunctions, combined by makeValidator and
// applied by FieldFormatEntityPolicy). The expectation texts are the ones that policy prints.
const (
	expectObjectName = "a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total"
	expectPrefix     = "a valid prefix and/or suffix"
	expectDNSLabel   = "a string that is sequences of [a-z0-9] separated by [-], at most 63 characters in total"
	expectTag        = "a string that is sequences of [a-z0-9+#] separated by [-], at most 63 characters in total"
	expectKind       = "a string that is a sequence of [a-zA-Z][a-z0-9A-Z], at most 63 characters in total"
	expectURL        = "a string that is a valid url"
	expectString     = "a non empty string"
	// Backstage replaced the object-name check on link icons with an icon check that also
	// accepts colons (backstage/backstage#29959, for icons such as "kind:api"). The stored
	// sources did not include that function, so this expectation text is written from the
	// rule it enforces.
	expectIcon = "a string that is sequences of [a-zA-Z0-9] separated by any of [-_.:], at most 63 characters in total"
)

// isValidObjectName: 1-63 characters, [A-Za-z0-9] at both ends, [-A-Za-z0-9_.] inside.
func isValidObjectName(s string) bool {
	return isSeparatedName(s, func(c byte) bool { return c == '-' || c == '_' || c == '.' })
}

// isValidIcon is isValidObjectName with ':' also allowed inside.
func isValidIcon(s string) bool {
	return isSeparatedName(s, func(c byte) bool { return c == '-' || c == '_' || c == '.' || c == ':' })
}

func isSeparatedName(s string, inner func(byte) bool) bool {
	if len(s) < 1 || len(s) > 63 {
		return false
	}
	if !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if !isAlnum(s[i]) && !inner(s[i]) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isLowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// isDashSeparated: runs of allowed characters separated by single '-', 1-63 characters.
func isDashSeparated(s string, allowed func(byte) bool) bool {
	if len(s) < 1 || len(s) > 63 {
		return false
	}
	prevDash := true // a leading '-' is invalid
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-':
			if prevDash {
				return false
			}
			prevDash = true
		case allowed(c):
			prevDash = false
		default:
			return false
		}
	}
	return !prevDash
}

// isValidDNSLabel: RFC 1123 label, lower case, at most 63 characters.
func isValidDNSLabel(s string) bool { return isDashSeparated(s, isLowerAlnum) }

// isValidTag: runs of [a-z0-9+#] separated by single '-', at most 63 characters.
func isValidTag(s string) bool {
	return isDashSeparated(s, func(c byte) bool { return isLowerAlnum(c) || c == '+' || c == '#' })
}

// isValidDNSSubdomain: dot-separated DNS labels, at most 253 characters.
func isValidDNSSubdomain(s string) bool {
	if len(s) < 1 || len(s) > 253 {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if !isValidDNSLabel(part) {
			return false
		}
	}
	return true
}

// isValidPrefixAndOrSuffix accepts "suffix" or "prefix/suffix", checking each part.
func isValidPrefixAndOrSuffix(s string, prefix, suffix func(string) bool) bool {
	parts := strings.Split(s, "/")
	switch len(parts) {
	case 1:
		return suffix(parts[0])
	case 2:
		return prefix(parts[0]) && suffix(parts[1])
	}
	return false
}

// isValidAPIVersion: optional DNS-subdomain group, then a 1-63 character alphanumeric version.
func isValidAPIVersion(s string) bool {
	return isValidPrefixAndOrSuffix(s, isValidDNSSubdomain, func(v string) bool {
		if len(v) < 1 || len(v) > 63 {
			return false
		}
		for i := 0; i < len(v); i++ {
			if !isAlnum(v[i]) {
				return false
			}
		}
		return true
	})
}

// isValidKind: a letter followed by letters and digits, at most 63 characters.
func isValidKind(s string) bool {
	if len(s) < 1 || len(s) > 63 {
		return false
	}
	c := s[0]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

// isValidLabelKey and isValidAnnotationKey: optional DNS-subdomain prefix, object-name suffix.
func isValidLabelKey(s string) bool {
	return isValidPrefixAndOrSuffix(s, isValidDNSSubdomain, isValidObjectName)
}

// isValidLabelValue: empty, or an object name.
func isValidLabelValue(s string) bool { return s == "" || isValidObjectName(s) }

// isValidNonBlank: a string with something other than whitespace, as JavaScript's trim sees it.
func isValidNonBlank(s string) bool {
	return strings.TrimFunc(s, isJSWhitespace) != ""
}

func isJSWhitespace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// isValidURL approximates the WHATWG URL parser Backstage uses (new URL(value) must not
// throw): after trimming C0 control characters and spaces, the value needs a scheme; the
// special schemes other than file need a non-empty host made of allowed code points and,
// when present, a numeric port of at most 65535.
func isValidURL(s string) bool {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, s)
	}
	colon := strings.IndexByte(s, ':')
	if colon < 1 {
		return false
	}
	scheme := s[:colon]
	if !(scheme[0] >= 'a' && scheme[0] <= 'z' || scheme[0] >= 'A' && scheme[0] <= 'Z') {
		return false
	}
	for i := 1; i < len(scheme); i++ {
		c := scheme[i]
		if !isAlnum(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	switch strings.ToLower(scheme) {
	case "http", "https", "ws", "wss", "ftp":
	default:
		return true
	}
	rest := strings.TrimLeft(s[colon+1:], `/\`)
	end := strings.IndexAny(rest, `/?#\`)
	if end == -1 {
		end = len(rest)
	}
	authority := rest[:end]
	if at := strings.LastIndexByte(authority, '@'); at != -1 {
		authority = authority[at+1:]
	}
	host, port := authority, ""
	if strings.HasPrefix(host, "[") {
		closing := strings.IndexByte(host, ']')
		if closing == -1 {
			return false
		}
		host, port = host[:closing+1], strings.TrimPrefix(host[closing+1:], ":")
		if closing+1 < len(authority) && authority[closing+1] != ':' {
			return false
		}
	} else if i := strings.LastIndexByte(host, ':'); i != -1 {
		host, port = host[:i], host[i+1:]
	}
	if host == "" || !utf8.ValidString(host) {
		return false
	}
	if !strings.HasPrefix(host, "[") && strings.ContainsAny(host, " #%/:<>?@[\\]^|") {
		return false
	}
	if port != "" {
		n := 0
		for i := 0; i < len(port); i++ {
			if port[i] < '0' || port[i] > '9' {
				return false
			}
			n = n*10 + int(port[i]-'0')
			if n > 65535 {
				return false
			}
		}
	}
	return true
}
