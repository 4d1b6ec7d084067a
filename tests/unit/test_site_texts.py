"""The public site's texts: one table per language with exactly the same keys, and every key a page
asks for is in them (static_site/i18n/id.js and en.js, read by tests/site.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.site import SITE, TableError, module_closure, placeholders, tables, text_table


def test_both_languages_have_exactly_the_same_keys() -> None:
    found = tables()
    only_id = sorted(set(found["id"]) - set(found["en"]))
    only_en = sorted(set(found["en"]) - set(found["id"]))
    assert (only_id, only_en) == ([], []), f"only in id.js: {only_id}; only in en.js: {only_en}"
    assert len(found["id"]) > 200  # the whole site's texts, not a stub


def test_a_text_fills_in_the_same_values_in_both_languages() -> None:
    found = tables()
    differ = {
        key: (sorted(placeholders(text)), sorted(placeholders(found["en"][key])))
        for key, text in found["id"].items()
        if placeholders(text) != placeholders(found["en"].get(key, ""))
    }
    assert differ == {}


def test_no_text_is_empty() -> None:
    assert [(lang, k) for lang, table in tables().items() for k, v in table.items() if not v.strip()] == []


def _used_keys() -> dict[str, set[str]]:
    """Keys named literally by the modules (t("key"), "data-i18n": "key") and the pages (data-i18n)."""
    used: dict[str, set[str]] = {}
    patterns = [
        re.compile(r'\bt\(\s*"([^"]+)"(?!\s*\+)'),  # not t("kind_" + kind)
        re.compile(r'"data-i18n":\s*"([^"]+)"'),
        re.compile(r'data-i18n(?:-title)?="([^"]+)"'),
    ]
    for path in [*SITE.glob("js/**/*.js"), *SITE.glob("*.html")]:
        text = re.sub(r"/\*.*?\*/|^\s*//.*$", "", path.read_text(), flags=re.S | re.M)  # comments
        for pattern in patterns:
            for key in pattern.findall(text):
                used.setdefault(key, set()).add(str(path.relative_to(SITE)))
    return used


def test_every_key_a_page_names_is_in_the_tables() -> None:
    known = tables()["id"]
    used = _used_keys()
    assert len(used) > 100, "the scan found too few keys: has the way texts are looked up changed?"
    assert {key: sorted(where) for key, where in used.items() if key not in known} == {}


@pytest.mark.parametrize(
    "source",
    [
        'export default { a: "x", a: "y" };',
        "export default { a: `x` };",
        "export default { a: 'x' };",
        'export default { a: "it\\\'s" };',
        'export default { a: "x" }; export const b = 1;',
        'const t = { a: "x" };',
    ],
)
def test_a_table_the_browser_might_read_otherwise_is_refused(tmp_path: Path, source: str) -> None:
    table = tmp_path / "xx.js"
    table.write_text(source)
    with pytest.raises(TableError, match=r"xx\.js:1"):
        text_table(table)


def test_comments_and_a_trailing_comma_are_fine(tmp_path: Path) -> None:
    table = tmp_path / "xx.js"
    table.write_text('/* head */\nexport default {\n  // group\n  a: "x \\"y\\" {n}", b: "\\u2014",\n};\n')
    assert text_table(table) == {"a": 'x "y" {n}', "b": "—"}


@pytest.mark.parametrize("page", ["index", "ajukan", "berkas", "cek"])
def test_each_page_preloads_exactly_the_modules_it_imports(page: str) -> None:
    """<link rel="modulepreload"> for every module of the page, so a phone fetches them at once
    instead of one import level per round trip; a module added or dropped must be listed here."""
    html = (SITE / f"{page}.html").read_text()
    entry = SITE / "js" / "pages" / f"{page}.js"
    assert f'<script type="module" src="js/pages/{page}.js"></script>' in html
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', html)
    imported = [str(p.relative_to(SITE.resolve())) for p in module_closure(entry)]
    assert sorted(preloaded) == sorted(imported)
    assert len(preloaded) == len(set(preloaded))
