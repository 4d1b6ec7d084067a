/* The JSON API (window.LOKET.apiUrl, from config.js): api() sends the session's bearer token and
 * trades the refresh token once on a 401; every failure is an ApiError with the server's one
 * Indonesian sentence. Also the service catalogue (kept on the phone for a reload without network)
 * and the list of case ids this phone has sent. */
import { t } from "./i18n.js";
import { store } from "./store.js";
import { session } from "./session.js";
import { offline } from "../components/offline-banner.js";

export const apiUrl = String((window.LOKET || {}).apiUrl || "").replace(/\/+$/, "");

/* An Error with {status (0 = no connection), field, code, errors, warnings, offline, body}
 * taken from the API's answer {error: {message, field, code}, errors, warnings}. */
export function ApiError(status, message, body) {
  const err = new Error(message);
  err.status = status;
  err.body = body || {};
  const e = (body && body.error) || {};
  err.field = e.field || null;
  err.code = e.code || null;
  err.errors = (body && body.errors) || {};
  err.warnings = (body && body.warnings) || [];
  err.offline = status === 0;
  return err;
}

/* One HTTP exchange: resolves {status, ok, body}; rejects only when nothing came back. */
function exchange(method, path, body, headers, timeoutMs) {
  const h = { Accept: "application/json" };
  Object.keys(headers || {}).forEach(function (k) { h[k] = headers[k]; });
  const init = { method: method, headers: h, cache: "no-store" };
  if (body !== undefined && body !== null) { h["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  let timer = null, timedOut = false;
  if (controller) {
    init.signal = controller.signal;
    timer = setTimeout(function () { timedOut = true; controller.abort(); }, timeoutMs || 30000);
  }
  return fetch(apiUrl + path, init).then(function (res) {
    return res.text().then(function (text) {
      if (timer) { clearTimeout(timer); }
      let parsed = {};
      try { parsed = text ? JSON.parse(text) : {}; } catch (e) { parsed = {}; }
      offline.hide();
      return { status: res.status, ok: res.ok, body: parsed };
    });
  }, function () {
    if (timer) { clearTimeout(timer); }
    if (!timedOut) { offline.show(); }
    throw ApiError(0, t(timedOut ? "timeout" : "offlineShort"));
  });
}
function failure(res) {
  let msg = res.body && res.body.error && res.body.error.message;
  if (!msg) { msg = res.status >= 500 ? t("serverError") : t("serverError") + " (" + res.status + ")"; }
  return ApiError(res.status, msg, res.body);
}

/* Sign out on the server as the page goes away (the API ends every session of the account and
 * Cognito revokes its refresh tokens): keepalive lets the request outlive a reload; nothing is
 * waited for, and an offline phone simply forgets its tokens. */
export function endOnServer(idToken) {
  if (!idToken || typeof fetch !== "function") { return; }
  try {
    fetch(apiUrl + "/api/account/signout", {
      method: "POST", keepalive: true, cache: "no-store",
      headers: { Accept: "application/json", "Content-Type": "application/json", Authorization: "Bearer " + idToken },
      body: "{}"
    }).then(null, function () { /* offline: the tokens are forgotten on the phone anyway */ });
  } catch (e) { /* an old browser without keepalive */ }
}

let refreshing = null;
const authLostListeners = [];
/* fn() runs when the session is gone for good (the refresh token was refused): sign in again. */
export function onAuthLost(fn) { authLostListeners.push(fn); }
function authLost() {
  session.end(false);
  authLostListeners.forEach(function (fn) { fn(); });
}
function clearRefreshing() { refreshing = null; }

/* Trade the refresh token for a new id token, once at a time. Rejects with status 401 when the
 * server refused it (sign in again), status 0 when offline (keep the session). */
export function refresh() {
  if (refreshing) { return refreshing; }
  const s = session.get();
  if (!s || !s.refresh_token) { return Promise.reject(ApiError(401, t("sessionEnded"))); }
  refreshing = exchange("POST", "/api/account/refresh", { refresh_token: s.refresh_token }, {}, 30000)
    .then(function (res) {
      if (!res.ok) {
        if (res.status >= 500) { throw failure(res); }
        throw ApiError(401, t("sessionEnded"), res.body);
      }
      const cur = session.get() || s;
      cur.id_token = res.body.id_token;
      cur.expires_at = Date.now() + (Number(res.body.expires_in) || 3600) * 1000;
      if (res.body.refresh_token) { cur.refresh_token = res.body.refresh_token; }
      session.save(cur);
      return cur;
    });
  refreshing.then(clearRefreshing, clearRefreshing);
  return refreshing;
}

/* api("GET", "/api/cases") -> Promise of the JSON body; rejects with an ApiError.
 * opts: {auth: false (no token), headers, timeout (ms, default 30000), withStatus}.
 * Signed-in calls carry the bearer token and try one refresh on 401. */
export function api(method, path, body, opts) {
  opts = opts || {};
  const auth = opts.auth !== false;
  let ready = Promise.resolve();
  const s = auth ? session.get() : null;
  if (auth && (!s || !s.id_token)) {
    authLost();
    return Promise.reject(ApiError(401, t("sessionEnded")));
  }
  if (s && s.expires_at && s.expires_at - 60000 < Date.now()) {
    ready = refresh().then(null, function (err) { if (err.status === 401) { authLost(); throw err; } });
  }
  function send(retried) {
    const headers = {};
    Object.keys(opts.headers || {}).forEach(function (k) { headers[k] = opts.headers[k]; });
    if (auth) {
      const cur = session.get();
      if (!cur || !cur.id_token) { authLost(); throw ApiError(401, t("sessionEnded")); }
      headers.Authorization = "Bearer " + cur.id_token;
    }
    return exchange(method, path, body, headers, opts.timeout).then(function (res) {
      if (res.status === 401 && auth) {
        if (retried) { authLost(); throw failure(res); }
        return refresh().then(function () { return send(true); }, function (err) {
          if (err.status === 401) { authLost(); }
          throw err;
        });
      }
      if (!res.ok) { throw failure(res); }
      if (opts.withStatus) { return { status: res.status, body: res.body }; }
      return res.body;
    });
  }
  return ready.then(function () { return send(false); });
}

/* The catalogue (GET /api/offices), kept on the phone so a page reloaded without a connection
 * still opens: a copy younger than an hour is used at once (and refreshed in the background), an
 * older one only when the network fails. */
export function loadOffices() {
  const cached = store.get("loket.offices");
  const fresh = api("GET", "/api/offices", null, { auth: false, timeout: 45000 }).then(function (body) {
    store.set("loket.offices", { at: Date.now(), offices: body.offices || [] });
    return body.offices || [];
  });
  if (cached && cached.offices && cached.offices.length) {
    if (Date.now() - (cached.at || 0) < 3600000) { fresh.then(null, function () { /* keep the copy */ }); return Promise.resolve(cached.offices); }
    return fresh.then(null, function () { return cached.offices; });
  }
  return fresh;
}
/* One office with only the one service a page is about (GET /api/offices/{office}/services/{service}):
 * a few KB instead of the whole catalogue, kept on the phone like it. Resolves to the same list shape
 * as loadOffices (an unknown or non-public service: an empty list, so findService finds nothing). */
export function loadService(officeId, serviceId) {
  const key = "loket.service." + officeId + "." + serviceId;
  const cached = store.get(key);
  const path = "/api/offices/" + encodeURIComponent(officeId) + "/services/" + encodeURIComponent(serviceId);
  const fresh = api("GET", path, null, { auth: false, timeout: 45000 }).then(function (body) {
    const offices = body.office ? [body.office] : [];
    store.set(key, { at: Date.now(), offices: offices });
    return offices;
  }, function (err) {
    // Only the API's own 404 (its JSON error) says the service is not there; any other 404 (a
    // static host or a CDN without the API behind it) is a catalogue that could not be loaded.
    // When the office is there and only the service is not (`field` "service"), the office comes
    // from the catalogue, so the page can name it.
    if (err && err.status === 404 && err.body && err.body.error) {
      if (err.body.error.field !== "service") { return []; }
      const bare = [{ id: officeId, name: officeId, services: [] }];
      return loadOffices().then(function (offices) {
        const office = (offices || []).filter(function (o) { return o.id === officeId; })[0];
        return office ? [Object.assign({}, office, { services: [] })] : bare;
      }, function () { return bare; });
    }
    throw err;
  });
  if (cached && cached.offices && cached.offices.length) {
    if (Date.now() - (cached.at || 0) < 3600000) { fresh.then(null, function () { /* keep the copy */ }); return Promise.resolve(cached.offices); }
    return fresh.then(null, function () { return cached.offices; });
  }
  return fresh;
}
/* {office, service} of the catalogue by their ids (null for what is not there). */
export function findService(list, officeId, serviceId) {
  let office = null, service = null;
  (list || []).forEach(function (o) { if (o.id === officeId) { office = o; } });
  if (office) { (office.services || []).forEach(function (s) { if (s.id === serviceId) { service = s; } }); }
  return { office: office, service: service };
}

/* "loket.cases": the case ids this phone has sent (the server's list is the truth). */
export function rememberCase(caseId) {
  const list = store.get("loket.cases") || [];
  if (list.indexOf(caseId) < 0) { list.unshift(caseId); }
  store.set("loket.cases", list.slice(0, 50));
}
