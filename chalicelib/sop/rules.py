"""Rules that relate the values of an SOP to each other and to its office.

A product printed as a PDF must have a renderer registered for its key
(`chalicelib/documents/registry.py`; reading it imports no reportlab, so the API Lambda may).

Each rule returns problems with the location (the path of keys and list indexes) of the value
at fault, so the loader can point at the YAML line. Messages are Indonesian, without the
"langkah N:" prefix, which the loader adds from the location.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from chalicelib.documents import registry
from chalicelib.sop import standard
from chalicelib.sop.durations import NOT_TIMED, format_minutes
from chalicelib.sop.schema import APPLICANT, Office, ServiceStandard, Step

Loc = tuple[str | int, ...]
Node = int | str
END = "end"
DOCUMENT_ACTIONS = ("issue_document", "number_letter", "publish_download")


@dataclass(frozen=True)
class Problem:
    loc: Loc
    message: str


def check_office(office: Office) -> list[Problem]:
    """Role names and the escalation chain: every escalation exists and climbs to a top."""
    problems: list[Problem] = []
    seen: dict[int, int] = {}
    for index, block in enumerate(office.hours_blocks):
        for day in block.days:
            if day in seen:
                loc: Loc = (
                    ("working_hours", index, "days")
                    if isinstance(office.working_hours, list)
                    else ("working_hours", "days")
                )
                problems.append(Problem(loc, f"hari {day} sudah punya jam kerja di blok {seen[day] + 1}"))
            seen[day] = index
    if APPLICANT in office.roles:
        problems.append(Problem(("roles", APPLICANT), f"'{APPLICANT}' adalah pemohon, bukan peran kantor"))
    for role_id, role in office.roles.items():
        target = role.escalates_to
        loc = ("roles", role_id, "escalates_to")
        if target is not None and target not in office.roles:
            known = ", ".join(office.roles)
            message = f"eskalasi ke peran '{target}' yang tidak ada (peran yang ada: {known})"
            problems.append(Problem(loc, message))
            continue
        chain = [role_id]
        while target is not None and target in office.roles:
            if target in chain:
                problems.append(Problem(loc, f"eskalasi berputar ({' → '.join([*chain, target])})"))
                break
            chain.append(target)
            target = office.roles[target].escalates_to
    return problems


def check_service(service: ServiceStandard, office: Office) -> list[Problem]:
    """Every rule for one service standard of one office; the flow graph only once the rest holds."""
    problems = [
        *_office_matches(service, office),
        *_unique_keys(service),
        *_staff_record_attributes(service),
        *_numbering(service),
        *_actors(service, office),
        *_stages_and_kinds(service),
        *_signing(service, office),
        *_documents(service),
        *_answer_records(service),
        *_renderers(service),
        *_one_per_person(service),
        *_conditions(service),
        *_outcomes(service),
        *_standard_components(service, office),
    ]
    return problems or list(_flow(service))


def warnings(service: ServiceStandard) -> list[Problem]:
    """What `sop check` says without refusing the file: the steps' standard times ("Waktu" of
    every process step) adding up to more than the published service time ("Jangka Waktu
    Pelayanan", its upper bound), with both and the difference, at the `duration` key. The seed
    may be right on both counts (steps run in parallel, or the promise is for the usual case),
    so the office decides; the service clock keeps the published time (services/service_clock.py)."""
    total = service.process_minutes
    promised = service.duration.max_minutes
    if total <= promised:
        return []
    message = (
        f"waktu baku langkah-langkah proses berjumlah {format_minutes(total)}, lebih dari jangka "
        f"waktu pelayanan '{service.duration.text}' ({format_minutes(promised)}): "
        f"lebih {format_minutes(total - promised)}"
    )
    return [Problem(("duration",), message)]


def transitions(service: ServiceStandard, step: Step) -> list[Node]:
    """Where the case can go from a process step; a return to the applicant leads to its resume step."""
    if not step.outcomes:
        return [service.default_next(step)]
    targets: list[Node] = []
    for outcome in step.outcomes:
        if outcome.goto == "applicant":
            targets.append(outcome.resume or step.number)
        else:
            targets.append(outcome.goto)
    return targets


def _locator(service: ServiceStandard, step: Step) -> Callable[..., Loc]:
    index = service.steps.index(step)

    def at(*rest: str | int) -> Loc:
        return ("steps", index, *rest)

    return at


def _unknown_role(role: str, office: Office, with_applicant: bool) -> str:
    known = ", ".join([APPLICANT, *office.roles] if with_applicant else office.roles)
    return f"peran '{role}' tidak dikenal di kantor {office.id} (peran yang ada: {known})"


def _office_matches(service: ServiceStandard, office: Office) -> Iterator[Problem]:
    if service.office != office.id:
        message = f"kantor '{service.office}' tidak sama dengan kantor berkas ini ({office.id})"
        yield Problem(("office",), message)


def _duplicates(keys: Iterable[str]) -> Iterator[tuple[int, str]]:
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if key in seen:
            yield index, key
        seen.add(key)


def _unique_keys(service: ServiceStandard) -> Iterator[Problem]:
    form = service.requirements.form
    for index, key in _duplicates(d.key for d in service.requirements.documents):
        yield Problem(("requirements", "documents", index, "key"), f"kunci dokumen '{key}' ganda")
    for index, key in _duplicates(p.key for p in service.products):
        yield Problem(("products", index, "key"), f"kunci produk '{key}' ganda")
    for index, key in _duplicates(s.key for s in form):
        yield Problem(("requirements", "form", index, "key"), f"kunci bagian formulir '{key}' ganda")
    for section_index, section in enumerate(form):
        for index, key in _duplicates(f.key for f in section.fields):
            loc = ("requirements", "form", section_index, "fields", index, "key")
            yield Problem(loc, f"kunci isian '{key}' ganda")
    for step in service.steps:
        at = _locator(service, step)
        for index, key in _duplicates(r.key for r in step.records):
            yield Problem(at("records", index, "key"), f"kunci catatan '{key}' ganda")


def _staff_record_attributes(service: ServiceStandard) -> Iterator[Problem]:
    """'unique', 'check' and 'system' describe what staff record, never what the applicant types;
    a national reference is a number or an identity, so only text or NIK fields carry one."""
    for section_index, section in enumerate(service.requirements.form):
        for index, field in enumerate(section.fields):
            for attribute in ("unique", "check", "system"):
                if getattr(field, attribute):
                    loc = ("requirements", "form", section_index, "fields", index, attribute)
                    yield Problem(loc, f"'{attribute}' hanya untuk catatan petugas (records), bukan formulir")
    for step in service.steps:
        at = _locator(service, step)
        for index, record in enumerate(step.records):
            if record.system and record.type not in ("text", "nik"):
                message = f"rujukan sistem nasional harus bertipe text atau nik, bukan '{record.type}'"
                yield Problem(at("records", index, "type"), message)


def _one_per_person(service: ServiceStandard) -> Iterator[Problem]:
    """`one_per_person` names a NIK field and a choice field of the form, and an option of it;
    one product of a service at most."""
    for index, product in enumerate(service.products):
        rule = product.one_per_person
        if rule is None:
            continue
        loc = ("products", index, "one_per_person")
        if service.one_card is not product:
            yield Problem(loc, "hanya satu produk per layanan yang boleh 'one_per_person'")
        nik = service.form_field(rule.nik)
        if nik is None or nik.type != "nik":
            yield Problem((*loc, "nik"), f"'{rule.nik}' bukan isian formulir bertipe nik")
        reason = service.form_field(rule.reason)
        if reason is None or reason.type != "choice":
            yield Problem((*loc, "reason"), f"'{rule.reason}' bukan isian formulir bertipe choice")
        elif rule.first not in reason.options:
            yield Problem((*loc, "first"), f"'{rule.first}' bukan pilihan isian '{rule.reason}'")


def _conditions(service: ServiceStandard) -> Iterator[Problem]:
    """A conditional requirement names a choice field of the applicant's form (outside a
    repeatable section) and values among its options, and is not also always required."""
    for index, document in enumerate(service.requirements.documents):
        condition = document.required_when
        if condition is None:
            continue
        loc: Loc = ("requirements", "documents", index, "required_when")
        if document.required:
            yield Problem((*loc[:-1], "required"), "dokumen dengan 'required_when' ditulis required: false")
        section_key = condition.field.partition(".")[0]
        section = next((s for s in service.requirements.form if s.key == section_key), None)
        spec = service.form_field(condition.field)
        if section is None or spec is None:
            fields = ", ".join(
                f"{s.key}.{f.key}" for s in service.requirements.form for f in s.fields if f.type == "choice"
            )
            yield Problem(
                (*loc, "field"), f"isian '{condition.field}' tidak ada di formulir (pilihan: {fields or '-'})"
            )
            continue
        if section.repeatable or spec.type != "choice":
            yield Problem(
                (*loc, "field"),
                f"isian '{condition.field}' harus bertipe choice di bagian yang tidak berulang",
            )
            continue
        for position, value in enumerate(condition.values):
            if value not in spec.options:
                known = ", ".join(spec.options)
                yield Problem(
                    (*loc, "values", position), f"'{value}' bukan pilihan isian {condition.field} ({known})"
                )


def _numbering(service: ServiceStandard) -> Iterator[Problem]:
    """Steps are numbered 1..n in table order, without gaps or repeats."""
    first_place: dict[int, int] = {}
    for index, step in enumerate(service.steps):
        place = index + 1
        loc = ("steps", index, "number")
        if step.number in first_place:
            earlier = first_place[step.number]
            yield Problem(loc, f"nomor langkah {step.number} ganda (sudah dipakai di urutan ke-{earlier})")
        elif step.number != place:
            yield Problem(
                loc,
                f"nomor langkah {step.number} tidak urut: di urutan ke-{place} seharusnya langkah {place} "
                "(nomor 1..n tanpa lompatan)",
            )
        first_place.setdefault(step.number, place)


def _actors(service: ServiceStandard, office: Office) -> Iterator[Problem]:
    for step in service.steps:
        at = _locator(service, step)
        for index, actor in enumerate(step.actors):
            if not office.knows_actor(actor):
                yield Problem(at("actors", index), _unknown_role(actor, office, with_applicant=True))
        for index, actor in _duplicates(step.actors):
            yield Problem(at("actors", index), f"pelaksana '{actor}' disebut dua kali")


def _stages_and_kinds(service: ServiceStandard) -> Iterator[Problem]:
    """Intake is the applicant's own work before submission; after it, kinds fit their actors."""
    seen_process = False
    for step in service.steps:
        at = _locator(service, step)
        only_applicant = step.actors == [APPLICANT]
        if step.stage == "process":
            seen_process = True
            if step.time == NOT_TIMED:
                message = "langkah process perlu waktu baku (mis. '15 menit'); '-' hanya untuk intake"
                yield Problem(at("time"), message)
        else:
            if seen_process:
                yield Problem(at("stage"), "langkah intake harus sebelum semua langkah process")
            if step.kind != "applicant_action":
                yield Problem(at("kind"), "langkah intake harus berjenis applicant_action")
            if step.outcomes:
                yield Problem(at("outcomes"), "langkah intake tidak punya outcomes")
            if step.system_action is not None:
                yield Problem(at("system_action"), "langkah intake tidak menjalankan system_action")
        if step.kind == "applicant_action" and not only_applicant:
            yield Problem(at("actors"), f"langkah applicant_action hanya dilakukan oleh '{APPLICANT}'")
        if step.kind not in ("applicant_action", "system_action") and not step.staff_roles:
            yield Problem(at("actors"), f"langkah {step.kind} perlu pelaksana dari peran kantor")
        if step.kind == "system_action" and step.system_action is None:
            yield Problem(at("system_action"), "langkah system_action perlu nama system_action")
    if not service.process_steps:
        yield Problem(("steps",), "tidak ada langkah process: minimal satu langkah setelah pengajuan")


