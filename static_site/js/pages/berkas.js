/* berkas.html, the applicant's cases. Without ?id= the list of my cases (and the drafts on this
 * phone); with ?id= one case: status, SOP steps as a timeline, the officer's note and re-upload
 * when returned, messages from staff, and the download of the product once it is ready.
 * Refreshes every 30 s while the page is visible. */
import { el, clear, focus, busy, param } from "../lib/dom.js";
import { t, lang, onLang } from "../lib/i18n.js";
import { api, loadOffices, findService, rememberCase, onAuthLost } from "../lib/api.js";
import { store } from "../lib/store.js";
import { session } from "../lib/session.js";
import { formatDate, formatTime } from "../lib/format.js";
import { offline } from "../components/offline-banner.js";
import { initHeader } from "../components/header.js";
import { authBox } from "../components/auth-box.js";
import { FormView } from "../components/form-view.js";
import { UploadRow } from "../components/upload-row.js";

offline.messageKey = "offlineShort";
initHeader();

var caseId = param("id");
var authCard = document.getElementById("auth-card");
var authBody = document.getElementById("auth-box");
var content = document.getElementById("content");
var loadStatus = document.getElementById("load-status");
var catalogue = null;

/* The statuses the site knows; the server's own label wins in Indonesian (i18n: status_<status>). */
var STATUSES = ["draft", "submitted", "returned", "completed", "rejected", "expired"];
function statusLabel(v) {
  var known = STATUSES.indexOf(v.status) >= 0;
  if (lang === "en" && known) { return t("status_" + v.status); }
  return v.status_label || (known ? t("status_" + v.status) : v.status);
}
function badge(v) { return el("span", { "class": "badge " + (v.status || "draft"), id: "status-badge", text: statusLabel(v) }); }
function officeName(id) {
  var name = id;
  (catalogue || []).forEach(function (o) { if (o.id === id) { name = o.name; } });
  return name;
}
function serviceOf(v) { return findService(catalogue || [], v.office, v.service).service; }
function message(text, kind) {
  loadStatus.hidden = !text;
  loadStatus.className = "notice" + (kind ? " " + kind : "");
  loadStatus.textContent = text || "";
}

/* ---------------------------------------------------------------- sign-in */
function askSignin(noticeKey) {
  authCard.hidden = false;
  var box = authBox(authBody, { onSignedIn: function () {
    authCard.hidden = true;
    clear(authBody);
    load(false);
  } });
  box.show(noticeKey || null);
}
onAuthLost(function () { askSignin("sessionEnded"); focus(authCard.querySelector("h2")); });

/* ---------------------------------------------------------------- list */
function renderList(cases) {
  clear(content);
  content.appendChild(el("h1", { "data-i18n": "pageCases", text: t("pageCases") }));
  var s = session.get() || {};
  var drafts = store.keys().filter(function (k) { return k.indexOf("loket.draft.") === 0; }).map(function (k) {
    var d = store.get(k), parts = k.split(".");
    return d && d.touched && (!d.owner || d.owner === s.username) ? { office: parts[2], service: parts.slice(3).join("."), draft: d } : null;
  }).filter(Boolean);
  var draftCases = {};
  drafts.forEach(function (d) { if (d.draft.case_id) { draftCases[d.draft.case_id] = d; } });
  if (drafts.length) {
    content.appendChild(el("h2", { "class": "sub", text: t("draftsTitle") }));
    content.appendChild(el("ul", { "class": "case-list", id: "draft-list" }, drafts.map(function (d) {
      var hit = findService(catalogue || [], d.office, d.service);
      return el("li", { "class": "case-item" }, [el("a", { href: "ajukan.html?kantor=" + encodeURIComponent(d.office) + "&layanan=" + encodeURIComponent(d.service) }, [
        el("span", { "class": "title", text: hit.service ? hit.service.title : d.service }),
        el("span", { "class": "badge draft", text: t("continueDraft") }),
        el("span", { "class": "meta block", text: officeName(d.office) + (d.draft.saved_at ? " · " + formatDate(new Date(d.draft.saved_at).toISOString(), true) : "") })
      ])]);
    })));
  }
  var sent = cases.filter(function (v) { return !(v.status === "draft" && draftCases[v.case_id]); });
  if (drafts.length) { content.appendChild(el("h2", { "class": "sub", text: t("sentTitle") })); }
  content.appendChild(el("p", { "class": "hint", "data-i18n": "casesIntro", text: t("casesIntro") }));
  if (!sent.length) {
    content.appendChild(el("div", { "class": "notice", id: "no-cases" }, [
      el("p", { text: t("noCases") }), el("a", { "class": "btn primary", href: "index.html", text: t("openServices") })
    ]));
    return;
  }
  content.appendChild(el("ul", { "class": "case-list", id: "case-list" }, sent.map(function (v) {
    return el("li", { "class": "case-item", "data-case": v.case_id }, [el("a", { href: "berkas.html?id=" + encodeURIComponent(v.case_id) }, [
      el("span", { "class": "title", text: v.service_title || v.service }),
      badge(v),
      el("span", { "class": "meta block" }, [
        officeName(v.office) + " · " + t("caseNumber") + " ",
        el("span", { "class": "mono case-code", text: v.code || v.number || v.case_id }),
        " · " + formatDate(v.created_at, true)
      ])
    ])]);
  })));
}

