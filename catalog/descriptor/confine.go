package descriptor

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// ErrNotAllowed is wrapped by a confined Fetcher when a target lies outside
// the directories it may read.
var ErrNotAllowed = errors.New("outside the allowed directories")

// Confine returns a Fetcher that reads local files only below one of roots
// (after resolving symbolic links) and passes URLs to fetch unchanged. Use it
// for descriptors from a repository checkout, so a "$text: ../../etc/passwd"
// cannot read the server's files.
func Confine(fetch Fetcher, roots ...string) Fetcher {
	clean := make([]string, 0, len(roots))
	for _, r := range roots {
		if abs, err := filepath.Abs(r); err == nil {
			if real, err := filepath.EvalSymlinks(abs); err == nil {
				abs = real
			}
			clean = append(clean, filepath.Clean(abs))
		}
	}
	return &confined{fetch: fetch, roots: clean}
}

type confined struct {
	fetch Fetcher
	roots []string
}

// Fetch reads target when it is a URL or a file below one of the roots.
func (c *confined) Fetch(ctx context.Context, target string) ([]byte, error) {
	if _, ok := parseHTTPURL(target); ok {
		return c.fetch.Fetch(ctx, target)
	}
	if !filepath.IsAbs(target) {
		return nil, fmt.Errorf("cannot read %q: want an absolute file path or an http(s) URL", target)
	}
	p := filepath.Clean(target)
	if real, err := filepath.EvalSymlinks(p); err == nil {
		p = real
	}
	for _, r := range c.roots {
		if p == r || strings.HasPrefix(p, r+string(filepath.Separator)) {
			return c.fetch.Fetch(ctx, p)
		}
	}
	return nil, fmt.Errorf("could not read %s: %w", target, ErrNotAllowed)
}
