"""Rules that relate the values of an SOP to each other and to its office.

Each rule returns problems with the location (the path of keys and list indexes) of the value
at fault, so the loader can point at the YAML line. Messages are Indonesian, without the
"langkah N:" prefix, which the loader adds from the location.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from chalicelib.sop.durations import NOT_TIMED
from chalicelib.sop.schema import APPLICANT, Office, ServiceStandard, Step

Loc = tuple[str | int, ...]
END = "end"


@dataclass(frozen=True)
class Problem:
    loc: Loc
    message: str


def check_office(office: Office) -> list[Problem]:
    """Role names and the escalation chain: every escalation exists and climbs to a top."""
    problems: list[Problem] = []
    if APPLICANT in office.roles:
        problems.append(Problem(("roles", APPLICANT), f"'{APPLICANT}' adalah pemohon, bukan peran kantor"))
    for role_id, role in office.roles.items():
        target = role.escalates_to
        if target is not None and target not in office.roles:
            problems.append(
                Problem(
                    ("roles", role_id, "escalates_to"),
                    f"peran {role_id}: eskalasi ke peran '{target}' yang tidak ada "
                    f"(peran yang ada: {', '.join(office.roles)})",
                )
            )
    for role_id in office.roles:
        chain = [role_id]
        current = office.roles[role_id].escalates_to
        while current is not None and current in office.roles:
            if current in chain:
                problems.append(
                    Problem(
                        ("roles", role_id, "escalates_to"),
                        f"peran {role_id}: eskalasi berputar ({' → '.join([*chain, current])})",
                    )
                )
                break
            chain.append(current)
            current = office.roles[current].escalates_to
    return problems


def check_service(service: ServiceStandard, office: Office) -> list[Problem]:
    """Every rule for one service standard of one office."""
    problems = [
        *_office_matches(service, office),
        *_unique_keys(service),
        *_numbering(service),
        *_actors(service, office),
        *_stages_and_kinds(service),
        *_signing(service, office),
        *_documents(service),
        *_outcomes(service),
    ]
    if not problems:
        problems.extend(_graph(service))
    return problems


def _at(service: ServiceStandard, step: Step, *rest: str | int) -> Loc:
    return ("steps", service.steps.index(step), *rest)


def _office_matches(service: ServiceStandard, office: Office) -> Iterator[Problem]:
    if service.office != office.id:
        yield Problem(("office",), f"kantor '{service.office}' tidak sama dengan kantor '{office.id}' berkas ini")


def _duplicates(keys: Iterable[str]) -> Iterator[tuple[int, str]]:
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if key in seen:
            yield index, key
        seen.add(key)


def _unique_keys(service: ServiceStandard) -> Iterator[Problem]:
    for index, key in _duplicates(d.key for d in service.requirements.documents):
        yield Problem(("requirements", "documents", index, "key"), f"kunci dokumen '{key}' ganda")
    for index, key in _duplicates(p.key for p in service.products):
        yield Problem(("products", index, "key"), f"kunci produk '{key}' ganda")
    for s_index, section in enumerate(service.requirements.form):
        for index, key in _duplicates(f.key for f in section.fields):
            yield Problem(("requirements", "form", s_index, "fields", index, "key"), f"kunci isian '{key}' ganda")
    for index, key in _duplicates(s.key for s in service.requirements.form):
        yield Problem(("requirements", "form", index, "key"), f"kunci bagian formulir '{key}' ganda")
    for step in service.steps:
        for index, key in _duplicates(r.key for r in step.records):
            yield Problem(_at(service, step, "records", index, "key"), f"kunci catatan '{key}' ganda")


def _numbering(service: ServiceStandard) -> Iterator[Problem]:
    """Steps are numbered 1..n in table order, without gaps or repeats."""
    seen: dict[int, int] = {}
    for index, step in enumerate(service.steps):
        expected = index + 1
        loc = ("steps", index, "number")
        if step.number in seen:
            yield Problem(loc, f"nomor langkah {step.number} ganda (sudah dipakai di urutan ke-{seen[step.number]})")
        elif step.number != expected:
            yield Problem(
                loc,
                f"nomor langkah {step.number} tidak urut: di urutan ke-{expected} seharusnya langkah {expected} "
                "(nomor 1..n tanpa lompatan)",
            )
        seen.setdefault(step.number, index + 1)


def _actors(service: ServiceStandard, office: Office) -> Iterator[Problem]:
    known = ", ".join([APPLICANT, *office.roles])
    for step in service.steps:
        for index, actor in enumerate(step.actors):
            if not office.knows_actor(actor):
                yield Problem(
                    _at(service, step, "actors", index),
                    f"peran '{actor}' tidak dikenal di kantor {office.id} (peran yang ada: {known})",
                )
        for index, actor in _duplicates(step.actors):
            yield Problem(_at(service, step, "actors", index), f"pelaksana '{actor}' disebut dua kali")


def _stages_and_kinds(service: ServiceStandard) -> Iterator[Problem]:
    """Intake is the applicant's own work before submission; after it, kinds fit their actors."""
    seen_process = False
    for step in service.steps:
        if step.stage == "process":
            seen_process = True
        elif seen_process:
            yield Problem(_at(service, step, "stage"), "langkah intake harus sebelum semua langkah process")
        if step.stage == "intake":
            if step.actors != [APPLICANT]:
                yield Problem(_at(service, step, "actors"), f"langkah intake hanya dilakukan oleh '{APPLICANT}'")
            if step.kind != "applicant_action":
                yield Problem(_at(service, step, "kind"), "langkah intake harus berjenis applicant_action")
            if step.outcomes:
                yield Problem(_at(service, step, "outcomes"), "langkah intake tidak punya outcomes")
        elif step.time == NOT_TIMED:
            yield Problem(
                _at(service, step, "time"),
                "langkah process perlu waktu baku (misalnya '15 menit'); '-' hanya untuk langkah intake",
            )
        if step.kind == "applicant_action" and step.actors != [APPLICANT]:
            yield Problem(_at(service, step, "actors"), f"langkah applicant_action hanya dilakukan oleh '{APPLICANT}'")
        if step.kind not in ("applicant_action", "system_action") and not step.staff_roles:
            yield Problem(_at(service, step, "actors"), f"langkah {step.kind} perlu pelaksana dari peran kantor")
        if step.kind == "system_action" and step.system_action is None:
            yield Problem(_at(service, step, "system_action"), "langkah system_action perlu nama system_action")
        if step.stage == "intake" and step.system_action is not None:
            yield Problem(_at(service, step, "system_action"), "langkah intake tidak menjalankan system_action")
    if not service.process_steps:
        yield Problem(("steps",), "tidak ada langkah process: minimal satu langkah setelah pengajuan")


