"""What the local stack holds once `make load` is over, read from its moto (loopback only).

For the run's cases: the status of each, how many AK-1 card versions the documents bucket
holds for it, and the emails SES sent about it by kind. Counted with `make chaos`'s own readers
(chaos.case_fields, chaos.card_versions, chaos.mail_kinds), over moto's server instead of
in-process: boto3 clients on its endpoint, the sent mail from `GET /moto-api/data.json`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests

from infra.local import chaos, demo

# moto builds its whole dashboard (every model it tracks, the sent mail with its PDFs) before it
# answers: seconds after a short run, minutes after a burst of thousands of cases.
MAIL_READ_SECONDS = 900.0


def aws(moto_url: str, service: str) -> Any:
    """A boto3 client of the stack's moto (demo.py's: loopback only, moto's credentials)."""
    return demo.aws(demo.Stack(api="", site="", moto=moto_url), service)


@dataclass(frozen=True)
class Resources:
    """The names the stack's resources were made with (infra/local/provision.py)."""

    table: str
    documents_bucket: str


def resources(moto_url: str) -> Resources:
    """The stack's one table and its documents bucket, found by listing (a reused stack's env
    is not at hand)."""
    tables = aws(moto_url, "dynamodb").list_tables()["TableNames"]
    buckets = [b["Name"] for b in aws(moto_url, "s3").list_buckets()["Buckets"]]
    documents = [b for b in buckets if "documents" in b.lower()]
    if len(tables) != 1 or len(documents) != 1:
        raise ValueError(f"expected one table and one documents bucket, found {tables} and {documents}")
    return Resources(tables[0], documents[0])


@dataclass
class Outcome:
    """Per case of the run: `statuses` (case id -> status), `cards` (case id -> card versions,
    0 when none) and `emails` (case id -> Counter of email kinds, chaos.SUBJECTS' names)."""

    statuses: dict[str, str] = field(default_factory=dict)
    cards: dict[str, int] = field(default_factory=dict)
    emails: dict[str, Counter[str]] = field(default_factory=dict)
    mail_unread: str = ""  # why the sent mail could not be read (its check then fails, in words)

    def unfinished(self) -> list[str]:
        """Cases not in a final state (or missing from the table)."""
        from infra.load.people import FINAL

        return [c for c, s in self.statuses.items() if s not in FINAL]

    def not_one_card(self) -> list[str]:
        """Completed cases with no card or more than one: 'case: n cards'."""
        return [
            f"{c}: {self.cards.get(c, 0)} cards"
            for c, s in self.statuses.items()
            if s == "completed" and self.cards.get(c, 0) != 1
        ]

    def not_one_card_email(self) -> list[str]:
        """Completed cases whose card email ('... Anda telah terbit') was not sent exactly once;
        when the sent mail could not be read, that reason (never a silent pass)."""
        if self.mail_unread:
            return [self.mail_unread]
        return [
            f"{c}: {n} card emails"
            for c, s in self.statuses.items()
            if s == "completed" and (n := self.emails.get(c, Counter())["documents_issued"]) != 1
        ]

    def email_kinds(self) -> Counter[str]:
        """Every email of the run's cases, by kind."""
        total: Counter[str] = Counter()
        for kinds in self.emails.values():
            total.update(kinds)
        return total


def statuses(moto_url: str, table: str, case_ids: list[str]) -> dict[str, str]:
    """case id -> status (the cases the table holds)."""
    return chaos.case_statuses(aws(moto_url, "dynamodb"), table, case_ids)


def read(moto_url: str, where: Resources, case_ids: list[str]) -> Outcome:
    """The outcome of `case_ids` as the stack holds it now."""
    items = chaos.case_fields(aws(moto_url, "dynamodb"), where.table, case_ids, ("status", "code"))
    outcome = Outcome(statuses={c: items.get(c, {}).get("status", "missing") for c in case_ids})
    versions = chaos.card_versions(aws(moto_url, "s3"), where.documents_bucket)
    outcome.cards = {c: len(versions.get(c, ())) for c in case_ids}
    try:
        state = requests.get(f"{moto_url}/moto-api/data.json", timeout=MAIL_READ_SECONDS).json()
    except (requests.RequestException, ValueError) as exc:
        # The rest of the run's figures are still reported: a burst's two hours are not lost to
        # one slow read (the 5,000-case run of 2026-12-01 was, at a 120 s limit).
        outcome.mail_unread = f"sent mail not read from moto's dashboard: {type(exc).__name__}"
        return outcome
    raws = [str(m.get("raw_data", "")) for m in state.get("ses", {}).get("RawMessage", [])]
    by_reference, _digests = chaos.mail_kinds(raws)
    ids = chaos.case_references({"case_id": c, **items.get(c, {})} for c in case_ids)
    outcome.emails = {c: Counter() for c in case_ids}
    for (reference, kind), n in by_reference.items():
        case_id = ids.get(reference)
        if case_id is not None:
            outcome.emails[case_id][kind] += n
    return outcome
