"""Read office and service-standard YAML files, validate them, and say where they are wrong.

Packaged files live in `offices/<office_id>/office.yaml` and `offices/<office_id>/<service_id>.yaml`
next to this module (they ship inside the Lambda package). Loads of packaged files are cached:
they do not change while a Lambda runs. `load_file` reads any file, for `sop check`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from chalicelib.sop.errors import SopError, SopIssue, SopNotFound
from chalicelib.sop.locate import Loc, describe, duplicate_keys, line_of, pydantic_message
from chalicelib.sop.rules import Problem, check_office, check_service, warnings
from chalicelib.sop.schema import Office, ServiceStandard

OFFICES_DIR = Path(__file__).resolve().parent / "offices"
OFFICE_FILE = "office.yaml"

Model = TypeVar("Model", bound=BaseModel)


def list_offices() -> list[str]:
    """Ids of the packaged offices (the folder is read once per process: it ships with the code)."""
    return list(_office_ids())


def list_services(office_id: str) -> list[str]:
    """Ids of the packaged services of one office."""
    return list(_service_ids(office_id))


@cache
def _office_ids() -> tuple[str, ...]:
    return tuple(sorted(f.name for f in OFFICES_DIR.iterdir() if (f / OFFICE_FILE).is_file()))


@cache
def _service_ids(office_id: str) -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in _office_dir(office_id).glob("*.yaml") if p.name != OFFICE_FILE))


@cache
def load_office(office_id: str) -> Office:
    source = _Source.read(_office_dir(office_id) / OFFICE_FILE)
    office = _read_office(source)
    if office.id != office_id:
        source.fail([Problem(("id",), f"id '{office.id}' harus sama dengan nama folder '{office_id}'")])
    return office


@cache
def load_service(office_id: str, service_id: str) -> ServiceStandard:
    known_services = list_services(office_id)
    if service_id not in known_services:
        known = ", ".join(known_services)
        message = f"layanan '{service_id}' tidak ada di kantor {office_id} (layanan yang ada: {known})"
        raise SopNotFound(message)
    return load_file(OFFICES_DIR / office_id / f"{service_id}.yaml", office=load_office(office_id))


def load_office_file(path: str | Path) -> Office:
    """Read and validate an office.yaml anywhere on disk."""
    return _read_office(_Source.read(Path(path)))


def load_file(path: str | Path, office: Office | None = None) -> ServiceStandard:
    """Read and validate one service file; raises SopError with every located problem.

    Without `office`, the office is the office.yaml next to the file, else the packaged office
    named by the file's `office:` key.
    """
    source = _Source.read(Path(path))
    if office is None:
        office = _office_for(source)
    service = source.validate(ServiceStandard)
    problems = check_service(service, office)
    if service.id != source.path.stem:
        message = f"id '{service.id}' harus sama dengan nama berkas '{source.path.name}'"
        problems.append(Problem(("id",), message))
    source.fail(problems)
    return service


def file_warnings(path: str | Path, service: ServiceStandard) -> list[SopIssue]:
    """The warnings of a service file that passed (rules.warnings), located by line."""
    source = _Source.read(Path(path))
    return sorted(source.issue(p.loc, p.message, with_path=False) for p in warnings(service))


def _office_dir(office_id: str) -> Path:
    known = list_offices()
    if office_id not in known:
        raise SopNotFound(f"kantor '{office_id}' tidak ada (kantor yang ada: {', '.join(known)})")
    return OFFICES_DIR / office_id


def _read_office(source: _Source) -> Office:
    office = source.validate(Office)
    source.fail(check_office(office))
    return office


def _office_for(source: _Source) -> Office:
    sibling = source.path.parent / OFFICE_FILE
    if sibling.is_file() and sibling.resolve() != source.path.resolve():
        return load_office_file(sibling)
    office_id = source.data.get("office")
    if isinstance(office_id, str) and office_id in list_offices():
        return load_office(office_id)
    issues = source.schema_issues(ServiceStandard)
    if office_id is not None:
        message = (
            f"kantor '{office_id}' tidak dikenal (kantor yang ada: {', '.join(list_offices())}); "
            f"atau letakkan {OFFICE_FILE} kantor itu di folder yang sama"
        )
        issues.append(source.issue(("office",), message, with_path=False))
    raise SopError(issues)


class _SopYaml(yaml.SafeLoader):
    """PyYAML's safe loader without aliases (`*name`): SOP files have no use for them, and a few
    hundred bytes of nested aliases ("billion laughs") expand to billions of nodes for whatever
    walks the data afterwards (30 s of CPU for 700 bytes, measured). Refused at the first alias,
    in the time it takes to read up to it."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                "alias YAML (*nama) tidak diizinkan di berkas SOP; tulis isinya langsung",
                event.start_mark,
            )
        return super().compose_node(parent, index)


@dataclass(frozen=True)
class _Source:
    """One YAML file: its data for pydantic and its node tree for line numbers."""

    path: Path
    data: dict[str, Any]
    root: yaml.Node | None

    @classmethod
    def read(cls, path: Path) -> _Source:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise SopError([SopIssue(path.name, 1, f"berkas tidak terbaca ({error.strerror})")]) from error
        try:
            data = yaml.load(text, Loader=_SopYaml)  # noqa: S506 - a SafeLoader, refusing aliases
            root = yaml.compose(text, Loader=_SopYaml)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else 1
            raise SopError([SopIssue(path.name, line, f"YAML tidak terbaca: {error.problem}")]) from error
        except RecursionError:  # PyYAML recurses per level: `a: [[[[...` thousands deep
            raise SopError([SopIssue(path.name, 1, "YAML tidak terbaca: terlalu bersarang")]) from None
        if not isinstance(data, dict):
            raise SopError([SopIssue(path.name, 1, "isi berkas harus pemetaan kunci: nilai (mapping)")])
        return cls(path, data, root)

    def issue(self, loc: Loc, message: str, with_path: bool) -> SopIssue:
        return SopIssue(self.path.name, line_of(self.root, loc), describe(loc, message, self.data, with_path))

    def schema_issues(self, model: type[BaseModel]) -> list[SopIssue]:
        issues = [
            SopIssue(self.path.name, line, f"kunci '{key}' ditulis dua kali (hanya yang terakhir dipakai)")
            for line, key in duplicate_keys(self.root)
        ]
        try:
            model.model_validate(self.data)
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                issues.append(self.issue(tuple(detail["loc"]), pydantic_message(detail), with_path=True))
        return issues

    def validate(self, model: type[Model]) -> Model:
        issues = self.schema_issues(model)
        if issues:
            raise SopError(issues)
        return model.model_validate(self.data)

    def fail(self, problems: list[Problem]) -> None:
        """Raise the rules' problems, located, if there are any."""
        if problems:
            raise SopError(self.issue(p.loc, p.message, with_path=False) for p in problems)
