"""The letters of the offices' services: what each letter says, in the office's formal Indonesian.

Each renderer is registered for its product id (the product's `key` in the SOP) and reads the
applicant's form (`requirements.form` of the SOP) and what staff recorded at their steps from the
`Facts`, and returns a `Plan` that `letters/frame.py` draws in the office's frame. A value the
applicant or staff left out is printed as "-", never guessed. No reportlab at import.
"""

from __future__ import annotations

from datetime import date

from chalicelib.documents.letters.plan import MM, Block, Items, Para, Party, Plan, Rows
from chalicelib.documents.registry import Numbering, renderers
from chalicelib.documents.values import Facts
from chalicelib.documents.words import clean_label, hari, rupiah, tanggal, terbilang

UU_PMI = "Undang-Undang Nomor 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia"
CLOSING = "Demikian {what} ini dibuat untuk dapat dipergunakan sebagaimana mestinya."


def _company(f: Facts) -> list[tuple[str, str]]:
    rows = [
        ("Nama Perusahaan", f.get("perusahaan", "nama_perusahaan")),
        ("Nomor Induk Berusaha (NIB)", f.get("perusahaan", "nib")),
        ("NPWP", f.get("perusahaan", "npwp")),
        ("Alamat", f.get("perusahaan", "alamat")),
    ]
    if f.raw("perusahaan", "bidang_usaha"):
        rows.append(("Bidang Usaha", f.get("perusahaan", "bidang_usaha")))
    contact = f.get("perusahaan", "nama_kontak")
    if f.raw("perusahaan", "jabatan_kontak"):
        contact = f"{contact} ({f.get('perusahaan', 'jabatan_kontak')})"
    rows.append(("Penanggung Jawab", contact))
    return rows


def _numbered_on(f: Facts, section: str, number: str, day: str | None, until: str | None = None) -> str:
    """'Nomor X tanggal 1 Mei 2026', then ', berlaku sampai 1 Mei 2028' when `until` is known."""
    parts = []
    if f.raw(section, number):
        parts.append(f"Nomor {f.get(section, number)}")
    if day and f.raw(section, day):
        parts.append(f"tanggal {f.get(section, day)}")
    text = " ".join(parts)
    if until and f.raw(section, until):
        text = ", ".join(x for x in (text, f"berlaku sampai {f.get(section, until)}") if x)
    return text or "-"


@renderers.letter("surat_keterangan_keberadaan_tka")
def keberadaan_tka(f: Facts) -> Plan:
    """Surat Keterangan Laporan Keberadaan TKA (Pasuruan, signed by the Kepala Dinas)."""
    tka = [
        ("Nama", f.get("tka", "nama_tka")),
        ("Kewarganegaraan", f.get("tka", "kewarganegaraan")),
        ("Jenis Kelamin", f.get("tka", "jenis_kelamin")),
        ("Tempat, Tanggal Lahir", f.born("tka")),
        ("Nomor Paspor", f.get("tka", "nomor_paspor")),
        ("Jabatan", f.get("tka", "jabatan")),
        ("Lokasi Kerja", f.get("tka", "lokasi_kerja")),
        ("Pengesahan RPTKA", _numbered_on(f, "izin", "nomor_rptka", "tanggal_rptka", "rptka_berlaku_sampai")),
        (
            "Notifikasi",
            _numbered_on(f, "izin", "nomor_notifikasi", "tanggal_notifikasi", "notifikasi_berlaku_sampai"),
        ),
        ("KITAS", _numbered_on(f, "izin", "nomor_kitas", "tanggal_kitas", "kitas_berlaku_sampai")),
    ]
    companions = [
        " – ".join(x for x in (str(e.get("nama") or ""), str(e.get("jabatan") or "")) if x)
        for e in f.entries("pendamping")
    ]
    request = _numbered_on(f, "surat_permohonan", "nomor_surat", "tanggal_surat")
    blocks: list[Block] = [
        Para(f"{f.speaker} dengan ini menerangkan bahwa perusahaan:", space_before=0),
        Rows(_company(f)),
        Para(
            f"dengan surat {request} telah melaporkan keberadaan Tenaga Kerja Asing (TKA) yang "
            f"dipekerjakan di wilayah {f.office.name}, dengan data sebagai berikut:",
            style="plain",
        ),
        Rows(tka),
        Para("Tenaga kerja Indonesia pendamping TKA tersebut:", style="plain"),
        Items(companions or ["-"]),
        Para(
            "Laporan tersebut telah diperiksa sesuai dengan persyaratan Pengesahan RPTKA, Notifikasi, "
            "Paspor dan KITAS serta laporan realisasi pendidikan dan pelatihan tenaga kerja "
            f"pendamping. Perusahaan diminta melaporkan kepada {f.office.full_name} apabila TKA "
            "tersebut berhenti bekerja, pindah lokasi kerja, atau masa berlaku izinnya berakhir."
        ),
        Para(CLOSING.format(what="surat keterangan")),
    ]
    return Plan(
        title="Surat Keterangan Laporan Keberadaan Tenaga Kerja Asing", number=f.number, blocks=blocks
    )


