"""The single DynamoDB table, as PynamoDB models.

Key patterns (generic PK/SK, one item type per `kind`):

- Case:       PK `CASE#<case_id>`, SK `#CASE`; GSI2 `APPLICANT#<sub>` / `<created_at>#<case_id>`
- WorkItem:   PK `CASE#<case_id>`, SK `WORK#<step>#<entered_at>`;
              GSI1 `QUEUE#<office>#<role>` / `<entered_at>#<case_id>` (the role's queue), or,
              once answered and until Step Functions has heard the decision,
              `UNDELIVERED#<office>` / `<answered_at>#<case_id>#<step>` (services/delivery.py);
              GSI2 `OFFICE#<office>` / `<entered_at>#<case_id>` (every item of an office)
- AuditEvent: PK `CASE#<case_id>`, SK `AUDIT#<at>#<event_id>`
- Delegation: PK `OFFICE#<office>`, SK `DELEGATION#<delegate>#<id>`
- OfficeEvent: PK `OFFICE#<office>`, SK `AUDIT#<at>#<id>` (the office administration log)
- JointLeave: PK `OFFICE#<office>`, SK `JOINTLEAVE#<year>` (that year's cuti bersama decree)
- SopFile:    PK `OFFICE#<office>`, SK `SOPFILE#<service>#<sha256>` (a kept SOP file version)
- Counter:    PK `COUNTER#<office>#<code>#<year>`, SK `#COUNTER` (the last number given)
- LetterNumber: PK `COUNTER#<office>#<code>#<year>`, SK `SEQ#<seq:06>` (the register, one per number)
- Effect:     PK `EFFECT#<effect_key>`, SK `#EFFECT`
- CaseCode:   PK `CODE#<code>`, SK `#CODE` (the short case code's one owner: domain/case_code.py)
- SearchKey:  PK `FIND#<office>#<value>`, SK `CASE#<case_id>#<field>` (a NIK, phone or number of
              a case, for the staff search); PK `FINDNAME#<office>#<first 3 letters>`, SK
              `<name from one of its words on>#<case_id>` (a name, by prefix of any word)
- Credential: PK `VERIFY#<verify_id>`, SK `#VERIFY` (what a document's QR code shows the public)
- HolderReminder: PK `REMIND#<YYYY-MM>`, SK `<send_on>#<case_id>#<reminder>` (a card holder's
              reminder email, by the day it is sent: services/holder.py)
- UniqueValue: PK `UNIQUE#<office>#<service>#<field>#<value>`, SK `#UNIQUE` (a receipt number's owner)
- RecruitmentLetter: PK `SPR#<office>#<number>`, SK `#SPR`; its use by a case: SK `USE#<case_id>`
- SignInSession: PK `SESSION#<pool>#<username>`, SK `#SESSION#<session_id>` (a signed-in session:
              the pages and the API accept a token only while its session is here)
- SignInAttempts: PK `ATTEMPTS#<pool>#<scope>#<sha256 of the user name or client>`, SK `#ATTEMPTS`
- PersonCard: PK `PERSON#<office>#<product>#<sha256 of the NIK>`, SK `#CARD` (the filing in
              progress and the card in force of one NIK: one valid card per person per office);
              one filing of that NIK: SK `CASE#<case_id>` (services/one_card.py)
- SurveyResponse: PK `SKM#<office>#<service>#<YYYY-MM>`, SK `R#<random id>` (one anonymous SKM
              response); SurveyTaken: PK `SKMDONE#<case_id>`, SK `#SKMDONE` (answered once)
- AccountProfile: PK `ACCOUNT#<sub>`, SK `#PROFILE` (an organisation's own data, remembered from
              its last form to prefill the next: services/profiles.py)
- DayTally:   PK `TALLY#<office>`, SK `DAY#<YYYY-MM-DD>#<service>` (the running aggregates of one
              office, service and WIB day: services/tallies.py; a month is one query)
- TallyMark:  PK `TALLIED#<marker>`, SK `#TALLIED` (an event already counted into a DayTally)
- AuditMark:  PK `AUDITED#<marker>`, SK `#AUDITED` (an audit event a worker task already wrote:
              adapters/audit_log.py `add_once`)

`expires_at` (epoch seconds) is the table's TTL attribute: DynamoDB deletes such an item some
time after it passes (up to days later), so code compares `expires_at` itself and never relies
on the deletion.

GSI1 is sparse: a work item leaves its role's queue when it is answered (the same conditional
write that marks it answered moves it to its office's undelivered decisions) and leaves GSI1 when
Step Functions has heard the decision. Step Functions writes WorkItems itself
(aws-sdk:dynamodb:putItem.waitForTaskToken), so their attribute names are part of the state
machine contract: see `WORK_ITEM_ATTRIBUTES`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pynamodb.attributes import (
    Attribute,
    DiscriminatorAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.connection import Connection, TableConnection
from pynamodb.constants import STRING
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.adapters import faults
from chalicelib.domain.case_records import IssuedDocument, Officer, Signing
from chalicelib.domain.records import StepRecords
from chalicelib.settings import get_settings

KEY_TEXT_MAX = 200


def key_text_ok(value: str) -> bool:
    """Whether text from a request (a case id, a work item's sort key, a decree's key) can name an
    item of the table: 1 to KEY_TEXT_MAX characters, valid Unicode, no control character.

    DynamoDB refuses an empty key attribute, a sort key over 1,024 bytes and a partition key over
    2,048 bytes with a ValidationException (a 500 if it reached the caller); such text names
    nothing Loket stores, so callers answer "not found" instead of asking.
    """
    if not value or len(value) > KEY_TEXT_MAX or any(ord(c) < 32 or ord(c) == 127 for c in value):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


Record = TypeVar("Record")


class RecordsAttribute(Attribute[dict[str, Record]]):
    """A map of typed records by key (a step "06", a product's key), stored as one JSON string:
    the JSON a `JSONAttribute` wrote for the same map of plain objects (the same keys and values;
    see docs/adr/0009), so items written before the records were typed load, and nothing that
    reads the table sees a change.

    `record` is the type of the values (a write of anything else is a TypeError, not a silent
    change of shape); `as_dict` and `from_dict` turn one record into its JSON object and back.
    The whole map is one string: an update sets it whole (`Case.officers.set({...})`) at the
    case's version, never one key of it by a document path.
    """

    attr_type = STRING

    def __init__(
        self,
        record: type[Record],
        as_dict: Callable[[Record], Mapping[str, Any]],
        from_dict: Callable[[Mapping[str, Any]], Record],
    ) -> None:
        super().__init__(default=dict)
        self.record = record
        self.as_dict = as_dict
        self.from_dict = from_dict

    def serialize(self, value: Mapping[str, Record] | None) -> str | None:
        if value is None:
            return None
        plain = {}
        for key, record in value.items():
            if not isinstance(record, self.record):
                raise TypeError(
                    f"{self.attr_name}[{key!r}] must be {self.record.__name__}, not {type(record).__name__}"
                )
            plain[key] = self.as_dict(record)
        return json.dumps(plain)

    def deserialize(self, value: str) -> dict[str, Record]:
        stored = json.loads(value, strict=False)
        return {str(key): self.from_dict(plain or {}) for key, plain in stored.items()}


def _step_records(stored: Mapping[str, Any]) -> StepRecords:
    return dict(stored)


class _LazyTableMeta(type):
    """Resolves the table name and region when first used, not at import (chalice package)."""

    @property
    def table_name(cls) -> str:
        return get_settings().table_name

    @property
    def region(cls) -> str:
        return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "ap-southeast-3"


class _TableMeta(metaclass=_LazyTableMeta):
    host = None
    max_retry_attempts = 5


class RoleQueueIndex(GlobalSecondaryIndex["LoketItem"]):
    """Open work items of one office role, oldest first."""

    class Meta:
        index_name = "GSI1"
        projection = AllProjection()

    GSI1PK = UnicodeAttribute(hash_key=True)
    GSI1SK = UnicodeAttribute(range_key=True)


class OwnerIndex(GlobalSecondaryIndex["LoketItem"]):
    """An applicant's cases, or an office's work items."""

    class Meta:
        index_name = "GSI2"
        projection = AllProjection()

    GSI2PK = UnicodeAttribute(hash_key=True)
    GSI2SK = UnicodeAttribute(range_key=True)


class LoketItem(Model):
    """Base of every item in the table."""

    class Meta(_TableMeta):
        pass

    @classmethod
    def _get_connection(cls) -> TableConnection:
        """PynamoDB's connection of the model, its client attached to fault injection when the
        local stack or a test asks for it (adapters/faults.py; nothing otherwise)."""
        table = super()._get_connection()
        if faults.current() is not None:
            faults.attach(table.connection.client)
        return table

    PK = UnicodeAttribute(hash_key=True)
    SK = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()
    GSI1PK = UnicodeAttribute(null=True)
    GSI1SK = UnicodeAttribute(null=True)
    GSI2PK = UnicodeAttribute(null=True)
    GSI2SK = UnicodeAttribute(null=True)

    role_queue = RoleQueueIndex()
    owner_index = OwnerIndex()


class Case(LoketItem, discriminator="case"):
    """One application: who filed it, for which office and service, and where it stands.

    `data` is what the applicant gave (the form, their name, a return's documents), `documents`
    their uploads by requirement key. What staff and the office did is typed
    (`domain/case_records.py`), each a map stored as one JSON text (`RecordsAttribute`):
    `officers` (step -> `Officer`, who decided it), `records` (step -> `StepRecords`, what they
    recorded), `signatures` (step -> `Signing`, who signed, for whom, under which decree) and
    `products` (the SOP product's key -> `IssuedDocument`). A step is its number as two digits
    ("06").
    """

    case_id = UnicodeAttribute()
    office = UnicodeAttribute()
    service = UnicodeAttribute()
    applicant_sub = UnicodeAttribute()
    status = UnicodeAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    data = JSONAttribute(default=dict)
    documents = JSONAttribute(default=dict)  # the applicant's uploads, by requirement key
    products = RecordsAttribute(IssuedDocument, IssuedDocument.as_dict, IssuedDocument.from_dict)
    records: RecordsAttribute[StepRecords] = RecordsAttribute(dict, dict, _step_records)
    signatures = RecordsAttribute(Signing, Signing.as_dict, Signing.from_dict)
    officers = RecordsAttribute(Officer, Officer.as_dict, Officer.from_dict)
    status_note = UnicodeAttribute(null=True)  # why it was returned, rejected, expired or stuck
    submitted_at = UnicodeAttribute(null=True)  # the first submission, when the office received it (UTC ISO)
    due_at = UnicodeAttribute(null=True)  # the published service time's end, set at submission (UTC ISO)
    code = UnicodeAttribute(null=True)  # the short case code (domain/case_code.py), 9 characters
    fault = UnicodeAttribute(null=True)  # stuck: the failed task's error, JSON {Error, Cause} (staff only)
    execution_arn = UnicodeAttribute(null=True)
    # The card holder's six-monthly reports, oldest first (domain/holder_reports.Report.as_dict).
    holder_reports = JSONAttribute(null=True)
    version = VersionAttribute()

    @staticmethod
    def key(case_id: str) -> tuple[str, str]:
        return f"CASE#{case_id}", "#CASE"

    @staticmethod
    def partition(case_id: str) -> str:
        """The case's partition: the case, its work items and its audit events."""
        return f"CASE#{case_id}"

    @staticmethod
    def owner(applicant_sub: str) -> str:
        """GSI2 partition of an applicant's cases."""
        return f"APPLICANT#{applicant_sub}"


# The attributes Step Functions writes into a WorkItem. The compiler and this model must agree.
WORK_ITEM_ATTRIBUTES = (
    "PK",
    "SK",
    "kind",
    "case_id",
    "office",
    "service",
    "step",
    "role",
    "task_token",
    "entered_at",
    "standard_seconds",
    "status",
    "overdue",
    "GSI1PK",
    "GSI1SK",
    "GSI2PK",
    "GSI2SK",
)


class WorkItem(LoketItem, discriminator="work_item"):
    """A human step waiting in a role's queue, holding the Step Functions task token."""

    case_id = UnicodeAttribute()
    office = UnicodeAttribute()
    service = UnicodeAttribute()
    step = UnicodeAttribute()
    role = UnicodeAttribute()
    task_token = UnicodeAttribute()
    entered_at = UnicodeAttribute()
    standard_seconds = NumberAttribute()
    status = UnicodeAttribute()  # open | answered | superseded | expired
    claimed_by = UnicodeAttribute(null=True)
    claimed_at = UnicodeAttribute(null=True)
    answered_by = UnicodeAttribute(null=True)
    answered_at = UnicodeAttribute(null=True)
    decision = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)
    overdue = NumberAttribute(default=0)
    # The decision as Step Functions is to hear it (the task's output), kept from the transaction
    # that answers the item until Step Functions has heard it (`delivered_at`): a decision whose
    # SendTaskSuccess failed can be sent again, never lost (services/delivery.py).
    pending_output = JSONAttribute(null=True)
    decision_event = UnicodeAttribute(null=True)  # the SK of the decision's audit event
    delivered_at = UnicodeAttribute(null=True)
    resending_by = UnicodeAttribute(null=True)  # a re-send in progress: who, and since when
    resending_at = UnicodeAttribute(null=True)

    PREFIX = "WORK#"

    @staticmethod
    def queue(office: str, role: str) -> str:
        """GSI1 partition of a role's open items; the applicant's own steps wait apart."""
        return f"QUEUE#{office}#{role}"

    @staticmethod
    def undelivered(office: str) -> str:
        """GSI1 partition of the office's answered items whose decision Step Functions has not
        (yet) heard, oldest answer first."""
        return f"UNDELIVERED#{office}"

    def undelivered_key(self, answered_at: str) -> tuple[str, str]:
        """(GSI1PK, GSI1SK) of this item among its office's undelivered decisions."""
        return WorkItem.undelivered(self.office), f"{answered_at}#{self.case_id}#{self.step}"

    def queue_key(self) -> tuple[str, str]:
        """(GSI1PK, GSI1SK) that put this item back in its queue, oldest first."""
        partition = (
            WorkItem.queue(self.office, self.role)
            if self.role != "pemohon"
            else f"APPLICANT_WAIT#{self.case_id}"
        )
        return partition, f"{self.entered_at}#{self.case_id}"


class AuditEvent(LoketItem, discriminator="audit"):
    """One transition of a case: who, as which role, when, at which step, deciding what."""

    case_id = UnicodeAttribute()
    at = UnicodeAttribute()
    actor = UnicodeAttribute()
    role = UnicodeAttribute()
    step = UnicodeAttribute()
    action = UnicodeAttribute()
    note = UnicodeAttribute(null=True)
    duration_seconds = NumberAttribute(null=True)
    standard_seconds = NumberAttribute(null=True)
    overdue = NumberAttribute(default=0)
    details = JSONAttribute(null=True)

    PREFIX = "AUDIT#"

    @staticmethod
    def key(case_id: str, at: str, event_id: str) -> tuple[str, str]:
        return f"CASE#{case_id}", f"AUDIT#{at}#{event_id}"


class Delegation(LoketItem, discriminator="delegation"):
    """A delegation decree: `delegate` may act for `from_role` between two dates (inclusive).

    Ending a decree early moves `valid_to` to the last day it counts; `planned_valid_to` keeps the
    end first recorded, and `ended_*` who ended it, when and why.
    """

    office = UnicodeAttribute()
    from_role = UnicodeAttribute()
    delegate = UnicodeAttribute()
    delegate_role = UnicodeAttribute(null=True)
    delegation_kind = UnicodeAttribute()  # a.n. | u.b. | Plt | Plh
    decree = UnicodeAttribute()
    valid_from = UnicodeAttribute()  # YYYY-MM-DD, office time
    valid_to = UnicodeAttribute()
    created_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
    planned_valid_to = UnicodeAttribute(null=True)
    ended_by = UnicodeAttribute(null=True)
    ended_at = UnicodeAttribute(null=True)
    end_reason = UnicodeAttribute(null=True)

    PREFIX = "DELEGATION#"

    @staticmethod
    def key(office: str, delegate: str, decree_id: str) -> tuple[str, str]:
        return f"OFFICE#{office}", f"DELEGATION#{delegate}#{decree_id}"

    @staticmethod
    def partition(office: str) -> str:
        return f"OFFICE#{office}"


class Absence(LoketItem, discriminator="absence"):
    """A holder of an office role recorded absent (berhalangan: cuti, dinas luar, sakit) between
    two days (inclusive, office time), by the office administrator: while it lasts, the
    substitutes the SOP names for that role's signature may approve (services/absences.py).
    Ending it early moves `valid_to` to the last day it counts and keeps who ended it; one
    cancelled before it began keeps its days and `cancelled_at` (it never counted)."""

    office = UnicodeAttribute()
    role = UnicodeAttribute()  # the absent holder's role ("kasi_perlindungan")
    reason = UnicodeAttribute()  # cuti | dinas_luar | sakit | lainnya
    note = UnicodeAttribute(null=True)  # what the administrator wrote (the leave letter's number)
    valid_from = UnicodeAttribute()  # YYYY-MM-DD, office time
    valid_to = UnicodeAttribute()
    created_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
    ended_by = UnicodeAttribute(null=True)
    ended_at = UnicodeAttribute(null=True)
    cancelled_at = UnicodeAttribute(null=True)  # cancelled before it began: it never counted

    PREFIX = "ABSENCE#"

    @staticmethod
    def key(office: str, role: str, absence_id: str) -> tuple[str, str]:
        return f"OFFICE#{office}", f"ABSENCE#{role}#{absence_id}"

    @staticmethod
    def partition(office: str) -> str:
        return f"OFFICE#{office}"


class OfficeEvent(LoketItem, discriminator="office_event"):
    """One change made by an office administrator: an account, a role, a decree."""

    office = UnicodeAttribute()
    at = UnicodeAttribute()
    actor = UnicodeAttribute()
    action = UnicodeAttribute()  # account_created | role_added | ... | decree | decree_ended | sop_kept
    subject = UnicodeAttribute()  # the account or decree the change is about
    details = JSONAttribute(null=True)

    PREFIX = "AUDIT#"

    @staticmethod
    def key(office: str, at: str, event_id: str) -> tuple[str, str]:
        return f"OFFICE#{office}", f"AUDIT#{at}#{event_id}"

    @staticmethod
    def partition(office: str) -> str:
        return f"OFFICE#{office}"


class JointLeave(LoketItem, discriminator="joint_leave"):
    """One year's joint leave (cuti bersama) as the office administrator recorded its decree (SKB
    3 Menteri): `days` is a JSON list of {"date": "2026-02-16", "name": "..."}; recording the
    year again replaces it (domain/hari_libur.py, services/administration/joint_leave.py)."""

    office = UnicodeAttribute()
    year = NumberAttribute()
    decree = UnicodeAttribute()
    days = JSONAttribute(default=list)
    recorded_by = UnicodeAttribute()
    recorded_at = UnicodeAttribute()

    PREFIX = "JOINTLEAVE#"

    @staticmethod
    def key(office: str, year: int) -> tuple[str, str]:
        return f"OFFICE#{office}", f"JOINTLEAVE#{year}"

    @staticmethod
    def partition(office: str) -> str:
        return f"OFFICE#{office}"


class LetterNumber(LoketItem, discriminator="letter_number"):
    """One number of an office's register, and the case and document it was given to."""

    number = UnicodeAttribute()
    seq = NumberAttribute()
    case_id = UnicodeAttribute()
    document = UnicodeAttribute()
    at = UnicodeAttribute()
    # Nomor batal: a number whose document was never issued stays in the register, void, with why.
    void_reason = UnicodeAttribute(null=True)
    voided_at = UnicodeAttribute(null=True)

    PREFIX = "SEQ#"

    @staticmethod
    def key(office: str, code: str, year: int, seq: int) -> tuple[str, str]:
        return Counter.key(office, code, year)[0], f"SEQ#{seq:06d}"


class Counter(LoketItem, discriminator="counter"):
    """A gap-free sequence (letter numbers, registration numbers), advanced by conditional update."""

    value = NumberAttribute(default=0)

    @staticmethod
    def key(office: str, code: str, year: int) -> tuple[str, str]:
        """The register of one office, classification code and year."""
        return f"COUNTER#{office}#{code}#{year}", "#COUNTER"


class Effect(LoketItem, discriminator="effect"):
    """A side effect (email sent, PDF rendered, number given) claimed once by its key.

    A claim is a lease: `holder` (a random id of the delivery that took it) until `lease_until`
    (ISO time, UTC); see adapters/effects.py."""

    status = UnicodeAttribute()  # claimed | done
    at = UnicodeAttribute()
    result = JSONAttribute(null=True)
    lease_until = UnicodeAttribute(null=True)
    holder = UnicodeAttribute(null=True)

    @staticmethod
    def key(effect_key: str) -> tuple[str, str]:
        return f"EFFECT#{effect_key}", "#EFFECT"


class CaseCode(LoketItem, discriminator="case_code"):
    """The case that owns a short case code (domain/case_code.py): written once, conditionally,
    so two cases never share a code."""

    case_id = UnicodeAttribute()
    office = UnicodeAttribute()
    at = UnicodeAttribute()

    @staticmethod
    def key(code: str) -> tuple[str, str]:
        return f"CODE#{code}", "#CODE"


class SearchKey(LoketItem, discriminator="search_key"):
    """One way staff find a case of their office (services/reference_search.py): an exact value
    (NIK, phone, a card or letter number, written normalised) or a name (by prefix of any of its
    words, case and accents ignored). The office is in the partition: a query of one office
    never reads another's. The item holds no personal data beyond its key, which the case holds
    too; what a search shows is read from the case."""

    case_id = UnicodeAttribute()
    office = UnicodeAttribute()
    field = UnicodeAttribute()  # nik | phone | number | name
    at = UnicodeAttribute()

    @staticmethod
    def key(office: str, value: str, case_id: str, field: str) -> tuple[str, str]:
        """An exact value's item (`value` as domain/search_terms.exact gives it)."""
        return SearchKey.exact(office, value), f"CASE#{case_id}#{field}"

    @staticmethod
    def exact(office: str, value: str) -> str:
        return f"FIND#{office}#{value}"

    @staticmethod
    def name_key(office: str, words: str, case_id: str) -> tuple[str, str]:
        """A name's item, from one of its words on (`words` as domain/search_terms.name_forms
        gives them, at least 3 characters)."""
        return SearchKey.names(office, words), f"{words}#{case_id}"

    @staticmethod
    def names(office: str, typed: str) -> str:
        """The partition of the names whose word starts with `typed`'s first 3 characters."""
        return f"FINDNAME#{office}#{typed[:3]}"


class Credential(LoketItem, discriminator="credential"):
    """An issued card or letter the public may verify by the unguessable id in its QR code.

    It holds only what the verification page shows: never the NIK or the full name.
    """

    verify_id = UnicodeAttribute()
    case_id = UnicodeAttribute()
    office = UnicodeAttribute()
    product = UnicodeAttribute()
    document = UnicodeAttribute()  # the product's name
    number = UnicodeAttribute(null=True)
    holder = UnicodeAttribute()  # masked name
    issued_on = UnicodeAttribute()  # YYYY-MM-DD, office time
    valid_until = UnicodeAttribute(null=True)
    revoked_at = UnicodeAttribute(null=True)
    revoked_by = UnicodeAttribute(null=True)
    revoked_reason = UnicodeAttribute(null=True)
    # A card re-issued to the same person: the new card's verification id and number, and when.
    superseded_at = UnicodeAttribute(null=True)
    superseded_by = UnicodeAttribute(null=True)
    superseded_number = UnicodeAttribute(null=True)
    # A card closed by its holder's report of work (services/holder.py): no longer valid.
    closed_at = UnicodeAttribute(null=True)

    @staticmethod
    def key(verify_id: str) -> tuple[str, str]:
        return f"VERIFY#{verify_id}", "#VERIFY"


class HolderReminder(LoketItem, discriminator="holder_reminder"):
    """A reminder email a card holder is due (domain/holder_reports.Reminder), found by the month
    and day it is sent: the daily run reads its month's partition (services/holder.py)."""

    case_id = UnicodeAttribute()
    office = UnicodeAttribute()
    service = UnicodeAttribute()
    product = UnicodeAttribute()
    reminder = UnicodeAttribute()  # laporan-1 .. laporan-4 | habis
    due = UnicodeAttribute()  # YYYY-MM-DD: the box's opening, or the card's last valid day
    send_on = UnicodeAttribute()  # YYYY-MM-DD, office time

    @staticmethod
    def partition(month: str) -> str:
        """Every reminder sent in `month` (YYYY-MM)."""
        return f"REMIND#{month}"

    @staticmethod
    def key(send_on: str, case_id: str, reminder: str) -> tuple[str, str]:
        return HolderReminder.partition(send_on[:7]), f"{send_on}#{case_id}#{reminder}"


class UniqueValue(LoketItem, discriminator="unique_value"):
    """A staff record that may be used once per office and service (a payment receipt number)."""

    case_id = UnicodeAttribute()
    at = UnicodeAttribute()

    @staticmethod
    def key(office: str, service: str, field: str, value: str) -> tuple[str, str]:
        return f"UNIQUE#{office}#{service}#{field}#{value}", "#UNIQUE"


class RecruitmentLetter(LoketItem, discriminator="spr"):
    """An SPR (Surat Permintaan Rekrut) as the national system (SIAPkerja / SISKOP2MI) knows it:
    which placement company may recruit how many workers. Each case uses one place once."""

    office = UnicodeAttribute()
    number = UnicodeAttribute()
    company = UnicodeAttribute()
    quota = NumberAttribute()
    used = NumberAttribute(default=0)
    valid_until = UnicodeAttribute()  # YYYY-MM-DD

    @staticmethod
    def key(office: str, number: str) -> tuple[str, str]:
        return f"SPR#{office}#{number}", "#SPR"


class SopFile(LoketItem, discriminator="sop_file"):
    """A version of an office's SOP file kept after it passed `sop check` on the admin page.

    The bytes are in the documents bucket at `object_key`; the same bytes are kept once (the sort
    key holds their SHA-256). `sop pull` brings the newest into the package; a deploy activates it.
    """

    office = UnicodeAttribute()
    service = UnicodeAttribute()  # the service id, or "office" for office.yaml
    sha256 = UnicodeAttribute()
    object_key = UnicodeAttribute()
    file_name = UnicodeAttribute()
    size = NumberAttribute()
    summary = UnicodeAttribute()  # what the check said, e.g. "kab-pasuruan/ak1 v1, 8 langkah ..."
    uploaded_by = UnicodeAttribute()
    uploaded_at = UnicodeAttribute()

    @staticmethod
    def key(office: str, service: str, sha256: str) -> tuple[str, str]:
        return f"OFFICE#{office}", f"SOPFILE#{service}#{sha256}"


class NationalReference(LoketItem, discriminator="national_reference"):
    """A reference number staff read in a national system (SISKOTKLN, the biometric registration,
    Aplikasi TKA Daerah) and recorded on a case: one item per case and field, found by the number."""

    office = UnicodeAttribute()
    system = UnicodeAttribute()
    reference = UnicodeAttribute()
    case_id = UnicodeAttribute()
    service = UnicodeAttribute()
    field = UnicodeAttribute()
    label = UnicodeAttribute()
    at = UnicodeAttribute()

    @staticmethod
    def key(office: str, system: str, reference: str, case_id: str, field: str) -> tuple[str, str]:
        return f"NATREF#{office}#{system}#{reference}", f"CASE#{case_id}#{field}"


class SignInSession(LoketItem, discriminator="sign_in_session"):
    """A session opened by a sign-in through Loket (adapters/sign_in_sessions.py).

    `session_id` is the `origin_jti` of Cognito's tokens: the same for every token refreshed from
    one sign-in, new at every sign-in. Deleted at sign-out and when an account is disabled; a
    token whose session is not here is refused (docs/adr/0015)."""

    pool = UnicodeAttribute()  # staff | applicant
    username = UnicodeAttribute()
    session_id = UnicodeAttribute()
    opened_at = UnicodeAttribute()
    expires_at = NumberAttribute()  # epoch seconds; the TTL attribute

    @staticmethod
    def partition(pool: str, username: str) -> str:
        """Every session of one account: what sign-out and disabling delete."""
        return f"SESSION#{pool}#{username}"

    @staticmethod
    def key(pool: str, username: str, session_id: str) -> tuple[str, str]:
        return SignInSession.partition(pool, username), f"#SESSION#{session_id}"


class SignInAttempts(LoketItem, discriminator="sign_in_attempts"):
    """Sign-in attempts of one user name or client in the current window (domain/sign_in_limits).

    The key holds a SHA-256 of the user name or address, not the text: the table lists neither.
    (An IPv4 address's hash can be undone by trying every address: this keeps the table from
    reading as a list, it is not anonymisation; the item is gone a day after its window.)"""

    attempts = NumberAttribute(default=0)
    window_ends = NumberAttribute()  # epoch seconds
    level = NumberAttribute(default=0)  # backoff: how many windows in a row reached the limit
    expires_at = NumberAttribute()  # epoch seconds; the TTL attribute

    @staticmethod
    def key(pool: str, scope: str, key: str) -> tuple[str, str]:
        digest = hashlib.sha256(f"{pool}\n{scope}\n{key}".encode()).hexdigest()
        return f"ATTEMPTS#{pool}#{scope}#{digest}", "#ATTEMPTS"


def _person(office: str, product: str, nik: str) -> str:
    """The partition of one NIK's cards at an office: a SHA-256 of the NIK, not the NIK itself, so
    the table's keys list no NIK (like SignInAttempts, this keeps the keys from reading as a list of
    NIKs; it is not anonymisation: the NIK is on the case)."""
    digest = hashlib.sha256(f"loket-nik\n{nik}".encode()).hexdigest()
    return f"PERSON#{office}#{product}#{digest}"


class PersonCard(LoketItem, discriminator="person_card"):
    """What an office knows of one NIK's card of one product (one valid card per person): the
    filing in progress (`pending_*`) and the card in force (`card_*`), changed only at its version
    (two filings of one NIK at once: one write stands, services/one_card.py)."""

    office = UnicodeAttribute()
    product = UnicodeAttribute()
    pending_case = UnicodeAttribute(null=True)
    pending_sub = UnicodeAttribute(null=True)
    pending_at = UnicodeAttribute(null=True)
    card_case = UnicodeAttribute(null=True)
    card_sub = UnicodeAttribute(null=True)
    card_number = UnicodeAttribute(null=True)
    card_valid_until = UnicodeAttribute(null=True)  # YYYY-MM-DD, office time
    card_verify_id = UnicodeAttribute(null=True)
    version = VersionAttribute()

    @staticmethod
    def key(office: str, product: str, nik: str) -> tuple[str, str]:
        return _person(office, product, nik), "#CARD"

    @staticmethod
    def partition(office: str, product: str, nik: str) -> str:
        """The NIK's card and every filing of it at the office."""
        return _person(office, product, nik)


class PersonFiling(LoketItem, discriminator="person_filing"):
    """One filing of a NIK for a one-per-person product: which case, from which account, why."""

    case_id = UnicodeAttribute()
    applicant_sub = UnicodeAttribute()
    reason = UnicodeAttribute()  # the option of the SOP's reason field, as chosen
    at = UnicodeAttribute()

    PREFIX = "CASE#"

    @staticmethod
    def key(office: str, product: str, nik: str, case_id: str) -> tuple[str, str]:
        return _person(office, product, nik), f"CASE#{case_id}"


class AccountProfile(LoketItem, discriminator="account_profile"):
    """What an applicant account typed last in the sections of a form that hold its organisation's
    own data (`FormSection.organisation`: company name, address, NIB, NPWP, the officer filing):
    {section key: {field key: value}}, as the form kept them, to prefill the next form."""

    sub = UnicodeAttribute()
    sections = JSONAttribute(default=dict)
    updated_at = UnicodeAttribute()

    @staticmethod
    def key(sub: str) -> tuple[str, str]:
        return f"ACCOUNT#{sub}", "#PROFILE"


class SurveyResponse(LoketItem, discriminator="survey_response"):
    """One SKM response (services/survey.py): the nine answers, the office, service and month,
    and nothing that names the applicant or the case (no sub, NIK, email or case id): the results
    are anonymous. The key's response id is random."""

    office = UnicodeAttribute()
    service = UnicodeAttribute()
    answers = JSONAttribute(default=dict)  # {element key: 1..4}, domain/ikm.ELEMENT_KEYS

    @staticmethod
    def key(office: str, service: str, month: str, response_id: str) -> tuple[str, str]:
        return f"SKM#{office}#{service}#{month}", f"R#{response_id}"

    @staticmethod
    def partition(office: str, service: str, month: str) -> str:
        return f"SKM#{office}#{service}#{month}"


class SurveyTaken(LoketItem, discriminator="survey_taken"):
    """That a case's applicant answered the survey (the once-per-case rule), written in the same
    transaction as the response and holding no answer: the two cannot be joined."""

    @staticmethod
    def key(case_id: str) -> tuple[str, str]:
        return f"SKMDONE#{case_id}", "#SKMDONE"


class DayTally(LoketItem, discriminator="day_tally"):
    """The running aggregates of one office, service and day (WIB): counters added to atomically
    (DynamoDB ADD) as events happen. Its counters are attributes named by `services/tallies.py`
    (`case|in`, `st|06|h|12`, ...): not declared here, since which steps, reasons and officers
    appear is the SOP's and the office's; `fields` reads them all back as {name: number}."""

    office = UnicodeAttribute(null=True)
    service = UnicodeAttribute(null=True)
    day = UnicodeAttribute(null=True)  # YYYY-MM-DD, WIB

    PREFIX = "DAY#"

    @staticmethod
    def partition(office: str) -> str:
        """Every day of an office's aggregates (one query reads a month of them)."""
        return f"TALLY#{office}"

    @staticmethod
    def key(office: str, day: str, service: str) -> tuple[str, str]:
        return DayTally.partition(office), f"DAY#{day}#{service}"

    @staticmethod
    def day_bound(day: str) -> str:
        """The sort key of `day`'s first item ("DAY#<day>#"); `day_bound(last) + "~"` ends a range."""
        return f"DAY#{day}#"


class TallyMark(LoketItem, discriminator="tally_mark"):
    """An event counted into the aggregates: written in the same transaction as the counters,
    only if absent, so a replayed event is counted once."""

    at = UnicodeAttribute()
    expires_at = NumberAttribute()  # epoch seconds; the TTL attribute

    @staticmethod
    def key(marker: str) -> tuple[str, str]:
        return f"TALLIED#{marker}", "#TALLIED"


class AuditMark(LoketItem, discriminator="audit_mark"):
    """An audit event written by an effect's run (a worker task): written in the same transaction
    as the event, only if absent, so the run repeated after a failure writes the event once."""

    at = UnicodeAttribute()
    case_id = UnicodeAttribute()
    expires_at = NumberAttribute()  # epoch seconds; the TTL attribute (audit_log.MARK_DAYS)

    @staticmethod
    def key(marker: str) -> tuple[str, str]:
        return f"AUDITED#{marker}", "#AUDITED"


def transaction_connection() -> Connection:
    """The PynamoDB connection for `TransactWrite`, made once per process and region.

    A new `Connection` starts a botocore session, which reads botocore's data files again (0.1 to
    0.5 s each time, on every decision and letter number); like the models' own connection, this
    one keeps a botocore session per thread and shares its client, which is thread-safe."""
    return _connection(LoketItem.Meta.region)


@functools.cache
def _connection(region: str) -> Connection:
    # The models' retries (standard mode, `_TableMeta.max_retry_attempts`), not PynamoDB's default 3.
    connection = Connection(region=region, max_retry_attempts=_TableMeta.max_retry_attempts)
    # Make the client now: PynamoDB makes it on first use and registers a hook on it without a
    # lock, so threads sharing a fresh connection could use it while the hook is being added.
    faults.attach(connection.client)
    return connection


def reset_connections() -> None:
    """Drop PynamoDB's connections (the models' and the transactions'), so the next call makes
    new clients: fault injection switched on or off (adapters/faults.install)."""
    _connection.cache_clear()
    pending: list[type[Model]] = [LoketItem]
    while pending:
        model = pending.pop()
        model._connection = None
        pending.extend(model.__subclasses__())
