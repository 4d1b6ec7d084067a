"""Command line for office administrators and developers: `python -m chalicelib.cli sop ...`.

`sop list` and `sop show` read the packaged SOP files; `sop check` validates files an office has
edited before they are committed; `sop asl` prints the Step Functions definition compiled from one;
`sop pull` brings the newest version an office administrator kept (S3) into the package.
`poster` writes the printable QR poster of one service (reportlab is imported only then).
Tables are plain text so they read well in a terminal and in CI logs; `--json` is for scripts.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chalicelib.sop.durations import format_minutes
from chalicelib.sop.errors import SopError, SopIssue, SopNotFound
from chalicelib.sop.loader import (
    OFFICE_FILE,
    OFFICES_DIR,
    file_warnings,
    list_offices,
    list_services,
    load_file,
    load_office,
    load_office_file,
    load_service,
)
from chalicelib.sop.office_files import OFFICE_SERVICE, check_office_file, summary
from chalicelib.sop.schema import Office, ServiceStandard, Step

COMPILER_MODULE = "chalicelib.sop.compiler"
KEPT_OFFICE = OFFICE_SERVICE  # the "service" under which office.yaml is kept


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except (SopError, SopNotFound) as error:
        print(error, file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.cli", description="Loket: perintah admin")
    commands = parser.add_subparsers(dest="command", required=True)
    sop = commands.add_parser("sop", help="standar pelayanan dan SOP kantor")
    sop_commands = sop.add_subparsers(dest="sop_command", required=True)

    listing = sop_commands.add_parser("list", help="daftar layanan per kantor")
    listing.add_argument("--office", help="hanya kantor ini, mis. kab-pasuruan")
    listing.add_argument("--json", action="store_true", help="keluaran JSON")
    listing.set_defaults(handler=list_command)

    check = sop_commands.add_parser("check", help="periksa berkas SOP atau office.yaml")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    check.set_defaults(handler=check_command)

    show = sop_commands.add_parser("show", help="tampilkan prosedur satu layanan")
    show.add_argument("service", help="id layanan, mis. ak1")
    show.add_argument("--office", help="id kantor (perlu bila layanan ada di beberapa kantor)")
    show.add_argument("--json", action="store_true", help="keluaran JSON")
    show.set_defaults(handler=show_command)

    asl = sop_commands.add_parser("asl", help="definisi Step Functions (ASL) satu layanan")
    asl.add_argument("service", help="id layanan, mis. ak1")
    asl.add_argument("--office", help="id kantor (perlu bila layanan ada di beberapa kantor)")
    asl.set_defaults(handler=asl_command)

    pull = sop_commands.add_parser(
        "pull", help="ambil versi SOP tersimpan terbaru (S3) ke berkas paket, lalu periksa"
    )
    pull.add_argument("--office", required=True, help="id kantor, mis. kab-pasuruan")
    pull.add_argument("--service", required=True, help=f"id layanan, mis. ak1, atau '{KEPT_OFFICE}'")
    pull.add_argument("--sha", help="awalan SHA-256 versi tertentu (bawaan: versi terbaru)")
    pull.add_argument("--bucket", help="bucket dokumen (bawaan: LOKET_DOCUMENTS_BUCKET)")
    pull.set_defaults(handler=pull_command)

    poster = commands.add_parser("poster", help="poster QR A4 satu layanan (PDF)")
    poster.add_argument("office", help="id kantor, mis. kab-pasuruan")
    poster.add_argument("service", help="id layanan, mis. ak1")
    poster.add_argument("--site", required=True, help="alamat situs publik, mis. https://loket.example.go.id")
    poster.add_argument("--out", required=True, type=Path, help="berkas PDF keluaran")
    poster.set_defaults(handler=poster_command)

    posters = commands.add_parser("posters", help="poster QR setiap layanan setiap kantor (PDF)")
    posters.add_argument(
        "--site", required=True, help="alamat situs publik, mis. https://loket.example.go.id"
    )
    posters.add_argument("--out-dir", required=True, type=Path, help="folder keluaran")
    posters.set_defaults(handler=posters_command)

    boot = commands.add_parser(
        "bootstrap", help="grup kantor dan admin pertamanya di pool petugas yang baru (aman diulang)"
    )
    boot.add_argument("--pool", required=True, help="id pool petugas (output StaffUserPoolId)")
    boot.add_argument("--office", required=True, help="id kantor, mis. kab-pasuruan")
    boot.add_argument("--username", default="admin", help="nama pengguna tanpa awalan kantor (bawaan: admin)")
    boot.add_argument("--name", required=True, help="nama lengkap administrator")
    boot.add_argument("--nip", required=True, help="NIP 18 angka")
    boot.add_argument("--email", required=True, help="email administrator (menerima kata sandi sementara)")
    boot.set_defaults(handler=bootstrap_command)
    return parser


# --- handlers ------------------------------------------------------------------------------------


def bootstrap_command(args: argparse.Namespace) -> int:
    """The office's groups and first administrator (chalicelib/bootstrap.py); prints what it did."""
    from chalicelib.adapters.aws import client
    from chalicelib.bootstrap import bootstrap
    from chalicelib.errors import InvalidInput

    cognito = client("cognito-idp")  # region: AWS_REGION / AWS_DEFAULT_REGION / ap-southeast-3
    try:
        done = bootstrap(cognito, args.pool, args.office, args.username, args.name, args.nip, args.email)
    except InvalidInput as exc:
        print(f"bootstrap: {exc.message}", file=sys.stderr)
        return 2
    for made in done.created_groups:
        print(f"grup dibuat: {made}")
    if done.existing_groups:
        print(f"grup sudah ada: {', '.join(done.existing_groups)}")
    if done.account_created:
        print(f"akun dibuat: {done.username} (Cognito mengirim kata sandi sementara ke {args.email})")
    else:
        print(f"akun sudah ada: {done.username} (tidak diundang lagi)")
    print(
        f"{done.username} {'ditambahkan ke' if done.added_to_admin else 'sudah di'} grup {args.office}.admin"
    )
    return 0


