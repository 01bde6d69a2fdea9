/* Progressive enhancement of the search page. Without this file everything still works:
   forms are plain GET forms and every state lives in the URL. With it, filters and sort apply
   on change, results update as one types, and an accessible list of suggestions is offered. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function debounce(fn, delay) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, delay);
    };
  }

  /* Replace the results region with the one of another search page, keeping the URL in step. */
  function loadResults(url, focusResults) {
    return fetch(url, { headers: { "Accept": "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("resultats");
        var current = document.getElementById("resultats");
        if (!fresh || !current) { window.location.href = url; return; }
        current.replaceWith(fresh);
        var state = doc.getElementById("search-state");
        var currentState = document.getElementById("search-state");
        if (state && currentState) { currentState.replaceWith(state); }
        document.title = doc.title;
        history.replaceState(null, "", url);
        enhanceForms(fresh);
        if (focusResults) {
          var heading = document.getElementById("results-title");
          if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
        }
      })
      .catch(function () { window.location.href = url; });
  }

  function formUrl(form) {
    var params = new URLSearchParams(new FormData(form));
    return form.getAttribute("action") + "?" + params.toString();
  }

  function enhanceForms(root) {
    root.querySelectorAll("form[data-auto-submit]").forEach(function (form) {
      form.addEventListener("change", function () { loadResults(formUrl(form), false); });
    });
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
      if (index >= 0) { input.setAttribute("aria-activedescendant", items[index].id); }
    }

    function choose(item) {
      if (item.dataset.url) { window.location.href = item.dataset.url; return; }
      input.value = item.dataset.value;
      close();
      loadResults(formUrl(form), true);
    }

    var suggest = debounce(function () {
      var value = input.value.trim();
      if (value.length < 2) { close(); return; }
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(value))
        .then(function (response) { return response.json(); })
        .then(function (data) {
          list.innerHTML = "";
          (data.suggestions || []).forEach(function (suggestion, i) {
            var item = document.createElement("li");
            item.id = "suggestion-" + i;
            item.setAttribute("role", "option");
            item.dataset.value = suggestion.value;
            item.textContent = suggestion.value;
            if (suggestion.type === "title") {
              var kind = document.createElement("span");
              kind.className = "suggestion-kind";
              kind.textContent = suggestion.kind;
              item.appendChild(kind);
            }
            item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
            list.appendChild(item);
          });
          var any = list.children.length > 0;
          list.hidden = !any;
          input.setAttribute("aria-expanded", any ? "true" : "false");
          active = -1;
        })
        .catch(close);
    }, 150);

    var liveSearch = debounce(function () {
      if (input.value === last) { return; }
      last = input.value;
      loadResults(formUrl(form), false);
    }, 350);

    input.addEventListener("input", function () { suggest(); liveSearch(); });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("keydown", function (event) {
      var items = list.querySelectorAll("li");
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        select((active + 1) % items.length);
      } else if (event.key === "ArrowUp" && items.length) {
        event.preventDefault();
        select(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(items[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      close();
      last = input.value;
      loadResults(formUrl(form), true);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-live-search]");
    if (form) { enhanceSearch(form); }
    enhanceForms(document);
  });
})();
