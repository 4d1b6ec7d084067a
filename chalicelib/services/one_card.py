"""One valid card per person (NIK) per office: the rule at form time and at submit, the card issued
with the old one superseded in the same transaction, and what staff see of a NIK's earlier cards.

A service whose SOP marks a product `one_per_person` (AK-1's `kartu_ak1`) keeps, per office and
NIK, one `PersonCard` item (the filing in progress and the card in force) and one `PersonFiling`
per case (models.py). Every change of the item is written at the version read, so of two filings
of one NIK submitted at once (from two accounts), one write stands and the other is read again
and refused in words (domain/cards.py has the rule; this module the reads and writes):

- `check`: what the form tells the applicant when the NIK is typed (their own draft case only);
- `claim`: at submit, the rule that counts: the case becomes the NIK's filing in progress, or the
  submission is refused (409, `identitas.nik`-style field of the SOP), before any execution starts;
- `register`: when the card is issued final: the card's verification record, the old card marked
  superseded ("digantikan oleh kartu ...") and the item pointing at the new card, one transaction;
- `closed`: a case that ends without a card (rejected, expired) frees the NIK;
- `history`: every earlier card and filing of the NIK at the office, for the officer's case page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.adapters import person_cards
from chalicelib.adapters.case_store import cases
from chalicelib.adapters.models import Case, Credential, PersonCard, PersonFiling
from chalicelib.adapters.transact import Refused, Write, write_all
from chalicelib.domain import cards
from chalicelib.domain import nik as nik_rules
from chalicelib.domain.clock import iso, office_today
from chalicelib.domain.tanggal import tanggal
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.services import verification
from chalicelib.services.catalog import ServiceEntry, find_service
from chalicelib.sop.schema import OnePerPerson, Product, ServiceStandard

ATTEMPTS = 6
BUSY = "Data kartu untuk NIK ini sedang diubah; coba lagi sebentar."


@dataclass(frozen=True)
class Rule:
    """The one-per-person product of a service and where its form holds the NIK and the reason."""

    product: Product
    spec: OnePerPerson

    @property
    def nik_field(self) -> str:
        return self.spec.nik

    def nik(self, case: Case) -> str | None:
        """The NIK the case's form holds (digits, as the form keeps it), or None."""
        return _form_value(case, self.spec.nik)

    def reason(self, case: Case) -> str:
        """The option the applicant chose (the first-card option when the form has none)."""
        return _form_value(case, self.spec.reason) or self.spec.first

    def reissue(self, case: Case) -> bool:
        return self.reason(case) != self.spec.first


def rule_for(sop: ServiceStandard) -> Rule | None:
    """The service's one-per-person rule, or None for a service without one."""
    product = sop.one_card
    if product is None or product.one_per_person is None:
        return None
    return Rule(product, product.one_per_person)


def _form_value(case: Case, path: str) -> str | None:
    section, _, field = path.partition(".")
    values = ((case.data or {}).get("form") or {}).get(section)
    value = values.get(field) if isinstance(values, dict) else None
    return str(value) if value not in (None, "") else None


def _holding(item: PersonCard | None) -> cards.Holding | None:
    if item is None:
        return None
    return cards.Holding(
        pending_case=item.pending_case,
        pending_sub=item.pending_sub,
        card_case=item.card_case,
        card_sub=item.card_sub,
        card_number=item.card_number,
        card_valid_until=date.fromisoformat(item.card_valid_until) if item.card_valid_until else None,
    )


# --- the applicant ---------------------------------------------------------------------------------


def check(applicant_sub: str, case_id: str, raw_nik: Any) -> dict[str, Any]:
    """What the form says when the applicant types a NIK on their own case `case_id`.

    Returns {"state": free | own_card | own_pending | other_card | other_pending, "message":
    Indonesian text or None, "valid_until": YYYY-MM-DD and "number" (only of the applicant's own
    card), "field": the SOP's reason field}; a service without the rule answers "free".
    Raises NotFound (not their case), InvalidInput (`nik`: not a NIK that can exist)."""
    from chalicelib.services.cases import own_case

    case = own_case(applicant_sub, case_id)
    entry = find_service(case.office, case.service)
    rule = rule_for(entry.sop) if entry is not None else None
    number = nik_rules.clean(raw_nik if isinstance(raw_nik, str) else "")
    try:
        nik_rules.check_structure(number)
    except nik_rules.NikError as exc:
        raise InvalidInput(str(exc), field="nik") from None
    if rule is None:
        return {"state": cards.FREE, "message": None, "valid_until": None, "number": None, "field": None}
    found = cards.standing(
        _holding(person_cards.card(case.office, rule.product.key, number)),
        case.case_id,
        applicant_sub,
        office_today(),
    )
    return {
        "state": found.kind,
        "message": cards.told(found, rule.product.name),
        "valid_until": found.valid_until.isoformat() if found.valid_until else None,
        "number": found.number,
        "field": rule.spec.reason,
    }


