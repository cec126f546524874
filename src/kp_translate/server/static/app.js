// The review page: translate with the server's API and show what the glossary did.
//
// Everything shown comes from the server or from the user and is untrusted: the DOM is built with
// createElement and textContent only (never innerHTML with data). Offsets in the response are
// Unicode code points into translatedText, so the text is indexed as Array.from(text).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);

  /** The last successful response and its English text. */
  const state = { response: null, english: "", busy: false, charLimit: -1, tips: 0 };

  class ApiError extends Error {}

  // -- small DOM helpers -------------------------------------------------------------------

  function el(tag, attrs = {}, text = null) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value !== null && value !== undefined && value !== false) node.setAttribute(name, String(value));
    }
    if (text !== null) node.textContent = text;
    return node;
  }

  function setStatus(message) {
    $("status").textContent = message;
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = !message;
  }

  function plural(n, one, many) {
    return `${n} ${n === 1 ? one : many}`;
  }

  function codePoints(text) {
    return Array.from(text).length;
  }

  // -- the API -----------------------------------------------------------------------------

  async function api(path, options = {}) {
    let response;
    try {
      response = await fetch(path, options);
    } catch (err) {
      throw new ApiError(`The server did not answer (${err.message || err}).`);
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (body && typeof body === "object" && !Array.isArray(body) && typeof body.error === "string") {
      throw new ApiError(body.error);
    }
    if (!response.ok) throw new ApiError(`The server answered ${response.status} ${response.statusText}.`);
    if (body === null) throw new ApiError(`The server's answer to ${path} is not JSON.`);
    return body;
  }

  async function loadLanguages() {
    const languages = await api("/languages");
    const select = $("source-lang");
    let preferred = null;
    for (const lang of languages) {
      if (!Array.isArray(lang.targets) || !lang.targets.includes("en")) continue;
      select.append(el("option", { value: lang.code }, `${lang.name} (${lang.code})`));
      if (preferred === null || lang.code === "fr") preferred = lang.code;
    }
    if (preferred !== null) select.value = preferred;
  }

  async function loadGlossaries() {
    const stored = await api("/glossaries");
    const select = $("glossary-choice");
    for (const g of stored) {
      const langs = Array.isArray(g.languages) && g.languages.length ? `, ${g.languages.join(" ")}` : "";
      select.append(el("option", { value: g.id }, `Server glossary + ${g.name} (${plural(g.entries, "entry", "entries")}${langs})`));
    }
  }

  async function loadSettings() {
    const settings = await api("/frontend/settings");
    state.charLimit = typeof settings.charLimit === "number" ? settings.charLimit : -1;
    if (settings.keyRequired) $("key-box").hidden = false;
    const g = settings.glossary;
    if (g && typeof g.entries === "number") {
      $("server-info").textContent =
        `Offline translation into English. Server glossary: ${plural(g.entries, "entry", "entries")} (version ${g.version}).`;
    }
    updateCount();
  }

  // -- the source text -----------------------------------------------------------------------

  function updateCount() {
    const n = codePoints($("source-text").value);
    const limit = state.charLimit > 0 ? ` of ${state.charLimit}` : "";
    const counter = $("source-count");
    counter.textContent = n ? `${n}${limit} characters` : "";
    counter.classList.toggle("over", state.charLimit > 0 && n > state.charLimit);
  }

  const MAX_FILE = 10 * 1024 * 1024;

  async function readFile(file) {
    showError("");
    const isText = /\.txt$/i.test(file.name) || file.type === "text/plain";
    if (!isText) {
      showError(`${file.name}: only .txt files can be read here.`);
      return;
    }
    if (file.size > MAX_FILE) {
      showError(`${file.name}: the file is larger than 10 MB.`);
      return;
    }
    let text;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
    } catch {
      showError(`${file.name}: not UTF-8 text.`);
      return;
    }
    $("source-text").value = text.replace(/^\uFEFF/, "");
    updateCount();
    setStatus(`Read ${file.name} (${codePoints(text)} characters).`);
  }

  function setUpDrop() {
    const zone = $("drop-zone");
    const hasFiles = (event) => event.dataTransfer && Array.from(event.dataTransfer.types || []).includes("Files");
    zone.addEventListener("dragover", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      zone.classList.add("dragging");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
    zone.addEventListener("drop", (event) => {
      zone.classList.remove("dragging");
      const files = event.dataTransfer ? event.dataTransfer.files : null;
      if (!files || files.length === 0) return; // dropped text: the textarea takes it
      event.preventDefault();
      if (files.length > 1) setStatus(`${files.length} files dropped: reading the first one.`);
      readFile(files[0]);
    });
    // a file dropped beside the box must not make the browser leave the page
    for (const type of ["dragover", "drop"]) {
      window.addEventListener(type, (event) => {
        if (hasFiles(event) && !zone.contains(event.target)) event.preventDefault();
      });
    }
    $("source-file").addEventListener("change", (event) => {
      const input = event.target;
      if (input.files && input.files.length) readFile(input.files[0]);
      input.value = "";
    });
  }

  // -- rendering a response -------------------------------------------------------------------

  /** Spans of one item's text to mark: [{start, end, kind, record}], sorted, without overlaps. */
  function spansOf(length, segment) {
    const spans = [];
    const add = (records, kind) => {
      for (const record of records || []) {
        const { start, end } = record;
        if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= length) {
          spans.push({ start, end, kind, record });
        }
      }
    };
    add(segment.enforced, "term");
    add(segment.inferred, "inferred");
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    const kept = [];
    let reached = 0;
    for (const span of spans) {
      if (span.start >= reached) {
        kept.push(span);
        reached = span.end;
      }
    }
    return kept;
  }

  /** The lines a term's tooltip shows, as [label, value] pairs. */
  function tipLines(kind, record) {
    if (kind === "term") {
      const lines = [
        ["Source", record.source],
        ["Entry", record.entry],
      ];
      if (record.type) lines.push(["Type", record.type]);
      if (record.note) lines.push(["Note", record.note]);
      return lines;
    }
    const lines = [
      ["Inferred from", record.source],
      ["Rule", record.rule],
    ];
    if (record.type) lines.push(["Type", record.type]);
    if (typeof record.confidence === "number") lines.push(["Confidence", record.confidence.toFixed(2)]);
    return lines;
  }

  function makeTip(kind, record) {
    state.tips += 1;
    const id = `tip-${state.tips}`;
    const tip = el("div", { id, role: "tooltip", class: `tip tip-${kind}` });
    tip.hidden = true;
    const heading = kind === "term" ? "Enforced by the glossary" : "Name inferred (not in the glossary)";
    tip.append(el("strong", {}, heading));
    const list = el("dl");
    for (const [label, value] of tipLines(kind, record)) {
      if (value === undefined || value === null || value === "") continue;
      list.append(el("dt", {}, label), el("dd", {}, String(value)));
    }
    tip.append(list);
    $("tips").append(tip);
    return tip;
  }

  function showTip(mark, tip) {
    for (const other of $("tips").children) other.hidden = true;
    tip.hidden = false;
    const box = mark.getBoundingClientRect();
    const width = Math.min(420, document.documentElement.clientWidth - 16);
    tip.style.maxWidth = `${width}px`;
    const left = Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    tip.style.left = `${left}px`;
    tip.style.top = `${box.bottom + window.scrollY + 6}px`;
  }

  function markFor(text, span) {
    const kind = span.kind;
    const tip = makeTip(kind, span.record);
    const title = tipLines(kind, span.record)
      .filter(([, v]) => v !== undefined && v !== null && v !== "")
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n");
    const mark = el(kind === "term" ? "mark" : "span", {
      class: kind,
      tabindex: 0,
      title,
      "aria-describedby": tip.id,
      "data-entry": kind === "term" ? span.record.entry : null,
      "data-rule": kind === "inferred" ? span.record.rule : null,
    }, text);
    // the tooltip stays while the pointer is on the term or on the tooltip itself, or the term has
    // focus; Escape dismisses it
    let leaving = 0;
    const show = () => {
      clearTimeout(leaving);
      showTip(mark, tip);
    };
    const hide = () => {
      clearTimeout(leaving);
      tip.hidden = true;
    };
    const hideSoon = () => {
      clearTimeout(leaving);
      leaving = setTimeout(() => {
        if (document.activeElement !== mark && !tip.matches(":hover")) tip.hidden = true;
      }, 200);
    };
    mark.addEventListener("mouseenter", show);
    mark.addEventListener("focus", show);
    mark.addEventListener("mouseleave", hideSoon);
    tip.addEventListener("mouseenter", () => clearTimeout(leaving));
    tip.addEventListener("mouseleave", hideSoon);
    mark.addEventListener("blur", () => {
      if (!mark.matches(":hover")) hide();
    });
    mark.addEventListener("keydown", (event) => {
      if (event.key === "Escape") hide();
    });
    return mark;
  }

  function renderItem(text, segment) {
    const block = el("div", { class: "item" });
    const chars = Array.from(text);
    let pos = 0;
    for (const span of spansOf(chars.length, segment)) {
      if (span.start > pos) block.append(document.createTextNode(chars.slice(pos, span.start).join("")));
      block.append(markFor(chars.slice(span.start, span.end).join(""), span));
      pos = span.end;
    }
    if (pos < chars.length) block.append(document.createTextNode(chars.slice(pos).join("")));
    return block;
  }

  function renderSummary(segments) {
    const failures = $("failures");
    const terms = $("terms");
    const names = $("names");
    failures.replaceChildren();
    terms.replaceChildren();
    names.replaceChildren();
    const counts = new Map();
    for (const segment of segments) {
      for (const f of segment.failed || []) {
        const item = el("li", { class: "failure", "data-entry": f.entry });
        item.append(el("span", { class: "form" }, f.source), ` → ${f.target} `, el("code", {}, f.entry));
        item.append(el("span", { class: "reason" }, `: ${f.reason}`));
        failures.append(item);
      }
      for (const r of segment.inferred || []) {
        const item = el("li", { "data-rule": r.rule });
        item.append(el("span", { class: "form" }, r.source), ` → ${r.target} `, el("code", {}, r.rule));
        if (!Number.isInteger(r.start)) item.append(el("span", { class: "muted" }, " (not located in the text)"));
        names.append(item);
      }
      for (const e of segment.enforced || []) {
        const key = JSON.stringify([e.entry, e.source, e.target]);
        const seen = counts.get(key) || { record: e, n: 0, located: 0 };
        seen.n += 1;
        if (Number.isInteger(e.start)) seen.located += 1;
        counts.set(key, seen);
      }
    }
    if (!failures.children.length) failures.append(el("li", { class: "none" }, "Every glossary term was enforced."));
    for (const { record, n, located } of counts.values()) {
      const item = el("li", { "data-entry": record.entry });
      item.append(el("span", { class: "form" }, record.source), ` → ${record.target} `, el("code", {}, record.entry));
      if (n > 1) item.append(` ×${n}`);
      if (located < n) item.append(el("span", { class: "muted" }, ` (${n - located} not located in the text)`));
      terms.append(item);
    }
    if (!terms.children.length) terms.append(el("li", { class: "none" }, "No glossary term in this text."));
    if (!names.children.length) names.append(el("li", { class: "none" }, "No name inferred by rule."));
    $("summary").hidden = false;
  }

  function render(response) {
    const texts = Array.isArray(response.translatedText) ? response.translatedText : [response.translatedText ?? ""];
    const segments = (response.glossary && Array.isArray(response.glossary.segments)) ? response.glossary.segments : [];
    $("tips").replaceChildren();
    const result = $("result");
    result.replaceChildren();
    texts.forEach((text, i) => result.append(renderItem(String(text), segments[i] || {})));
    renderSummary(segments);
    state.response = response;
    state.english = texts.join("\n\n");
    $("copy-button").disabled = false;
    $("download-button").disabled = false;
    const count = (key) => segments.reduce((n, s) => n + ((s[key] || []).length), 0);
    const enforced = count("enforced");
    const inferred = count("inferred");
    const failed = count("failed");
    const g = response.glossary;
    const detected = response.detectedLanguage && !Array.isArray(response.detectedLanguage)
      ? ` (detected ${response.detectedLanguage.language})` : "";
    const pair = g && g.pair ? g.pair : "";
    setStatus(
      `Translated ${pair}${detected}: ${plural(enforced, "term", "terms")} enforced, ` +
      `${plural(inferred, "name", "names")} inferred, ${failed} not enforced.`,
    );
  }

  // -- actions ---------------------------------------------------------------------------------

  async function translate(event) {
    event.preventDefault();
    if (state.busy) return;
    showError("");
    const q = $("source-text").value;
    if (!q.trim()) {
      showError("Nothing to translate: paste text or choose a .txt file.");
      $("source-text").focus();
      return;
    }
    const body = { q, source: $("source-lang").value, target: $("target-lang").value, format: "text" };
    const gid = $("glossary-choice").value;
    if (gid) body.glossary_id = gid;
    const inline = $("inline-glossary").value;
    if (inline.trim()) body.glossary = inline;
    const key = $("api-key").value;
    if (key) body.api_key = key;
    state.busy = true;
    const button = $("translate-button");
    button.setAttribute("aria-disabled", "true");
    $("result-panel").setAttribute("aria-busy", "true");
    setStatus("Translating…");
    try {
      const response = await api("/translate", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      });
      render(response);
    } catch (err) {
      setStatus("Translation failed.");
      showError(err instanceof ApiError ? err.message : `Unexpected error: ${err}`);
    } finally {
      state.busy = false;
      button.removeAttribute("aria-disabled");
      $("result-panel").removeAttribute("aria-busy");
    }
  }

  function copyFallback(text) {
    const area = el("textarea", { class: "offscreen", "aria-hidden": "true", tabindex: -1 });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }

  async function copy() {
    const button = $("copy-button");
    let ok = false;
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(state.english);
        ok = true;
      } catch {
        ok = false;
      }
    }
    if (!ok) ok = copyFallback(state.english);
    button.focus();
    setStatus(ok ? "Copied the English to the clipboard." : "Could not copy: select the text and copy it.");
  }

  function download() {
    if (!state.response) return;
    const blob = new Blob([JSON.stringify(state.response, null, 2) + "\n"], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const pair = state.response.glossary && state.response.glossary.pair ? `-${state.response.glossary.pair}` : "";
    const link = el("a", { href: url, download: `kp-translate-report${pair}.json`, class: "offscreen" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    setStatus("Downloaded the JSON report.");
  }

  // -- start -------------------------------------------------------------------------------------

  async function start() {
    $("translate-form").addEventListener("submit", translate);
    $("source-text").addEventListener("input", updateCount);
    $("source-text").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("translate-form").requestSubmit();
    });
    $("copy-button").addEventListener("click", copy);
    $("download-button").addEventListener("click", download);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") for (const tip of $("tips").children) tip.hidden = true;
    });
    setUpDrop();
    const loads = await Promise.allSettled([loadLanguages(), loadGlossaries(), loadSettings()]);
    const failed = loads.filter((r) => r.status === "rejected").map((r) => r.reason.message || String(r.reason));
    if (failed.length) showError(`Could not read the server's settings: ${failed.join("; ")}`);
    document.body.dataset.ready = "true";
  }

  start();
})();
