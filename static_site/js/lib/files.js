/* A document as it will be sent: what it really is (its first bytes, not its name), camera photos
 * shrunk in the browser before they cross a job-fair network (longest side 1600 px, 800 px for a
 * "foto" requirement, JPEG 0.85), and the size and kind limits of the requirement checked first.
 * A HEIC/HEIF photo (iPhone, Android with HEIF on) is converted to JPEG where the browser can
 * decode it (Safari), else refused with a one-line hint how to send a JPEG (issue 13). */
import { t } from "./i18n.js";
import { formatBytes, formatMB, kindList } from "./format.js";

const TYPES = { pdf: "application/pdf", jpeg: "image/jpeg", png: "image/png" };
export function kindOf(file) {
  var type = (file.type || "").toLowerCase(), name = (file.name || "").toLowerCase();
  if (type === "application/pdf" || (!type && /\.pdf$/.test(name))) { return "pdf"; }
  if (type === "image/jpeg" || type === "image/jpg" || (!type && /\.jpe?g$/.test(name))) { return "jpeg"; }
  if (type === "image/png" || (!type && /\.png$/.test(name))) { return "png"; }
  if (/^image\/(heic|heif)/.test(type) || /\.(heic|heif)$/.test(name)) { return "heic"; }
  if (/^image\//.test(type) || /\.(webp|gif|bmp)$/.test(name)) { return "image"; }
  return null;
}
export function acceptFor(kinds) {
  var parts = [];
  if (kinds.indexOf("jpeg") >= 0 || kinds.indexOf("png") >= 0) { parts.push("image/*"); }
  if (kinds.indexOf("pdf") >= 0) { parts.push("application/pdf"); }
  return parts.join(",");
}
function decodeImage(file) {
  function viaImg() {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file), img = new Image();
      img.onload = function () { resolve({ source: img, width: img.naturalWidth, height: img.naturalHeight, done: function () { URL.revokeObjectURL(url); } }); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("decode")); };
      img.src = url;
    });
  }
  if (typeof window.createImageBitmap === "function") {
    return window.createImageBitmap(file, { imageOrientation: "from-image" })
      .then(null, function () { return window.createImageBitmap(file); })
      .then(function (bmp) { return { source: bmp, width: bmp.width, height: bmp.height, done: function () { if (bmp.close) { bmp.close(); } } }; },
            viaImg);
  }
  return viaImg();
}
function canvasBlob(canvas, type, quality) {
  return new Promise(function (resolve, reject) {
    if (canvas.toBlob) {
      canvas.toBlob(function (b) { if (b) { resolve(b); } else { reject(new Error("encode")); } }, type, quality);
      return;
    }
    try {
      var data = canvas.toDataURL(type, quality), bin = atob(data.split(",")[1]), arr = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) { arr[i] = bin.charCodeAt(i); }
      resolve(new Blob([arr], { type: type }));
    } catch (e) { reject(e); }
  });
}
/* A camera photo made small enough to send: longest side 1600 px (photos for a "foto"
 * requirement 800 px), JPEG 0.85 when JPEG is accepted, else PNG. */
export function shrinkImage(file, maxSide, outType) {
  return decodeImage(file).then(function (img) {
    var scale = Math.min(1, maxSide / Math.max(img.width, img.height));
    var w = Math.max(1, Math.round(img.width * scale)), h = Math.max(1, Math.round(img.height * scale));
    var canvas = document.createElement("canvas");
    canvas.width = w; canvas.height = h;
    var ctx = canvas.getContext("2d");
    if (outType === "image/jpeg") { ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, w, h); }
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(img.source, 0, 0, w, h);
    img.done();
    return canvasBlob(canvas, outType, 0.85).then(function (blob) {
      canvas.width = canvas.height = 0;
      return { blob: blob, width: w, height: h, scaled: scale < 1, originalWidth: img.width, originalHeight: img.height };
    });
  });
}
export function Failure(message, retry) { var e = new Error(message); e.retry = !!retry; e.local = true; return e; }