def list_command(args: argparse.Namespace) -> int:
    offices = [args.office] if args.office else list_offices()
    rows: list[dict[str, Any]] = []
    failed = False
    for office_id in offices:
        for service_id in list_services(office_id):
            try:
                service = load_service(office_id, service_id)
            except SopError as error:
                print(error, file=sys.stderr)
                failed = True
                continue
            rows.append(
                {
                    "office": office_id,
                    "service": service.id,
                    "title": service.title,
                    "steps": len(service.steps),
                    "process_steps": len(service.process_steps),
                    "process_minutes": service.process_minutes,
                    "duration": service.duration.text,
                    "public": service.public,
                }
            )
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        headers = ["kantor", "layanan", "langkah", "proses", "waktu baku proses", "jangka waktu", "judul"]
        table = [
            [
                r["office"],
                r["service"],
                r["steps"],
                r["process_steps"],
                format_minutes(r["process_minutes"]),
                r["duration"],
                r["title"] if r["public"] else f"{r['title']} (bukan layanan publik)",
            ]
            for r in rows
        ]
        print(render_table(headers, table))
    return 1 if failed else 0


def check_command(args: argparse.Namespace) -> int:
    """Exit 1 when a file fails; a file that passes with warnings (rules.warnings: the steps'
    times adding up past the published service time) prints them after its OK line, exit 0."""
    failed = False
    for path in args.files:
        try:
            print(f"OK {path}: {_check_one(path)}")
        except SopError as error:
            failed = True
            print(error, file=sys.stderr)
            continue
        if path.name != OFFICE_FILE:
            for issue in file_warnings(path, load_file(path)):
                print(f"PERINGATAN {issue}")
    return 1 if failed else 0