/* ---------------------------------------------------------------- one case */
var current = null, editing = null, sending = false, lastLoad = 0;

/* The applicant's timeline (services/progress.py `steps`): numbered from 1 (`position`), only the
 * steps that concern them, contact channels in the SOP's words as links (mailto:, tel:, wa.me). */
function activity(s) {
  var parts = s.parts && s.parts.length ? s.parts : [{ text: s.activity }];
  return el("p", { "class": "act" }, parts.map(function (p) {
    if (!p.href) { return p.text; }
    var outside = /^https?:/.test(p.href);
    return el("a", { href: p.href, text: p.text, target: outside ? "_blank" : null, rel: outside ? "noopener" : null });
  }));
}
function timeline(steps) {
  // "skipped": a branch the closed case never took (e.g. "berkas kurang"); not part of its story.
  var taken = (steps || []).filter(function (s) { return s.state !== "skipped"; });
  return el("ol", { "class": "timeline", id: "timeline" }, taken.map(function (s, i) {
    var state = s.state || "waiting";
    var shownNumber = String(s.position || i + 1);
    return el("li", { "class": state, "aria-current": state === "current" ? "step" : null, "data-step": String(s.number) }, [
      el("span", { "class": "dot", "aria-hidden": "true", text: shownNumber }),
      el("p", { "class": "state", text: (state === "done" ? "✓ " : state === "returned" ? "↩ " : "") + t({ done: "stateDone", current: "stateCurrent", returned: "stateReturned" }[state] || "stateWaiting") }),
      activity(s),
      el("p", { "class": "who", text: [s.role, s.time, s.at ? formatDate(s.at, true) : ""].filter(Boolean).join(" · ") })
    ]);
  }));
}
function productsCard(v) {
  var list = v.products || [];
  if (!list.length) { return null; }
  return el("section", { "class": "card", id: "products", "aria-labelledby": "h-products" }, [
    el("h2", { id: "h-products", text: t("productsTitle") })
  ].concat(list.map(function (p) {
    var err = el("p", { "class": "err", role: "alert" });
    if (!p.downloadable) {
      return el("div", { "class": "product" }, [el("p", {}, [el("strong", { text: p.name }), p.number ? " · " + p.number : "", el("br"), el("span", { "class": "hint", text: t("preparingProduct", { name: p.name }) })])]);
    }
    var btn = el("button", { type: "button", "class": "btn primary", id: "btn-download-" + p.key, text: t("download", { name: p.name }) });
    btn.addEventListener("click", function () {
      if (btn.disabled) { return; }
      err.textContent = "";
      busy(btn, true, t("opening"));
      api("GET", "/api/cases/" + encodeURIComponent(v.case_id) + "/products/" + encodeURIComponent(p.key)).then(function (link) {
        busy(btn, false);
        window.location.assign(link.url);
      }, function (e) { busy(btn, false); err.textContent = e.message || t("downloadFailed"); });
    });
    return el("div", { "class": "product" }, [
      el("p", {}, [el("strong", { text: p.name }), p.number ? el("span", {}, [" · ", el("span", { "class": "mono", text: p.number })]) : null]),
      btn, err
    ]);
  })));
}
/* The applicant's own step after submission (receiving the document, ADR 0021): download
 * above, then one button that confirms it; left alone it closes by itself after the office's days. */
