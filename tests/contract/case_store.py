"""The contract of the cases port (`case_store.CaseStore`), and of `change_case` on it."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters.case_store import CaseExists, CaseStore, StaleCase, change_case
from chalicelib.adapters.models import Case
from chalicelib.errors import Conflict, NotFound


def new_case(
    case_id: str, applicant: str = "sub-budi", created_at: str = "2026-11-23T01:00:00.000Z", **values: Any
) -> Case:
    """A draft case as `services.cases.open_case` makes it (indexed under its applicant)."""
    return Case(
        *Case.key(case_id),
        case_id=case_id,
        office="kab-pasuruan",
        service="ak1",
        applicant_sub=applicant,
        status="draft",
        created_at=created_at,
        updated_at=created_at,
        data=values.pop("data", {"email": "budi@contoh.id"}),
        documents={},
        GSI2PK=Case.owner(applicant),
        GSI2SK=f"{created_at}#{case_id}",
        **values,
    )


class CaseStoreContract:
    """Subclasses give `subject`: the store under test, installed as `case_store.cases()`."""

    @pytest.fixture
    def subject(self) -> CaseStore:
        raise NotImplementedError

    def test_a_case_added_is_read_back_as_it_was_added_at_version_1(self, subject: CaseStore) -> None:
        added = subject.add(new_case("c1", data={"email": "budi@contoh.id", "form": {"nik": "3514"}}))
        assert added.version == 1
        case = subject.get("c1")
        assert (case.case_id, case.office, case.service, case.status) == (
            "c1",
            "kab-pasuruan",
            "ak1",
            "draft",
        )
        assert case.data == {"email": "budi@contoh.id", "form": {"nik": "3514"}}
        assert case.documents == {} and case.status_note is None and case.version == 1
        assert case is not added  # a read is a new object: changing it changes nothing stored

    def test_a_case_never_added_is_not_found(self, subject: CaseStore) -> None:
        with pytest.raises(NotFound):
            subject.get("tidak-ada")

    def test_adding_a_taken_id_is_refused_and_the_first_case_stays(self, subject: CaseStore) -> None:
        subject.add(new_case("c1", data={"email": "pertama@contoh.id"}))
        with pytest.raises(CaseExists) as refused:
            subject.add(new_case("c1", data={"email": "kedua@contoh.id"}))
        assert isinstance(refused.value, Conflict)
        assert subject.get("c1").data == {"email": "pertama@contoh.id"}

    def test_an_update_at_the_version_read_is_written_and_moves_the_version(self, subject: CaseStore) -> None:
        subject.add(new_case("c1"))
        case = subject.get("c1")
        record = {"key": "cases/c1/ktp/0123456789abcdef.pdf", "kind": "pdf"}
        updated = subject.update(
            case,
            [Case.status.set("submitted"), Case.documents.set({"ktp": record}), Case.status_note.set("ok")],
        )
        assert (updated.status, updated.documents, updated.version) == ("submitted", {"ktp": record}, 2)
        stored = subject.get("c1")
        assert (stored.status, stored.documents, stored.status_note, stored.version) == (
            "submitted",
            {"ktp": record},
            "ok",
            2,
        )
        assert stored.data == {"email": "budi@contoh.id"}  # what the actions did not name is kept
        subject.update(stored, [Case.status_note.remove()])
        assert subject.get("c1").status_note is None and subject.get("c1").version == 3

    def test_an_update_at_a_stale_version_is_refused_and_writes_nothing(self, subject: CaseStore) -> None:
        subject.add(new_case("c1"))
        phone, worker = subject.get("c1"), subject.get("c1")
        subject.update(worker, [Case.status.set("submitted")])
        with pytest.raises(StaleCase) as refused:
            subject.update(phone, [Case.data.set({"email": "lain@contoh.id"})])
        assert isinstance(refused.value, Conflict)
        stored = subject.get("c1")
        assert (stored.status, stored.data, stored.version) == ("submitted", {"email": "budi@contoh.id"}, 2)

    def test_an_applicants_cases_come_newest_first_and_only_theirs(self, subject: CaseStore) -> None:
        subject.add(new_case("c-old", created_at="2026-11-20T01:00:00.000Z"))
        subject.add(new_case("c-new", created_at="2026-11-22T01:00:00.000Z"))
        subject.add(new_case("c-mid-a", created_at="2026-11-21T01:00:00.000Z"))
        subject.add(new_case("c-mid-b", created_at="2026-11-21T01:00:00.000Z"))  # same time: by id
        subject.add(new_case("c-siti", applicant="sub-siti", created_at="2026-11-23T01:00:00.000Z"))
        assert [c.case_id for c in subject.of_applicant("sub-budi")] == [
            "c-new",
            "c-mid-b",
            "c-mid-a",
            "c-old",
        ]
        assert [c.case_id for c in subject.of_applicant("sub-budi", limit=2)] == ["c-new", "c-mid-b"]
        assert [c.case_id for c in subject.of_applicant("sub-siti")] == ["c-siti"]
        assert subject.of_applicant("sub-nobody") == []

    def test_many_gives_each_existing_case_once(self, subject: CaseStore) -> None:
        subject.add(new_case("c1"))
        subject.add(new_case("c2", data={"email": "b@contoh.id", "name": "SITI"}))
        found = subject.many(["c2", "c1", "c2", "tidak-ada"])
        assert sorted(c.case_id for c in found) == ["c1", "c2"]
        assert {c.case_id: c.data.get("name") for c in found} == {"c1": None, "c2": "SITI"}
        assert subject.many([]) == []

    def test_change_case_writes_what_it_computes_from_the_case_as_it_is(self, subject: CaseStore) -> None:
        subject.add(new_case("c1", created_at="2000-01-01T00:00:00.000Z"))
        changed = change_case("c1", lambda case: [Case.data.set({**case.data, "form": {"nama": "BUDI"}})])
        assert changed.data == {"email": "budi@contoh.id", "form": {"nama": "BUDI"}} and changed.version == 2
        assert subject.get("c1").data == changed.data
        assert subject.get("c1").updated_at > "2000-01-01T00:00:00.000Z"  # change_case stamps it

    def test_change_case_computes_again_when_the_case_changed_meanwhile(self, subject: CaseStore) -> None:
        """Another writer changes the case between the read and the write: the write is refused
        and the change is computed again from the new case, so neither change is lost."""
        subject.add(new_case("c1"))
        seen: list[int] = []

        def add_document(case: Case) -> list[Any]:
            seen.append(case.version)
            if len(seen) == 1:  # the worker writes first
                subject.update(subject.get("c1"), [Case.data.set({**case.data, "returned_at": "t"})])
            return [Case.documents.set({**case.documents, "ktp": {"key": "k"}})]

        changed = change_case("c1", add_document)
        assert seen == [1, 2]
        stored = subject.get("c1")
        assert stored.documents == {"ktp": {"key": "k"}} and stored.data["returned_at"] == "t"
        assert changed.version == stored.version == 3

    def test_change_case_gives_up_with_conflict_when_the_case_keeps_changing(
        self, subject: CaseStore
    ) -> None:
        subject.add(new_case("c1"))

        def always_beaten(case: Case) -> list[Any]:
            subject.update(subject.get("c1"), [Case.status_note.set(f"v{case.version}")])
            return [Case.status.set("submitted")]

        with pytest.raises(Conflict):
            change_case("c1", always_beaten)
        assert subject.get("c1").status == "draft"

    def test_change_case_with_nothing_to_change_writes_nothing(self, subject: CaseStore) -> None:
        subject.add(new_case("c1"))
        assert change_case("c1", lambda case: []).version == 1
        assert subject.get("c1").version == 1

    def test_change_case_of_a_missing_case_is_not_found(self, subject: CaseStore) -> None:
        with pytest.raises(NotFound):
            change_case("tidak-ada", lambda case: [Case.status.set("x")])
