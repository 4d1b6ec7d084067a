"""The bounded bodies the API routes (JSON) and the staff pages (forms) read (chalicelib.domain.payload)."""

from __future__ import annotations

import json

import pytest

from chalicelib.domain import payload
from chalicelib.domain.payload import MAX_BYTES, MAX_DEPTH, PayloadError, parse_object


def nested(levels: int) -> str:
    return '{"a":' * (levels - 1) + "{}" + "}" * (levels - 1)


def test_an_object_is_read_and_an_empty_body_is_an_empty_object() -> None:
    assert parse_object(b'{"form": {"identitas": {"nik": "3514011201900001"}}}')["form"]["identitas"]
    assert parse_object(None) == {} and parse_object(b"") == {}
    assert parse_object('{"a": "é"}') == {"a": "é"}


def test_depth_up_to_the_limit_is_read_and_one_more_level_is_refused() -> None:
    assert parse_object(nested(MAX_DEPTH))
    with pytest.raises(PayloadError) as refused:
        parse_object(nested(MAX_DEPTH + 1))
    assert refused.value.status == 400 and "bersarang" in refused.value.message


@pytest.mark.parametrize("levels", [900, 100_000])
def test_a_deep_body_is_a_400_whether_or_not_the_parser_itself_recurses_too_far(levels: int) -> None:
    """900 levels parse (then the depth check refuses them); 100,000 make json raise RecursionError."""
    with pytest.raises(PayloadError) as refused:
        parse_object('{"a":' + "[" * levels + "]" * levels + "}")
    assert refused.value.status == 400 and "bersarang" in refused.value.message


def test_a_body_over_the_size_bound_is_a_413() -> None:
    with pytest.raises(PayloadError) as refused:
        parse_object(json.dumps({"a": "x" * MAX_BYTES}).encode())
    assert refused.value.status == 413 and "terlalu besar" in refused.value.message


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"\xff\xfe{}",
        b'{"a": "\xc3\x28"}',
        b"NaN",
        b'{"a": NaN}',
        b'{"a": Infinity}',
        b"null",
        b"[]",
        b"1",
    ],
)
def test_what_is_not_a_json_object_is_a_400(raw: bytes) -> None:
    with pytest.raises(PayloadError) as refused:
        parse_object(raw)
    assert refused.value.status == 400 and refused.value.message


def test_a_lone_surrogate_is_refused_in_keys_and_values() -> None:
    for raw in ('{"a": "\\ud800"}', '{"\\udfff": 1}', '{"a": [["\\ud800"]]}'):
        with pytest.raises(PayloadError) as refused:
            parse_object(raw)
        assert "tidak sah" in refused.value.message


def test_a_form_is_read_with_blank_values_and_repeated_fields_in_order() -> None:
    assert payload.parse_form(b"csrf=a&note=&roles=x&roles=y") == {
        "csrf": ["a"],
        "note": [""],
        "roles": ["x", "y"],
    }
    assert payload.parse_form(b"") == payload.parse_form(None) == {}
    assert payload.parse_form(b"name=\xff") == {"name": ["\ufffd"]}  # not UTF-8: shown as a browser would


def test_a_form_over_its_size_or_field_count_is_a_413_in_indonesian_before_it_is_parsed() -> None:
    """Found: the hostile test's 2 MB body of 500,000 fields cost parse_qs about 40 ms at every read."""
    with pytest.raises(payload.PayloadTooLarge, match="Formulir yang dikirim terlalu besar") as big:
        payload.parse_form(b"a=b&" * 500_000)
    assert big.value.status == 413
    fields = "&".join(f"f{i}=1" for i in range(payload.MAX_FORM_FIELDS + 1))
    assert len(fields) < payload.MAX_FORM_BYTES
    with pytest.raises(payload.PayloadTooLarge):
        payload.parse_form(fields)
    assert len(payload.parse_form(fields.rsplit("&", 1)[0])) == payload.MAX_FORM_FIELDS
