package handlers

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's Chromium, which CI installs.
const chromiumPath = "/usr/bin/chromium"

// browserTimeout bounds every step of a browser test.
const browserTimeout = 20 * time.Second

// chromium is a headless Chromium with a fresh profile that records console errors, uncaught
// exceptions and error-level log entries (CSP violations among them).
type chromium struct {
	t       *testing.T
	ctx     context.Context
	shots   string
	mu      sync.Mutex
	errors  []string
	shotNum int
}

// newChromium starts Chromium, or skips the test unless KEELSON_TEST_BROWSER is set; when it
// is set, a missing Chromium fails the test.
func newChromium(t *testing.T) *chromium {
	t.Helper()
	if os.Getenv("KEELSON_TEST_BROWSER") == "" {
		t.Skip("KEELSON_TEST_BROWSER is not set")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("KEELSON_TEST_BROWSER is set but %s is missing: %v", chromiumPath, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// The first run starts the browser; it must not carry a timeout, which would stop it.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start chromium: %v", err)
		}
	case <-time.After(browserTimeout):
		t.Fatal("chromium did not start in time")
	}
	// ArtifactDir is a temporary directory, or with go test -artifacts one kept under the
	// output directory for CI to collect.
	b := &chromium{t: t, ctx: ctx, shots: filepath.Join(t.ArtifactDir(), "screenshots")}
	if err := os.MkdirAll(b.shots, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", b.shots)
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			switch m.Type {
			case chromedp.ConsoleError, chromedp.ConsoleException, "assert":
				b.record(fmt.Sprintf("%s (%s %s:%d)", m, m.Source, m.URL, m.Line))
			}
		}
	}()
	return b
}

func (b *chromium) record(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.errors = append(b.errors, msg)
}

func (b *chromium) consoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errors...)
}

// do performs actions within browserTimeout, failing the test on error.
func (b *chromium) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v (console errors so far: %v)", step, err, b.consoleErrors())
	}
}

// value runs one action that returns a value, within browserTimeout.
func value[T any](b *chromium, step string, action chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		b.t.Fatalf("%s: %v (console errors so far: %v)", step, err, b.consoleErrors())
	}
	return v
}

// noConsoleErrors fails the test if the page logged any error so far.
func (b *chromium) noConsoleErrors(step string) {
	b.t.Helper()
	if errs := b.consoleErrors(); len(errs) > 0 {
		b.t.Errorf("%s: console errors:\n%s", step, strings.Join(errs, "\n"))
	}
}

// screenshot saves the whole page at the given width as NN-name-WIDTH.png. Narrow widths are
// taken as a phone shows them, with overlay scrollbars that take no room.
func (b *chromium) screenshot(name string, width int64) {
	b.t.Helper()
	var opts []chromedp.EmulateViewportOption
	if width < 600 {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	b.do("resize for "+name, chromedp.EmulateViewport(width, 900, opts...), chromedp.Sleep(200*time.Millisecond))
	png := value(b, "screenshot "+name, chromedp.FullScreenshot(100))
	b.shotNum++
	path := filepath.Join(b.shots, fmt.Sprintf("%02d-%s-%d.png", b.shotNum, name, width))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.do("restore viewport", chromedp.EmulateViewport(1280, 900))
}

// screenshots saves the page at desktop and phone widths.
func (b *chromium) screenshots(name string) {
	b.t.Helper()
	b.screenshot(name, 1280)
	b.screenshot(name, 360)
}

// location returns the page's current URL.
func (b *chromium) location() string {
	b.t.Helper()
	return value(b, "location", chromedp.Location())
}

// text returns the visible text of the first element matching a CSS selector.
func (b *chromium) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(value(b, "text of "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible)))
}

// waitFor polls a JavaScript condition until it is true, within browserTimeout.
func (b *chromium) waitFor(step, condition string) {
	b.t.Helper()
	value(b, step, chromedp.Poll[bool](condition, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(browserTimeout)))
}

// discard runs an action for its effect only.
func discard[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}
