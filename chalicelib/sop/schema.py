"""The shape of an office and of one service standard (SPP + SOP), as pydantic models.

These models check each value on its own (types, allowed words, parsable times). Rules that
relate values to each other (actors exist in the office, gotos point at steps, every loop has
an exit) live in `rules.py`, so that every problem can be reported with its own YAML line.
Field names are the YAML keys; the YAML files are the source, these models are their reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    field_validator,
    model_validator,
)

from chalicelib.domain import teks
from chalicelib.domain.person import JOB_SEEKER_MIN_AGE
from chalicelib.domain.working_time import OfficeHours
from chalicelib.sop.durations import NOT_TIMED, parse_minutes, parse_range_minutes

APPLICANT = "pemohon"
"""The actor name for the applicant in step tables; never an office role."""

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
"""snake_case identifier: role ids, document keys, field keys."""

OfficeId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
ServiceId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

ApplicantKind = Literal["pencari_kerja", "perusahaan", "sekolah", "p3mi", "masyarakat"]
"""Who files a service: one of the four kinds of applicant account (domain/accounts.KINDS), or
"masyarakat" (anyone, with an account of any kind or none: complaints, services/complaints.py)."""
StepKind = Literal[
    "applicant_action",  # the applicant acts (fills the form, submits, receives)
    "staff_check",  # staff examine the applicant's file or talk to the applicant
    "decision",  # a superior reviews work and approves, forwards (disposisi) or sends it back
    "drafting",  # staff prepare or print a document
    "initial",  # paraf: a superior initials a document before it is signed
    "signature",  # tanda tangan / persetujuan: needs a signing rule
    "numbering",  # the letter gets its official number
    "handover",  # a document or file changes hands
    "archive",  # filing under the records-control SOP
    "external_check",  # staff work in a national system (SISKOTKLN, TKA Online) and record what they saw
    "system_action",  # Loket itself does the step, no person is asked
]
HUMAN_KINDS: frozenset[str] = frozenset(
    {
        "staff_check",
        "decision",
        "drafting",
        "initial",
        "signature",
        "numbering",
        "handover",
        "archive",
        "external_check",
    }
)
Stage = Literal["intake", "process"]
OutcomeDecision = Literal["approve", "return", "forward", "reject"]
SystemActionName = Literal[
    "issue_document",  # render the step's documents from the case data (draft, or final once signed)
    "send_email",  # email the applicant; attaches the step's documents when it names any
    "number_letter",  # take the next number from the office's letter register for the documents
    "publish_download",  # let the applicant download and print the documents from the case page
]
DelegationKind = Literal["a.n.", "u.b.", "Plt", "Plh"]
# The national systems staff work in and whose reference numbers Loket records (adapters/national.py).
NationalSystem = Literal["siskotkln", "siapkerja", "siskop2mi", "biometrik", "tka_daerah"]
FileKind = Literal["pdf", "jpeg", "png"]
FieldType = Literal[
    "name",  # a person's name as on the KTP or passport: Latin letters, no digits (domain/teks.py)
    "text",  # one line of text in Latin letters (domain/teks.py), up to 150 characters
    "textarea",  # several lines of text in Latin letters, up to 600 characters
    "number",
    "money",
    "date",  # a day that has happened: never in the future
    "valid_until",  # tanggal berlaku sampai: today or later (records.typed_date)
    "year",
    "nik",
    "email",
    "phone",
    "password",
    "choice",
]
TerminalTarget = Literal["applicant", "end"]


def _goto_value(value: Any) -> int | TerminalTarget:
    """One clear message instead of pydantic's two for the int-or-word union."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if value in ("applicant", "end"):
        return value
    raise ValueError(f"tujuan {value!r} tidak sah; tulis nomor langkah, 'applicant' atau 'end'")


Target = Annotated[int | TerminalTarget, PlainValidator(_goto_value)]


