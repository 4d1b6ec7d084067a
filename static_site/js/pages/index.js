/* index.html: every office's service standards (GET /api/offices), each service folded under its
 * title with its facts (applicant, time, fee, product, complaints), its requirements and the
 * "Ajukan secara daring" link to ajukan.html and "Standar pelayanan lengkap" to standar.html. */
import { el, clear } from "../lib/dom.js";
import { t, onLang } from "../lib/i18n.js";
import { api } from "../lib/api.js";
import { initHeader } from "../components/header.js";

var data = null;

function fact(label, value) { return value ? [el("dt", {}, [label]), el("dd", {}, [String(value)])] : []; }
function kindFact(kind) {
  var label = kind ? t("kind_" + kind) : "";
  return label && label !== "kind_" + kind ? fact(t("accountKind"), label) : [];
}
function render(offices) {
  var root = clear(document.getElementById("offices"));
  offices.forEach(function (office) {
    var section = el("section", { "class": "office", id: office.id }, [
      el("h2", {}, [office.name]),
      el("p", { "class": "meta" }, [office.address + " · " + office.phone])
    ]);
    office.services.forEach(function (s) {
      var facts = el("dl", { "class": "facts" }, [].concat(
        fact(t("applicant"), s.applicant),
        kindFact(s.applicant_kind),
        fact(t("duration"), s.duration), fact(t("fee"), s.fee),
        fact(t("product"), (s.products || []).join(", ")),
        fact(t("complaint"), [(s.complaint || {}).name, (s.complaint || {}).phone].filter(Boolean).join(" · "))));
      var req = el("ul", { "class": "req" }, (s.requirements || []).map(function (r) {
        return el("li", {}, [r.name, r.required ? "" : " ", r.required ? "" : el("span", { "class": "opt" }, [t("optional")])]);
      }));
      section.appendChild(el("details", { "class": "service", id: office.id + "-" + s.id }, [
        el("summary", {}, [s.title]),
        el("div", { "class": "body" }, [facts, el("strong", {}, [t("requirements")]), req,
          el("p", { "class": "links" }, [
            el("a", { "class": "btn primary apply", id: "apply-" + office.id + "-" + s.id,
                      href: "ajukan.html?kantor=" + encodeURIComponent(office.id) + "&layanan=" + encodeURIComponent(s.id) }, [t("apply")]),
            el("a", { "class": "btn secondary", id: "standard-" + office.id + "-" + s.id,
                      href: "standar.html?kantor=" + encodeURIComponent(office.id) + "&layanan=" + encodeURIComponent(s.id) }, [t("fullStandard")])])])
      ]));
    });
    root.appendChild(section);
  });
}
function load() {
  var status = document.getElementById("status");
  api("GET", "/api/offices", null, { auth: false, timeout: 45000 })
    .then(function (body) { data = body.offices || []; status.hidden = true; render(data); })
    .catch(function () { status.setAttribute("data-i18n", "servicesFailed"); status.textContent = t("servicesFailed"); status.className = "notice error"; });
}

onLang(function () { if (data) { render(data); } });
initHeader();
load();
