/* Loket: the applicant's form (built from the service's form spec), the NIK check, document
 * uploads (photos shrunk in the browser, presigned POST with progress) and the draft kept on the
 * phone. Used by ajukan.html (the whole application flow) and berkas.html (a returned case). */
(function () {
  "use strict";
  var L = window.Loket, el = L.el, t = L.t;

  /* ================================================================ NIK
   * The same rules as chalicelib/domain/nik.py: structure errors are errors; a birth date or sex
   * that differs from what was typed is a warning the person may confirm. */
  var PROVINCES = [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
                   61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96];
  var WARN_BIRTH_DATE = "nik_tanggal_lahir", WARN_SEX = "nik_jenis_kelamin", FEMALE = "Perempuan";
  function two(n) { return (n < 10 ? "0" : "") + n; }
  L.nik = {
    clean: function (raw) { return String(raw || "").replace(/[\s.\-]/g, ""); },
    /* {error: text key or null, day, month, year, female} */
    check: function (raw) {
      var nik = L.nik.clean(raw);
      if (!/^\d{16}$/.test(nik)) { return { error: "nikLength" }; }
      if (PROVINCES.indexOf(parseInt(nik.slice(0, 2), 10)) < 0) { return { error: "nikProvince" }; }
      if (nik.slice(2, 4) === "00" || nik.slice(4, 6) === "00") { return { error: "nikZero" }; }
      if (nik.slice(12, 16) === "0000") { return { error: "nikSerial" }; }
      var day = parseInt(nik.slice(6, 8), 10), month = parseInt(nik.slice(8, 10), 10), year = parseInt(nik.slice(10, 12), 10);
      var female = day > 40, dom = female ? day - 40 : day;
      if (dom < 1 || dom > 31 || month < 1 || month > 12) { return { error: "nikDate" }; }
      return { error: null, day: dom, month: month, year: year, female: female };
    },
    /* Warnings for a structurally valid NIK against the typed birth date (YYYY-MM-DD) and sex. */
    warnings: function (raw, birthDate, sex) {
      var r = L.nik.check(raw), out = [];
      if (r.error) { return out; }
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate || "");
      if (m && (r.day !== +m[3] || r.month !== +m[2] || r.year !== (+m[1]) % 100)) {
        out.push({ code: WARN_BIRTH_DATE, message: t("nikWarnDate", { date: two(r.day) + "-" + two(r.month) + "-" + two(r.year) }) });
      }
      if ((sex === "Laki-laki" || sex === FEMALE) && r.female !== (sex === FEMALE)) {
        out.push({ code: WARN_SEX, message: t("nikWarnSex", { sex: t(r.female ? "female" : "male") }) });
      }
      return out;
    }
  };

  /* ================================================================ the form */
  function hasPassword(sec) { return (sec.fields || []).some(function (f) { return f.type === "password"; }); }
  function entryTitle(sec, n) { return t("entry", { title: sec.title.replace(/\s*\([^)]*\)\s*/g, " ").trim(), n: n }); }
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
  var VALID_UNTIL_YEARS = 10;  /* chalicelib/domain/records.py */
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
  L.FormView = function (spec, opts) {
    opts = opts || {};
    var upper = !!spec.uppercase;
    var allSections = spec.sections || [];
    var sections = allSections.filter(function (s) { return !hasPassword(s); });
    var accountSections = allSections.filter(hasPassword);
    var confirmed = opts.confirmed || {};           // warning code -> signature it was confirmed for
    var controls = [];
    var repeat = {};                                 // section key -> {sec, list, rows: [[controls]]}
    var sectionErr = {};
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
        if (tag === "textarea") { attrs.rows = "3"; attrs.maxlength = "600"; }
        if (f.type === "text") { attrs.maxlength = "150"; }
        if (required) { attrs["aria-required"] = "true"; }
        var caps = upper && (f.type === "text" || f.type === "textarea");
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
        var fld = L.field({ id: id, name: name, tag: tag, label: f.label, required: required, hint: f.note, attrs: attrs });
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
        }
        var composing = false;
        fld.input.addEventListener("compositionstart", function () { composing = true; });
        fld.input.addEventListener("compositionend", function () { composing = false; filter(); });
        fld.input.addEventListener("input", function (ev) {
          if (!composing && !ev.isComposing) { filter(); }
          if (c.touched || c.error.textContent) { validateOne(c); }
          afterChange(c);
        });
        fld.input.addEventListener("change", function () { if (tag === "select" || f.type === "date" || f.type === "valid_until") { c.touched = true; validateOne(c); afterChange(c); } });
        fld.input.addEventListener("blur", function () {
          filter();
          if (f.type === "money") { replaceValue(fld.input, formatMoney(fld.input.value)); }
          if (f.type === "text" || f.type === "textarea") {
            var trimmed = fld.input.value.replace(/^\s+|\s+$/g, "");
            if (trimmed !== fld.input.value) { fld.input.value = trimmed; changed(); }
          }
          c.touched = true; validateOne(c);
        });
        /* Keep what is typed to what the field can hold (uppercase, digits), caret in place. */
        var filter = function () {
          var input = fld.input, v = input.value, out = v;
          if (caps) { out = v.toUpperCase(); }
          else if (f.type === "year") { out = digits(v).slice(0, 4); }
          else if (f.type === "nik") {
            var kept = "", n = 0;
            v.replace(/[^\d\s.\-]/g, "").split("").forEach(function (ch) {
              if (/\d/.test(ch)) { if (n < 16) { kept += ch; n++; } } else if (n < 16) { kept += ch; }
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
      if (c.sec.repeatable) { return siblings(c).some(function (o) { return String(o.get()).trim() !== ""; }); }
      if (c.sec.required !== false) { return true; }
      return siblings(c).some(function (o) { return String(o.get()).trim() !== ""; });
    }
    function check(c) {
      var f = c.f, v = String(c.get()).trim();
      if (!v) { return f.required !== false && sectionActive(c) ? t("fieldRequired", { label: f.label }) : ""; }
      switch (f.type) {
        case "year":
          if (!/^\d{4}$/.test(v)) { return t("yearBad"); }
          return +v >= 1940 && +v <= new Date().getFullYear() ? "" : t("yearRange", { max: new Date().getFullYear() });
        case "nik": var r = L.nik.check(v); return r.error ? t(r.error) : "";
        case "email": return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v) ? "" : t("emailBad");
        case "phone":
          var tel = v.replace(/[\s\-().]/g, "");
          return /^((\+62|62|0)8\d{7,12}|(\+62|62|0)[1-79]\d{6,10})$/.test(tel) ? "" : t("phoneBad", { label: f.label });
        case "date":
          if (!validDate(v)) { return t("dateBad"); }
          if (v > officeToday()) { return t("dateFuture", { label: f.label, date: v }); }
          return v < "1900-01-01" ? t("dateImpossible", { label: f.label, date: v }) : "";
        case "valid_until":  /* the same rules as chalicelib/domain/records.py typed_date */
          if (!validDate(v)) { return t("dateBad"); }
          if (v < officeToday()) { return t("validUntilPast", { label: f.label, date: v }); }
          return v > officeToday(VALID_UNTIL_YEARS) ? t("validUntilFar", { label: f.label, date: v, years: VALID_UNTIL_YEARS }) : "";
        case "number": return /^-?\d+([.,]\d+)?$/.test(v) ? "" : t("numberBad", { label: f.label });
        case "money": return /^\d+$/.test(v) ? "" : t("numberBad", { label: f.label });
        case "choice": return (f.options || []).indexOf(v) >= 0 ? "" : t("choiceBad", { label: f.label });
        default: return "";
      }
    }
    /* The browser's check, or the server's verdict on this very value (kept until it changes). */
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
        if (o.f.type === "choice" && (o.f.options || []).indexOf(FEMALE) >= 0 && (o.f.options || []).indexOf("Laki-laki") >= 0) { sex = o; }
      });
      return { date: date ? date.get() : "", sex: sex ? sex.get() : "" };
    }
    function signature(c) { var x = nikContext(c); return L.nik.clean(c.get()) + "|" + x.date + "|" + x.sex; }
    function currentWarnings(c) {
      if (!c.warnBox) { return []; }
      var x = nikContext(c);
      var list = L.nik.warnings(c.get(), x.date, x.sex);
      c.serverWarnings.forEach(function (w) {
        if (!list.some(function (o) { return o.code === w.code; })) { list.push(w); }
      });
      return list;
    }
    function renderWarnings(c, force) {
      if (!c.warnBox) { return; }
      var sig = signature(c), list = currentWarnings(c);
      var stamp = L.lang + "|" + sig + "|" + list.map(function (w) { return w.code + ":" + w.message; }).join("|");
      if (!force && c.warnStamp === stamp) { return; }
      c.warnStamp = stamp;
      L.clear(c.warnBox);
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
        L.focus(last); changed();
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
      L.clear(r.body);
      r.rows = [];
      if (!r.list.length) { r.body.appendChild(el("p", { "class": "hint empty", text: t("emptyRepeat") })); }
      r.list.forEach(function (entry, i) {
        var row = [];
        var head = el("div", { "class": "entry-head" }, [el("strong", { text: entryTitle(sec, i + 1) })]);
        if (sec.required === false || r.list.length > 1) {
          head.appendChild(el("button", { type: "button", "class": "btn small danger", id: "remove-" + sec.key + "-" + i,
                                          "aria-label": t("remove") + " " + entryTitle(sec, i + 1), text: t("remove"), onclick: function () {
            r.list = collect(r); r.list.splice(i, 1); drawEntries(r);
            L.focus(document.getElementById("add-" + sec.key)); changed();
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
          var v = String(c.get()).trim();
          if (!v) { return undefined; }
          if (c.f.type === "nik") { return L.nik.clean(v); }
          if (c.f.type === "money") { return parseInt(digits(v), 10); }
          if (c.f.type === "number") { var n = Number(v.replace(",", ".")); return isNaN(n) ? v : n; }
          if (upper && (c.f.type === "text" || c.f.type === "textarea")) { return v.toUpperCase(); }
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
          var any = collect(r).some(function (o) { return Object.keys(o).some(function (f) { return String(o[f]).trim() !== ""; }); });
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
      setEmail: function (email) {
        controls.forEach(function (c) { if (c.f.type === "email" && !c.get() && email) { c.set(email); } });
      }
    };
    L.onLang(function () {
      controls.forEach(function (c) { if (c.filter) { c.filter(); } if (c.error.textContent) { validateOne(c); } renderWarnings(c); });
    });
    return api;
  };

  /* ================================================================ uploads */
  var TYPES = { pdf: "application/pdf", jpeg: "image/jpeg", png: "image/png" };
  function kindOf(file) {
    var type = (file.type || "").toLowerCase(), name = (file.name || "").toLowerCase();
    if (type === "application/pdf" || (!type && /\.pdf$/.test(name))) { return "pdf"; }
    if (type === "image/jpeg" || type === "image/jpg" || (!type && /\.jpe?g$/.test(name))) { return "jpeg"; }
    if (type === "image/png" || (!type && /\.png$/.test(name))) { return "png"; }
    if (/^image\//.test(type) || /\.(heic|heif|webp|gif|bmp)$/.test(name)) { return "image"; }
    return null;
  }
  function acceptFor(kinds) {
    var parts = [];
    if (kinds.indexOf("jpeg") >= 0 || kinds.indexOf("png") >= 0) { parts.push("image/*"); }
    if (kinds.indexOf("pdf") >= 0) { parts.push("application/pdf"); }
    return parts.join(",");
  }
  function decodeImage(file) {
    function viaImg() {
      return new Promise(function (resolve, reject) {
        var url = URL.createObjectURL(file), img = new Image();
        img.onload = function () { resolve({ source: img, width: img.naturalWidth, height: img.naturalHeight, done: function () { URL.revokeObjectURL(url); } }); };
        img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("decode")); };
        img.src = url;
      });
    }
    if (typeof window.createImageBitmap === "function") {
      return window.createImageBitmap(file, { imageOrientation: "from-image" })
        .then(null, function () { return window.createImageBitmap(file); })
        .then(function (bmp) { return { source: bmp, width: bmp.width, height: bmp.height, done: function () { if (bmp.close) { bmp.close(); } } }; },
              viaImg);
    }
    return viaImg();
  }
  function canvasBlob(canvas, type, quality) {
    return new Promise(function (resolve, reject) {
      if (canvas.toBlob) {
        canvas.toBlob(function (b) { if (b) { resolve(b); } else { reject(new Error("encode")); } }, type, quality);
        return;
      }
      try {
        var data = canvas.toDataURL(type, quality), bin = atob(data.split(",")[1]), arr = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) { arr[i] = bin.charCodeAt(i); }
        resolve(new Blob([arr], { type: type }));
      } catch (e) { reject(e); }
    });
  }
  /* A camera photo made small enough to send: longest side 1600 px (photos for a "foto"
   * requirement 800 px), JPEG 0.85 when JPEG is accepted, else PNG. */
  L.shrinkImage = function (file, maxSide, outType) {
    return decodeImage(file).then(function (img) {
      var scale = Math.min(1, maxSide / Math.max(img.width, img.height));
      var w = Math.max(1, Math.round(img.width * scale)), h = Math.max(1, Math.round(img.height * scale));
      var canvas = document.createElement("canvas");
      canvas.width = w; canvas.height = h;
      var ctx = canvas.getContext("2d");
      if (outType === "image/jpeg") { ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, w, h); }
      ctx.imageSmoothingQuality = "high";
      ctx.drawImage(img.source, 0, 0, w, h);
      img.done();
      return canvasBlob(canvas, outType, 0.85).then(function (blob) {
        canvas.width = canvas.height = 0;
        return { blob: blob, width: w, height: h, scaled: scale < 1, originalWidth: img.width, originalHeight: img.height };
      });
    });
  };
  function Failure(message, retry) { var e = new Error(message); e.retry = !!retry; e.local = true; return e; }

  /* The file as it will be sent: {blob, type, name}; rejects with a message the person can act on. */
  L.prepareFile = function (file, req, onStage) {
    var kinds = req.kinds || [], kind = kindOf(file);
    var max = (Number(req.max_size_mb) || 5) * 1048576;
    var maxText = L.formatMB(Number(req.max_size_mb) || 5);
    function sized(blob, type, name) {
      if (blob.size > max) { throw Failure(t("tooBig", { size: L.formatBytes(blob.size), max: maxText })); }
      if (blob.size === 0) { throw Failure(t("imageUnreadable")); }
      return { blob: blob, type: type, name: name };
    }
    var images = kinds.indexOf("jpeg") >= 0 || kinds.indexOf("png") >= 0;
    var bad = Failure(t("badKind", { kinds: L.kindList(kinds) }));
    return sniff(file).then(function (real) {
      /* What the first bytes say wins over the name (a program renamed .jpg is refused here). */
      if (real === "?") { real = null; if (!kind) { throw bad; } } else if (real) { kind = real; } else if (kind !== "image") { throw bad; }
      if (kind === "pdf") {
        if (kinds.indexOf("pdf") < 0) { throw bad; }
        return sized(file, TYPES.pdf, req.key + ".pdf");
      }
      if (!images) { throw bad; }
      return asImage();
    });
    function asImage() {
      var outType = kinds.indexOf("jpeg") >= 0 ? TYPES.jpeg : TYPES.png;
      var maxSide = /foto/i.test(req.key) ? 800 : 1600;
      var original = kind !== "image" && kinds.indexOf(kind) >= 0;
      if (onStage) { onStage("shrinking"); }
      return L.shrinkImage(file, maxSide, outType).then(function (out) {
        var name = req.key + (outType === TYPES.jpeg ? ".jpg" : ".png");
        /* A small photo that already fits is sent as it is. */
        if (original && !out.scaled && (file.size <= 400 * 1024 || out.blob.size >= file.size)) {
          return sized(file, TYPES[kind], req.key + (kind === "jpeg" ? ".jpg" : ".png"));
        }
        return sized(out.blob, outType, name);
      }, function () {
        if (original) { return sized(file, TYPES[kind], req.key + (kind === "jpeg" ? ".jpg" : ".png")); }
        throw Failure(kind === "image" ? t("badKind", { kinds: L.kindList(kinds) }) : t("imageUnreadable"));
      });
    }
  };
  /* "pdf", "jpeg", "png" from the file's first bytes; null for anything else or when unreadable. */
  function sniff(file) {
    return new Promise(function (resolve) {
      if (!file.slice || typeof FileReader !== "function") { resolve("?"); return; }
      var reader = new FileReader();
      reader.onload = function () {
        var b = new Uint8Array(reader.result || new ArrayBuffer(0));
        var head = String.fromCharCode.apply(null, Array.prototype.slice.call(b, 0, 8));
        if (head.indexOf("%PDF-") === 0) { resolve("pdf"); }
        else if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) { resolve("jpeg"); }
        else if (head === "\x89PNG\r\n\x1a\n") { resolve("png"); }
        else { resolve(null); }
      };
      reader.onerror = function () { resolve("?"); };
      reader.readAsArrayBuffer(file.slice(0, 8));
    });
  }

  /* POST the file to the presigned url: every field first, then the file. Resolves when the
   * storage answered 2xx (or the whole body went out but the answer could not be read, which
   * the server's check then settles). */
  L.postFile = function (policy, prepared, onProgress, tooBigText) {
    return new Promise(function (resolve, reject) {
      var fd = new FormData();
      Object.keys(policy.fields || {}).forEach(function (k) { fd.append(k, policy.fields[k]); });
      fd.append("file", prepared.blob, prepared.name);
      var xhr = new XMLHttpRequest(), sent = false, last = Date.now(), settled = false;
      function finish(fn, arg) { if (settled) { return; } settled = true; clearInterval(watch); fn(arg); }
      var watch = setInterval(function () {
        if (!sent && Date.now() - last > 60000) { xhr.abort(); finish(reject, Failure(t("uploadStalled"), true)); }
      }, 5000);
      xhr.open("POST", policy.url, true);
      xhr.upload.onprogress = function (e) { last = Date.now(); if (e.lengthComputable && onProgress) { onProgress(e.loaded / e.total); } };
      xhr.upload.onload = function () { sent = true; if (onProgress) { onProgress(1); } };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) { finish(resolve); }
        else {
          var code = /<Code>([^<]+)<\/Code>/.exec(xhr.responseText || "");
          if (code && code[1] === "EntityTooLarge" && tooBigText) { finish(reject, Failure(tooBigText, false)); }
          else { finish(reject, Failure(t("uploadFailed"), true)); }
        }
      };
      xhr.onerror = function () {
        if (sent) { finish(resolve, { unverified: true }); return; }
        if (navigator.onLine === false) { L.offline.show(); }
        finish(reject, Failure(t("uploadFailed"), true));
      };
      xhr.onabort = function () { finish(reject, Failure(t("uploadStalled"), true)); };
      xhr.send(fd);
    });
  };

  /* One row per required document: pick or photograph, shrink, upload with progress, confirm.
   * ctx: {caseId() -> Promise<id>, status: {kind, checked_at} | null, onChange(key, state),
   *       heading: optional extra text}. */
  L.UploadRow = function (req, ctx) {
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
      facts.textContent = t("docKinds", { kinds: L.kindList(kinds) }) + " · " + t("docMax", { size: L.formatMB(Number(req.max_size_mb) || 5) });
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
      if (ctx.onChange) { ctx.onChange(key, api); }
    }
    function send() {
      var caseId = null;
      setProgress(0);
      stage("preparing");
      return ctx.caseId().then(function (id) {
        caseId = id;
        return L.api("POST", "/api/cases/" + encodeURIComponent(id) + "/uploads", { document: key, content_type: prepared.type });
      }).then(function (policy) {
        if (policy.max_bytes && prepared.blob.size > policy.max_bytes) {
          throw Failure(t("tooBig", { size: L.formatBytes(prepared.blob.size), max: L.formatBytes(policy.max_bytes) }));
        }
        stage("uploading");
        var tooBig = t("tooBig", { size: L.formatBytes(prepared.blob.size), max: L.formatMB(Number(req.max_size_mb) || 5) });
        return L.postFile(policy, prepared, setProgress, tooBig).then(function () { return policy; });
      }).then(function (policy) {
        stage("checking");
        return L.api("PUT", "/api/cases/" + encodeURIComponent(caseId) + "/documents/" + encodeURIComponent(key), { key: policy.key });
      }).then(function (record) {
        state = "done";
        info = { kind: record.kind, checked_at: record.checked_at };
        prepared = null;
        paint();
        if (ctx.onChange) { ctx.onChange(key, api); }
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
      L.prepareFile(file, req, stage).then(function (p) {
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
    L.onLang(paint);
    paint();
    var api = {
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
      focus: function () { L.focus(input); }
    };
    return api;
  };

  /* ================================================================ ajukan.html */
  function initAjukan() {
    var app = document.getElementById("ajukan-app");
    var officeId = L.param("kantor"), serviceId = L.param("layanan");
    var loadStatus = document.getElementById("load-status");
    L.offline.messageKey = "offline";
    L.initChrome();

    function fatal(key, vars, retryFn) {
      L.clear(loadStatus);
      loadStatus.className = "notice error";
      loadStatus.hidden = false;
      loadStatus.removeAttribute("data-i18n");
      loadStatus.appendChild(el("span", { text: t(key, vars) + " " }));
      if (retryFn) { loadStatus.appendChild(el("button", { type: "button", "class": "btn secondary small", text: t("retry"), onclick: retryFn })); }
      else { loadStatus.appendChild(el("a", { href: "index.html", text: t("home") })); }
    }
    if (!officeId || !serviceId) { fatal("noParams"); return; }

    function load() {
      loadStatus.className = "notice"; loadStatus.textContent = t("loadingForm"); loadStatus.hidden = false;
      L.offices().then(function (offices) {
        var hit = L.findService(offices, officeId, serviceId);
        if (!hit.office) { fatal("noOffice", { id: officeId }); return; }
        if (!hit.service) { fatal("noService", { id: serviceId, office: hit.office.name }); return; }
        loadStatus.hidden = true;
        start(hit.office, hit.service);
      }, function () { fatal("catalogueFailed", null, load); });
    }
    load();

    function start(office, service) {
      var head = document.getElementById("svc-head");
      var req = service.requirements || [];
      var spec = service.form || { sections: [] };
      head.hidden = false;
      L.clear(head);
      head.appendChild(el("p", { "class": "eyebrow", text: office.name }));
      head.appendChild(el("h1", { id: "svc-title", text: service.title }));
      var facts = el("dl", { "class": "facts" });
      function fact(k, v) { if (v) { facts.appendChild(el("div", {}, [el("dt", { "data-i18n": k, text: t(k) }), el("dd", { text: v })])); } }
      fact("applicant", service.applicant); fact("duration", service.duration); fact("fee", service.fee);
      head.appendChild(facts);
      document.title = service.title + " · Loket";
      var titleNode = document.querySelector("title[data-i18n-title]");
      if (titleNode) { titleNode.removeAttribute("data-i18n-title"); }

      var draftKey = "loket.draft." + office.id + "." + service.id;
      var accountCard = document.getElementById("step-account");
      accountCard.hidden = false;
      var accountBody = document.getElementById("account-box");
      var steps = document.getElementById("steps");
      var built = null;          // the form, uploads and submit area once signed in
      var box = null;
      var hasForm = (spec.sections || []).some(function (s) { return !hasPassword(s); });
      document.getElementById("h-account").textContent = "1. " + t("stepAccount");
      L.onLang(function () {
        var k = 1;
        document.getElementById("h-account").textContent = (k++) + ". " + t("stepAccount");
        if (built) { built.numberHeadings(k); }
      });

      var need = service.applicant_kind || "";
      var refused = null;        // the server's 403 (field "kind") for this account: {user, message}
      /* The signed-in account cannot file this service: its kind is not the one the standard names
       * (or the server said so). */
      function wrongKind(s) {
        if (!s || !s.id_token) { return false; }
        if (refused && refused.user === s.username) { return true; }
        return !!need && L.session.kind(s) !== need;
      }
      function refusalNode(s) {
        var have = L.session.kind(s);
        /* The server's word wins when the catalogue on this phone agrees with the account. */
        var text = have !== need || !refused
          ? t("wrongKind", { need: L.kindLabel(need), have: L.kindLabel(have) })
          : t("wrongKindServer", { message: refused.message });
        var d = L.store.get(draftKey);
        return el("div", { "class": "notice error", id: "wrong-kind", role: "alert", tabindex: "-1" }, [
          el("p", { text: text }),
          d && d.touched && (!d.owner || d.owner === s.username) ? el("p", { "class": "hint", text: t("draftKept") }) : null,
          el("div", { "class": "row-actions" }, [
            el("button", { type: "button", "class": "btn primary", id: "btn-switch-account", text: t("switchAccount"),
                           onclick: function () { L.signOut(draftKey); } }),
            el("a", { "class": "btn secondary", href: "index.html#" + encodeURIComponent(office.id), text: t("home") })
          ])
        ]);
      }
      function showAccount() {
        L.clear(accountBody);
        var s = L.session.get();
        if (s && s.id_token) {
          accountBody.appendChild(el("p", { "class": "signed-in", id: "signed-in", tabindex: "-1" }, [
            el("strong", { text: L.session.who(s) }),
            s.email ? el("span", { "class": "hint block", text: t("signedInEmail", { email: s.email }) }) : null
          ]));
          if (wrongKind(s)) { accountBody.appendChild(refusalNode(s)); return; }
          if (!s.email) {
            /* The sign-in answer did not say where the office should write: ask once. */
            var ef = L.field({ id: "account-email", name: "email", label: t("accountEmail"), required: true, hint: t("accountEmailHint"),
                               attrs: { type: "email", inputmode: "email", autocomplete: "email", autocapitalize: "none", spellcheck: "false" } });
            ef.input.addEventListener("change", function () {
              var v = ef.input.value.trim().toLowerCase();
              if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) { ef.setError(""); L.session.setEmail(v); }
              else { ef.setError(t("emailBad")); }
            });
            accountBody.appendChild(ef.wrap);
          }
          return;
        }
        var holder = el("div", {});
        accountBody.appendChild(el("p", { "class": "hint", "data-i18n": "signInFirst", text: t("signInFirst") }));
        accountBody.appendChild(holder);
        box = L.authBox(holder, { onSignedIn: signedIn, kind: need });
        box.render(false);
      }
      /* Build the form for this account, or say plainly that it cannot file this service. */
      function proceed(s) {
        if (built && built.owner !== s.username) { built.destroy(); built = null; }
        if (wrongKind(s)) {
          if (built) { built.destroy(); built = null; }
          steps.hidden = true;
          return false;
        }
        if (!built) { built = buildSteps(s); }
        else if (built.resume) { built.resume(); }
        steps.hidden = false;
        return true;
      }
      function signedIn(s) {
        showAccount();
        var ok = proceed(s);
        if (!ok) { L.focus(document.getElementById("wrong-kind")); return; }
        if (!document.activeElement || document.activeElement === document.body) { L.focus(document.getElementById("signed-in")); }
      }
      /* POST /api/cases answered 403 field "kind": keep the draft, take the form away, say why. */
      function refuse(err) {
        var s = L.session.get();
        refused = { user: s && s.username, message: err.message };
        L.store.remove("loket.offices");   /* the copy on this phone may name an old applicant kind */
        showAccount();
        if (s) { proceed(s); }
        accountCard.scrollIntoView({ block: "start" });
        L.focus(document.getElementById("wrong-kind"));
      }
      L.onAuthLost(function () {
        L.clear(accountBody);
        var holder = el("div", {});
        accountBody.appendChild(holder);
        box = L.authBox(holder, { onSignedIn: signedIn, kind: need });
        box.show("sessionEnded");
        accountCard.scrollIntoView({ block: "start" });
        L.focus(accountBody.querySelector("#signin-username").value ? accountBody.querySelector("#signin-password") : accountBody.querySelector("#signin-username"));
      });
      L.onLang(function () { if (L.session.signedIn()) { showAccount(); } });
      showAccount();
      var s0 = L.session.get();
      if (s0 && s0.id_token) { proceed(s0); }

      /* ---- the form, uploads and submit, for one signed-in person */
      function buildSteps(session) {
        var draft = L.store.get(draftKey);
        if (!draft || draft.v !== 1 || (draft.owner && draft.owner !== session.username)) {
          draft = { v: 1, owner: session.username, idem: L.uuid(), case_id: null, form: {}, confirmed: {}, docs: {}, touched: false };
          L.store.set(draftKey, draft);
        }
        draft.owner = session.username;
        var saveTimer = null, savedLine = el("p", { "class": "hint saved", id: "saved", "aria-live": "off" });
        var view = null, rows = [], creating = null, sending = false, resumeSubmit = false;
        L.clear(steps);

        function save() {
          clearTimeout(saveTimer);
          saveTimer = null;
          if (view) { draft.form = view.values(); draft.confirmed = view.confirmed(); }
          draft.docs = {};
          rows.forEach(function (r) { if (r.done()) { draft.docs[r.key] = r.info(); } });
          draft.saved_at = Date.now();
          if (L.store.set(draftKey, draft)) { savedLine.textContent = t("savedLocal", { time: L.formatTime(new Date()) }); }
        }
        function touched() {
          draft.touched = true;
          if (!saveTimer) { saveTimer = setTimeout(save, 250); }
        }
        window.addEventListener("pagehide", function () { if (saveTimer) { save(); } });
        document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden" && saveTimer) { save(); } });

        /* Form */
        var formCard = null, headings = [];
        if (hasForm) {
          view = L.FormView(spec, { values: draft.form || {}, confirmed: draft.confirmed || {}, onChange: touched });
          if (!draft.touched) { view.setEmail(session.email); }
          var h = el("h2", { id: "h-form", tabindex: "-1" });
          headings.push([h, "stepForm"]);
          formCard = el("form", { id: "case-form", "class": "step", novalidate: true, onsubmit: function (ev) { ev.preventDefault(); } }, [h, view.node]);
          steps.appendChild(formCard);
        }

        /* Documents */
        function ensureCase() {
          if (draft.case_id) { return Promise.resolve(draft.case_id); }
          if (creating) { return creating; }
          var email = (L.session.get() || {}).email || session.email || "";
          if (!email && view) { var vals = view.payload(session); Object.keys(vals).forEach(function (k) { if (!email && vals[k] && vals[k].email) { email = vals[k].email; } }); }
          var ef = document.getElementById("account-email");
          if (!email && ef && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(ef.value.trim())) { email = ef.value.trim().toLowerCase(); L.session.setEmail(email); }
          if (!email && ef) {
            document.getElementById("account-email-err").textContent = t("fieldRequired", { label: t("accountEmail") });
            ef.setAttribute("aria-invalid", "true");
            L.focus(ef);
            var missing = L.ApiError(400, t("fieldRequired", { label: t("accountEmail") }));
            missing.handled = true;
            return Promise.reject(missing);
          }
          creating = L.api("POST", "/api/cases", { office: office.id, service: service.id, email: email },
                           { headers: { "Idempotency-Key": draft.idem } })
            .then(function (v) {
              creating = null;
              draft.case_id = v.case_id;
              draft.touched = true;
              save();
              if (v.status && v.status !== "draft" && v.status !== "returned") { sentAlready(v); throw L.ApiError(409, t("alreadySent")); }
              return v.case_id;
            }, function (err) {
              creating = null;
              if (err.status === 403 && err.field === "kind") { save(); err.handled = true; refuse(err); }
              throw err;
            });
          return creating;
        }
        var docsHeading = el("h2", { id: "h-docs", tabindex: "-1" });
        headings.push([docsHeading, "stepDocs"]);
        var docList = el("div", { "class": "uploads" });
        steps.appendChild(el("section", { "class": "step", id: "step-docs", "aria-labelledby": "h-docs" }, [
          docsHeading, el("p", { "class": "hint", "data-i18n": "docsIntro", text: t("docsIntro") }), docList
        ]));
        rows = req.map(function (r) {
          var row = L.UploadRow(r, {
            caseId: ensureCase,
            status: draft.case_id && draft.docs ? draft.docs[r.key] || null : null,
            onChange: function () { touched(); save(); }
          });
          docList.appendChild(row.node);
          return row;
        });

        /* Submit */
        var sendHeading = el("h2", { id: "h-send", tabindex: "-1" });
        headings.push([sendHeading, "stepSend"]);
        var general = el("div", { "class": "general-errors", id: "submit-errors", role: "alert", tabindex: "-1" });
        var sendStatus = el("p", { "class": "send-status", id: "send-status", role: "status", "aria-live": "polite" });
        var btn = el("button", { type: "button", id: "btn-submit", "class": "btn primary big", "data-i18n": "btnSubmit", text: t("btnSubmit") });
        steps.appendChild(el("section", { "class": "step card", id: "step-send", "aria-labelledby": "h-send" }, [
          sendHeading, el("p", { "data-i18n": "submitIntro", text: t("submitIntro") }), general, btn, sendStatus, savedLine
        ]));
        function numberHeadings(start) {
          headings.forEach(function (pair, i) { pair[0].textContent = (start + i) + ". " + t(pair[1]); });
        }
        numberHeadings(2);
        if (draft.saved_at) { savedLine.textContent = t("savedLocal", { time: L.formatTime(new Date(draft.saved_at)) }); }

        function showGeneral(messages) {
          L.clear(general);
          if (!messages || !messages.length) { return; }
          if (messages.length === 1) { general.appendChild(el("p", { text: messages[0] })); return; }
          general.appendChild(el("ul", {}, messages.map(function (m) { return el("li", { text: m }); })));
        }
        function sentAlready(v) {
          L.rememberCase(v.case_id);
          L.store.remove(draftKey);
          L.clear(steps);
          steps.appendChild(el("div", { "class": "notice ok", role: "status" }, [
            el("p", { text: t("alreadySent") }),
            el("a", { "class": "btn primary", href: "berkas.html?id=" + encodeURIComponent(v.case_id), text: t("seeStatus") })
          ]));
        }
        function done() { sending = false; L.busy(btn, false); }
        function submit() {
          if (sending) { return; }
          sending = true;
          resumeSubmit = false;
          L.busy(btn, true, t("submitting"));
          showGeneral([]);
          sendStatus.textContent = "";
          save();
          var first = null;
          var emailInput = document.getElementById("account-email");
          if (emailInput && !(L.session.get() || {}).email) {
            var ev = emailInput.value.trim().toLowerCase();
            if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(ev)) { L.session.setEmail(ev); }
            else {
              document.getElementById("account-email-err").textContent = ev ? t("emailBad") : t("fieldRequired", { label: t("accountEmail") });
              emailInput.setAttribute("aria-invalid", "true");
              first = emailInput;
            }
          }
          var formFirst = view ? view.validate() : null;
          first = first || formFirst;
          var missing = [];
          rows.forEach(function (r) {
            if (r.req.required && !r.done() && !r.busy()) { r.showError(t("docMissing")); missing.push(r); }
          });
          if (first || missing.length) {
            done();
            sendStatus.textContent = t("checkForm");
            if (first) { L.focus(first); } else { missing[0].focus(); }
            return;
          }
          if (rows.some(function (r) { return r.busy(); })) { done(); sendStatus.textContent = t("waitUploads"); return; }
          sendStatus.textContent = t("creatingCase");
          var caseId = null;
          ensureCase().then(function (id) {
            caseId = id;
            if (!view) { return null; }
            sendStatus.textContent = t("savingForm");
            return L.api("PUT", "/api/cases/" + encodeURIComponent(id) + "/form", { form: view.payload(session), confirm: view.confirmCodes() });
          }).then(function () {
            sendStatus.textContent = t("submitting");
            return L.api("POST", "/api/cases/" + encodeURIComponent(caseId) + "/submit", {});
          }).then(function (v) {
            L.rememberCase(caseId);
            L.store.remove(draftKey);
            clearTimeout(saveTimer); saveTimer = null;
            sendStatus.textContent = t("alreadySent");
            window.location.href = "berkas.html?id=" + encodeURIComponent((v && v.case_id) || caseId);
          }).then(null, function (err) {
            done();
            if (err.status === 403 && err.field === "kind") { return; }   /* refuse() said why */
            if (err.status === 401) { resumeSubmit = true; sendStatus.textContent = t("sessionEnded"); return; }
            if (err.offline) { sendStatus.textContent = t("offline"); L.offline.show(); return; }
            if (err.status === 422 && (err.errors && Object.keys(err.errors).length || err.warnings && err.warnings.length) && view) {
              var shown = view.showServer(err.errors, err.warnings);
              showGeneral(shown.other.length ? [err.message].concat(shown.other) : []);
              sendStatus.textContent = err.message;
              L.focus(shown.first || general);
              return;
            }
            if (err.status === 422 && err.field === "documents") {
              /* The server's list of missing documents: refresh the rows from the case. */
              sendStatus.textContent = "";
              showGeneral([err.message]);
              syncCase().then(function () {
                var firstMissing = null;
                rows.forEach(function (r) { if (r.req.required && !r.done()) { r.showError(t("docMissing")); firstMissing = firstMissing || r; } });
                if (firstMissing) { firstMissing.focus(); } else { L.focus(general); }
              });
              return;
            }
            if (err.status === 409 || err.status === 404) {
              syncCase().then(function () { if (!steps.querySelector("#btn-submit")) { return; } showGeneral([err.message]); L.focus(general); });
              return;
            }
            sendStatus.textContent = "";
            showGeneral([err.message]);
            if (!err.handled) { L.focus(general); }
          });
        }
        btn.addEventListener("click", submit);

        /* The case this draft made: which documents the server already holds. */
        function syncCase() {
          if (!draft.case_id) { return Promise.resolve(); }
          return L.api("GET", "/api/cases/" + encodeURIComponent(draft.case_id)).then(function (v) {
            if (v.status && v.status !== "draft") { sentAlready(v); return; }
            rows.forEach(function (r) { r.setStatus((v.documents || {})[r.key] || null); });
            save();
          }, function (err) {
            if (err.status === 404) { draft.case_id = null; rows.forEach(function (r) { r.setStatus(null); }); save(); }
          });
        }
        syncCase();
        L.offline.onBack(function () { if (draft.case_id) { syncCase(); } });

        return {
          owner: session.username,
          numberHeadings: numberHeadings,
          resume: function () {
            if (resumeSubmit) { sendStatus.textContent = t("resumeAfterSignin"); L.focus(btn); }
          },
          destroy: function () { L.clear(steps); }
        };
      }
    }
  }

  if (document.getElementById("ajukan-app")) { initAjukan(); }
})();
