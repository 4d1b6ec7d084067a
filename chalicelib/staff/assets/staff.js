/* The staff pages' one script, served by the app (their Content-Security-Policy refuses inline
 * script and onclick="..."). Everything here only helps: each page works without it.
 * - a button marked data-print prints the page (the QR poster);
 * - the inbox: j / ArrowDown and k / ArrowUp move along the files, Enter opens one, a click on a
 *   row opens it;
 * - the case page: a chooses the approving decision (and puts the focus on "Simpan &
 *   berikutnya"), r the return (focus on the note), Ctrl+Enter saves and opens the next file;
 *   no key fires while one types in a field; the step's records are required only for a
 *   decision that records them; the document pictures zoom (click, or the - and + buttons);
 *   what was typed in a decision the server refused is put back. */
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  function typing(event) {
    var target = event.target;
    if (!target) return false;
    if (target.tagName === "INPUT") return !/^(radio|checkbox|button|submit)$/.test(target.type);
    return Boolean(target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
  }

  function plain(event) {
    return !event.ctrlKey && !event.metaKey && !event.altKey;
  }

  // --- the inbox ------------------------------------------------------------------------------
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.file"));
  if (rows.length) {
    var current = -1;
    var mark = function (index) {
      if (current >= 0 && rows[current]) rows[current].classList.remove("current");
      current = index;
      rows[current].classList.add("current");
    };
    var select = function (index) {
      mark(Math.max(0, Math.min(rows.length - 1, index)));
      var link = rows[current].querySelector("a.open");
      link.focus();
      rows[current].scrollIntoView({ block: "nearest" });
    };
    rows.forEach(function (row, index) {
      var link = row.querySelector("a.open");
      link.addEventListener("focus", function () { mark(index); });
      row.addEventListener("click", function (event) {
        if (!event.target.closest("a")) link.click();
      });
    });
    document.addEventListener("keydown", function (event) {
      if (!plain(event) || typing(event)) return;
      if (event.key === "j" || event.key === "ArrowDown") {
        select(current + 1);
        event.preventDefault();
      } else if (event.key === "k" || event.key === "ArrowUp") {
        select(current < 0 ? 0 : current - 1);
        event.preventDefault();
      } else if (event.key === "Enter" && current >= 0 && document.activeElement === document.body) {
        rows[current].querySelector("a.open").click();
      }
    });
  }

  // --- the case page: the decision ------------------------------------------------------------
  var form = document.querySelector(".decide-dock form[data-decide]") || document.querySelector("form[data-decide]");
  if (form) {
    var fields = function () {
      return Array.prototype.slice.call(form.elements).filter(function (el) {
        return el.name && (el.name === "note" || el.name.indexOf("rec_") === 0 || el.name.indexOf("item_") === 0);
      });
    };
    var requireRecords = function () {
      var chosen = form.querySelector("input[name=decision]:checked");
      var records = Boolean(chosen && (chosen.value === "approve" || chosen.value === "forward"));
      fields().forEach(function (el) {
        if (el.hasAttribute("data-required")) el.required = records;
      });
    };
    form.addEventListener("change", requireRecords);
    requireRecords();

    var choose = function (key) {
      var radio = form.querySelector('input[name=decision][data-key="' + key + '"]');
      if (!radio) return false;
      radio.checked = true;
      requireRecords();
      return true;
    };
    document.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.querySelector("[data-next]").click();
        return;
      }
      if (typing(event) || !plain(event)) return;
      if (event.key === "a" && choose("a")) {
        event.preventDefault();
        form.querySelector("[data-next]").focus();
      } else if (event.key === "r" && choose("r")) {
        event.preventDefault();
        form.querySelector("textarea[name=note]").focus();
      }
    });

    // What the officer typed survives a refusal (the server sends the page back with the reason).
    var keyOf = "loket-keputusan:" + form.elements.case_id.value + ":" + form.elements.item.value;
    form.addEventListener("submit", function () {
      var kept = {};
      fields().forEach(function (el) {
        kept[el.name] = el.type === "checkbox" ? el.checked : el.value;
      });
      var chosen = form.querySelector("input[name=decision]:checked");
      kept.decision = chosen ? chosen.value : "";
      try { sessionStorage.setItem(keyOf, JSON.stringify(kept)); } catch (e) { /* private mode: nothing kept */ }
    });
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(keyOf) || "null"); sessionStorage.removeItem(keyOf); } catch (e) { saved = null; }
    if (saved && document.querySelector("main > .alert.error")) {
      fields().forEach(function (el) {
        if (!(el.name in saved)) return;
        if (el.type === "checkbox") el.checked = Boolean(saved[el.name]);
        else el.value = saved[el.name];
      });
      var again = form.querySelector('input[name=decision][value="' + saved.decision + '"]');
      if (again) again.checked = true;
      requireRecords();
    }
  }

  // --- the case page: zooming a document picture ------------------------------------------------
  document.querySelectorAll("[data-zoom-box]").forEach(function (box) {
    var figure = box.closest("figure");
    var tools = figure && figure.querySelector("[data-zoom-tools]");
    var set = function (level) {
      box.setAttribute("data-level", String(Math.max(1, Math.min(4, level))));
    };
    box.querySelector("img").addEventListener("click", function (event) {
      event.preventDefault();  // without script the link opens the picture in a new tab instead
      set(box.getAttribute("data-level") === "1" ? 2 : 1);
    });
    if (!tools) return;
    tools.hidden = false;
    tools.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-zoom]");
      if (!button) return;
      var level = Number(box.getAttribute("data-level"));
      var what = button.getAttribute("data-zoom");
      if (what === "in") set(level + 1);
      else if (what === "out") set(level - 1);
      else box.setAttribute("data-turn", box.getAttribute("data-turn") === "180" ? "0" : "180");
    });
  });
})();
