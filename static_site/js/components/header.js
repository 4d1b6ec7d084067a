/* The page header of every public page: the language button, "Berkas saya", "Keluar" (sign out)
 * and who is signed in; initHeader() wires them and writes the page's texts once. */
import { lang, setLang, onLang, applyText, t } from "../lib/i18n.js";
import { store } from "../lib/store.js";
import { session } from "../lib/session.js";
import { uuid } from "../lib/dom.js";
import { offline } from "./offline-banner.js";
import { endOnServer } from "../lib/api.js";

/* Forget the session and this person's drafts (a phone may be shared), asking first when
 * something typed was not sent, then reload. keepDraft: the key of one draft to keep for the
 * next account that signs in on this phone (switching to the account kind a service needs).
 * Returns false when the person chose to stay. */
export function signOut(keepDraft) {
  const s = session.get() || {};
  const drafts = store.keys().filter(function (k) {
    if (k.indexOf("loket.draft.") !== 0 || k === keepDraft) { return false; }
    const d = store.get(k);
    return d && (!d.owner || d.owner === s.username);
  });
  const unsent = drafts.some(function (k) { const d = store.get(k); return d && d.touched; });
  if (unsent && !window.confirm(t("signOutConfirm"))) { return false; }
  drafts.forEach(function (k) { store.remove(k); });
  const kept = keepDraft ? store.get(keepDraft) : null;
  if (kept && (!kept.owner || kept.owner === s.username)) {
    /* Nothing was created on the server for it (the server refused this account), so the next
     * account starts its own case from the same typing. */
    kept.owner = null; kept.case_id = null; kept.docs = {}; kept.idem = uuid();
    store.set(keepDraft, kept);
  }
  store.remove("loket.cases");
  endOnServer(s.id_token);
  session.end(true);
  window.location.reload();
  return true;
}

/* Wire the header's buttons (those the page has) and write every data-i18n text. */
export function initHeader() {
  const btn = document.getElementById("lang");
  if (btn) {
    btn.addEventListener("click", function () { setLang(lang === "id" ? "en" : "id"); });
  }
  const out = document.getElementById("signout");
  const who = document.getElementById("who");
  function show() {
    if (out) { out.hidden = !session.signedIn(); }
    if (who) { who.hidden = !session.signedIn(); who.textContent = session.signedIn() ? session.who() : ""; }
  }
  if (out) {
    out.addEventListener("click", function (ev) {
      ev.preventDefault();
      signOut();
    });
  }
  session.onChange(show);
  onLang(show);
  show();
  if (navigator.onLine === false) { offline.show(); }
  applyText();
}
