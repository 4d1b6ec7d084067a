"""The products Loket prints, found by their id: the one place a product's renderer is named.

A renderer registers itself with a decorator, in a module of `chalicelib/documents/products/`:

    from chalicelib.documents.registry import renderers

    @renderers.letter("surat_keterangan_kerja")        # a letter: its Plan in the office's frame
    def surat_keterangan_kerja(f: Facts) -> Plan: ...

    @renderers.register("id_cpmi", number_record="referensi_siskotkln")   # any other PDF
    def id_cpmi(f: Facts) -> bytes: ...

The product id is the product's `key` in the SOP file. Registering an id twice is refused
(`DuplicateRenderer`). The first read of the registry imports every module of
`chalicelib.documents.products`, so a new module there registers itself with no list to edit.
Those modules must stay light (reportlab and Pillow imported inside the functions): `sop check`
and the API Lambda read the registry to refuse an SOP product nobody can print.

The options of a registration say what the issuing rules (`services/issuing.py`) need to know
about the document beyond the SOP; see `Renderer`. Tests add renderers inside `renderers.scoped()`
or replace the module's `renderers` with a fresh `Registry`.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, TypeVar, Unpack

if TYPE_CHECKING:
    from chalicelib.documents.letters.plan import Plan
    from chalicelib.documents.values import Facts

PRODUCTS_PACKAGE = "chalicelib.documents.products"
# Whom a document is about, for the public verification page: the first of these form values.
HOLDER = (
    "cpmi.nama_lengkap",
    "tka.nama_tka",
    "lembaga.nama_lembaga",
    "perusahaan.nama_perusahaan",
    "identitas.nama_lengkap",
)

Render = TypeVar("Render", bound="Callable[[Facts], bytes]")
Build = TypeVar("Build", bound="Callable[[Facts], Plan]")


@dataclass(frozen=True)
class Numbering:
    """A register a document takes its own number from: `format` as in office.yaml's numbering
    (`{region}`, `{seq:06d}`, `{ddmmyy}`, `{year}`...), counted per office, `code` and year."""

    format: str
    code: str


class DuplicateRenderer(ValueError):
    """A product id registered twice: two renderers would claim the same SOP product."""


class UnknownProduct(LookupError):
    """No renderer is registered for this product id."""


class UnreadableImage(ValueError):
    """An upload the document prints (the 3x4 photo) is no readable image.

    The issuing rule issues the document without it and records `note` (Indonesian) in the case's
    audit trail, so staff see why the box is empty.
    """

    def __init__(self, upload: str, note: str) -> None:
        super().__init__(f"upload {upload} is not a readable image")
        self.upload = upload
        self.note = note


@dataclass(frozen=True)
class Renderer:
    """One product's renderer and what the issuing rules need to know about its document.

    `render` takes the `Facts` of the case and returns PDF bytes. Options (all optional):
    - `number_record`: the document carries the number staff recorded under this record key (a
      SISKOTKLN reference), else its letter number;
    - `own_number`: its number is taken from this register once it is final (the AK/I card);
    - `registration`: a second number taken from this register once it is final (Tanda Daftar BKK);
    - `requires`: form values ("section.field") it can never be issued without;
    - `uploads`: the applicant's uploads it prints (their bytes are in `Facts.uploads`);
    - `issued_by_record`: a document no signature step covers is issued in the name of the officer
      who recorded this key (the validating officer), else of the latest staff decision;
    - `holder`: form values that name whom it is about, first found (verification page);
    - `valid_years`: validity when the SOP product names no `valid_years`;
    - `email_note`: a line the applicant's email adds when this document is attached;
    - `holder_reports`: its holder reports every six months in its boxes, is reminded by email and
      closes it by reporting work (the AK/I card: services/holder.py).
    """

    product: str
    render: Callable[[Facts], bytes]
    number_record: str | None = None
    own_number: Numbering | None = None
    registration: Numbering | None = None
    requires: tuple[str, ...] = ()
    uploads: tuple[str, ...] = ()
    issued_by_record: str | None = None
    holder: tuple[str, ...] = HOLDER
    valid_years: int | None = None
    email_note: str | None = None
    holder_reports: bool = False


class Options(TypedDict, total=False):
    """The options of a registration (see `Renderer`)."""

    number_record: str | None
    own_number: Numbering | None
    registration: Numbering | None
    requires: tuple[str, ...]
    uploads: tuple[str, ...]
    issued_by_record: str | None
    holder: tuple[str, ...]
    valid_years: int | None
    email_note: str | None
    holder_reports: bool


class Registry:
    """Product id -> `Renderer`, filled by the decorators of the product modules."""

    def __init__(self, package: str | None = PRODUCTS_PACKAGE) -> None:
        self._package = package
        self._entries: dict[str, Renderer] = {}
        self._loaded = package is None
        self._loading = False  # the product modules are being imported (by the lock's holder)
        self._lock = threading.RLock()

    def register(self, product: str, **options: Unpack[Options]) -> Callable[[Render], Render]:
        """Decorator: `render(facts) -> bytes` is the renderer of `product` (options: `Renderer`)."""

        def decorator(render: Render) -> Render:
            self.add(Renderer(product, render, **options))
            return render

        return decorator

    def letter(self, product: str, **options: Unpack[Options]) -> Callable[[Build], Build]:
        """Decorator: `build(facts) -> Plan` is the letter of `product`, drawn in the office's frame."""

        def decorator(build: Build) -> Build:
            def render(facts: Facts) -> bytes:
                from chalicelib.documents.letters.frame import render_letter

                return render_letter(facts, build(facts))

            self.add(Renderer(product, render, **options))
            return build

        return decorator

    def add(self, renderer: Renderer) -> None:
        """Register one renderer; raises DuplicateRenderer if its product id is taken."""
        with self._lock:
            if renderer.product in self._entries:
                raise DuplicateRenderer(f"product '{renderer.product}' already has a renderer")
            self._entries[renderer.product] = renderer

    def get(self, product: str) -> Renderer:
        """The renderer of `product`; raises UnknownProduct."""
        self._load()
        try:
            return self._entries[product]
        except KeyError:
            raise UnknownProduct(product) from None

    def __contains__(self, product: object) -> bool:
        self._load()
        return product in self._entries

    def ids(self) -> list[str]:
        """Every registered product id, sorted."""
        self._load()
        return sorted(self._entries)

    @contextmanager
    def scoped(self) -> Iterator[Registry]:
        """Registrations made inside the block are forgotten after it (for tests)."""
        self._load()
        with self._lock:
            saved = dict(self._entries)
        try:
            yield self
        finally:
            with self._lock:
                self._entries = saved

    def _load(self) -> None:
        """Import every product module once. `_loaded` turns true only once they all are: another
        thread asking meanwhile waits on the lock (chalice local serves requests on threads; the
        first requests at once saw an empty registry and refused AK-1's card). The importing
        thread itself passes (`_loading`, the lock is re-entrant): a module may read the registry."""
        if self._loaded:
            return
        with self._lock:
            if self._loaded or self._loading or self._package is None:
                return
            self._loading = True
            try:
                package = importlib.import_module(self._package)
                for module in pkgutil.iter_modules(package.__path__):
                    importlib.import_module(f"{self._package}.{module.name}")
                self._loaded = True
            finally:
                self._loading = False


renderers = Registry()
