/* pengaduan.html: a complaint, suggestion or input to an office (POST /api/complaints), with or
 * without an account. Signed in, the account's token goes with it (the complaint is listed with
 * the account's cases); opened from a status page (?kantor=&berkas=<case id>) it names that case.
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
    note.hidden = false; note.textContent = t("complaintCase") + ": " + caseId.slice(0, 8);
  }
});
var s = session.get();
if (s && s.email) { document.getElementById("c-email").value = s.email; }

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
  send.disabled = true; say.textContent = "";
  api("POST", "/api/complaints", body, { auth: session.signedIn(), headers: { "Idempotency-Key": key } }).then(function (r) {
    form.querySelectorAll("input, textarea, select, button").forEach(function (x) { x.disabled = true; });
    say.id = "c-status"; say.className = "notice"; say.textContent = t("complaintSent", { code: r.code || "-" });
  }, function (err) {
    send.disabled = false;
    var fields = err.body && err.body.error && err.body.error.fields;
    var detail = fields ? Object.keys(fields).map(function (k) { return fields[k]; }).join(" ") : "";
    say.className = "notice error"; say.textContent = (err.message || t("complaintFailed")) + (detail ? " " + detail : "");
  });
});
