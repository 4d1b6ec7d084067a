/* The account box: sign in, create an account (with its kind: job seeker, company, school, P3MI),
 * confirm it with the emailed code, and reset a forgotten password, in one tabbed box. Every call
 * goes through the API (/api/account/*), which answers each refusal with one Indonesian sentence
 * naming its field; the box puts it next to that field. Sign-in and "Lupa kata sandi" take the
 * user name ("Nama pengguna") or the account's email. A sign-up waiting for its emailed code is
 * kept in sessionStorage ("loket.signup": user name, email, where the code went; never the
 * password), so a reload (or the phone's mail app reloading the tab) comes back to the code step. */
import { el, clear, focus, busy } from "../lib/dom.js";
import { t, onLang } from "../lib/i18n.js";
import { api } from "../lib/api.js";
import { session, claims, KINDS, kindLabel } from "../lib/session.js";
import { field } from "./field.js";

/* authBox(root, {onSignedIn(session), kind}) draws the box into root and returns
 * {show(noticeKey), render(focusPanel)}. onSignedIn runs after a successful sign-in (also the
 * automatic one after confirming or resetting); kind preselects the account kind a service needs. */
const PENDING = "loket.signup";
const PENDING_HOURS = 24;     /* Cognito's confirmation code lasts a day */
function pendingSignup() {
  try {
    var p = JSON.parse(window.sessionStorage.getItem(PENDING) || "null");
    if (p && p.username && Date.now() - (p.at || 0) < PENDING_HOURS * 3600 * 1000) { return p; }
  } catch (e) { /* private mode, or not JSON */ }
  return null;
}
function keepPending(p) {
  try {
    if (p) { window.sessionStorage.setItem(PENDING, JSON.stringify({ username: p.username, email: p.email || "", dest: p.dest || "", at: Date.now() })); }
    else { window.sessionStorage.removeItem(PENDING); }
  } catch (e) { /* private mode: the code step lasts as long as the page */ }
}