function confirmBox(v) {
  var c = v.confirm;
  if (!c) { return null; }
  var err = el("p", { "class": "err", role: "alert", id: "confirm-error" });
  var btn = el("button", { type: "button", "class": "btn primary", id: "btn-confirm", text: t("confirmReceipt") });
  btn.addEventListener("click", function () {
    if (btn.disabled) { return; }
    err.textContent = "";
    busy(btn, true, t("sending"));
    api("POST", "/api/cases/" + encodeURIComponent(v.case_id) + "/confirm", {}).then(function (nv) {
      busy(btn, false);
      render(nv);
      message(t("confirmedReceipt"), "ok");
    }, function (e) { busy(btn, false); err.textContent = e.message || t("confirmFailed"); });
  });
  return el("section", { "class": "box", id: "confirm", "aria-labelledby": "h-confirm" }, [
    el("h2", { id: "h-confirm", text: t("confirmTitle") }),
    el("p", { id: "confirm-activity", text: c.activity + (c.time ? " (" + t("standardTime", { time: c.time }) + ")" : "") }),
    el("p", { "class": "hint", text: t("confirmHint", { days: c.closes_after_days }) }),
    btn, err
  ]);
}
/* The card holder's six-monthly report (services/holder.py): the four boxes, and the form for
 * today's report while the card is valid and not closed. */
function reportText(r) {
  if (r.kind !== "sudah_bekerja") { return t("holderStill"); }
  return t("holderFoundAt", { employer: r.employer || "", date: r.start_date ? formatDate(r.start_date) : "–" });
}
function holderCard(v) {
  var h = v.holder;
  if (!h) { return null; }
  var boxes = el("ol", { "class": "holder-boxes", id: "holder-boxes" }, h.boxes.map(function (b) {
    return el("li", { "data-box": String(b.box) }, [
      el("strong", { text: t("holderBox", { n: b.box }) }), " · ",
      el("span", { "class": "hint", text: t("holderScheduled", { month: b.scheduled }) }), el("br"),
      b.report ? el("span", { text: formatDate(b.report.on) + " · " + reportText(b.report) }) : el("span", { "class": "hint", text: t("holderEmpty") })
    ]);
  }));
  var section = el("section", { "class": "card", id: "holder", "aria-labelledby": "h-holder" }, [
    el("h2", { id: "h-holder", text: t("holderTitle") }), el("p", { "class": "hint", text: t("holderIntro") }), boxes
  ]);
  if (h.closed) {
    section.appendChild(el("p", { "class": "notice", id: "holder-closed", role: "status", text: t("holderClosed", { employer: h.closed.employer, date: formatDate(h.closed.start_date) }) }));
    return section;
  }
  if (h.expired) { section.appendChild(el("p", { "class": "notice", text: t("holderExpired") })); return section; }
  var open = h.open_box ? h.boxes[h.open_box - 1] : null;
  section.appendChild(el("p", { id: "holder-when", text: open ? t("holderOpen", { n: open.box, until: formatDate(open.closes) }) : t("holderNotYet", { date: formatDate(h.first_opens) }) }));
  var employer = el("input", { type: "text", "class": "input", id: "holder-employer", name: "employer", maxlength: "80", autocomplete: "organization" });
  var start = el("input", { type: "date", "class": "input", id: "holder-start", name: "start_date" });
  var work = el("div", { id: "holder-work", hidden: true }, [
    el("p", { "class": "warn", id: "holder-found-hint", text: t("holderFoundHint") }),
    el("div", { "class": "field" }, [el("label", { "for": "holder-employer", text: t("holderEmployer") }), employer]),
    el("div", { "class": "field" }, [el("label", { "for": "holder-start", text: t("holderStart") }), start])
  ]);
  function choice(value, label, checked) {
    var input = el("input", { type: "radio", name: "holder-kind", id: "holder-" + value, value: value });
    input.checked = checked;
    input.addEventListener("change", function () { work.hidden = value !== "sudah_bekerja"; });
    return el("label", { "class": "choice", "for": "holder-" + value }, [input, " ", label]);
  }
  var still = choice("masih_mencari", t("holderStill"), !!open);
  var found = choice("sudah_bekerja", t("holderFound"), !open);
  if (!open) { work.hidden = false; still.querySelector("input").disabled = true; }
  var said = el("p", { id: "holder-said", role: "status", "aria-live": "polite" });
  var err = el("p", { "class": "err general", role: "alert", id: "holder-error" });
  var send = el("button", { type: "submit", "class": "btn primary big", id: "btn-holder", text: t("holderSend") });
  var kinds = el("fieldset", { "class": "field" }, [el("legend", { text: t("holderKind") }), el("div", { "class": "choices stack" }, [still, found])]);
  var form = el("form", { id: "holder-form", novalidate: true }, [kinds, work, err, send, said]);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (send.disabled) { return; }
    var kind = (form.querySelector("input[name=holder-kind]:checked") || {}).value || "";
    var payload = { kind: kind };
    if (kind === "sudah_bekerja") { payload.employer = employer.value; payload.start_date = start.value; }
    err.textContent = ""; said.textContent = "";
    busy(send, true, t("holderSend"));
    api("POST", "/api/cases/" + encodeURIComponent(v.case_id) + "/reports", payload).then(function (r) {
      busy(send, false);
      said.textContent = t(r["new"] ? "holderSent" : "holderAgain");
      v.holder = r.holder;
      var fresh = holderCard(v);
      section.replaceWith(fresh);
      var shown = fresh.querySelector("#holder-said");
      if (!shown) { shown = fresh.appendChild(el("p", { id: "holder-said", role: "status" })); }
      shown.textContent = said.textContent;
    }, function (e2) { busy(send, false); err.textContent = e2.message || t("holderSend"); });
  });
  section.appendChild(form);
  return section;
}
function messagesCard(v) {
  var list = v.messages || [];
  if (!list.length) { return null; }
  return el("section", { "class": "card", id: "messages", "aria-labelledby": "h-messages" }, [
    el("h2", { id: "h-messages", text: t("messagesTitle") })
  ].concat(list.map(function (m) {
    return el("div", { "class": "msg" }, [
      el("p", { "class": "label", text: [m.label, m.at ? formatDate(m.at, true) : ""].filter(Boolean).join(" · ") }),
      el("p", { "class": "text", text: m.text })
    ]);
  })));
}