@renderers.letter("validasi_tka", issued_by_record="tanggal_pembayaran")
def validasi_tka(f: Facts) -> Plan:
    """Pemberitahuan Validasi TKA (Pasuruan): the payment the staff validated at their step."""
    amount = f.record("nominal")
    amount_text = "-"
    if isinstance(amount, int | float):
        amount_text = f"{rupiah(float(amount))} ({terbilang(int(amount))} rupiah)"
    validator = f.officer_of("tanggal_pembayaran")
    validated = "-"
    if validator is not None and validator.at:
        from chalicelib.domain.clock import office_today, parse

        validated = tanggal(office_today(parse(validator.at)))
    company = f.get("perusahaan", "nama_perusahaan")
    request = _numbered_on(f, "surat_permohonan", "nomor_surat", "tanggal_surat")
    blocks: list[Block] = [
        Para(
            f"Menindaklanjuti surat Saudara {request} perihal permohonan validasi Tenaga Kerja Asing "
            f"(TKA), dengan ini kami beritahukan bahwa pembayaran Dana Pengembangan Keahlian dan "
            f"Keterampilan (DPKK) atas TKA berikut telah divalidasi pada Aplikasi TKA Daerah "
            f"{f.office.full_name}:",
            space_before=0,
        ),
        Rows(
            [
                ("Nama TKA", f.get("tka", "nama_tka")),
                ("Kewarganegaraan", f.get("tka", "kewarganegaraan")),
                ("Nomor Paspor", f.get("tka", "nomor_paspor")),
                ("Jabatan", f.get("tka", "jabatan")),
                ("Pengesahan RPTKA", _numbered_on(f, "tka", "nomor_rptka", None, "rptka_berlaku_sampai")),
                (
                    "Notifikasi",
                    _numbered_on(
                        f, "tka", "nomor_notifikasi", "tanggal_notifikasi", "notifikasi_berlaku_sampai"
                    ),
                ),
            ]
        ),
        Para("dengan data pembayaran sebagai berikut:", style="plain"),
        Rows(
            [
                ("Tanggal Pembayaran", f.recorded("tanggal_pembayaran", "date")),
                ("No. Jurnal / Bukti Bayar", f.recorded("nomor_jurnal")),
                ("Nominal", amount_text),
                ("Tanggal Validasi", validated),
            ]
        ),
        Para(
            "Pemberitahuan ini merupakan bukti bahwa validasi telah dilakukan dan tidak menggantikan "
            "dokumen perizinan penggunaan TKA."
        ),
        Para("Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih."),
    ]
    return Plan(
        title="Pemberitahuan Validasi TKA",
        number=f.number,
        blocks=blocks,
        style="surat",
        perihal="Pemberitahuan Validasi Tenaga Kerja Asing (TKA)",
        addressee=[f"Yth. Pimpinan {company}", f.get("perusahaan", "alamat"), "di", "TEMPAT"],
    )


