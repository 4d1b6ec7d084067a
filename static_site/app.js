/* Loket public site: lists each office's service standards. Indonesian first, English on request. */
(function () {
  "use strict";
  var TEXT = {
    id: { tagline: "Layanan daring Dinas Tenaga Kerja", title: "Layanan ketenagakerjaan, dari ponsel Anda",
          lead: "Pilih kantor dan layanan. Setiap layanan mengikuti standar pelayanan yang ditetapkan kantor: persyaratan, waktu, biaya dan tempat pengaduan tercantum di bawah.",
          loading: "Memuat daftar layanan…", failed: "Daftar layanan tidak dapat dimuat. Periksa koneksi Anda lalu muat ulang halaman.",
          privacy: "Data pribadi Anda (NIK, KTP, KK, paspor) hanya dilihat oleh petugas kantor yang berwenang.",
          duration: "Waktu layanan", fee: "Biaya", applicant: "Pemohon", product: "Produk", requirements: "Persyaratan",
          optional: "(opsional)", complaint: "Pengaduan", steps: "langkah", other: "English",
          myCases: "Berkas saya", apply: "Ajukan secara daring", account: "Jenis akun",
          kind_pencari_kerja: "Pencari kerja", kind_perusahaan: "Perusahaan (pemberi kerja TKA)",
          kind_sekolah: "Sekolah atau perguruan tinggi (BKK)", kind_p3mi: "Perusahaan penempatan pekerja migran (P3MI)" },
    en: { tagline: "Online services of the Manpower Office", title: "Manpower services, from your phone",
          lead: "Choose an office and a service. Every service follows the office's published service standard: requirements, time, fee and complaint channel are listed below.",
          loading: "Loading services…", failed: "The list of services could not be loaded. Check your connection and reload the page.",
          privacy: "Your personal data (NIK, ID card, family card, passport) is seen only by the authorised staff of the office.",
          duration: "Service time", fee: "Fee", applicant: "Applicant", product: "Product", requirements: "Requirements",
          optional: "(optional)", complaint: "Complaints", steps: "steps", other: "Indonesia",
          myCases: "My applications", apply: "Apply online", account: "Account type",
          kind_pencari_kerja: "Job seeker", kind_perusahaan: "Company (employer of foreign workers, TKA)",
          kind_sekolah: "School or university (BKK job placement office)", kind_p3mi: "Migrant worker placement agency (P3MI)" }
  };
  var lang = (localStorage.getItem("loket.lang") === "en") ? "en" : "id";
  var data = null;

  function t(key) { return TEXT[lang][key]; }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function applyText() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach(function (n) { n.textContent = t(n.getAttribute("data-i18n")); });
    document.getElementById("lang").textContent = t("other");
    if (data) { render(data); }
  }
  function fact(label, value) { return value ? [el("dt", {}, [label]), el("dd", {}, [String(value)])] : []; }
  function render(offices) {
    var root = document.getElementById("offices");
    root.textContent = "";
    offices.forEach(function (office) {
      var section = el("section", { "class": "office", id: office.id }, [
        el("h2", {}, [office.name]),
        el("p", { "class": "meta" }, [office.address + " · " + office.phone])
      ]);
      office.services.forEach(function (s) {
        var facts = el("dl", { "class": "facts" }, [].concat(
          fact(t("applicant"), s.applicant),
          s.applicant_kind && TEXT[lang]["kind_" + s.applicant_kind] ? fact(t("account"), t("kind_" + s.applicant_kind)) : [],
          fact(t("duration"), s.duration), fact(t("fee"), s.fee),
          fact(t("product"), (s.products || []).join(", ")),
          fact(t("complaint"), [(s.complaint || {}).name, (s.complaint || {}).phone].filter(Boolean).join(" · "))));
        var req = el("ul", { "class": "req" }, (s.requirements || []).map(function (r) {
          return el("li", {}, [r.name, r.required ? "" : " ", r.required ? "" : el("span", { "class": "opt" }, [t("optional")])]);
        }));
        section.appendChild(el("details", { "class": "service", id: office.id + "-" + s.id }, [
          el("summary", {}, [s.title]),
          el("div", { "class": "body" }, [facts, el("strong", {}, [t("requirements")]), req,
            el("a", { "class": "btn primary apply", id: "apply-" + office.id + "-" + s.id,
                      href: "ajukan.html?kantor=" + encodeURIComponent(office.id) + "&layanan=" + encodeURIComponent(s.id) }, [t("apply")])])
        ]));
      });
      root.appendChild(section);
    });
  }
  function load() {
    var status = document.getElementById("status");
    var api = (window.LOKET && window.LOKET.apiUrl) || "";
    fetch(api + "/api/offices", { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (body) { data = body.offices; status.hidden = true; render(data); })
      .catch(function () { status.textContent = t("failed"); status.className = "notice error"; status.removeAttribute("data-i18n"); });
  }
  document.getElementById("lang").addEventListener("click", function () {
    lang = lang === "id" ? "en" : "id";
    localStorage.setItem("loket.lang", lang);
    applyText();
  });
  applyText();
  load();
})();
