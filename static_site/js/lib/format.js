/* Numbers, sizes, lists and dates as people read them, in the page's language
 * ("7,2 MB", "JPEG, PNG atau PDF", "15 Januari 2025, 14.05"). */
import { lang } from "./i18n.js";

const MONTHS = {
  id: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"],
  en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
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
/* "2025-01-15" or an ISO timestamp -> "15 Januari 2025" (+ ", 14.05" withTime, for a timestamp) */
export function formatDate(value, withTime) {
  if (!value) { return ""; }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(+m[1], +m[2] - 1, +m[3]) : new Date(value);
  if (isNaN(d.getTime())) { return String(value); }
  let s = d.getDate() + " " + MONTHS[lang][d.getMonth()] + " " + d.getFullYear();
  if (withTime && !m) { s += ", " + formatTime(d); }
  return s;
}
/* A Date -> "14.05" (Indonesian) or "14:05" */
export function formatTime(d) {
  return two(d.getHours()) + (lang === "id" ? "." : ":") + two(d.getMinutes());
}
