/* The applicant's form, drawn from the service's form spec (the SOP's `requirements.form`, as
 * GET /api/offices serves it: sections of fields, some repeatable): every field with its label,
 * hint and error line, filters that keep what is typed to what the field can hold (capitals for
 * "huruf cetak", digits), the browser's checks (the server's rules: chalicelib/services/forms.py,
 * chalicelib/domain/records.py typed_date, chalicelib/domain/nik.py, chalicelib/domain/teks.py for
 * names and text), the NIK warnings to confirm,
 * and the server's 422 answer shown on its fields. Used by ajukan.html and, for a returned case,
 * by berkas.html. */
import { el, clear, focus } from "../lib/dom.js";
import { t, lang, onLang } from "../lib/i18n.js";
import { two, formatDate } from "../lib/format.js";
import { field } from "./field.js";
import * as nik from "./nik.js";
import * as teks from "./teks.js";

const VALID_UNTIL_YEARS = 10;  /* chalicelib/domain/records.py */
const NIK_TYPED = new RegExp("[^0-9" + nik.SEPARATORS + "]", "g");  /* what the NIK field refuses */

/* A form section that holds a password is the account itself (Cognito's), not part of the case. */
export function hasPassword(sec) { return (sec.fields || []).some(function (f) { return f.type === "password"; }); }
function entryTitle(sec, n) { return t("entry", { title: sec.title.replace(/\s*\([^)]*\)\s*/g, " ").trim(), n: n }); }
/* Whether a field is kept in capitals: its own `uppercase` (the server's Requirements.in_capitals,
 * sent per field by form_spec), else the form's. */
function inCapitals(f, upper) { return !!teks.ruleFor(f) && (f.uppercase === undefined || f.uppercase === null ? upper : !!f.uppercase); }
function normalizeName(name) { return String(name).replace(/\[(\d+)\]/g, ".$1"); }
function digits(s) { return String(s || "").replace(/\D/g, ""); }
function formatMoney(v) { var d = digits(v); return d ? d.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ".") : ""; }
function validDate(v) {
  var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) { return false; }
  var d = new Date(+m[1], +m[2] - 1, +m[3]);
  return d.getFullYear() === +m[1] && d.getMonth() === +m[2] - 1 && d.getDate() === +m[3];
}
/* The office's calendar day (WIB, UTC+7) as YYYY-MM-DD, as chalicelib/domain/clock.office_today:
 * the server judges dates by it, whatever zone the phone is set to. */
function officeToday(plusYears) {
  var d = new Date(Date.now() + 7 * 3600 * 1000), y = d.getUTCFullYear() + (plusYears || 0);
  var m = d.getUTCMonth() + 1, day = d.getUTCDate();
  if (m === 2 && day === 29 && plusYears) { day = 28; }
  return y + "-" + two(m) + "-" + two(day);
}

/* Replace an input's value, keeping the caret where the person was typing. */
function replaceValue(input, value, caretShift) {
  if (input.value === value) { return; }
  var start = input.selectionStart, end = input.selectionEnd, focused = document.activeElement === input;
  input.value = value;
  if (focused && typeof start === "number") {
    var s = Math.max(0, Math.min(value.length, start + (caretShift || 0)));
    var e = Math.max(0, Math.min(value.length, end + (caretShift || 0)));
    try { input.setSelectionRange(s, e); } catch (ex) { /* type without selection */ }
  }
}

/* FormView(spec, {values, confirmed, session, onChange}) -> {node, values(), payload(), ...}
 * Inputs are named <section>.<field> (repeatable: <section>.<n>.<field>). */