def show_command(args: argparse.Namespace) -> int:
    office, service = find_service(args.service, args.office)
    if args.json:
        print(json.dumps(service_json(service), indent=2, ensure_ascii=False))
        return 0
    print(f"{office.id}/{service.id} v{service.version}: {service.title}")
    if service.code:
        print(f"Nomor SOP: {service.code}")
    headers = ["no", "tahap", "aktivitas", "pelaksana", "jenis", "waktu", "output", "hasil"]
    rows = [
        [
            step.number,
            step.stage,
            shorten(step.activity, 44),
            ", ".join(step.actors),
            step.kind,
            step.time,
            shorten(step.output or "", 26),
            describe_outcomes(service, step),
        ]
        for step in service.steps
    ]
    print(render_table(headers, rows))
    print(
        f"Waktu baku proses: {format_minutes(service.process_minutes)}; "
        f"jangka waktu pelayanan: {service.duration.text}; biaya: {service.fee.text}"
    )
    return 0


def asl_command(args: argparse.Namespace) -> int:
    office, service = find_service(args.service, args.office)
    try:
        compiler = importlib.import_module(COMPILER_MODULE)
    except ModuleNotFoundError as error:
        if error.name != COMPILER_MODULE:
            raise
        message = f"sop asl: modul {COMPILER_MODULE} belum ada (the ASL compiler is not installed yet)"
        print(message, file=sys.stderr)
        return 1
    definition = compiler.compile_service(office, service)
    print(definition if isinstance(definition, str) else json.dumps(definition, indent=2, ensure_ascii=False))
    return 0


def pull_command(args: argparse.Namespace) -> int:
    bucket = args.bucket or os.environ.get("LOKET_DOCUMENTS_BUCKET")
    if not bucket:
        print("sop pull: tentukan --bucket atau LOKET_DOCUMENTS_BUCKET", file=sys.stderr)
        return 2
    path, key, summary = pull_sop(args.office, args.service, bucket, sha=args.sha, root=OFFICES_DIR)
    print(f"OK {path}: {summary}")
    print(f"diambil dari s3://{bucket}/{key}")
    print("Berikutnya: periksa `git diff`, commit, lalu deploy; baru setelah deploy versi ini berlaku.")
    return 0


