// Veil review page. Presentation only: every rule (detection, linking, allow/deny lists,
// operators, audit) runs on the server through /v1; this file sends the text and the
// user's corrections, and draws what comes back. Offsets from the API are code points;
// JavaScript strings index UTF-16 code units, so they are converted before slicing.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  const state = {
    authRequired: false,
    info: null,
    name: "text",         // base name for downloads
    text: "",             // the text the current review was computed on
    entities: [],
    allow: [],            // strings never masked (from "Unmask")
    deny: [],             // strings always masked (from "Mask a missed string")
    masked: null,         // last /v1/redact response
    audit: null,          // last /v1/audit response
    busy: false,
  };

  // ---------------------------------------------------------------- API

  function headers(json) {
    const h = {};
    if (json) h["Content-Type"] = "application/json";
    const token = $("token").value.trim();
    if (token) h["Authorization"] = "Bearer " + token;
    return h;
  }

  async function call(method, path, body, isForm) {
    const init = { method, headers: headers(body !== undefined && !isForm) };
    if (body !== undefined) init.body = isForm ? body : JSON.stringify(body);
    let response;
    try {
      response = await fetch(path, init);
    } catch (err) {
      throw new Error("The server could not be reached.");
    }
    let data = null;
    try {
      data = await response.json();
    } catch (err) {
      data = null;
    }
    if (!response.ok) {
      const message = data && data.error ? data.error.message : "HTTP " + response.status;
      if (response.status === 401) {
        $("token-row").hidden = false;
        throw new Error("The access token is missing or wrong.");
      }
      throw new Error(message);
    }
    return data;
  }

  function options() {
    const o = { allow: state.allow.slice(), deny: state.deny.slice() };
    if ($("preset").value) o.preset = $("preset").value;
    if ($("operator").value) o.operator = $("operator").value;
    return o;
  }

  // ---------------------------------------------------------------- status

  function status(message, isError) {
    const el = $("status");
    el.textContent = message;
    el.classList.toggle("error", Boolean(isError));
    el.setAttribute("role", isError ? "alert" : "status");
  }

  // Actions run one at a time, in the order the user asked for them: one that comes while
  // another runs waits for it (typing the token and then clicking "Find entities" connects,
  // then finds), and the same action asked again while it waits is not queued twice.
  let queue = Promise.resolve();
  const waiting = new Set();

  function guarded(label, fn) {
    if (waiting.has(label)) return queue;
    waiting.add(label);
    const run = queue.then(async () => {
      waiting.delete(label);
      state.busy = true;
      document.body.setAttribute("aria-busy", "true");
      status(label + "…");
      try {
        await fn();
      } catch (err) {
        status(err.message, true);
      } finally {
        state.busy = false;
        document.body.removeAttribute("aria-busy");
      }
    });
    queue = run;
    return run;
  }

  // ---------------------------------------------------------------- offsets

  // UTF-16 index of every code point offset 0..n (n = number of code points).
  function codePointIndex(text) {
    const index = [0];
    let u = 0;
    for (const ch of text) {
      u += ch.length;
      index.push(u);
    }
    return index;
  }

  // Split `text` into plain strings and marked pieces. `marks` carry code point
  // offsets {start, end, ...}; they must not overlap (the server guarantees it).
  function render(container, text, marks, makeMark) {
    const at = codePointIndex(text);
    const sorted = marks.slice().sort((a, b) => a.start - b.start);
    const frag = document.createDocumentFragment();
    let pos = 0;
    for (const m of sorted) {
      const s = at[m.start];
      const e = at[m.end];
      if (s === undefined || e === undefined || s < pos) continue;
      if (s > pos) frag.appendChild(document.createTextNode(text.slice(pos, s)));
      frag.appendChild(makeMark(m, text.slice(s, e)));
      pos = e;
    }
    if (pos < text.length) frag.appendChild(document.createTextNode(text.slice(pos)));
    container.replaceChildren(frag);
  }

  function surface(text, mention) {
    const at = codePointIndex(text);
    return text.slice(at[mention.start], at[mention.end]);
  }

  // ---------------------------------------------------------------- review

  // An entity is "linked" (all its mentions and its list entry stand out) while one of
  // its mentions or its list entry is hovered or has keyboard focus.
  const linked = { hover: null, focus: null };

  function linkEntity(kind, id) {
    linked[kind] = id;
    for (const el of document.querySelectorAll("[data-entity]")) {
      const eid = el.dataset.entity;
      el.classList.toggle("linked", eid === linked.hover || eid === linked.focus);
    }
  }

  function drawReview() {
    linked.hover = null;
    linked.focus = null;
    const text = state.text;
    const marks = [];
    state.entities.forEach((ent, n) => {
      ent.mentions.forEach((m, k) => marks.push({ start: m.start, end: m.end, ent, n, k }));
    });
    render($("doc"), text, marks, (m, shown) => {
      const el = document.createElement("mark");
      el.className = "ent l-" + m.ent.label;
      el.textContent = shown;
      el.tabIndex = 0;
      el.dataset.entity = m.ent.id;
      el.dataset.label = m.ent.label;
      const count = m.ent.mentions.length;
      el.title = m.ent.label + " · mention " + (m.k + 1) + " of " + count;
      el.setAttribute("aria-label", shown + ", " + m.ent.label + ", mention " + (m.k + 1) + " of " + count);
      return el;
    });

    const counts = {};
    for (const ent of state.entities) counts[ent.label] = (counts[ent.label] || 0) + 1;
    const legend = $("legend");
    legend.replaceChildren();
    for (const label of Object.keys(counts).sort()) {
      const li = document.createElement("li");
      li.className = "chip l-" + label;
      li.textContent = label + " " + counts[label];
      legend.appendChild(li);
    }

    const list = $("entities");
    list.replaceChildren();
    $("entity-count").textContent = "(" + state.entities.length + ")";
    for (const ent of state.entities) {
      const li = document.createElement("li");
      li.dataset.entity = ent.id;
      const chip = document.createElement("span");
      chip.className = "chip l-" + ent.label;
      chip.textContent = ent.label;
      const name = document.createElement("span");
      name.className = "name";
      const canonical = surface(text, ent.mentions[ent.canonical || 0]);
      name.textContent = canonical;
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = ent.mentions.length === 1 ? "1 mention" : ent.mentions.length + " mentions";
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = "Unmask";
      button.setAttribute("aria-label", "Unmask " + canonical + " (" + ent.label + ", " + count.textContent + ")");
      button.addEventListener("click", () => correct("allow", canonical));
      const what = document.createElement("span");
      what.className = "what";
      what.append(name, " ", count);
      li.append(chip, what, button);
      li.addEventListener("mouseenter", () => linkEntity("hover", ent.id));
      li.addEventListener("mouseleave", () => linkEntity("hover", null));
      button.addEventListener("focus", () => linkEntity("focus", ent.id));
      button.addEventListener("blur", () => linkEntity("focus", null));
      list.appendChild(li);
    }

    const lists = $("lists");
    lists.replaceChildren();
    const items = state.allow.map((s) => ["allow", s]).concat(state.deny.map((s) => ["deny", s]));
    for (const [kind, value] of items) {
      const li = document.createElement("li");
      const what = document.createElement("span");
      what.className = "kind";
      what.textContent = kind === "allow" ? "Not masked:" : "Always masked:";
      const val = document.createElement("span");
      val.className = "name";
      val.textContent = value;
      const undo = document.createElement("button");
      undo.type = "button";
      undo.textContent = "Undo";
      undo.setAttribute("aria-label", "Undo: " + what.textContent + " " + value);
      undo.addEventListener("click", () => uncorrect(kind, value));
      li.append(what, " ", val, " ", undo);
      lists.appendChild(li);
    }
    $("lists-empty").hidden = items.length > 0;
    $("review").hidden = false;
    $("result").hidden = false;
  }

  function onDocEvent(event, kind, on) {
    const mark = event.target.closest && event.target.closest("mark.ent");
    if (mark) linkEntity(kind, on ? mark.dataset.entity : null);
  }

  function goToEntity(mark) {
    const li = $("entities").querySelector('li[data-entity="' + CSS.escape(mark.dataset.entity) + '"]');
    if (!li) return;
    li.scrollIntoView({ block: "nearest" });
    li.querySelector("button").focus();
  }

  // ---------------------------------------------------------------- actions

  async function detect() {
    const text = $("text").value;
    if (!text.trim()) {
      throw new Error("Paste a text or open a file first.");
    }
    const data = await call("POST", "/v1/detect", Object.assign({ text }, options()));
    state.text = text;
    state.entities = data.entities;
    drawReview();
    const n = data.entities.length;
    const m = data.entities.reduce((sum, e) => sum + e.mentions.length, 0);
    status("Found " + n + (n === 1 ? " entity" : " entities") + " with " + m + (m === 1 ? " mention." : " mentions."));
  }

  async function redact() {
    const data = await call("POST", "/v1/redact", Object.assign({ text: state.text }, options()));
    state.masked = data;
    state.audit = null;
    $("masked").textContent = data.text;
    $("masked").hidden = false;
    $("findings-box").hidden = true;
    $("audit").disabled = !(state.info && state.info.audit_available);
    $("download-text").disabled = false;
    $("download-report").disabled = false;
    status("Masked " + data.report.mention_count + " mentions. You can download the result.");
  }

  // The audit runs on the server together with the masking, so it knows which parts of
  // the output are replacements (a pseudonym or surrogate is not a leaked name).
  async function audit() {
    if (!state.masked) return;
    const body = Object.assign({ text: state.text, audit: true }, options());
    const data = await call("POST", "/v1/redact", body);
    state.masked = data;
    state.audit = data.audit;
    const findings = Array.isArray(data.audit.findings) ? data.audit.findings : [];
    const marks = findings.filter((f) => Number.isInteger(f.start) && Number.isInteger(f.end) && f.end > f.start);
    render($("masked"), data.text, marks, (f, shown) => {
      const el = document.createElement("mark");
      el.className = "finding sev-" + f.severity;
      el.textContent = shown;
      el.title = describeFinding(f);
      el.tabIndex = 0;
      el.setAttribute("aria-label", shown + ": " + describeFinding(f));
      return el;
    });
    const list = $("findings");
    list.replaceChildren();
    for (const f of findings) {
      const li = document.createElement("li");
      const sev = document.createElement("span");
      sev.className = "chip sev-" + f.severity;
      sev.textContent = f.severity;
      const where = document.createElement("span");
      where.className = "name";
      where.textContent = surface(data.text, f);
      const what = document.createElement("span");
      what.className = "explanation";
      what.textContent = [f.kind, f.label, f.explanation].filter(Boolean).join(" · ");
      li.append(sev, " ", where, " ", what);
      list.appendChild(li);
    }
    $("finding-count").textContent = "(" + findings.length + ")";
    $("risk").textContent = "Risk: " + data.audit.risk + (data.audit.reasons.length ? " — " + data.audit.reasons.join("; ") : "");
    $("findings-box").hidden = false;
    status(findings.length ? "The audit found " + findings.length + " things that may still identify someone." : "The audit found nothing left to mask.");
  }

  function describeFinding(f) {
    return [f.severity, f.kind, f.label, f.explanation].filter(Boolean).join(" · ") || "finding";
  }

  async function correct(kind, value) {
    value = value.trim();
    if (!value) return;
    const list = kind === "allow" ? state.allow : state.deny;
    const other = kind === "allow" ? state.deny : state.allow;
    if (!list.includes(value)) list.push(value);
    const i = other.indexOf(value);
    if (i >= 0) other.splice(i, 1);
    await rerun();
  }

  async function uncorrect(kind, value) {
    const list = kind === "allow" ? state.allow : state.deny;
    const i = list.indexOf(value);
    if (i >= 0) list.splice(i, 1);
    await rerun();
  }

  async function rerun() {
    await guarded("Updating", async () => {
      const hadResult = state.masked !== null;
      await detect();
      if (hadResult) await redact();
    });
  }

  function download(filename, content, type) {
    const url = URL.createObjectURL(new Blob([content], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  async function openFile(file) {
    const form = new FormData();
    form.append("file", file, file.name);
    const data = await call("POST", "/v1/extract", form, true);
    $("text").value = data.text;
    state.name = file.name.replace(/\.(txt|docx)$/i, "") || "text";
    status("Opened " + data.name + " (" + data.chars + " characters).");
  }

  async function loadInfo() {
    const info = await call("GET", "/v1/info");
    state.info = info;
    fill($("preset"), info.presets, "Server policy (" + info.policy + ")");
    fill($("operator"), info.operators, "Policy default (" + info.default_operator + ")");
  }

  function fill(select, values, first) {
    const keep = select.value;
    select.replaceChildren(new Option(first, ""));
    for (const v of values) select.appendChild(new Option(v, v));
    if (values.includes(keep)) select.value = keep;
  }

  // ---------------------------------------------------------------- wiring

  function init() {
    $("find").addEventListener("click", () =>
      guarded("Finding entities", async () => {
        if (!state.info) await loadInfo();
        state.masked = null;
        state.audit = null;
        $("masked").hidden = true;
        $("findings-box").hidden = true;
        for (const id of ["audit", "download-text", "download-report"]) $(id).disabled = true;
        await detect();
      })
    );
    $("redact").addEventListener("click", () => guarded("Masking", redact));
    $("audit").addEventListener("click", () => guarded("Auditing", audit));
    $("download-text").addEventListener("click", () => {
      if (state.masked) download(state.name + ".masked.txt", state.masked.text, "text/plain;charset=utf-8");
    });
    $("download-report").addEventListener("click", () => {
      if (!state.masked) return;
      const report = Object.assign({}, state.masked.report, { options: options() });
      if (state.audit) report.audit = state.audit;
      download(state.name + ".report.json", JSON.stringify(report, null, 2) + "\n", "application/json");
    });
    $("preset").addEventListener("change", () => state.text && rerun());
    $("operator").addEventListener("change", () => state.masked && rerun());
    $("file").addEventListener("change", (event) => {
      const file = event.target.files && event.target.files[0];
      if (file) guarded("Reading " + file.name, () => openFile(file));
    });
    $("token").addEventListener("change", () =>
      guarded("Connecting", async () => {
        await loadInfo();
        status("Connected.");
      })
    );
    $("deny-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const value = $("deny-input").value;
      $("deny-input").value = "";
      correct("deny", value);
    });
    $("use-selection").addEventListener("click", () => {
      const sel = window.getSelection ? String(window.getSelection()) : "";
      $("deny-input").value = sel.trim().slice(0, 200);
      $("deny-input").focus();
    });

    const doc = $("doc");
    doc.addEventListener("mouseover", (e) => onDocEvent(e, "hover", true));
    doc.addEventListener("mouseout", (e) => onDocEvent(e, "hover", false));
    doc.addEventListener("focusin", (e) => onDocEvent(e, "focus", true));
    doc.addEventListener("focusout", (e) => onDocEvent(e, "focus", false));
    doc.addEventListener("keydown", (e) => {
      const mark = e.target.closest && e.target.closest("mark.ent");
      if (mark && (e.key === "Enter" || e.key === " ")) {
        e.preventDefault();
        goToEntity(mark);
      }
    });
    doc.addEventListener("click", (e) => {
      const mark = e.target.closest && e.target.closest("mark.ent");
      if (mark && !String(window.getSelection())) goToEntity(mark);
    });

    call("GET", "/v1/health")
      .then((health) => {
        state.authRequired = health.auth_required;
        $("token-row").hidden = !health.auth_required;
        if (!health.auth_required) return loadInfo();
        return undefined;
      })
      .catch((err) => status(err.message, true));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
