// Typeahead for the search box of every page (<input id="search"> + <ul id="search-results">).
// Debounced fetch of /search; results are links to entity pages; arrow keys move, Enter opens, Escape closes.
// No dependencies, works offline.
(function () {
  "use strict";
  const DELAY_MS = 150;

  function setup() {
    const input = document.getElementById("search");
    const list = document.getElementById("search-results");
    if (!input || !list) return;
    let timer = null;
    let active = -1;
    let controller = null;
    let lastQuery = "";

    function items() { return Array.from(list.querySelectorAll("li")); }

    function close() { list.hidden = true; active = -1; input.setAttribute("aria-expanded", "false"); }

    function highlight(index) {
      const all = items();
      all.forEach((li, i) => li.classList.toggle("active", i === index));
      active = index;
      if (index >= 0 && all[index]) all[index].scrollIntoView({ block: "nearest" });
    }

    function show(results) {
      list.textContent = "";
      for (const r of results) {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        const a = document.createElement("a");
        a.href = r.url;
        a.textContent = r.label;
        if (r.matched && r.matched !== r.label) {
          const m = document.createElement("span");
          m.className = "matched";
          m.textContent = r.matched;
          a.appendChild(m);
        }
        const t = document.createElement("span");
        t.className = "type";
        t.textContent = r.type;
        a.appendChild(t);
        li.appendChild(a);
        list.appendChild(li);
      }
      active = -1;
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", String(results.length > 0));
    }

    async function lookup(query) {
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const response = await fetch("/search?limit=10&q=" + encodeURIComponent(query),
                                     { signal: controller.signal, headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const body = await response.json();
        if (input.value.trim() === query) show(body.results || []);
      } catch (err) {
        if (err.name !== "AbortError") close();
      }
    }

    input.addEventListener("input", function () {
      const query = input.value.trim();
      clearTimeout(timer);
      if (!query) { lastQuery = ""; show([]); return; }
      if (query === lastQuery) return;
      lastQuery = query;
      timer = setTimeout(() => lookup(query), DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      const all = items();
      if (event.key === "ArrowDown" && all.length) {
        event.preventDefault();
        list.hidden = false;
        highlight(Math.min(active + 1, all.length - 1));
      } else if (event.key === "ArrowUp" && all.length) {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        const target = all[active >= 0 ? active : 0];
        if (target && !list.hidden) {
          event.preventDefault();
          window.location.href = target.querySelector("a").href;
        }
      } else if (event.key === "Escape") {
        close();
      }
    });

    input.addEventListener("focus", function () { if (list.children.length) list.hidden = false; });
    document.addEventListener("click", function (event) {
      if (!input.form || !input.form.contains(event.target)) close();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