@renderers.letter(
    "tanda_daftar_bkk", registration=Numbering(format="BKK/{region}/{seq:04d}/{year}", code="BKK")
)
def tanda_daftar_bkk(f: Facts) -> Plan:
    """Tanda Daftar Bursa Kerja Khusus (Pasuruan), with its BKK registration number."""
    school = f.get("lembaga", "nama_lembaga")
    kind = f.joined(f.get("lembaga", "jenis_lembaga"), f.get("lembaga", "status_lembaga"))
    rows = [
        ("Nama BKK", f"Bursa Kerja Khusus {school}"),
        ("Satuan Pendidikan / Lembaga", f"{school} ({kind})"),
        ("NPSN / Kode Lembaga", f.get("lembaga", "npsn")),
        ("Alamat", f.get("lembaga", "alamat")),
        ("Kepala Sekolah / Pimpinan", f.get("lembaga", "nama_kepala")),
        ("Ketua / Penanggung Jawab BKK", f.get("bkk", "nama_ketua")),
        ("SK Pembentukan BKK", _numbered_on(f, "bkk", "nomor_sk_pembentukan", "tanggal_sk_pembentukan")),
        ("Jumlah Petugas BKK", f"{f.get('bkk', 'jumlah_petugas')} orang"),
        ("Rencana Penempatan", f"{f.get('bkk', 'rencana_penempatan')} orang per tahun"),
    ]
    if f.raw("bkk", "program_keahlian"):
        rows.append(("Program Keahlian", f.get("bkk", "program_keahlian")))
    registration = f.registration or "(diberikan setelah ditandatangani)"
    blocks: list[Block] = [
        Para(
            "Berdasarkan Peraturan Menteri Ketenagakerjaan Republik Indonesia Nomor 39 Tahun 2016 "
            "tentang Penempatan Tenaga Kerja, dan setelah meneliti permohonan beserta kelengkapan "
            f"persyaratannya, {f.speaker} memberikan Tanda Daftar Bursa Kerja Khusus (BKK) kepada:",
            space_before=0,
        ),
        Rows(rows, label_width=60 * MM),
        Para(
            "Dengan Tanda Daftar ini, BKK tersebut dapat menyelenggarakan pelayanan antar kerja bagi "
            "lulusan dan alumni satuan pendidikan atau lembaganya sesuai ketentuan peraturan "
            "perundang-undangan, dan wajib menyampaikan laporan kegiatan penempatan tenaga kerja "
            f"secara berkala kepada {f.office.full_name}."
        ),
        Para(
            "Tanda Daftar ini dapat dicabut apabila BKK tidak lagi memenuhi persyaratan atau "
            "melanggar ketentuan peraturan perundang-undangan."
        ),
    ]
    return Plan(
        title="Tanda Daftar Bursa Kerja Khusus (BKK)",
        number=f.number,
        blocks=blocks,
        subtitle=[f"Nomor Pendaftaran BKK : {registration}"],
        dated="ditetapkan",
    )


def _cpmi_rows(f: Facts) -> list[tuple[str, str]]:
    return [
        ("Nama", f.get("cpmi", "nama_lengkap").upper()),
        ("NIK", f.get("cpmi", "nik")),
        ("Tempat, Tanggal Lahir", f.born("cpmi")),
        ("Jenis Kelamin", f.get("cpmi", "jenis_kelamin")),
        ("Alamat", f.get("cpmi", "alamat")),
    ]


def _placement_rows(f: Facts) -> list[tuple[str, str]]:
    return [
        ("Negara Tujuan", f.get("penempatan", "negara_tujuan")),
        ("Jabatan", f.get("penempatan", "jabatan")),
        ("Pemberi Kerja", f.get("penempatan", "nama_pemberi_kerja")),
    ]


def _p3mi(f: Facts) -> str:
    return f"{f.get('p3mi', 'nama_p3mi')} (SIP2MI Nomor {f.get('p3mi', 'nomor_sip2mi')})"


def _spr(f: Facts) -> str:
    """The SPR staff chose in SISKOTKLN (Pasuruan step 4), else the one on the form."""
    return str(f.record("nomor_spr") or f.get("penempatan", "nomor_spr"))


@renderers.letter("rekomendasi_paspor")
def rekomendasi_paspor(f: Facts) -> Plan:
    """Rekomendasi Pembuatan Paspor CPMI, to the Kepala Kantor Imigrasi (both offices)."""
    rows = [
        *_cpmi_rows(f),
        ("Pendidikan Terakhir", f.get("cpmi", "pendidikan_terakhir")),
        ("Nomor Kartu AK/I", f.get("cpmi", "nomor_ak1")),
        *_placement_rows(f),
        ("P3MI", _p3mi(f)),
        ("Nomor SPR", _spr(f)),
    ]
    biometric = f.record("referensi_biometrik")
    if biometric:
        rows.append(("Registrasi Biometrik", str(biometric)))
    siskotkln = f.record("referensi_siskotkln")
    if siskotkln:
        rows.append(("Nomor SISKOTKLN", str(siskotkln)))
    if f.record("hasil_wawancara"):
        checked = (
            f"telah diwawancarai bersama petugas P3MI dengan hasil {str(f.record('hasil_wawancara')).lower()}"
        )
    else:
        checked = "telah dinyatakan lulus seleksi oleh P3MI tersebut"
    imigrasi = f.raw("penempatan", "kantor_imigrasi")
    office = str(imigrasi) if imigrasi else "Kantor Imigrasi"
    if not office.lower().startswith("kepala"):
        office = f"Kepala {office}"
    blocks: list[Block] = [
        Para(
            f"Berdasarkan {UU_PMI}, dengan ini kami memberikan rekomendasi pembuatan paspor bagi "
            "Calon Pekerja Migran Indonesia (CPMI) sebagai berikut:",
            space_before=0,
        ),
        Rows(rows),
        Para(
            f"CPMI tersebut terdaftar sebagai pencari kerja, telah memenuhi persyaratan administrasi "
            f"pada {f.office.full_name}, dan {checked}."
        ),
        Para(
            "Rekomendasi ini hanya berlaku untuk pengurusan paspor dalam rangka penempatan sebagai "
            "Pekerja Migran Indonesia ke negara tujuan tersebut di atas dan tidak dapat dipergunakan "
            "untuk keperluan lain."
        ),
        Para(
            "Demikian rekomendasi ini kami sampaikan, atas perhatian dan kerja samanya diucapkan "
            "terima kasih."
        ),
    ]
    return Plan(
        title="Rekomendasi Pembuatan Paspor CPMI",
        number=f.number,
        blocks=blocks,
        style="surat",
        perihal="Rekomendasi Pembuatan Paspor Calon Pekerja Migran Indonesia (CPMI)",
        addressee=[f"Yth. {office}", "di", "TEMPAT"],
        tembusan=[f"Pimpinan {f.get('p3mi', 'nama_p3mi')}", "Yang bersangkutan", "Arsip"],
    )


