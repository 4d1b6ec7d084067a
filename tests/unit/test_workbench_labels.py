"""The workbench's plain rules: the names staff read for ids, and the inbox's order."""

from __future__ import annotations

from chalicelib.adapters.models import WorkItem
from chalicelib.services.queues import in_order
from chalicelib.staff.labels import office_name, role_label


def test_offices_and_roles_are_named_as_their_office_yaml_names_them() -> None:
    assert office_name("kab-pasuruan") == "Kabupaten Pasuruan"
    assert office_name("kota-tangerang") == "Kota Tangerang"
    assert role_label("kab-pasuruan", "petugas_antar_kerja") == "Petugas Antar Kerja / Staf Pelayanan"
    assert role_label("kab-pasuruan", "pemohon") == "Pemohon"


def test_an_id_no_packaged_office_knows_is_shown_as_it_is() -> None:
    assert office_name("kantor-lama") == "kantor-lama"
    assert role_label("kantor-lama", "kadis") == "kadis"
    assert role_label("kab-pasuruan", "peran_dihapus") == "peran_dihapus"


def _item(case_id: str, entered_at: str, overdue: int = 0) -> WorkItem:
    return WorkItem(
        f"CASE#{case_id}", f"WORK#05#{entered_at}", case_id=case_id, entered_at=entered_at, overdue=overdue
    )


def test_the_inbox_order_is_overdue_first_then_the_longest_waiting() -> None:
    items = [
        _item("b", "2026-12-01T01:00:00+00:00"),
        _item("c", "2026-12-01T03:00:00+00:00", overdue=1),
        _item("a", "2026-12-01T00:30:00+00:00"),
        _item("d", "2026-12-01T02:00:00+00:00", overdue=1),
    ]
    assert [i.case_id for i in in_order(items)] == ["d", "c", "a", "b"]
