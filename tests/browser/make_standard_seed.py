# ruff: noqa: E501  (excerpts are copied whole from the seeds)
"""Writes tests/browser/standard_seed.json from the offices' written standards (the seed files, not
the SOP YAML, so the browser test can fail when the YAML or the page drops something): per public
service, the components of the seed's table in the seed's order, each with its label as the seed
writes it and excerpts copied from the seed; every label and excerpt is checked to be in the seed.

    python tests/browser/make_standard_seed.py <Pasuruan SPP seed> <Tangerang SOP seed> \
        > tests/browser/standard_seed.json

The two Pasuruan SPP that put their mutu baku table at A.7 without a name (AK-1, CPMI) get the
name the other three give it, "Diagram Alur". Kota Tangerang's SOP has no heading for its time
and complaint office: the last two entries take them from Peringatan 1 and the letterhead.
"""

import json
import re
import sys

A = open(sys.argv[1], encoding="utf-8").read()  # noqa: SIM115
B = open(sys.argv[2], encoding="utf-8").read()  # noqa: SIM115


def must(text, src):
    flat = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", src)).replace("&amp;", "&")
    assert text in flat, text
    return text


def spp(section, rows, note=None):
    out = []
    for label, excerpts in rows:
        if label == "Diagram Alur" and "Diagram Alur" not in section:
            pass  # AK-1's and CPMI's SPP put the same table at A.7 without its name
        else:
            must(label, section)
        out.append({"label": label, "excerpts": [must(e, section) for e in excerpts]})
    return out


sections = re.split(r"\n## ", A)


def sec(title):
    return next(s for s in sections if s.startswith(title))


def common_b(s, legal, facilities, competence, count, guarantee, safety, evaluasi):
    return [
        ("Dasar Hukum", legal),
        ("Sarana Prasarana/ Fasilitas", facilities),
        ("Kompetensi Pelaksana", competence),
        (
            "Pengawasan Internal",
            ["Penilaian pegawai dengan Sasaran Kinerja Pegawai (SKP) dan Penilaian Prestasi Kerja (PPK)"],
        ),
        ("Jumlah Pelaksana", [count]),
        ("Jaminan Pelayanan", [guarantee]),
        ("Jaminan Keamanan & Keselamatan Pelayanan", [safety]),
        (evaluasi, ["Evaluasi pelayanan melalui rapat mingguan/ bulanan"]),
    ]


UU13 = "Undang-Undang Republik Indonesia Nomor 13 Tahun 2003 tentang Ketenagakerjaan"
ISO = "ISO 9001:2015 Klausul 8.5 Produksi dan Penyediaan Layanan"
PENGADUAN = [
    "Dinas Tenaga Kerja Kabupaten Pasuruan",
    "Jl. Ir. Juanda No. 56 Pasuruan",
    "(0343) 414430",
    "https://hellowork.pasuruankab.go.id",
]
G = "Pelayanan diberikan sesuai dengan Standart Pelayanan yang diterapkan"
out = {}