@renderers.letter("persetujuan_perjanjian_penempatan")
def persetujuan_perjanjian_penempatan(f: Facts) -> Plan:
    """Persetujuan Perjanjian Penempatan between the CPMI and the P3MI (both offices)."""
    months = f.raw("penempatan", "lama_kontrak")
    term = "-"
    if isinstance(months, int | float) and months > 0:
        term = f"{int(months)} ({terbilang(int(months))}) bulan"
    agreement = _numbered_on(f, "penempatan", "nomor_perjanjian", "tanggal_perjanjian")
    blocks: list[Block] = [
        Para(
            f"{f.speaker}, setelah meneliti Perjanjian Penempatan {agreement} beserta kelengkapannya, "
            "dengan ini menyetujui Perjanjian Penempatan Pekerja Migran Indonesia antara:",
            space_before=0,
        ),
        Para(
            "Pihak Pertama, Perusahaan Penempatan Pekerja Migran Indonesia (P3MI):", style="plain", bold=True
        ),
        Rows(
            [
                ("Nama P3MI", f.get("p3mi", "nama_p3mi")),
                ("Nomor SIP2MI", f.get("p3mi", "nomor_sip2mi")),
                ("Alamat", f.get("p3mi", "alamat_p3mi")),
                ("Diwakili oleh", f.joined(f.get("p3mi", "nama_petugas"), f.get("p3mi", "jabatan_petugas"))),
            ]
        ),
        Para("Pihak Kedua, Calon Pekerja Migran Indonesia (CPMI):", style="plain", bold=True),
        Rows(_cpmi_rows(f)),
        Para(
            f"untuk ditempatkan sebagai {f.get('penempatan', 'jabatan')} pada "
            f"{f.get('penempatan', 'nama_pemberi_kerja')} di {f.get('penempatan', 'negara_tujuan')} "
            f"dengan jangka waktu perjanjian kerja {term}, berdasarkan Surat Pengantar Rekrut (SPR) "
            f"Nomor {_spr(f)}.",
            style="plain",
        ),
        Para(
            "Persetujuan ini diberikan atas kesesuaian perjanjian penempatan dengan data CPMI dan "
            f"ketentuan {UU_PMI}. Hak dan kewajiban para pihak tetap sebagaimana tercantum dalam "
            "perjanjian penempatan."
        ),
        Para(CLOSING.format(what="persetujuan")),
    ]
    return Plan(
        title="Persetujuan Perjanjian Penempatan Pekerja Migran Indonesia", number=f.number, blocks=blocks
    )


