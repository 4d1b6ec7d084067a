"""The registry of products: one renderer per product id, found by name, light enough for the API
Lambda and `sop check`, and every product of the offices' SOPs has one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib import cli
from chalicelib.documents.letters.plan import MM, Para, Plan
from chalicelib.documents.registry import DuplicateRenderer, Registry, UnknownProduct, renderers
from chalicelib.documents.values import Facts
from chalicelib.sop.loader import OFFICES_DIR, list_offices, list_services, load_service

ROOT = Path(__file__).resolve().parents[2]


def test_a_product_id_is_registered_once() -> None:
    registry = Registry(package=None)

    @registry.register("surat_uji")
    def first(f: Facts) -> bytes:
        return b"%PDF-"

    with pytest.raises(DuplicateRenderer, match="surat_uji"):

        @registry.letter("surat_uji")
        def second(f: Facts) -> Plan:
            return Plan(title="x", number=None, blocks=[])

    assert registry.get("surat_uji").render is first
    with pytest.raises(UnknownProduct):
        registry.get("surat_lain")


def test_scoped_registrations_are_forgotten_afterwards() -> None:
    before = renderers.ids()
    with renderers.scoped():

        @renderers.letter("surat_sementara")
        def surat_sementara(f: Facts) -> Plan:
            return Plan(title="Surat Sementara", number=f.number, blocks=[Para("-")])

        assert "surat_sementara" in renderers
    assert "surat_sementara" not in renderers and renderers.ids() == before


def test_every_printed_product_of_the_offices_has_a_renderer() -> None:
    products = {
        p.key
        for office in list_offices()
        for service in list_services(office)
        for p in load_service(office, service).products
        if p.pdf
    }
    assert products and products <= set(renderers.ids())


def test_millimetre_is_reportlabs() -> None:
    from reportlab.lib.units import mm

    assert mm == MM


def test_reading_the_registry_and_checking_sops_loads_no_reportlab_pillow_or_model() -> None:
    """`sop check` and the API Lambda read the registry; renderers and values import no model."""
    code = (
        "import sys; from chalicelib.documents.registry import renderers; renderers.ids(); "
        "from chalicelib.sop.loader import list_offices, list_services, load_service; "
        "[load_service(o, s) for o in list_offices() for s in list_services(o)]; "
        "import chalicelib.documents.values, chalicelib.documents.letters.plan; "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('reportlab', 'PIL', 'pynamodb') "
        "or m == 'chalicelib.adapters.models'); print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_sop_check_refuses_a_product_without_renderer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (OFFICES_DIR / "kab-pasuruan" / "tanda-daftar-bkk.yaml").read_text(encoding="utf-8")
    path = tmp_path / "tanda-daftar-bkk.yaml"
    path.write_text(text.replace("tanda_daftar_bkk", "surat_keterangan_uji"), encoding="utf-8")
    line = next(
        n for n, row in enumerate(path.read_text().splitlines(), 1) if "- key: surat_keterangan_uji" in row
    )

    assert cli.main(["sop", "check", str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"tanda-daftar-bkk.yaml:{line}: produk 'surat_keterangan_uji' belum punya renderer dokumen: "
        'daftarkan @renderers.letter("surat_keterangan_uji") di chalicelib/documents/products/, atau '
        f"tulis 'pdf: false' bila bukan dokumen (renderer yang ada: {', '.join(renderers.ids())})"
    ]

    with renderers.scoped():

        @renderers.letter("surat_keterangan_uji")
        def surat_keterangan_uji(f: Facts) -> Plan:
            return Plan(title="Surat Keterangan Uji", number=f.number, blocks=[])

        assert cli.main(["sop", "check", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"OK {path}")