/* The returned case: the officer's note, the documents asked for, the form, "Kirim ulang". */
function returnedBox(v) {
  var redoKey = "loket.redo." + v.case_id;
  var redo = store.get(redoKey) || { docs: {}, form: null, confirmed: {} };
  var service = serviceOf(v);
  var reqs = v.requirements && v.requirements.length ? v.requirements : (service ? service.requirements : []);
  var items = v.returned_items || [];
  var rows = [];
  var general = el("div", { "class": "general-errors", id: "resubmit-errors", role: "alert", tabindex: "-1" });
  var status = el("p", { "class": "send-status", id: "resubmit-status", role: "status", "aria-live": "polite" });
  var box = el("section", { "class": "box returned", id: "returned", "aria-labelledby": "h-returned" }, [
    el("h2", { id: "h-returned", tabindex: "-1", text: t("returnedTitle") })
  ]);
  if (v.status_note) {
    box.appendChild(el("p", { "class": "label", text: t("returnedIntro") }));
    box.appendChild(el("p", { "class": "note-text", id: "status-note", text: v.status_note }));
  }
  function saveRedo() { store.set(redoKey, redo); }
  if (items.length) {
    box.appendChild(el("p", { text: t("returnedDocs") }));
    var list = el("div", { "class": "uploads" });
    items.forEach(function (key) {
      var req = null;
      reqs.forEach(function (r) { if (r.key === key) { req = r; } });
      if (!req) { req = { key: key, name: key, required: true, kinds: ["pdf", "jpeg", "png"], max_size_mb: 5 }; }
      if (req.required === undefined) { req.required = true; }
      var doc = (v.documents || {})[key];
      var redone = doc && redo.docs[key] && redo.docs[key] === doc.checked_at;
      var row = UploadRow(req, {
        caseId: function () { return Promise.resolve(v.case_id); },
        status: redone ? doc : null,
        onChange: function (k, r) {
          if (!r.done() && !r.checking()) { return; }
          redo.docs[k] = r.info().checked_at; saveRedo();
          v.documents = v.documents || {}; v.documents[k] = r.info();
        }
      });
      list.appendChild(row.node);
      rows.push(row);
    });
    box.appendChild(list);
  }
  var view = null, dirty = false;
  var spec = service && service.form;
  if (spec && (spec.sections || []).some(function (s) { return !(s.fields || []).some(function (f) { return f.type === "password"; }); })) {
    view = FormView(spec, { values: redo.form || v.form || {}, confirmed: redo.confirmed || {}, onChange: function () {
      dirty = true;
      redo.form = view.values(); redo.confirmed = view.confirmed(); saveRedo();
    } });
    dirty = !!redo.form;
    var details = el("details", { "class": "edit", id: "edit-form" }, [el("summary", { text: t("editForm") }), view.node]);
    if (!items.length || redo.form) { details.open = true; }
    box.appendChild(details);
  }
  var btn = el("button", { type: "button", "class": "btn primary big", id: "btn-resubmit", text: t("btnResubmit") });
  box.appendChild(general);
  box.appendChild(btn);
  box.appendChild(status);

  function showGeneral(msgs) {
    clear(general);
    (msgs || []).forEach(function (m) { general.appendChild(el("p", { text: m })); });
  }
  function resubmit() {
    if (sending) { return; }
    showGeneral([]);
    status.textContent = "";
    var first = view && dirty ? view.validate() : null;
    var missing = rows.filter(function (r) { return !r.done() && !r.busy() && !r.checking(); });
    /* A refused file keeps the server's reason next to its field. */
    missing.forEach(function (r) { if (r.state() !== "error") { r.showError(t("docMissing")); } });
    if (first) { document.getElementById("edit-form").open = true; focus(first); status.textContent = t("checkForm"); return; }
    if (missing.length) { missing[0].focus(); status.textContent = t("checkForm"); return; }
    if (rows.some(function (r) { return r.busy(); })) { status.textContent = t("waitUploads"); return; }
    if (rows.some(function (r) { return r.checking(); })) {
      /* The server is still scanning a file: send once every row is settled (checked or refused). */
      sending = true;
      busy(btn, true, t("waitScans"));
      status.textContent = t("waitScans");
      Promise.all(rows.map(function (r) { return r.settled(); })).then(function () { sending = false; busy(btn, false); resubmit(); });
      return;
    }
    sending = true;
    busy(btn, true, t("resubmitting"));
    var account = session.get() || {};
    var put = view && dirty
      ? api("PUT", "/api/cases/" + encodeURIComponent(v.case_id) + "/form", { form: view.payload(account), confirm: view.confirmCodes() })
      : Promise.resolve();
    put.then(function () {
      return api("POST", "/api/cases/" + encodeURIComponent(v.case_id) + "/submit", {});
    }).then(function (nv) {
      sending = false;
      store.remove(redoKey);
      editing = null;
      render(nv && nv.case_id ? nv : v);
      message(t("resubmitted"), "ok");
      focus(document.getElementById("status-badge"));
      setTimeout(function () { load(true); }, 1500);
    }, function (err) {
      sending = false;
      busy(btn, false);
      if (err.status === 401) { status.textContent = t("sessionEnded"); return; }
      if (err.offline) { status.textContent = t("offlineShort"); return; }
      if (err.status === 422 && view && (Object.keys(err.errors || {}).length || (err.warnings || []).length)) {
        document.getElementById("edit-form").open = true;
        var shown = view.showServer(err.errors, err.warnings);
        showGeneral(shown.other.length ? [err.message].concat(shown.other) : []);
        status.textContent = err.message;
        focus(shown.first || general);
        return;
      }
      showGeneral([err.message]);
      focus(general);
    });
  }
  btn.addEventListener("click", resubmit);
  editing = { rows: rows, busy: function () { return sending || rows.some(function (r) { return r.busy() || r.checking(); }); } };
  return box;
}