def claim(case: Case, entry: ServiceEntry) -> None:
    """At submit: make the case its NIK's filing in progress, or refuse it (the rule that counts).

    Idempotent: the case's own claim is taken again. Of two filings of one NIK at once, the
    item's version lets one write stand; the other reads again and is refused. Raises Conflict
    (409) with the reason (field: the SOP's NIK field), or Conflict(BUSY) when the item kept
    changing; a service without the rule, or a case without a NIK, claims nothing."""
    rule = rule_for(entry.sop)
    number = rule.nik(case) if rule is not None else None
    if rule is None or number is None:
        return
    reason, reissue = rule.reason(case), rule.reissue(case)
    for _attempt in range(ATTEMPTS):
        item = person_cards.card(case.office, rule.product.key, number)
        found = cards.standing(_holding(item), case.case_id, case.applicant_sub, office_today())
        refused = cards.refusal(found, reissue, rule.product.name)
        if refused:
            raise Conflict(refused, field=rule.spec.nik)
        if item is not None and item.pending_case == case.case_id:
            return  # taken already (a second press, a retried request)
        item = item or person_cards.new_card(case.office, rule.product.key, number)
        now = iso()
        item.pending_case, item.pending_sub, item.pending_at = case.case_id, case.applicant_sub, now
        filing = PersonFiling(
            *PersonFiling.key(case.office, rule.product.key, number, case.case_id),
            case_id=case.case_id,
            applicant_sub=case.applicant_sub,
            reason=reason,
            at=now,
        )
        try:
            write_all([Write("save", item), Write("save", filing)])
        except Refused:
            continue  # another filing of this NIK wrote first: read it and judge again
        return
    raise Conflict(BUSY, field=rule.spec.nik)


def form_errors(case: Case, sop: ServiceStandard, form: dict[str, Any]) -> dict[str, str]:
    """At form time, on the server: {the SOP's NIK field: why} when the form's NIK and reason
    would be refused at submit (`claim` has the last word), else {}."""
    rule = rule_for(sop)
    if rule is None:
        return {}
    probe = Case(*Case.key(case.case_id), data={"form": form})
    number = rule.nik(probe)
    if number is None:
        return {}
    found = cards.standing(
        _holding(person_cards.card(case.office, rule.product.key, number)),
        case.case_id,
        case.applicant_sub,
        office_today(),
    )
    refused = cards.refusal(found, rule.reissue(probe), rule.product.name)
    return {rule.spec.nik: refused} if refused else {}


# --- the worker ------------------------------------------------------------------------------------


def register(sop: ServiceStandard, case: Case, key: str, verify_id: str, **details: Any) -> Credential:
    """Register an issued final card for its QR code (`verification.register`'s arguments in
    `details`), and when it is the service's one-per-person product: in the same transaction mark
    the NIK's previous card superseded by this one and make this card the NIK's card in force.

    Idempotent (a redelivered task, a new version of the same card: the first record stands; a
    card closed, revoked or superseded is never made the NIK's card in force again).
    Raises Conflict(BUSY) when the NIK's item kept changing (the worker retries)."""
    rule = rule_for(sop)
    number = rule.nik(case) if rule is not None and rule.product.key == key else None
    if rule is None or number is None:
        return verification.register(verify_id, **details)
    credential = verification.new_credential(verify_id, **details)
    for _attempt in range(ATTEMPTS):
        existing = verification.credential(verify_id)
        item = person_cards.card(case.office, key, number) or person_cards.new_card(case.office, key, number)
        writes: list[Write] = []
        if existing is None:
            writes.append(Write("save", credential, condition=Credential.PK.does_not_exist()))
        if existing is not None and (existing.closed_at or existing.revoked_at or existing.superseded_at):
            # A new version of a card that has ended (closed by its holder's report of work,
            # revoked, superseded): it stays ended and takes nothing from the NIK's card in force.
            return existing
        previous = item.card_verify_id if item.card_case and item.card_case != case.case_id else None
        old = verification.credential(previous) if previous else None
        if old is not None and not old.superseded_at:
            superseded = [
                Credential.superseded_at.set(iso()),
                Credential.superseded_by.set(verify_id),
                Credential.superseded_number.set((existing or credential).number or ""),
            ]
            writes.append(
                Write("update", old, condition=Credential.superseded_at.does_not_exist(), actions=superseded)
            )
        kept = existing or credential
        if item.card_case != case.case_id or item.pending_case == case.case_id:
            item.card_case, item.card_sub = case.case_id, case.applicant_sub
            item.card_number, item.card_valid_until = kept.number, kept.valid_until
            item.card_verify_id = verify_id
            if item.pending_case == case.case_id:
                item.pending_case = item.pending_sub = item.pending_at = None
            writes.append(Write("save", item))
        if not writes:
            return kept
        try:
            write_all(writes)
        except Refused:
            continue
        return kept
    raise Conflict(BUSY)


