package descriptor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Fetcher reads the bytes of an absolute file path or an http(s) URL.
type Fetcher interface {
	Fetch(ctx context.Context, target string) ([]byte, error)
}

// ErrNotFound is wrapped by Fetch when the file or URL does not exist (HTTP 404).
var ErrNotFound = errors.New("not found")

// ErrTooLarge is wrapped when a file or URL holds more bytes than allowed.
var ErrTooLarge = errors.New("too large")

// defaultFetchTimeout bounds a fetch when NewFetcher is given no client.
const defaultFetchTimeout = 30 * time.Second

// NewFetcher returns a Fetcher for local files and http(s) URLs, refusing
// content over maxBytes, with the given client (timeouts are the client's; a
// nil client gets a 30-second timeout). GitHub and GitLab blob URLs are read
// from their raw form.
func NewFetcher(client *http.Client, maxBytes int64) Fetcher {
	if client == nil {
		client = &http.Client{Timeout: defaultFetchTimeout}
	}
	if maxBytes <= 0 {
		maxBytes = DefaultLimits().MaxFileBytes
	}
	return &fetcher{client: client, maxBytes: maxBytes}
}

type fetcher struct {
	client   *http.Client
	maxBytes int64
}

// Fetch reads target, which must be an absolute path or an http(s) URL.
func (f *fetcher) Fetch(ctx context.Context, target string) ([]byte, error) {
	if u, ok := parseHTTPURL(target); ok {
		return f.fetchURL(ctx, u)
	}
	if !filepath.IsAbs(target) {
		return nil, fmt.Errorf("cannot read %q: want an absolute file path or an http(s) URL", target)
	}
	return f.fetchFile(target)
}

// parseHTTPURL parses s when it is an absolute http or https URL.
func parseHTTPURL(s string) (*url.URL, bool) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return nil, false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u, true
	}
	return nil, false
}

func (f *fetcher) fetchFile(path string) ([]byte, error) {
	file, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("could not read %s, %w", path, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("could not read %s: %w", path, err)
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		return nil, fmt.Errorf("could not read %s: %w", path, err)
	}
	if !info.Mode().IsRegular() {
		// Directories, devices and pipes are refused: a pipe or /dev/zero
		// would block or never end.
		return nil, fmt.Errorf("could not read %s: not a regular file", path)
	}
	if info.Size() > f.maxBytes {
		return nil, fmt.Errorf("could not read %s: %d bytes, more than the limit of %d bytes: %w", path, info.Size(), f.maxBytes, ErrTooLarge)
	}
	return f.readLimited(path, file, info.Size())
}

func (f *fetcher) fetchURL(ctx context.Context, u *url.URL) ([]byte, error) {
	target := rawURL(u).String()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, fmt.Errorf("could not read %s: %w", target, err)
	}
	req.Header.Set("User-Agent", "keelson")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("could not read %s: %w", target, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return nil, fmt.Errorf("could not read %s, %s: %w", target, resp.Status, ErrNotFound)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, fmt.Errorf("could not read %s, %s", target, resp.Status)
	}
	if resp.ContentLength > f.maxBytes {
		return nil, fmt.Errorf("could not read %s: %d bytes, more than the limit of %d bytes: %w", target, resp.ContentLength, f.maxBytes, ErrTooLarge)
	}
	return f.readLimited(target, resp.Body, resp.ContentLength)
}

// readLimited reads at most maxBytes from r and fails when there is more;
// sizeHint, when known, sizes the buffer so it is allocated once.
func (f *fetcher) readLimited(name string, r io.Reader, sizeHint int64) ([]byte, error) {
	var buf bytes.Buffer
	if sizeHint > 0 && sizeHint <= f.maxBytes {
		buf.Grow(int(sizeHint) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, f.maxBytes+1)); err != nil {
		return nil, fmt.Errorf("could not read %s: %w", name, err)
	}
	if int64(buf.Len()) > f.maxBytes {
		return nil, fmt.Errorf("could not read %s: more than the limit of %d bytes: %w", name, f.maxBytes, ErrTooLarge)
	}
	return buf.Bytes(), nil
}

// rawURL maps a GitHub or GitLab "blob" page URL to the URL of the file's
// raw content; other URLs are returned unchanged.
//
//	https://github.com/o/r/blob/ref/p      -> https://raw.githubusercontent.com/o/r/ref/p
//	https://gitlab.com/g/p/-/blob/ref/path -> https://gitlab.com/g/p/-/raw/ref/path
func rawURL(u *url.URL) *url.URL {
	out := *u
	segs := strings.Split(strings.TrimPrefix(u.EscapedPath(), "/"), "/")
	switch {
	case strings.EqualFold(u.Host, "github.com") && len(segs) >= 5 && segs[2] == "blob":
		out.Host = "raw.githubusercontent.com"
		rest := append([]string{segs[0], segs[1]}, segs[3:]...)
		setEscapedPath(&out, "/"+strings.Join(rest, "/"))
	default:
		for i := 1; i+2 < len(segs); i++ {
			if segs[i] == "-" && segs[i+1] == "blob" {
				rest := append(append(append([]string{}, segs[:i+1]...), "raw"), segs[i+2:]...)
				setEscapedPath(&out, "/"+strings.Join(rest, "/"))
				break
			}
		}
	}
	return &out
}

// setEscapedPath sets both forms of a URL's path from an escaped path.
func setEscapedPath(u *url.URL, escaped string) {
	if p, err := url.PathUnescape(escaped); err == nil {
		u.Path = p
		u.RawPath = escaped
		if u.EscapedPath() != escaped {
			u.RawPath = ""
		}
	}
}