def _signing(service: ServiceStandard, office: Office) -> Iterator[Problem]:
    for step in service.steps:
        rule = step.signing
        if step.kind == "signature" and rule is None:
            yield Problem(_at(service, step), "langkah signature perlu aturan 'signing' (siapa menandatangani)")
        if rule is None:
            continue
        if step.kind != "signature":
            yield Problem(_at(service, step, "signing"), "'signing' hanya untuk langkah berjenis signature")
        for loc, role in [(("signer",), rule.signer)] + [
            (("substitutes", i), r) for i, r in enumerate(rule.substitutes)
        ]:
            if role not in office.roles:
                yield Problem(
                    _at(service, step, "signing", *loc),
                    f"peran '{role}' tidak dikenal di kantor {office.id} (peran yang ada: {', '.join(office.roles)})",
                )
        if rule.signer not in step.actors:
            yield Problem(_at(service, step, "signing", "signer"), f"penanda tangan '{rule.signer}' bukan pelaksana langkah ini")
        if rule.signer in rule.substitutes:
            yield Problem(_at(service, step, "signing", "substitutes"), "penanda tangan tidak bisa menjadi penggantinya sendiri")
        if rule.substitutes and not rule.delegation_kinds:
            yield Problem(
                _at(service, step, "signing", "delegation_kinds"),
                "ada pengganti penanda tangan tetapi 'delegation_kinds' (a.n., u.b., Plt, Plh) kosong",
            )
        if rule.substitute_needs_decree and not rule.substitutes:
            yield Problem(_at(service, step, "signing", "substitute_needs_decree"), "SK pendelegasian tanpa pengganti")


def _documents(service: ServiceStandard) -> Iterator[Problem]:
    products = [p.key for p in service.products]
    for step in service.steps:
        for index, key in enumerate(step.documents):
            if key not in products:
                yield Problem(
                    _at(service, step, "documents", index),
                    f"dokumen '{key}' bukan produk layanan ini (produk: {', '.join(products)})",
                )
        needs_document = step.system_action in ("issue_document", "number_letter", "publish_download")
        if needs_document and not step.documents:
            yield Problem(_at(service, step, "documents"), f"system_action {step.system_action} perlu 'documents'")


