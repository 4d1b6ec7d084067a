"""The document frame: a draft says so; a delegate's signature names the form and the decree."""

from __future__ import annotations

from datetime import date

from chalicelib.documents.letter import LetterContent, Signature, _signature_lines, render, tanggal


def test_draft_block() -> None:
    assert _signature_lines(None) == ["DRAF", "belum ditandatangani"]


def test_own_signature() -> None:
    lines = _signature_lines(Signature("Kepala Dinas Tenaga Kerja", "siti"))
    assert lines[0] == "Kepala Dinas Tenaga Kerja" and "siti" in lines[-1]


def test_atas_nama_names_the_delegate_and_the_decree() -> None:
    sig = Signature(
        "Kepala Dinas Ketenagakerjaan", "budi", acting_as="Kepala Bidang", kind="a.n.", decree="SK 800/12"
    )
    lines = _signature_lines(sig)
    assert lines[:2] == ["a.n. Kepala Dinas Ketenagakerjaan", "Kepala Bidang"]
    assert lines[-1] == "berdasarkan SK 800/12"


def test_plh() -> None:
    assert _signature_lines(Signature("Kepala Dinas", "ani", kind="Plh"))[0] == "Plh. Kepala Dinas"


def test_indonesian_date() -> None:
    assert tanggal(date(2026, 11, 22)) == "22 November 2026"


def test_render_is_a_pdf() -> None:
    pdf = render(
        LetterContent(
            government="Pemerintah Kota Tangerang",
            unit="Dinas Ketenagakerjaan",
            address="Jl. Perintis Kemerdekaan",
            contact="(021) 55798228",
            title="Rekomendasi Pembuatan Paspor",
            number="560/7-Disnaker/XI/2026",
            place="Tangerang",
            issued_on=date(2026, 11, 22),
            particulars=[("Nomor berkas", "abc")],
            body="Dokumen ini diterbitkan melalui Loket.",
            signature=Signature("Kepala Dinas Ketenagakerjaan", "budi", "Kepala Bidang", "a.n.", "SK 800/12"),
        )
    )
    assert pdf.startswith(b"%PDF-") and len(pdf) < 40_000  # two embedded font subsets: about 12 KB each