def pull_sop(
    office_id: str, service_id: str, bucket: str, sha: str | None = None, root: Path = OFFICES_DIR
) -> tuple[Path, str, str]:
    """Fetch the newest kept version of one office file (or the one whose SHA-256 starts with
    `sha`) from the documents bucket, check it against the packaged office as the admin page did,
    and only then write it to `<root>/<office>/<service>.yaml`. Returns (path, key, summary);
    raises SopNotFound (nothing kept, unknown office or service) or SopError (it fails the check
    now, or its bytes do not match their SHA-256): the packaged file is then left as it was."""
    from chalicelib.adapters.storage import objects, sop_key_sha, sop_prefix

    if office_id not in list_offices():
        raise SopNotFound(f"kantor '{office_id}' tidak ada (kantor yang ada: {', '.join(list_offices())})")
    services = list_services(office_id)
    if service_id != KEPT_OFFICE and service_id not in services:
        known = ", ".join([*services, KEPT_OFFICE])
        raise SopNotFound(f"layanan '{service_id}' tidak ada di kantor {office_id} (yang ada: {known})")
    keys = objects().document_keys(sop_prefix(office_id, service_id), bucket)
    wanted = (sha or "").lower()
    if wanted:
        keys = [k for k in keys if sop_key_sha(k).startswith(wanted[: len(sop_key_sha(k))])]
    if not keys:
        which = f"dengan SHA-256 {wanted}" if wanted else "tersimpan"
        raise SopNotFound(f"belum ada versi {office_id}/{service_id} {which} di s3://{bucket}")
    key = keys[-1]
    data = objects().get_document(key, bucket)
    name = OFFICE_FILE if service_id == KEPT_OFFICE else f"{service_id}.yaml"
    digest = hashlib.sha256(data).hexdigest()
    if not digest.startswith(sop_key_sha(key)) or not digest.startswith(wanted):
        raise SopError([SopIssue(name, 1, f"isi s3://{bucket}/{key} tidak cocok dengan SHA-256-nya")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SopError([SopIssue(name, 1, "berkas bukan teks UTF-8")]) from None
    with tempfile.TemporaryDirectory(prefix="loket-sop-pull-") as folder:
        trial = Path(folder) / name
        trial.write_text(text, encoding="utf-8")
        _service, summary = check_office_file(office_id, trial)
    target = root / office_id / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target, key, summary


def poster_command(args: argparse.Namespace) -> int:
    """Exit 2 with one Indonesian line for an unknown office or service: a typo, not a broken file."""
    try:
        office = load_office(args.office)
        service = load_service(args.office, args.service)
    except SopNotFound as error:
        print(f"poster: {error}", file=sys.stderr)
        return 2
    if not service.public:
        print(
            f"poster: layanan '{service.id}' bukan layanan publik (public: false), jadi tidak punya poster",
            file=sys.stderr,
        )
        return 2
    from chalicelib.documents.poster import PosterContent, render_poster

    site = args.site.rstrip("/")
    contact = " · ".join(part for part in (office.phone, office.website) if part)
    content = PosterContent(
        government=office.government,
        unit=office.unit,
        address=office.address,
        contact=contact,
        service_title=service.title,
        form_url=f"{site}/ajukan.html?kantor={office.id}&layanan={service.id}",
        requirements=tuple(
            doc.name if doc.required else f"{doc.name} (opsional)" for doc in service.requirements.documents
        ),
        fee=service.fee.text,
        duration=service.duration.text,
    )
    try:
        args.out.write_bytes(render_poster(content))
    except OSError as error:
        print(f"poster: berkas {args.out} tidak dapat ditulis ({error.strerror})", file=sys.stderr)
        return 2
    print(f"Poster {office.id}/{service.id} ditulis ke {args.out} ({content.form_url})")
    return 0


def posters_command(args: argparse.Namespace) -> int:
    """One poster per office and public service, named `<office>-<service>.pdf`, for printing in bulk."""
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for office_id in list_offices():
        for service_id in list_services(office_id):
            if not load_service(office_id, service_id).public:
                continue
            one = argparse.Namespace(
                office=office_id,
                service=service_id,
                site=args.site,
                out=args.out_dir / f"{office_id}-{service_id}.pdf",
            )
            if poster_command(one) != 0:
                return 2
    return 0


# --- helpers -------------------------------------------------------------------------------------


def _check_one(path: Path) -> str:
    """Validate one file and summarise it; raises SopError with located problems."""
    return summary(load_office_file(path) if path.name == OFFICE_FILE else load_file(path))


def find_service(service_id: str, office_id: str | None) -> tuple[Office, ServiceStandard]:
    """The office and service for a service id, guessing the office when only one has it."""
    if office_id:
        return load_office(office_id), load_service(office_id, service_id)
    holders = [office for office in list_offices() if service_id in list_services(office)]
    if len(holders) == 1:
        return load_office(holders[0]), load_service(holders[0], service_id)
    if holders:
        offices = ", ".join(holders)
        raise SopNotFound(f"layanan '{service_id}' ada di beberapa kantor ({offices}); pilih dengan --office")
    known = ", ".join(f"{office}/{service}" for office in list_offices() for service in list_services(office))
    raise SopNotFound(f"layanan '{service_id}' tidak ada (layanan yang ada: {known})")


def describe_outcomes(service: ServiceStandard, step: Step) -> str:
    """Where the case goes next, as "approve→6, return→pemohon (lanjut 5)"; intake steps show nothing."""
    if step.stage == "intake":
        return ""
    if not step.outcomes:
        return f"→{_target(service.default_next(step))}"
    parts = []
    for outcome in step.outcomes:
        text = f"{outcome.decision}→{_target(outcome.goto)}"
        if outcome.goto == "applicant":
            text += f" (lanjut {outcome.resume or step.number})"
        parts.append(text)
    return ", ".join(parts)


def _target(goto: int | str) -> str:
    return {"applicant": "pemohon", "end": "selesai"}.get(str(goto), str(goto))


def service_json(service: ServiceStandard) -> dict[str, Any]:
    """The whole standard as JSON, with the minutes the engine uses next to the written times."""
    data = service.model_dump(mode="json")
    data["process_minutes"] = service.process_minutes
    for step_data, step in zip(data["steps"], service.steps, strict=True):
        step_data["standard_minutes"] = step.standard_minutes
        step_data["is_human"] = step.is_human
    return data


def shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in cells]
    lines = [line.rstrip() for line in lines]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
