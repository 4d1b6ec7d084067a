"""An accepted PDF searched for active content, in the worker only (pypdf is never on the API
Lambda's import path: tests/unit/test_import_path.py).

A PDF is a document for staff to read, but the format can also carry programs and triggers: a
script run when the file opens or a field is clicked, a program or file launched, data sent to
a server, files or Flash hidden inside. The malware scan finds known viruses, not these. So the
worker opens the file with pypdf and walks every object reachable from its trailer and from
its catalog as pypdf found it (the pages, their annotations and actions, name trees, form
fields, objects inside compressed object streams), comparing names as pypdf decodes them
(`/J#61vaScript` is `/JavaScript`):

- **active keys** (ACTIVE_KEYS): `/JS` and `/JavaScript` (scripts and the document's script
  tree), `/EmbeddedFiles` and `/EF` (files hidden inside), `/RichMedia`, `/RichMediaContent`
  (Flash, video with scripts), `/XFA` (a form that runs scripts);
- **active actions** (ACTIVE_ACTIONS): any dictionary whose `/S` is `/JavaScript`, `/Launch`,
  `/ImportData`, `/SubmitForm`, `/RichMediaExecute` or `/GoToE`, wherever it hangs (the
  catalog's `/OpenAction`, `/AA` triggers, a link's `/A`, a `/Next` chain).

Links (`/URI`, `/GoTo`) and an `/OpenAction` that only opens a page (`[page /Fit]`) are fine:
ordinary scanners and word processors write them. Stream contents (page drawings, images,
fonts) are not read: nothing in them runs.

A PDF found active is refused, never rewritten: Loket keeps only what the applicant sent or
nothing (services/uploads.py). So is one pypdf cannot open (damaged, cut short), one with no
page, one with more than MAX_OBJECTS objects (not checkable in the worker's time), and an
encrypted one unless it opens with an empty password: staff could not open it either, while a
file with only an owner password (printing or copying restricted) opens for everyone and is
searched as any other.

Nothing of the file reaches the logs: pypdf's own warnings, which quote the bytes they stumble
on, are silenced.
"""

from __future__ import annotations

import io
import logging
from typing import Any

# Above this many objects a PDF is refused as not checkable: an ordinary scan or letter has tens,
# a long report a few thousand. pypdf opens and walks about 20,000 a second (measured on a
# developer's machine: 150,000 small objects in 8 s), so the search ends well inside the worker's
# 60 s (.chalice/config.json) even on a slower Lambda.
MAX_OBJECTS = 100_000

ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RichMedia", "/RichMediaContent", "/XFA"}
)
ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute", "/GoToE"}
)


class UnreadablePdf(ValueError):
    """The PDF cannot be opened and searched whole: damaged, cut short, encrypted with a
    password, without a page, or too many objects to check."""


def active_content(data: bytes) -> list[str]:
    """The names of the active content `data` (a PDF) holds, sorted, each once: the keys found
    and, for an action, `/S <type>` (e.g. ["/JS", "/S /JavaScript"]); empty when there is none.
    Raises UnreadablePdf when it cannot be searched whole (see the module's docstring)."""
    from pypdf import PasswordType, PdfReader

    # pypdf's warnings quote the bytes they stumble on (a name, a string of the applicant's file):
    # none of that may reach the logs. Only the names found are logged (services/uploads.py).
    logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise UnreadablePdf("encrypted with a password")
        if len(reader.pages) == 0:
            raise UnreadablePdf("no page")
        # The catalog as pypdf found it too: when the trailer names none, or names something
        # that is not a catalog, pypdf (like a forgiving viewer) searches the file for one.
        root = reader.root_object
        return _search([reader.trailer, root.indirect_reference or root])
    except UnreadablePdf:
        raise
    except Exception as error:  # pypdf raises many kinds of error on a malformed file
        raise UnreadablePdf(f"{type(error).__name__}: {error}") from error


def _search(starts: list[Any]) -> list[str]:
    """Every object reachable from `starts` visited once (indirect objects by their number),
    without recursion: a deep or cyclic file cannot exhaust the stack."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    todo: list[Any] = list(starts)
    visited = 0
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            number = (item.idnum, item.generation)
            if number in seen:
                continue
            seen.add(number)
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise UnreadablePdf(f"more than {MAX_OBJECTS} objects")
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in ACTIVE_KEYS:
                    found.add(str(key))
                if key == "/S":
                    action = value.get_object() if isinstance(value, IndirectObject) else value
                    if isinstance(action, str) and action in ACTIVE_ACTIONS:
                        found.add(f"/S {action}")
                if isinstance(value, (DictionaryObject, ArrayObject, IndirectObject)):
                    todo.append(value)
        elif isinstance(item, ArrayObject):
            todo.extend(v for v in item if isinstance(v, (DictionaryObject, ArrayObject, IndirectObject)))
    return sorted(found)
