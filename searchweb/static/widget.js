/* eig-search widget, included by the static site (docs/integration.md): turns each search form
   marked data-eig-search into a search-as-you-type box, with suggestions from this server's
   /api/suggest, following the WAI-ARIA combobox pattern (a listbox of options, arrow keys,
   Enter, Escape, a polite announcement of how many suggestions there are).
   Without this file, or when suggestions cannot be fetched, the form stays a plain GET form to
   /recherche. Plain ES2017, no dependency, no inline style (the host site's CSP may forbid it):
   the styles are in widget.css, next to this file. Its only requests go to the origin this
   script was loaded from. On the site's English pages (<html lang="en">) it speaks English and
   its form opens the engine's English interface (lang=en). */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script || !script.src) { return; }
  const ORIGIN = new URL(script.src).origin;
  const DELAY = 150;      /* ms of quiet typing before asking for suggestions */
  const MIN_CHARS = 2;    /* the server suggests nothing for less */
  let widgets = 0;
  const ENGLISH = /^en\b/i.test(document.documentElement.lang || "");
  const TEXTS = ENGLISH
    ? { none: "No suggestions.", keys: ": up and down arrows to browse, Enter to choose." }
    : { none: "Aucune suggestion.", keys: " : flèches haut et bas pour parcourir, Entrée pour choisir." };

  function addStylesheet() {
    const href = ORIGIN + "/widget.css";
    const links = Array.from(document.querySelectorAll("link[rel=stylesheet]"));
    if (links.some((link) => link.href === href)) { return; }
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  }

  function announcement(count) {
    if (count === 0) { return TEXTS.none; }
    const noun = count === 1 ? "1 suggestion" : count + " suggestions";
    return noun + TEXTS.keys;
  }

  function enhance(form) {
    const input = form.querySelector("input[name=q]");
    if (!input || form.dataset.eigSearchReady) { return; }
    form.dataset.eigSearchReady = "true";
    if (ENGLISH && !form.querySelector("[name=lang]")) {
      const lang = document.createElement("input");
      lang.type = "hidden";
      lang.name = "lang";
      lang.value = "en";
      form.appendChild(lang);
    }
    widgets += 1;
    const prefix = (input.id || "eig-search-" + widgets) + "-suggestions";
    const list = document.createElement("ul");
    list.id = prefix;
    list.className = "eig-search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    const status = document.createElement("div");
    status.className = "eig-search-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.classList.add("eig-search");
    input.after(list);
    form.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    let suggestions = [];
    let active = -1;
    let timer = 0;
    let pending = null;
    let unavailable = false;   /* set once a request fails: no more requests from this page */

    const options = () => list.querySelectorAll("[role=option]");

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function open() {
      if (!suggestions.length) { return; }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function highlight(index) {
      const items = options();
      items.forEach((item, i) => item.setAttribute("aria-selected", i === index ? "true" : "false"));
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    }

    function show(received) {
      suggestions = received.filter((item) => item && typeof item.value === "string");
      list.textContent = "";
      suggestions.forEach((suggestion, i) => {
        const item = document.createElement("li");
        item.id = prefix + "-" + i;
        item.className = "eig-search-option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = suggestion.value;
        if (suggestion.type === "title" && suggestion.kind) {
          const kind = document.createElement("span");
          kind.className = "eig-search-kind";
          kind.textContent = suggestion.kind.charAt(0).toUpperCase() + suggestion.kind.slice(1);  // as the pages
          item.appendChild(document.createTextNode(" "));
          item.appendChild(kind);
        }
        list.appendChild(item);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = announcement(suggestions.length);
      if (suggestions.length && document.activeElement === input) { open(); } else { close(); }
    }

    /* A page title goes to that page of the site; a word searches for it on this server. */
    function choose(suggestion) {
      close();
      if (suggestion.type === "title" && suggestion.url) {
        const page = new URL(suggestion.url, location.href);
        if (page.protocol === "https:" || page.protocol === "http:") {
          location.assign(page.href);
          return;
        }
      }
      input.value = suggestion.value;
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }

    async function load(typed) {
      if (pending) { pending.abort(); }
      const controller = new AbortController();
      pending = controller;
      let data = null;
      try {
        const response = await fetch(ORIGIN + "/api/suggest?q=" + encodeURIComponent(typed),
                                     { signal: controller.signal, credentials: "omit" });
        if (response.ok) { data = await response.json(); }
      } catch (error) {
        if (error.name === "AbortError") { return; }
        unavailable = true;   /* refused (no CORS for this site) or unreachable: the plain form remains */
      }
      if (pending !== controller) { return; }
      pending = null;
      if (!data || !Array.isArray(data.suggestions)) {
        suggestions = [];
        close();
      } else if (input.value.trim() === typed) {
        show(data.suggestions);
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      const typed = input.value.trim();
      if (unavailable || typed.length < MIN_CHARS) {
        suggestions = [];
        status.textContent = "";
        close();
        return;
      }
      timer = setTimeout(() => load(typed), DELAY);
    });

    input.addEventListener("keydown", (event) => {
      const count = options().length;
      if (event.key === "ArrowDown" && count) {
        event.preventDefault();
        open();
        highlight((active + 1) % count);
      } else if (event.key === "ArrowUp" && count) {
        event.preventDefault();
        open();
        highlight(active <= 0 ? count - 1 : active - 1);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(suggestions[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", close);
    /* Keep the focus in the field while an option is clicked, so the list is still there. */
    list.addEventListener("mousedown", (event) => event.preventDefault());
    list.addEventListener("click", (event) => {
      const item = event.target.closest("[role=option]");
      if (item) { choose(suggestions[Array.from(options()).indexOf(item)]); }
    });
  }

  function start() {
    const forms = document.querySelectorAll("form[data-eig-search]");
    if (!forms.length) { return; }
    addStylesheet();
    forms.forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
