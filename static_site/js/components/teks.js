/* The text rules of the form, for feedback while typing. They are chalicelib/domain/teks.py's,
 * which is the one that counts (the server checks again, and its module docstring gives the
 * reasons and sources): every text NFC-normalised, full-width ASCII folded, invisible characters
 * dropped, spaces collapsed; controls (NUL, C0, C1), bidi overrides and isolates, emoji and other
 * symbols, private-use and unassigned code points refused; a name in Latin letters without digits
 * (as on the KTP or passport), any other text in Latin letters, digits 0-9 and punctuation.
 * tests/teks_cases.json holds the cases both must answer alike, in the same words
 * (tests/unit/test_teks.py, tests/browser/test_teks_browser.py). */
import { t } from "../lib/i18n.js";

/* The most characters each SOP field type takes, and its kind (teks.MAX_LENGTH, KIND_OF_TYPE). */
export const MAX_LENGTH = { name: 80, text: 150, textarea: 600 };
const KIND_OF_TYPE = { name: "nama", text: "latin", textarea: "latin" };
const MAX_MARKS = 2;

/* teks.LATIN_LETTERS: these ranges' letters, the IPA-block letters of living orthographies, less
 * the four whose capitals fall outside the set. */
const LATIN_RANGES = [[0x41, 0x5a], [0x61, 0x7a], [0xc0, 0x24f], [0x1e00, 0x1efb]];
const LATIN_EXTRA = "ɓɗəɛɔ";
const NOT_TAKEN = "ŉȿɀẚ";
const NAME_MARKS = " .,'’-";
const TYPOGRAPHIC = "–—‘’‚“”„…•·«»";
const INVISIBLE = "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff";
const BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069";
const LINE_BREAKS = "\n\r\u000b\u000c\u0085\u2028\u2029";

const LETTER = /^\p{L}$/u, MARK = /^\p{M}$/u, NUMBER = /^\p{N}$/u, SPACE = /^\p{Zs}$/u;
const CONTROL = /^[\p{Cc}\p{Cf}]$/u, SYMBOL = /^\p{So}$/u, UNKNOWN = /^[\p{Cs}\p{Co}\p{Cn}]$/u;
const INVISIBLE_CLASS = /^[\p{C}\p{Z}]$/u, SEEN = /^[\p{L}\p{N}\p{P}\p{S}]$/u;

function code(ch) { return ch.codePointAt(0); }
function hex(ch) { return "U+" + code(ch).toString(16).toUpperCase().padStart(4, "0"); }

export function isLatinLetter(ch) {
  if (!ch) { return false; }
  if (LATIN_EXTRA.indexOf(ch) >= 0) { return true; }
  if (NOT_TAKEN.indexOf(ch) >= 0 || !LETTER.test(ch)) { return false; }
  const c = code(ch);
  return LATIN_RANGES.some(function (r) { return c >= r[0] && c <= r[1]; });
}
function isCombining(ch) { const c = ch ? code(ch) : -1; return c >= 0x300 && c < 0x34f; }
function visible(ch) { return ch !== " " && ch !== "\n" && !INVISIBLE_CLASS.test(ch); }
/* A character as a message names it: itself when it can be seen, else U+XXXX (teks.shown_char). */
function shown(ch) { return SEEN.test(ch) && !/^\p{Co}$/u.test(ch) ? ch : hex(ch); }

/* Full-width ASCII and the ideographic space as the ASCII they stand for. */
function foldWidth(s) {
  return s.replace(/[\uff01-\uff5e\u3000]/g, function (ch) {
    return ch === "\u3000" ? " " : String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
  });
}

/* Whether a value holds nothing a person typed (teks.kosong). */
export function empty(value) {
  if (value === null || value === undefined) { return true; }
  if (typeof value !== "string") { return false; }
  for (const ch of foldWidth(value)) { if (INVISIBLE.indexOf(ch) < 0 && visible(ch)) { return false; } }
  return true;
}