def _signing(service: ServiceStandard, office: Office) -> Iterator[Problem]:
    for step in service.steps:
        at = _locator(service, step)
        rule = step.signing
        if rule is None:
            if step.kind == "signature":
                yield Problem(at("kind"), "langkah signature perlu aturan 'signing' (siapa menandatangani)")
            continue
        if step.kind != "signature":
            yield Problem(at("signing"), "'signing' hanya untuk langkah berjenis signature")
        named = [(at("signing", "signer"), rule.signer)]
        named += [(at("signing", "substitutes", i), role) for i, role in enumerate(rule.substitutes)]
        for loc, role in named:
            if role not in office.roles:
                yield Problem(loc, _unknown_role(role, office, with_applicant=False))
        if rule.signer not in step.actors:
            message = f"penanda tangan '{rule.signer}' bukan pelaksana langkah ini"
            yield Problem(at("signing", "signer"), message)
        if rule.signer in rule.substitutes:
            message = "penanda tangan tidak bisa menjadi penggantinya sendiri"
            yield Problem(at("signing", "substitutes"), message)
        if rule.substitutes and not rule.delegation_kinds:
            yield Problem(at("signing", "delegation_kinds"), "ada pengganti tetapi delegation_kinds kosong")
        if rule.substitute_needs_decree and not rule.substitutes:
            yield Problem(at("signing", "substitute_needs_decree"), "SK pendelegasian tanpa pengganti")


