"""The QR poster: heading from the service title, a QR that scans to the form, and the CLI."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp

from chalicelib import cli
from chalicelib.documents.poster import PosterContent, poster_heading, render_poster

FORM_URL = "https://loket.pasuruankab.go.id/ajukan.html?kantor=kab-pasuruan&layanan=ak1"

POSTER = PosterContent(
    government="Pemerintah Kabupaten Pasuruan",
    unit="Dinas Tenaga Kerja",
    address="Jl. Ir. Juanda No. 56 Pasuruan",
    contact="(0343) 414430 · https://hellowork.pasuruankab.go.id",
    service_title="Pelayanan Penerbitan Kartu AK-1 (Pelayanan Online)",
    form_url=FORM_URL,
    requirements=("Kartu Tanda Penduduk (KTP)", "Surat Pengalaman Kerja (opsional)"),
    fee="Gratis",
    duration="20 Menit",
)


def page_text(pdf: bytes) -> str:
    return " ".join(str(pdfium.PdfDocument(pdf)[0].get_textpage().get_text_bounded()).split())


def qr_values(pdf: bytes) -> list[str]:
    image = pdfium.PdfDocument(pdf)[0].render(scale=100 / 72).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_heading_drops_the_words_that_say_nothing_on_a_poster() -> None:
    assert poster_heading(POSTER.service_title) == "Ajukan Penerbitan Kartu AK-1 dari ponsel Anda"
    assert poster_heading("Pelayanan Validasi TKA") == "Ajukan Validasi TKA dari ponsel Anda"
    assert poster_heading("Pembuatan ID (CPMI)") == "Ajukan Pembuatan ID (CPMI) dari ponsel Anda"


def test_poster_text_and_qr() -> None:
    pdf = render_poster(POSTER)
    text = page_text(pdf)
    for expected in (
        "Ajukan Penerbitan Kartu AK-1",
        "dari ponsel Anda",
        FORM_URL,
        "Pindai kode QR",
        "Buat akun dengan alamat email",
        "kartu dikirim ke email",
        "Kartu Tanda Penduduk (KTP)",
        "Surat Pengalaman Kerja (opsional)",
        "Biaya: Gratis",
        "20 Menit",
        "Apply from your phone",
    ):
        assert expected in text, expected
    assert qr_values(pdf) == [FORM_URL]
    assert (
        pdfium.PdfDocument(pdf).get_metadata_dict()["Author"]
        == "Dinas Tenaga Kerja Pemerintah Kabupaten Pasuruan"
    )


def test_a_long_list_of_documents_still_fits() -> None:
    many = tuple(f"Fotocopy dokumen persyaratan nomor {i} yang masih berlaku" for i in range(40))
    pdf = render_poster(PosterContent(**{**POSTER.__dict__, "requirements": many}))
    assert "lihat daftar lengkap di formulir" in page_text(pdf)
    assert qr_values(pdf) == [FORM_URL]


def test_cli_writes_the_poster_of_a_packaged_service(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "poster.pdf"
    site = "https://loket.example.go.id/"
    code = cli.main(
        ["poster", "kota-tangerang", "id-rekomendasi-paspor-cpmi", "--site", site, "--out", str(out)]
    )
    assert code == 0
    pdf = out.read_bytes()
    url = "https://loket.example.go.id/ajukan.html?kantor=kota-tangerang&layanan=id-rekomendasi-paspor-cpmi"
    assert qr_values(pdf) == [url]
    text = page_text(pdf)
    assert "Surat Nikah (bagi yang sudah menikah) (opsional)" in text
    assert "Perjanjian Penempatan" in text and "Biaya: Gratis" in text
    assert url in capsys.readouterr().out


@pytest.mark.parametrize(
    ("office", "service", "message"),
    [
        ("kab-malang", "ak1", "poster: kantor 'kab-malang' tidak ada"),
        ("kab-pasuruan", "ak2", "poster: layanan 'ak2' tidak ada di kantor kab-pasuruan"),
        ("kab-pasuruan", "uji-sambungan", "poster: layanan 'uji-sambungan' bukan layanan publik"),
    ],
)
def test_cli_rejects_an_unknown_office_or_service(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], office: str, service: str, message: str
) -> None:
    out = tmp_path / "poster.pdf"
    code = cli.main(["poster", office, service, "--site", "https://x.go.id", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(message) and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_posters_writes_one_per_office_and_service(tmp_path) -> None:
    from chalicelib.cli import main

    assert main(["posters", "--site", "https://loket.example.go.id/", "--out-dir", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert "kab-pasuruan-ak1.pdf" in names and "kota-tangerang-id-rekomendasi-paspor-cpmi.pdf" in names
    assert len(names) == 6
