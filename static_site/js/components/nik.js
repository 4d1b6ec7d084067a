/* The NIK (Nomor Induk Kependudukan) check of the form, for feedback while typing. The rules are
 * chalicelib/domain/nik.py's, which is the one that counts (the server checks again): 16 digits,
 * a known province code, non-zero regency and district codes, a non-zero serial, a day (plus 40
 * for women) and month that can be a date. A birth date or sex that differs from what was typed
 * is a warning the person may confirm, never an error. tests/nik_cases.json holds the cases both
 * must answer alike (tests/unit/test_nik_cases.py, tests/browser/test_nik_browser.py). */
import { t } from "../lib/i18n.js";
import { two } from "../lib/format.js";

/* Kemendagri province codes (Aceh 11 ... Papua Barat Daya 96), as PROVINCES in nik.py. */
export const PROVINCES = [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
                          61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96];
export const WARN_BIRTH_DATE = "nik_tanggal_lahir";
export const WARN_SEX = "nik_jenis_kelamin";
export const FEMALE = "Perempuan";
export const MALE = "Laki-laki";

/* What people type between the groups of digits and nik.clean() drops: dots, hyphens and the
 * characters Python's \s matches (its whitespace, not JavaScript's: U+FEFF stays, U+0085 and
 * U+001C..U+001F go), so that a NIK the browser accepts is one the server accepts. */
export const SEPARATORS = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000.\\-";
const SEPARATOR = new RegExp("[" + SEPARATORS + "]", "g");

/* The NIK as typed without its separators ("3514 0157 0895 0001" -> "3514015708950001"). */
export function clean(raw) { return String(raw || "").replace(SEPARATOR, ""); }

/* Whether DD-MM-YY is a calendar day in 19YY or 20YY (29-02-00 is: 2000 was a leap year). */
function aRealDay(day, month, year) {
  if (month < 1 || month > 12 || day < 1 || day > 31) { return false; }
  return [1900, 2000].some(function (century) {
    const d = new Date(Date.UTC(century + year, month - 1, day));
    return d.getUTCFullYear() === century + year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
  });
}

/* check(raw) -> {error: null, day, month, year (two digits), female} for a NIK that can exist,
 * else {error: the text key of the first rule it breaks: nikLength, nikProvince, nikZero,
 * nikSerial or nikDate}. Only ASCII digits count (a NIK is printed in them). */
export function check(raw) {
  const nik = clean(raw);
  if (!/^[0-9]{16}$/.test(nik)) { return { error: "nikLength" }; }
  if (PROVINCES.indexOf(parseInt(nik.slice(0, 2), 10)) < 0) { return { error: "nikProvince" }; }
  if (nik.slice(2, 4) === "00" || nik.slice(4, 6) === "00") { return { error: "nikZero" }; }
  if (nik.slice(12, 16) === "0000") { return { error: "nikSerial" }; }
  const day = parseInt(nik.slice(6, 8), 10), month = parseInt(nik.slice(8, 10), 10), year = parseInt(nik.slice(10, 12), 10);
  const female = day > 40, dom = female ? day - 40 : day;
  if (!aRealDay(dom, month, year)) { return { error: "nikDate" }; }
  return { error: null, day: dom, month: month, year: year, female: female };
}

/* Warnings [{code, message}] for a NIK that can exist against the birth date typed
 * ("YYYY-MM-DD" or "") and the sex chosen ("Laki-laki", "Perempuan" or ""); [] for a NIK that
 * cannot exist (check() says why). The messages are the page's language (Indonesian as nik.py). */
export function warnings(raw, birthDate, sex) {
  const r = check(raw), out = [];
  if (r.error) { return out; }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate || "");
  if (m && (r.day !== +m[3] || r.month !== +m[2] || r.year !== (+m[1]) % 100)) {
    out.push({ code: WARN_BIRTH_DATE, message: t("nikWarnDate", { date: two(r.day) + "-" + two(r.month) + "-" + two(r.year) }) });
  }
  if ((sex === MALE || sex === FEMALE) && r.female !== (sex === FEMALE)) {
    out.push({ code: WARN_SEX, message: t("nikWarnSex", { sex: t(r.female ? "female" : "male") }) });
  }
  return out;
}
