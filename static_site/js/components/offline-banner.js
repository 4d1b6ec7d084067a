/* The "Koneksi terputus" banner under the header: shown when the phone goes offline or a request
 * finds no network, hidden when an answer comes back. offline.messageKey picks the text: the form
 * says the typing is kept ("offline"), other pages say to try again ("offlineShort"). */
import { el } from "../lib/dom.js";
import { t, onLang } from "../lib/i18n.js";

let banner = null;
const backListeners = [];

function bannerNode() {
  if (!banner) {
    banner = document.getElementById("offline");
    if (!banner) {
      banner = el("div", { id: "offline", "class": "banner offline", role: "status", hidden: true });
      const header = document.querySelector("header.top");
      if (header && header.parentNode) { header.parentNode.insertBefore(banner, header.nextSibling); }
      else { document.body.insertBefore(banner, document.body.firstChild); }
    }
  }
  return banner;
}

export const offline = {
  messageKey: "offlineShort",
  show: function () { const b = bannerNode(); b.textContent = t(offline.messageKey); b.hidden = false; },
  hide: function () { if (banner) { banner.hidden = true; } },
  /* fn() runs when the connection comes back. */
  onBack: function (fn) { backListeners.push(fn); }
};

window.addEventListener("offline", function () { offline.show(); });
window.addEventListener("online", function () {
  offline.hide();
  backListeners.forEach(function (fn) { fn(); });
});
onLang(function () { if (banner && !banner.hidden) { banner.textContent = t(offline.messageKey); } });
