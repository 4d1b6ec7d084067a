/* Loket: cek.html?id=<verify id>, the public check of a card or letter (no sign-in). */
(function () {
  "use strict";
  var L = window.Loket, el = L.el, t = L.t;
  var root = document.getElementById("cek-app");
  if (!root) { return; }
  L.offline.messageKey = "offlineShort";
  L.initChrome();
  var id = L.param("id");
  var result = null;   // {kind: valid|expired|revoked|unknown|error|noid, body}

  var LOOK = {
    valid: { cls: "valid", icon: "✓", title: "valid", text: "validText" },
    expired: { cls: "expired", icon: "!", title: "expired", text: "expiredTextV" },
    revoked: { cls: "revoked", icon: "✕", title: "revoked", text: "revokedText" },
    unknown: { cls: "unknown", icon: "?", title: "notFound", text: "notFoundText" }
  };
  function render() {
    L.clear(root);
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
    fact("vIssued", L.formatDate(b.issued_on));
    fact("vValid", L.formatDate(b.valid_until));
    root.appendChild(el("section", { "class": "card" }, [facts, el("p", { "class": "hint", text: t("verifyNote") })]));
  }
  function check() {
    if (!id) { result = { kind: "noid" }; render(); return; }
    result = null; render();
    L.api("GET", "/api/verify/" + encodeURIComponent(id), null, { auth: false }).then(function (body) {
      var kind = body.status === "valid" || body.status === "expired" || body.status === "revoked" ? body.status : "unknown";
      result = { kind: kind, body: body };
      render();
    }, function (err) {
      result = { kind: err.status === 404 ? "unknown" : "error" };
      render();
    });
  }
  L.onLang(render);
  check();
})();