def _outcomes(service: ServiceStandard) -> Iterator[Problem]:
    """Each outcome goes where its decision means: back, forward, to the applicant or to the end."""
    stages = {s.number: s.stage for s in service.steps}
    for step in service.steps:
        if step.kind == "system_action" and len(step.outcomes) > 1:
            yield Problem(_at(service, step, "outcomes"), "langkah system_action paling banyak satu outcome")
        for index, decision in _duplicates(o.decision for o in step.outcomes):
            yield Problem(_at(service, step, "outcomes", index, "decision"), f"keputusan '{decision}' ganda")
        for index, outcome in enumerate(step.outcomes):
            loc = _at(service, step, "outcomes", index)
            goto = outcome.goto
            if isinstance(goto, int):
                if goto not in stages:
                    yield Problem(
                        (*loc, "goto"), f"{outcome.decision} ke langkah {goto} yang tidak ada (langkah 1..{len(stages)})"
                    )
                elif stages[goto] != "process":
                    yield Problem((*loc, "goto"), f"{outcome.decision} ke langkah intake {goto}; tujuan harus langkah process")
            expectation = _goto_expectation(outcome.decision, goto, step.number)
            if expectation:
                yield Problem((*loc, "goto"), expectation)
            if outcome.resume is not None:
                if goto != "applicant":
                    yield Problem((*loc, "resume"), "'resume' hanya untuk goto: applicant")
                elif stages.get(outcome.resume) != "process":
                    yield Problem((*loc, "resume"), f"resume ke langkah {outcome.resume} yang tidak ada atau bukan process")


def _goto_expectation(decision: str, goto: int | str, here: int) -> str | None:
    """What is wrong with this goto for this decision, or None."""
    if decision == "reject" and goto != END:
        return "reject mengakhiri perkara: goto harus 'end'"
    if decision == "return" and (goto == END or (isinstance(goto, int) and goto > here)):
        return "return mengembalikan ke pemohon atau ke langkah sebelumnya"
    if decision == "forward" and not (isinstance(goto, int) and goto > here):
        return "forward (disposisi) menuju langkah sesudahnya"
    if decision == "approve" and (goto == "applicant" or (isinstance(goto, int) and goto <= here)):
        return "approve menuju langkah sesudahnya atau 'end'"
    return None


def transitions(service: ServiceStandard, step: Step) -> list[int | str]:
    """Where the case can go from a process step; the applicant's return leads to its resume step."""
    if not step.outcomes:
        return [service.default_next(step)]
    targets: list[int | str] = []
    for outcome in step.outcomes:
        if outcome.goto == "applicant":
            targets.append(outcome.resume or step.number)
        else:
            targets.append(outcome.goto)
    return targets


def _graph(service: ServiceStandard) -> Iterator[Problem]:
    """Every process step is reached from the first one, and every loop has a way out to the end."""
    process = service.process_steps
    edges = {s.number: transitions(service, s) for s in process}
    start = process[0].number

    reached = _closure([start], lambda n: [t for t in edges.get(int(n), []) if t != END])
    for step in process:
        if step.number not in reached:
            yield Problem(_at(service, step), f"langkah ini tidak pernah dicapai dari langkah {start}")

    reverse: dict[int | str, list[int]] = {}
    for source, targets in edges.items():
        for target in targets:
            reverse.setdefault(target, []).append(source)
    finishing = _closure([END], lambda n: reverse.get(n, []))
    stuck = {n for n in edges if n not in finishing}
    reported: set[int] = set()
    for number in sorted(stuck):
        if number in reported:
            continue
        loop = _loop_through(number, edges, stuck)
        if not loop:
            continue
        reported.update(loop)
        closer = service.step(max(loop))
        where = "outcomes" if closer.outcomes else "number"
        path = " → ".join(str(n) for n in [*loop, loop[0]])
        yield Problem(
            _at(service, closer, where),
            f"putaran tanpa jalan keluar (langkah {path}): tidak ada langkah di putaran ini yang menuju selesai",
        )


def _closure(seeds: list[int | str], neighbours: object) -> set[int | str]:
    follow = neighbours  # a callable: node -> nodes
    seen: set[int | str] = set(seeds)
    todo = list(seeds)
    while todo:
        node = todo.pop()
        for nxt in follow(node):  # type: ignore[operator]
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _loop_through(number: int, edges: dict[int, list[int | str]], stuck: set[int]) -> list[int]:
    """A cycle among stuck steps that starts at `number`, in visiting order, or [] if none does."""
    path: list[int] = []

    def walk(node: int) -> list[int]:
        if node in path:
            return path[path.index(node):]
        path.append(node)
        for target in edges[node]:
            if isinstance(target, int) and target in stuck:
                found = walk(target)
                if found:
                    return found
        path.pop()
        return []

    loop = walk(number)
    return loop if loop and loop[0] == number else []
