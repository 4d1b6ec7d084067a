"""SOP files uploaded by an office's administrator: checked as `sop check` checks them against this
office, and, when they pass, kept (the bytes privately in the documents bucket, a SopFile item
PK `OFFICE#<office>` SK `SOPFILE#<service>#<sha256>` and an office-log line in one conditional
write). Keeping activates nothing: `python -m chalicelib.cli sop pull` and a deploy do."""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from chalicelib.adapters import storage
from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import OfficeEvent, SopFile
from chalicelib.adapters.transact import Refused, Write, write_all
from chalicelib.domain.clock import iso, now
from chalicelib.errors import InvalidInput, NotFound, TooLarge
from chalicelib.services.administration import office_log
from chalicelib.sop.errors import SopError, SopIssue, SopNotFound
from chalicelib.sop.loader import OFFICE_FILE, list_services, load_service
from chalicelib.sop.office_files import OFFICE_SERVICE, check_office_file

MAX_SOP_BYTES = 200 * 1024
SHA_PREFIX = 16

_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}\.ya?ml$")


@dataclass(frozen=True)
class SopCheck:
    """What checking (and keeping) one uploaded file gave: the page shows it as it is."""

    file: str
    ok: bool
    summary: str = ""
    issues: tuple[SopIssue, ...] = ()
    service: str = ""  # the service id of a file that passed, or "office" for office.yaml
    kept: SopFile | None = None  # the stored version, once kept
    already: bool = False  # the same bytes were kept before


def check_sop(office: str, filename: str, data: bytes) -> SopCheck:
    """The checks of `sop check` on an uploaded file, against this office. Nothing is activated."""
    name = Path(filename.replace("\\", "/")).name
    if not name:
        raise InvalidInput("Pilih satu berkas YAML.")
    if not _FILE_NAME.match(name):
        raise InvalidInput(
            "Nama berkas harus berakhiran .yaml (huruf, angka, titik, garis bawah, tanda hubung), "
            "mis. ak1.yaml atau office.yaml."
        )
    if len(data) > MAX_SOP_BYTES:
        raise TooLarge(
            f"Berkas terlalu besar ({len(data) // 1024} KB); paling besar {MAX_SOP_BYTES // 1024} KB."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"Berkas bukan teks UTF-8 (byte ke-{exc.start + 1} tidak terbaca). Simpan ulang sebagai UTF-8 "
            "dari penyunting teks, lalu unggah lagi."
        ) from None
    with tempfile.TemporaryDirectory(prefix="loket-sop-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            service, summary = check_office_file(office, path)
        except SopError as error:
            return SopCheck(name, False, issues=tuple(error.issues))
    return SopCheck(name, True, summary=summary, service=service)


def keep_sop(who: Principal, office: str, filename: str, data: bytes) -> SopCheck:
    """Check an uploaded SOP file and, when it passes, keep it: the bytes privately in the documents
    bucket (encrypted), who/when/SHA-256/summary in a SopFile item and the office log. The same
    bytes again are kept once. Keeping activates nothing: see `sop pull` and a deploy."""
    result = check_sop(office, filename, data)
    if not result.ok:
        return result
    sha = hashlib.sha256(data).hexdigest()
    pk, sk = SopFile.key(office, result.service, sha)
    try:
        return replace(result, kept=SopFile.get(pk, sk), already=True)
    except SopFile.DoesNotExist:
        pass
    at = now()
    item = SopFile(
        pk,
        sk,
        office=office,
        service=result.service,
        sha256=sha,
        object_key=storage.sop_key(office, result.service, sha, at),
        file_name=result.file,
        size=len(data),
        summary=result.summary,
        uploaded_by=who.username,
        uploaded_at=iso(at),
    )
    storage.objects().put_document(item.object_key, data, "application/yaml")
    event = office_log.event(
        office,
        who,
        "sop_kept",
        result.file,
        {"service": result.service, "sha256": sha[:SHA_PREFIX], "summary": result.summary},
    )
    try:
        write_all(
            [
                Write("save", item, condition=SopFile.SK.does_not_exist()),
                Write("save", event, condition=OfficeEvent.SK.does_not_exist()),
            ]
        )
    except Refused:
        storage.objects().delete_document(item.object_key)  # the same bytes were kept meanwhile
        return replace(result, kept=SopFile.get(pk, sk), already=True)
    return replace(result, kept=item)


def sop_versions(office: str) -> list[dict[str, Any]]:
    """The kept versions of each of the office's files, newest first; services without one are left out."""
    found = SopFile.query(OfficeEvent.partition(office), SopFile.SK.startswith("SOPFILE#"))
    by_service: dict[str, list[SopFile]] = {}
    for item in found:
        if isinstance(item, SopFile):
            by_service.setdefault(item.service, []).append(item)
    titles = _titles(office)  # every service, the ones without a poster (`public: false`) too
    titles[OFFICE_SERVICE] = f"Kop, peran dan penomoran ({OFFICE_FILE})"
    order = [OFFICE_SERVICE, *list_services(office)]
    return [
        {
            "service": service,
            "title": titles.get(service, service),
            "versions": sorted(by_service[service], key=lambda v: v.uploaded_at, reverse=True),
        }
        for service in sorted(by_service, key=lambda s: order.index(s) if s in order else len(order))
    ]


def _titles(office: str) -> dict[str, str]:
    titles = {}
    for service_id in list_services(office):
        try:
            titles[service_id] = load_service(office, service_id).title
        except (SopError, SopNotFound):
            continue
    return titles


def sop_file(office: str, service: str, sha256: str) -> tuple[SopFile, bytes]:
    """A kept version of this office's file and its bytes; 404 for anything else."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,60}", service) or not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise NotFound("Versi berkas SOP tidak ditemukan.")
    try:
        item = SopFile.get(*SopFile.key(office, service, sha256))
    except SopFile.DoesNotExist:
        raise NotFound("Versi berkas SOP tidak ditemukan.") from None
    return item, storage.objects().get_document(item.object_key)
