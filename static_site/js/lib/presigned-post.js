/* The upload itself: a presigned S3 POST (POST /api/cases/<id>/uploads answers its url and
 * fields) sent with XMLHttpRequest for its progress events, given up after 60 s without progress. */
import { t } from "./i18n.js";
import { Failure } from "./files.js";
import { offline } from "../components/offline-banner.js";

/* POST the file to the presigned url: every field first, then the file. Resolves when the
 * storage answered 2xx (or the whole body went out but the answer could not be read, which
 * the server's check then settles). */
export function postFile(policy, prepared, onProgress, tooBigText) {
  return new Promise(function (resolve, reject) {
    var fd = new FormData();
    Object.keys(policy.fields || {}).forEach(function (k) { fd.append(k, policy.fields[k]); });
    fd.append("file", prepared.blob, prepared.name);
    var xhr = new XMLHttpRequest(), sent = false, last = Date.now(), settled = false;
    function finish(fn, arg) { if (settled) { return; } settled = true; clearInterval(watch); fn(arg); }
    var watch = setInterval(function () {
      if (!sent && Date.now() - last > 60000) { xhr.abort(); finish(reject, Failure(t("uploadStalled"), true)); }
    }, 5000);
    xhr.open("POST", policy.url, true);
    xhr.upload.onprogress = function (e) { last = Date.now(); if (e.lengthComputable && onProgress) { onProgress(e.loaded / e.total); } };
    xhr.upload.onload = function () { sent = true; if (onProgress) { onProgress(1); } };
    xhr.onload = function () {
      if (xhr.status >= 200 && xhr.status < 300) { finish(resolve); }
      else {
        var code = /<Code>([^<]+)<\/Code>/.exec(xhr.responseText || "");
        if (code && code[1] === "EntityTooLarge" && tooBigText) { finish(reject, Failure(tooBigText, false)); }
        else { finish(reject, Failure(t("uploadFailed"), true)); }
      }
    };
    xhr.onerror = function () {
      if (sent) { finish(resolve, { unverified: true }); return; }
      if (navigator.onLine === false) { offline.show(); }
      finish(reject, Failure(t("uploadFailed"), true));
    };
    xhr.onabort = function () { finish(reject, Failure(t("uploadStalled"), true)); };
    xhr.send(fd);
  });
}

