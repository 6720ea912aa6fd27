// Package static embeds Keelson's stylesheets, scripts and images and serves
// them under content-hashed URLs, so browsers may cache them for a year and
// still never see a stale file after an upgrade.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"
)

// files holds the assets shipped in the binary; Go sources and the README
// stay out because only these directories are embedded.
//
//go:embed css js img
var files embed.FS

// Prefix is the URL path under which Handler serves the assets.
const Prefix = "/static/"

// hashLen is how many hex digits of the SHA-256 digest go into a URL.
const hashLen = 8

// immutable is the Cache-Control value for content-hashed URLs: the content
// behind such a URL can never change, so it may be cached for a year.
const immutable = "public, max-age=31536000, immutable"

// asset is one embedded file with the data needed to serve it.
type asset struct {
	name        string // path inside the embedded tree, e.g. "css/app.css"
	hashed      string // hashed path, e.g. "css/app.3f9c2a1b.css"
	body        []byte
	etag        string
	contentType string
}

// Assets serves the embedded files under content-hashed URLs. It is safe for
// concurrent use; it is never modified after New returns.
type Assets struct {
	byName   map[string]*asset
	byHashed map[string]*asset
}

// New reads and hashes every embedded file once.
func New() (*Assets, error) {
	return newFromFS(files)
}

// newFromFS builds an Assets from any file system; tests use it to check the
// hashing rules on files of their own.
func newFromFS(fsys fs.FS) (*Assets, error) {
	a := &Assets{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("static: read %s: %w", name, err)
		}
		sum := sha256.Sum256(body)
		digest := hex.EncodeToString(sum[:])[:hashLen]
		f := &asset{
			name:        name,
			hashed:      hashedName(name, digest),
			body:        body,
			etag:        `"` + digest + `"`,
			contentType: contentType(name),
		}
		a.byName[f.name] = f
		a.byHashed[f.hashed] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static: hash embedded files: %w", err)
	}
	return a, nil
}

// hashedName inserts the digest before the last extension:
// "js/htmx.min.js" becomes "js/htmx.min.<digest>.js".
func hashedName(name, digest string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + digest + ext
}

// contentType names the media type of a file by its extension, with explicit
// values for the types Keelson ships so the answer does not depend on the
// host's mime tables.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	case ".woff2":
		return "font/woff2"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// Path returns the content-hashed URL of an embedded file, for example
// "css/app.css" -> "/static/css/app.3f9c2a1b.css". For a name that is not
// embedded it returns the unhashed URL "/static/<name>", which Handler answers
// with 404: a misspelt asset then shows up as a broken link in page and
// browser tests instead of crashing a request.
func (a *Assets) Path(name string) string {
	name = strings.TrimPrefix(name, "/")
	if f, ok := a.byName[name]; ok {
		return Prefix + f.hashed
	}
	return Prefix + name
}

// Names lists the embedded files by their plain names, sorted.
func (a *Assets) Names() []string {
	names := make([]string, 0, len(a.byName))
	for n := range a.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Handler serves "/static/<hashed name>" with a one-year immutable
// Cache-Control header, an ETag and the right Content-Type; any other path,
// including a file's unhashed name, is 404. It expects the full request path
// (mount it at Prefix without stripping).
func (a *Assets) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		rel, ok := strings.CutPrefix(r.URL.Path, Prefix)
		if !ok {
			http.NotFound(w, r)
			return
		}
		f, ok := a.byHashed[rel]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.contentType)
		h.Set("Cache-Control", immutable)
		h.Set("ETag", f.etag)
		h.Set("X-Content-Type-Options", "nosniff")
		http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(f.body))
	})
}
