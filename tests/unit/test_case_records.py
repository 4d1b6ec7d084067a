"""The typed records of a case (`domain/case_records.py`) and how the table keeps them
(`adapters/models.RecordsAttribute`): the JSON text a plain dict made before the records were
typed, byte for byte, so items already in the table load and nothing that reads them changes.

Each stored text below is `json.dumps` of a map as the code wrote it before (the same keys in the
same order), with values taken from the integration tests' walks through the SOPs.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from pynamodb.expressions.update import Update

from chalicelib.adapters.models import Case, LoketItem
from chalicelib.domain.case_records import IssuedDocument, Officer, Signing

# --- what the code wrote, as plain dicts ------------------------------------------------------------

OFFICERS = {  # services/work.decide: every key, null for a name or NIP the account lacks
    "02": {
        "username": "kab-pasuruan.staf.walk",
        "name": "Petugas Kab-Pasuruan.Staf.Walk",
        "nip": "19800101 200501 1 001",
        "role": "staf",
        "role_label": "Staf Pelayanan Seksi Penempatan dan Bursa Kerja",
        "decision": "approve",
        "at": "2026-11-30T16:38:10.643Z",
    },
    "06": {
        "username": "kab-pasuruan.kadis",
        "name": None,
        "nip": None,
        "role": "kadis",
        "role_label": "Kepala Dinas Tenaga Kerja",
        "decision": "return",
        "at": "2026-11-30T16:39:00.001Z",
    },
}
SIGNATURES = {  # a signature step signed in one's own right, and one signed a.n. under a decree
    "12": {
        "signed_by": "kota-tangerang.kasi.walk",
        "as_role": "kasi",
        "for_role": None,
        "kind": None,
        "decree": None,
    },
    "14": {
        "signed_by": "kota-tangerang.kabid.walk",
        "as_role": "kabid",
        "for_role": "kadis",
        "kind": "a.n.",
        "decree": "SK Kadis No. 800/12/Disnaker/2026",
    },
}
RECORDS = {  # clean_records: dates as ISO text, money as a float, text as typed
    "03": {"nama_petugas_pptkis": "Andi Wirawan", "referensi_biometrik": "BIO-88812"},
    "06": {"tanggal_pembayaran": "2026-11-01", "nomor_jurnal": "REF-2026-001", "nominal": 1500000.0},
}
DRAFT = {
    "key": "cases/45erszgswprkzrzk24ddgrmf/berita_acara_seleksi/v1.pdf",
    "version": 1,
    "verify_id": "iWa9G76xFm_mo93y5-x6J02P",
    "signed": False,
    "signature_ref": None,
}
PRODUCTS = [
    # number_letter: numbered before anything is drafted
    {"berita_acara_seleksi": {"number": "560/1/424.070/2026", "name": "Berita Acara Seleksi CPMI"}},
    # ... then drafted (issue_document): a version, not final
    {"berita_acara_seleksi": {"number": "560/1/424.070/2026", "name": "Berita Acara Seleksi CPMI", **DRAFT}},
    # ... signed (a new version, final), then published to the applicant
    {
        "berita_acara_seleksi": {
            "number": "560/1/424.070/2026",
            "name": "Berita Acara Seleksi CPMI",
            **DRAFT,
            "key": "cases/45erszgswprkzrzk24ddgrmf/berita_acara_seleksi/v4.pdf",
            "version": 4,
            "signed": True,
            "signature_ref": "09|2026-11-30T16:40:41.881Z|kab-pasuruan.kasi_perlindungan.walk||",
            "issued_on": "2026-11-30",
            "valid_until": None,
            "downloadable": True,
        }
    },
    # the AK/I card: its own number once final, valid two years, issued in the officer's name
    {
        "kartu_ak1": {
            "number": "3514301126000001",
            "name": "Kartu AK-1",
            "key": "cases/5llxyfjwk7u6zoliw2nxfak7/kartu_ak1/v1.pdf",
            "version": 1,
            "verify_id": "M7ZI6qDe5o7ZSZxHo_YVUX69",
            "signed": True,
            "signature_ref": "kab-pasuruan.pengantar_kerja.walk@2026-11-30T16:41:31.208Z",
            "issued_on": "2026-11-30",
            "valid_until": "2028-11-30",
        }
    },
    # the Validasi TKA notice: no number, final when issued; two products on one case
    {
        "validasi_tka": {
            "name": "Validasi TKA (Online)",
            "key": "cases/rksjyykm3nl34kuk3bhabanf/validasi_tka/v1.pdf",
            "version": 1,
            "verify_id": "uKGT600a2F8Ef2V0kNvVka0U",
            "signed": True,
            "signature_ref": "kab-pasuruan.staf.walk@2026-11-30T16:38:50.002Z",
            "issued_on": "2026-11-30",
            "valid_until": None,
        },
        "bukti_status": {"downloadable": True},  # published, never rendered (a status, no PDF)
    },
    {},  # a case nothing was issued for yet
]


def _stored(value: dict[str, Any]) -> str:
    """What a JSONAttribute stored for a plain dict."""
    return json.dumps(value)


# --- the stored text, byte for byte ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("attribute", "stored"),
    [
        ("officers", OFFICERS),
        ("signatures", SIGNATURES),
        ("records", RECORDS),
        *(("products", p) for p in PRODUCTS),
    ],
)
def test_a_stored_map_reads_as_records_and_writes_back_byte_for_byte(attribute: str, stored: Any) -> None:
    attr = getattr(Case, attribute)
    text = _stored(stored)
    assert attr.serialize(attr.deserialize(text)) == text


def test_records_read_as_their_types() -> None:
    officers = Case.officers.deserialize(_stored(OFFICERS))
    assert officers["02"] == Officer(
        username="kab-pasuruan.staf.walk",
        name="Petugas Kab-Pasuruan.Staf.Walk",
        nip="19800101 200501 1 001",
        role="staf",
        role_label="Staf Pelayanan Seksi Penempatan dan Bursa Kerja",
        decision="approve",
        at="2026-11-30T16:38:10.643Z",
    )
    assert officers["06"].shown_name == "kab-pasuruan.kadis"
    signatures = Case.signatures.deserialize(_stored(SIGNATURES))
    assert signatures["12"] == Signing(signed_by="kota-tangerang.kasi.walk", as_role="kasi")
    assert (signatures["14"].for_role, signatures["14"].kind) == ("kadis", "a.n.")
    assert Case.records.deserialize(_stored(RECORDS))["06"]["nominal"] == 1500000.0
    card = Case.products.deserialize(_stored(PRODUCTS[3]))["kartu_ak1"]
    assert card.issued_on == date(2026, 11, 30) and card.valid_until == date(2028, 11, 30)
    assert card.rendered and card.signed and not card.downloadable
    numbered = Case.products.deserialize(_stored(PRODUCTS[0]))["berita_acara_seleksi"]
    assert numbered == IssuedDocument(number="560/1/424.070/2026", name="Berita Acara Seleksi CPMI")
    assert not numbered.rendered and numbered.version == 0


def test_records_made_in_code_store_what_the_dicts_stored() -> None:
    """The writers build records now (work.decide, issuing, the worker): the same text results."""
    officers = {
        "02": Officer(
            username="kab-pasuruan.staf.walk",
            name="Petugas Kab-Pasuruan.Staf.Walk",
            nip="19800101 200501 1 001",
            role="staf",
            role_label="Staf Pelayanan Seksi Penempatan dan Bursa Kerja",
            decision="approve",
            at="2026-11-30T16:38:10.643Z",
        ),
        "06": Officer(
            username="kab-pasuruan.kadis",
            role="kadis",
            role_label="Kepala Dinas Tenaga Kerja",
            decision="return",
            at="2026-11-30T16:39:00.001Z",
        ),
    }
    assert Case.officers.serialize(officers) == _stored(OFFICERS)
    signatures = {
        "12": Signing(signed_by="kota-tangerang.kasi.walk", as_role="kasi"),
        "14": Signing(
            signed_by="kota-tangerang.kabid.walk",
            as_role="kabid",
            for_role="kadis",
            kind="a.n.",
            decree="SK Kadis No. 800/12/Disnaker/2026",
        ),
    }
    assert Case.signatures.serialize(signatures) == _stored(SIGNATURES)
    published = IssuedDocument(
        number="560/1/424.070/2026",
        name="Berita Acara Seleksi CPMI",
        key="cases/45erszgswprkzrzk24ddgrmf/berita_acara_seleksi/v4.pdf",
        version=4,
        verify_id="iWa9G76xFm_mo93y5-x6J02P",
        signed=True,
        signature_ref="09|2026-11-30T16:40:41.881Z|kab-pasuruan.kasi_perlindungan.walk||",
        issued_on=date(2026, 11, 30),
        downloadable=True,
    )
    assert Case.products.serialize({"berita_acara_seleksi": published}) == _stored(PRODUCTS[2])


def test_a_draft_numbered_after_it_was_drafted_keeps_its_values_not_its_key_order() -> None:
    """Before, `number` went last when the draft existed before its number (a letter drafted,
    then numbered). The record writes its keys in one order: the same JSON object, every key and
    value kept, with `number` first (no reader depends on the order of a JSON object's keys)."""
    stored = {"surat": {"name": "Surat Keterangan", **DRAFT, "number": "560/1/424.070/2026"}}
    again = Case.products.serialize(Case.products.deserialize(_stored(stored)))
    assert json.loads(again) == stored
    assert list(json.loads(again)["surat"]) == ["number", "name", *DRAFT]


# --- older items and wrong writes ------------------------------------------------------------------


def test_an_item_written_before_a_field_existed_loads_with_its_default() -> None:
    officer = Case.officers.deserialize('{"04": {"username": "u", "name": "N", "nip": "1", "role": "staf"}}')
    assert officer["04"] == Officer(username="u", name="N", nip="1", role="staf")
    assert officer["04"].at is None and officer["04"].decision is None
    signed = Case.signatures.deserialize('{"06": {"signed_by": "u", "as_role": "kadis", "for_role": null}}')
    assert signed["06"] == Signing(signed_by="u", as_role="kadis")
    assert Case.products.deserialize('{"p": {"number": "1", "extra": 5}}')["p"] == IssuedDocument(number="1")
    assert Case.officers.deserialize('{"04": {}}')["04"] == Officer()


def test_a_case_item_without_the_maps_loads_them_empty() -> None:
    item = {
        "PK": {"S": "CASE#c1"},
        "SK": {"S": "#CASE"},
        "kind": {"S": "case"},
        "case_id": {"S": "c1"},
        "office": {"S": "kab-pasuruan"},
        "service": {"S": "ak1"},
        "applicant_sub": {"S": "sub"},
        "status": {"S": "draft"},
        "created_at": {"S": "2026-11-30T16:00:00.000Z"},
        "updated_at": {"S": "2026-11-30T16:00:00.000Z"},
        "version": {"N": "1"},
        "officers": {"S": _stored(OFFICERS)},
    }
    case = LoketItem.from_raw_data(item)
    assert isinstance(case, Case)
    assert (case.products, case.records, case.signatures) == ({}, {}, {})
    assert case.officers["02"].username == "kab-pasuruan.staf.walk"
    assert case.serialize()["officers"] == {"S": _stored(OFFICERS)}


def test_an_update_sends_the_stored_text() -> None:
    """`Case.officers.set(...)` in an update or a transaction (work.decide's `Write`) sends the
    whole map as the same string attribute the item holds."""
    officers = Case.officers.deserialize(_stored(OFFICERS))
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    Update(Case.officers.set(officers), Case.products.set({})).serialize(names, values)
    assert names == {"officers": "#0", "products": "#1"}
    assert values == {":0": {"S": _stored(OFFICERS)}, ":1": {"S": "{}"}}


def test_a_plain_dict_is_refused_not_stored_in_another_shape() -> None:
    with pytest.raises(TypeError, match=r"officers\['06'\] must be Officer, not dict"):
        Case.officers.set({"06": {"username": "u"}})
    with pytest.raises(TypeError, match="must be IssuedDocument"):
        Case.products.serialize({"p": Officer()})
