package catalog

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/keelson-dev/keelson/catalog/descriptor"
)

// embeddedFetcher serves file targets under a fixed prefix from a read-only file system (the
// demo catalog compiled into the binary) and everything else through the next fetcher.
type embeddedFetcher struct {
	prefix string
	fsys   fs.FS
	next   descriptor.Fetcher
}

// WithEmbedded returns a fetcher that reads paths under prefix (an absolute path such as
// "/keelson/demo/") from fsys, and any other target through next.
func WithEmbedded(next descriptor.Fetcher, prefix string, fsys fs.FS) descriptor.Fetcher {
	return &embeddedFetcher{prefix: strings.TrimSuffix(prefix, "/") + "/", fsys: fsys, next: next}
}

// Fetch reads one target.
func (f *embeddedFetcher) Fetch(ctx context.Context, target string) ([]byte, error) {
	name, ok := f.name(target)
	if !ok {
		return f.next.Fetch(ctx, target)
	}
	data, err := fs.ReadFile(f.fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", target, descriptor.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", target, err)
	}
	return data, nil
}

// name maps an absolute target to a path inside fsys.
func (f *embeddedFetcher) name(target string) (string, bool) {
	if !strings.HasPrefix(target, f.prefix) {
		return "", false
	}
	name := path.Clean(strings.TrimPrefix(target, f.prefix))
	if !fs.ValidPath(name) {
		return "", false
	}
	return name, true
}

// embeddedTargets is implemented by fetchers that own some file targets outright, which are
// then not looked up on the local disk.
type embeddedTargets interface {
	name(target string) (string, bool)
}
