"""The public site's files as tests read them: the text tables and the ES module graph.

`text_table(path)` reads static_site/i18n/<lang>.js, which must be exactly one
`export default { key: "text", ... };` of double-quoted strings (comments allowed); anything else
is a `TableError` naming the line, so a table the browser would read differently never passes.
`module_closure(entry)` follows the static `import ... from "<relative path>";` lines.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

SITE = Path(__file__).resolve().parents[1] / "static_site"
LANGUAGES = ("id", "en")

_SKIP = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.S)
_HEAD = re.compile(r"export\s+default\s*\{")
_KEY = re.compile(r"[A-Za-z_$][\w$]*")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_IMPORT = re.compile(r'^\s*import\s+(?:[\w$*{}\s,]+\s+from\s+)?"([^"]+)"\s*;', re.M)


class TableError(ValueError):
    """A text table that is not a plain object of strings; the message says where."""


def text_table(path: Path) -> dict[str, str]:
    """{key: text} of one language's table, in file order.

    Raises TableError for anything but `export default {key: "text", ...};` with comments and
    whitespace around: a duplicate key, an unquoted value, a template literal or an escape JSON
    does not know (such as \\').
    """
    source = path.read_text(encoding="utf-8")
    pos = 0

    def where() -> str:
        return f"{path.name}:{source.count(chr(10), 0, pos) + 1}"

    def skip() -> None:
        nonlocal pos
        match = _SKIP.match(source, pos)
        pos = match.end() if match else pos

    def expect(pattern: re.Pattern[str], what: str) -> str:
        nonlocal pos
        skip()
        match = pattern.match(source, pos)
        if not match:
            raise TableError(f"{where()}: expected {what}, found {source[pos : pos + 30]!r}")
        pos = match.end()
        return match.group(0)

    expect(_HEAD, "export default {")
    table: dict[str, str] = {}
    while True:
        skip()
        if source.startswith("}", pos):
            pos += 1
            break
        key = expect(_KEY, "a key")
        expect(re.compile(":"), f"':' after {key}")
        literal = expect(_STRING, f"a double-quoted text for {key}")
        try:
            text = json.loads(literal)
        except json.JSONDecodeError as exc:
            raise TableError(f"{where()}: the text of {key} has an escape JSON does not know") from exc
        if key in table:
            raise TableError(f"{where()}: {key} twice")
        table[key] = text
        skip()
        if source.startswith(",", pos):
            pos += 1
        elif not source.startswith("}", pos):
            raise TableError(f"{where()}: expected ',' or '}}' after {key}")
    skip()
    if source.startswith(";", pos):
        pos += 1
    skip()
    if pos != len(source):
        raise TableError(f"{where()}: something after the table")
    return table


def tables() -> dict[str, dict[str, str]]:
    """Every language's table: {"id": {...}, "en": {...}}."""
    return {lang: text_table(SITE / "i18n" / f"{lang}.js") for lang in LANGUAGES}


def placeholders(text: str) -> set[str]:
    """The {name} values a text expects ("Kode baru telah dikirim ke {dest}." -> {"dest"})."""
    return set(re.findall(r"\{(\w+)\}", text))


def module_closure(entry: Path) -> list[Path]:
    """The entry module and every module it imports, directly or not, in first-seen order."""
    seen: list[Path] = []
    todo = [entry.resolve()]
    while todo:
        module = todo.pop(0)
        if module in seen:
            continue
        seen.append(module)
        todo.extend((module.parent / rel).resolve() for rel in _IMPORT.findall(module.read_text()))
    return seen
