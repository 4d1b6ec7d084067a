/* The live board (board.html): reads /staff/papan/data every REFRESH_MS and redraws the counts
 * and tables with what it says (textContent only: nothing from the server is read as HTML).
 * Without it the page still shows the board as it was when loaded. */
(function () {
  "use strict";
  var REFRESH_MS = 30000;
  var root = document.getElementById("board");
  if (!root) return;
  var source = root.getAttribute("data-source");

  function cell(row, text, className) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function setText(name, value) {
    var el = root.querySelector("[data-field='" + name + "']");
    if (el) el.textContent = String(value);
  }

  function draw(data) {
    setText("today-intake", data.today.intake);
    setText("today-completed", data.today.completed);
    setText("today-returned", data.today.returned);
    setText("week-intake", data.week.intake);
    setText("week-completed", data.week.completed);
    setText("week-returned", data.week.returned);
    setText("late-total", data.late_total);
    var lateCount = root.querySelector("[data-field='late-total']");
    if (lateCount) lateCount.parentNode.classList.toggle("bad", data.late_total > 0);
    var open = root.querySelector("tbody[data-rows='groups']");
    open.replaceChildren();
    data.groups.forEach(function (g) {
      var tr = document.createElement("tr");
      if (g.late) tr.className = "late";
      cell(tr, g.service); cell(tr, g.step); cell(tr, g.role);
      cell(tr, g.open, "num"); cell(tr, g.overdue, g.overdue ? "num late" : "num");
      cell(tr, g.oldest, "num"); cell(tr, g.standard, "num");
      open.appendChild(tr);
    });
    var late = root.querySelector("tbody[data-rows='late']");
    late.replaceChildren();
    data.late.forEach(function (f) {
      var tr = document.createElement("tr");
      var td = cell(tr, "");
      var a = document.createElement("a");
      a.href = f.href; a.textContent = f.case;
      td.appendChild(a);
      cell(tr, f.service); cell(tr, f.step); cell(tr, f.role);
      cell(tr, f.age, "num late"); cell(tr, f.standard, "num");
      late.appendChild(tr);
    });
    root.querySelectorAll("[data-empty]").forEach(function (el) {
      var list = el.getAttribute("data-empty") === "groups" ? data.groups : data.late;
      el.hidden = list.length > 0;
    });
    setText("at", new Date(data.at).toLocaleTimeString("id-ID", { timeZone: "Asia/Jakarta" }) + " WIB");
  }

  function refresh() {
    fetch(source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) { draw(data); setText("state", ""); })
      .catch(function () { setText("state", "(gagal memuat ulang; dicoba lagi)"); })
      .then(function () { window.setTimeout(refresh, REFRESH_MS); });
  }
  window.setTimeout(refresh, REFRESH_MS);
})();
