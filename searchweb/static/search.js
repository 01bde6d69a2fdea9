/* Progressive enhancement of the search page. Without this file everything still works:
   forms are plain GET forms and every state lives in the URL. With it, filters and sort apply
   on change, results update as one types, and an accessible list of suggestions is offered. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  /* Below this width the filter panel starts closed (it sits above the results). */
  var NARROW = "(max-width: 48rem)";
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

  /* Move what the visitor was on into the fresh region: the live status element (so screen
     readers announce its new text: a newly inserted live region is often not read), the
     open/closed state of the panels, and the keyboard focus. */
  function carryOver(current, fresh) {
    var oldStatus = current.querySelector("[role=status]");
    var newStatus = fresh.querySelector("[role=status]");
    if (oldStatus && newStatus) {
      var html = newStatus.innerHTML;
      newStatus.replaceWith(oldStatus);
      oldStatus.innerHTML = html;
    }
    current.querySelectorAll("details[id]").forEach(function (details) {
      var twin = fresh.querySelector("#" + CSS.escape(details.id));
      if (!twin) { return; }
      if (details.hasAttribute("data-collapse-narrow")) {
        twin.open = details.open;
        twin.dataset.enhanced = "true";
      } else {
        twin.open = details.open || twin.open;  /* the server opens it when it holds a ticked value */
      }
    });
  }

  function focusedId(region) {
    var active = document.activeElement;
    return active && active.id && region.contains(active) ? active.id : null;
  }

  /* Replace the results region with the one of another search page, keeping the URL in step.
     mode: "push" (a new history entry), "replace" (typing) or "none" (back/forward). */
  function loadResults(url, mode, focusResults) {
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
        var keepFocus = focusedId(current);
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
        var heading = document.getElementById("results-title");
        var target = keepFocus && document.getElementById(keepFocus);
        if (focusResults && heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        } else if (target) {
          target.focus();
        }
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
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  function enhanceRegion(root) {
    root.querySelectorAll("form[data-auto-submit]").forEach(function (form) {
      form.addEventListener("change", function () { loadResults(formUrl(form), "push", false); });
    });
    var panel = root.querySelector("details[data-collapse-narrow]");
    if (panel && !panel.dataset.enhanced) {
      panel.dataset.enhanced = "true";
      if (window.matchMedia && window.matchMedia(NARROW).matches) {
        panel.open = false;
      }
    }
  }

  function enhanceSearch(form) {
    var input = form.querySelector("input[type=search]");
    var list = form.querySelector(".suggestions");
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
      var items = list.querySelectorAll("li");
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(item) {
      input.value = item.dataset.value;
      last = input.value;
      close();
      loadResults(formUrl(form), "push", true);
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
          (data.suggestions || []).forEach(function (suggestion, i) {
            var item = document.createElement("li");
            item.id = "suggestion-" + i;
            item.setAttribute("role", "option");
            item.setAttribute("aria-selected", "false");
            item.dataset.value = suggestion.value;
            item.textContent = suggestion.value;
            if (suggestion.type === "title" && suggestion.kind) {
              var kind = document.createElement("span");
              kind.className = "suggestion-kind";
              kind.textContent = " (" + suggestion.kind + ")";
              item.appendChild(kind);
            }
            item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
            list.appendChild(item);
          });
          var any = list.children.length > 0 && document.activeElement === input;
          list.hidden = !any;
          input.setAttribute("aria-expanded", any ? "true" : "false");
        })
        .catch(close);
    }, 150);

    var liveSearch = debounce(function () {
      if (input.value === last) { return; }
      last = input.value;
      loadResults(formUrl(form), "replace", false);
    }, 350);

    input.addEventListener("input", function () { suggest(); liveSearch(); });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("keydown", function (event) {
      var items = list.querySelectorAll("li");
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
      loadResults(formUrl(form), "push", true);
    });

    /* Back and forward between states of the page: show the results of that URL again. */
    window.addEventListener("popstate", function (event) {
      if (!event.state || !event.state.search || location.pathname + location.search === shown) { return; }
      var q = new URLSearchParams(location.search).get("q") || "";
      input.value = q;
      last = q;
      close();
      loadResults(location.pathname + location.search, "none", false);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-live-search]");
    if (form) {
      history.replaceState({ search: true }, "", location.href);
      enhanceSearch(form);
    }
    enhanceRegion(document);
  });
})();
