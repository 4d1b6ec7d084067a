/* The upload row of one required document: pick or photograph a file, shrink it, send it by
 * presigned POST with a progress bar, then ask the server to check what arrived (magic bytes and
 * size); "Coba lagi" resends the same prepared file. */
import { el, focus } from "../lib/dom.js";
import { t, onLang } from "../lib/i18n.js";
import { api } from "../lib/api.js";
import { formatBytes, formatMB, kindList } from "../lib/format.js";
import { Failure, acceptFor, prepareFile } from "../lib/files.js";
import { postFile } from "../lib/presigned-post.js";

/* One row per required document: pick or photograph, shrink, upload with progress, confirm.
 * ctx: {caseId() -> Promise<id>, status: {kind, checked_at} | null, onChange(key, state),
 *       heading: optional extra text}. */
export function UploadRow(req, ctx) {
  var key = req.key, kinds = req.kinds || ["pdf", "jpeg", "png"];
  var state = ctx.status ? "done" : "empty";
  var info = ctx.status || null;
  var prepared = null, lastError = "";
  var input = el("input", { type: "file", id: "file-" + key, name: "file-" + key, "class": "file-input", accept: acceptFor(kinds),
                            "aria-describedby": "doc-" + key + "-facts doc-" + key + "-status" });
  var pick = el("label", { "for": "file-" + key, "class": "btn secondary pick", id: "pick-" + key });
  var retry = el("button", { type: "button", "class": "btn secondary", id: "retry-" + key, hidden: true, text: t("retry") });
  var bar = el("div", { "class": "bar" });
  var progress = el("div", { "class": "progress", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0",
                             "aria-label": req.name, hidden: true }, [bar]);
  var status = el("p", { "class": "up-status", id: "doc-" + key + "-status", role: "status", "aria-live": "polite" });
  var facts = el("p", { "class": "hint", id: "doc-" + key + "-facts" });
  var pill = el("span", { "class": "pill " + (req.required ? "must" : "may") });
  var node = el("div", { "class": "upload", id: "doc-" + key, "data-doc": key }, [
    el("div", { "class": "up-head" }, [el("strong", { "class": "up-name", text: req.name }), pill]),
    facts,
    req.note && !/^opsional\.?$/i.test(req.note.trim()) ? el("p", { "class": "hint", text: req.note }) : null,
    el("div", { "class": "up-actions" }, [input, pick, retry]),
    progress, status
  ]);
  var busyStage = "";
  function paint() {
    pill.textContent = t(req.required ? "docRequired" : "docOptional");
    facts.textContent = t("docKinds", { kinds: kindList(kinds) }) + " · " + t("docMax", { size: formatMB(Number(req.max_size_mb) || 5) });
    pick.textContent = t(state === "done" ? "replaceFile" : "choose_file");
    node.classList.toggle("done", state === "done");
    node.classList.toggle("failed", state === "error");
    node.classList.toggle("busy", state === "busy");
    retry.hidden = !(state === "error" && prepared && prepared.retry);
    input.disabled = state === "busy";
    pick.classList.toggle("disabled", state === "busy");
    progress.hidden = state !== "busy" || busyStage !== "uploading";
    if (state === "done") { status.textContent = info && info.kind ? t("uploadedOn", { kind: String(info.kind).toUpperCase() }) : t("uploaded"); }
    else if (state === "error") { status.textContent = lastError; }
    else if (state === "busy") { status.textContent = busyStage === "uploading" ? t("uploading", { pct: bar.getAttribute("data-pct") || 0 }) : t(busyStage); }
    else { status.textContent = ctx.emptyText || t("notUploaded"); }
  }
  function setProgress(f) {
    var pct = Math.round(f * 100);
    bar.style.width = pct + "%";
    bar.setAttribute("data-pct", pct);
    progress.setAttribute("aria-valuenow", String(pct));
    if (state === "busy" && busyStage === "uploading") { status.textContent = t("uploading", { pct: pct }); }
  }
  function stage(s) { busyStage = s; state = "busy"; paint(); }
  function fail(err) {
    state = "error";
    lastError = err && err.message ? err.message : t("uploadFailed");
    if (prepared) { prepared.retry = !(err && err.local && !err.retry) && err.status !== 422; }
    paint();
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
      state = "done";
      info = { kind: record.kind, checked_at: record.checked_at };
      prepared = null;
      paint();
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
  paint();
  var row = {
    node: node, key: key, req: req,
    state: function () { return state; },
    info: function () { return info; },
    done: function () { return state === "done"; },
    busy: function () { return state === "busy"; },
    /* From the server's view of the case. */
    setStatus: function (doc) {
      if (state === "busy") { return; }
      if (doc) { state = "done"; info = doc; } else if (state === "done") { state = "empty"; info = null; }
      paint();
    },
    showError: function (msg) { state = "error"; lastError = msg; paint(); },
    focus: function () { focus(input); }
  };
  return row;
}
