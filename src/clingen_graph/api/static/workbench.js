/* The query workbench (templates/workbench.html): catalogue, editor, run, results table, downloads, share links.
 *
 * A catalogue query whose text is unchanged runs through GET /queries/{name}/results with its parameters (bound and
 * type-checked by the server); any other text runs as written through POST /sparql. IRIs in the results link to their
 * HTML pages as the server computes them (the `links` member of catalogue results, POST /workbench/links otherwise).
 * A share link carries the catalogue entry and its parameters, and the text itself when it was edited, in the URL
 * fragment: #q=gene-validity&p.gene=HGNC:1100[&sparql=…].
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("workbench-data").textContent);
  var byName = {};
  data.queries.forEach(function (q) { byName[q.name] = q; });
  // longest namespace first, so that compacting picks the most specific prefix
  var namespaces = Object.keys(data.prefixes).map(function (p) { return [p, data.prefixes[p]]; })
    .sort(function (a, b) { return b[1].length - a[1].length; });
  var MAX_TABLE_ROWS = 5000;
  var OWN_BASE = "https://w3id.org/clingen-graph/";

  function $(id) { return document.getElementById(id); }

  var textarea = $("editor");
  var cm = null;
  if (window.CodeMirror) {
    cm = window.CodeMirror.fromTextArea(textarea, {
      mode: "application/sparql-query", lineNumbers: true, matchBrackets: true, indentUnit: 2,
      extraKeys: { "Ctrl-Enter": function () { run(); }, "Cmd-Enter": function () { run(); } }
    });
    document.body.classList.add("wb-has-codemirror");
  } else {
    textarea.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
    });
  }
  var marks = [];

  function getText() { return cm ? cm.getValue() : textarea.value; }
  function setText(text) {
    if (cm) { cm.setValue(text); } else { textarea.value = text; }
    onEdit();
  }

  var chosen = null;      // the catalogue entry being worked on, or null
  var lastRequest = null; // what the last successful run asked for (downloads repeat it in another format)

  function isEdited() { return chosen !== null && getText() !== chosen.sparql; }

  function onEdit() {
    $("edited-note").hidden = !isEdited();
  }
  if (cm) { cm.on("change", onEdit); } else { textarea.addEventListener("input", onEdit); }

  // ---- catalogue -------------------------------------------------------------------------------------------------

  function choose(name, values) {
    var q = byName[name];
    if (!q) { return false; }
    chosen = q;
    values = values || {};
    $("chosen").hidden = false;
    $("chosen-title").textContent = q.title;
    $("chosen-description").textContent = q.description;
    var form = $("params");
    form.textContent = "";
    q.parameters.forEach(function (p) {
      var row = document.createElement("div");
      row.className = "wb-param";
      var label = document.createElement("label");
      label.htmlFor = "param-" + p.name;
      label.textContent = p.name + " (" + p.type + ")";
      var input = document.createElement("input");
      input.id = "param-" + p.name;
      input.name = p.name;
      input.type = "text";
      input.dataset.type = p.type;
      input.value = p.name in values ? values[p.name] : (p.example || "");
      input.placeholder = p.example || "";
      var help = document.createElement("small");
      help.textContent = p.description;
      row.appendChild(label);
      row.appendChild(input);
      row.appendChild(help);
      form.appendChild(row);
    });
    Array.prototype.forEach.call(document.querySelectorAll(".wb-query"), function (b) {
      if (b.dataset.name === name) { b.setAttribute("aria-current", "true"); } else { b.removeAttribute("aria-current"); }
    });
    setText(q.sparql);
    return true;
  }

  function paramValues() {
    var values = {};
    Array.prototype.forEach.call($("params").querySelectorAll("input"), function (input) {
      if (input.value.trim() !== "") { values[input.name] = input.value.trim(); }
    });
    return values;
  }

  document.querySelectorAll(".wb-query").forEach(function (button) {
    button.addEventListener("click", function () {
      choose(button.dataset.name);
      clearResults();
      setStatus("");
      updateLocation();
    });
  });
  $("params").addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); run(); }
  });
  $("revert").addEventListener("click", function () { if (chosen) { setText(chosen.sparql); } });

  // ---- requests --------------------------------------------------------------------------------------------------

  var MEDIA = { json: "application/sparql-results+json", csv: "text/csv" };

  function currentRequest() {
    if (chosen !== null && !isEdited()) {
      var name = chosen.name;
      var values = paramValues();
      return {
        name: name,
        fetch: function (fmt) {
          var qs = new URLSearchParams(values);
          qs.set("format", fmt);
          if (fmt === "json") { qs.set("links", "true"); }
          return fetch("/queries/" + encodeURIComponent(name) + "/results?" + qs.toString());
        }
      };
    }
    var text = getText();
    return {
      name: chosen ? chosen.name + "-edited" : "query",
      fetch: function (fmt) {
        var accept = fmt === "json" ? MEDIA.json + ", text/turtle;q=0.9" : MEDIA[fmt];
        return fetch("/sparql", {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": accept },
          body: new URLSearchParams({ query: text }).toString()
        });
      }
    };
  }

  function setStatus(text) { $("status").textContent = text; }

  function clearResults() {
    $("results").textContent = "";
    $("error").hidden = true;
    $("error").textContent = "";
    $("download-csv").disabled = true;
    $("download-json").disabled = true;
    marks.forEach(function (m) { m.clear(); });
    marks = [];
  }

  function showError(kind, heading, detail) {
    var box = $("error");
    box.textContent = "";
    box.dataset.kind = kind;
    var strong = document.createElement("strong");
    strong.textContent = heading;
    box.appendChild(strong);
    if (detail) {
      var p = document.createElement("p");
      p.textContent = detail;
      box.appendChild(p);
    }
    box.hidden = false;
    setStatus("");
  }

  async function showProblem(resp) {
    var problem = { title: resp.statusText, detail: "" };
    try {
      var body = await resp.text();
      try { problem = JSON.parse(body); } catch (e) { problem.detail = body; }
    } catch (e) { /* no body */ }
    var detail = problem.detail || "";
    var pos = /error at (\d+):(\d+)/.exec(detail);
    if (resp.status === 400 && pos) {
      var line = Number(pos[1]), col = Number(pos[2]);
      showError("syntax", "Syntax error at line " + line + ", column " + col, detail);
      markError(line, col);
    } else if (resp.status === 503 && /timeout/i.test(problem.title || "")) {
      showError("timeout", "Timeout: the query was stopped", detail);
    } else if (resp.status === 413) {
      showError("too-large", "Result too large", detail);
    } else {
      showError("problem", (problem.title || "Error") + " (" + resp.status + ")", detail);
    }
  }

  function markError(line, col) {
    if (!cm) {
      var lines = textarea.value.split("\n");
      var offset = 0;
      for (var i = 0; i < line - 1 && i < lines.length; i++) { offset += lines[i].length + 1; }
      textarea.focus();
      textarea.setSelectionRange(offset + col - 1, offset + col);
      return;
    }
    var text = cm.getLine(line - 1);
    if (text === undefined) { return; }
    // a position past the end of the line (an error at the end of input) marks its last character
    var ch = Math.min(Math.max(col - 1, 0), Math.max(text.length - 1, 0));
    var from = { line: line - 1, ch: ch };
    marks.push(cm.markText(from, { line: line - 1, ch: ch + 1 }, { className: "wb-error-mark" }));
    var handle = cm.addLineClass(line - 1, "background", "wb-error-line");
    marks.push({ clear: function () { cm.removeLineClass(handle, "background", "wb-error-line"); } });
    cm.setCursor(from);
    cm.focus();
  }

  async function fetchLinks(results) {
    var iris = {};
    ((results.results || {}).bindings || []).forEach(function (row) {
      Object.keys(row).forEach(function (v) { if (row[v].type === "uri") { iris[row[v].value] = true; } });
    });
    var list = Object.keys(iris);
    if (list.length === 0) { return {}; }
    try {
      var resp = await fetch("/workbench/links", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(list)
      });
      return resp.ok ? await resp.json() : {};
    } catch (e) {
      return {};
    }
  }

  var running = false;

  async function run() {
    if (running) { return; }
    running = true;
    $("run").disabled = true;
    clearResults();
    setStatus("Running…");
    updateLocation();
    var req = currentRequest();
    try {
      var resp = await req.fetch("json");
      if (!resp.ok) { await showProblem(resp); return; }
      var truncated = resp.headers.get("X-Result-Truncated") === "true";
      var rowLimit = resp.headers.get("X-Result-Row-Limit");
      var ctype = resp.headers.get("Content-Type") || "";
      if (ctype.indexOf("json") < 0) { // a CONSTRUCT/DESCRIBE answered as Turtle
        var pre = document.createElement("pre");
        pre.className = "wb-graph";
        pre.textContent = await resp.text();
        $("results").appendChild(pre);
        setStatus("Graph result (Turtle)");
        return;
      }
      var results = await resp.json();
      if (typeof results.boolean === "boolean") {
        setStatus("ASK: " + results.boolean);
        return;
      }
      var links = results.links || await fetchLinks(results);
      var n = render(results, links);
      var status = n + (n === 1 ? " row" : " rows");
      if (n > MAX_TABLE_ROWS) { status += " (the table shows the first " + MAX_TABLE_ROWS + "; download for all)"; }
      setStatus(status);
      if (truncated) {
        showError("truncated", "Truncated: only the first " + rowLimit + " rows are shown",
          "The result has more rows than the server's row limit (" + rowLimit + "). Add LIMIT/OFFSET to page " +
          "through it, or narrow the query.");
        setStatus(status);
      }
      lastRequest = req;
      $("download-csv").disabled = false;
      $("download-json").disabled = false;
    } catch (e) {
      showError("network", "The server could not be reached", String(e));
    } finally {
      running = false;
      $("run").disabled = false;
    }
  }

  function compact(iri) {
    for (var i = 0; i < namespaces.length; i++) {
      var ns = namespaces[i][1];
      if (iri.indexOf(ns) === 0 && iri.length > ns.length) { return namespaces[i][0] + ":" + iri.slice(ns.length); }
    }
    return iri;
  }

  function cell(term, links) {
    var td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var page = links[term.value];
      var shown = compact(term.value);
      if (page) {
        var a = document.createElement("a");
        a.href = page;
        a.textContent = shown;
        a.title = term.value;
        td.appendChild(a);
      } else if (/^https?:/.test(term.value) && term.value.indexOf(OWN_BASE) !== 0) {
        var ext = document.createElement("a");
        ext.href = term.value;
        ext.className = "wb-external";
        ext.rel = "noopener";
        ext.target = "_blank";
        ext.textContent = shown;
        td.appendChild(ext);
      } else {
        var span = document.createElement("span");
        span.title = term.value;
        span.textContent = shown;
        td.appendChild(span);
      }
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) { td.lang = term["xml:lang"]; }
      if (term.datatype) { td.title = term.datatype; }
    }
    return td;
  }

  function render(results, links) {
    var vars = results.head.vars;
    var rows = results.results.bindings;
    var table = document.createElement("table");
    table.id = "results-table";
    var thead = table.createTHead().insertRow();
    vars.forEach(function (v) {
      var th = document.createElement("th");
      th.textContent = "?" + v;
      thead.appendChild(th);
    });
    var tbody = table.createTBody();
    rows.slice(0, MAX_TABLE_ROWS).forEach(function (row) {
      var tr = tbody.insertRow();
      vars.forEach(function (v) { tr.appendChild(cell(row[v], links)); });
    });
    $("results").appendChild(table);
    return rows.length;
  }

  // ---- downloads -------------------------------------------------------------------------------------------------

  async function download(fmt) {
    if (!lastRequest) { return; }
    var req = lastRequest;
    try {
      var resp = await req.fetch(fmt);
      if (!resp.ok) { await showProblem(resp); return; }
      var blob = await resp.blob();
      if (fmt === "json") { // the catalogue's JSON carries `links` for this page; a download is plain SPARQL JSON
        var results = JSON.parse(await blob.text());
        delete results.links;
        blob = new Blob([JSON.stringify(results)], { type: MEDIA.json });
      }
      var a = $("download-link");
      var url = URL.createObjectURL(blob);
      a.href = url;
      a.download = req.name + "." + fmt;
      a.click();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    } catch (e) {
      showError("network", "The download failed", String(e));
    }
  }
  $("download-csv").addEventListener("click", function () { download("csv"); });
  $("download-json").addEventListener("click", function () { download("json"); });

  // ---- share links -----------------------------------------------------------------------------------------------

  function shareFragment() {
    var qs = new URLSearchParams();
    if (chosen) {
      qs.set("q", chosen.name);
      var values = paramValues();
      Object.keys(values).forEach(function (k) { qs.set("p." + k, values[k]); });
    }
    if (!chosen || isEdited()) { qs.set("sparql", getText()); }
    return qs.toString();
  }

  function shareUrl() { return location.origin + location.pathname + "#" + shareFragment(); }

  function updateLocation() {
    history.replaceState(null, "", location.pathname + "#" + shareFragment());
  }

  $("share").addEventListener("click", function () {
    updateLocation();
    var box = $("share-url");
    box.value = shareUrl();
    box.hidden = false;
    box.focus();
    box.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(function () { setStatus("Link copied"); }, function () {});
    }
  });

  function restore() {
    var raw = location.hash.replace(/^#/, "") || location.search.replace(/^\?/, "");
    var qs = new URLSearchParams(raw);
    var values = {};
    qs.forEach(function (value, key) { if (key.indexOf("p.") === 0) { values[key.slice(2)] = value; } });
    var name = qs.get("q");
    chosen = null;
    $("chosen").hidden = true;
    var restored = Boolean(name) && choose(name, values);
    if (qs.has("sparql")) {
      setText(qs.get("sparql"));
      restored = true;
    }
    if (!restored) { setText(data.starter); }
  }

  window.addEventListener("hashchange", function () {
    if (location.hash.replace(/^#/, "") !== shareFragment()) { clearResults(); restore(); }
  });
  $("run").addEventListener("click", run);
  restore();
})();