s = sec("SPP – PELAYANAN PENERBITAN KARTU AK-1")
out["kab-pasuruan/ak1"] = spp(
    s,
    [
        (
            "Persyaratan",
            ["Kartu Tanda Penduduk (KTP)", "Ijazah Pendidikan Terakhir", "Foto Berwarna Ukuran 3x4 (Formal)"],
        ),
        (
            "Sistem Mekanisme & Prosedur",
            ["Klik tombol submit untuk menyimpan berkas", "Pencari Kerja login ke website"],
        ),
        ("Jangka Waktu Pelayanan", ["20 Menit"]),
        ("Biaya / Tarif", ["Gratis"]),
        ("Produk Pelayanan", ["Kartu AK-1"]),
        ("Penanganan Pengaduan, Saran dan Masukan", PENGADUAN),
        ("Diagram Alur", ["Tergantung Jaringan/ Konektivitas Pencari Kerja", "Counseling Online", "5 menit"]),
        *common_b(
            s,
            [
                UU13,
                "Peraturan Menteri Ketenagakerjaan RI No. 39 Tahun 2016 Tentang Penempatan Tenaga Kerja",
                ISO,
            ],
            ["Alat Tulis Kantor", "Aplikasi sistem Ketenagakerjaan"],
            ["Kepala Seksi Penempatan dan Bursa Kerja", "Pengantar Kerja"],
            "3 Orang",
            "Jika pelayanan yang diberikan tidak sesuai dengan SOP yang ditetapkan, akan diberikan sanksi",
            "Prosedur Mutu Pelayanan Penerbitan AK/I ini bertujuan untuk memberikan acuan",
            "Evaluasi Kinerja Pelayanan",
        ),
    ],
)
s = sec("SPP – LAPOR KEBERADAAN TKA")
out["kab-pasuruan/lapor-keberadaan-tka"] = spp(
    s,
    [
        (
            "Persyaratan",
            ["Surat Permohonan Laporan Keberadaan TKA", "Fotocopy Notifikasi", "Foto Ukuran 4x6 (2 Lembar)"],
        ),
        (
            "Sistem Mekanisme & Prosedur",
            [
                "Staff membuat draft surat laporan keberadaan",
                "Memberikan persetujuan dokumen laporan keberadaan",
            ],
        ),
        ("Jangka Waktu Pelayanan", ["1 Hari"]),
        ("Biaya / Tarif", ["Gratis"]),
        ("Produk Pelayanan", ["Surat Keterangan Laporan Keberadaan TKA"]),
        ("Penanganan Pengaduan, Saran dan Masukan", PENGADUAN),
        ("Diagram Alur", ["Draft Laporan Keberadaan", "1 jam", "Arsip"]),
        *common_b(
            s,
            [UU13, "Peraturan Presiden No 20 Tahun 2018 Tentang Penggunaan Tenaga Kerja Asing"[:22], ISO],
            ["Alat Tulis Kantor", "Komputer dengan Aplikasi Office"],
            ["Kepala Seksi Penempatan dan Bursa Kerja", "Staf Pelayanan"],
            "2 Orang",
            G,
            "Prosedur Mutu Pelayanan Lapor Keberadaan Tenaga Kerja Asing (TKA) ini mengatur",
            "Evaluasi Kinerja",
        ),
    ],
)
s = sec("SPP – VALIDASI TKA")
out["kab-pasuruan/validasi-tka"] = spp(
    s,
    [
        ("Persyaratan", ["Surat Permohonan Validasi TKA", "Fotocopy bukti bayar DPKK"]),
        (
            "Sistem Mekanisme & Prosedur",
            ["Login ke Aplikasi TKA Daerah", "Menginformasikan ke Perusahaan bahwa TKA sudah divalidasi"],
        ),
        ("Jangka Waktu Pelayanan", ["5 - 10 Menit"]),
        ("Biaya / Tarif", ["Gratis"]),
        ("Produk Pelayanan", ["Validasi TKA (Online)"]),
        ("Penanganan Pengaduan, Saran dan Masukan", PENGADUAN[:3]),
        ("Diagram Alur", ["Berkas validasi", "2 menit"]),
        *common_b(
            s,
            [
                UU13,
                "Peraturan Menteri Ketenagakerjaan RI No. 10 Tahun 2018 Tentang Tata Cara Penggunaan Tenaga Kerja Asing",
                ISO,
            ],
            ["Alat Tulis Kantor", "Komputer dengan Aplikasi Office"],
            ["Kepala Seksi Penempatan dan Bursa Kerja", "Staf Layanan"],
            "2 Orang",
            G,
            "Prosedur Mutu ini mengatur mulai dari Penerimaan berkas",
            "Evaluasi Kinerja Pelayanan",
        ),
    ],
)
s = sec("SPP – PELAYANAN TANDA DAFTAR BKK")
out["kab-pasuruan/tanda-daftar-bkk"] = spp(
    s,
    [
        (
            "Persyaratan",
            [
                "Fotocopy Surat Keputusan Pembentukan BKK",
                "Rencana Penempatan Tenaga Kerja",
                "Ruang BKK",
                "Penanggung Jawab BKK",
            ],
        ),
        (
            "Sistem Mekanisme & Prosedur",
            ["Pengantar Kerja membuat draft keputusan Tanda Daftar BKK", "Menerima dokumen tanda daftar BKK"],
        ),
        ("Jangka Waktu Pelayanan", ["1 Hari"]),
        ("Biaya / Tarif", ["Gratis"]),
        ("Produk Pelayanan", ["Tanda Daftar BKK"]),
        ("Penanganan Pengaduan, Saran dan Masukan", PENGADUAN),
        ("Diagram Alur", ["Draft tanda daftar BKK", "Check list berkas", "10 menit"]),
        *common_b(
            s,
            [
                UU13,
                "Keputusan Direktur Jenderal Pembinaan Penempatan Tenaga Kerja No. KEP.268/PPTK/XII/2012",
                ISO,
            ],
            ["Alat Tulis Kantor", "Komputer dengan Aplikasi Office"],
            ["Kepala Seksi Penempatan dan Bursa Kerja", "Pengantar Kerja"],
            "2 Orang",
            G,
            "Prosedur Mutu Pelayanan Tanda Daftar BKK ini mengatur",
            "Evaluasi Kinerja Pelayanan",
        ),
    ],
)
s = sec("SPP - PENERBITAN REKOMENDASI PASPOR CPMI")
out["kab-pasuruan/rekomendasi-paspor-cpmi"] = spp(
    s,
    [
        (
            "Persyaratan",
            [
                "Foto copy AK/1 (kartu kuning) yang masih berlaku",
                "Surat Nikah / Surat Keterangan Nikah",
                "Daftar nominasi CTKI yg lulus seleksi",
            ],
        ),
        (
            "Sistem Mekanisme & Prosedur",
            [
                "Menerima surat permohonan rekomendasi paspor",
                "Menyerahkan rekomendasi paspor ke pemohon dan mengarsip berkas",
            ],
        ),
        ("Jangka Waktu Pelayanan", ["3-7 Hari"]),
        ("Biaya / Tarif", ["Gratis"]),
        (
            "Produk Pelayanan",
            [
                "Rekomendasi Pembuatan Paspor CPMI",
                "Persetujuan Perjanjian Penempatan CPMI",
                "Berita Acara Seleksi CPMI",
            ],
        ),
        ("Penanganan Pengaduan, Saran dan Masukan", PENGADUAN[:3]),
        ("Diagram Alur", ["Checklist persyaratan", "Draft rekomendasi", "2 menit"]),
        *common_b(
            s,
            [
                UU13,
                "Undang-Undang Republik Indonesia Nomor 18 Tahun 2017 tentang Perlindungan Pekerja Migran Indonesia",
                ISO,
            ],
            ["Alat Tulis Kantor", "Komputer dengan Aplikasi Office"],
            ["Kepala Seksi", "Staf Pelayanan"],
            "2 Orang",
            G,
            "Prosedur Mutu Pelayanan Penerbitan Rekomendasi Passpor ini mengatur",
            "Evaluasi Kinerja",
        ),
    ],
)
out["kota-tangerang/id-rekomendasi-paspor-cpmi"] = spp(
    B,
    [
        (
            "RUANG LINGKUP",
            [
                "Prosedur ini sebagai pedoman dalam pelayanan pembuatan rekomendasi paspor Calon Pekerja Migran Indonesia (CPMI)"
            ],
        ),
        (
            "RINGKASAN PROSEDUR",
            ["mulai dari menerima pengajuan sampai menyerahkan surat rekomendasi paspor oleh Pemohon"],
        ),
        (
            "ISTILAH DAN DEFINISI",
            [
                "Kadis",
                "Kepala Dinas Ketenagakerjaan Kota Tangerang",
                "Sekdis",
                "Kasubbag",
                "Calon Pekerja Migran Indonesia",
            ],
        ),
        ("KETENTUAN/KETERANGAN LAIN", ["Tidak ada."]),
        (
            "Nomor SOP",
            [
                "PSM/DISNAKER-21",
                "Tanggal Pembuatan",
                "Januari 2022",
                "Tanggal Revisi",
                "Tanggal Efektif",
                "Disahkan oleh",
                "Kepala Dinas Ketenagakerjaan",
                "UJANG HENDRA GUNAWAM, S.Sos, MM",
                "197205022002121009",
                "Nama SOP",
                "Pembuatan Rekomendasi Pasp",
            ],
        ),
        (
            "Dasar Hukum",
            [
                "Undang-Undang Nomor 13 Tahun 2003 tentang Ketenagakerjaan",
                "Peraturan Walikota Nomor 89 Tahun 2019",
            ],
        ),
        (
            "Kualifikasi Pelaksana",
            [
                "Menguasai Komputer",
                "Memahami peraturan rekomendasi paspor CPMI",
                "Teliti",
                "Bertanggung jawab",
                "Disiplin",
            ],
        ),
        ("Keterkaitan", ["SOP Pembuatan Rekomendasi Pasp"]),
        ("Peralatan/Perlengkapan", ["ATK", "Meja /kursi", "ruangan", "Komputer"]),
        (
            "Peringatan",
            [
                "Pelayanan Pembuatan Rekomendasi Pasp",
                "dilaksanakan selama 3 hari",
                "harus ada SK pendelegasian",
            ],
        ),
        (
            "Pencatatan dan Pendataan",
            [
                "Surat Permohonan",
                "SIP2MI",
                "PKWT",
                "KTP Petugas",
                "Surat Nikah (bagi yang sudah menikah)",
                "Perjanjian Penempatan",
            ],
        ),
        (
            "URAIAN KEGIATAN",
            [
                "Melakukan wawancara /Interview kepada Petugas P3MI dan CPMI",
                "Menandatangani ID CPMI",
                "bagian umum untuk disposisi Kepala Dinas",
            ],
        ),
        ("MUTU BAKU", ["Berkas Pemohon", "60 menit", "Draf surat rekomendasi"]),
    ],
)
out["kota-tangerang/id-rekomendasi-paspor-cpmi"].extend(
    [
        # What the SOP says of the service without a heading of its own: its time (Peringatan 1) and
        # the office on its letterhead, where complaints go.
        {"label": "Jangka Waktu Pelayanan", "excerpts": [must("3 hari", B)]},
        {
            "label": "Penanganan Pengaduan",
            "excerpts": [
                must("Jalan Perintis Kemerdekaan No. 1 Cikokol Tangerang", B),
                must("(021) 55798228", B),
            ],
        },
    ]
)
json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
