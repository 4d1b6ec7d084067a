/* standar.html?kantor=<office>&layanan=<service>: the whole published standard of one service
 * (components/standard-view.js), for anyone, no sign-in; printed on A4 for the office wall with
 * the QR code to the form (app.css, @media print). */
import { el, clear, param } from "../lib/dom.js";
import { t, onLang } from "../lib/i18n.js";
import { api } from "../lib/api.js";
import { offline } from "../components/offline-banner.js";
import { initHeader } from "../components/header.js";
import { standardView } from "../components/standard-view.js";

var root = document.getElementById("standard-app");
var office = param("kantor"), service = param("layanan");
var state = { kind: "loading", body: null };   // loading | ok | notfound | error | noaddress

offline.messageKey = "offlineShort";
initHeader();

function render() {
  clear(root);
  if (state.kind === "ok") {
    document.title = state.body.service.title + " · " + t("pageStandard") + " · Loket";
    root.appendChild(standardView(state.body));
    return;
  }
  root.appendChild(el("h1", { text: t("pageStandard") }));
  if (state.kind === "loading") { root.appendChild(el("p", { "class": "notice", role: "status", text: t("loadingStandard") })); return; }
  var key = { notfound: "standardNotFound", noaddress: "standardNoAddress" }[state.kind] || "standardFailed";
  root.appendChild(el("div", { "class": "notice error", role: "alert", id: "std-status" }, [
    el("p", { text: t(key) }),
    state.kind === "error" ? el("button", { type: "button", "class": "btn secondary", text: t("retry"), onclick: load }) : null,
    el("a", { "class": "btn secondary", href: "index.html", text: t("backToServices") })
  ]));
}

function load() {
  if (!office || !service) { state = { kind: "noaddress" }; render(); return; }
  state = { kind: "loading" }; render();
  api("GET", "/api/standards/" + encodeURIComponent(office) + "/" + encodeURIComponent(service), null, { auth: false, timeout: 45000 })
    .then(function (body) { state = { kind: "ok", body: body }; render(); },
          function (err) { state = { kind: err.status === 404 ? "notfound" : "error" }; render(); });
}

onLang(render);
load();
