/* Search as you type in the header's search box (site_header.html), and the folded menus.
 *
 * The box becomes an ARIA 1.2 combobox: as the user types (debounced; a newer request aborts
 * the older), /api/suggest/ names the pages that match and a listbox of links to them opens
 * below. Arrow keys move through it, Enter opens the chosen page, Escape closes it (a second
 * Escape clears the box). Without this script the form is a plain search (GET /search/?q=).
 *
 * Also: the header menu and the search filters are <details> folded on phones; a browser
 * without ::details-content (site.css opens them from 48rem) gets them opened here on a
 * wide screen.
 */
(function () {
  "use strict";

  var WIDE = "(min-width: 48rem)";
  if (window.matchMedia && matchMedia(WIDE).matches && !(CSS.supports && CSS.supports("selector(::details-content)"))) {
    document.querySelectorAll("details.site-menu, details.filters-fold").forEach(function (d) { d.open = true; });
  }

  var form = document.querySelector("form.site-search[data-suggest-url]");
  var input = form && form.querySelector("input[name=q]");
  if (!input || !window.fetch || !window.AbortController) return;

  var DELAY_MS = 200;
  var listId = input.id + "-suggestions";
  var list = document.createElement("div");
  list.id = listId;
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", form.getAttribute("data-suggest-label") || "");
  list.hidden = true;
  form.appendChild(list);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  var timer = null;
  var pending = null;
  var active = -1;
  var lastQuery = "";

  function options() { return list.querySelectorAll("[role=option]"); }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var all = options();
    if (!all.length) return;
    active = (index + all.length) % all.length;
    all.forEach(function (o, i) { o.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  }

  function searchUrl(text) {
    return form.action + "?" + new URLSearchParams({ q: text }).toString();
  }

  function show(pages) {
    list.textContent = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!pages.length) { close(); return; }
    pages.forEach(function (p, i) {
      var a = document.createElement("a");
      a.id = listId + "-" + i;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      a.tabIndex = -1;
      a.href = p.url || searchUrl(p.name);
      a.textContent = p.name;
      list.appendChild(a);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (q === lastQuery) return;
    lastQuery = q;
    if (pending) pending.abort();
    if (q.length < 2) { pending = null; close(); return; }
    var controller = new AbortController();
    pending = controller;
    var url = form.getAttribute("data-suggest-url") + "?" + new URLSearchParams({ q: q }).toString();
    fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { pages: [] }; })
      .then(function (data) {
        if (pending !== controller) return;
        pending = null;
        show(data.pages || (data.suggestions || []).map(function (name) { return { name: name, url: "" }; }));
      })
      .catch(function (err) { if (err.name !== "AbortError") close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, DELAY_MS);
  });

  input.addEventListener("keydown", function (event) {
    var open = !list.hidden;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open && options().length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      highlight(active + 1);
    } else if (event.key === "ArrowUp") {
      if (!open) return;
      event.preventDefault();
      highlight(active < 0 ? -1 : active - 1);
    } else if (event.key === "Enter") {
      if (open && active >= 0) {
        event.preventDefault();
        window.location.assign(options()[active].href);
      }
    } else if (event.key === "Escape") {
      if (open) { event.preventDefault(); close(); }
      else if (input.value) { event.preventDefault(); input.value = ""; lastQuery = ""; }
    }
  });

  // A click on an option follows its link; keep focus from leaving before it does.
  list.addEventListener("mousedown", function (event) { event.preventDefault(); });
  input.addEventListener("blur", function () { close(); });
})();
