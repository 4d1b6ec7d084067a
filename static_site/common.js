/* Loket public pages: shared code. Text table (Indonesian first, English on request), the el()
 * helper, localStorage that never throws, the session (tokens), api() with the token and one
 * refresh on 401, the offline banner, the header (language, "Berkas saya", "Keluar") and the
 * sign-in / sign-up / forgot-password box. No framework, no build step. */
(function () {
  "use strict";
  var L = window.Loket = window.Loket || {};
  var cfg = window.LOKET || {};
  L.apiUrl = String(cfg.apiUrl || "").replace(/\/+$/, "");

  /* ---------------------------------------------------------------- text */
  var TEXT = {
    id: {
      other: "English", skip: "Langsung ke isi", brand: "Loket", myCases: "Berkas saya", navCases: "Berkas saya", signOut: "Keluar", home: "Daftar layanan",
      privacy: "Data pribadi Anda (NIK, KTP, KK, paspor) hanya dilihat oleh petugas kantor yang berwenang.",
      offline: "Koneksi terputus. Isian Anda tersimpan di ponsel ini; kirim lagi saat koneksi kembali.",
      offlineShort: "Koneksi terputus. Coba lagi saat koneksi kembali.",
      timeout: "Server tidak menjawab (koneksi lambat). Coba lagi.",
      serverError: "Terjadi gangguan di server. Coba lagi sebentar lagi.",
      loading: "Memuat…", retry: "Coba lagi", required: "wajib", optional: "(opsional)",
      signOutConfirm: "Isian yang belum dikirim di ponsel ini akan dihapus. Tetap keluar?",
      // account box
      tabSignin: "Masuk", tabSignup: "Daftar akun", tabForgot: "Lupa kata sandi",
      username: "User ID", usernameHint: "Huruf kecil, angka, titik atau garis bawah; tanpa spasi.",
      password: "Kata sandi", password2: "Ulangi kata sandi", newPassword: "Kata sandi baru",
      passwordHint: "Paling sedikit 8 karakter, dengan huruf dan angka.",
      email: "Alamat email", emailHint: "Kode konfirmasi dan kabar berkas dikirim ke alamat ini.",
      showPassword: "Tampilkan kata sandi",
      btnSignin: "Masuk", btnSignup: "Daftar", btnConfirm: "Konfirmasi", btnSendCode: "Kirim kode",
      btnReset: "Simpan kata sandi baru", resend: "Kirim ulang kode", back: "Kembali",
      code: "Kode konfirmasi", codeHint: "6 angka dari email.",
      codeSent: "Kode konfirmasi telah dikirim ke {dest}.",
      resetSent: "Kode untuk mengganti kata sandi telah dikirim ke {dest}.",
      codeResent: "Kode baru telah dikirim ke {dest}.",
      confirmedSignin: "Akun sudah dikonfirmasi. Silakan masuk.",
      resetDone: "Kata sandi sudah diganti. Silakan masuk.",
      unconfirmed: "Akun belum dikonfirmasi. Masukkan kode yang dikirim ke email Anda.",
      sending: "Mengirim…", signingIn: "Sedang masuk…",
      signedInAs: "Masuk sebagai {user}", signedInWho: "Masuk sebagai {user} · {who}", signedInEmail: "Kabar berkas dikirim ke {email}.",
      accountKind: "Jenis akun", accountKindHint: "Siapa yang mengajukan layanan dengan akun ini.",
      accountKindPreset: "Dipilih sesuai layanan yang akan Anda ajukan.",
      kind_pencari_kerja: "Pencari kerja", kind_perusahaan: "Perusahaan (pemberi kerja TKA)",
      kind_sekolah: "Sekolah atau perguruan tinggi (BKK)", kind_p3mi: "Perusahaan penempatan pekerja migran (P3MI)",
      organisation: "Nama lembaga", organisationHint: "Nama perusahaan / sekolah / P3MI sesuai izin",
      organisationShort: "Nama lembaga paling sedikit 3 karakter, sesuai izin.",
      kindChoose: "Pilih jenis akun.",
      wrongKind: "Layanan ini diajukan dengan akun {need}. Anda masuk dengan akun {have}. Keluar lalu masuk atau buat akun {need}.",
      wrongKindServer: "{message}",
      switchAccount: "Keluar dan ganti akun", draftKept: "Isian Anda untuk layanan ini tetap tersimpan di ponsel ini.",
      accountEmail: "Alamat email untuk kabar berkas", accountEmailHint: "Petugas mengirim kabar dan hasil layanan ke alamat ini.",
      sessionEnded: "Sesi Anda berakhir. Silakan masuk lagi; isian Anda tetap tersimpan.",
      fieldRequired: "{label} wajib diisi.",
      passwordWeak: "Kata sandi paling sedikit 8 karakter, dengan huruf dan angka.",
      passwordMismatch: "Kedua kata sandi tidak sama.",
      emailBad: "Alamat email tidak sah.",
      usernameBad: "User ID tidak boleh memuat spasi.",
      codeBad: "Kode konfirmasi berupa angka dari email.",
      // ajukan page
      pageApply: "Ajukan layanan", loadingForm: "Memuat formulir…",
      catalogueFailed: "Formulir tidak dapat dimuat. Periksa koneksi Anda lalu coba lagi.",
      noOffice: "Kantor \"{id}\" tidak ditemukan. Pindai ulang kode QR di loket atau pilih layanan dari daftar layanan.",
      noService: "Layanan \"{id}\" tidak ditemukan di {office}. Pindai ulang kode QR atau pilih layanan dari daftar layanan.",
      noParams: "Alamat halaman ini tidak lengkap. Pilih layanan dari daftar layanan.",
      stepAccount: "Akun", stepForm: "Formulir", stepDocs: "Dokumen persyaratan", stepSend: "Kirim",
      fee: "Biaya", duration: "Waktu layanan", applicant: "Pemohon",
      requiredNote: "Tanda * berarti wajib diisi.",
      uppercaseNote: "Formulir ini diisi dengan HURUF CETAK; huruf Anda diubah menjadi kapital.",
      repeatNeedOne: "{title}: isi paling sedikit satu.",
      add: "+ Tambah", remove: "Hapus", entry: "{title} {n}", emptyRepeat: "Belum ada. Kosongkan bila tidak ada.",
      choose: "Pilih…", yearBad: "Tahun harus 4 angka.", dateBad: "Tanggal tidak sah.",
      numberBad: "{label} harus berupa angka.", phoneBad: "{label} tidak sah (contoh: 081234567890).",
      yearRange: "Tahun harus antara 1940 dan {max}.", dateImpossible: "{label} tidak mungkin ({date}).",
      dateFuture: "{label} tidak mungkin di masa depan ({date}).",
      validUntilPast: "{label} sudah lewat ({date}); dokumen yang sudah tidak berlaku tidak dapat diterima.",
      validUntilFar: "{label} terlalu jauh ({date}): paling lama {years} tahun dari hari ini. Periksa tahunnya.",
      choiceBad: "Pilih salah satu pilihan {label}.", nikCount: "{n}/16 angka",
      nikConfirm: "Data NIK saya memang begitu di KTP",
      nikConfirmNeeded: "Perbaiki isian, atau centang konfirmasi bila KTP Anda memang begitu.",
      nikLength: "NIK harus 16 angka, sesuai KTP.",
      nikProvince: "Dua angka pertama NIK bukan kode provinsi yang dikenal. Periksa kembali NIK Anda.",
      nikZero: "Kode kabupaten/kota atau kecamatan pada NIK tidak sah. Periksa kembali NIK Anda.",
      nikSerial: "Empat angka terakhir NIK tidak boleh 0000. Periksa kembali NIK Anda.",
      nikDate: "Tanggal lahir di dalam NIK (angka ke-7 sampai ke-12) tidak mungkin. Periksa kembali NIK Anda.",
      nikWarnDate: "Tanggal lahir di NIK ({date}) berbeda dengan tanggal lahir yang Anda isi. Periksa kembali; bila KTP Anda memang begitu, centang konfirmasi.",
      nikWarnSex: "Menurut NIK, jenis kelamin Anda {sex} (tanggal di NIK ditambah 40 untuk perempuan). Periksa kembali; bila KTP Anda memang begitu, centang konfirmasi.",
      female: "perempuan", male: "laki-laki",
      docsIntro: "Foto dengan kamera ponsel atau pilih berkas. Foto diperkecil otomatis sebelum dikirim.",
      docKinds: "Jenis: {kinds}", docMax: "Paling besar {size}",
      choose_file: "Pilih / foto berkas", replaceFile: "Ganti berkas",
      docRequired: "Wajib", docOptional: "Opsional",
      uploaded: "Terunggah ✓", uploadedOn: "Terunggah ✓ ({kind})", notUploaded: "Belum diunggah",
      preparing: "Menyiapkan berkas…", shrinking: "Memperkecil foto…", uploading: "Mengunggah… {pct}%",
      checking: "Memeriksa berkas…", uploadFailed: "Unggahan gagal. Periksa koneksi lalu tekan Coba lagi.",
      uploadStalled: "Unggahan terhenti (koneksi lambat). Tekan Coba lagi.",
      tooBig: "Berkas terlalu besar ({size}). Paling besar {max}.",
      badKind: "Jenis berkas tidak diterima. Gunakan {kinds}.",
      imageUnreadable: "Foto tidak dapat dibaca di ponsel ini. Coba ambil foto lagi atau pilih berkas lain.",
      docMissing: "Dokumen wajib belum diunggah.", waitUploads: "Tunggu sampai semua unggahan selesai.",
      savedLocal: "Isian tersimpan di ponsel ini ({time}).",
      btnSubmit: "Kirim pengajuan", submitting: "Mengirim pengajuan…", creatingCase: "Menyiapkan berkas pengajuan…",
      savingForm: "Menyimpan isian…", checkForm: "Periksa isian yang ditandai.",
      submitIntro: "Periksa kembali isian dan dokumen Anda. Setelah dikirim, berkas diperiksa petugas.",
      alreadySent: "Pengajuan ini sudah terkirim.", seeStatus: "Lihat status berkas",
      otherErrors: "Periksa juga:", signInFirst: "Masuk atau daftar akun dulu untuk mengisi formulir.",
      resumeAfterSignin: "Anda sudah masuk kembali. Tekan tombol Kirim lagi.",
      // berkas page
      pageCases: "Berkas saya", casesIntro: "Pengajuan Anda, yang terbaru di atas.",
      draftsTitle: "Belum dikirim (tersimpan di ponsel ini)", sentTitle: "Pengajuan",
      signInToSee: "Masuk untuk melihat pengajuan Anda.",
      noCases: "Belum ada pengajuan.", openServices: "Pilih layanan",
      caseNumber: "Nomor berkas", created: "Dibuat", updated: "Diperbarui",
      refresh: "Muat ulang", refreshedAt: "Diperbarui pukul {time}.", caseLoading: "Memuat berkas…",
      caseNotFound: "Berkas tidak ditemukan.", caseFailed: "Berkas tidak dapat dimuat.",
      stepsTitle: "Tahapan layanan", stateDone: "Selesai", stateCurrent: "Sedang dikerjakan", stateWaiting: "Menunggu", stateReturned: "Dikembalikan ke Anda",
      returnedTitle: "Dikembalikan untuk dilengkapi", returnedIntro: "Catatan petugas:",
      returnedDocs: "Unggah ulang dokumen ini:", editForm: "Ubah isian formulir",
      btnResubmit: "Kirim ulang", resubmitting: "Mengirim ulang…", resubmitted: "Berkas sudah dikirim ulang.",
      rejectedTitle: "Pengajuan ditolak", expiredTitle: "Pengajuan kedaluwarsa",
      expiredText: "Berkas yang dikembalikan tidak dilengkapi dalam batas waktu. Ajukan lagi bila masih perlu.",
      messagesTitle: "Pesan dari petugas", productsTitle: "Hasil layanan",
      download: "Unduh {name} (PDF)", preparingProduct: "{name} sedang disiapkan.",
      downloadFailed: "Berkas tidak dapat diunduh. Coba lagi.", opening: "Membuka…",
      draftCase: "Pengajuan ini belum dikirim.", continueDraft: "Lanjutkan pengisian",
      number: "Nomor", back2list: "← Semua berkas saya",
      // cek page
      pageVerify: "Cek keaslian dokumen", verifying: "Memeriksa dokumen…",
      valid: "SAH / BERLAKU", expired: "KEDALUWARSA", revoked: "DICABUT", notFound: "Tidak ditemukan",
      validText: "Dokumen ini diterbitkan oleh kantor di bawah dan masih berlaku.",
      expiredTextV: "Dokumen ini pernah diterbitkan, tetapi masa berlakunya sudah habis.",
      revokedText: "Dokumen ini sudah dicabut oleh kantor yang menerbitkan dan tidak berlaku lagi.",
      notFoundText: "Tidak ada dokumen dengan kode ini. Dokumen bisa jadi palsu; tanyakan ke kantor Disnaker yang tertera.",
      noId: "Kode dokumen tidak ada di alamat ini. Pindai ulang kode QR pada kartu atau surat.",
      verifyFailed: "Dokumen tidak dapat diperiksa sekarang. Periksa koneksi lalu coba lagi.",
      vDocument: "Dokumen", vNumber: "Nomor", vName: "Nama", vOffice: "Diterbitkan oleh",
      vIssued: "Tanggal terbit", vValid: "Berlaku sampai", vNoLimit: "—",
      verifyNote: "Nama disamarkan untuk melindungi data pribadi. Cocokkan dengan dokumen yang Anda pegang."
    },
    en: {
      other: "Indonesia", skip: "Skip to content", brand: "Loket", myCases: "My applications", navCases: "Applications", signOut: "Sign out", home: "Services",
      privacy: "Your personal data (NIK, ID card, family card, passport) is seen only by the authorised staff of the office.",
      offline: "Connection lost. What you typed is saved on this phone; send again when the connection is back.",
      offlineShort: "Connection lost. Try again when the connection is back.",
      timeout: "The server did not answer (slow connection). Try again.",
      serverError: "Something went wrong on the server. Try again in a moment.",
      loading: "Loading…", retry: "Try again", required: "required", optional: "(optional)",
      signOutConfirm: "What you typed on this phone and have not sent will be deleted. Sign out anyway?",
      tabSignin: "Sign in", tabSignup: "Create account", tabForgot: "Forgot password",
      username: "User ID", usernameHint: "Lower-case letters, digits, dots or underscores; no spaces.",
      password: "Password", password2: "Repeat password", newPassword: "New password",
      passwordHint: "At least 8 characters, with letters and digits.",
      email: "Email address", emailHint: "The confirmation code and news of your application go to this address.",
      showPassword: "Show password",
      btnSignin: "Sign in", btnSignup: "Create account", btnConfirm: "Confirm", btnSendCode: "Send code",
      btnReset: "Save new password", resend: "Send the code again", back: "Back",
      code: "Confirmation code", codeHint: "6 digits from the email.",
      codeSent: "A confirmation code has been sent to {dest}.",
      resetSent: "A code to change your password has been sent to {dest}.",
      codeResent: "A new code has been sent to {dest}.",
      confirmedSignin: "Your account is confirmed. Please sign in.",
      resetDone: "Your password has been changed. Please sign in.",
      unconfirmed: "Your account is not confirmed yet. Enter the code sent to your email.",
      sending: "Sending…", signingIn: "Signing in…",
      signedInAs: "Signed in as {user}", signedInWho: "Signed in as {user} · {who}", signedInEmail: "News of your application goes to {email}.",
      accountKind: "Account type", accountKindHint: "Who applies for services with this account.",
      accountKindPreset: "Chosen to match the service you are applying for.",
      kind_pencari_kerja: "Job seeker", kind_perusahaan: "Company (employer of foreign workers, TKA)",
      kind_sekolah: "School or university (BKK job placement office)", kind_p3mi: "Migrant worker placement agency (P3MI)",
      organisation: "Name of the organisation", organisationHint: "Company / school / P3MI name as on its licence",
      organisationShort: "The organisation's name needs at least 3 characters, as on its licence.",
      kindChoose: "Choose the account type.",
      wrongKind: "This service is filed with a {need} account. You are signed in with a {have} account. Sign out, then sign in or create a {need} account.",
      wrongKindServer: "This account cannot file this service; the office's answer: {message}",
      switchAccount: "Sign out and switch account", draftKept: "What you typed for this service stays saved on this phone.",
      accountEmail: "Email address for news of your application", accountEmailHint: "The office sends news and the result to this address.",
      sessionEnded: "Your session has ended. Please sign in again; what you typed is kept.",
      fieldRequired: "{label} is required.",
      passwordWeak: "The password needs at least 8 characters, with letters and digits.",
      passwordMismatch: "The two passwords are not the same.",
      emailBad: "This email address is not valid.",
      usernameBad: "The user ID may not contain spaces.",
      codeBad: "The confirmation code is the number from the email.",
      pageApply: "Apply for a service", loadingForm: "Loading the form…",
      catalogueFailed: "The form could not be loaded. Check your connection and try again.",
      noOffice: "Office \"{id}\" was not found. Scan the QR code at the counter again or choose a service from the list.",
      noService: "Service \"{id}\" was not found at {office}. Scan the QR code again or choose a service from the list.",
      noParams: "This page address is incomplete. Choose a service from the list of services.",
      stepAccount: "Account", stepForm: "Form", stepDocs: "Required documents", stepSend: "Send",
      fee: "Fee", duration: "Service time", applicant: "Applicant",
      requiredNote: "A * means the field is required.",
      uppercaseNote: "This form is filled in CAPITAL LETTERS; your letters are changed to capitals.",
      repeatNeedOne: "{title}: fill in at least one.",
      add: "+ Add", remove: "Remove", entry: "{title} {n}", emptyRepeat: "None yet. Leave empty if there is none.",
      choose: "Choose…", yearBad: "The year must be 4 digits.", dateBad: "This date is not valid.",
      numberBad: "{label} must be a number.", phoneBad: "{label} is not valid (e.g. 081234567890).",
      yearRange: "The year must be between 1940 and {max}.", dateImpossible: "{label} is impossible ({date}).",
      dateFuture: "{label} cannot be in the future ({date}).",
      validUntilPast: "{label} has passed ({date}); a document that is no longer valid cannot be accepted.",
      validUntilFar: "{label} is too far ahead ({date}): at most {years} years from today. Check the year.",
      choiceBad: "Choose one of the options for {label}.", nikCount: "{n}/16 digits",
      nikConfirm: "My NIK really is like this on my ID card (KTP)",
      nikConfirmNeeded: "Correct the entry, or tick the confirmation if your ID card really says so.",
      nikLength: "The NIK must be 16 digits, as on the ID card.",
      nikProvince: "The first two digits of the NIK are not a known province code. Check your NIK again.",
      nikZero: "The regency/city or district code in the NIK is not valid. Check your NIK again.",
      nikSerial: "The last four digits of the NIK cannot be 0000. Check your NIK again.",
      nikDate: "The birth date inside the NIK (digits 7 to 12) is impossible. Check your NIK again.",
      nikWarnDate: "The birth date in the NIK ({date}) differs from the birth date you entered. Check again; if your ID card really says so, tick the confirmation.",
      nikWarnSex: "According to the NIK you are {sex} (women have 40 added to the day in the NIK). Check again; if your ID card really says so, tick the confirmation.",
      female: "female", male: "male",
      docsIntro: "Take a photo with the phone's camera or choose a file. Photos are made smaller before sending.",
      docKinds: "Types: {kinds}", docMax: "At most {size}",
      choose_file: "Choose / photograph file", replaceFile: "Replace file",
      docRequired: "Required", docOptional: "Optional",
      uploaded: "Uploaded ✓", uploadedOn: "Uploaded ✓ ({kind})", notUploaded: "Not uploaded yet",
      preparing: "Preparing the file…", shrinking: "Making the photo smaller…", uploading: "Uploading… {pct}%",
      checking: "Checking the file…", uploadFailed: "The upload failed. Check the connection and press Try again.",
      uploadStalled: "The upload stopped (slow connection). Press Try again.",
      tooBig: "The file is too big ({size}). At most {max}.",
      badKind: "This file type is not accepted. Use {kinds}.",
      imageUnreadable: "This photo cannot be read on this phone. Take the photo again or choose another file.",
      docMissing: "This required document has not been uploaded.", waitUploads: "Wait until all uploads have finished.",
      savedLocal: "Saved on this phone ({time}).",
      btnSubmit: "Send application", submitting: "Sending the application…", creatingCase: "Preparing your application…",
      savingForm: "Saving the form…", checkForm: "Check the marked fields.",
      submitIntro: "Check your entries and documents again. Once sent, an officer examines your application.",
      alreadySent: "This application has already been sent.", seeStatus: "See the application status",
      otherErrors: "Also check:", signInFirst: "Sign in or create an account first to fill in the form.",
      resumeAfterSignin: "You are signed in again. Press Send again.",
      pageCases: "My applications", casesIntro: "Your applications, newest first.",
      draftsTitle: "Not sent yet (saved on this phone)", sentTitle: "Applications",
      signInToSee: "Sign in to see your applications.",
      noCases: "No applications yet.", openServices: "Choose a service",
      caseNumber: "Application number", created: "Created", updated: "Updated",
      refresh: "Reload", refreshedAt: "Updated at {time}.", caseLoading: "Loading the application…",
      caseNotFound: "Application not found.", caseFailed: "The application could not be loaded.",
      stepsTitle: "Service steps", stateDone: "Done", stateCurrent: "In progress", stateWaiting: "Waiting", stateReturned: "Returned to you",
      returnedTitle: "Returned for completion", returnedIntro: "The officer's note:",
      returnedDocs: "Upload these documents again:", editForm: "Change the form entries",
      btnResubmit: "Send again", resubmitting: "Sending again…", resubmitted: "The application has been sent again.",
      rejectedTitle: "Application rejected", expiredTitle: "Application expired",
      expiredText: "The returned application was not completed in time. Apply again if you still need it.",
      messagesTitle: "Messages from the office", productsTitle: "Result",
      download: "Download {name} (PDF)", preparingProduct: "{name} is being prepared.",
      downloadFailed: "The file could not be downloaded. Try again.", opening: "Opening…",
      draftCase: "This application has not been sent yet.", continueDraft: "Continue filling in",
      number: "Number", back2list: "← All my applications",
      pageVerify: "Check a document", verifying: "Checking the document…",
      valid: "VALID", expired: "EXPIRED", revoked: "REVOKED", notFound: "Not found",
      validText: "This document was issued by the office below and is still valid.",
      expiredTextV: "This document was issued, but its validity has ended.",
      revokedText: "This document has been revoked by the issuing office and is no longer valid.",
      notFoundText: "There is no document with this code. It may be forged; ask the manpower office named on it.",
      noId: "This address has no document code. Scan the QR code on the card or letter again.",
      verifyFailed: "The document cannot be checked now. Check the connection and try again.",
      vDocument: "Document", vNumber: "Number", vName: "Name", vOffice: "Issued by",
      vIssued: "Issued on", vValid: "Valid until", vNoLimit: "—",
      verifyNote: "The name is partly hidden to protect personal data. Compare it with the document you hold."
    }
  };

  /* ------------------------------------------------------ storage, never throws */
  L.store = {
    get: function (key) {
      try { var raw = window.localStorage.getItem(key); return raw ? JSON.parse(raw) : null; } catch (e) { return null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
    },
    remove: function (key) { try { window.localStorage.removeItem(key); } catch (e) { /* private mode */ } },
    keys: function () {
      var out = [];
      try { for (var i = 0; i < window.localStorage.length; i++) { out.push(window.localStorage.key(i)); } } catch (e) { /* none */ }
      return out;
    }
  };
  function rawLang() { try { return window.localStorage.getItem("loket.lang"); } catch (e) { return null; } }

  L.lang = rawLang() === "en" ? "en" : "id";
  var langListeners = [];
  L.t = function (key, vars) {
    var s = TEXT[L.lang][key];
    if (s === undefined) { s = TEXT.id[key]; }
    if (s === undefined) { s = key; }
    if (vars) { s = s.replace(/\{(\w+)\}/g, function (m, k) { return vars[k] === undefined ? m : String(vars[k]); }); }
    return s;
  };
  L.onLang = function (fn) { langListeners.push(fn); };
  L.applyText = function () {
    document.documentElement.lang = L.lang;
    var nodes = document.querySelectorAll("[data-i18n]");
    for (var i = 0; i < nodes.length; i++) { nodes[i].textContent = L.t(nodes[i].getAttribute("data-i18n")); }
    var titled = document.querySelector("title[data-i18n-title]");
    if (titled) { document.title = L.t(titled.getAttribute("data-i18n-title")) + " · Loket"; }
    var btn = document.getElementById("lang");
    if (btn) { btn.textContent = L.t("other"); }
    langListeners.forEach(function (fn) { fn(L.lang); });
  };

  /* ---------------------------------------------------------------- DOM helper */
  function append(node, children) {
    if (children === null || children === undefined || children === false) { return; }
    if (!Array.isArray(children)) { children = [children]; }
    children.forEach(function (c) {
      if (c === null || c === undefined || c === false) { return; }
      if (Array.isArray(c)) { append(node, c); return; }
      node.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
    });
  }
  /* el("input", {id: "x", type: "text", onclick: fn, hidden: true}, [children]) */
  L.el = function (tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) { return; }
        if (k === "text") { node.textContent = v; }
        else if (k.slice(0, 2) === "on" && typeof v === "function") { node.addEventListener(k.slice(2), v); }
        else if (v === true) { node.setAttribute(k, ""); }
        else { node.setAttribute(k, v); }
      });
    }
    append(node, children);
    return node;
  };
  L.append = append;
  L.clear = function (node) { while (node.firstChild) { node.removeChild(node.firstChild); } return node; };
  L.param = function (name) {
    var m = new RegExp("[?&]" + name + "=([^&#]*)").exec(window.location.search);
    if (!m) { return ""; }
    try { return decodeURIComponent(m[1].replace(/\+/g, " ")).trim(); } catch (e) { return ""; }
  };
  L.uuid = function () {
    if (window.crypto && typeof window.crypto.randomUUID === "function") { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) { window.crypto.getRandomValues(bytes); }
    else { for (var i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); } }
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  };
  function decimal(n, digits) {
    var s = n.toFixed(digits);
    return L.lang === "id" ? s.replace(".", ",") : s;
  }
  /* 7549747 -> "7,2 MB"; 2 (MB) limit -> "2 MB" */
  L.formatBytes = function (bytes) {
    if (bytes >= 1048576) { return decimal(bytes / 1048576, 1).replace(/[.,]0$/, "") + " MB"; }
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  };
  L.formatMB = function (mb) { return (mb % 1 === 0 ? String(mb) : decimal(mb, 1)) + " MB"; };
  /* ["jpeg","png","pdf"] -> "JPEG, PNG atau PDF" */
  L.kindList = function (kinds) {
    var names = kinds.map(function (k) { return k.toUpperCase(); });
    if (names.length < 2) { return names.join(""); }
    return names.slice(0, -1).join(", ") + (L.lang === "id" ? " atau " : " or ") + names[names.length - 1];
  };
  var MONTHS = {
    id: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"],
    en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
  };
  /* "2025-01-15" or an ISO timestamp -> "15 Januari 2025" (+ " 14.05" with time) */
  L.formatDate = function (value, withTime) {
    if (!value) { return ""; }
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    var d = m ? new Date(+m[1], +m[2] - 1, +m[3]) : new Date(value);
    if (isNaN(d.getTime())) { return String(value); }
    var s = d.getDate() + " " + MONTHS[L.lang][d.getMonth()] + " " + d.getFullYear();
    if (withTime && !m) { s += ", " + L.formatTime(d); }
    return s;
  };
  L.formatTime = function (d) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(d.getHours()) + (L.lang === "id" ? "." : ":") + two(d.getMinutes());
  };

  /* The claims of a JWT, for display only (the server checks the signature). */
  L.claims = function (token) {
    try {
      var part = String(token || "").split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      while (part.length % 4) { part += "="; }
      var bin = atob(part), bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
      return JSON.parse(typeof TextDecoder === "function" ? new TextDecoder().decode(bytes) : bin) || {};
    } catch (e) { return {}; }
  };

  /* ---------------------------------------------------------------- session */
  var SESSION_KEY = "loket.session";
  var sessionListeners = [];
  L.session = {
    get: function () { return L.store.get(SESSION_KEY); },
    signedIn: function () { var s = L.store.get(SESSION_KEY); return !!(s && s.id_token); },
    start: function (answer) {
      var before = L.store.get(SESSION_KEY) || {};
      var s = {
        id_token: answer.id_token, refresh_token: answer.refresh_token,
        expires_at: Date.now() + (Number(answer.expires_in) || 3600) * 1000,
        username: answer.username, email: answer.email || (before.username === answer.username ? before.email || "" : ""),
        kind: answer.kind || "", organisation: answer.organisation || ""
      };
      if (!s.kind || !s.organisation) {
        var claims = L.claims(answer.id_token);
        s.kind = s.kind || claims["custom:kind"] || "pencari_kerja";
        s.organisation = s.organisation || claims["custom:organisation"] || "";
      }
      L.store.set(SESSION_KEY, s);
      sessionListeners.forEach(function (fn) { fn(s); });
      return s;
    },
    /* Keep the user id (to prefill the sign-in box) but drop the tokens. */
    end: function (forget) {
      var s = L.store.get(SESSION_KEY);
      if (forget || !s) { L.store.remove(SESSION_KEY); }
      else { L.store.set(SESSION_KEY, { username: s.username, email: s.email }); }
      sessionListeners.forEach(function (fn) { fn(null); });
    },
    onChange: function (fn) { sessionListeners.push(fn); },
    /* The account's kind (pencari_kerja, perusahaan, sekolah, p3mi): from the sign-in answer, or
     * for a session kept from before kinds existed, from the id token (else a job seeker). */
    kind: function (s) {
      s = s || L.store.get(SESSION_KEY);
      if (!s) { return ""; }
      return s.kind || L.claims(s.id_token)["custom:kind"] || "pencari_kerja";
    },
    /* "Masuk sebagai siti_rahayu · Pencari kerja" / "Masuk sebagai agen1 · PT MAJU JAYA". */
    who: function (s) {
      s = s || L.store.get(SESSION_KEY);
      if (!s) { return ""; }
      var org = s.organisation || L.claims(s.id_token)["custom:organisation"] || "";
      return L.t("signedInWho", { user: s.username, who: org || L.kindLabel(L.session.kind(s)) });
    },
    setEmail: function (email) {
      var s = L.store.get(SESSION_KEY);
      if (s) { s.email = email; L.store.set(SESSION_KEY, s); }
    }
  };

  /* ---------------------------------------------------------------- account kinds */
  L.KINDS = ["pencari_kerja", "perusahaan", "sekolah", "p3mi"];
  L.kindLabel = function (kind) { return L.KINDS.indexOf(kind) >= 0 ? L.t("kind_" + kind) : String(kind || ""); };

  /* ---------------------------------------------------------------- offline banner */
  var banner = null;
  function bannerNode() {
    if (!banner) {
      banner = document.getElementById("offline");
      if (!banner) {
        banner = L.el("div", { id: "offline", "class": "banner offline", role: "status", hidden: true });
        var header = document.querySelector("header.top");
        if (header && header.parentNode) { header.parentNode.insertBefore(banner, header.nextSibling); }
        else { document.body.insertBefore(banner, document.body.firstChild); }
      }
    }
    return banner;
  }
  var onlineListeners = [];
  L.offline = {
    messageKey: "offlineShort",
    show: function () { var b = bannerNode(); b.textContent = L.t(L.offline.messageKey); b.hidden = false; },
    hide: function () { if (banner) { banner.hidden = true; } },
    onBack: function (fn) { onlineListeners.push(fn); }
  };
  window.addEventListener("offline", function () { L.offline.show(); });
  window.addEventListener("online", function () {
    L.offline.hide();
    onlineListeners.forEach(function (fn) { fn(); });
  });
  L.onLang(function () { if (banner && !banner.hidden) { banner.textContent = L.t(L.offline.messageKey); } });

  /* ---------------------------------------------------------------- api() */
  function ApiError(status, message, body) {
    var err = new Error(message);
    err.status = status;
    err.body = body || {};
    var e = (body && body.error) || {};
    err.field = e.field || null;
    err.code = e.code || null;
    err.errors = (body && body.errors) || {};
    err.warnings = (body && body.warnings) || [];
    err.offline = status === 0;
    return err;
  }
  L.ApiError = ApiError;

  /* One HTTP exchange: resolves {status, ok, body}; rejects only when nothing came back. */
  function exchange(method, path, body, headers, timeoutMs) {
    var h = { Accept: "application/json" };
    Object.keys(headers || {}).forEach(function (k) { h[k] = headers[k]; });
    var init = { method: method, headers: h, cache: "no-store" };
    if (body !== undefined && body !== null) { h["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = null, timedOut = false;
    if (controller) {
      init.signal = controller.signal;
      timer = setTimeout(function () { timedOut = true; controller.abort(); }, timeoutMs || 30000);
    }
    return fetch(L.apiUrl + path, init).then(function (res) {
      return res.text().then(function (text) {
        if (timer) { clearTimeout(timer); }
        var parsed = {};
        try { parsed = text ? JSON.parse(text) : {}; } catch (e) { parsed = {}; }
        L.offline.hide();
        return { status: res.status, ok: res.ok, body: parsed };
      });
    }, function () {
      if (timer) { clearTimeout(timer); }
      if (!timedOut) { L.offline.show(); }
      throw ApiError(0, L.t(timedOut ? "timeout" : "offlineShort"));
    });
  }
  function failure(res) {
    var msg = res.body && res.body.error && res.body.error.message;
    if (!msg) { msg = res.status >= 500 ? L.t("serverError") : L.t("serverError") + " (" + res.status + ")"; }
    return ApiError(res.status, msg, res.body);
  }

  var refreshing = null;
  var authLostListeners = [];
  L.onAuthLost = function (fn) { authLostListeners.push(fn); };
  function authLost() {
    L.session.end(false);
    authLostListeners.forEach(function (fn) { fn(); });
  }
  /* Trade the refresh token for a new id token, once at a time. Rejects with status 401 when the
   * server refused it (sign in again), status 0 when offline (keep the session). */
  L.refresh = function () {
    if (refreshing) { return refreshing; }
    var s = L.session.get();
    if (!s || !s.refresh_token) { return Promise.reject(ApiError(401, L.t("sessionEnded"))); }
    refreshing = exchange("POST", "/api/account/refresh", { refresh_token: s.refresh_token }, {}, 30000)
      .then(function (res) {
        if (!res.ok) {
          if (res.status >= 500) { throw failure(res); }
          throw ApiError(401, L.t("sessionEnded"), res.body);
        }
        var cur = L.session.get() || s;
        cur.id_token = res.body.id_token;
        cur.expires_at = Date.now() + (Number(res.body.expires_in) || 3600) * 1000;
        if (res.body.refresh_token) { cur.refresh_token = res.body.refresh_token; }
        L.store.set(SESSION_KEY, cur);
        return cur;
      });
    refreshing.then(clearRefreshing, clearRefreshing);
    return refreshing;
  };
  function clearRefreshing() { refreshing = null; }

  /* api("GET", "/api/cases") -> Promise of the JSON body; rejects with an ApiError
   * (status 0 = no connection). Signed-in calls carry the bearer token and try one refresh on 401. */
  L.api = function (method, path, body, opts) {
    opts = opts || {};
    var auth = opts.auth !== false;
    var ready = Promise.resolve();
    var s = auth ? L.session.get() : null;
    if (auth && (!s || !s.id_token)) {
      authLost();
      return Promise.reject(ApiError(401, L.t("sessionEnded")));
    }
    if (s && s.expires_at && s.expires_at - 60000 < Date.now()) {
      ready = L.refresh().then(null, function (err) { if (err.status === 401) { authLost(); throw err; } });
    }
    function send(retried) {
      var headers = {};
      Object.keys(opts.headers || {}).forEach(function (k) { headers[k] = opts.headers[k]; });
      if (auth) {
        var cur = L.session.get();
        if (!cur || !cur.id_token) { authLost(); throw ApiError(401, L.t("sessionEnded")); }
        headers.Authorization = "Bearer " + cur.id_token;
      }
      return exchange(method, path, body, headers, opts.timeout).then(function (res) {
        if (res.status === 401 && auth) {
          if (retried) { authLost(); throw failure(res); }
          return L.refresh().then(function () { return send(true); }, function (err) {
            if (err.status === 401) { authLost(); }
            throw err;
          });
        }
        if (!res.ok) { throw failure(res); }
        if (opts.withStatus) { return { status: res.status, body: res.body }; }
        return res.body;
      });
    }
    return ready.then(function () { return send(false); });
  };

  /* The catalogue, kept on the phone so a page reloaded without a connection still opens: a copy
   * younger than an hour is used at once (and refreshed in the background), an older one only
   * when the network fails. */
  L.offices = function () {
    var cached = L.store.get("loket.offices");
    var fresh = L.api("GET", "/api/offices", null, { auth: false, timeout: 45000 }).then(function (body) {
      L.store.set("loket.offices", { at: Date.now(), offices: body.offices || [] });
      return body.offices || [];
    });
    if (cached && cached.offices && cached.offices.length) {
      if (Date.now() - (cached.at || 0) < 3600000) { fresh.then(null, function () { /* keep the copy */ }); return Promise.resolve(cached.offices); }
      return fresh.then(null, function () { return cached.offices; });
    }
    return fresh;
  };
  L.findService = function (offices, officeId, serviceId) {
    var office = null, service = null;
    (offices || []).forEach(function (o) { if (o.id === officeId) { office = o; } });
    if (office) { (office.services || []).forEach(function (s) { if (s.id === serviceId) { service = s; } }); }
    return { office: office, service: service };
  };

  /* "loket.cases": the case ids this phone has sent (the server's list is the truth). */
  L.rememberCase = function (caseId) {
    var list = L.store.get("loket.cases") || [];
    if (list.indexOf(caseId) < 0) { list.unshift(caseId); }
    L.store.set("loket.cases", list.slice(0, 50));
  };

  /* ---------------------------------------------------------------- sign out */
  /* Forget the session and this person's drafts (a phone may be shared), asking first when
   * something typed was not sent, then reload. keepDraft: the key of one draft to keep for the
   * next account that signs in on this phone (switching to the account kind a service needs). */
  L.signOut = function (keepDraft) {
    var s = L.session.get() || {};
    var drafts = L.store.keys().filter(function (k) {
      if (k.indexOf("loket.draft.") !== 0 || k === keepDraft) { return false; }
      var d = L.store.get(k);
      return d && (!d.owner || d.owner === s.username);
    });
    var unsent = drafts.some(function (k) { var d = L.store.get(k); return d && d.touched; });
    if (unsent && !window.confirm(L.t("signOutConfirm"))) { return false; }
    drafts.forEach(function (k) { L.store.remove(k); });
    var kept = keepDraft ? L.store.get(keepDraft) : null;
    if (kept && (!kept.owner || kept.owner === s.username)) {
      /* Nothing was created on the server for it (the server refused this account), so the next
       * account starts its own case from the same typing. */
      kept.owner = null; kept.case_id = null; kept.docs = {}; kept.idem = L.uuid();
      L.store.set(keepDraft, kept);
    }
    L.store.remove("loket.cases");
    L.session.end(true);
    window.location.reload();
    return true;
  };

  /* ---------------------------------------------------------------- header */
  L.initChrome = function () {
    var btn = document.getElementById("lang");
    if (btn) {
      btn.addEventListener("click", function () {
        L.lang = L.lang === "id" ? "en" : "id";
        try { window.localStorage.setItem("loket.lang", L.lang); } catch (e) { /* private mode */ }
        L.applyText();
      });
    }
    var out = document.getElementById("signout");
    var who = document.getElementById("who");
    function show() {
      if (out) { out.hidden = !L.session.signedIn(); }
      if (who) { who.hidden = !L.session.signedIn(); who.textContent = L.session.signedIn() ? L.session.who() : ""; }
    }
    if (out) {
      out.addEventListener("click", function (ev) {
        ev.preventDefault();
        L.signOut();
      });
    }
    L.session.onChange(show);
    L.onLang(show);
    show();
    if (navigator.onLine === false) { L.offline.show(); }
    L.applyText();
  };

  /* ---------------------------------------------------------------- form bits */
  var fieldSeq = 0;
  /* A labelled input with a hint and an error line: {wrap, input, error, setError(msg)}. */
  L.field = function (opts) {
    var id = opts.id || ("f" + (++fieldSeq));
    var errId = id + "-err", hintId = id + "-hint";
    var input = L.el(opts.tag || "input", Object.assign({
      id: id, name: opts.name || id, "class": "input", "aria-describedby": (opts.hint ? hintId + " " : "") + errId
    }, opts.attrs || {}));
    var label = L.el("label", { "for": id }, [opts.label, opts.required ? L.el("span", { "class": "req", "aria-hidden": "true", text: " *" }) : null]);
    var error = L.el("p", { id: errId, "class": "err", "aria-live": "polite" });
    var wrap = L.el("div", { "class": "field", "data-field": opts.field || opts.name || id }, [
      label, opts.hint ? L.el("p", { id: hintId, "class": "hint", text: opts.hint }) : null, input, error
    ]);
    function setError(msg) {
      error.textContent = msg || "";
      if (msg) { input.setAttribute("aria-invalid", "true"); wrap.classList.add("has-err"); }
      else { input.removeAttribute("aria-invalid"); wrap.classList.remove("has-err"); }
    }
    return { wrap: wrap, input: input, error: error, label: label, setError: setError };
  };
  /* Put focus on an element (and scroll it into view) after errors are shown. */
  L.focus = function (node) {
    if (!node) { return; }
    try { node.focus({ preventScroll: true }); } catch (e) { node.focus(); }
    if (node.scrollIntoView) { node.scrollIntoView({ block: "center", behavior: "smooth" }); }
  };
  L.busy = function (button, on, text) {
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
  };

  /* ---------------------------------------------------------------- account box */
  /* Sign in / create account / forgot password in one box. opts.onSignedIn(session) runs after a
   * successful sign-in (also the automatic one after confirming or resetting). */
  L.authBox = function (root, opts) {
    var el = L.el, t = L.t;
    var remembered = { username: "", password: "", email: "", kind: L.KINDS.indexOf(opts.kind) >= 0 ? opts.kind : "pencari_kerja", organisation: "" };
    var panel = "signin";
    var notice = null;          // {kind, key, vars} shown above the panel
    L.clear(root);
    root.classList.add("auth");

    function setNotice(kind, key, vars) { notice = key ? { kind: kind, key: key, vars: vars } : null; }
    function noticeNode() {
      if (!notice) { return el("p", { "class": "auth-notice", role: "status", "aria-live": "polite" }); }
      return el("p", { "class": "auth-notice " + notice.kind, role: notice.kind === "error" ? "alert" : "status", "aria-live": "polite",
                        text: t(notice.key, notice.vars) });
    }
    function pwField(id, labelKey, autocomplete, hintKey) {
      var f = L.field({ id: id, name: id, field: "password", label: t(labelKey), required: true,
                        hint: hintKey ? t(hintKey) : null,
                        attrs: { type: "password", autocomplete: autocomplete, autocapitalize: "none", spellcheck: "false" } });
      return f;
    }
    function userField(id, value) {
      return L.field({ id: id, name: "username", field: "username", label: t("username"), required: true,
                       attrs: { type: "text", autocomplete: "username", autocapitalize: "none", spellcheck: "false",
                                autocorrect: "off", value: value || "" } });
    }
    function showPw(fields) {
      var id = "show-" + fields[0].input.id;
      var box = el("input", { type: "checkbox", id: id, onchange: function () {
        fields.forEach(function (f) { f.input.type = box.checked ? "text" : "password"; });
      } });
      return el("div", { "class": "check small" }, [box, el("label", { "for": id, text: t("showPassword") })]);
    }
    /* Show the API's error next to the field it names, else above the buttons. */
    function showApiError(err, fields, general) {
      var target = null;
      fields.forEach(function (f) { f.setError(""); });
      if (err.field) { fields.forEach(function (f) { if (!target && f.wrap.getAttribute("data-field") === err.field) { target = f; } }); }
      if (target) { target.setError(err.message); general.textContent = ""; L.focus(target.input); }
      else { general.textContent = err.message; general.focus(); }
    }
    function required(fields) {
      var first = null;
      fields.forEach(function (f) {
        var v = f.input.value.trim();
        if (!v) { f.setError(t("fieldRequired", { label: f.label.firstChild.textContent })); first = first || f; }
        else { f.setError(""); }
      });
      if (first) { L.focus(first.input); }
      return !first;
    }
    function passwordOk(f, f2) {
      var v = f.input.value;
      if (v.length < 8 || !/[^\d\s]/.test(v) || !/\d/.test(v)) { f.setError(t("passwordWeak")); L.focus(f.input); return false; }
      if (f2 && f2.input.value !== v) { f2.setError(t("passwordMismatch")); L.focus(f2.input); return false; }
      return true;
    }
    function generalLine() { return el("p", { "class": "err general", role: "alert", tabindex: "-1" }); }
    function doSignin(username, password, button, general, fields) {
      L.busy(button, true, t("signingIn"));
      return L.api("POST", "/api/account/signin", { username: username, password: password }, { auth: false })
        .then(function (answer) {
          remembered.password = "";
          var claims = L.claims(answer.id_token);
          if (!answer.username) { answer.username = claims["cognito:username"] || username.toLowerCase(); }
          if (!answer.email) { answer.email = claims.email || (remembered.username === answer.username ? remembered.email : "") || ""; }
          var s = L.session.start(answer);
          if (opts.onSignedIn) { opts.onSignedIn(s); }
        }, function (err) {
          L.busy(button, false);
          if (err.status === 403 && (err.code === "unconfirmed" || /konfirmasi/i.test(err.message))) {
            remembered.username = username; remembered.password = password;
            setNotice("info", "unconfirmed");
            panel = "confirm"; render();
            return;
          }
          showApiError(err, fields, general);
        });
    }

    function signinPanel() {
      var s = L.session.get() || {};
      var u = userField("signin-username", remembered.username || s.username);
      var p = pwField("signin-password", "password", "current-password");
      var general = generalLine();
      var btn = el("button", { type: "submit", id: "btn-signin", "class": "btn primary", text: t("btnSignin") });
      return el("form", { "class": "auth-panel", novalidate: true, onsubmit: function (ev) {
        ev.preventDefault();
        if (btn.disabled || !required([u, p])) { return; }
        var name = u.input.value.trim();
        doSignin(name, p.input.value, btn, general, [u, p]);
      } }, [u.wrap, p.wrap, showPw([p]), general, btn]);
    }
    /* "Jenis akun": one radio per kind, preselected from the service being applied for. */
    function kindField() {
      var errId = "signup-kind-err", hintId = "signup-kind-hint";
      var radios = L.KINDS.map(function (k) {
        return el("input", { type: "radio", name: "kind", id: "signup-kind-" + k, value: k, "aria-describedby": hintId + " " + errId });
      });
      radios.forEach(function (r) { r.checked = r.value === remembered.kind; });
      var error = el("p", { id: errId, "class": "err", "aria-live": "polite" });
      var legend = el("legend", {}, [t("accountKind"), el("span", { "class": "req", "aria-hidden": "true", text: " *" })]);
      var wrap = el("fieldset", { "class": "field radios", id: "signup-kind", "data-field": "kind" }, [
        legend,
        el("p", { "class": "hint", id: hintId, text: t(opts.kind ? "accountKindPreset" : "accountKindHint") }),
        el("div", { "class": "choices stack" }, radios.map(function (r) {
          return el("label", { "class": "choice", "for": r.id }, [r, el("span", { text: L.kindLabel(r.value) })]);
        })),
        error
      ]);
      return {
        wrap: wrap, label: legend, error: error, radios: radios,
        input: radios.filter(function (r) { return r.checked; })[0] || radios[0],
        value: function () { var v = ""; radios.forEach(function (r) { if (r.checked) { v = r.value; } }); return v; },
        setError: function (msg) {
          error.textContent = msg || "";
          wrap.classList.toggle("has-err", !!msg);
          radios.forEach(function (r) { if (msg) { r.setAttribute("aria-invalid", "true"); } else { r.removeAttribute("aria-invalid"); } });
        }
      };
    }
    function signupPanel() {
      var k = kindField();
      var o = L.field({ id: "signup-organisation", name: "organisation", field: "organisation", label: t("organisation"), required: true,
                        hint: t("organisationHint"),
                        attrs: { type: "text", "class": "input caps", autocomplete: "organization", autocapitalize: "characters",
                                 maxlength: "150", value: remembered.organisation } });
      function showOrg() {
        var v = k.value();
        o.wrap.hidden = v === "pencari_kerja";
        if (o.wrap.hidden) { o.setError(""); }
      }
      k.radios.forEach(function (r) {
        r.addEventListener("change", function () { remembered.kind = k.value(); k.input = r; k.setError(""); showOrg(); });
      });
      o.input.addEventListener("input", function () { remembered.organisation = o.input.value; });
      showOrg();
      var u = userField("signup-username", remembered.username);
      u.input.setAttribute("autocomplete", "username");
      var hint = el("p", { "class": "hint", text: t("usernameHint") });
      u.wrap.insertBefore(hint, u.input);
      var e = L.field({ id: "signup-email", name: "email", field: "email", label: t("email"), required: true, hint: t("emailHint"),
                        attrs: { type: "email", autocomplete: "email", autocapitalize: "none", spellcheck: "false", inputmode: "email" } });
      var p = pwField("signup-password", "password", "new-password", "passwordHint");
      var p2 = pwField("signup-password2", "password2", "new-password");
      p2.wrap.setAttribute("data-field", "password2");
      var general = generalLine();
      var btn = el("button", { type: "submit", id: "btn-signup", "class": "btn primary", text: t("btnSignup") });
      return el("form", { "class": "auth-panel", novalidate: true, onsubmit: function (ev) {
        ev.preventDefault();
        if (btn.disabled) { return; }
        var kind = k.value(), org = o.input.value.replace(/\s+/g, " ").trim();
        if (!kind) { k.setError(t("kindChoose")); L.focus(k.radios[0]); return; }
        k.setError("");
        var fields = kind === "pencari_kerja" ? [u, e, p, p2] : [o, u, e, p, p2];
        if (!required(fields)) { return; }
        if (kind !== "pencari_kerja" && org.length < 3) { o.setError(t("organisationShort")); L.focus(o.input); return; }
        var name = u.input.value.trim();
        if (/\s/.test(name)) { u.setError(t("usernameBad")); L.focus(u.input); return; }
        if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e.input.value.trim())) { e.setError(t("emailBad")); L.focus(e.input); return; }
        if (!passwordOk(p, p2)) { return; }
        L.busy(btn, true, t("sending"));
        L.api("POST", "/api/account/signup", { username: name, password: p.input.value, email: e.input.value.trim(),
                                                kind: kind, organisation: kind === "pencari_kerja" ? "" : org }, { auth: false })
          .then(function (answer) {
            remembered.username = answer.username || name;
            remembered.password = p.input.value;
            remembered.email = e.input.value.trim().toLowerCase();
            setNotice("ok", "codeSent", { dest: answer.destination || e.input.value.trim() });
            panel = "confirm"; render();
          }, function (err) { L.busy(btn, false); showApiError(err, [k, o, u, e, p, p2], general); });
      } }, [k.wrap, o.wrap, u.wrap, e.wrap, p.wrap, p2.wrap, showPw([p, p2]), general, btn]);
    }
    function confirmPanel() {
      var u = userField("confirm-username", remembered.username);
      var c = L.field({ id: "confirm-code", name: "code", field: "code", label: t("code"), required: true, hint: t("codeHint"),
                        attrs: { type: "text", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "10" } });
      var general = generalLine();
      var btn = el("button", { type: "submit", id: "btn-confirm", "class": "btn primary", text: t("btnConfirm") });
      var resend = el("button", { type: "button", id: "btn-resend", "class": "link", text: t("resend"), onclick: function () {
        if (resend.disabled) { return; }
        var name = u.input.value.trim();
        if (!required([u])) { return; }
        resend.disabled = true;
        L.api("POST", "/api/account/resend", { username: name }, { auth: false }).then(function (answer) {
          resend.disabled = false;
          setNotice("ok", "codeResent", { dest: answer.destination || "" });
          remembered.username = name;
          var n = root.querySelector(".auth-notice"); n.parentNode.replaceChild(noticeNode(), n);
        }, function (err) { resend.disabled = false; showApiError(err, [u, c], general); });
      } });
      var back = el("button", { type: "button", "class": "link", text: t("back"), onclick: function () { setNotice(); panel = "signin"; render(); } });
      var form = el("form", { "class": "auth-panel", novalidate: true, onsubmit: function (ev) {
        ev.preventDefault();
        if (btn.disabled || !required([u, c])) { return; }
        var name = u.input.value.trim(), code = c.input.value.replace(/\s/g, "");
        L.busy(btn, true, t("sending"));
        L.api("POST", "/api/account/confirm", { username: name, code: code }, { auth: false }).then(function () {
          if (remembered.password && remembered.username === name) {
            doSignin(name, remembered.password, btn, general, [u, c]);
          } else {
            remembered.username = name;
            setNotice("ok", "confirmedSignin"); panel = "signin"; render();
          }
        }, function (err) { L.busy(btn, false); showApiError(err, [u, c], general); });
      } }, [remembered.username ? null : u.wrap, c.wrap, general, btn, el("p", { "class": "links" }, [resend, back])]);
      if (remembered.username) { form.appendChild(el("input", { type: "hidden", name: "username", value: remembered.username })); }
      return form;
    }
    function forgotPanel() {
      var s = L.session.get() || {};
      var u = userField("forgot-username", remembered.username || s.username);
      var general = generalLine();
      var btn = el("button", { type: "submit", id: "btn-forgot", "class": "btn primary", text: t("btnSendCode") });
      return el("form", { "class": "auth-panel", novalidate: true, onsubmit: function (ev) {
        ev.preventDefault();
        if (btn.disabled || !required([u])) { return; }
        var name = u.input.value.trim();
        L.busy(btn, true, t("sending"));
        L.api("POST", "/api/account/forgot", { username: name }, { auth: false }).then(function (answer) {
          remembered.username = name;
          setNotice("ok", "resetSent", { dest: answer.destination || "" });
          panel = "reset"; render();
        }, function (err) { L.busy(btn, false); showApiError(err, [u], general); });
      } }, [u.wrap, general, btn]);
    }
    function resetPanel() {
      var c = L.field({ id: "reset-code", name: "code", field: "code", label: t("code"), required: true, hint: t("codeHint"),
                        attrs: { type: "text", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "10" } });
      var p = pwField("reset-password", "newPassword", "new-password", "passwordHint");
      var p2 = pwField("reset-password2", "password2", "new-password");
      p2.wrap.setAttribute("data-field", "password2");
      var general = generalLine();
      var btn = el("button", { type: "submit", id: "btn-reset", "class": "btn primary", text: t("btnReset") });
      var resend = el("button", { type: "button", id: "btn-resend-reset", "class": "link", text: t("resend"), onclick: function () {
        if (resend.disabled) { return; }
        resend.disabled = true;
        L.api("POST", "/api/account/forgot", { username: remembered.username }, { auth: false }).then(function (answer) {
          resend.disabled = false;
          setNotice("ok", "codeResent", { dest: answer.destination || "" });
          var n = root.querySelector(".auth-notice"); n.parentNode.replaceChild(noticeNode(), n);
        }, function (err) { resend.disabled = false; showApiError(err, [c], general); });
      } });
      var back = el("button", { type: "button", "class": "link", text: t("back"), onclick: function () { setNotice(); panel = "forgot"; render(); } });
      return el("form", { "class": "auth-panel", novalidate: true, onsubmit: function (ev) {
        ev.preventDefault();
        if (btn.disabled || !required([c, p, p2]) || !passwordOk(p, p2)) { return; }
        var pw = p.input.value;
        L.busy(btn, true, t("sending"));
        L.api("POST", "/api/account/reset", { username: remembered.username, code: c.input.value.replace(/\s/g, ""), password: pw }, { auth: false })
          .then(function () { doSignin(remembered.username, pw, btn, general, [c, p, p2]); },
                function (err) { L.busy(btn, false); showApiError(err, [c, p, p2], general); });
      } }, [el("input", { type: "hidden", name: "username", value: remembered.username }), c.wrap, p.wrap, p2.wrap, showPw([p, p2]), general, btn,
            el("p", { "class": "links" }, [resend, back])]);
    }

    function tab(id, key) {
      var active = panel === id || (id === "signup" && panel === "confirm") || (id === "forgot" && panel === "reset");
      return el("button", { type: "button", role: "tab", id: "tab-" + id, "class": "tab" + (active ? " active" : ""),
                            "aria-selected": active ? "true" : "false", text: t(key),
                            onclick: function () { if (!active) { setNotice(); panel = id; render(true); } } });
    }
    function render(focusPanel) {
      var keep = {};
      if (focusPanel === false) {
        Array.prototype.forEach.call(root.querySelectorAll("input[id]"), function (i) { keep[i.id] = i.type === "checkbox" || i.type === "radio" ? i.checked : i.value; });
      }
      L.clear(root);
      var body = { signin: signinPanel, signup: signupPanel, confirm: confirmPanel, forgot: forgotPanel, reset: resetPanel }[panel]();
      body.setAttribute("role", "tabpanel");
      root.appendChild(el("div", { "class": "tabs", role: "tablist" }, [tab("signin", "tabSignin"), tab("signup", "tabSignup"), tab("forgot", "tabForgot")]));
      root.appendChild(noticeNode());
      root.appendChild(body);
      Object.keys(keep).forEach(function (id) {
        var i = document.getElementById(id);
        if (!i) { return; }
        if (i.type === "checkbox" || i.type === "radio") { i.checked = keep[id]; if (keep[id]) { i.dispatchEvent(new Event("change")); } } else { i.value = keep[id]; }
      });
      if (focusPanel || panel === "confirm" || panel === "reset") {
        var first = body.querySelector("input:not([type=hidden])");
        if (first && focusPanel !== false) { try { first.focus({ preventScroll: !focusPanel }); } catch (e) { first.focus(); } }
      }
    }
    L.onLang(function () { if (root.isConnected !== false && root.firstChild) { render(false); } });
    return {
      show: function (noticeKey) { setNotice(noticeKey ? "error" : null, noticeKey); panel = "signin"; render(false); },
      render: render
    };
  };
})();
