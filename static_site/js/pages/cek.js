/* cek.html?id=<verify id>: the public check of a card or letter, opened by the QR code printed on
 * it (no sign-in). Says valid, expired, revoked, superseded (a card re-issued to its holder, with
 * the new card's number), closed (its holder reported work) or not found, with the issuing office and the holder's name masked by
 * the server. */
import { el, clear, param } from "../lib/dom.js";
import { t, onLang } from "../lib/i18n.js";
import { api } from "../lib/api.js";
import { formatDate } from "../lib/format.js";
import { offline } from "../components/offline-banner.js";
import { initHeader } from "../components/header.js";

var root = document.getElementById("cek-app");
offline.messageKey = "offlineShort";
initHeader();
var id = param("id");
var result = null;   // {kind: valid|expired|revoked|superseded|unknown|error|noid, body}

var LOOK = {
  valid: { cls: "valid", icon: "✓", title: "valid", text: "validText" },
  expired: { cls: "expired", icon: "!", title: "expired", text: "expiredTextV" },
  revoked: { cls: "revoked", icon: "✕", title: "revoked", text: "revokedText" },
  superseded: { cls: "revoked", icon: "✕", title: "superseded", text: "supersededText" },
  closed: { cls: "revoked", icon: "✕", title: "closed", text: "closedText" },
  unknown: { cls: "unknown", icon: "?", title: "notFound", text: "notFoundText" }
};
function render() {
  clear(root);
  root.appendChild(el("h1", { "data-i18n": "pageVerify", text: t("pageVerify") }));
  if (!result) { root.appendChild(el("p", { "class": "notice", role: "status", text: t("verifying") })); return; }
  if (result.kind === "noid") { root.appendChild(el("p", { "class": "notice error", role: "alert", id: "verdict", text: t("noId") })); return; }
  if (result.kind === "error") {
    root.appendChild(el("div", { "class": "notice error", role: "alert", id: "verdict" }, [
      el("p", { text: t("verifyFailed") }),
      el("button", { type: "button", "class": "btn secondary", id: "btn-retry", text: t("retry"), onclick: check })
    ]));
    return;
  }
  var look = LOOK[result.kind] || LOOK.unknown, b = result.body || {};
  root.appendChild(el("div", { "class": "verdict " + look.cls, id: "verdict", role: "status", "data-status": result.kind }, [
    el("span", { "class": "icon", "aria-hidden": "true", text: look.icon }),
    el("p", { "class": "big", text: t(look.title) }),
    el("p", { text: t(look.text) })
  ]));
  if (result.kind === "unknown") { return; }
  var facts = el("dl", { "class": "vfacts", id: "vfacts" });
  function fact(key, value, mono) {
    facts.appendChild(el("dt", { text: t(key) }));
    facts.appendChild(el("dd", { "class": mono ? "mono" : null, text: value || t("vNoLimit") }));
  }
  fact("vDocument", b.document);
  fact("vNumber", b.number, true);
  fact("vName", b.name, true);
  fact("vOffice", b.office);
  fact("vIssued", formatDate(b.issued_on));
  fact("vValid", formatDate(b.valid_until));
  if (result.kind === "superseded" && b.superseded_by) { fact("vSupersededBy", b.superseded_by, true); }
  if (result.kind === "closed" && b.closed_at) { fact("vClosedAt", formatDate(b.closed_at)); }
  root.appendChild(el("section", { "class": "card" }, [facts, el("p", { "class": "hint", text: t("verifyNote") })]));
}
function check() {
  if (!id) { result = { kind: "noid" }; render(); return; }
  result = null; render();
  api("GET", "/api/verify/" + encodeURIComponent(id), null, { auth: false }).then(function (body) {
    var known = Object.prototype.hasOwnProperty.call(LOOK, body.status);
    var kind = known ? body.status : "unknown";
    result = { kind: kind, body: body };
    render();
  }, function (err) {
    result = { kind: err.status === 404 ? "unknown" : "error" };
    render();
  });
}
onLang(render);
check();
