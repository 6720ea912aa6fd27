package descriptor

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// maxBracePatterns bounds the patterns one glob's {a,b} alternatives expand to.
const maxBracePatterns = 1024

// Expand turns a location target into the descriptor files it names: a file
// path, a glob with ** (e.g. /repo/**/catalog-info.yaml), a directory (every
// catalog-info.yaml / catalog-info.yml below it, sorted), or an http(s) URL
// (returned as is). Relative targets are resolved against base, which may be
// a directory, the descriptor file that names the target, or a URL; an empty
// base means the working directory. Results are sorted for determinism. A
// glob or directory that matches nothing returns an empty list, no error; a
// plain file path is returned even when missing, so reading it reports
// ErrNotFound.
//
// Globs follow the rules of the glob package Backstage uses: * and ? stay
// within one path segment, ** spans any number of directories, [a-z] and
// {a,b} alternatives work, and names starting with a dot are matched only by
// a pattern segment that starts with a dot. Directory scans skip .git and
// node_modules.
func Expand(base, target string) ([]string, error) {
	if target == "" {
		return nil, errors.New("empty location target")
	}
	if _, ok := parseHTTPURL(target); ok {
		return []string{target}, nil
	}
	if _, ok := parseHTTPURL(base); ok {
		u, err := Resolve(base, target)
		if err != nil {
			return nil, err
		}
		return []string{u}, nil
	}
	if isAbsoluteURL(target) {
		return nil, fmt.Errorf("unsupported location target %q: want a file path, a glob, a directory or an http(s) URL", target)
	}
	abs, err := resolveLocal(base, target)
	if err != nil {
		return nil, err
	}
	info, statErr := os.Stat(abs)
	switch {
	case statErr == nil && info.IsDir():
		return scanDir(abs)
	case statErr == nil:
		return []string{abs}, nil
	case strings.ContainsAny(abs, "*?[{"):
		return glob(abs)
	default:
		return []string{abs}, nil
	}
}

// resolveLocal resolves a file-system target against base.
func resolveLocal(base, target string) (string, error) {
	if base == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", fmt.Errorf("resolve %q: %w", target, err)
		}
		base = wd + string(filepath.Separator)
	} else if info, err := os.Stat(base); err == nil && info.IsDir() {
		base = strings.TrimSuffix(base, string(filepath.Separator)) + string(filepath.Separator)
	}
	return Resolve(base, target)
}

// scanDir lists every catalog-info.yaml and catalog-info.yml below dir.
func scanDir(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			// An unreadable subdirectory hides only its own files.
			return nil
		}
		if e.IsDir() {
			if p != dir && (e.Name() == ".git" || e.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if e.Name() == "catalog-info.yaml" || e.Name() == "catalog-info.yml" {
			if e.Type().IsRegular() || isRegularFile(p) {
				out = append(out, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", dir, err)
	}
	sort.Strings(out)
	return out, nil
}

func isRegularFile(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular()
}

// glob returns the regular files matching an absolute pattern, sorted.
func glob(pattern string) ([]string, error) {
	patterns, err := expandBraces(filepath.ToSlash(pattern))
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	for _, p := range patterns {
		segs := strings.Split(p, "/")
		// The literal prefix is where the walk starts.
		i := 0
		for i < len(segs) && !strings.ContainsAny(segs[i], "*?[") {
			i++
		}
		root := strings.Join(segs[:i], "/")
		if root == "" {
			root = "/"
		}
		for _, s := range segs[i:] {
			if s != "**" {
				if _, err := path.Match(s, ""); err != nil {
					return nil, fmt.Errorf("invalid glob %q: %w", pattern, err)
				}
			}
		}
		matchSegments(filepath.FromSlash(root), segs[i:], found)
	}
	out := make([]string, 0, len(found))
	for p := range found {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}

// matchSegments adds to found the regular files below dir that match segs.
func matchSegments(dir string, segs []string, found map[string]bool) {
	if len(segs) == 0 {
		if isRegularFile(dir) {
			found[dir] = true
		}
		return
	}
	seg := segs[0]
	if seg == "**" {
		matchSegments(dir, segs[1:], found)
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			// ** does not enter hidden directories or follow symbolic links,
			// so a link loop cannot make the walk endless.
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				matchSegments(filepath.Join(dir, e.Name()), segs, found)
			}
		}
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") && !strings.HasPrefix(seg, ".") {
			continue
		}
		if ok, _ := path.Match(seg, name); !ok {
			continue
		}
		matchSegments(filepath.Join(dir, name), segs[1:], found)
	}
}

// expandBraces expands {a,b} alternatives, innermost groups included.
func expandBraces(p string) ([]string, error) {
	out := []string{}
	work := []string{p}
	for len(work) > 0 {
		cur := work[len(work)-1]
		work = work[:len(work)-1]
		open, close := braceGroup(cur)
		if open < 0 {
			out = append(out, cur)
			if len(out) > maxBracePatterns {
				return nil, fmt.Errorf("glob %q expands to more than %d patterns", p, maxBracePatterns)
			}
			continue
		}
		for _, alt := range splitAlternatives(cur[open+1 : close]) {
			work = append(work, cur[:open]+alt+cur[close+1:])
			if len(work) > maxBracePatterns {
				return nil, fmt.Errorf("glob %q expands to more than %d patterns", p, maxBracePatterns)
			}
		}
	}
	return out, nil
}

// braceGroup finds the first top-level {…} group that contains a comma.
func braceGroup(s string) (int, int) {
	for i := 0; i < len(s); i++ {
		if s[i] != '{' {
			continue
		}
		depth, comma := 0, false
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '{':
				depth++
			case '}':
				depth--
				if depth == 0 {
					if comma {
						return i, j
					}
					j = len(s)
				}
			case ',':
				if depth == 1 {
					comma = true
				}
			}
		}
	}
	return -1, -1
}

// splitAlternatives splits a brace group's body on its top-level commas.
func splitAlternatives(body string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, body[start:i])
				start = i + 1
			}
		}
	}
	return append(out, body[start:])
}