/* The file as it will be sent: {blob, type, name}; rejects with a message the person can act on. */
export function prepareFile(file, req, onStage) {
  var kinds = req.kinds || [], kind = kindOf(file);
  var max = (Number(req.max_size_mb) || 5) * 1048576;
  var maxText = formatMB(Number(req.max_size_mb) || 5);
  function sized(blob, type, name) {
    if (blob.size > max) { throw Failure(t("tooBig", { size: formatBytes(blob.size), max: maxText })); }
    if (blob.size === 0) { throw Failure(t("imageUnreadable")); }
    return { blob: blob, type: type, name: name };
  }
  var images = kinds.indexOf("jpeg") >= 0 || kinds.indexOf("png") >= 0;
  var bad = Failure(t("badKind", { kinds: kindList(kinds) }));
  return sniff(file).then(function (real) {
    /* What the first bytes say wins over the name (a program renamed .jpg is refused here). */
    if (real === "?") { real = null; if (!kind) { throw bad; } } else if (real) { kind = real; } else if (kind !== "image" && kind !== "heic") { throw bad; }
    if (kind === "pdf") {
      if (kinds.indexOf("pdf") < 0) { throw bad; }
      return sized(file, TYPES.pdf, req.key + ".pdf");
    }
    if (!images) { throw kind === "heic" ? Failure(t("heicHint")) : bad; }
    return asImage();
  });
  function asImage() {
    var outType = kinds.indexOf("jpeg") >= 0 ? TYPES.jpeg : TYPES.png;
    var maxSide = /foto/i.test(req.key) ? 800 : 1600;
    var original = kind !== "image" && kind !== "heic" && kinds.indexOf(kind) >= 0;
    if (onStage) { onStage("shrinking"); }
    return shrinkImage(file, maxSide, outType).then(function (out) {
      var name = req.key + (outType === TYPES.jpeg ? ".jpg" : ".png");
      /* A small photo that already fits is sent as it is. */
      if (original && !out.scaled && (file.size <= 400 * 1024 || out.blob.size >= file.size)) {
        return sized(file, TYPES[kind], req.key + (kind === "jpeg" ? ".jpg" : ".png"));
      }
      return sized(out.blob, outType, name);
    }, function () {
      if (original) { return sized(file, TYPES[kind], req.key + (kind === "jpeg" ? ".jpg" : ".png")); }
      if (kind === "heic") { throw Failure(t("heicHint")); }
      throw Failure(kind === "image" ? t("badKind", { kinds: kindList(kinds) }) : t("imageUnreadable"));
    });
  }
}
/* "pdf", "jpeg", "png" or "heic" from the file's first bytes; null for anything else or when
 * unreadable. HEIF is an ISO box file: "ftyp" at byte 4, then a brand of the HEIF family. */
function sniff(file) {
  return new Promise(function (resolve) {
    if (!file.slice || typeof FileReader !== "function") { resolve("?"); return; }
    var reader = new FileReader();
    reader.onload = function () {
      var b = new Uint8Array(reader.result || new ArrayBuffer(0));
      var head = String.fromCharCode.apply(null, Array.prototype.slice.call(b, 0, 8));
      if (head.indexOf("%PDF-") === 0) { resolve("pdf"); }
      else if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) { resolve("jpeg"); }
      else if (head === "\x89PNG\r\n\x1a\n") { resolve("png"); }
      else if (/^ftyp(heic|heix|heim|heis|hevc|hevx|mif1|msf1|heif)$/.test(String.fromCharCode.apply(null, Array.prototype.slice.call(b, 4, 12)))) { resolve("heic"); }
      else { resolve(null); }
    };
    reader.onerror = function () { resolve("?"); };
    reader.readAsArrayBuffer(file.slice(0, 12));
  });
}


/* The number of pages of a PDF, counted from its page objects ("/Type /Page"); null when they
 * are hidden in compressed object streams (the row then shows the size alone). */
export function pdfPages(blob) {
  return new Promise(function (resolve) {
    if (!blob || typeof FileReader !== "function") { resolve(null); return; }
    var reader = new FileReader();
    reader.onload = function () {
      var b = new Uint8Array(reader.result || new ArrayBuffer(0)), text = "";
      for (var i = 0; i < b.length; i += 8192) { text += String.fromCharCode.apply(null, Array.prototype.slice.call(b, i, i + 8192)); }
      var n = (text.match(/\/Type\s*\/Page(?![A-Za-z])/g) || []).length;
      resolve(n || null);
    };
    reader.onerror = function () { resolve(null); };
    reader.readAsArrayBuffer(blob);
  });
}