export function authBox(root, opts) {
  var remembered = { username: "", password: "", email: "", kind: KINDS.indexOf(opts.kind) >= 0 ? opts.kind : "pencari_kerja", organisation: "" };
  var panel = "signin";
  var notice = null;          // {kind, key, vars} shown above the panel
  clear(root);
  root.classList.add("auth");
  var waiting = pendingSignup();
  if (waiting) {
    remembered.username = waiting.username; remembered.email = waiting.email || "";
    panel = "confirm";
    notice = { kind: "ok", key: "pendingSignup", vars: { user: waiting.username, dest: waiting.dest || waiting.email || "" } };
  }

  function setNotice(kind, key, vars) { notice = key ? { kind: kind, key: key, vars: vars } : null; }
  function noticeNode() {
    if (!notice) { return el("p", { "class": "auth-notice", role: "status", "aria-live": "polite" }); }
    return el("p", { "class": "auth-notice " + notice.kind, role: notice.kind === "error" ? "alert" : "status", "aria-live": "polite",
                      text: t(notice.key, notice.vars) });
  }
  function pwField(id, labelKey, autocomplete, hintKey) {
    var f = field({ id: id, name: id, field: "password", label: t(labelKey), required: true,
                      hint: hintKey ? t(hintKey) : null,
                      attrs: { type: "password", autocomplete: autocomplete, autocapitalize: "none", spellcheck: "false" } });
    return f;
  }
  function userField(id, value, orEmail) {
    return field({ id: id, name: "username", field: "username", label: t(orEmail ? "usernameOrEmail" : "username"), required: true,
                     hint: orEmail ? t("usernameOrEmailHint") : null,
                     attrs: { type: "text", autocomplete: "username", autocapitalize: "none", spellcheck: "false",
                              autocorrect: "off", value: value || "" } });
  }
  function showPw(fields) {
    var id = "show-" + fields[0].input.id;
    var box = el("input", { type: "checkbox", id: id, onchange: function () {
      fields.forEach(function (f) { f.input.type = box.checked ? "text" : "password"; });
    } });
    return el("div", { "class": "check small" }, [box, el("label", { "for": id, text: t("showPassword") })]);
  }
  /* Show the API's error next to the field it names, else above the buttons. */
  function showApiError(err, fields, general) {
    var target = null;
    fields.forEach(function (f) { f.setError(""); });
    if (err.field) { fields.forEach(function (f) { if (!target && f.wrap.getAttribute("data-field") === err.field) { target = f; } }); }
    if (target) { target.setError(err.message); general.textContent = ""; focus(target.input); }
    else { general.textContent = err.message; general.focus(); }
  }
  function required(fields) {
    var first = null;
    fields.forEach(function (f) {
      var v = f.input.value.trim();
      if (!v) { f.setError(t("fieldRequired", { label: f.label.firstChild.textContent })); first = first || f; }
      else { f.setError(""); }
    });
    if (first) { focus(first.input); }
    return !first;
  }
  function passwordOk(f, f2) {
    var v = f.input.value;
    if (v.length < 8 || !/[^\d\s]/.test(v) || !/\d/.test(v)) { f.setError(t("passwordWeak")); focus(f.input); return false; }
    if (f2 && f2.input.value !== v) { f2.setError(t("passwordMismatch")); focus(f2.input); return false; }
    return true;
  }
  function generalLine() { return el("p", { "class": "err general", role: "alert", tabindex: "-1" }); }
  function doSignin(username, password, button, general, fields) {
    busy(button, true, t("signingIn"));
    return api("POST", "/api/account/signin", { username: username, password: password }, { auth: false })
      .then(function (answer) {
        remembered.password = "";
        keepPending(null);
        var who = claims(answer.id_token);
        if (!answer.username) { answer.username = who["cognito:username"] || username.toLowerCase(); }
        if (!answer.email) { answer.email = who.email || (remembered.username === answer.username ? remembered.email : "") || ""; }
        var s = session.start(answer);
        if (opts.onSignedIn) { opts.onSignedIn(s); }
      }, function (err) {
        busy(button, false);
        if (err.status === 403 && (err.code === "unconfirmed" || /konfirmasi/i.test(err.message))) {
          remembered.username = username; remembered.password = password;
          keepPending({ username: username, email: /@/.test(username) ? username : "" });
          setNotice("info", "unconfirmed");
          panel = "confirm"; render();
          return;
        }
        showApiError(err, fields, general);
      });
  }

  function signinPanel() {
    var s = session.get() || {};
    var u = userField("signin-username", remembered.username || s.username, true);
    var p = pwField("signin-password", "password", "current-password");
    var general = generalLine();
    var btn = el("button", { type: "submit", id: "btn-signin", "class": "btn primary", text: t("btnSignin") });
    return el("form", { "class": "auth-panel", novalidate: true, onsubmit: function (ev) {
      ev.preventDefault();
      if (btn.disabled || !required([u, p])) { return; }
      var name = u.input.value.trim();
      doSignin(name, p.input.value, btn, general, [u, p]);
    } }, [u.wrap, p.wrap, showPw([p]), general, btn]);
  }
  /* "Jenis akun": one radio per kind, preselected from the service being applied for. */
  function kindField() {
    var errId = "signup-kind-err", hintId = "signup-kind-hint";
    var radios = KINDS.map(function (k) {
      return el("input", { type: "radio", name: "kind", id: "signup-kind-" + k, value: k, "aria-describedby": hintId + " " + errId });
    });
    radios.forEach(function (r) { r.checked = r.value === remembered.kind; });
    var error = el("p", { id: errId, "class": "err", "aria-live": "polite" });
    var legend = el("legend", {}, [t("accountKind"), el("span", { "class": "req", "aria-hidden": "true", text: " *" })]);
    var wrap = el("fieldset", { "class": "field radios", id: "signup-kind", "data-field": "kind" }, [
      legend,
      el("p", { "class": "hint", id: hintId, text: t(opts.kind ? "accountKindPreset" : "accountKindHint") }),
      el("div", { "class": "choices stack" }, radios.map(function (r) {
        return el("label", { "class": "choice", "for": r.id }, [r, el("span", { text: kindLabel(r.value) })]);
      })),
      error
    ]);
    return {
      wrap: wrap, label: legend, error: error, radios: radios,
      input: radios.filter(function (r) { return r.checked; })[0] || radios[0],
      value: function () { var v = ""; radios.forEach(function (r) { if (r.checked) { v = r.value; } }); return v; },
      setError: function (msg) {
        error.textContent = msg || "";
        wrap.classList.toggle("has-err", !!msg);
        radios.forEach(function (r) { if (msg) { r.setAttribute("aria-invalid", "true"); } else { r.removeAttribute("aria-invalid"); } });
      }
    };
  }
  function signupPanel() {
    var k = kindField();
    var o = field({ id: "signup-organisation", name: "organisation", field: "organisation", label: t("organisation"), required: true,
                      hint: t("organisationHint"),
                      attrs: { type: "text", "class": "input caps", autocomplete: "organization", autocapitalize: "characters",
                               maxlength: "150", value: remembered.organisation } });
    function showOrg() {
      var v = k.value();
      o.wrap.hidden = v === "pencari_kerja";
      if (o.wrap.hidden) { o.setError(""); }
    }
    k.radios.forEach(function (r) {
      r.addEventListener("change", function () { remembered.kind = k.value(); k.input = r; k.setError(""); showOrg(); });
    });
    o.input.addEventListener("input", function () { remembered.organisation = o.input.value; });
    showOrg();
    var u = userField("signup-username", remembered.username);
    u.input.setAttribute("autocomplete", "username");
    var hint = el("p", { "class": "hint", text: t("usernameHint") });
    u.wrap.insertBefore(hint, u.input);
    var e = field({ id: "signup-email", name: "email", field: "email", label: t("email"), required: true, hint: t("emailHint"),
                      attrs: { type: "email", autocomplete: "email", autocapitalize: "none", spellcheck: "false", inputmode: "email" } });
    var p = pwField("signup-password", "password", "new-password", "passwordHint");
    var p2 = pwField("signup-password2", "password2", "new-password");
    p2.wrap.setAttribute("data-field", "password2");
    var general = generalLine();
    var btn = el("button", { type: "submit", id: "btn-signup", "class": "btn primary", text: t("btnSignup") });
    return el("form", { "class": "auth-panel", novalidate: true, onsubmit: function (ev) {
      ev.preventDefault();
      if (btn.disabled) { return; }
      var kind = k.value(), org = o.input.value.replace(/\s+/g, " ").trim();
      if (!kind) { k.setError(t("kindChoose")); focus(k.radios[0]); return; }
      k.setError("");
      var fields = kind === "pencari_kerja" ? [u, e, p, p2] : [o, u, e, p, p2];
      if (!required(fields)) { return; }
      if (kind !== "pencari_kerja" && org.length < 3) { o.setError(t("organisationShort")); focus(o.input); return; }
      var name = u.input.value.trim();
      if (/\s/.test(name)) { u.setError(t("usernameBad")); focus(u.input); return; }
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e.input.value.trim())) { e.setError(t("emailBad")); focus(e.input); return; }
      if (!passwordOk(p, p2)) { return; }
      busy(btn, true, t("sending"));
      api("POST", "/api/account/signup", { username: name, password: p.input.value, email: e.input.value.trim(),
                                              kind: kind, organisation: kind === "pencari_kerja" ? "" : org }, { auth: false })
        .then(function (answer) {
          remembered.username = answer.username || name;
          remembered.password = p.input.value;
          remembered.email = e.input.value.trim().toLowerCase();
          keepPending({ username: remembered.username, email: remembered.email, dest: answer.destination || remembered.email });
          setNotice("ok", "codeSent", { dest: answer.destination || e.input.value.trim() });
          panel = "confirm"; render();
        }, function (err) { busy(btn, false); showApiError(err, [k, o, u, e, p, p2], general); });
    } }, [k.wrap, o.wrap, u.wrap, e.wrap, p.wrap, p2.wrap, showPw([p, p2]), general, btn]);
  }
  function confirmPanel() {
    var u = userField("confirm-username", remembered.username);
    var c = field({ id: "confirm-code", name: "code", field: "code", label: t("code"), required: true, hint: t("codeHint"),
                      attrs: { type: "text", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "10" } });
    var general = generalLine();
    var btn = el("button", { type: "submit", id: "btn-confirm", "class": "btn primary", text: t("btnConfirm") });
    var resend = el("button", { type: "button", id: "btn-resend", "class": "link", text: t("resend"), onclick: function () {
      if (resend.disabled) { return; }
      var name = u.input.value.trim();
      if (!required([u])) { return; }
      resend.disabled = true;
      api("POST", "/api/account/resend", { username: name }, { auth: false }).then(function (answer) {
        resend.disabled = false;
        setNotice("ok", answer.destination ? "codeResent" : "codeResentAny", { dest: answer.destination || "" });
        remembered.username = name;
        var n = root.querySelector(".auth-notice"); n.parentNode.replaceChild(noticeNode(), n);
      }, function (err) { resend.disabled = false; showApiError(err, [u, c], general); });
    } });
    var back = el("button", { type: "button", "class": "link", text: t("back"), onclick: function () { keepPending(null); setNotice(); panel = "signin"; render(); } });
    var other = el("button", { type: "button", id: "btn-signup-other", "class": "link", text: t("pendingOther"), onclick: function () {
      keepPending(null); remembered.username = ""; remembered.password = ""; setNotice(); panel = "signup"; render(true);
    } });
    var form = el("form", { "class": "auth-panel", novalidate: true, onsubmit: function (ev) {
      ev.preventDefault();
      if (btn.disabled || !required([u, c])) { return; }
      var name = u.input.value.trim(), code = c.input.value.replace(/\s/g, "");
      busy(btn, true, t("sending"));
      api("POST", "/api/account/confirm", { username: name, code: code }, { auth: false }).then(function (answer) {
        keepPending(null);
        if (answer && answer.username && /@/.test(name)) { name = answer.username; }
        if (remembered.password && (remembered.username === name || /@/.test(remembered.username))) {
          doSignin(name, remembered.password, btn, general, [u, c]);
        } else {
          remembered.username = name;
          setNotice("ok", "confirmedSignin"); panel = "signin"; render();
        }
      }, function (err) { busy(btn, false); showApiError(err, [u, c], general); });
    } }, [remembered.username ? null : u.wrap, c.wrap, general, btn, el("p", { "class": "links" }, [resend, back, other])]);
    if (remembered.username) { form.appendChild(el("input", { type: "hidden", name: "username", value: remembered.username })); }
    return form;
  }
  function forgotPanel() {
    var s = session.get() || {};
    var u = userField("forgot-username", remembered.username || s.username, true);
    var general = generalLine();
    var btn = el("button", { type: "submit", id: "btn-forgot", "class": "btn primary", text: t("btnSendCode") });
    return el("form", { "class": "auth-panel", novalidate: true, onsubmit: function (ev) {
      ev.preventDefault();
      if (btn.disabled || !required([u])) { return; }
      var name = u.input.value.trim();
      busy(btn, true, t("sending"));
      api("POST", "/api/account/forgot", { username: name }, { auth: false }).then(function (answer) {
        remembered.username = name;
        setNotice("ok", answer.destination ? "resetSent" : "resetSentAny", { dest: answer.destination || "" });
        panel = "reset"; render();
      }, function (err) { busy(btn, false); showApiError(err, [u], general); });
    } }, [u.wrap, general, btn]);
  }
  function resetPanel() {
    var c = field({ id: "reset-code", name: "code", field: "code", label: t("code"), required: true, hint: t("codeHint"),
                      attrs: { type: "text", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "10" } });
    var p = pwField("reset-password", "newPassword", "new-password", "passwordHint");
    var p2 = pwField("reset-password2", "password2", "new-password");
    p2.wrap.setAttribute("data-field", "password2");
    var general = generalLine();
    var btn = el("button", { type: "submit", id: "btn-reset", "class": "btn primary", text: t("btnReset") });
    var resend = el("button", { type: "button", id: "btn-resend-reset", "class": "link", text: t("resend"), onclick: function () {
      if (resend.disabled) { return; }
      resend.disabled = true;
      api("POST", "/api/account/forgot", { username: remembered.username }, { auth: false }).then(function (answer) {
        resend.disabled = false;
        setNotice("ok", answer.destination ? "codeResent" : "resetSentAny", { dest: answer.destination || "" });
        var n = root.querySelector(".auth-notice"); n.parentNode.replaceChild(noticeNode(), n);
      }, function (err) { resend.disabled = false; showApiError(err, [c], general); });
    } });
    var back = el("button", { type: "button", "class": "link", text: t("back"), onclick: function () { setNotice(); panel = "forgot"; render(); } });
    return el("form", { "class": "auth-panel", novalidate: true, onsubmit: function (ev) {
      ev.preventDefault();
      if (btn.disabled || !required([c, p, p2]) || !passwordOk(p, p2)) { return; }
      var pw = p.input.value;
      busy(btn, true, t("sending"));
      api("POST", "/api/account/reset", { username: remembered.username, code: c.input.value.replace(/\s/g, ""), password: pw }, { auth: false })
        .then(function () { doSignin(remembered.username, pw, btn, general, [c, p, p2]); },
              function (err) { busy(btn, false); showApiError(err, [c, p, p2], general); });
    } }, [el("input", { type: "hidden", name: "username", value: remembered.username }), c.wrap, p.wrap, p2.wrap, showPw([p, p2]), general, btn,
          el("p", { "class": "links" }, [resend, back])]);
  }

  function tab(id, key) {
    var active = panel === id || (id === "signup" && panel === "confirm") || (id === "forgot" && panel === "reset");
    return el("button", { type: "button", role: "tab", id: "tab-" + id, "class": "tab" + (active ? " active" : ""),
                          "aria-selected": active ? "true" : "false", text: t(key),
                          onclick: function () { if (!active) { setNotice(); panel = id; render(true); } } });
  }
  function render(focusPanel) {
    var keep = {};
    if (focusPanel === false) {
      Array.prototype.forEach.call(root.querySelectorAll("input[id]"), function (i) { keep[i.id] = i.type === "checkbox" || i.type === "radio" ? i.checked : i.value; });
    }
    clear(root);
    var body = { signin: signinPanel, signup: signupPanel, confirm: confirmPanel, forgot: forgotPanel, reset: resetPanel }[panel]();
    body.setAttribute("role", "tabpanel");
    root.appendChild(el("div", { "class": "tabs", role: "tablist" }, [tab("signin", "tabSignin"), tab("signup", "tabSignup"), tab("forgot", "tabForgot")]));
    root.appendChild(noticeNode());
    root.appendChild(body);
    Object.keys(keep).forEach(function (id) {
      var i = document.getElementById(id);
      if (!i) { return; }
      if (i.type === "checkbox" || i.type === "radio") { i.checked = keep[id]; if (keep[id]) { i.dispatchEvent(new Event("change")); } } else { i.value = keep[id]; }
    });
    if (focusPanel || panel === "confirm" || panel === "reset") {
      var first = body.querySelector("input:not([type=hidden])");
      if (first && focusPanel !== false) { try { first.focus({ preventScroll: !focusPanel }); } catch (e) { first.focus(); } }
    }
  }
  onLang(function () { if (root.isConnected !== false && root.firstChild) { render(false); } });
  return {
    /* The sign-in panel with `noticeKey` (a session that ended); without one, a sign-up still
     * waiting for its code (kept across a reload) keeps its code step. */
    show: function (noticeKey) {
      if (noticeKey || panel !== "confirm" || !pendingSignup()) { setNotice(noticeKey ? "error" : null, noticeKey); panel = "signin"; }
      render(false);
    },
    render: render
  };
}
