/* The applicant's session on this phone ("loket.session": Cognito tokens from /api/account/signin,
 * the user id, the email news goes to, the account kind) and the account kinds themselves. */
import { store } from "./store.js";
import { t } from "./i18n.js";

const SESSION_KEY = "loket.session";
const listeners = [];

/* The account kinds of the applicant pool, in the order the sign-up box offers them. */
export const KINDS = ["pencari_kerja", "perusahaan", "sekolah", "p3mi"];
/* "pencari_kerja" -> "Pencari kerja" (an unknown kind is shown as it is). */
export function kindLabel(kind) { return KINDS.indexOf(kind) >= 0 ? t("kind_" + kind) : String(kind || ""); }

/* The claims of a JWT, for display only (the server checks the signature); {} when unreadable. */
export function claims(token) {
  try {
    let part = String(token || "").split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    while (part.length % 4) { part += "="; }
    const bin = atob(part), bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    return JSON.parse(typeof TextDecoder === "function" ? new TextDecoder().decode(bytes) : bin) || {};
  } catch (e) { return {}; }
}

export const session = {
  KEY: SESSION_KEY,
  get: function () { return store.get(SESSION_KEY); },
  signedIn: function () { const s = store.get(SESSION_KEY); return !!(s && s.id_token); },
  /* Keep the answer of a sign-in ({id_token, refresh_token, expires_in (s), username, email,
   * kind, organisation}); tells the listeners; returns the session. */
  start: function (answer) {
    const before = store.get(SESSION_KEY) || {};
    const s = {
      id_token: answer.id_token, refresh_token: answer.refresh_token,
      expires_at: Date.now() + (Number(answer.expires_in) || 3600) * 1000,
      username: answer.username, email: answer.email || (before.username === answer.username ? before.email || "" : ""),
      kind: answer.kind || "", organisation: answer.organisation || ""
    };
    if (!s.kind || !s.organisation) {
      const c = claims(answer.id_token);
      s.kind = s.kind || c["custom:kind"] || "pencari_kerja";
      s.organisation = s.organisation || c["custom:organisation"] || "";
    }
    store.set(SESSION_KEY, s);
    listeners.forEach(function (fn) { fn(s); });
    return s;
  },
  /* Drop the tokens but keep the user id (to prefill the sign-in box); forget: drop everything. */
  end: function (forget) {
    const s = store.get(SESSION_KEY);
    if (forget || !s) { store.remove(SESSION_KEY); }
    else { store.set(SESSION_KEY, { username: s.username, email: s.email }); }
    listeners.forEach(function (fn) { fn(null); });
  },
  /* Keep a session whose id token was refreshed (no listeners: the person did not change). */
  save: function (s) { store.set(SESSION_KEY, s); },
  onChange: function (fn) { listeners.push(fn); },
  /* The account's kind (pencari_kerja, perusahaan, sekolah, p3mi): from the sign-in answer, or
   * for a session kept from before kinds existed, from the id token (else a job seeker). */
  kind: function (s) {
    s = s || store.get(SESSION_KEY);
    if (!s) { return ""; }
    return s.kind || claims(s.id_token)["custom:kind"] || "pencari_kerja";
  },
  /* "Masuk sebagai siti_rahayu · Pencari kerja" / "Masuk sebagai agen1 · PT MAJU JAYA". */
  who: function (s) {
    s = s || store.get(SESSION_KEY);
    if (!s) { return ""; }
    const org = s.organisation || claims(s.id_token)["custom:organisation"] || "";
    return t("signedInWho", { user: s.username, who: org || kindLabel(session.kind(s)) });
  },
  setEmail: function (email) {
    const s = store.get(SESSION_KEY);
    if (s) { s.email = email; store.set(SESSION_KEY, s); }
  }
};