/* The rule of a form field ({type, max_length}) or null when it is not free text (teks.rule_for). */
export function ruleFor(f) {
  const kind = KIND_OF_TYPE[f.type];
  if (!kind) { return null; }
  const max = f.max_length ? Math.min(f.max_length, MAX_LENGTH[f.type]) : MAX_LENGTH[f.type];
  return { kind: kind, multiline: f.type === "textarea", max: max };
}

/* clean(value, {label, kind: "nama"|"latin", multiline, capitals, max}) ->
 * {error: null, kept: the text as the server keeps it ("" when nothing visible was typed)} or
 * {error: the text key of the first broken rule, message: its words}, as teks.bersih. */
export function clean(value, opts) {
  opts = opts || {};
  const vars = { label: opts.label || "" };
  function fail(key, more) { return { error: key, kept: null, message: t(key, Object.assign(vars, more || {})) }; }
  let text;
  if (value === null || value === undefined) { text = ""; }
  else if (typeof value === "string") { text = value; }
  else if (typeof value === "number" && isFinite(value)) { text = String(value); }
  else { return fail("teksBukanTeks"); }
  text = foldWidth(text).normalize("NFC").replace(/\r\n/g, "\n");
  let kept = "";
  for (const ch of text) {
    if (INVISIBLE.indexOf(ch) >= 0) { continue; }
    if (LINE_BREAKS.indexOf(ch) >= 0) { kept += opts.multiline ? "\n" : " "; }
    else if (ch === "\t" || SPACE.test(ch)) { kept += " "; }
    else { kept += ch; }
  }
  text = kept.split("\n").map(function (line) { return line.replace(/ +/g, " ").replace(/^ +| +$/g, ""); })
    .join("\n").replace(/\n{3,}/g, "\n\n").replace(/^\n+|\n+$/g, "");
  if (!Array.from(text).some(visible)) { return { error: null, kept: "", message: null }; }
  for (const ch of text) {
    if (BIDI_CONTROLS.indexOf(ch) >= 0 || (CONTROL.test(ch) && ch !== "\n")) { return fail("teksKendali", { char: hex(ch) }); }
    if (SYMBOL.test(ch) || (code(ch) >= 0x1f3fb && code(ch) <= 0x1f3ff)) { return fail("teksSimbol", { char: ch }); }
    if (UNKNOWN.test(ch)) { return fail("teksTakDikenal", { char: hex(ch) }); }
  }
  let marks = 0, previous = "";
  for (const ch of text) {
    if (isCombining(ch) && opts.kind !== "catatan") {
      marks += 1;
      if (!(isLatinLetter(previous) || isCombining(previous)) || marks > MAX_MARKS) { return fail("teksTandaBaca", { char: hex(ch) }); }
      previous = ch;
      continue;
    }
    marks = 0;
    previous = ch;
    const wrong = opts.kind === "nama" ? nameCharacter(ch) : opts.kind === "latin" ? latinCharacter(ch) : null;
    if (wrong) { return fail(wrong, { char: shown(ch) }); }
  }
  if (opts.capitals) { text = text.toUpperCase().normalize("NFC"); }
  if (opts.max && Array.from(text).length > opts.max) { return fail("teksPanjang", { max: opts.max }); }
  return { error: null, kept: text, message: null };
}

function nameCharacter(ch) {
  if (isLatinLetter(ch) || NAME_MARKS.indexOf(ch) >= 0) { return null; }
  if (LETTER.test(ch) || MARK.test(ch)) { return "teksNamaLatin"; }
  return NUMBER.test(ch) ? "teksNamaAngka" : "teksNamaTanda";
}

function latinCharacter(ch) {
  const c = code(ch);
  if (isLatinLetter(ch) || (c >= 0x20 && c < 0x7f) || TYPOGRAPHIC.indexOf(ch) >= 0 || ch === "\n") { return null; }
  if (LETTER.test(ch) || MARK.test(ch)) { return "teksLatin"; }
  return NUMBER.test(ch) ? "teksAngka" : "teksTakTercetak";
}
