"""One office's SOP file checked as that office's: what `sop check` checks, plus that the file
belongs to the office and names a service it already runs. The admin page checks an upload with
it before keeping the file, and `sop pull` checks the kept file again before writing it."""

from __future__ import annotations

from pathlib import Path

from chalicelib.sop.durations import format_minutes
from chalicelib.sop.errors import SopError, SopIssue
from chalicelib.sop.loader import OFFICE_FILE, list_services, load_file, load_office, load_office_file
from chalicelib.sop.schema import Office, ServiceStandard

OFFICE_SERVICE = "office"  # where office.yaml is kept, beside the service ids


def summary(item: Office | ServiceStandard) -> str:
    """One line on a file that passed: what it is and how long its standard takes."""
    if isinstance(item, Office):
        return f"kantor {item.id}, {len(item.roles)} peran"
    return (
        f"{item.office}/{item.id} v{item.version}, {len(item.steps)} langkah "
        f"({len(item.process_steps)} proses), waktu baku proses {format_minutes(item.process_minutes)}"
    )


def check_office_file(office: str, path: Path) -> tuple[str, str]:
    """(service id, or 'office' for office.yaml; summary) of a file that passes as this office's."""
    if path.name == OFFICE_FILE:
        data = load_office_file(path)
        if data.id != office:
            raise SopError([SopIssue(path.name, 1, f"id '{data.id}' bukan kantor ini ({office})")])
        return OFFICE_SERVICE, summary(data)
    service = load_file(path, office=load_office(office))
    if service.office != office:
        raise SopError([SopIssue(path.name, 1, f"office '{service.office}' bukan kantor ini ({office})")])
    known = list_services(office)
    if service.id not in known:
        message = (
            f"layanan '{service.id}' bukan layanan kantor ini (yang ada: {', '.join(known)}); "
            "layanan baru ditambahkan tim TI bersama mesin alurnya"
        )
        raise SopError([SopIssue(path.name, 1, message)])
    return service.id, summary(service)
