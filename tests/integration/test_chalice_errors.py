"""Chalice's own refusals in Loket's words (chalicelib/api/chalice_errors.py): a body of the
wrong Content-Type on every route that takes one, a method an address does not answer."""

from __future__ import annotations

import json
import re

import pytest
from chalice.test import Client

from app import app
from tests.helpers import Officer


@pytest.fixture
def client(aws):
    with Client(app) as c:
        yield c


def _routes_with_a_body() -> list[tuple[str, str, list[str]]]:
    """(path with its parameters filled, method, content types) of every route taking a body."""
    found = []
    for path, methods in app.routes.items():
        for method, entry in methods.items():
            if method in ("POST", "PUT", "PATCH") and entry.content_types:
                filled = re.sub(r"\{[^}]+\}", "x1", path)
                found.append((filled, method, entry.content_types))
    return sorted(found)


def test_every_route_kind_is_covered() -> None:
    kinds = {(path.split("/")[1], tuple(types)) for path, _, types in _routes_with_a_body()}
    assert ("api", ("application/json",)) in kinds
    assert ("staff", ("application/x-www-form-urlencoded",)) in kinds
    assert any(path == "staff" and "multipart/form-data" in types for path, types in kinds)


def test_a_body_of_the_wrong_kind_is_answered_in_indonesian_on_every_route(client, staff) -> None:
    officer = Officer(client, *staff("kab-pasuruan.admin", "kab-pasuruan.admin"))
    for path, method, types in _routes_with_a_body():
        for cookie in ({}, {"Cookie": officer.cookie}) if path.startswith("/staff") else ({},):
            response = client.http.request(
                method, path, headers={"Content-Type": "text/plain", **cookie}, body=b"x"
            )
            text = response.body.decode()
            where = f"{method} {path} {bool(cookie)}"
            assert response.status_code == 415, where
            assert "UnsupportedMediaType" not in text and "Unsupported media type" not in text, where
            if path.startswith("/staff"):
                assert response.headers["Content-Type"].startswith("text/html"), where
                assert "tidak dikenali" in text and '<html lang="id">' in text, where
            else:
                error = json.loads(text)["error"]
                assert error["code"] == "unsupported_media_type", where
                assert "tidak diterima" in error["message"] and types[0] in error["message"], where


def test_a_method_an_address_does_not_answer_is_said_in_indonesian(client) -> None:
    response = client.http.request("DELETE", "/api/offices")
    assert response.status_code == 405 and response.headers.get("Allow")
    error = json.loads(response.body.decode())["error"]
    assert error["message"] == "Permintaan DELETE tidak tersedia di alamat ini."
    page = client.http.request("PUT", "/staff/login", headers={"Content-Type": "text/plain"}, body=b"x")
    assert page.status_code == 405 and "tidak tersedia di alamat ini" in page.body.decode()
    assert page.headers["Content-Type"].startswith("text/html")
