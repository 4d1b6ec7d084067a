/* pengaduan.html: a complaint, suggestion or input to an office (POST /api/complaints), with or
 * without an account. Signed in, the account's token goes with it (the complaint is listed with
 * the account's cases); opened from a status page (?kantor=&berkas=<case id>&kode=<its code>) it
 * names that case (the code is only shown; the server names the case by its id).
 * The hidden "situs_web" field is a honeypot: people never see it, a bot fills it. */
import { el, param } from "../lib/dom.js";
import { t } from "../lib/i18n.js";
import { api, loadOffices } from "../lib/api.js";
import { session } from "../lib/session.js";
import { offline } from "../components/offline-banner.js";
import { initHeader } from "../components/header.js";

offline.messageKey = "offlineShort";
initHeader();

var form = document.getElementById("complaint-form");
var office = document.getElementById("c-office");
var say = document.getElementById("c-status");
var caseId = param("berkas");
var key = "pengaduan-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);

loadOffices().then(function (offices) {
  offices.forEach(function (o) { office.appendChild(el("option", { value: o.id, text: o.name })); });
  if (param("kantor")) { office.value = param("kantor"); }
  if (caseId) {
    office.disabled = true;
    var note = document.getElementById("c-case");
    note.hidden = false; note.textContent = t("complaintCase") + ": " + (param("kode") || caseId.slice(0, 8));
  }
});
var s = session.get();
if (s && s.email) { document.getElementById("c-email").value = s.email; }

/* The API's 422 (chalicelib/api/errors.py) is {error: {message, field}, errors: {"pengaduan.email":
 * message, ...}, warnings: []}; other refusals carry one message and maybe `field` ("office"). Each
 * message goes under its field, the first wrong field gets the focus; the rest is said on top. */
var FIELDS = {
  "office": "c-office", "pengaduan.jenis": "c-kind", "pengaduan.nama": "c-name",
  "pengaduan.email": "c-email", "pengaduan.isi": "c-text"
};
var general = document.getElementById("c-error");

function clearErrors() {
  general.textContent = "";
  Object.keys(FIELDS).forEach(function (k) { setError(FIELDS[k], ""); });
}

function setError(id, msg) {
  var input = document.getElementById(id);
  document.getElementById(id + "-err").textContent = msg || "";
  if (msg) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
}

function showErrors(err) {
  var errors = err.errors || {};
  if (err.field && !errors[err.field] && err.status !== 422) { errors = {}; errors[err.field] = err.message; }
  var first = null, rest = [];
  Object.keys(errors).forEach(function (k) {
    if (FIELDS[k]) { setError(FIELDS[k], errors[k]); first = first || FIELDS[k]; } else { rest.push(errors[k]); }
  });
  general.textContent = first && !rest.length ? (err.message || t("complaintFailed")) : (rest.join(" ") || err.message || t("complaintFailed"));
  if (first) { document.getElementById(first).focus(); }
}

form.addEventListener("submit", function (e) {
  e.preventDefault();
  var send = document.getElementById("c-send");
  var body = {
    office: office.value,
    complaint: {
      jenis: document.getElementById("c-kind").value,
      nama: document.getElementById("c-name").value,
      email: document.getElementById("c-email").value,
      isi: document.getElementById("c-text").value
    },
    situs_web: document.getElementById("c-web").value
  };
  if (caseId) { body.case_id = caseId; }
  send.disabled = true; say.textContent = ""; say.className = "hint"; clearErrors();
  api("POST", "/api/complaints", body, { auth: session.signedIn(), headers: { "Idempotency-Key": key } }).then(function (r) {
    form.querySelectorAll("input, textarea, select, button").forEach(function (x) { x.disabled = true; });
    say.className = "notice ok"; say.textContent = t("complaintSent", { code: r.code || "-" });
    say.scrollIntoView({ block: "nearest" });
  }, function (err) {
    send.disabled = false;
    showErrors(err);
  });
});
