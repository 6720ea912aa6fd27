package descriptor

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// Resolve returns the absolute target for a reference relative to base (a
// file path or a URL): ./x.yaml relative to a file's directory, or to a URL
// (GitHub/GitLab blob URLs resolve like paths).
//
// It follows Backstage's integrations: an absolute URL target is returned
// verbatim; a relative one is resolved against the base URL, treating the
// base's last segment as a file, and takes the base's query string; a target
// starting with "/" is relative to the repository root for GitHub and GitLab
// URLs, and to the host otherwise. For a file base, a target starting with "/"
// is an absolute path; a base ending in a path separator names a directory.
func Resolve(base, target string) (string, error) {
	if target == "" {
		return "", errors.New("empty target")
	}
	if isAbsoluteURL(target) {
		return target, nil
	}
	if bu, ok := parseHTTPURL(base); ok {
		return resolveURL(bu, target)
	}
	if isAbsoluteURL(base) {
		return "", fmt.Errorf("cannot resolve %q against %q: only http(s) URLs and file paths are supported", target, base)
	}
	if filepath.IsAbs(target) {
		return filepath.Clean(target), nil
	}
	if base == "" {
		return "", fmt.Errorf("cannot resolve relative target %q without a base", target)
	}
	dir := base
	if !strings.HasSuffix(base, "/") && !strings.HasSuffix(base, string(filepath.Separator)) {
		dir = filepath.Dir(base)
	}
	abs, err := filepath.Abs(filepath.Join(dir, filepath.FromSlash(target)))
	if err != nil {
		return "", fmt.Errorf("cannot resolve %q against %q: %w", target, base, err)
	}
	return abs, nil
}

// isAbsoluteURL reports whether s parses as a URL with a scheme, as
// JavaScript's new URL(s) would accept it.
func isAbsoluteURL(s string) bool {
	i := strings.IndexByte(s, ':')
	if i < 1 {
		return false
	}
	for j := 0; j < i; j++ {
		c := s[j]
		letter := (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !letter && (j == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	_, err := url.Parse(s)
	return err == nil
}

// resolveURL resolves a relative target against an http(s) base URL.
func resolveURL(base *url.URL, target string) (string, error) {
	ref, err := url.Parse(target)
	if err != nil {
		return "", fmt.Errorf("cannot resolve %q against %s: %w", target, base.Redacted(), err)
	}
	out := base.ResolveReference(ref)
	if strings.HasPrefix(target, "/") && !strings.HasPrefix(target, "//") {
		if root := repoRoot(base); root != "" {
			out.Path = root + out.Path
			out.RawPath = ""
		}
	}
	out.RawQuery = base.RawQuery
	return out.String(), nil
}

// repoRoot returns the path prefix of a repository's root for GitHub and
// GitLab file URLs ("/o/r/blob/main" for https://github.com/o/r/blob/main/x),
// or "" when the URL is not one.
func repoRoot(u *url.URL) string {
	segs := strings.Split(strings.TrimPrefix(u.Path, "/"), "/")
	host := strings.ToLower(u.Hostname())
	switch {
	case host == "github.com" && len(segs) >= 4 && (segs[2] == "blob" || segs[2] == "tree" || segs[2] == "edit"):
		return "/" + strings.Join(segs[:4], "/")
	case host == "raw.githubusercontent.com" && len(segs) >= 3:
		return "/" + strings.Join(segs[:3], "/")
	}
	for i := 1; i+2 < len(segs); i++ {
		if segs[i] == "-" && (segs[i+1] == "blob" || segs[i+1] == "tree" || segs[i+1] == "raw") {
			return "/" + strings.Join(segs[:i+3], "/")
		}
	}
	return ""
}