export function FormView(spec, opts) {
  opts = opts || {};
  var upper = !!spec.uppercase;
  var allSections = spec.sections || [];
  var sections = allSections.filter(function (s) { return !hasPassword(s); });
  var accountSections = allSections.filter(hasPassword);
  var confirmed = opts.confirmed || {};           // warning code -> signature it was confirmed for
  var controls = [];
  var repeat = {};                                 // section key -> {sec, list, rows: [[controls]]}
  var sectionErr = {};
  var cards = {};                                  // section key -> its card
  var node = el("div", { "class": "formview" });
  var values = opts.values || {};

  function changed() { if (opts.onChange) { opts.onChange(); } }

  function makeControl(sec, f, index, value) {
    var name = sec.key + (index === null ? "" : "." + index) + "." + f.key;
    var id = "f-" + name.replace(/[^A-Za-z0-9_-]/g, "-");
    var c = { name: name, sec: sec, f: f, index: index, id: id, touched: false, serverWarnings: [] };
    var required = f.required !== false;
    if (f.type === "choice" && (f.options || []).length <= 3) {
      var errId = id + "-err";
      var radios = f.options.map(function (opt, i) {
        return el("input", { type: "radio", name: name, id: id + "-" + i, value: opt, "aria-describedby": errId });
      });
      c.error = el("p", { id: errId, "class": "err", "aria-live": "polite" });
      c.wrap = el("fieldset", { "class": "field radios", "data-name": name, id: id }, [
        el("legend", {}, [f.label, required ? el("span", { "class": "req", "aria-hidden": "true", text: " *" }) : null,
                          required ? null : el("span", { "class": "opt", text: " " + t("optional") })]),
        f.note ? el("p", { "class": "hint", text: f.note }) : null,
        el("div", { "class": "choices" }, radios.map(function (r, i) {
          return el("label", { "class": "choice", "for": r.id }, [r, el("span", { text: f.options[i] })]);
        })),
        c.error
      ]);
      c.get = function () { var v = ""; radios.forEach(function (r) { if (r.checked) { v = r.value; } }); return v; };
      c.set = function (v) { radios.forEach(function (r) { r.checked = r.value === v; }); };
      c.focusNode = radios[0];
      c.setError = function (msg) {
        c.error.textContent = msg || "";
        c.wrap.classList.toggle("has-err", !!msg);
        radios.forEach(function (r) { if (msg) { r.setAttribute("aria-invalid", "true"); } else { r.removeAttribute("aria-invalid"); } });
      };
      radios.forEach(function (r) {
        r.addEventListener("change", function () { c.touched = true; validateOne(c); afterChange(c); });
      });
    } else {
      var tag = f.type === "textarea" ? "textarea" : f.type === "choice" ? "select" : "input";
      var attrs = {};
      if (tag === "input") { attrs.type = "text"; }
      var rule = teks.ruleFor(f);
      if (tag === "textarea") { attrs.rows = "3"; }
      if (rule) { attrs.maxlength = String(rule.max); }
      if (required) { attrs["aria-required"] = "true"; }
      var caps = inCapitals(f, upper);
      if (caps) { attrs.autocapitalize = "characters"; attrs["class"] = "input caps"; }
      switch (f.type) {
        case "date": attrs.type = "date"; attrs.max = officeToday(); break;
        case "valid_until": attrs.type = "date"; attrs.min = officeToday(); attrs.max = officeToday(VALID_UNTIL_YEARS); break;
        case "year": attrs.inputmode = "numeric"; attrs.pattern = "[0-9]*"; attrs.autocomplete = "off"; break;
        case "nik": attrs.inputmode = "numeric"; attrs.autocomplete = "off"; attrs.spellcheck = "false"; break;
        case "email": attrs.type = "email"; attrs.inputmode = "email"; attrs.autocomplete = "email"; attrs.autocapitalize = "none"; attrs.spellcheck = "false"; break;
        case "phone": attrs.type = "tel"; attrs.inputmode = "tel"; attrs.autocomplete = "tel"; break;
        case "number": attrs.inputmode = "decimal"; attrs.autocomplete = "off"; break;
        case "money": attrs.inputmode = "numeric"; attrs.autocomplete = "off"; break;
        default: break;
      }
      if (f.key === "nama_lengkap" || f.key === "nama") { attrs.autocomplete = "name"; }
      if (f.type === "name") { attrs.spellcheck = "false"; }
      var fld = field({ id: id, name: name, tag: tag, label: f.label, required: required, hint: f.note, attrs: attrs });
      if (!required) { fld.label.appendChild(el("span", { "class": "opt", text: " " + t("optional") })); }
      if (tag === "select") {
        fld.input.appendChild(el("option", { value: "", text: t("choose") }));
        (f.options || []).forEach(function (o) { fld.input.appendChild(el("option", { value: o, text: o })); });
      }
      if (f.type === "money") {
        var box = el("div", { "class": "money" }, [el("span", { "class": "prefix", "aria-hidden": "true", text: "Rp" })]);
        fld.input.parentNode.replaceChild(box, fld.input);
        box.appendChild(fld.input);
      }
      c.wrap = fld.wrap; c.input = fld.input; c.error = fld.error; c.setError = fld.setError; c.focusNode = fld.input;
      c.get = function () { return f.type === "money" ? digits(fld.input.value) : fld.input.value; };
      c.set = function (v) { fld.input.value = v === null || v === undefined ? "" : (f.type === "money" ? formatMoney(v) : String(v)); };
      if (f.type === "nik") {
        c.counter = el("span", { "class": "counter", "aria-hidden": "true" });
        fld.label.appendChild(c.counter);
        c.warnBox = el("div", { "class": "warnings", "aria-live": "polite" });
        fld.wrap.appendChild(c.warnBox);
        /* What the office already holds for this NIK (one valid card per NIK): opts.onNik asks. */
        c.noteBox = el("p", { "class": "notice nik-note", id: id + "-note", "aria-live": "polite", hidden: true });
        fld.wrap.appendChild(c.noteBox);
      }
      var composing = false;
      fld.input.addEventListener("compositionstart", function () { composing = true; });
      fld.input.addEventListener("compositionend", function () { composing = false; filter(); });
      fld.input.addEventListener("input", function (ev) {
        if (!composing && !ev.isComposing) { filter(); }
        if (c.touched || c.error.textContent) { validateOne(c); }
        afterChange(c);
        if (f.type === "nik") { askNik(c); }  /* the 16th digit: told at once, not only on leaving */
      });
      fld.input.addEventListener("change", function () { if (tag === "select" || f.type === "date" || f.type === "valid_until") { c.touched = true; validateOne(c); afterChange(c); } });
      fld.input.addEventListener("blur", function () {
        filter();
        if (f.type === "money") { replaceValue(fld.input, formatMoney(fld.input.value)); }
        if (rule) {
          var trimmed = fld.input.value.replace(/^\s+|\s+$/g, "");
          if (trimmed !== fld.input.value) { fld.input.value = trimmed; changed(); }
        }
        c.touched = true; validateOne(c);
        if (f.type === "nik") { askNik(c); }
      });
      /* Keep what is typed to what the field can hold (uppercase, digits), caret in place. */
      var filter = function () {
        var input = fld.input, v = input.value, out = v;
        if (caps) { out = v.toUpperCase(); }
        else if (f.type === "year") { out = digits(v).slice(0, 4); }
        else if (f.type === "nik") {
          var kept = "", n = 0;
          v.replace(NIK_TYPED, "").split("").forEach(function (ch) {
            if (/[0-9]/.test(ch)) { if (n < 16) { kept += ch; n++; } } else if (n < 16) { kept += ch; }
          });
          out = kept;
        } else if (f.type === "phone") { out = v.replace(/[^\d+\s\-()]/g, ""); }
        else if (f.type === "money") { out = v.replace(/[^\d.]/g, ""); }
        else if (f.type === "number") { out = v.replace(/[^\d.,\-]/g, ""); }
        if (out !== v) { replaceValue(input, out, out.length - v.length < 0 && !caps ? out.length - v.length : 0); }
        if (c.counter) { c.counter.textContent = " " + t("nikCount", { n: digits(input.value).length }); }
      };
      c.filter = filter;
    }
    if (f.type === "textarea" || f.type === "nik") { c.wrap.classList.add("wide"); }
    if (value !== undefined && value !== null && value !== "") { c.set(value); }
    if (c.filter) { c.filter(); }
    controls.push(c);
    return c;
  }

  function siblings(c) { return controls.filter(function (o) { return o.sec === c.sec && o.index === c.index; }); }
  function sectionActive(c) {
    if (c.sec.repeatable) { return siblings(c).some(function (o) { return !teks.empty(o.get()); }); }
    if (c.sec.required !== false) { return true; }
    return siblings(c).some(function (o) { return !teks.empty(o.get()); });
  }
  /* A name or text field as the server keeps it (teks.js), for its check and the payload. */
  function cleanText(c) {
    var rule = teks.ruleFor(c.f);
    return teks.clean(c.get(), { label: c.f.label, kind: rule.kind, multiline: rule.multiline, capitals: inCapitals(c.f, upper), max: rule.max });
  }
  function check(c) {
    var f = c.f, v = teks.empty(c.get()) ? "" : String(c.get()).trim();
    var kept = teks.ruleFor(f) ? cleanText(c) : null;
    if (kept && kept.error) { return kept.message; }
    if (kept) { v = kept.kept; }
    if (!v) { return f.required !== false && sectionActive(c) ? t("fieldRequired", { label: f.label }) : ""; }
    switch (f.type) {
      case "year":
        if (!/^\d{4}$/.test(v)) { return t("yearBad"); }
        return +v >= 1940 && +v <= new Date().getFullYear() ? "" : t("yearRange", { max: new Date().getFullYear() });
      case "nik": var r = nik.check(v); return r.error ? t(r.error) : "";
      case "email": return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v) ? "" : t("emailBad");
      case "phone":
        var tel = v.replace(/[\s\-().]/g, "");
        return /^((\+62|62|0)8\d{7,12}|(\+62|62|0)[1-79]\d{6,10})$/.test(tel) ? "" : t("phoneBad", { label: f.label });
      case "date":
        if (!validDate(v)) { return t("dateBad"); }
        if (v > officeToday()) { return t("dateFuture", { label: f.label, date: formatDate(v) }); }
        return v < "1900-01-01" ? t("dateImpossible", { label: f.label, date: formatDate(v) }) : "";
      case "valid_until":  /* the same rules as chalicelib/domain/records.py typed_date */
        if (!validDate(v)) { return t("dateBad"); }
        if (v < officeToday()) { return t("validUntilPast", { label: f.label, date: formatDate(v) }); }
        return v > officeToday(VALID_UNTIL_YEARS) ? t("validUntilFar", { label: f.label, date: formatDate(v), years: VALID_UNTIL_YEARS }) : "";
      case "number": return /^-?\d+([.,]\d+)?$/.test(v) ? "" : t("numberBad", { label: f.label });
      case "money": return /^\d+$/.test(v) ? "" : t("numberBad", { label: f.label });
      case "choice": return (f.options || []).indexOf(v) >= 0 ? "" : t("choiceBad", { label: f.label });
      default: return "";
    }
  }
  /* The browser's check, or the server's verdict on this very value (kept until it changes). */
  /* Once a whole NIK is typed: opts.onNik(nik) resolves to what to tell (text, or "" for nothing). */
  function askNik(c) {
    var v = nik.clean(c.get());
    if (!opts.onNik || !c.noteBox || c.error.textContent || v.length !== 16 || c.asked === v) { return; }
    c.asked = v;
    opts.onNik(v).then(function (text) {
      if (c.asked !== v) { return; }
      c.noteBox.textContent = text || "";
      c.noteBox.hidden = !text;
    }, function () { c.asked = null; });
  }
  function validateOne(c) {
    var msg = check(c);
    if (!msg && c.serverError && c.serverError.value === String(c.get())) { msg = c.serverError.msg; }
    c.setError(msg);
    return msg;
  }

  /* --- NIK warnings: against the birth date and sex of the same section (or entry) */
  function nikContext(c) {
    var sib = siblings(c), date = null, sex = null;
    sib.forEach(function (o) { if (o.f.type === "date" && /lahir/.test(o.f.key)) { date = o; } });
    if (!date) { sib.forEach(function (o) { if (!date && o.f.type === "date") { date = o; } }); }
    sib.forEach(function (o) {
      if (o.f.type === "choice" && (o.f.options || []).indexOf(nik.FEMALE) >= 0 && (o.f.options || []).indexOf(nik.MALE) >= 0) { sex = o; }
    });
    return { date: date ? date.get() : "", sex: sex ? sex.get() : "" };
  }
  function signature(c) { var x = nikContext(c); return nik.clean(c.get()) + "|" + x.date + "|" + x.sex; }
  function currentWarnings(c) {
    if (!c.warnBox) { return []; }
    var x = nikContext(c);
    var list = nik.warnings(c.get(), x.date, x.sex);
    c.serverWarnings.forEach(function (w) {
      if (!list.some(function (o) { return o.code === w.code; })) { list.push(w); }
    });
    return list;
  }
  function renderWarnings(c, force) {
    if (!c.warnBox) { return; }
    var sig = signature(c), list = currentWarnings(c);
    var stamp = lang + "|" + sig + "|" + list.map(function (w) { return w.code + ":" + w.message; }).join("|");
    if (!force && c.warnStamp === stamp) { return; }
    c.warnStamp = stamp;
    clear(c.warnBox);
    list.forEach(function (w) {
      var boxId = "confirm-" + w.code + (c.index === null ? "" : "-" + c.index);
      var box = el("input", { type: "checkbox", id: boxId, name: "confirm", value: w.code });
      box.checked = confirmed[w.code] === sig;
      box.addEventListener("change", function () {
        if (box.checked) { confirmed[w.code] = signature(c); } else { delete confirmed[w.code]; }
        var msg = c.warnBox.querySelector(".err"); if (msg && box.checked) { msg.textContent = ""; }
        changed();
      });
      c.warnBox.appendChild(el("div", { "class": "warn", "data-code": w.code }, [
        el("p", { text: w.message }),
        el("div", { "class": "check" }, [box, el("label", { "for": boxId, text: t("nikConfirm") })]),
        el("p", { "class": "err", "aria-live": "polite" })
      ]));
    });
  }
  function afterChange(c) {
    siblings(c).forEach(function (o) { if (o.warnBox) { if (o !== c) { o.serverWarnings = []; } renderWarnings(o); } });
    if (c.warnBox) { c.serverWarnings = []; renderWarnings(c); }
    changed();
  }

  /* --- sections */
  function renderSection(sec) {
    var body = el("div", { "class": "fsec-body" });
    var err = el("p", { "class": "err", id: "err-sec-" + sec.key, "aria-live": "polite" });
    sectionErr[sec.key] = err;
    var card = el("section", { "class": "card fsec", id: "sec-" + sec.key, "aria-labelledby": "h-" + sec.key }, [
      el("h3", { id: "h-" + sec.key }, [sec.title, sec.required === false && !sec.repeatable ? el("span", { "class": "opt", text: " " + t("optional") }) : null]),
      sec.note ? el("p", { "class": "hint", text: sec.note }) : null,
      body
    ]);
    card.appendChild(err);
    cards[sec.key] = card;
    if (!sec.repeatable) {
      var v = values[sec.key] || {};
      sec.fields.forEach(function (f) { body.appendChild(makeControl(sec, f, null, v[f.key]).wrap); });
      return card;
    }
    var list = Array.isArray(values[sec.key]) ? values[sec.key].slice() : [];
    if (!list.length && sec.required !== false) { list.push({}); }
    body.classList.add("repeat");
    var r = repeat[sec.key] = { sec: sec, list: list, body: body };
    var add = el("button", { type: "button", "class": "btn secondary", id: "add-" + sec.key, text: t("add"), onclick: function () {
      r.list = collect(r); r.list.push({}); drawEntries(r);
      var last = r.body.querySelector(".entry:last-child input, .entry:last-child select, .entry:last-child textarea");
      focus(last); changed();
    } });
    card.insertBefore(add, err);
    drawEntries(r);
    return card;
  }
  function collect(r) {
    return r.rows.map(function (row) {
      var o = {}; row.forEach(function (c) { o[c.f.key] = c.get(); }); return o;
    });
  }
  function drawEntries(r) {
    var sec = r.sec;
    if (r.rows) { r.rows.forEach(function (row) { row.forEach(function (c) { controls.splice(controls.indexOf(c), 1); }); }); }
    clear(r.body);
    r.rows = [];
    if (!r.list.length) { r.body.appendChild(el("p", { "class": "hint empty", text: t("emptyRepeat") })); }
    r.list.forEach(function (entry, i) {
      var row = [];
      var head = el("div", { "class": "entry-head" }, [el("strong", { text: entryTitle(sec, i + 1) })]);
      if (sec.required === false || r.list.length > 1) {
        head.appendChild(el("button", { type: "button", "class": "btn small danger", id: "remove-" + sec.key + "-" + i,
                                        "aria-label": t("remove") + " " + entryTitle(sec, i + 1), text: t("remove"), onclick: function () {
          r.list = collect(r); r.list.splice(i, 1); drawEntries(r);
          focus(document.getElementById("add-" + sec.key)); changed();
        } }));
      }
      var box = el("div", { "class": "entry", "data-index": String(i) }, [head]);
      sec.fields.forEach(function (f) { var c = makeControl(sec, f, i, entry[f.key]); row.push(c); box.appendChild(c.wrap); });
      r.body.appendChild(box);
      r.rows.push(row);
    });
    r.rows.forEach(function (row) { row.forEach(function (c) { if (c.warnBox) { renderWarnings(c); } }); });
  }

  if (upper) { node.appendChild(el("p", { "class": "hint caps-note", text: t("uppercaseNote") })); }
  node.appendChild(el("p", { "class": "hint", text: t("requiredNote") }));
  sections.forEach(function (sec) { node.appendChild(renderSection(sec)); });
  controls.forEach(function (c) { if (c.warnBox) { renderWarnings(c); } });

  var api = {
    node: node,
    sections: sections,
    accountSections: accountSections,
    isEmpty: function () { return sections.length === 0; },
    /* Raw values as typed, for the draft. */
    values: function () {
      var out = {};
      sections.forEach(function (sec) {
        if (sec.repeatable) { out[sec.key] = collect(repeat[sec.key]); return; }
        var o = {};
        controls.forEach(function (c) { if (c.sec === sec) { o[c.f.key] = c.get(); } });
        out[sec.key] = o;
      });
      return out;
    },
    confirmed: function () { return confirmed; },
    /* The body of PUT /form: empty values left out, entries with nothing typed dropped. */
    payload: function (session) {
      var out = {};
      function clean(c) {
        if (teks.empty(c.get())) { return undefined; }
        var v = String(c.get()).trim();
        if (teks.ruleFor(c.f)) { var kept = cleanText(c); return kept.error ? v : kept.kept || undefined; }
        if (c.f.type === "nik") { return nik.clean(v); }
        if (c.f.type === "money") { return parseInt(digits(v), 10); }
        if (c.f.type === "number") { var n = Number(v.replace(",", ".")); return isNaN(n) ? v : n; }
        return v;
      }
      sections.forEach(function (sec) {
        if (sec.repeatable) {
          out[sec.key] = repeat[sec.key].rows.map(function (row) {
            var o = {}, any = false;
            row.forEach(function (c) { var v = clean(c); if (v !== undefined) { o[c.f.key] = v; any = true; } });
            return any ? o : null;
          }).filter(Boolean);
          return;
        }
        var o = {};
        controls.forEach(function (c) { if (c.sec === sec) { var v = clean(c); if (v !== undefined) { o[c.f.key] = v; } } });
        out[sec.key] = o;
      });
      /* The account section (user id, email; never the password) comes from the session. */
      accountSections.forEach(function (sec) {
        var o = {};
        sec.fields.forEach(function (f) {
          if (f.type === "email" && session && session.email) { o[f.key] = session.email; }
          else if (f.type === "text" && session && session.username) { o[f.key] = session.username; }
        });
        out[sec.key] = o;
      });
      return out;
    },
    /* Codes of the warnings the person ticked (for the values they are looking at now). */
    confirmCodes: function () {
      var codes = [];
      controls.forEach(function (c) {
        if (!c.warnBox) { return; }
        var sig = signature(c);
        currentWarnings(c).forEach(function (w) { if (confirmed[w.code] === sig && codes.indexOf(w.code) < 0) { codes.push(w.code); } });
      });
      return codes;
    },
    /* Check everything; show the errors; return the first node to focus (null when all good). */
    validate: function () {
      var first = null;
      Object.keys(sectionErr).forEach(function (k) { sectionErr[k].textContent = ""; });
      controls.forEach(function (c) { c.touched = true; if (validateOne(c) && !first) { first = c.focusNode; } });
      /* A required repeatable section needs at least one entry with something in it (as the server). */
      Object.keys(repeat).forEach(function (k) {
        var r = repeat[k];
        if (r.sec.required === false) { return; }
        var any = collect(r).some(function (o) { return Object.keys(o).some(function (f) { return !teks.empty(o[f]); }); });
        if (any) { return; }
        sectionErr[k].textContent = t("repeatNeedOne", { title: r.sec.title });
        var target = r.body.querySelector("input, select, textarea") || document.getElementById("add-" + k);
        if (target && (!first || first.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_PRECEDING)) { first = target; }
      });
      controls.forEach(function (c) {
        if (!c.warnBox) { return; }
        var sig = signature(c);
        currentWarnings(c).forEach(function (w) {
          if (confirmed[w.code] === sig) { return; }
          var box = c.warnBox.querySelector('[data-code="' + w.code + '"]');
          if (box) {
            box.querySelector(".err").textContent = t("nikConfirmNeeded");
            if (!first) { first = box.querySelector("input"); }
          }
        });
      });
      return first;
    },
    /* A 422 from the server: errors by field name, warnings to confirm. Returns {first, other}. */
    showServer: function (errors, warnings) {
      var found = [], other = [];
      var first = null;
      /* Keep the earliest on the page: the one the person reaches first when scrolling down. */
      function mark(n) {
        if (n) { found.push(n); }
        first = found.reduce(function (a, b) { return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_PRECEDING ? b : a; });
      }
      function find(name) {
        var n = normalizeName(name), hit = null;
        controls.forEach(function (c) { if (c.name === n) { hit = c; } });
        return hit;
      }
      Object.keys(errors || {}).forEach(function (name) {
        var c = find(name), n = normalizeName(name);
        if (c) { c.serverError = { msg: errors[name], value: String(c.get()) }; c.setError(errors[name]); mark(c.focusNode); return; }
        var secKey = n.split(".")[0];
        if (sectionErr[secKey]) {
          sectionErr[secKey].textContent = errors[name];
          var add = document.getElementById("add-" + secKey);
          mark(add || document.getElementById("h-" + secKey));
          return;
        }
        other.push(errors[name]);
      });
      (warnings || []).forEach(function (w) {
        var c = w.field ? find(w.field) : null;
        if (!c || !c.warnBox) { controls.forEach(function (o) { if (!c && o.warnBox) { c = o; } }); }
        if (!c || !c.warnBox) { other.push(w.message); return; }
        if (!c.serverWarnings.some(function (o) { return o.code === w.code; })) { c.serverWarnings.push(w); }
        renderWarnings(c, true);
        mark(c.warnBox.querySelector('[data-code="' + w.code + '"] input') || c.focusNode);
      });
      return { first: first, other: other };
    },
    /* Whether a section holds the filing organisation's own data (prefilled from the account). */
    hasOrganisation: function () { return sections.some(function (sec) { return sec.organisation && !sec.repeatable; }); },
    /* Fill the empty fields of the organisation's sections with what the account remembered
     * (GET /api/account/profile: {section: {field: value}}), and a section's name field
     * (the first text field "nama_...") with the account's organisation name when nothing was
     * remembered for it, saying so above each; returns how many fields were filled. What the
     * person already typed is never replaced. */
    prefill: function (remembered, organisation) {
      var filled = 0, touchedSections = {}, named = {};
      controls.forEach(function (c) {
        if (!c.sec.organisation || c.sec.repeatable || c.index !== null) { return; }
        var kept = (remembered || {})[c.sec.key];
        var v = kept ? kept[c.f.key] : undefined;
        var nameField = c.f.type === "text" && /^nama_/.test(c.f.key) && !named[c.sec.key];
        if (nameField) { named[c.sec.key] = true; }
        var fromAccount = (v === undefined || v === null || v === "") && nameField && !kept && !!organisation;
        if (fromAccount) { v = organisation; }
        if (v === undefined || v === null || v === "" || !teks.empty(c.get())) { return; }
        c.set(v); if (c.filter) { c.filter(); }
        filled++; touchedSections[c.sec.key] = touchedSections[c.sec.key] || (fromAccount ? "prefilledName" : "prefilled");
        if (!fromAccount) { touchedSections[c.sec.key] = "prefilled"; }
      });
      Object.keys(touchedSections).forEach(function (k) {
        var card = cards[k];
        if (card && !card.querySelector(".prefilled")) {
          card.insertBefore(el("p", { "class": "hint prefilled", id: "prefilled-" + k, text: t(touchedSections[k]) }), card.querySelector(".fsec-body"));
        }
      });
      if (filled) { changed(); }
      return filled;
    },
    setEmail: function (email) {
      controls.forEach(function (c) { if (c.f.type === "email" && !c.get() && email) { c.set(email); } });
    }
  };
  onLang(function () {
    controls.forEach(function (c) { if (c.filter) { c.filter(); } if (c.error.textContent) { validateOne(c); } renderWarnings(c); });
  });
  return api;
}
