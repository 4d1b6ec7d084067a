/* ajukan.html?kantor=<office>&layanan=<service>: the whole application flow of one service, as the
 * QR poster opens it. 1. Akun (sign in or create the account the service needs), 2. Formulir (the
 * SOP's form), 3. Dokumen persyaratan (uploads), 4. Kirim. Everything typed is kept on the phone
 * ("loket.draft.<office>.<service>") with the draft's Idempotency-Key, reused for every retry, so
 * a reload or a dropped connection loses nothing and a resubmission finds the same case. */
import { el, clear, focus, busy, param, uuid } from "../lib/dom.js";
import { t, onLang } from "../lib/i18n.js";
import { api, ApiError, loadService, findService, rememberCase, onAuthLost } from "../lib/api.js";
import { store } from "../lib/store.js";
import { session, kindLabel } from "../lib/session.js";
import { formatTime } from "../lib/format.js";
import { offline } from "../components/offline-banner.js";
import { initHeader, signOut } from "../components/header.js";
import { field } from "../components/field.js";
import { authBox } from "../components/auth-box.js";
import { FormView, hasPassword } from "../components/form-view.js";
import { UploadRow } from "../components/upload-row.js";

function initAjukan() {
  var app = document.getElementById("ajukan-app");
  var officeId = param("kantor"), serviceId = param("layanan");
  var loadStatus = document.getElementById("load-status");
  offline.messageKey = "offline";
  initHeader();

  function fatal(key, vars, retryFn) {
    clear(loadStatus);
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
    loadService(officeId, serviceId).then(function (offices) {
      var hit = findService(offices, officeId, serviceId);
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
    clear(head);
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
    onLang(function () {
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
      return !!need && session.kind(s) !== need;
    }
    function refusalNode(s) {
      var have = session.kind(s);
      /* The server's word wins when the catalogue on this phone agrees with the account. */
      var text = have !== need || !refused
        ? t("wrongKind", { need: kindLabel(need), have: kindLabel(have) })
        : t("wrongKindServer", { message: refused.message });
      var d = store.get(draftKey);
      return el("div", { "class": "notice error", id: "wrong-kind", role: "alert", tabindex: "-1" }, [
        el("p", { text: text }),
        d && d.touched && (!d.owner || d.owner === s.username) ? el("p", { "class": "hint", text: t("draftKept") }) : null,
        el("div", { "class": "row-actions" }, [
          el("button", { type: "button", "class": "btn primary", id: "btn-switch-account", text: t("switchAccount"),
                         onclick: function () { signOut(draftKey); } }),
          el("a", { "class": "btn secondary", href: "index.html#" + encodeURIComponent(office.id), text: t("home") })
        ])
      ]);
    }
    function showAccount() {
      clear(accountBody);
      var s = session.get();
      if (s && s.id_token) {
        accountBody.appendChild(el("p", { "class": "signed-in", id: "signed-in", tabindex: "-1" }, [
          el("strong", { text: session.who(s) }),
          s.email ? el("span", { "class": "hint block", text: t("signedInEmail", { email: s.email }) }) : null
        ]));
        if (wrongKind(s)) { accountBody.appendChild(refusalNode(s)); return; }
        if (!s.email) {
          /* The sign-in answer did not say where the office should write: ask once. */
          var ef = field({ id: "account-email", name: "email", label: t("accountEmail"), required: true, hint: t("accountEmailHint"),
                             attrs: { type: "email", inputmode: "email", autocomplete: "email", autocapitalize: "none", spellcheck: "false" } });
          ef.input.addEventListener("change", function () {
            var v = ef.input.value.trim().toLowerCase();
            if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) { ef.setError(""); session.setEmail(v); }
            else { ef.setError(t("emailBad")); }
          });
          accountBody.appendChild(ef.wrap);
        }
        return;
      }
      var holder = el("div", {});
      accountBody.appendChild(el("p", { "class": "hint", "data-i18n": "signInFirst", text: t("signInFirst") }));
      accountBody.appendChild(holder);
      box = authBox(holder, { onSignedIn: signedIn, kind: need });
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
      if (!ok) { focus(document.getElementById("wrong-kind")); return; }
      if (!document.activeElement || document.activeElement === document.body) { focus(document.getElementById("signed-in")); }
    }
    /* POST /api/cases answered 403 field "kind": keep the draft, take the form away, say why. */
    function refuse(err) {
      var s = session.get();
      refused = { user: s && s.username, message: err.message };
      store.remove("loket.offices");   /* the copy on this phone may name an old applicant kind */
      showAccount();
      if (s) { proceed(s); }
      accountCard.scrollIntoView({ block: "start" });
      focus(document.getElementById("wrong-kind"));
    }
    onAuthLost(function () {
      clear(accountBody);
      var holder = el("div", {});
      accountBody.appendChild(holder);
      box = authBox(holder, { onSignedIn: signedIn, kind: need });
      box.show("sessionEnded");
      accountCard.scrollIntoView({ block: "start" });
      focus(accountBody.querySelector("#signin-username").value ? accountBody.querySelector("#signin-password") : accountBody.querySelector("#signin-username"));
    });
    onLang(function () { if (session.signedIn()) { showAccount(); } });
    showAccount();
    var s0 = session.get();
    if (s0 && s0.id_token) { proceed(s0); }

    /* ---- the form, uploads and submit, for one signed-in person */
    function buildSteps(account) {
      var draft = store.get(draftKey);
      if (!draft || draft.v !== 1 || (draft.owner && draft.owner !== account.username)) {
        draft = { v: 1, owner: account.username, idem: uuid(), case_id: null, form: {}, confirmed: {}, docs: {}, touched: false };
        store.set(draftKey, draft);
      }
      draft.owner = account.username;
      var saveTimer = null, savedLine = el("p", { "class": "hint saved", id: "saved", "aria-live": "off" });
      var view = null, rows = [], creating = null, sending = false, resumeSubmit = false;
      clear(steps);

      function save() {
        clearTimeout(saveTimer);
        saveTimer = null;
        if (view) { draft.form = view.values(); draft.confirmed = view.confirmed(); }
        draft.docs = {};
        rows.forEach(function (r) { if (r.done()) { draft.docs[r.key] = r.info(); } });
        draft.saved_at = Date.now();
        if (store.set(draftKey, draft)) { savedLine.textContent = t("savedLocal", { time: formatTime(new Date()) }); }
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
        view = FormView(spec, { values: draft.form || {}, confirmed: draft.confirmed || {}, onChange: function () { touched(); applyConditions(); }, onNik: askNik });
        if (!draft.touched) { view.setEmail(account.email); }
        /* An organisation's own data (company, school, agency) from its last form (issue 13). */
        if (!draft.touched && view.hasOrganisation()) {
          var orgName = account.organisation || (session.get() || {}).organisation || "";
          api("GET", "/api/account/profile").then(function (p) { if (!draft.touched) { view.prefill((p && p.sections) || {}, orgName); } },
                                                  function () { if (!draft.touched) { view.prefill({}, orgName); } });
        }
        var h = el("h2", { id: "h-form", tabindex: "-1" });
        headings.push([h, "stepForm"]);
        formCard = el("form", { id: "case-form", "class": "step", novalidate: true, onsubmit: function (ev) { ev.preventDefault(); } }, [h, view.node]);
        steps.appendChild(formCard);
      }

      /* One valid card per NIK per office: told while typing (the server's words); submit decides. */
      function askNik(number) {
        return ensureCase().then(function (id) {
          return api("POST", "/api/cases/" + encodeURIComponent(id) + "/nik", { nik: number });
        }).then(function (v) { return (v && v.message) || ""; });
      }

      /* Documents */
      function ensureCase() {
        if (draft.case_id) { return Promise.resolve(draft.case_id); }
        if (creating) { return creating; }
        var email = (session.get() || {}).email || account.email || "";
        if (!email && view) { var vals = view.payload(account); Object.keys(vals).forEach(function (k) { if (!email && vals[k] && vals[k].email) { email = vals[k].email; } }); }
        var ef = document.getElementById("account-email");
        if (!email && ef && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(ef.value.trim())) { email = ef.value.trim().toLowerCase(); session.setEmail(email); }
        if (!email && ef) {
          document.getElementById("account-email-err").textContent = t("fieldRequired", { label: t("accountEmail") });
          ef.setAttribute("aria-invalid", "true");
          focus(ef);
          var missing = ApiError(400, t("fieldRequired", { label: t("accountEmail") }));
          missing.handled = true;
          return Promise.reject(missing);
        }
        creating = api("POST", "/api/cases", { office: office.id, service: service.id, email: email },
                         { headers: { "Idempotency-Key": draft.idem } })
          .then(function (v) {
            creating = null;
            draft.case_id = v.case_id;
            draft.touched = true;
            save();
            if (v.status && v.status !== "draft" && v.status !== "returned") { sentAlready(v); throw ApiError(409, t("alreadySent")); }
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
        var row = UploadRow(r, {
          caseId: ensureCase,
          status: draft.case_id && draft.docs ? draft.docs[r.key] || null : null,
          onChange: function () { touched(); save(); }
        });
        docList.appendChild(row.node);
        return row;
      });
      /* A document asked only for some answers (required_when: the marriage certificate when the
       * marital status is "Kawin") follows the form as it is typed: shown and required, or hidden. */
      function applyConditions() {
        var values = view ? view.values() : {};
        rows.forEach(function (r) {
          var when = r.req.required_when;
          if (!when) { return; }
          var parts = String(when.field).split(".");
          var answer = (values[parts[0]] || {})[parts[1]];
          r.setAsked((when.values || []).indexOf(answer) >= 0);
        });
      }
      applyConditions();

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
      if (draft.saved_at) { savedLine.textContent = t("savedLocal", { time: formatTime(new Date(draft.saved_at)) }); }

      function showGeneral(messages) {
        clear(general);
        if (!messages || !messages.length) { return; }
        if (messages.length === 1) { general.appendChild(el("p", { text: messages[0] })); return; }
        general.appendChild(el("ul", {}, messages.map(function (m) { return el("li", { text: m }); })));
      }
      function sentAlready(v) {
        rememberCase(v.case_id);
        store.remove(draftKey);
        clear(steps);
        steps.appendChild(el("div", { "class": "notice ok", role: "status" }, [
          el("p", { text: t("alreadySent") }),
          el("a", { "class": "btn primary", href: "berkas.html?id=" + encodeURIComponent(v.case_id), text: t("seeStatus") })
        ]));
      }
      function done() { sending = false; busy(btn, false); }
      function submit() {
        if (sending) { return; }
        sending = true;
        resumeSubmit = false;
        busy(btn, true, t("submitting"));
        showGeneral([]);
        sendStatus.textContent = "";
        save();
        var first = null;
        var emailInput = document.getElementById("account-email");
        if (emailInput && !(session.get() || {}).email) {
          var ev = emailInput.value.trim().toLowerCase();
          if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(ev)) { session.setEmail(ev); }
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
          /* A refused file keeps the server's reason next to its field. */
          if (r.required() && !r.done() && !r.busy() && !r.checking()) {
            if (r.state() !== "error") { r.showError(t("docMissing")); }
            missing.push(r);
          }
        });
        if (first || missing.length) {
          done();
          sendStatus.textContent = t("checkForm");
          if (first) { focus(first); } else { missing[0].focus(); }
          return;
        }
        if (rows.some(function (r) { return r.busy(); })) { done(); sendStatus.textContent = t("waitUploads"); return; }
        if (rows.some(function (r) { return r.checking(); })) {
          /* The server is still scanning a file: send once every row is settled (checked or refused). */
          sendStatus.textContent = t("waitScans");
          Promise.all(rows.map(function (r) { return r.settled(); })).then(function () { done(); submit(); });
          return;
        }
        sendStatus.textContent = t("creatingCase");
        var caseId = null;
        ensureCase().then(function (id) {
          caseId = id;
          if (!view) { return null; }
          sendStatus.textContent = t("savingForm");
          return api("PUT", "/api/cases/" + encodeURIComponent(id) + "/form", { form: view.payload(account), confirm: view.confirmCodes() });
        }).then(function () {
          sendStatus.textContent = t("submitting");
          return api("POST", "/api/cases/" + encodeURIComponent(caseId) + "/submit", {});
        }).then(function (v) {
          rememberCase(caseId);
          store.remove(draftKey);
          clearTimeout(saveTimer); saveTimer = null;
          sendStatus.textContent = t("alreadySent");
          window.location.href = "berkas.html?id=" + encodeURIComponent((v && v.case_id) || caseId);
        }).then(null, function (err) {
          done();
          if (err.status === 403 && err.field === "kind") { return; }   /* refuse() said why */
          if (err.status === 401) { resumeSubmit = true; sendStatus.textContent = t("sessionEnded"); return; }
          if (err.offline) { sendStatus.textContent = t("offline"); offline.show(); return; }
          if (err.status === 422 && (err.errors && Object.keys(err.errors).length || err.warnings && err.warnings.length) && view) {
            var shown = view.showServer(err.errors, err.warnings);
            showGeneral(shown.other.length ? [err.message].concat(shown.other) : []);
            sendStatus.textContent = err.message;
            focus(shown.first || general);
            return;
          }
          if (err.status === 422 && err.field === "documents") {
            /* The server's list of missing documents: refresh the rows from the case. */
            sendStatus.textContent = "";
            showGeneral([err.message]);
            syncCase().then(function () {
              var firstMissing = null;
              rows.forEach(function (r) {
                if (r.state() === "error") { firstMissing = firstMissing || r; return; }  /* refused: its reason stays */
                if (r.required() && !r.done() && !r.checking()) { r.showError(t("docMissing")); firstMissing = firstMissing || r; }
              });
              if (firstMissing) { firstMissing.focus(); } else { focus(general); }
            });
            return;
          }
          if (err.status === 409 && err.field && err.field.indexOf(".") > 0 && view) {
            /* One card per NIK: the refusal belongs next to the NIK field. */
            var errs = {}; errs[err.field] = err.message;
            var marked = view.showServer(errs, []);
            sendStatus.textContent = err.message;
            if (marked.other.length) { showGeneral(marked.other); }
            focus(marked.first || general);
            return;
          }
          if (err.status === 409 || err.status === 404) {
            syncCase().then(function () { if (!steps.querySelector("#btn-submit")) { return; } showGeneral([err.message]); focus(general); });
            return;
          }
          sendStatus.textContent = "";
          showGeneral([err.message]);
          if (!err.handled) { focus(general); }
        });
      }
      btn.addEventListener("click", submit);

      /* The case this draft made: which documents the server already holds. */
      function syncCase() {
        if (!draft.case_id) { return Promise.resolve(); }
        return api("GET", "/api/cases/" + encodeURIComponent(draft.case_id)).then(function (v) {
          if (v.status && v.status !== "draft") { sentAlready(v); return; }
          rows.forEach(function (r) { r.setStatus((v.documents || {})[r.key] || null); });
          save();
        }, function (err) {
          if (err.status === 404) { draft.case_id = null; rows.forEach(function (r) { r.setStatus(null); }); save(); }
        });
      }
      syncCase();
      offline.onBack(function () { if (draft.case_id) { syncCase(); } });

      return {
        owner: account.username,
        numberHeadings: numberHeadings,
        resume: function () {
          if (resumeSubmit) { sendStatus.textContent = t("resumeAfterSignin"); focus(btn); }
        },
        destroy: function () { clear(steps); }
      };
    }
  }
}

initAjukan();
