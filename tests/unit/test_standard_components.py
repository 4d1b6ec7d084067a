"""The published standard: `sop check` refuses a public service that leaves out a component its
office's form of a standard requires (office.yaml `standard`), and the public page's data gives
every component in that order (chalicelib/sop/standard.py, chalicelib/api/standard.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest

from chalicelib import cli
from chalicelib.api.standard import standard
from chalicelib.errors import NotFound
from chalicelib.sop import standard as components
from chalicelib.sop.loader import OFFICES_DIR, list_offices, list_services, load_office, load_service
from chalicelib.sop.schema import StandardComponentKey


@pytest.fixture
def settings() -> Iterator[None]:
    """The app's settings (the form's address on the public site), on the in-memory fakes."""
    from tests.fakes import install

    with install():
        yield


def check(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str]:
    code = cli.main(["sop", "check", str(path)])
    return code, capsys.readouterr().err


def edited(tmp_path: Path, office: str, service: str, old: str, new: str) -> tuple[Path, str]:
    text = (OFFICES_DIR / office / f"{service}.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{service}.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path, text


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_every_component_has_the_key_of_the_file_that_holds_it() -> None:
    assert set(components.FIELDS) == set(get_args(StandardComponentKey))


def test_each_office_names_its_form_of_the_standard() -> None:
    """Pasuruan's SPP: A. Service Delivery then B. Manufacturing, 7 and 8 components; Tangerang's SOP
    starts with its scope and ends its own parts with the activity table."""
    pasuruan = load_office("kab-pasuruan").standard
    assert [p.title for p in pasuruan] == ["A. Service Delivery", "B. Manufacturing"]
    assert [len(p.components) for p in pasuruan] == [7, 8]
    tangerang = [c.key for c in components.components(load_office("kota-tangerang"))]
    assert tangerang[:5] == ["ruang_lingkup", "ringkasan", "definisi", "ketentuan_lain", "pengesahan"]
    assert {"peringatan", "keterkaitan", "prosedur", "diagram_alur", "pengaduan"} <= set(tangerang)


def test_every_public_service_holds_every_component_of_its_office() -> None:
    for office_id in list_offices():
        office = load_office(office_id)
        assert office.standard, office_id
        for service_id in list_services(office_id):
            assert components.missing(load_service(office_id, service_id), office) == [], service_id


def test_check_refuses_a_standard_without_a_required_component(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """AK-1 with its number of staff emptied: refused at that key's line, with the SPP's heading."""
    path, text = edited(tmp_path, "kab-pasuruan", "ak1", "staff_count: 3\n", "staff_count: null\n")
    code, err = check(capsys, path)
    assert code == 1
    assert err.splitlines() == [
        f"ak1.yaml:{line_of(text, 'staff_count: 3')}: komponen standar pelayanan 'Jumlah Pelaksana' wajib di "
        "kantor kab-pasuruan tetapi kosong: isi 'staff_count' (halaman standar publik menampilkannya)"
    ]


def test_check_refuses_a_standard_whose_component_is_left_out_altogether(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = "performance_evaluation: Evaluasi pelayanan melalui rapat mingguan/ bulanan\n"
    path, _ = edited(tmp_path, "kab-pasuruan", "validasi-tka", old, "")
    code, err = check(capsys, path)
    assert code == 1
    assert "'Evaluasi Kinerja Pelayanan' wajib di kantor kab-pasuruan" in err
    assert "isi 'performance_evaluation'" in err


def test_each_office_requires_its_own_components(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Tangerang's SOP needs its warnings and its approval block; Pasuruan's SPP has neither."""
    old = "warnings:\n  - Pelayanan Pembuatan Rekomendasi Paspor dilaksanakan selama 3 hari\n"
    text = (OFFICES_DIR / "kota-tangerang" / "id-rekomendasi-paspor-cpmi.yaml").read_text(encoding="utf-8")
    block = text[text.index(old) : text.index("other_provisions:")]
    path, _ = edited(tmp_path, "kota-tangerang", "id-rekomendasi-paspor-cpmi", block, "")
    code, err = check(capsys, path)
    assert code == 1 and "'Peringatan' wajib di kantor kota-tangerang" in err, err
    path, _ = edited(tmp_path, "kota-tangerang", "id-rekomendasi-paspor-cpmi", "code: PSM/DISNAKER-21\n", "")
    code, err = check(capsys, path)
    assert code == 1 and "'Nomor SOP dan Pengesahan' wajib" in err, err
    assert load_service("kab-pasuruan", "ak1").ratification is None  # and ak1 passes (above)


def test_a_service_not_offered_to_the_public_has_no_published_standard() -> None:
    office = load_office("kab-pasuruan")
    wiring = load_service("kab-pasuruan", "uji-sambungan")
    assert not wiring.public
    assert components.missing(wiring, office) == []


def _headings(page: dict[str, Any]) -> list[str]:
    return [c["label"] for part in page["parts"] for c in part["components"]]


@pytest.mark.usefixtures("settings")
def test_the_page_gives_every_component_in_the_office_order() -> None:
    page = standard("kab-pasuruan", "ak1")
    office = load_office("kab-pasuruan")
    assert _headings(page) == [c.label for c in components.components(office)]
    first, second = page["parts"]
    assert [c["number"] for c in first["components"]] == list(range(1, 8))
    assert [c["number"] for c in second["components"]] == list(range(1, 9))
    table = next(c for c in first["components"] if c["key"] == "diagram_alur")
    assert table["note"].endswith("Tergantung Jaringan/ Konektivitas Pencari Kerja")
    flow = next(c for c in first["components"] if c["key"] == "prosedur")
    assert [s["number"] for s in flow["steps"]] == list(range(1, 11))
    assert flow["steps"][5]["actors"] == ["Pengantar Kerja"]
    assert page["service"]["form_url"].endswith("/ajukan.html?kantor=kab-pasuruan&layanan=ak1")
    assert page["service"]["qr"].startswith("data:image/svg+xml")


@pytest.mark.usefixtures("settings")
def test_the_complaint_channel_is_links() -> None:
    channel = next(
        c
        for p in standard("kota-tangerang", "id-rekomendasi-paspor-cpmi")["parts"]
        for c in p["components"]
        if c["key"] == "pengaduan"
    )
    lines = {line["label"]: line["parts"] for line in channel["lines"]}
    assert lines["Alamat"][0]["href"].startswith(
        "https://www.openstreetmap.org/search?query=Jalan%20Perintis"
    )
    assert [p.get("href") for p in lines["Telepon"]] == ["tel:+622155798228", None, "tel:+62215517542"]
    assert "".join(p["text"] for p in lines["Telepon"]) == "(021) 55798228, 5517542"
    approval = next(
        c
        for p in standard("kota-tangerang", "id-rekomendasi-paspor-cpmi")["parts"]
        for c in p["components"]
        if c["key"] == "pengesahan"
    )
    assert {"term": "Nama SOP", "meaning": "Pembuatan Rekomendasi Paspor"} in approval["terms"]


@pytest.mark.usefixtures("settings")
@pytest.mark.parametrize(
    ("office", "service"), [("kab-pasuruan", "uji-sambungan"), ("x", "ak1"), ("kab-pasuruan", "..")]
)
def test_no_page_for_a_service_not_offered(office: str, service: str) -> None:
    with pytest.raises(NotFound):
        standard(office, service)
