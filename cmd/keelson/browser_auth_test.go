package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// oidcProviderVersion pins the npm package the browser test signs in through.
const oidcProviderVersion = "9.13.3"

// chromiumPath is Debian's chromium, which CI installs.
const chromiumPath = "/usr/bin/chromium"

// The person who signs in: a User entity of the demo catalog, in two teams.
const (
	browserLogin = "priya.raman"
	browserEmail = "priya.raman@northwind.example"
	browserName  = "Priya Raman"
)

// TestBrowserSignIn signs in to a real keelson binary through a certified OpenID provider run on
// loopback (the npm package oidc-provider), in headless Chromium: the home page sends the
// browser to the provider's sign-in, the person types their credentials and consents, lands
// back on Keelson signed in, sees their name and teams, and signs out at Keelson and the
// provider. It runs when KEELSON_TEST_BROWSER is set; then a missing Chromium or Node.js fails it.
func TestBrowserSignIn(t *testing.T) {
	if os.Getenv("KEELSON_TEST_BROWSER") == "" {
		t.Skip("KEELSON_TEST_BROWSER is not set")
	}
	for _, tool := range []string{chromiumPath, "node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the browser test needs %s: %v", tool, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	shots := t.ArtifactDir()
	tmp := t.TempDir()

	port := browserFreePort(t)
	keelsonURL := fmt.Sprintf("http://127.0.0.1:%d", port)
	issuer := startBrowserProvider(ctx, t, keelsonURL)
	bin := buildBrowserKeelson(ctx, t, tmp)
	startBrowserKeelson(ctx, t, bin, tmp, port, issuer)

	browser := newChromium(ctx, t)
	// step runs actions within a bounded time, then saves a screenshot of where they ended.
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		stepCtx, stop := context.WithTimeout(browser, 30*time.Second)
		defer stop()
		err := chromedp.Do(stepCtx, actions...)
		shotCtx, stopShot := context.WithTimeout(browser, 10*time.Second)
		defer stopShot()
		if shot, serr := chromedp.Run(shotCtx, chromedp.FullScreenshot(100)); serr == nil {
			if werr := os.WriteFile(filepath.Join(shots, name+".png"), shot, 0o644); werr != nil {
				t.Errorf("save screenshot: %v", werr)
			}
		}
		if err != nil {
			t.Fatalf("%s (at %s; screenshots in %s): %v", name, browserRead(browser, chromedp.Location()), shots, err)
		}
	}
	visible := func(css string) chromedp.Action[chromedp.Void] { return chromedp.WaitVisible(chromedp.CSS(css)) }

	step("01-provider-sign-in", chromedp.Navigate(keelsonURL+"/"), visible(`input[name="login"]`))
	if at := browserRead(browser, chromedp.Location()); !strings.HasPrefix(at, issuer+"/") {
		t.Fatalf("the home page did not send the browser to the provider: at %s", at)
	}
	step("02-consent",
		chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), browserLogin),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "correct horse battery staple"),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitReady(chromedp.CSS(`input[name="prompt"][value="consent"]`)))
	step("03-home-signed-in",
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		visible(`[data-testid="user-name"]`),
		visible(`[data-testid="home-teams"]`))
	at := browserRead(browser, chromedp.Location())
	name := browserRead(browser, chromedp.Text(chromedp.CSS(`[data-testid="user-name"]`)))
	title := browserRead(browser, chromedp.Text(chromedp.CSS(`[data-testid="page-title"]`)))
	if at != keelsonURL+"/" || name != browserName || !strings.Contains(title, browserName) {
		t.Errorf("back at %s as %q, title %q", at, name, title)
	}
	teams := browserRead(browser, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('[data-testid="home-teams"] a')).map(a => a.getAttribute('href'))`))
	for _, team := range []string{"web-experience", "developer-experience"} {
		if !slices.Contains(teams, "/catalog/default/group/"+team) {
			t.Errorf("the home page's teams %v lack %s", teams, team)
		}
	}

	step("04-provider-sign-out", chromedp.Click(chromedp.CSS(`[data-testid="sign-out"]`)), visible(`button[name="logout"]`))
	step("05-signed-out", chromedp.Click(chromedp.CSS(`button[name="logout"]`)), visible(`[data-testid="signed-out"]`))
	at = browserRead(browser, chromedp.Location())
	notice := browserRead(browser, chromedp.Text(chromedp.CSS(`[data-testid="signed-out"]`)))
	if at != keelsonURL+"/auth/signed-out" || !strings.Contains(notice, "signed out") {
		t.Errorf("after sign-out at %s: %q", at, notice)
	}
	step("06-signed-out-home", chromedp.Navigate(keelsonURL+"/"), visible(`input[name="login"]`))
	if at := browserRead(browser, chromedp.Location()); !strings.HasPrefix(at, issuer+"/") {
		t.Errorf("after sign-out the home page is served at %s", at)
	}
}

// browserRead runs one reading action within a bounded time; a failure reads as the zero value,
// which the assertions then report.
func browserRead[T any](browser context.Context, a chromedp.Action[T]) T {
	ctx, stop := context.WithTimeout(browser, 10*time.Second)
	defer stop()
	v, _ := chromedp.Run(ctx, a)
	return v
}

// browserFreePort returns a loopback port nothing listens on.
func browserFreePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// browserProviderDir installs the pinned oidc-provider once per machine, in the user's cache
// directory, and returns the directory whose node_modules holds it.
func browserProviderDir(ctx context.Context, t *testing.T) string {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "keelson-test", "oidc-provider@"+oidcProviderVersion)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "oidc-provider", "package.json")); err == nil {
		return dir
	}
	installCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(installCtx, "npm", "install", "--prefix", dir, "--no-audit", "--no-fund",
		"--loglevel=error", "oidc-provider@"+oidcProviderVersion)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm install oidc-provider@%s: %v\n%s", oidcProviderVersion, err, out)
	}
	return dir
}

// startBrowserProvider runs testdata/oidc-provider.mjs with a client for Keelson at keelsonURL and
// returns the provider's issuer URL.
func startBrowserProvider(ctx context.Context, t *testing.T, keelsonURL string) string {
	t.Helper()
	dir := browserProviderDir(ctx, t)
	script, err := os.ReadFile(filepath.Join("testdata", "oidc-provider.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	// Node resolves the package from the script's own directory.
	path := filepath.Join(dir, "keelson-oidc-provider.mjs")
	if err := os.WriteFile(path, script, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "node", path)
	cmd.Env = append(os.Environ(),
		"KEELSON_URL="+keelsonURL, "CLIENT_ID=keelson", "CLIENT_SECRET=browser-test-secret",
		"USER_LOGIN="+browserLogin, "USER_EMAIL="+browserEmail, "USER_NAME="+browserName)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &browserLog{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the provider: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		if t.Failed() {
			t.Logf("provider stderr:\n%s", stderr.String())
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var line struct {
				Issuer string `json:"issuer"`
			}
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Issuer != "" {
				found <- line.Issuer
			}
		}
	}()
	select {
	case issuer := <-found:
		return issuer
	case <-time.After(30 * time.Second):
		t.Fatalf("the provider did not start within 30s:\n%s", stderr.String())
	case <-ctx.Done():
		t.Fatalf("the provider did not start: %v\n%s", ctx.Err(), stderr.String())
	}
	return ""
}

// buildBrowserKeelson builds the keelson binary into dir.
func buildBrowserKeelson(ctx context.Context, t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "keelson")
	buildCtx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(buildCtx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startBrowserKeelson runs the binary on port with the demo catalog and sign-in through issuer, and
// waits until it is ready.
func startBrowserKeelson(ctx context.Context, t *testing.T, bin, dir string, port int, issuer string) {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append(os.Environ(),
		fmt.Sprintf("KEELSON_ADDR=127.0.0.1:%d", port),
		"KEELSON_DATABASE_URL=sqlite:"+filepath.Join(dir, "keelson.db"),
		fmt.Sprintf("KEELSON_BASE_URL=http://127.0.0.1:%d", port),
		"KEELSON_OIDC_ISSUER="+issuer,
		"KEELSON_OIDC_CLIENT_ID=keelson",
		"KEELSON_OIDC_CLIENT_SECRET=browser-test-secret",
		"KEELSON_CATALOG_LOCATIONS=",
		"KEELSON_DEMO=true")
	logs := &browserLog{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start keelson: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		if t.Failed() {
			t.Logf("keelson log:\n%s", logs.String())
		}
	})
	ready := fmt.Sprintf("http://127.0.0.1:%d/readyz", port)
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := client.Get(ready)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatalf("keelson not ready within 60s (last error %v):\n%s", err, logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// newChromium starts headless Chromium with a profile of its own; it is closed at cleanup.
func newChromium(ctx context.Context, t *testing.T) context.Context {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	// The first call starts the browser and ties it to the context it gets, so it gets the test's
	// own deadline rather than a shorter one.
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return browser
}

// browserLog collects a process's output while the test reads it.
type browserLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *browserLog) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *browserLog) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
