// Keelson's own script: the theme toggle and copy buttons. It is loaded from
// a file (never inline) so a strict Content-Security-Policy holds, and the
// pages work without it.
(function () {
  "use strict";

  var root = document.documentElement;
  var storageKey = "keelson-theme";

  function storedTheme() {
    try {
      return window.localStorage.getItem(storageKey);
    } catch (e) {
      return null;
    }
  }

  function applyTheme(theme) {
    root.classList.remove("theme-light", "theme-dark");
    if (theme === "light" || theme === "dark") {
      root.classList.add("theme-" + theme);
    }
  }

  function currentTheme() {
    if (root.classList.contains("theme-dark")) return "dark";
    if (root.classList.contains("theme-light")) return "light";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  // Runs in <head> before the body is parsed, so the page never flashes in
  // the wrong theme.
  root.classList.add("js");
  applyTheme(storedTheme());

  function toggleTheme() {
    var next = currentTheme() === "dark" ? "light" : "dark";
    applyTheme(next);
    try {
      window.localStorage.setItem(storageKey, next);
    } catch (e) {
      // Private browsing: the choice lasts for this page only.
    }
  }

  function copyText(button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target || !navigator.clipboard) return;
    var label = button.querySelector("[data-copy-label]") || button;
    navigator.clipboard.writeText(target.textContent).then(function () {
      var before = label.textContent;
      label.textContent = "Copied";
      window.setTimeout(function () { label.textContent = before; }, 1500);
    });
  }

  document.addEventListener("click", function (event) {
    var el = event.target instanceof Element ? event.target : null;
    if (!el) return;
    var toggle = el.closest("[data-theme-toggle]");
    if (toggle) {
      toggleTheme();
      return;
    }
    var copy = el.closest("[data-copy-target]");
    if (copy) {
      copyText(copy);
    }
  });
})();
