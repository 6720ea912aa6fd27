package handlers

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/catalogtest"
	"github.com/keelson-dev/keelson/catalog/descriptor"
	"github.com/keelson-dev/keelson/database"
	"github.com/keelson-dev/keelson/static"
)

// Demo catalog people the auth tests act as. platform-engineering is configured as the admin
// group: kenji.watanabe is a direct member, ravi.patel belongs through its child group
// developer-experience. sophie.laurent is in web-experience; jonas.weber in last-mile.
const (
	adminGroup   = "platform-engineering"
	directAdmin  = "kenji.watanabe"
	nestedAdmin  = "ravi.patel"
	ownerUser    = "sophie.laurent"
	ownerGroup   = "group:default/web-experience"
	strangerUser = "jonas.weber"
)

// testClock is a settable clock for session expiry.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// authHarness is the real router over a real database holding the demo catalog, with the auth
// service configured as a test needs.
type authHarness struct {
	t       *testing.T
	url     string
	auth    *auth.Service
	catalog *catalog.Service
	clock   *testClock
}

// newAuthHarness serves the demo catalog with cfg; BaseURL defaults to the test server's own
// address and the clock is the harness's.
func newAuthHarness(t *testing.T, backend string, cfg auth.Config) *authHarness {
	t.Helper()
	db := database.OpenTest(t, backend)
	demo, err := filepath.Abs("../catalog/demo/files/catalog-info.yaml")
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	fetch := descriptor.NewFetcher(&http.Client{Timeout: 5 * time.Second, Transport: catalogtest.OfflineTransport{}}, 10<<20)
	svc := catalog.NewService(db, fetch, nil, logger, catalog.Options{})
	ctx := context.Background()
	if err := svc.SyncStatic(ctx, []catalog.Spec{{Type: "file", Target: demo}}); err != nil {
		t.Fatal(err)
	}
	if err := svc.RefreshAll(ctx); err != nil {
		t.Fatal(err)
	}
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	if cfg.BaseURL == "" {
		cfg.BaseURL = base
	}
	clock := &testClock{t: time.Now().UTC().Truncate(time.Second)}
	cfg.Clock = clock.Now
	a, err := auth.NewService(cfg, db, NewDirectory(svc), logger)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = New(Config{Version: "test", Catalog: svc, Assets: assets, Logger: logger, Auth: a})
	srv.Start()
	t.Cleanup(srv.Close)
	return &authHarness{t: t, url: base, auth: a, catalog: svc, clock: clock}
}

// browser is a cookie-keeping client that does not follow redirects, so tests see them.
type browser struct {
	t    *testing.T
	h    *authHarness
	http *http.Client
}

func (h *authHarness) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		h.t.Fatal(err)
	}
	return &browser{t: h.t, h: h, http: &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is what a request returned, with the body parsed as HTML.
type response struct {
	status int
	header http.Header
	body   []byte
	doc    *goquery.Document
}

// testid selects the elements with data-testid id.
func (r *response) testid(id string) *goquery.Selection {
	return r.doc.Find(`[data-testid="` + id + `"]`)
}

// location is the redirect target.
func (r *response) location() string { return r.header.Get("Location") }

func (b *browser) do(req *http.Request) *response {
	b.t.Helper()
	res, err := b.http.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		b.t.Fatal(err)
	}
	return &response{status: res.StatusCode, header: res.Header, body: body, doc: doc}
}

func (b *browser) get(path string) *response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.h.url+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form; headers are pairs of name and value.
func (b *browser) post(path string, form url.Values, headers ...string) *response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.h.url+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

// api sends a JSON request with the browser's cookies and, when csrf is set, its CSRF header,
// as a script on a Keelson page would.
func (b *browser) api(method, path, body, csrf string) *response {
	b.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, b.h.url+path, r)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if csrf != "" {
		req.Header.Set(auth.CSRFHeader, csrf)
	}
	return b.do(req)
}

// csrf reads the CSRF token from a form on the page at path.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	page := b.get(path)
	tok, ok := page.doc.Find(`input[name="` + auth.CSRFField + `"]`).First().Attr("value")
	if !ok || tok == "" {
		b.t.Fatalf("no CSRF token on %s (status %d)", path, page.status)
	}
	return tok
}

// signIn signs in as a guest (user "") or as a catalog user and checks the redirect.
func (b *browser) signIn(user string) {
	b.t.Helper()
	tok := b.csrf(auth.LoginPath)
	res := b.post(auth.LoginPath, url.Values{auth.CSRFField: {tok}, "user": {user}, "return_to": {"/"}})
	if res.status != http.StatusSeeOther || res.location() != "/" {
		b.t.Fatalf("sign in as %q: %d to %q: %s", user, res.status, res.location(), res.body)
	}
}

// callAPI sends a request with a bearer token (none when token is "").
func (h *authHarness) callAPI(method, path, body, token string) (int, http.Header, []byte) {
	h.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.url+path, r)
	if err != nil {
		h.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return res.StatusCode, res.Header, b
}

// token creates an API token as an admin would.
func (h *authHarness) token(scope auth.Scope) string {
	h.t.Helper()
	admin := auth.Identity{Kind: auth.KindUser, Ref: "user:default/" + directAdmin, Role: auth.RoleAdmin}
	tok, err := h.auth.CreateToken(context.Background(), admin, "test "+string(scope), scope)
	if err != nil {
		h.t.Fatal(err)
	}
	return tok.Plaintext
}

// events lists the audit events with the given action, newest first.
func (h *authHarness) events(action string) []auth.Event {
	h.t.Helper()
	page, err := h.auth.Audit().List(context.Background(), auth.Filter{Action: action, Limit: auth.MaxAuditLimit})
	if err != nil {
		h.t.Fatal(err)
	}
	return page.Events
}

// backstageError is Backstage's error body.
type backstageError struct {
	Error struct {
		Name    string `json:"name"`
		Message string `json:"message"`
	} `json:"error"`
	Request struct {
		Method string `json:"method"`
		URL    string `json:"url"`
	} `json:"request"`
	Response struct {
		StatusCode int `json:"statusCode"`
	} `json:"response"`
}

func decodeError(t *testing.T, body []byte) backstageError {
	t.Helper()
	var e backstageError
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("not a Backstage error body: %v: %s", err, body)
	}
	return e
}
