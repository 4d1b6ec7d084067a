"""The one-card rule on plain data (chalicelib/domain/cards.py) and its SOP wiring."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain import cards
from chalicelib.services.catalog import find_service
from chalicelib.sop.loader import load_office
from chalicelib.sop.rules import check_service
from chalicelib.sop.schema import OnePerPerson

TODAY = date(2026, 12, 1)
DOC = "Kartu AK-1"


def holding(**kw: object) -> cards.Holding:
    return cards.Holding(**kw)  # type: ignore[arg-type]


def test_nothing_filed_and_the_case_s_own_claim_are_free() -> None:
    assert cards.standing(None, "c1", "u1", TODAY).kind == cards.FREE
    own = holding(pending_case="c1", pending_sub="u1")
    assert cards.standing(own, "c1", "u1", TODAY).kind == cards.FREE
    issued_here = holding(card_case="c1", card_sub="u1", card_valid_until=date(2028, 12, 1))
    assert cards.standing(issued_here, "c1", "u1", TODAY).kind == cards.FREE


@pytest.mark.parametrize(
    ("sub", "kind"), [("u1", cards.OWN_PENDING), ("u2", cards.OTHER_PENDING)], ids=["own", "other"]
)
def test_a_filing_in_progress_refuses_any_other_even_a_reissue(sub: str, kind: str) -> None:
    found = cards.standing(holding(pending_case="c1", pending_sub="u1"), "c2", sub, TODAY)
    assert found.kind == kind and found.number is None and found.valid_until is None
    assert cards.refusal(found, reissue=True, document=DOC)
    assert cards.refusal(found, reissue=False, document=DOC)


def test_a_valid_card_refuses_a_first_card_but_not_a_reissue_and_tells_only_its_own_holder() -> None:
    card = holding(
        card_case="c1", card_sub="u1", card_number="3514011226000001", card_valid_until=date(2028, 12, 1)
    )
    own = cards.standing(card, "c2", "u1", TODAY)
    assert (own.kind, own.number, own.valid_until) == (cards.OWN_CARD, "3514011226000001", date(2028, 12, 1))
    said = cards.refusal(own, reissue=False, document=DOC)
    assert said is not None and "1 Desember 2028" in said and "3514011226000001" in said
    assert cards.refusal(own, reissue=True, document=DOC) is None
    other = cards.standing(card, "c2", "u2", TODAY)
    assert (other.kind, other.number, other.valid_until) == (cards.OTHER_CARD, None, None)
    said = cards.refusal(other, reissue=False, document=DOC)
    assert said is not None and "3514011226000001" not in said and "2028" not in said
    assert cards.refusal(other, reissue=True, document=DOC) is None
    told = cards.told(other, DOC)
    assert told is not None and "2028" not in told


def test_an_expired_card_is_no_longer_in_the_way_on_its_last_day_it_still_is() -> None:
    card = holding(card_case="c1", card_sub="u1", card_valid_until=TODAY)
    assert cards.standing(card, "c2", "u1", TODAY).kind == cards.OWN_CARD
    assert cards.standing(card, "c2", "u1", date(2026, 12, 2)).kind == cards.FREE


def test_region_warning_names_both_regions_and_only_for_another_region() -> None:
    served = frozenset({"3514"})
    assert cards.outside("3514015708950001", served) is None
    said = cards.outside("3515015708950001", served)
    assert said is not None and "35.15" in said and "35.14" in said
    assert cards.outside("12", served) is None  # not a NIK: the form's own check says so
    assert cards.region("3671015708950001") == "36.71"


def test_offices_serve_their_own_region_and_ak1_names_its_rule() -> None:
    assert load_office("kab-pasuruan").nik_region_codes == frozenset({"3514"})
    assert load_office("kota-tangerang").nik_region_codes == frozenset({"3671"})
    entry = find_service("kab-pasuruan", "ak1")
    assert entry is not None
    product = entry.sop.one_card
    assert product is not None and product.key == "kartu_ak1"
    rule = product.one_per_person
    assert rule is not None and rule.nik == "identitas.nik" and rule.first == "Kartu baru"


def test_sop_check_refuses_a_rule_naming_no_such_fields() -> None:
    entry = find_service("kab-pasuruan", "ak1")
    assert entry is not None
    bad = OnePerPerson(nik="identitas.nama_lengkap", reason="identitas.agama", first="Baru", rule="x")
    products = [p.model_copy(update={"one_per_person": bad}) for p in entry.sop.products]
    sop = entry.sop.model_copy(update={"products": products})
    messages = [p.message for p in check_service(sop, entry.office_sop)]
    assert any("bertipe nik" in m for m in messages)
    assert any("'Baru' bukan pilihan" in m for m in messages)
