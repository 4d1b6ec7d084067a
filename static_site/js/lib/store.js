/* localStorage that never throws (private mode, a full phone): values are JSON; get() answers
 * null for anything missing or unreadable, set() answers whether it was kept. */
export const store = {
  get: function (key) {
    try { const raw = window.localStorage.getItem(key); return raw ? JSON.parse(raw) : null; } catch (e) { return null; }
  },
  set: function (key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
  },
  remove: function (key) { try { window.localStorage.removeItem(key); } catch (e) { /* private mode */ } },
  keys: function () {
    const out = [];
    try { for (let i = 0; i < window.localStorage.length; i++) { out.push(window.localStorage.key(i)); } } catch (e) { /* none */ }
    return out;
  }
};