def closed(sop: ServiceStandard, case: Case) -> None:
    """A case ended: if it is still its NIK's filing in progress (rejected, expired, completed
    without the card), the NIK is free for another filing. Idempotent."""
    rule = rule_for(sop)
    number = rule.nik(case) if rule is not None else None
    if rule is None or number is None:
        return
    for _attempt in range(ATTEMPTS):
        item = person_cards.card(case.office, rule.product.key, number)
        if item is None or item.pending_case != case.case_id:
            return
        item.pending_case = item.pending_sub = item.pending_at = None
        try:
            write_all([Write("save", item)])
        except Refused:
            continue
        return
    raise Conflict(BUSY)


def revoked(credential: Credential) -> None:
    """A card was revoked: it is no longer the NIK's card in force (a new filing may follow)."""
    try:
        case = cases().get(credential.case_id)
    except NotFound:
        return
    entry = find_service(case.office, case.service)
    rule = rule_for(entry.sop) if entry is not None else None
    number = rule.nik(case) if rule is not None and rule.product.key == credential.product else None
    if rule is None or number is None:
        return
    for _attempt in range(ATTEMPTS):
        item = person_cards.card(case.office, rule.product.key, number)
        if item is None or item.card_verify_id != credential.verify_id:
            return
        item.card_case = item.card_sub = item.card_number = None
        item.card_valid_until = item.card_verify_id = None
        try:
            write_all([Write("save", item)])
        except Refused:
            continue
        return
    raise Conflict(BUSY)


# --- the officer -----------------------------------------------------------------------------------


def history(case: Case, entry: ServiceEntry) -> dict[str, Any] | None:
    """What the officer's case page shows of the case's NIK at this office (None for a service
    without the rule or a case without a NIK): the reason chosen, a warning when the NIK's region
    is not the office's, and every other filing of the NIK, newest first, each {case_id, code,
    status, reason, number, valid_until, card (Berlaku / Digantikan / ...), other_account}."""
    from chalicelib.services.cases import STATUS_LABELS
    from chalicelib.services.reference_search import code_of

    rule = rule_for(entry.sop)
    number = rule.nik(case) if rule is not None else None
    if rule is None or number is None:
        return None
    key = rule.product.key
    filed = sorted(person_cards.filings(case.office, key, number), key=lambda f: f.at, reverse=True)
    others = [f for f in filed if f.case_id != case.case_id]
    found = {c.case_id: c for c in cases().many(f.case_id for f in others)}
    rows = []
    for filing in others:
        earlier = found.get(filing.case_id)
        issued = earlier.products.get(key) if earlier is not None else None
        card = None
        if issued is not None and issued.verify_id and issued.signed:
            credential = verification.credential(issued.verify_id)
            card = verification.STATUS_TEXT.get(verification.status_of(credential)) if credential else None
        rows.append(
            {
                "case_id": filing.case_id,
                # the case code people read and type (`K7Q-M3X-D2F`), never a slice of the id
                "code": code_of(earlier) if earlier is not None else "–",
                "status": STATUS_LABELS.get(earlier.status, earlier.status) if earlier else "–",
                "reason": filing.reason,
                "filed_at": filing.at,
                "number": issued.number if issued is not None and issued.signed else None,
                "valid_until": tanggal(issued.valid_until)  # "30 Nov 2028", as the page's other dates
                if issued is not None and issued.signed and issued.valid_until
                else None,
                "card": card,
                "other_account": filing.applicant_sub != case.applicant_sub,
            }
        )
    return {
        "document": rule.product.name,
        "reason": rule.reason(case),
        "reissue": rule.reissue(case),
        "region": cards.region(number),
        "region_warning": cards.outside(number, entry.office_sop.nik_region_codes),
        "earlier": rows,
    }
