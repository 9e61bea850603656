/* The search page: starts the Pagefind UI (its bundle is in pagefind/ beside this site's pages),
   gives its input a real label, runs the search named by ?q= (the header's search form) and
   offers best-match, newest-first or oldest-first order (?order=newest|oldest). */
(function () {
  "use strict";
  var container = document.getElementById("search");
  if (!container || typeof PagefindUI === "undefined") return;
  var bar = document.getElementById("search-bar");
  var label = document.getElementById("search-label");
  var order = document.getElementById("search-order");
  var SORTS = { newest: { date: "desc" }, oldest: { date: "asc" } };

  // Result URLs are stored from the site root; the root's path makes them work under any sub-path.
  var siteRoot = new URL(container.getAttribute("data-site-root"), window.location.href).pathname;
  var params = new URLSearchParams(window.location.search);
  var ui = null;
  var input = null;
  // Pagefind's own module, from the URL the UI loads it from: the same module, and the same search
  // instance and worker.
  var uiScript = document.querySelector('script[src*="pagefind-ui.js"]');
  var pagefindModule = uiScript ? import(new URL("pagefind.js", uiScript.src).href) : null;
  if (pagefindModule) pagefindModule.catch(function () {}); // the UI reports a module that cannot load

  function setParam(name, value) {
    var url = new URL(window.location.href);
    if (value) url.searchParams.set(name, value);
    else url.searchParams.delete(name);
    window.history.replaceState(null, "", url);
  }

  function start(term, filters) {
    ui = new PagefindUI({
      element: container,
      baseUrl: siteRoot,
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      pageSize: 10,
      openFilters: ["year"],
      sort: (order && SORTS[order.value]) || null,
    });
    input = container.querySelector("input");
    if (input) {
      input.id = "search-input";
      if (label) label.htmlFor = input.id; // the input exists only now, so the page cannot say it
      input.type = "search";
      input.removeAttribute("title");
      // Keep ?q= in step with the box, so a reload, a bookmark or the back button keeps the search.
      input.addEventListener("input", function () { setParam("q", input.value); });
    }
    if (filters) ui.triggerFilters(filters);
    if (term) ui.triggerSearch(term);
  }

  function checkedFilters() {
    var filters = {};
    container.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      (filters[box.name] = filters[box.name] || []).push(box.value);
    });
    return filters;
  }

  if (bar && order) {
    order.value = SORTS[params.get("order")] ? params.get("order") : "";
    bar.hidden = false;
    // Pagefind's UI takes its order when it starts, so a new order restarts it with the same search.
    order.addEventListener("change", function () {
      var term = input ? input.value : "";
      var filters = checkedFilters();
      setParam("order", order.value);
      ui.destroy();
      // The UI's destroy ends Pagefind's search instance without waiting for it: a UI started at
      // once took the ending instance, and lost its search when the worker stopped (at random:
      // no results, "Pagefind worker terminated"). The module's destroy, called again, ends when
      // the instance has, and the next search starts a new one.
      var ended = pagefindModule ? pagefindModule.then(function (pagefind) { return pagefind.destroy(); }) : Promise.resolve();
      ended.catch(function () {}).then(function () { start(term, filters); });
    });
  }
  // Pagefind's UI loads its filters while it runs the first search; when the search wins, some
  // filters never show. So the first search waits until the filters are loaded (the UI shares
  // this pagefind.js module, whose URL it also takes from its own script's address).
  start(null, null);
  var query = params.get("q");
  if (query) {
    var loaded = pagefindModule
      ? pagefindModule.then(function (pagefind) {
          return pagefind.options({ baseUrl: siteRoot }).then(function () { return pagefind.filters(); });
        })
      : Promise.resolve();
    loaded.catch(function () {}).then(function () { ui.triggerSearch(query); });
  }
})();
