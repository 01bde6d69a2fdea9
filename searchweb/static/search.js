/* Progressive enhancement of the search page. Without this file everything still works:
   forms are plain GET forms, links carry every state in the URL, and their #results-title
   fragment lands the visitor on the results' summary. With it, filters and sort apply on change,
   results update as one types, the focus goes where the change is (the summary, announced), and
   an accessible list of suggestions is offered. Every word shown comes from the page (data-
   attributes), so it is in the page's language. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  /* Below this width (the DSFR's md breakpoint) the filter panel is closed and sits above the results. */
  var NARROW = "(max-width: 47.99em)";
  var pending = null;
  var shown = location.pathname + location.search;  /* the URL whose results are on screen */

  function debounce(fn, delay) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, delay);
    };
  }

  function isNarrow() {
    return Boolean(window.matchMedia && window.matchMedia(NARROW).matches);
  }

  function pathOf(href) {
    var url = new URL(href, location.href);
    return url.pathname + url.search;
  }

  function readJson(element, name) {
    try { return JSON.parse(element.getAttribute(name) || "{}"); } catch (error) { return {}; }
  }

  /* Move what the visitor was on into the fresh region: the live status element (so screen
     readers announce its new text: a newly inserted live region is often not read) and the
     open/closed state of the filter panel. */
  function carryOver(current, fresh) {
    var oldStatus = current.querySelector("[role=status].results-status");
    var newStatus = fresh.querySelector("[role=status].results-status");
    if (oldStatus && newStatus) {
      var html = newStatus.innerHTML;
      newStatus.replaceWith(oldStatus);
      oldStatus.innerHTML = html;
    }
    var panel = current.querySelector("details[data-collapse-narrow]");
    var twin = fresh.querySelector("details[data-collapse-narrow]");
    if (panel && twin) { twin.open = panel.open; }
  }

  function focusSummary() {
    var heading = document.getElementById("results-title");
    if (heading) { heading.focus(); }
  }

  /* Where the focus goes once new results are shown: "summary", the element of a given id, or
     a function returning the element. */
  function placeFocus(focus) {
    if (focus === "summary") { focusSummary(); return; }
    var target = typeof focus === "function" ? focus() : focus && document.getElementById(focus);
    if (target) { target.focus(); }
  }

  /* Replace the results region with the one of another search page, keeping the URL in step.
     mode: "push" (a new history entry), "replace" (typing) or "none" (back/forward). */
  function loadResults(url, mode, focus) {
    if (pending) { pending.abort(); }
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    pending = controller;
    return fetch(url, { headers: { "Accept": "text/html" }, signal: controller ? controller.signal : undefined })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (pending !== controller) { return; }
        pending = null;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("resultats");
        var current = document.getElementById("resultats");
        if (!fresh || !current) { window.location.href = url; return; }
        var active = document.activeElement;
        var keep = focus === undefined && active && active.id && current.contains(active) ? active.id : null;
        carryOver(current, fresh);
        current.replaceWith(fresh);
        var state = doc.getElementById("search-state");
        var currentState = document.getElementById("search-state");
        if (state && currentState) { currentState.replaceWith(state); }
        document.title = doc.title;
        shown = url;
        if (mode === "push" && url !== location.pathname + location.search) {
          history.pushState({ search: true }, "", url);
        } else if (mode !== "none") {
          history.replaceState({ search: true }, "", url);
        }
        enhanceRegion(fresh);
        skipLinkFollows();
        placeFocus(focus === undefined ? keep : focus);
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") { return; }
        window.location.href = url;
      });
  }

  function formUrl(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string" && value !== "") { params.append(key, value); }
    });
    var query = params.toString();
    return pathOf(form.getAttribute("action")).split("?")[0] + (query ? "?" + query : "");
  }

  /* Where the focus goes after a link of the region: the summary for chips, pages and « clear »,
     the chosen tab for tabs, the first newly listed value for « Afficher tout ». */
  function focusAfter(link) {
    if (link.hasAttribute("data-focus-results")) { return "summary"; }
    if (link.classList.contains("kind-tabs__tab")) {
      return function () { return document.querySelector(".kind-tabs [aria-current=page]"); };
    }
    var facet = link.getAttribute("data-expand");
    if (facet) {
      var before = document.querySelectorAll("#facet-" + CSS.escape(facet) + " input[type=checkbox]").length;
      return function () {
        var fieldset = document.getElementById("facet-" + facet);
        if (!fieldset) { return null; }
        var boxes = fieldset.querySelectorAll("input[type=checkbox]");
        var filter = fieldset.querySelector("[data-facet-filter] input");
        if (boxes.length > before) { return filter || boxes[before]; }
        return fieldset.querySelector("[data-expand]");
      };
    }
    return "summary";
  }

  /* Links of the results region that lead to another state of the page (their href starts with
     "?"): loaded in place. Links to the site's pages are left alone. */
  function onRegionClick(event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var link = event.target.closest && event.target.closest("a[href]");
    var region = document.getElementById("resultats");
    if (!link || !region || !region.contains(link)) { return; }
    if (link.hasAttribute("data-see-results")) {
      event.preventDefault();
      var panel = region.querySelector("details[data-collapse-narrow]");
      if (panel) { panel.open = false; }
      focusSummary();
      return;
    }
    if (link.getAttribute("href").charAt(0) !== "?") { return; }
    event.preventDefault();
    loadResults(pathOf(link.href).replace(/#.*$/, ""), "push", focusAfter(link));
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  /* The box that filters a long facet's values (shown by the script only). */
  function enhanceFilterBox(box) {
    var input = box.querySelector("input");
    var status = box.querySelector("[role=status]");
    var values = box.closest("fieldset").querySelectorAll(".facet__value");
    var plural = typeof Intl === "object" && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "fr") : null;
    box.hidden = false;
    input.addEventListener("input", function () {
      var typed = fold(input.value.trim());
      var count = 0;
      values.forEach(function (value) {
        var match = !typed || fold(value.querySelector("label").textContent).indexOf(typed) >= 0;
        value.hidden = !match;
        count += match ? 1 : 0;
      });
      var form = plural && plural.select(count) === "one" ? input.dataset.one : input.dataset.many;
      status.textContent = typed ? form.replace("{n}", String(count)) : "";
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  /* not a search: the box only filters */
    });
  }

  function enhanceRegion(root) {
    root.querySelectorAll("form[data-auto-submit]").forEach(function (form) {
      form.addEventListener("change", function (event) {
        if (!event.target.name) { return; }  /* the box filtering a facet's values */
        loadResults(formUrl(form), "push", form.hasAttribute("data-focus-results") ? "summary" : undefined);
      });
    });
    root.querySelectorAll("[data-facet-filter]").forEach(enhanceFilterBox);
    var panel = root.querySelector("details[data-collapse-narrow]");
    if (panel && !panel.dataset.enhanced) {
      panel.dataset.enhanced = "true";
      if (!isNarrow() && root === document) { panel.open = true; }
    }
  }

  function enhanceSearch(form) {
    var input = form.querySelector("input[type=search]");
    var list = form.querySelector(".suggestions");
    var kindLabels = readJson(input, "data-kind-labels");
    var facetLabels = readJson(input, "data-facet-labels");
    var active = -1;
    var last = input.value;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function select(index) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }

    /* A title or a word is searched for; a facet value (an administration, a tag) filters. */
    function choose(item) {
      close();
      if (item.dataset.facet) {
        var params = new URLSearchParams();
        var language = form.querySelector("input[name=lang]");  /* an interface language asked for */
        params.append(item.dataset.facet, item.dataset.value);
        if (language) { params.append("lang", language.value); }
        input.value = "";
        last = "";
        loadResults(pathOf(form.getAttribute("action")).split("?")[0] + "?" + params.toString(), "push", "summary");
        return;
      }
      input.value = item.dataset.value;
      last = input.value;
      loadResults(formUrl(form), "push", "summary");
    }

    /* What kind of suggestion it is, as the page names it: « Défi », « Administration ». */
    function kindOf(suggestion) {
      if (suggestion.facet) { return facetLabels[suggestion.facet] || ""; }
      return suggestion.kind ? (kindLabels[suggestion.kind] || suggestion.kind) : "";
    }

    function option(suggestion, i) {
      var item = document.createElement("li");
      item.id = "suggestion-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.value = suggestion.value;
      if (suggestion.facet) { item.dataset.facet = suggestion.facet; }
      var text = document.createElement("span");
      text.textContent = suggestion.value;
      item.appendChild(text);
      var kind = kindOf(suggestion);
      if (kind) {
        var badge = document.createElement("span");
        badge.className = "suggestion-kind fr-badge fr-badge--sm fr-badge--no-icon";
        var comma = document.createElement("span");
        comma.className = "fr-sr-only";
        comma.textContent = ", ";
        badge.appendChild(comma);
        badge.appendChild(document.createTextNode(kind));
        item.appendChild(badge);
      }
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
      return item;
    }

    var suggest = debounce(function () {
      var value = input.value.trim();
      if (value.length < 2) { close(); return; }
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(value))
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (input.value.trim() !== value) { return; }  /* an older answer: the visitor typed on */
          list.innerHTML = "";
          active = -1;
          input.removeAttribute("aria-activedescendant");
          (data.suggestions || []).forEach(function (suggestion, i) { list.appendChild(option(suggestion, i)); });
          var any = list.children.length > 0 && document.activeElement === input;
          list.hidden = !any;
          input.setAttribute("aria-expanded", any ? "true" : "false");
        })
        .catch(close);
    }, 150);

    var liveSearch = debounce(function () {
      if (input.value === last) { return; }
      last = input.value;
      loadResults(formUrl(form), "replace", null);
    }, 350);

    input.addEventListener("input", function () { suggest(); liveSearch(); });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("keydown", function (event) {
      var items = list.querySelectorAll("[role=option]");
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        select((active + 1) % items.length);
      } else if (event.key === "ArrowUp" && items.length) {
        event.preventDefault();
        select(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
        event.preventDefault();
        choose(items[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      close();
      last = input.value;
      loadResults(formUrl(form), "push", "summary");
    });

    /* Back and forward between states of the page: show the results of that URL again. */
    window.addEventListener("popstate", function (event) {
      if (!event.state || !event.state.search || location.pathname + location.search === shown) { return; }
      var q = new URLSearchParams(location.search).get("q") || "";
      input.value = q;
      last = q;
      close();
      loadResults(location.pathname + location.search, "none", null);
    });
  }

  /* « Aller aux filtres » is offered while the page has filters (a search may leave none). */
  function skipLinkFollows() {
    var link = document.querySelector("a[href='#filtres']");
    if (link) { link.closest("li").hidden = !document.getElementById("filtres"); }
  }

  /* « Aller aux filtres » opens the panel when it is closed (on a phone) and goes to its first filter. */
  function openFiltersOnSkip() {
    if (location.hash !== "#filtres") { return; }
    var panel = document.querySelector("details[data-collapse-narrow]");
    if (!panel) { return; }
    panel.open = true;
    var first = panel.querySelector("form input:not([type=hidden])");
    if (first) { first.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-live-search]");
    if (form) {
      history.replaceState({ search: true }, "", location.href);
      enhanceSearch(form);
    }
    enhanceRegion(document);
    /* In the capture phase: the DSFR removes a dismissed tag from the page on its own click. */
    document.addEventListener("click", onRegionClick, true);
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href='#filtres']");
      if (link) { location.hash === "#filtres" ? openFiltersOnSkip() : setTimeout(openFiltersOnSkip, 0); }
    });
    window.addEventListener("hashchange", openFiltersOnSkip);
    openFiltersOnSkip();
    if (window.matchMedia) {
      window.matchMedia(NARROW).addEventListener("change", function (change) {
        var panel = document.querySelector("details[data-collapse-narrow]");
        if (panel && !change.matches) { panel.open = true; }
      });
    }
  });
})();
