/* The upload row of one required document: pick or photograph a file, shrink it, send it by
 * presigned POST with a progress bar, then ask the server to check what arrived (its kind, size,
 * end and pixels); "Coba lagi" resends the same prepared file. An accepted file is then scanned
 * for malware (and a photo re-encoded) by the server's worker: the row says "Sedang diperiksa"
 * and asks the case again until the file is checked, or shows why it was refused, next to the
 * field. Every refusal is the server's own Indonesian sentence; nothing the person typed is lost.
 * What was sent is shown under the row (issue 13): a photo as a thumbnail (tap to enlarge, so the
 * person can check it is the right one, legible and upright), a PDF as a PDF mark with its page
 * count and size (a browser draws no PDF page without a PDF library). Kept for the page's life. */
import { el, focus } from "../lib/dom.js";
import { t, onLang } from "../lib/i18n.js";
import { api } from "../lib/api.js";
import { formatBytes, formatMB, kindList } from "../lib/format.js";
import { Failure, acceptFor, prepareFile, pdfPages } from "../lib/files.js";
import { postFile } from "../lib/presigned-post.js";

/* How often the row asks the case whether the server finished checking a file: every 2 s for the
 * first half minute, then every 10 s; it stops after 35 minutes (the server refuses a file whose
 * scan took 30). */
const POLL_FAST_MS = 2000, POLL_SLOW_MS = 10000, POLL_FAST_FOR_MS = 30000, POLL_GIVE_UP_MS = 35 * 60000;

/* One row per required document: pick or photograph, shrink, upload with progress, confirm.
 * ctx: {caseId() -> Promise<id>, status: {kind, checked_at, state, message} | null,
 *       onChange(key, row), heading: optional extra text}. */