@renderers.letter("berita_acara_seleksi")
def berita_acara_seleksi(f: Facts) -> Plan:
    """Berita Acara Seleksi CPMI (Pasuruan): the selection and interview by the P3MI."""
    held = f.raw("seleksi", "tanggal_seleksi")
    day = date.fromisoformat(str(held)) if held else f.issued_on
    place = f.get("seleksi", "tempat_seleksi")
    officer = f.get("p3mi", "nama_petugas", default="") or str(f.record("nama_petugas_pptkis") or "-")
    rows = [
        *_cpmi_rows(f),
        ("Pendidikan Terakhir", f.get("cpmi", "pendidikan_terakhir")),
        *_placement_rows(f),
        ("Hasil Seleksi", "LULUS"),
    ]
    systems = []
    if f.record("referensi_biometrik"):
        systems.append(
            f"data CPMI dan petugas P3MI ({officer}) telah dicatat pada sistem Registrasi CTKI "
            f"berbasis Biometrik dengan nomor {f.record('referensi_biometrik')}"
        )
    if f.record("referensi_siskotkln"):
        systems.append(
            f"Berita Acara ini telah dientri pada SISKOTKLN dengan nomor {f.record('referensi_siskotkln')}"
        )
    blocks: list[Block] = [
        Para(
            f"Pada hari ini {hari(day)}, tanggal {tanggal(day)}, bertempat di {place}, telah "
            f"dilaksanakan seleksi dan wawancara Calon Pekerja Migran Indonesia (CPMI) oleh "
            f"{_p3mi(f)} berdasarkan Surat Pengantar Rekrut (SPR) Nomor {_spr(f)}, dengan hasil "
            "sebagai berikut:",
            space_before=0,
        ),
        Rows(rows),
    ]
    if systems:
        blocks.append(Para("Selanjutnya, " + "; dan ".join(systems) + "."))
    blocks.append(
        Para("Demikian Berita Acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya.")
    )
    return Plan(
        title="Berita Acara Seleksi Calon Pekerja Migran Indonesia",
        number=f.number,
        blocks=blocks,
        other_party=Party(heading=["Petugas P3MI,"], name=str(officer), subtitle=f.get("p3mi", "nama_p3mi")),
        signer_heading=["Mengetahui,"],
    )


@renderers.letter("berita_acara_cpmi", number_record="nomor_berita_acara")
def berita_acara_cpmi(f: Facts) -> Plan:
    """Berita Acara serah terima CPMI (Tangerang): the office hands the CPMI over to the P3MI."""
    day = f.issued_on
    signed = f.signature
    first_name = (signed.name or signed.signed_by) if signed else "........................................"
    first_position = f.speaker
    if signed and signed.acting_as and signed.kind in ("a.n.", "u.b."):
        first_position = f"{clean_label(signed.acting_as)}, {signed.kind} {f.speaker}"
    result = f.record("hasil_wawancara")
    interviewed = (
        f"yang telah diwawancarai bersama PIHAK KEDUA dengan hasil {str(result).lower()}"
        if result
        else "yang telah diwawancarai bersama PIHAK KEDUA"
    )
    rows = [
        *_cpmi_rows(f),
        ("ID CPMI (SISKOTKLN)", f.recorded("referensi_siskotkln")),
        *_placement_rows(f),
        ("Nomor Perjanjian Penempatan", f.get("penempatan", "nomor_perjanjian")),
    ]
    blocks: list[Block] = [
        Para(
            f"Pada hari ini {hari(day)}, tanggal {tanggal(day)}, yang bertanda tangan di bawah ini:",
            space_before=0,
        ),
        Rows(
            [
                ("Nama", first_name),
                ("Jabatan", first_position),
                ("", "selanjutnya disebut PIHAK PERTAMA;"),
            ],
            label_width=30 * MM,
        ),
        Rows(
            [
                ("Nama", f.get("p3mi", "nama_petugas")),
                ("Jabatan", f"{f.get('p3mi', 'jabatan_petugas')} pada {_p3mi(f)}"),
                ("Surat Tugas", f"Nomor {f.get('p3mi', 'nomor_surat_tugas')}"),
                ("", "selanjutnya disebut PIHAK KEDUA."),
            ],
            label_width=30 * MM,
        ),
        Para(
            "PIHAK PERTAMA menyerahkan kepada PIHAK KEDUA Calon Pekerja Migran Indonesia (CPMI) "
            f"berikut, {interviewed}, untuk diproses penempatannya:"
        ),
        Rows(rows),
    ]
    notes = f.record("catatan_wawancara")
    if notes:
        blocks.append(Para(f"Catatan wawancara: {notes}", style="plain"))
    blocks += [
        Para(
            "PIHAK KEDUA wajib memproses penempatan CPMI tersebut sesuai perjanjian penempatan dan "
            f"ketentuan {UU_PMI}."
        ),
        Para("Demikian Berita Acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya."),
    ]
    return Plan(
        title="Berita Acara Serah Terima Calon Pekerja Migran Indonesia",
        number=f.number,
        blocks=blocks,
        other_party=Party(
            heading=["PIHAK KEDUA,"], name=f.get("p3mi", "nama_petugas"), subtitle=f.get("p3mi", "nama_p3mi")
        ),
        signer_heading=["PIHAK PERTAMA,"],
    )
