/* The whole published standard of one service (GET /api/standards/{office}/{service}), laid out
 * in the order and under the headings the server gives (the office's own document: Pasuruan's
 * SPP "A. Service Delivery" then "B. Manufacturing", Tangerang's SOP): every component a
 * <section data-component="key"> with its numbered heading. The procedure is a numbered flow,
 * the mutu baku a table (stacked on a phone), the complaint channel working links and, on the
 * screen, a link to file a complaint through Loket (pengaduan.html). The office's
 * letterhead and the form's QR code head the page; app.css prints it on A4 for the office wall.
 * The standard's words are the office's (Indonesian); only the page's own texts follow the
 * language switch. */
import { el } from "../lib/dom.js";
import { t } from "../lib/i18n.js";

function linked(parts) {
  return (parts || []).map(function (p) {
    return p.href ? el("a", { href: p.href, rel: "noopener", text: p.text }) : p.text;
  });
}

function items(component) {
  return el("ol", { "class": "std-list" }, component.items.map(function (text) { return el("li", { text: text }); }));
}

function terms(component) {
  return el("dl", { "class": "std-terms" }, component.terms.map(function (row) {
    return [el("dt", { text: row.term }), el("dd", { text: row.meaning })];
  }));
}

function flow(component) {
  return el("ol", { "class": "flow" }, component.steps.map(function (step) {
    return el("li", { "class": "flow-step", "data-step": String(step.number) }, [
      el("span", { "class": "flow-no", "aria-hidden": "true", text: String(step.number) }),
      el("div", { "class": "flow-body" }, [
        el("p", { "class": "flow-activity" }, linked(step.parts)),
        el("p", { "class": "flow-who" }, [t("actorsLabel") + ": " + step.actors.join(", ")])
      ])
    ]);
  }));
}

function table(component) {
  var heads = ["colNo", "colActors", "colInput", "colTime", "colOutput"];
  var body = component.rows.map(function (row) {
    var cells = [String(row.number), row.actors.join(", "), row.input, row.time, row.output];
    return el("tr", {}, cells.map(function (text, i) {
      return el(i === 0 ? "th" : "td", { scope: i === 0 ? "row" : null, "data-label": t(heads[i]), text: text || "–" });
    }));
  });
  return [
    el("table", { "class": "mutu" }, [
      el("thead", {}, el("tr", {}, heads.map(function (h) { return el("th", { scope: "col", text: t(h) }); }))),
      el("tbody", {}, body)
    ]),
    component.note ? el("p", { "class": "std-note", text: component.note }) : null
  ];
}

/* The complaint channel; on the screen (not in print) also the link to file one through Loket. */
function contact(component, std) {
  return [
    el("p", { "class": "std-contact-name" }, [el("strong", { text: component.name })]),
    el("dl", { "class": "std-terms std-contact" }, component.lines.map(function (line) {
      return [el("dt", { text: line.label }), el("dd", {}, linked(line.parts))];
    })),
    std ? el("p", { "class": "std-online" }, [el("a", {
      "class": "btn secondary", id: "std-complaint",
      href: "pengaduan.html?kantor=" + encodeURIComponent(std.office.id), text: t("complaintOnline")
    })]) : null
  ];
}

var KINDS = {
  items: items,
  terms: terms,
  flow: flow,
  table: table,
  contact: contact,
  text: function (component) { return el("p", { "class": "std-text", text: component.text }); }
};

function componentView(component, std) {
  var draw = KINDS[component.kind] || KINDS.text;
  return el("section", { "class": "std-component", "data-component": component.key, id: "komponen-" + component.key }, [
    el("h3", {}, [el("span", { "class": "std-no", text: component.number + "." }), " ", component.label]),
    draw(component, std)
  ]);
}

function letterhead(std) {
  var o = std.office, s = std.service;
  var reach = [o.address, o.phone ? "Telp. " + o.phone : null, o.fax ? "Fax " + o.fax : null, o.website, o.email]
    .filter(Boolean).join(" · ");
  return el("header", { "class": "std-head" }, [
    el("div", { "class": "std-kop" }, [
      el("p", { "class": "eyebrow", text: o.government }),
      el("p", { "class": "std-unit", text: o.unit + (o.division ? " · " + o.division : "") }),
      el("p", { "class": "hint", text: reach }),
      el("h1", { id: "std-title", text: s.title }),
      s.code ? el("p", { "class": "std-code", text: t("sopNumber") + " " + s.code }) : null,
      el("p", { "class": "std-applicant", text: t("standardApplicant") + ": " + s.applicant })
    ]),
    el("figure", { "class": "std-qr" }, [
      el("img", { src: s.qr, alt: "Kode QR formulir " + s.title, width: "148", height: "148", id: "std-qr" }),
      el("figcaption", {}, [t("scanToApply"), el("br"), el("a", { href: s.form_url, "class": "std-url", text: s.form_url })])
    ])
  ]);
}

/* The page body for a standard as the API gives it. */
export function standardView(std) {
  var actions = el("p", { "class": "links std-actions" }, [
    el("a", { "class": "btn primary", id: "std-apply", href: std.service.form_url, text: t("apply") }),
    el("button", { type: "button", "class": "btn secondary", id: "std-print", text: t("printStandard"),
                   onclick: function () { window.print(); } }),
    el("a", { "class": "btn secondary", href: "index.html#" + std.office.id + "-" + std.service.id, text: t("backToServices") })
  ]);
  var parts = std.parts.map(function (part) {
    return el("section", { "class": "std-part" }, [
      el("h2", { text: part.title }),
      part.components.map(function (c) { return componentView(c, std); })
    ]);
  });
  return el("article", { "class": "std", id: "standard" }, [
    letterhead(std), actions, el("p", { "class": "hint std-lang", text: t("standardLanguage") }), parts
  ]);
}
