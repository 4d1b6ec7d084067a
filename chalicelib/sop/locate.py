"""Point a problem at its YAML line and say it in Indonesian.

A problem has a location: the path of keys and list indexes pydantic or the rules report
(`("steps", 8, "actors", 0)`). The composed YAML node tree keeps each node's line, so walking
the same path through it finds the line to show an office administrator.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from pydantic_core import ErrorDetails

Loc = tuple[str | int, ...]

_KEY_PATTERN_HINT = {
    "^[a-z][a-z0-9_]*$": "huruf kecil, angka dan garis bawah, mis. kasi_penempatan",
    "^[a-z][a-z0-9-]*$": "huruf kecil, angka dan tanda hubung, mis. kab-pasuruan",
    "^[a-z0-9][a-z0-9-]*$": "huruf kecil, angka dan tanda hubung, mis. tanda-daftar-bkk",
    r"^\d{4}$": "empat angka kode wilayah, mis. 3514",
}

_MESSAGES = {
    "missing": "wajib diisi (field required)",
    "extra_forbidden": "kunci tidak dikenal (extra field)",
    "string_type": "harus berupa teks",
    "string_too_short": "tidak boleh kosong",
    "int_type": "harus bilangan bulat",
    "int_parsing": "harus bilangan bulat",
    "int_from_float": "harus bilangan bulat",
    "float_type": "harus angka",
    "float_parsing": "harus angka",
    "bool_type": "harus true atau false",
    "bool_parsing": "harus true atau false",
    "greater_than": "harus lebih besar dari {gt}",
    "greater_than_equal": "paling kecil {ge}",
    "less_than_equal": "paling besar {le}",
    "list_type": "harus berupa daftar (list)",
    "dict_type": "harus berupa pemetaan kunci: nilai (mapping)",
    "model_type": "harus berupa pemetaan kunci: nilai (mapping)",
    "model_attributes_type": "harus berupa pemetaan kunci: nilai (mapping)",
    "too_short": "paling sedikit {min_length} isian",
    "literal_error": "nilai {input!r} tidak dikenal; pilihan: {expected}",
}


def line_of(root: yaml.Node | None, loc: Loc) -> int:
    """The 1-based line of the deepest node on `loc` that exists (a missing key: its parent)."""
    if root is None:
        return 1
    node: yaml.Node = root
    pointer: yaml.Node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            if part == "[key]":
                continue
            entries = [(key, value) for key, value in node.value if key.value == str(part)]
            if not entries:
                break
            pointer, node = entries[-1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = pointer = node.value[part]
        else:
            break
    return pointer.start_mark.line + 1


def duplicate_keys(root: yaml.Node | None) -> Iterator[tuple[int, str]]:
    """(line, key) of every key written twice in one mapping: YAML would keep only the last one."""
    if isinstance(root, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in root.value:
            if key.value in seen:
                yield key.start_mark.line + 1, str(key.value)
            seen.add(key.value)
            yield from duplicate_keys(value)
    elif isinstance(root, yaml.SequenceNode):
        for item in root.value:
            yield from duplicate_keys(item)


def pydantic_message(error: ErrorDetails) -> str:
    """A pydantic error in Indonesian, with the English kind in parentheses when unusual."""
    context: dict[str, Any] = dict(error.get("ctx") or {})
    kind = error["type"]
    if kind == "value_error":
        return str(context.get("error", error["msg"])).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        hint = _KEY_PATTERN_HINT.get(str(context.get("pattern")), f"pola {context.get('pattern')}")
        return f"bentuk {error['input']!r} tidak sah ({hint})"
    if kind == "literal_error":
        context["expected"] = str(context.get("expected", "")).replace(" or ", " atau ")
    template = _MESSAGES.get(kind)
    if template is None:
        return f"{error['msg']} ({kind})"
    return template.format(input=error.get("input"), **context)


def describe(loc: Loc, message: str, data: Any, with_path: bool) -> str:
    """ "langkah 9: actors[0]: ..." — the step or role the problem sits in, then the key path."""
    context, rest = _context(loc, data)
    path = _path(rest) if with_path else ""
    parts = [part for part in (context, path) if part]
    return ": ".join([*parts, message])


def _context(loc: Loc, data: Any) -> tuple[str, Loc]:
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
        steps = data.get("steps") if isinstance(data, dict) else None
        number = None
        if isinstance(steps, list) and loc[1] < len(steps) and isinstance(steps[loc[1]], dict):
            number = steps[loc[1]].get("number")
        label = f"langkah {number}" if isinstance(number, int) else f"langkah urutan ke-{loc[1] + 1}"
        return label, loc[2:]
    if len(loc) >= 2 and loc[0] == "roles":
        return f"peran {loc[1]}", tuple(p for p in loc[2:] if p != "[key]")
    return "", loc


def _path(loc: Loc) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part != "[key]":
            text += f".{part}" if text else str(part)
    return text