export function UploadRow(req, ctx) {
  var key = req.key, kinds = req.kinds || ["pdf", "jpeg", "png"];
  var state = "empty", info = null;
  var prepared = null, lastError = "";
  var pollTimer = null, pollStarted = 0, waiters = [];
  var input = el("input", { type: "file", id: "file-" + key, name: "file-" + key, "class": "file-input", accept: acceptFor(kinds),
                            "aria-describedby": "doc-" + key + "-facts doc-" + key + "-status" });
  var pick = el("label", { "for": "file-" + key, "class": "btn secondary pick", id: "pick-" + key });
  var retry = el("button", { type: "button", "class": "btn secondary", id: "retry-" + key, hidden: true, text: t("retry") });
  var bar = el("div", { "class": "bar" });
  var progress = el("div", { "class": "progress", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0",
                             "aria-label": req.name, hidden: true }, [bar]);
  var status = el("p", { "class": "up-status", id: "doc-" + key + "-status", role: "status", "aria-live": "polite" });
  var facts = el("p", { "class": "hint", id: "doc-" + key + "-facts" });
  /* Required now: a document asked only for some form answers (the SOP's required_when) is
   * required while it is asked, and hidden otherwise (setAsked). */
  var required = !!req.required;
  var pill = el("span", { "class": "pill " + (required ? "must" : "may") });
  var thumb = el("div", { "class": "up-thumb", id: "doc-" + key + "-thumb", hidden: true });
  var sent = null;            // what was sent: {type, size, url (an image's object URL), pages}
  var node = el("div", { "class": "upload", id: "doc-" + key, "data-doc": key }, [
    el("div", { "class": "up-head" }, [el("strong", { "class": "up-name", text: req.name }), pill]),
    facts,
    req.note && !/^opsional\.?$/i.test(req.note.trim()) ? el("p", { "class": "hint", text: req.note }) : null,
    el("div", { "class": "up-actions" }, [input, pick, retry]),
    progress, status, thumb
  ]);
  var busyStage = "";
  function paint() {
    pill.textContent = t(required ? "docRequired" : "docOptional");
    pill.className = "pill " + (required ? "must" : "may");
    facts.textContent = t("docKinds", { kinds: kindList(kinds) }) + " · " + t("docMax", { size: formatMB(Number(req.max_size_mb) || 5) });
    pick.textContent = t(state === "done" || state === "scanning" ? "replaceFile" : "choose_file");
    node.classList.toggle("done", state === "done");
    node.classList.toggle("failed", state === "error");
    node.classList.toggle("busy", state === "busy" || state === "scanning");
    retry.hidden = !(state === "error" && prepared && prepared.retry);
    input.disabled = state === "busy";
    pick.classList.toggle("disabled", state === "busy");
    progress.hidden = state !== "busy" || busyStage !== "uploading";
    if (state === "done") { status.textContent = info && info.kind ? t("uploadedOn", { kind: String(info.kind).toUpperCase() }) : t("uploaded"); }
    else if (state === "error") { status.textContent = lastError; }
    else if (state === "busy") { status.textContent = busyStage === "uploading" ? t("uploading", { pct: bar.getAttribute("data-pct") || 0 }) : t(busyStage); }
    else if (state === "scanning") { status.textContent = t("scanning"); }
    else { status.textContent = ctx.emptyText || t("notUploaded"); }
    paintThumb();
  }
  /* The thumbnail of what was sent, while the row holds it (hidden when empty or refused). */
  function paintThumb() {
    var show = !!sent && (state === "done" || state === "scanning");
    thumb.hidden = !show;
    while (thumb.firstChild) { thumb.removeChild(thumb.firstChild); }
    if (!show) { return; }
    thumb.appendChild(el("p", { "class": "hint", text: t("thumbSent") }));
    if (sent.url) {
      var img = el("img", { src: sent.url, alt: t("thumbAlt", { name: req.name }), "class": "thumb-img" });
      var wasBig = thumb.classList.contains("big");
      var toggle = el("button", { type: "button", "class": "thumb-btn", id: "thumb-" + key, "aria-expanded": wasBig ? "true" : "false",
                                  "aria-label": t(wasBig ? "thumbSmaller" : "thumbBigger", { name: req.name }) }, [img]);
      toggle.addEventListener("click", function () {
        var big = thumb.classList.toggle("big");
        toggle.setAttribute("aria-expanded", big ? "true" : "false");
        toggle.setAttribute("aria-label", t(big ? "thumbSmaller" : "thumbBigger", { name: req.name }));
      });
      thumb.appendChild(toggle);
      return;
    }
    thumb.appendChild(el("p", { "class": "pdf-mark" }, [
      el("span", { "class": "pdf-icon", "aria-hidden": "true", text: "PDF" }),
      el("span", { "class": "pdf-facts", text: sent.pages ? t("pdfSent", { pages: sent.pages, size: formatBytes(sent.size) })
                                                             : t("pdfSentSize", { size: formatBytes(sent.size) }) })
    ]));
  }
  function keepSent(p) {
    if (sent && sent.url) { URL.revokeObjectURL(sent.url); }
    sent = null;
    if (!p || !p.blob) { paintThumb(); return; }
    var isPdf = p.type === "application/pdf";
    sent = { type: p.type, size: p.blob.size, url: isPdf ? null : URL.createObjectURL(p.blob), pages: null };
    if (isPdf) {
      var mine = sent;
      pdfPages(p.blob).then(function (n) { if (sent === mine) { mine.pages = n; paintThumb(); } });
    }
    paintThumb();
  }
  function setProgress(f) {
    var pct = Math.round(f * 100);
    bar.style.width = pct + "%";
    bar.setAttribute("data-pct", pct);
    progress.setAttribute("aria-valuenow", String(pct));
    if (state === "busy" && busyStage === "uploading") { status.textContent = t("uploading", { pct: pct }); }
  }
  function stage(s) { stopPolling(); busyStage = s; state = "busy"; paint(); }
  /* What the server says of the document ({state, kind, checked_at, message}): the row follows. */
  function follow(doc) {
    stopPolling();
    if (!doc) { state = "empty"; info = null; }
    else if (doc.state === "refused") { state = "error"; info = null; lastError = doc.message || t("uploadFailed"); prepared = null; }
    else { state = doc.state === "scanning" ? "scanning" : "done"; info = doc; }
    paint();
    if (state === "scanning") { pollStarted = Date.now(); schedulePoll(); }
    else { settle(); }
  }
  function settle() {
    var ready = waiters; waiters = [];
    ready.forEach(function (resolve) { resolve(); });
  }
  function stopPolling() { if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; } }
  function schedulePoll() {
    var waited = Date.now() - pollStarted;
    if (waited > POLL_GIVE_UP_MS) { state = "error"; lastError = t("scanSlow"); paint(); settle(); return; }
    pollTimer = setTimeout(poll, waited < POLL_FAST_FOR_MS ? POLL_FAST_MS : POLL_SLOW_MS);
  }
  function poll() {
    pollTimer = null;
    if (state !== "scanning") { return; }
    var asked = info && info.checked_at;
    ctx.caseId().then(function (id) {
      return api("GET", "/api/cases/" + encodeURIComponent(id));
    }).then(function (v) {
      if (state !== "scanning" || !info || info.checked_at !== asked) { return; }  /* replaced meanwhile */
      var doc = (v.documents || {})[key] || null;
      if (doc && doc.checked_at === asked && doc.state === "scanning") { schedulePoll(); return; }
      follow(doc);
      if (ctx.onChange) { ctx.onChange(key, row); }
    }, function () {
      if (state === "scanning") { schedulePoll(); }  /* offline for a moment: ask again later */
    });
  }
  function fail(err) {
    stopPolling();
    state = "error";
    lastError = err && err.message ? err.message : t("uploadFailed");
    if (prepared) { prepared.retry = !(err && err.local && !err.retry) && err.status !== 422; }
    paint();
    settle();
    if (ctx.onChange) { ctx.onChange(key, row); }
  }
  function send() {
    var caseId = null;
    setProgress(0);
    stage("preparing");
    return ctx.caseId().then(function (id) {
      caseId = id;
      return api("POST", "/api/cases/" + encodeURIComponent(id) + "/uploads", { document: key, content_type: prepared.type });
    }).then(function (policy) {
      if (policy.max_bytes && prepared.blob.size > policy.max_bytes) {
        throw Failure(t("tooBig", { size: formatBytes(prepared.blob.size), max: formatBytes(policy.max_bytes) }));
      }
      stage("uploading");
      var tooBig = t("tooBig", { size: formatBytes(prepared.blob.size), max: formatMB(Number(req.max_size_mb) || 5) });
      return postFile(policy, prepared, setProgress, tooBig).then(function () { return policy; });
    }).then(function (policy) {
      stage("checking");
      return api("PUT", "/api/cases/" + encodeURIComponent(caseId) + "/documents/" + encodeURIComponent(key), { key: policy.key });
    }).then(function (record) {
      keepSent(prepared);
      prepared = null;
      follow({ kind: record.kind, checked_at: record.checked_at, state: record.state || "checked", message: record.message });
      if (ctx.onChange) { ctx.onChange(key, row); }
    }, function (err) {
      if (err && err.status === 422 && prepared) { prepared.retry = false; }
      fail(err);
    });
  }
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file || state === "busy") { return; }
    prepared = null;
    keepSent(null);
    stage("preparing");
    prepareFile(file, req, stage).then(function (p) {
      prepared = p;
      prepared.retry = true;
      input.value = "";
      return send();
    }, function (err) {
      input.value = "";
      fail(err);
    });
  });
  retry.addEventListener("click", function () { if (prepared && state !== "busy") { send(); } });
  onLang(paint);
  var row = {
    node: node, key: key, req: req,
    state: function () { return state; },
    info: function () { return info; },
    done: function () { return state === "done"; },
    busy: function () { return state === "busy"; },
    /* Uploaded, and the server is still checking it ("Sedang diperiksa"). */
    checking: function () { return state === "scanning"; },
    /* Resolves once the row is neither sending nor being checked. */
    settled: function () {
      if (state !== "busy" && state !== "scanning") { return Promise.resolve(); }
      return new Promise(function (resolve) { waiters.push(resolve); });
    },
    /* From the server's view of the case. */
    setStatus: function (doc) {
      if (state === "busy") { return; }
      if (doc) { follow(doc); } else if (state === "done" || state === "scanning") { keepSent(null); follow(null); }
    },
    required: function () { return required; },
    /* A conditional document (req.required_when) shown and required, or hidden and not asked. */
    setAsked: function (asked) {
      node.hidden = !asked;
      required = asked;
      if (!asked && state === "error") { state = info ? "done" : "empty"; lastError = ""; }
      paint();
    },
    showError: function (msg) { stopPolling(); state = "error"; lastError = msg; paint(); settle(); },
    focus: function () { focus(input); }
  };
  if (ctx.status) { follow(ctx.status); } else { paint(); }
  return row;
}
