package handlers

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserJourney walks the web UI in a real headless Chromium as a person would: signs in,
// filters the catalog (htmx swaps the table, the URL keeps the state), opens an entity,
// follows its owner to the team page, registers a location through the dry run, and finds a
// processing error; every page is screenshotted at 1280 and 360 pixels and no page may log an
// error (CSP violations included).
func TestBrowserJourney(t *testing.T) {
	b := newChromium(t)
	ts, broken := newBrokenServer(t, "sqlite")
	importFile := writeDescriptor(t, t.TempDir(), "catalog-info.yaml", importDescriptor)
	base := ts.srv.URL

	// Sign in as a member of the team that owns the checkout.
	b.do("sign in",
		chromedp.Navigate(base+"/auth/login?return_to=/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="sign-in-user"]`)),
		chromedp.SetValue(chromedp.CSS(`[data-testid="sign-in-user"]`), "mateo.rossi"),
		chromedp.Click(chromedp.CSS(`[data-testid="sign-in-as-user"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="home-teams"]`)),
	)
	if got := b.text(`[data-testid="page-title"]`); got != "Welcome, Mateo Rossi" {
		t.Errorf("home title %q", got)
	}
	b.screenshots("home")

	// Filter the catalog: the table is swapped in place and the URL follows.
	b.do("open the catalog",
		chromedp.Navigate(base+"/catalog"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="catalog-table"]`)),
		discard(chromedp.Evaluate[bool](`window.keelsonSamePage = true`)),
	)
	before := b.text(`[data-testid="result-count"]`)
	b.do("filter by kind", chromedp.Click(chromedp.CSS(`[data-testid="facet-kind"] [data-value="component"] input`)))
	b.waitFor("the table shows components only", `location.search.includes("kind=component") &&
		document.querySelectorAll('#catalog-table [data-testid="entity-kind"]').length > 0 &&
		[...document.querySelectorAll('#catalog-table [data-testid="entity-kind"]')].every(td => td.textContent.trim() === "Component")`)
	if got := value(b, "focus", chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ""`)); got != "facet-kind-component" {
		t.Errorf("focus after the swap is on %q, want the kind checkbox", got)
	}
	if after := b.text(`[data-testid="result-count"]`); after == before {
		t.Errorf("the count stayed %q", after)
	}
	b.do("search", chromedp.SendKeys(chromedp.CSS(`#catalog-q`), "cart"))
	b.waitFor("the search narrows the table", `location.search.includes("q=cart") &&
		document.querySelector('#catalog-table a[href="/catalog/default/component/cart-service"]') !== null &&
		document.querySelectorAll('#catalog-table [data-testid="entity-row"]').length < 10`)
	if !value(b, "same page", chromedp.Evaluate[bool](`window.keelsonSamePage === true`)) {
		t.Errorf("filtering reloaded the page instead of swapping the table")
	}
	// The facet counts follow the filters: the component option counts what the table shows.
	if got, want := b.text(`[data-testid="facet-kind"] [data-value="component"] [data-testid="facet-count"]`), strings.Fields(b.text(`[data-testid="result-count"]`))[0]; got != want {
		t.Errorf("component facet count %s, table total %s", got, want)
	}
	filtered := b.location()
	b.screenshots("catalog-filtered")

	// The URL carries the whole state: loading it again shows the same filters.
	b.do("reload the filtered catalog", chromedp.Navigate(filtered), chromedp.WaitVisible(chromedp.CSS(`[data-testid="catalog-table"]`)))
	if !value(b, "kind still checked", chromedp.Evaluate[bool](`document.querySelector('[data-testid="facet-kind"] [data-value="component"] input').checked`)) {
		t.Errorf("the kind filter is not checked after loading %s", filtered)
	}
	if got := value(b, "search kept", chromedp.Evaluate[string](`document.getElementById("catalog-q").value`)); got != "cart" {
		t.Errorf("search box %q after loading %s", got, filtered)
	}

	// Open the entity, then its owner.
	b.do("open cart-service",
		chromedp.Click(chromedp.CSS(`#catalog-table a[href="/catalog/default/component/cart-service"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="entity-header"]`)),
		chromedp.WaitVisible(chromedp.CSS(`svg[data-testid="diagram"]`)),
	)
	if got := b.text(`[data-testid="page-title"]`); got != "Cart Service" {
		t.Errorf("entity title %q", got)
	}
	b.screenshots("entity")
	b.do("follow the owner",
		chromedp.Click(chromedp.CSS(`[data-testid="entity-owner"] a`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="group-profile"]`)),
	)
	if loc := b.location(); !strings.HasSuffix(loc, "/catalog/default/group/conversion") {
		t.Errorf("owner link went to %s", loc)
	}
	b.screenshots("team")

	// An API with its definition.
	b.do("open an API", chromedp.Navigate(base+"/catalog/default/api/payments-api"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="operation"]`)))
	b.screenshots("api")

	// Register a location: dry run, then confirm.
	b.do("analyze a location",
		chromedp.Navigate(base+"/catalog-import"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-target"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="import-target"]`), importFile),
		chromedp.Click(chromedp.CSS(`[data-testid="import-analyze"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-dry-run"]`)),
	)
	if got := b.text(`[data-testid="import-entity"] th`); got != "Coupon Service" {
		t.Errorf("dry run entity %q", got)
	}
	if got := b.text(`[data-testid="import-dry-run"] [data-testid="error-location"]`); !strings.HasPrefix(got, importFile) {
		t.Errorf("dry run error location %q", got)
	}
	b.screenshots("import-dry-run")
	b.do("confirm",
		chromedp.Click(chromedp.CSS(`[data-testid="import-confirm"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-result"]`)),
	)
	if got := b.text(`[data-testid="imported-entity"] a`); got != "Coupon Service" {
		t.Errorf("imported %q", got)
	}
	b.screenshots("import-result")

	// The broken descriptor's error, with its file.
	b.do("open the broken entity",
		chromedp.Navigate(base+"/catalog/default/component/basket-recommender"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="processing-errors"]`)),
	)
	if got := b.text(`[data-testid="processing-errors"] [data-testid="error-location"]`); !strings.HasPrefix(got, broken) {
		t.Errorf("error location %q, want %s", got, broken)
	}
	b.screenshots("processing-error")

	b.noConsoleErrors("journey")
}