def _documents(service: ServiceStandard) -> Iterator[Problem]:
    products = [p.key for p in service.products]
    for step in service.steps:
        at = _locator(service, step)
        for index, key in enumerate(step.documents):
            if key not in products:
                message = f"dokumen '{key}' bukan produk layanan ini (produk: {', '.join(products)})"
                yield Problem(at("documents", index), message)
        if step.system_action in DOCUMENT_ACTIONS and not step.documents:
            yield Problem(at("system_action"), f"system_action {step.system_action} perlu daftar 'documents'")


def _answer_records(service: ServiceStandard) -> Iterator[Problem]:
    """`answer_record` only on a send_email step, naming a staff record of an earlier step."""
    for step in service.steps:
        if step.answer_record is None:
            continue
        at = _locator(service, step)
        if step.system_action != "send_email":
            yield Problem(at("answer_record"), "answer_record hanya untuk langkah send_email")
        earlier = {r.key for s in service.steps if s.number < step.number for r in s.records}
        if step.answer_record not in earlier:
            yield Problem(
                at("answer_record"),
                f"answer_record '{step.answer_record}' bukan catatan petugas langkah sebelumnya",
            )


def _renderers(service: ServiceStandard) -> Iterator[Problem]:
    """Every product Loket prints has a registered renderer (one `@renderers...` in
    chalicelib/documents/products/); a status in a national system says `pdf: false`."""
    for index, product in enumerate(service.products):
        if product.pdf and product.key not in registry.renderers:
            known = ", ".join(registry.renderers.ids())
            message = (
                f"produk '{product.key}' belum punya renderer dokumen: daftarkan "
                f'@renderers.letter("{product.key}") di chalicelib/documents/products/, atau tulis '
                f"'pdf: false' bila bukan dokumen (renderer yang ada: {known})"
            )
            yield Problem(("products", index, "key"), message)