function render(v) {
  current = v;
  clear(content);
  var back = el("a", { href: "berkas.html", "class": "back", id: "back-list", text: t("back2list") });
  var meta = el("dl", { "class": "facts case-facts" }, [
    el("div", {}, [el("dt", { text: t("caseNumber") }), el("dd", {}, [el("span", { "class": "mono case-code", id: "case-number", text: v.code || v.number || v.case_id }), v.code ? el("span", { "class": "hint block", id: "case-code-hint", text: t("caseCodeHint") }) : null])]),
    v.created_at ? el("div", {}, [el("dt", { text: t("created") }), el("dd", { text: formatDate(v.created_at, true) })]) : null,
    v.updated_at ? el("div", {}, [el("dt", { text: t("updated") }), el("dd", { text: formatDate(v.updated_at, true) })]) : null,
    /* The published service time's end, set when the case was submitted (services/service_clock.py). */
    v.due_at ? el("div", {}, [el("dt", { text: t("dueAt") }), el("dd", { id: "case-due" }, [formatDate(v.due_at, true),
      v.overdue ? el("span", { "class": "hint block", id: "case-overdue", text: t("dueOverdue") }) : null,
      v.clock_paused ? el("span", { "class": "hint block", id: "case-clock-paused", text: t("duePaused") }) : null])]) : null
  ]);
  content.appendChild(el("div", { "class": "case-head" }, [
    back,
    el("p", { "class": "eyebrow", text: officeName(v.office) }),
    el("h1", { id: "case-title", text: v.service_title || v.service }),
    el("p", {}, [badge(v)]),
    meta
  ]));
  var refreshed = el("p", { "class": "hint", id: "refreshed", "aria-live": "polite", text: t("refreshedAt", { time: formatTime(new Date()) }) });
  content.appendChild(el("div", { "class": "toolbar" }, [
    el("button", { type: "button", "class": "btn secondary small", id: "btn-refresh", text: t("refresh"), onclick: function () { load(false); } }),
    refreshed
  ]));
  editing = null;
  if (v.status === "draft") {
    content.appendChild(el("div", { "class": "notice", id: "draft-box" }, [
      el("p", { text: t("draftCase") }),
      el("a", { "class": "btn primary", href: "ajukan.html?kantor=" + encodeURIComponent(v.office) + "&layanan=" + encodeURIComponent(v.service), text: t("continueDraft") })
    ]));
  } else if (v.status === "returned") {
    content.appendChild(returnedBox(v));
  } else if (v.status === "rejected") {
    content.appendChild(el("section", { "class": "box rejected", id: "rejected", "aria-labelledby": "h-rejected" }, [
      el("h2", { id: "h-rejected", text: t("rejectedTitle") }),
      v.status_note ? el("p", { "class": "note-text", id: "status-note", text: v.status_note }) : null
    ]));
  } else if (v.status === "expired") {
    content.appendChild(el("section", { "class": "box expired", id: "expired" }, [
      el("h2", { text: t("expiredTitle") }), el("p", { text: v.status_note || t("expiredText") })
    ]));
  }
  if (v.status === "completed" && v.service !== "pengaduan") { content.appendChild(surveyCard(v)); }
  var products = productsCard(v); if (products) { content.appendChild(products); }
  var confirming = confirmBox(v); if (confirming) { content.appendChild(confirming); }
  var reports = holderCard(v); if (reports) { content.appendChild(reports); }
  var messages = messagesCard(v); if (messages) { content.appendChild(messages); }
  if ((v.steps || []).length) {
    content.appendChild(el("section", { "class": "card", id: "steps", "aria-labelledby": "h-steps" }, [
      el("h2", { id: "h-steps", text: t("stepsTitle") }), timeline(v.steps)
    ]));
  }
  var link = complaintLink(v); if (link) { content.appendChild(link); }
}

