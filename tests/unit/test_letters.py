"""The letters of the five services: each says what its office says, names the signer (a.n. for a
delegate), is a DRAF until signed, and its QR code really scans to the verification page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pypdfium2 as pdfium
import pytest
import zxingcpp

from chalicelib.adapters.models import Case
from chalicelib.documents.registry import renderers
from chalicelib.documents.values import Signature
from chalicelib.documents.words import rupiah, tanggal, terbilang
from chalicelib.domain.case_records import IssuedDocument, Officer
from chalicelib.domain.records import StepRecords
from chalicelib.services import issuing
from chalicelib.services.forms import clean_form
from chalicelib.sop.loader import load_office, load_service
from tests.forms import VALID_UNTIL, sample_form

VERIFY_URL = "https://loket.example.go.id/cek.html?id=Q2VrLUxva2V0LVRlc3QtMDE"
SIGNED_AT = "2026-11-23T03:15:00.000Z"  # 10:15 WIB, Monday 23 November 2026
RECORDED = {"text": "REF-2026-001", "textarea": "Sesuai.", "number": 1.0, "money": 1500000.0}
RECORDED_BY_KEY = {
    "tanggal_pembayaran": "2026-11-20",
    "nomor_jurnal": "JRN-2026-0042",
    "nomor_spr": "SPR/0815/2026",
    "referensi_siskotkln": "CPMI-3671-000123",
    "nomor_berita_acara": "BA-3671-000077",
    "referensi_biometrik": "BIO-88812",
    "nama_petugas_pptkis": "Andi Wirawan",
    "nik_petugas_rekrut": "3671010101800001",
}

# Distinctive values per form field key, so the tests see them on the page.
NAMES = {
    "nama_perusahaan": "PT Sinar Baja Nusantara",
    "nama_tka": "ZHANG WEI",
    "kewarganegaraan": "Tiongkok",
    "nomor_paspor": "EJ4471920",
    "nama_lembaga": "SMK Negeri 1 Bangil",
    "npsn": "20517652",
    "nama_ketua": "Dra. Endang Lestari",
    "nama_lengkap": "Siti Rahayu",
    "nama_p3mi": "PT Bina Karya Mandiri",
    "nama_petugas": "Andi Wirawan",
    "negara_tujuan": "Taiwan",
    "nomor_perjanjian": "PP/118/BKM/2026",
    "kantor_imigrasi": "Kantor Imigrasi Kelas I TPI Malang",
}


def _form(sop: Any) -> dict[str, Any]:
    raw = sample_form(sop)
    for section in raw.values():
        for entry in section if isinstance(section, list) else [section]:
            for key in entry:
                if key in NAMES:
                    entry[key] = NAMES[key]
    return clean_form(sop, raw)


def _case(office_id: str, service_id: str) -> tuple[Any, Any, Case]:
    office, sop = load_office(office_id), load_service(office_id, service_id)
    records: dict[str, StepRecords] = {}
    officers: dict[str, Officer] = {}
    for step in sop.process_steps:
        sid = f"{step.number:02d}"
        if step.records:
            records[sid] = {
                r.key: RECORDED_BY_KEY.get(
                    r.key, r.options[0] if r.type == "choice" else RECORDED.get(r.type)
                )
                for r in step.records
            }
        role = step.responsible_role
        if step.is_human and role:
            officers[sid] = Officer(
                username=f"{office_id}.{role}",
                name=f"Pejabat {role}",
                nip="19800101 200501 1 001",
                role=role,
                role_label=office.roles[role].label,
                decision="approve",
                at=SIGNED_AT,
            )
    case = Case(
        *Case.key("case-0001"),
        case_id="case-0001",
        office=office_id,
        service=service_id,
        applicant_sub="sub",
        status="submitted",
        created_at=SIGNED_AT,
        updated_at=SIGNED_AT,
        data={"form": _form(sop)},
        records=records,
        officers=officers,
    )
    return office, sop, case


def _signature(office: Any, sop: Any, key: str, delegate: str | None = None) -> Signature:
    step = issuing.signing_step(sop, key)
    assert step is not None and step.signing is not None
    if delegate is None:
        return Signature(
            office.roles[step.signing.signer].label,
            "kepala",
            name="Drs. Hadi Wijaya, M.Si.",
            nip="19700101 199503 1 003",
            signed_at=SIGNED_AT,
            step=f"{step.number:02d}",
        )
    return Signature(
        office.roles[step.signing.signer].label,
        "wakil",
        acting_as=office.roles[delegate].label,
        kind="a.n.",
        decree="SK Kepala Dinas Nomor 800/12/2026",
        name="Budi Santoso, S.Sos.",
        nip="19750505 200003 1 002",
        signed_at=SIGNED_AT,
        step=f"{step.number:02d}",
    )


def page_text(pdf: bytes) -> str:
    """The text of every page, with line breaks as spaces (a long value wraps)."""
    document = pdfium.PdfDocument(pdf)
    text = " ".join(str(document[i].get_textpage().get_text_bounded()) for i in range(len(document)))
    return " ".join(text.split())


def qr_values(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    found: list[str] = []
    for i in range(len(document)):
        image = document[i].render(scale=200 / 72).to_pil()
        found += [result.text for result in zxingcpp.read_barcodes(image)]
    return found


def render(office: Any, sop: Any, case: Case, key: str, number: str | None, sig: Signature | None) -> bytes:
    registration = "BKK/3514/0007/2026" if key == "tanda_daftar_bkk" and sig is not None else None
    current = IssuedDocument(number=number or None, registration=registration)
    return issuing.render(office, sop, case, key, current, sig, VERIFY_URL)


LETTERS = [
    # office, service, product, number, words the letter must carry
    (
        "kab-pasuruan",
        "lapor-keberadaan-tka",
        "surat_keterangan_keberadaan_tka",
        "560/17/424.070/2026",
        [
            "SURAT KETERANGAN LAPORAN KEBERADAAN TENAGA KERJA ASING",
            "PT SINAR BAJA NUSANTARA",
            "ZHANG WEI",
            "EJ4471920",
            "TIONGKOK",
            "Pasuruan, 23 November 2026",
            "KEPALA DINAS TENAGA KERJA",
        ],
    ),
    (
        "kab-pasuruan",
        "tanda-daftar-bkk",
        "tanda_daftar_bkk",
        "560/18/424.070/2026",
        [
            "TANDA DAFTAR BURSA KERJA KHUSUS (BKK)",
            "BKK/3514/0007/2026",
            "SMK NEGERI 1 BANGIL",
            "20517652",
            "DRA. ENDANG LESTARI",
            "Ditetapkan di",
            "23 November 2026",
        ],
    ),
    (
        "kab-pasuruan",
        "rekomendasi-paspor-cpmi",
        "rekomendasi_paspor",
        "560/19/424.070/2026",
        [
            "Rekomendasi Pembuatan Paspor",
            "Kepala Kantor Imigrasi Kelas I TPI Malang",
            "SITI RAHAYU",
            "3514015708950001",
            "TAIWAN",
            "PT BINA KARYA MANDIRI",
            "SPR/0815/2026",
            "Lampiran",
            "Perihal",
            "Pasuruan, 23 November 2026",
            "Tembusan",
        ],
    ),
    (
        "kab-pasuruan",
        "rekomendasi-paspor-cpmi",
        "persetujuan_perjanjian_penempatan",
        "560/20/424.070/2026",
        [
            "PERSETUJUAN PERJANJIAN PENEMPATAN",
            "PP/118/BKM/2026",
            "SITI RAHAYU",
            "PT BINA KARYA MANDIRI",
            "TAIWAN",
        ],
    ),
    (
        "kab-pasuruan",
        "rekomendasi-paspor-cpmi",
        "berita_acara_seleksi",
        "560/21/424.070/2026",
        [
            "BERITA ACARA SELEKSI CALON PEKERJA MIGRAN INDONESIA",
            "SITI RAHAYU",
            "LULUS",
            "ANDI WIRAWAN",
            "CPMI-3671-000123",
            "BIO-88812",
            "Mengetahui",
        ],
    ),
    (
        "kota-tangerang",
        "id-rekomendasi-paspor-cpmi",
        "rekomendasi_paspor",
        "560/7-Disnaker/XI/2026",
        [
            "Rekomendasi Pembuatan Paspor",
            "SITI RAHAYU",
            "TAIWAN",
            "CPMI-3671-000123",
            "Tangerang, 23 November 2026",
            "KEPALA DINAS KETENAGAKERJAAN KOTA TANGERANG",
            "memenuhi syarat",
        ],
    ),
    (
        "kota-tangerang",
        "id-rekomendasi-paspor-cpmi",
        "berita_acara_cpmi",
        None,
        [
            "BERITA ACARA SERAH TERIMA CALON PEKERJA MIGRAN INDONESIA",
            "BA-3671-000077",
            "Senin",
            "PIHAK PERTAMA",
            "PIHAK KEDUA",
            "ANDI WIRAWAN",
            "SITI RAHAYU",
        ],
    ),
    (
        "kota-tangerang",
        "id-rekomendasi-paspor-cpmi",
        "persetujuan_perjanjian_penempatan",
        "560/8-Disnaker/XI/2026",
        ["PERSETUJUAN PERJANJIAN PENEMPATAN", "PP/118/BKM/2026", "SITI RAHAYU"],
    ),
    (
        "kota-tangerang",
        "id-rekomendasi-paspor-cpmi",
        "id_cpmi",
        None,
        [
            "KARTU IDENTITAS CALON PEKERJA MIGRAN INDONESIA",
            "CPMI-3671-000123",
            "SITI RAHAYU",
            "3514015708950001",
            "TAIWAN",
            "PT BINA KARYA MANDIRI",
        ],
    ),
]


@pytest.mark.parametrize(("office_id", "service_id", "key", "number", "words"), LETTERS)
def test_signed_letter_says_what_its_office_says(office_id, service_id, key, number, words) -> None:
    office, sop, case = _case(office_id, service_id)
    pdf = render(office, sop, case, key, number, _signature(office, sop, key))
    assert pdf.startswith(b"%PDF-")
    text = page_text(pdf)
    expected = [*words, "Drs. Hadi Wijaya, M.Si.", "NIP. 19700101 199503 1 003"]
    if number:
        expected.append(number)
    for word in expected:
        assert word in text, f"{key}: {word!r} missing"
    assert "DRAF" not in text and "Ditandatangani secara elektronik" in text
    assert VERIFY_URL in qr_values(pdf)


@pytest.mark.parametrize(("office_id", "service_id", "key", "number", "words"), LETTERS)
def test_a_draft_says_so_and_names_no_signer(office_id, service_id, key, number, words) -> None:
    office, sop, case = _case(office_id, service_id)
    pdf = render(office, sop, case, key, None, None)
    text = page_text(pdf)
    assert "DRAF" in text and "belum ditandatangani" in text
    assert "Drs. Hadi Wijaya" not in text
    assert VERIFY_URL in qr_values(pdf)


@pytest.mark.parametrize(
    ("office_id", "service_id", "key", "delegate", "position"),
    [
        ("kota-tangerang", "id-rekomendasi-paspor-cpmi", "rekomendasi_paspor", "kabid", "KEPALA BIDANG"),
        ("kota-tangerang", "id-rekomendasi-paspor-cpmi", "berita_acara_cpmi", "sekretaris", "SEKRETARIS"),
        ("kab-pasuruan", "rekomendasi-paspor-cpmi", "rekomendasi_paspor", "kabid", "KEPALA BIDANG"),
    ],
)
def test_a_delegate_signs_atas_nama(office_id, service_id, key, delegate, position) -> None:
    office, sop, case = _case(office_id, service_id)
    pdf = render(office, sop, case, key, "560/1/X/2026", _signature(office, sop, key, delegate))
    text = page_text(pdf)
    step = issuing.signing_step(sop, key)
    assert step is not None and step.signing is not None
    signer = issuing.position(office, step.signing.signer).upper()
    assert f"a.n. {signer}" in text
    assert position in text and "Budi Santoso, S.Sos." in text and "NIP. 19750505 200003 1 002" in text
    assert "SK Kepala Dinas Nomor 800/12/2026" in text


def test_validasi_notice_is_final_and_carries_the_recorded_payment() -> None:
    """No one signs the Validasi TKA notice: the validating officer issues it, never a draft."""
    office, sop, case = _case("kab-pasuruan", "validasi-tka")
    assert issuing.signing_step(sop, "validasi_tka") is None
    pdf = render(office, sop, case, "validasi_tka", None, None)
    text = page_text(pdf)
    for word in (
        "Pemberitahuan Validasi Tenaga Kerja Asing",
        "Yth. Pimpinan PT SINAR BAJA NUSANTARA",
        "ZHANG WEI",
        "20 November 2026",
        "JRN-2026-0042",
        "Rp1.500.000,00 (satu juta lima ratus ribu rupiah)",
        "Pejabat staf",
        "NIP. 19800101 200501 1 001",
        "Nomor",
        "Lampiran",
        "Perihal",
    ):
        assert word in text, word
    assert "DRAF" not in text
    assert VERIFY_URL in qr_values(pdf)


@pytest.mark.parametrize(
    ("service_id", "key", "documents"),
    [
        ("lapor-keberadaan-tka", "surat_keterangan_keberadaan_tka", 3),  # RPTKA, Notifikasi, KITAS
        ("validasi-tka", "validasi_tka", 2),  # RPTKA, Notifikasi
    ],
)
def test_tka_letters_print_how_long_the_permits_are_valid(service_id: str, key: str, documents: int) -> None:
    office, sop, case = _case("kab-pasuruan", service_id)
    text = " ".join(page_text(render(office, sop, case, key, None, None)).split())
    assert text.count(f"berlaku sampai {tanggal(date.fromisoformat(VALID_UNTIL))}") == documents


def test_the_signers_own_check_is_no_paraf_but_the_kabids_is() -> None:
    office, sop, case = _case("kab-pasuruan", "lapor-keberadaan-tka")
    text = page_text(render(office, sop, case, "surat_keterangan_keberadaan_tka", "1", None))
    assert "Paraf:" in text and "Pejabat kabid" in text and "Pejabat kadis" not in text


def test_number_and_holder_come_from_the_records_and_form() -> None:
    _office, _sop, case = _case("kota-tangerang", "id-rekomendasi-paspor-cpmi")
    assert issuing.number_of(case, "id_cpmi", IssuedDocument()) == "CPMI-3671-000123"
    assert issuing.number_of(case, "berita_acara_cpmi", IssuedDocument(number="x")) == "BA-3671-000077"
    assert issuing.number_of(case, "rekomendasi_paspor", IssuedDocument(number="560/1")) == "560/1"
    assert issuing.holder_name(case, renderers.get("id_cpmi").holder) == "SITI RAHAYU"


def test_indonesian_money_and_words() -> None:
    assert rupiah(1500000) == "Rp1.500.000,00"
    assert terbilang(1500000) == "satu juta lima ratus ribu"
    assert terbilang(1011) == "seribu sebelas"
    assert terbilang(24) == "dua puluh empat"
    assert terbilang(115) == "seratus lima belas"


def test_long_names_and_addresses_stay_whole_on_the_card_and_the_letter() -> None:
    office, sop, case = _case("kota-tangerang", "id-rekomendasi-paspor-cpmi")
    form = dict(case.data["form"])
    form["cpmi"] = {
        **form["cpmi"],
        "nama_lengkap": "Raden Roro Siti Nurhayati Kusumawardhani Prameswari",
        "alamat": "Jl. Kyai Haji Hasyim Ashari Gang Masjid Al-Ikhlas No. 127 RT 004 RW 011, "
        "Kelurahan Cipondoh Makmur, Kecamatan Cipondoh, Kota Tangerang",
    }
    case.data = {**case.data, "form": form}
    for key in ("id_cpmi", "rekomendasi_paspor"):
        pdf = render(office, sop, case, key, "1", _signature(office, sop, key))
        text = page_text(pdf)
        assert (
            "KUSUMAWARDHANI PRAMESWARI" in text
            and "Cipondoh Makmur, Kecamatan Cipondoh, Kota Tangerang" in text
        )
        assert VERIFY_URL in qr_values(pdf)