def _standard_components(service: ServiceStandard, office: Office) -> Iterator[Problem]:
    """A public service holds every component of its office's published standard (office.yaml
    `standard`; UU 25/2009 Pasal 15, 21): an empty or absent one is named with the key to fill."""
    for component in standard.missing(service, office):
        field = standard.FIELDS[component.key]
        message = (
            f"komponen standar pelayanan '{component.label}' wajib di kantor {office.id} tetapi "
            f"kosong: isi '{field}' (halaman standar publik menampilkannya)"
        )
        yield Problem((field,), message)


def _outcomes(service: ServiceStandard) -> Iterator[Problem]:
    """Each outcome goes where its decision means: back, forward, to the applicant or to the end."""
    stages = {s.number: s.stage for s in service.steps}
    returners = {
        s.number
        for s in service.steps
        if s.kind == "system_action" and any(o.goto == "applicant" for o in s.outcomes)
    }
    for step in service.steps:
        at = _locator(service, step)
        if step.kind == "system_action" and len(step.outcomes) > 1:
            yield Problem(at("outcomes"), "langkah system_action paling banyak satu outcome")
        for index, decision in _duplicates(o.decision for o in step.outcomes):
            yield Problem(at("outcomes", index, "decision"), f"keputusan '{decision}' ganda")
        for index, outcome in enumerate(step.outcomes):
            goto, decision = outcome.goto, outcome.decision
            if isinstance(goto, int) and goto not in stages:
                message = f"{decision} ke langkah {goto} yang tidak ada (langkah 1..{len(stages)})"
                yield Problem(at("outcomes", index, "goto"), message)
            elif isinstance(goto, int) and stages[goto] != "process":
                message = f"{decision} ke langkah intake {goto}; tujuan harus langkah process"
                yield Problem(at("outcomes", index, "goto"), message)
            elif wrong := _goto_mismatch(decision, goto, step.number, returners):
                yield Problem(at("outcomes", index, "goto"), wrong)
            if outcome.resume is None:
                continue
            if goto != "applicant":
                yield Problem(at("outcomes", index, "resume"), "'resume' hanya untuk goto: applicant")
            elif stages.get(outcome.resume) != "process":
                message = f"resume ke langkah {outcome.resume} yang tidak ada atau bukan process"
                yield Problem(at("outcomes", index, "resume"), message)