/* ------------------------------------------------ SKM survey and complaint link */
/* The nine questions of Permenpan RB 14/2017 on one phone screen: a row of four buttons each
 * (radio inputs), one send. Loaded once per page (GET .../survey); a second send is a 409 the
 * server words ("sudah diisi"). */
function surveyCard(v) {
  var box = el("section", { "class": "card", id: "survey", "aria-labelledby": "h-survey" }, [
    el("h2", { id: "h-survey", text: t("surveyTitle") })
  ]);
  var say = el("p", { "class": "hint", id: "survey-status", "aria-live": "polite" });
  api("GET", "/api/cases/" + encodeURIComponent(v.case_id) + "/survey").then(function (s) {
    if (s.done) { box.appendChild(el("p", { id: "survey-done", text: t("surveyThanks") })); return; }
    if (!s.asked) { box.hidden = true; return; }
    var form = el("form", { id: "survey-form", "class": "survey" });
    form.appendChild(el("p", { "class": "hint", text: t("surveyIntro") }));
    s.elements.forEach(function (q) {
      var choices = [1, 2, 3, 4].map(function (n) {
        return el("label", { "class": "survey-choice", title: s.scale[String(n)] }, [
          el("input", { type: "radio", name: q.key, value: String(n), required: "required", "aria-label": n + " · " + s.scale[String(n)] }),
          el("b", { "aria-hidden": "true", text: String(n) }), el("small", { "aria-hidden": "true", text: s.scale[String(n)] })
        ]);
      });
      form.appendChild(el("fieldset", { "class": "survey-q" }, [el("legend", { text: q.question })].concat(choices)));
    });
    form.appendChild(el("button", { type: "submit", "class": "btn primary", id: "survey-send", text: t("surveySend") }));
    form.appendChild(say);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var answers = {}, missing = false;
      s.elements.forEach(function (q) {
        var picked = form.querySelector("input[name=" + q.key + "]:checked");
        if (picked) { answers[q.key] = Number(picked.value); } else { missing = true; }
      });
      if (missing) { say.textContent = t("surveyMissing"); return; }
      api("POST", "/api/cases/" + encodeURIComponent(v.case_id) + "/survey", { answers: answers }).then(function () {
        clear(box); box.appendChild(el("p", { id: "survey-done", text: t("surveyThanks") }));
      }, function (err) { say.textContent = err.message || t("surveyMissing"); });
    });
    box.appendChild(form);
  }, function () { box.hidden = true; });
  return box;
}