class SopModel(BaseModel):
    """Strict base: unknown keys are typos in a hand-written file, so they are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class EditorialDecision(SopModel):
    """Where the seed was unclear and what this file decided; kept next to the data it explains."""

    about: Text
    decision: Text


# --- office -------------------------------------------------------------------------------------


class Role(SopModel):
    label: Text
    escalates_to: Key | None = None
    """The next role up, told when a step of this role is overdue; None at the top."""


class LetterNumbering(SopModel):
    """How the office numbers its letters (penomoran surat by the secretariat).

    `format` may use {seq} (the running number of the year, per classification code), {code}
    (the classification code of the product), {unit} (the office's unit code), {month},
    {roman_month} and {year}.
    """

    format: Text = "{code}/{seq}/{unit}/{year}"
    unit: Text
    default_code: Text = "560"
    """Kode klasifikasi arsip used when a product names none (560: ketenagakerjaan)."""


class WorkingHours(SopModel):
    """Office hours (WIB) on some weekdays: when an office sets them, a step's standard time and
    the service's published time count only while the office works (domain/working_time.py).
    An office whose days differ lists one block per set of days (Mon-Thu 08.00-16.00, Fri
    08.00-16.30)."""

    days: list[Annotated[int, Field(ge=1, le=7)]] = Field(min_length=1)  # 1 = Senin ... 7 = Minggu
    start: Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    end: Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]

    @model_validator(mode="after")
    def _closes_after_opening(self) -> WorkingHours:
        if self.end <= self.start:
            raise ValueError("jam tutup harus setelah jam buka")
        return self


StandardComponentKey = Literal[
    "persyaratan",  # requirements.documents
    "prosedur",  # steps, as a numbered flow (activity and who acts)
    "diagram_alur",  # steps with their mutu baku (kelengkapan, waktu, output) and procedure_note
    "jangka_waktu",  # duration
    "biaya",  # fee
    "produk",  # products
    "pengaduan",  # complaint
    "dasar_hukum",  # legal_basis
    "sarana",  # facilities
    "kompetensi",  # competence
    "pengawasan_internal",  # internal_supervision
    "jumlah_pelaksana",  # staff_count
    "jaminan_pelayanan",  # service_guarantee
    "jaminan_keamanan",  # safety_guarantee
    "evaluasi_kinerja",  # performance_evaluation
    "ruang_lingkup",  # scope
    "ringkasan",  # summary
    "definisi",  # definitions
    "ketentuan_lain",  # other_provisions
    "pengesahan",  # code and ratification (Nomor SOP, tanggal, disahkan oleh, nama SOP)
    "keterkaitan",  # related_sops
    "peringatan",  # warnings
]
"""The components a published standard can hold (chalicelib/sop/standard.py reads each one)."""


class StandardComponent(SopModel):
    """One component of the office's published standard, under the office's own heading."""

    key: StandardComponentKey
    label: Text


class StandardPart(SopModel):
    """A part of the published standard (SPP: A. Service Delivery, B. Manufacturing), in order."""

    title: Text
    components: list[StandardComponent] = Field(min_length=1)


class Office(SopModel):
    id: OfficeId
    name: Text  # the region: "Kabupaten Pasuruan"
    government: Text  # "Pemerintah Kabupaten Pasuruan"
    unit: Text  # "Dinas Tenaga Kerja"
    division: Text | None = None  # the bidang that runs these services
    address: Text
    phone: Text
    fax: Text | None = None
    website: Text | None = None
    email: Text | None = None
    region_code: Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
    nik_regions: list[Annotated[str, StringConstraints(pattern=r"^\d{2}\.\d{2}$")]] = []
    """The regencies or cities (Kemendagri code "35.14": province.regency, the first 4 digits of a
    NIK) whose residents this office serves; empty: the office's own `region_code`. A job seeker's
    card is made where their KTP is registered (domain/cards.py)."""
    numbering: LetterNumbering
    working_hours: WorkingHours | Annotated[list[WorkingHours], Field(min_length=1)] | None = None
    """One block, or one per set of weekdays; without it, standard times and the service clock
    run around the clock (no hours, no holidays: the office did not say when it is closed)."""
    return_expiry_days: int = Field(default=14, gt=0, le=90)
    """A file returned to the applicant expires (with a notice) after this many days."""
    applicant_step_days: int = Field(default=7, gt=0, le=90)
    """An applicant's step after submission (confirming a document was received) that the
    applicant leaves undone closes by itself, with a notice, after this many days (ADR 0021)."""
    roles: dict[Key, Role] = Field(min_length=1)
    standard: list[StandardPart] = []
    """The office's form of a published standard: its parts and components in the order of its
    own document; every public service must hold each one (`sop check`, sop/standard.py)."""
    decisions: list[EditorialDecision] = []

    @property
    def full_name(self) -> str:
        return f"{self.unit} {self.name}"

    @property
    def hours_blocks(self) -> list[WorkingHours]:
        """The office's hours as a list of blocks (empty without hours)."""
        if self.working_hours is None:
            return []
        return self.working_hours if isinstance(self.working_hours, list) else [self.working_hours]

    @property
    def office_hours(self) -> OfficeHours | None:
        """The hours by weekday for the clocks (domain/working_time.py), without holidays; None
        when the office sets none. A weekday in two blocks takes the last (rules.py refuses it)."""
        week = {
            day: (time.fromisoformat(block.start), time.fromisoformat(block.end))
            for block in self.hours_blocks
            for day in block.days
        }
        return OfficeHours(week) if week else None

    @property
    def nik_region_codes(self) -> frozenset[str]:
        """The 4-digit region codes a NIK of this office's residents starts with ("3514")."""
        return frozenset(r.replace(".", "") for r in self.nik_regions) or frozenset({self.region_code})

    def knows_actor(self, actor: str) -> bool:
        return actor == APPLICANT or actor in self.roles

    def actor_label(self, actor: str) -> str:
        return "Pemohon" if actor == APPLICANT else self.roles[actor].label


# --- service: what the applicant brings -----------------------------------------------------------


class Applicant(SopModel):
    kind: ApplicantKind
    label: Text
    # The youngest a person filing this service may be, in years; unset: 18 for a job seeker
    # (domain/person.JOB_SEEKER_MIN_AGE), no rule for an organisation's account.
    min_age: int | None = Field(default=None, ge=0, le=100)

    @property
    def minimum_age(self) -> int | None:
        """The age rule this service applies to the applicant's own birth date, in years."""
        if self.min_age is not None:
            return self.min_age
        return JOB_SEEKER_MIN_AGE if self.kind == "pencari_kerja" else None


class InputField(SopModel):
    """A value someone types: a form field for the applicant or a record kept by staff."""

    key: Key
    label: Text
    type: FieldType
    required: bool = True
    options: list[Text] = []
    note: Text | None = None
    to_applicant: bool = False  # a staff record the applicant reads on their status page
    unique: bool = False  # a staff record used once per office and service (a receipt number)
    check: Literal["spr"] | None = None  # checked against a national register (SPR quota)
    system: NationalSystem | None = None  # a reference number staff read in this national system
    max_length: int | None = Field(default=None, ge=1)
    """The most characters a name or text field takes when fewer than its type's (name 80, text
    150, textarea 600): what a card prints whole (documents/ak1_card.py)."""
    uppercase: bool | None = None
    """A name or text field kept in capitals ("huruf cetak") or as typed, whatever the form's
    `form_uppercase` says; None follows the form (`Requirements.in_capitals`)."""

    @model_validator(mode="after")
    def _options_fit_type(self) -> InputField:
        if self.type == "choice" and not self.options:
            raise ValueError("isian bertipe 'choice' perlu daftar 'options'")
        if self.type != "choice" and self.options:
            raise ValueError("'options' hanya untuk isian bertipe 'choice'")
        return self

    @model_validator(mode="after")
    def _uppercase_fits_type(self) -> InputField:
        if self.uppercase is not None and self.type not in teks.KIND_OF_TYPE:
            raise ValueError("'uppercase' hanya untuk isian bertipe name, text atau textarea")
        return self

    @model_validator(mode="after")
    def _max_length_fits_type(self) -> InputField:
        if self.max_length is None:
            return self
        longest = teks.MAX_LENGTH.get(self.type)
        if longest is None:
            raise ValueError("'max_length' hanya untuk isian bertipe name, text atau textarea")
        if self.max_length > longest:
            raise ValueError(f"'max_length' isian bertipe {self.type} paling banyak {longest}")
        return self

    @property
    def text_rule(self) -> teks.Aturan | None:
        """What this field takes when it is free text (domain/teks.py), else None."""
        return teks.rule_for(self.type, self.max_length)


class FormSection(SopModel):
    key: Key
    title: Text
    required: bool = True
    repeatable: bool = False  # e.g. several work experiences
    fields: list[InputField] = Field(min_length=1)
    note: Text | None = None
    organisation: bool = False
    """The filing organisation's own data (its name, address, NIB, the officer filing): prefilled
    from the account and remembered from its last form (services/profiles.py)."""


class FormCondition(SopModel):
    """A form answer a requirement depends on: the applicant's field `field` ("section.field", a
    choice outside a repeatable section) holds one of `values` (its options, as written)."""

    field: Text
    values: list[Text] = Field(min_length=1)

    def holds(self, form: Mapping[str, Any] | None) -> bool:
        """Whether the saved form (section -> field -> value) answers one of `values`."""
        section_key, _, field_key = self.field.partition(".")
        section = (form or {}).get(section_key)
        return isinstance(section, Mapping) and section.get(field_key) in self.values


class RequiredDocument(SopModel):
    key: Key
    name: Text
    required: bool
    file_kinds: list[FileKind] = Field(min_length=1)
    max_size_mb: float = Field(gt=0, le=20)
    note: Text | None = None
    required_when: FormCondition | None = None
    """A document asked only for some applicants ("Wajib bagi CPMI yang sudah menikah"): asked
    and required when the form's answer holds, not asked otherwise; `required` is then false
    (rules.py). The public form, the submit check and the officer's checklist all follow it."""

    def asked(self, form: Mapping[str, Any] | None) -> bool:
        """Whether the applicant with this saved form is asked for the document at all."""
        return self.required_when is None or self.required_when.holds(form)

    def needed(self, form: Mapping[str, Any] | None) -> bool:
        """Whether the applicant with this saved form must upload it before submitting."""
        return self.required or (self.required_when is not None and self.required_when.holds(form))


class Requirements(SopModel):
    documents: list[RequiredDocument] = Field(min_length=1)
    form_uppercase: bool = False  # "diisi dengan huruf cetak"
    form: list[FormSection] = []

    def in_capitals(self, spec: InputField) -> bool:
        """Whether the form keeps `spec` in capitals: its own `uppercase` when the SOP sets it, else
        the form's `form_uppercase`; never for a field that is not free text (a date, a NIK...)."""
        if spec.text_rule is None:
            return False
        return self.form_uppercase if spec.uppercase is None else spec.uppercase


# --- service: the procedure ----------------------------------------------------------------------


class Outcome(SopModel):
    """One button on a check or decision, and where the case goes after it."""

    decision: OutcomeDecision
    label: Text
    goto: Target
    resume: int | None = Field(default=None, gt=0)
    """With goto 'applicant': the step that continues after the applicant resubmits (default: this one)."""
    note: Text | None = None


class SigningRule(SopModel):
    signer: Key
    substitutes: list[Key] = []
    """Roles that may sign when the signer is absent, in order of preference."""
    substitute_needs_decree: bool = False
    """True when a substitute may sign only under a delegation decree (SK pendelegasian)."""
    delegation_kinds: list[DelegationKind] = []
    """How a substitute or acting official marks the signature: a.n., u.b., Plt, Plh."""
    rule: Text
    """The rule in the standard's own words (or the decision that made it)."""


class Step(SopModel):
    number: int = Field(gt=0)
    activity: Text
    actors: list[Key] = Field(min_length=1)
    kind: StepKind
    stage: Stage
    input: Text | None = None  # Kelengkapan
    time: Text  # Waktu, as written in the standard; "-" only before submission
    output: Text | None = None
    note: Text | None = None  # Ket.
    outcomes: list[Outcome] = []
    system_action: SystemActionName | None = None
    """Done by Loket: the whole step for kind system_action, else prepared when the step begins."""
    signing: SigningRule | None = None
    documents: list[Key] = []
    records: list[InputField] = []
    answer_record: Key | None = None
    """On a send_email step: the key of a staff record of an earlier step that this email carries
    to the applicant as the office's answer (a complaint's jawaban: services/complaints.py)."""

    @field_validator("time")
    @classmethod
    def _time_is_readable(cls, value: str) -> str:
        if value != NOT_TIMED:
            parse_minutes(value)
        return value

    @property
    def standard_minutes(self) -> float:
        """The standard time in minutes; 0 for an untimed ("-") intake step."""
        return 0.0 if self.time == NOT_TIMED else parse_minutes(self.time)

    @property
    def staff_roles(self) -> list[str]:
        return [actor for actor in self.actors if actor != APPLICANT]

    @property
    def responsible_role(self) -> str | None:
        """The first staff role listed: its queue gets the work item, its superior hears of delays."""
        roles = self.staff_roles
        return roles[0] if roles else None

    @property
    def coactors(self) -> list[str]:
        """The other staff roles listed ("Kasi/Staf"): they see the item in their inbox ("Bisa
        dikerjakan juga") and may take and decide it; it stays queued for and escalated against
        `responsible_role` (ADR 0021)."""
        return self.staff_roles[1:]

    @property
    def is_human(self) -> bool:
        """A staff step after submission: it becomes a work item in a role's queue."""
        return self.stage == "process" and self.kind in HUMAN_KINDS

    @property
    def is_system(self) -> bool:
        return self.stage == "process" and self.kind == "system_action"

    @property
    def waits_for_applicant(self) -> bool:
        """An applicant step after submission, such as confirming that a document was received."""
        return self.stage == "process" and self.kind == "applicant_action"


# --- service: the rest of the standard -----------------------------------------------------------


class ServiceDuration(SopModel):
    """Jangka waktu pelayanan: written as text in the file, read into minutes here."""

    text: Text
    min_minutes: float
    max_minutes: float

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            shortest, longest = parse_range_minutes(value)
            return {"text": value, "min_minutes": shortest, "max_minutes": longest}
        return value


class Fee(SopModel):
    text: Text
    amount_rupiah: int = Field(ge=0)


class OnePerPerson(SopModel):
    """One valid card per person (by NIK) per office (services/one_card.py): a second filing for
    a NIK with a valid card, or with a filing in progress, is refused unless it asks a re-issue,
    and a re-issued card supersedes the old one on the verification page."""

    nik: Text
    """The form field ("section.field", type nik) holding the holder's NIK."""
    reason: Text
    """The form field ("section.field", type choice) where the applicant says why they file."""
    first: Text
    """The option of `reason` that asks a first card; every other option asks a re-issue."""
    rule: Text
    """The rule in the standard's words, or the decision that made it."""


class Product(SopModel):
    key: Key
    name: Text
    pdf: bool = True  # False when the product is a status in a national system, not a document
    code: Text | None = None  # kode klasifikasi for its letter number; else the office default
    note: Text | None = None
    valid_years: int | None = Field(default=None, gt=0, le=10)  # a card's validity; verified by its QR
    one_per_person: OnePerPerson | None = None  # one valid card per NIK per office


class ComplaintChannel(SopModel):
    name: Text
    address: Text
    phone: Text
    website: Text | None = None
    email: Text | None = None
    note: Text | None = None


class Definition(SopModel):
    term: Text
    meaning: Text


class Ratification(SopModel):
    """Pengesahan: who signed the SOP and when it took effect."""

    made_on: Text
    effective_on: Text
    revised_on: Text | None = None
    approved_by: Text
    approver_position: Text
    approver_nip: Text | None = None
    sop_name: Text | None = None  # Nama SOP, as the approval block writes it


class ServiceStandard(SopModel):
    id: ServiceId
    office: OfficeId
    version: int = Field(gt=0)
    title: Text
    public: bool = True
    """False for a service citizens are not offered (the wiring check `uji-sambungan`): it is left out
    of the public catalogue (`/api/offices`), the QR posters and the administrator's poster page,
    while its cases still open through the API and run like any other."""
    code: Text | None = None  # Nomor SOP
    division: Text | None = None
    applicant: Applicant
    duration: ServiceDuration
    fee: Fee
    products: list[Product] = Field(min_length=1)
    requirements: Requirements
    steps: list[Step] = Field(min_length=1)
    procedure_note: Text | None = None
    complaint: ComplaintChannel
    legal_basis: list[Text] = Field(min_length=1)
    facilities: list[Text] = []
    competence: list[Text] = []
    staff_count: int | None = Field(default=None, gt=0)
    internal_supervision: Text | None = None
    service_guarantee: Text | None = None
    safety_guarantee: Text | None = None
    performance_evaluation: Text | None = None
    scope: Text | None = None
    summary: Text | None = None
    definitions: list[Definition] = []
    related_sops: list[Text] = []
    warnings: list[Text] = []
    other_provisions: list[Text] = []
    ratification: Ratification | None = None
    decisions: list[EditorialDecision] = []

    @property
    def intake_steps(self) -> list[Step]:
        return [s for s in self.steps if s.stage == "intake"]

    @property
    def process_steps(self) -> list[Step]:
        """The steps after submission: these are what the state machine runs."""
        return [s for s in self.steps if s.stage == "process"]

    @property
    def process_minutes(self) -> float:
        return sum(s.standard_minutes for s in self.process_steps)

    def step(self, number: int) -> Step:
        for candidate in self.steps:
            if candidate.number == number:
                return candidate
        raise KeyError(f"{self.office}/{self.id}: langkah {number} tidak ada")

    def counter_step(self, step: Step) -> Step | None:
        """The staff step whose roles confirm an applicant's step after submission for the
        applicant (the counter that handed the document over): the last staff step before it,
        else the first after it; None when the service has no staff step."""
        earlier = [s for s in self.process_steps if s.number < step.number and s.staff_roles and s.is_human]
        if earlier:
            return earlier[-1]
        later = [s for s in self.process_steps if s.number > step.number and s.staff_roles and s.is_human]
        return later[0] if later else None

    def default_next(self, step: Step) -> int | Literal["end"]:
        """Where a step without outcomes goes: the next step in the table, or the end."""
        later = [s.number for s in self.steps if s.number > step.number]
        return min(later) if later else "end"

    @property
    def one_card(self) -> Product | None:
        """The product of which a person holds one valid at a time (`one_per_person`), if any."""
        return next((p for p in self.products if p.one_per_person is not None), None)

    def form_field(self, path: str) -> InputField | None:
        """The applicant's form field at "section.field" (None when there is none)."""
        section_key, _, field_key = path.partition(".")
        for section in self.requirements.form:
            if section.key == section_key:
                return next((f for f in section.fields if f.key == field_key), None)
        return None

    def product(self, key: str) -> Product:
        for candidate in self.products:
            if candidate.key == key:
                return candidate
        raise KeyError(f"{self.office}/{self.id}: produk {key!r} tidak ada")
