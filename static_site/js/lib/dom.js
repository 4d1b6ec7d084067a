/* Small DOM helpers shared by every component: el() builds an element, clear() empties one,
 * focus() moves focus (and scrolls) to what the person must look at, busy() marks a button as
 * working; param() reads the page address, uuid() makes an Idempotency-Key. */

export function append(node, children) {
  if (children === null || children === undefined || children === false) { return; }
  if (!Array.isArray(children)) { children = [children]; }
  children.forEach(function (c) {
    if (c === null || c === undefined || c === false) { return; }
    if (Array.isArray(c)) { append(node, c); return; }
    node.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
  });
}

/* el("input", {id: "x", type: "text", onclick: fn, hidden: true, text: "..."}, [children]):
 * null/false attributes are left out, true ones set empty, on* functions become listeners. */
export function el(tag, attrs, children) {
  const node = document.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach(function (k) {
      const v = attrs[k];
      if (v === null || v === undefined || v === false) { return; }
      if (k === "text") { node.textContent = v; }
      else if (k.slice(0, 2) === "on" && typeof v === "function") { node.addEventListener(k.slice(2), v); }
      else if (v === true) { node.setAttribute(k, ""); }
      else { node.setAttribute(k, v); }
    });
  }
  append(node, children);
  return node;
}

export function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } return node; }

/* The page address's ?name= value, decoded and trimmed ("" when absent or malformed). */
export function param(name) {
  const m = new RegExp("[?&]" + name + "=([^&#]*)").exec(window.location.search);
  if (!m) { return ""; }
  try { return decodeURIComponent(m[1].replace(/\+/g, " ")).trim(); } catch (e) { return ""; }
}

/* A random UUID v4 (crypto.randomUUID where the browser has it). */
export function uuid() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") { return window.crypto.randomUUID(); }
  const bytes = new Uint8Array(16);
  if (window.crypto && window.crypto.getRandomValues) { window.crypto.getRandomValues(bytes); }
  else { for (let i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); } }
  bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const h = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
  return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
}

/* Put focus on an element (and scroll it into view) after errors are shown. */
export function focus(node) {
  if (!node) { return; }
  try { node.focus({ preventScroll: true }); } catch (e) { node.focus(); }
  if (node.scrollIntoView) { node.scrollIntoView({ block: "center", behavior: "smooth" }); }
}

/* busy(button, true, "Mengirim…") disables the button and shows the text; busy(button, false)
 * gives it back its own label. */
export function busy(button, on, text) {
  if (on) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    button.setAttribute("data-label", button.textContent);
    if (text) { button.textContent = text; }
  } else {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    if (button.getAttribute("data-label")) { button.textContent = button.getAttribute("data-label"); }
  }
}