function complaintLink(v) {
  if (v.service === "pengaduan" || v.status === "draft") { return null; }
  return el("p", { "class": "complaint-link" }, [
    el("a", { id: "complaint-link", href: "pengaduan.html?kantor=" + encodeURIComponent(v.office) + "&berkas=" + encodeURIComponent(v.case_id) +
      (v.code ? "&kode=" + encodeURIComponent(v.code) : ""), text: t("complaintLink") })
  ]);
}

/* ---------------------------------------------------------------- loading */
function load(silent) {
  if (!session.signedIn()) { message(""); askSignin(); return; }
  if (!silent) { message(t(caseId ? "caseLoading" : "loading")); }
  var cat = catalogue && catalogue.length ? Promise.resolve(catalogue) : loadOffices().then(null, function () { return []; });
  var path = caseId ? "/api/cases/" + encodeURIComponent(caseId) : "/api/cases";
  return Promise.all([cat, api("GET", path)]).then(function (both) {
    catalogue = both[0];
    lastLoad = Date.now();
    var body = both[1];
    if (!silent) { message(""); }
    if (!caseId) { renderList(body.cases || []); return; }
    if (silent && current && current.status === body.status && current.updated_at === body.updated_at &&
        JSON.stringify(current.steps) === JSON.stringify(body.steps)) {
      var r = document.getElementById("refreshed");
      if (r) { r.textContent = t("refreshedAt", { time: formatTime(new Date()) }); }
      return;
    }
    if (silent && editing) { return; }   /* never wipe what the person is re-uploading or typing */
    render(body);
    rememberCase(body.case_id);
  }, function (err) {
    if (err.status === 401) { return; }
    if (silent) { return; }
    if (err.status === 404) { message(t("caseNotFound"), "error"); return; }
    message((err.offline ? t("offlineShort") : (err.message || t("caseFailed"))), "error");
    loadStatus.appendChild(document.createTextNode(" "));
    loadStatus.appendChild(el("button", { type: "button", "class": "btn secondary small", text: t("retry"), onclick: function () { load(false); } }));
  });
}

setInterval(function () {
  if (document.visibilityState === "visible" && session.signedIn() && !sending && Date.now() - lastLoad >= 29000) {
    if (editing && editing.busy()) { return; }
    load(true);
  }
}, 5000);
document.addEventListener("visibilitychange", function () {
  if (document.visibilityState === "visible" && session.signedIn() && Date.now() - lastLoad > 30000 && !sending) { load(true); }
});
offline.onBack(function () { if (session.signedIn()) { load(true); } });
onLang(function () {
  if (!current && !caseId) { load(true); return; }
  if (current && !(editing && editing.busy())) { render(current); }
});
load(false);
