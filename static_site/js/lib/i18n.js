/* The language of the public pages: Indonesian first, English on request (the choice is kept on
 * this phone as "loket.lang"). Every text is in one table per language (i18n/id.js, i18n/en.js);
 * t("key", {name: value}) looks it up and fills in "{name}". Elements marked data-i18n="key" are
 * rewritten by applyText(); components that draw their own text register with onLang(). */
import id from "../../i18n/id.js";
import en from "../../i18n/en.js";

const TABLES = { id: id, en: en };
const listeners = [];

function storedLang() {
  try { return window.localStorage.getItem("loket.lang"); } catch (e) { return null; }
}

/* "id" or "en" (a live binding: importers always see the current language). */
export let lang = storedLang() === "en" ? "en" : "id";

/* The text of `key` in the current language (Indonesian when English lacks it, else the key
 * itself), with every "{name}" replaced by vars.name. */
export function t(key, vars) {
  let s = TABLES[lang][key];
  if (s === undefined) { s = TABLES.id[key]; }
  if (s === undefined) { s = key; }
  if (vars) { s = s.replace(/\{(\w+)\}/g, function (m, k) { return vars[k] === undefined ? m : String(vars[k]); }); }
  return s;
}

/* fn(lang) runs after every language switch, once the data-i18n texts are rewritten. */
export function onLang(fn) { listeners.push(fn); }

/* Rewrite the page's marked texts, its title and the language button, then tell the listeners. */
export function applyText() {
  document.documentElement.lang = lang;
  const nodes = document.querySelectorAll("[data-i18n]");
  for (let i = 0; i < nodes.length; i++) { nodes[i].textContent = t(nodes[i].getAttribute("data-i18n")); }
  const titled = document.querySelector("title[data-i18n-title]");
  if (titled) { document.title = t(titled.getAttribute("data-i18n-title")) + " · Loket"; }
  const btn = document.getElementById("lang");
  if (btn) { btn.textContent = t("other"); }
  listeners.forEach(function (fn) { fn(lang); });
}

/* Switch to "id" or "en", remember it on this phone and redraw. */
export function setLang(next) {
  lang = next === "en" ? "en" : "id";
  try { window.localStorage.setItem("loket.lang", lang); } catch (e) { /* private mode */ }
  applyText();
}
