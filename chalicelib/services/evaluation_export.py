"""The evaluation in words people read (names of services, steps and returned documents from the
office's SOP files) and as CSV (one row per figure: the meeting's spreadsheet).

Shared by the HTML page, the CSV download and the worker's PDF, so all three say the same.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from chalicelib.domain.lama import lama, percent
from chalicelib.services.catalog import find_service
from chalicelib.services.evaluation import COMPLAINTS, Figures, Report, Times


@dataclass(frozen=True)
class Names:
    """What an office's ids are called: services, steps (per service) and returned documents."""

    services: dict[str, str]
    steps: dict[tuple[str, str], str]
    documents: dict[str, str]

    def service(self, service: str) -> str:
        return "Seluruh layanan" if service == "*" else self.services.get(service, service)

    def step(self, service: str, step: str) -> str:
        found = self.steps.get((service, step))
        return (
            f"Langkah {int(step)}: {found}" if found else f"Langkah {int(step) if step.isdigit() else step}"
        )

    def reason(self, key: str) -> str:
        return "Lainnya (tanpa dokumen disebut)" if key == "lainnya" else self.documents.get(key, key)


def names(office: str, services: list[str]) -> Names:
    """The names of `services` of `office` (an id the packaged SOP no longer knows stays as it is)."""
    titles: dict[str, str] = {}
    steps: dict[tuple[str, str], str] = {}
    documents: dict[str, str] = {}
    for service in services:
        entry = find_service(office, service)
        if entry is None:
            continue
        titles[service] = entry.title
        for s in entry.sop.steps:
            steps[(service, f"{s.number:02d}")] = s.activity
        documents.update({d.key: d.name for d in entry.documents})
    return Names(titles, steps, documents)


HEADER = ["layanan", "bagian", "ukuran", "nilai", "keterangan"]


def _times_rows(service: str, part: str, t: Times) -> list[list[str]]:
    return [
        [service, part, "jumlah", str(t.n), ""],
        [service, part, "median_detik", _num(t.median), lama(t.median)],
        [service, part, "p90_detik", _num(t.p90), lama(t.p90)],
        [service, part, "rata_rata_detik", _num(t.mean), lama(t.mean)],
        [service, part, "waktu_baku_detik", _num(t.standard), lama(t.standard)],
        [service, part, "tepat_waktu", _num(t.on_time, 4), percent(t.on_time)],
    ]


def _num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return ""
    return str(round(value, digits)) if digits else str(round(value))


def _figure_rows(f: Figures, n: Names) -> list[list[str]]:
    name = n.service(f.service)
    rows = [
        [name, "volume", "masuk", str(f.intake), ""],
        [name, "volume", "selesai", str(f.completed), ""],
        [name, "volume", "dikembalikan", str(f.returned), ""],
        [name, "volume", "ditolak", str(f.rejected), ""],
        [name, "volume", "kedaluwarsa", str(f.expired), ""],
    ]
    if f.service == COMPLAINTS:
        rows.append([name, "volume", "lewat SP4N-LAPOR!", str(f.lapor), ""])
    rows += [[name, "alasan pengembalian", n.reason(k), str(v), ""] for k, v in f.reasons.items()]
    rows += _times_rows(name, "seluruh berkas", f.case)
    # The office's rows stop at the whole case: step numbers mean different steps in each SOP, and
    # each service's rows follow with its own steps.
    for step, t in f.steps.items() if f.service != "*" else ():
        rows += _times_rows(name, n.step(f.service, step), t)
    for o in f.officers:
        rows += [
            [name, f"petugas {o.who}", "diputus", str(o.decided), ""],
            [name, f"petugas {o.who}", "rata_rata_detik", _num(o.mean), lama(o.mean)],
            [name, f"petugas {o.who}", "tepat_waktu", _num(o.on_time, 4), percent(o.on_time)],
        ]
    return rows


def csv_text(report: Report, n: Names) -> str:
    """The report as CSV (comma-separated, UTF-8 with a BOM so spreadsheet programs read the
    letters right): the office first, then each service."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(_figure_rows(report.office, n))
    for figures in report.services.values():
        writer.writerows(_figure_rows(figures, n))
    return out.getvalue()