def _goto_mismatch(decision: str, goto: Node, here: int, returners: set[int]) -> str | None:
    """What is wrong with this goto for this decision, or None.

    A return may also pass through a system step that notifies the applicant and hands the file
    back (`returners`), as AK-1 does with its "email to complete" step.
    """
    later = isinstance(goto, int) and goto > here
    earlier = isinstance(goto, int) and goto < here
    if decision == "reject" and goto != END:
        return "reject mengakhiri perkara: goto harus 'end'"
    if decision == "return" and not (goto == "applicant" or earlier or goto in returners):
        return (
            "return mengembalikan ke 'applicant', ke langkah sebelumnya, atau ke langkah system_action "
            "yang mengembalikan berkas ke pemohon"
        )
    if decision == "forward" and not later:
        return "forward (disposisi) menuju langkah sesudahnya"
    if decision == "approve" and not (later or goto == END):
        return "approve menuju langkah sesudahnya atau 'end'"
    return None


def _flow(service: ServiceStandard) -> Iterator[Problem]:
    """Every process step is reached from the first one, and every loop has a way out to the end."""
    process = service.process_steps
    edges: dict[Node, list[Node]] = {s.number: transitions(service, s) for s in process}
    start = process[0].number

    reached = _closure([start], lambda node: edges.get(node, []))
    for step in process:
        if step.number not in reached:
            message = f"langkah ini tidak pernah dicapai dari langkah {start}"
            yield Problem(_locator(service, step)("number"), message)

    incoming: dict[Node, list[Node]] = {}
    for source, targets in edges.items():
        for target in targets:
            incoming.setdefault(target, []).append(source)
    finishing = _closure([END], lambda node: incoming.get(node, []))
    stuck = {node for node in edges if node not in finishing}
    reported: set[Node] = set()
    for number in sorted(n for n in stuck if isinstance(n, int)):
        loop = [] if number in reported else _loop_from(number, edges, stuck)
        if not loop:
            continue
        reported.update(loop)
        closer = service.step(max(loop))
        at = _locator(service, closer)
        path = " → ".join(str(n) for n in [*loop, loop[0]])
        yield Problem(
            at("outcomes") if closer.outcomes else at("number"),
            f"putaran tanpa jalan keluar (langkah {path}): tidak ada langkah di putaran ini menuju selesai",
        )


def _closure(seeds: list[Node], neighbours: Callable[[Node], Iterable[Node]]) -> set[Node]:
    seen: set[Node] = set(seeds)
    todo = list(seeds)
    while todo:
        for node in neighbours(todo.pop()):
            if node not in seen:
                seen.add(node)
                todo.append(node)
    return seen


def _loop_from(number: int, edges: dict[Node, list[Node]], stuck: set[Node]) -> list[int]:
    """A cycle among stuck steps that starts at `number`, in visiting order, or [] if none does."""
    path: list[int] = []

    def walk(node: int) -> list[int]:
        if node in path:
            return path[path.index(node) :]
        path.append(node)
        for target in edges[node]:
            if isinstance(target, int) and target in stuck and (found := walk(target)):
                return found
        path.pop()
        return []

    loop = walk(number)
    return loop if loop and loop[0] == number else []
