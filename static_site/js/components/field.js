/* A labelled input with its hint and its error line, wired for screen readers
 * (aria-describedby, aria-invalid): field({id, name, field, tag, label, required, hint, attrs})
 * -> {wrap, input, error, label, setError(message or "")}. */
import { el } from "../lib/dom.js";

let fieldSeq = 0;

export function field(opts) {
  const id = opts.id || ("f" + (++fieldSeq));
  const errId = id + "-err", hintId = id + "-hint";
  const input = el(opts.tag || "input", Object.assign({
    id: id, name: opts.name || id, "class": "input", "aria-describedby": (opts.hint ? hintId + " " : "") + errId
  }, opts.attrs || {}));
  const label = el("label", { "for": id }, [opts.label, opts.required ? el("span", { "class": "req", "aria-hidden": "true", text: " *" }) : null]);
  const error = el("p", { id: errId, "class": "err", "aria-live": "polite" });
  const wrap = el("div", { "class": "field", "data-field": opts.field || opts.name || id }, [
    label, opts.hint ? el("p", { id: hintId, "class": "hint", text: opts.hint }) : null, input, error
  ]);
  function setError(msg) {
    error.textContent = msg || "";
    if (msg) { input.setAttribute("aria-invalid", "true"); wrap.classList.add("has-err"); }
    else { input.removeAttribute("aria-invalid"); wrap.classList.remove("has-err"); }
  }
  return { wrap: wrap, input: input, error: error, label: label, setError: setError };
}
