/* Numbers, sizes, lists and dates as people read them, in the page's language
 * ("7,2 MB", "JPEG, PNG atau PDF", "15 Jan 2025", "30 Nov 2026 18.37 WIB").
 * Dates are chalicelib/domain/tanggal.py's one format, in WIB whatever the phone's zone;
 * tests/tanggal_cases.json holds the cases both answer alike (tests/browser/test_tanggal_browser.py). */
import { lang } from "./i18n.js";

const MONTHS = {
  id: ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
  en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
};

/* 7 -> "07" */
export function two(n) { return (n < 10 ? "0" : "") + n; }

function decimal(n, digits) {
  const s = n.toFixed(digits);
  return lang === "id" ? s.replace(".", ",") : s;
}
/* 7549747 (bytes) -> "7,2 MB"; 2048 -> "2 KB" */
export function formatBytes(bytes) {
  if (bytes >= 1048576) { return decimal(bytes / 1048576, 1).replace(/[.,]0$/, "") + " MB"; }
  return Math.max(1, Math.round(bytes / 1024)) + " KB";
}
/* 2 (a limit in MB) -> "2 MB"; 2.5 -> "2,5 MB" */
export function formatMB(mb) { return (mb % 1 === 0 ? String(mb) : decimal(mb, 1)) + " MB"; }
/* ["jpeg","png","pdf"] -> "JPEG, PNG atau PDF" */
export function kindList(kinds) {
  const names = kinds.map(function (k) { return k.toUpperCase(); });
  if (names.length < 2) { return names.join(""); }
  return names.slice(0, -1).join(", ") + (lang === "id" ? " atau " : " or ") + names[names.length - 1];
}
const WIB_MS = 7 * 3600 * 1000; /* Waktu Indonesia Barat, UTC+7, no summer time */
const NONE = "\u2013"; /* what an unreadable date shows: never the raw text */

/* An ISO timestamp ("...Z", an offset, or none: UTC, as tanggal.py reads it) -> a Date whose UTC
 * fields are the wall clock in WIB; null when it is no timestamp. */
function wibClock(value) {
  let text = String(value).trim().replace(/(\.\d{3})\d+/, "$1");
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text)) { return null; }
  text = text.replace(" ", "T");
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) { text += "Z"; }
  const d = new Date(text);
  return isNaN(d.getTime()) ? null : new Date(d.getTime() + WIB_MS);
}
/* "2025-01-15" -> "15 Jan 2025"; an ISO timestamp -> its day in WIB, + " 14.05 WIB" withTime
 * ("30 Nov 2026 18.37 WIB"); "" for nothing, "\u2013" for what is no date. */
export function formatDate(value, withTime) {
  if (!value) { return ""; }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value).trim());
  if (m) {
    const probe = new Date(Date.UTC(2000, +m[2] - 1, +m[3]));
    if (+m[2] < 1 || +m[2] > 12 || probe.getUTCDate() !== +m[3] || (+m[2] === 2 && +m[3] === 29 && !leap(+m[1]))) { return NONE; }
    return +m[3] + " " + MONTHS[lang][+m[2] - 1] + " " + +m[1];
  }
  const w = wibClock(value);
  if (!w) { return NONE; }
  let s = w.getUTCDate() + " " + MONTHS[lang][w.getUTCMonth()] + " " + w.getUTCFullYear();
  if (withTime) { s += " " + two(w.getUTCHours()) + (lang === "id" ? "." : ":") + two(w.getUTCMinutes()) + " WIB"; }
  return s;
}
function leap(y) { return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0; }
/* A Date -> "14.05" (Indonesian) or "14:05" */
export function formatTime(d) {
  return two(d.getHours()) + (lang === "id" ? "." : ":") + two(d.getMinutes());
}
