"""The contract of the effects port (`effects.EffectLedger`), and of `effects.once` on it."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters import effects
from chalicelib.adapters.effects import EffectLedger

EARLY, NOW, LATER, FAR = (
    "2026-11-30T10:00:00.000Z",
    "2026-11-30T10:01:00.000Z",
    "2026-11-30T10:02:30.000Z",
    "2999-01-01T00:00:00.000Z",
)


class EffectLedgerContract:
    """Subclasses give `subject`: the ledger under test, installed as `effects.ledger()`."""

    @pytest.fixture
    def subject(self) -> EffectLedger:
        raise NotImplementedError

    def test_a_key_is_claimed_once_while_its_lease_runs(self, subject: EffectLedger) -> None:
        assert subject.claim("c1:03:send_email:t1", "a", NOW, LATER).mine
        held = subject.claim("c1:03:send_email:t1", "b", NOW, LATER)
        assert (held.mine, held.done, held.lease_until) == (False, False, LATER)
        assert subject.claim("c1:03:send_email:t2", "b", NOW, LATER).mine  # another pass: another effect

    def test_a_lease_that_ran_out_is_taken_over_and_the_old_holder_loses_it(
        self, subject: EffectLedger
    ) -> None:
        """A worker killed after claiming (issue 11): the redelivery after its lease does the work."""
        assert subject.claim("k", "dead", EARLY, NOW).mine
        assert subject.claim("k", "new", LATER, FAR).mine
        assert subject.finish("k", "dead", {"n": "old"}) is False  # the old holder woke up late
        subject.release("k", "dead")  # nor can it give the new holder's claim away
        assert not subject.claim("k", "third", LATER, FAR).mine
        assert subject.finish("k", "new", {"n": "new"}) is True
        assert subject.result("k") == {"n": "new"}

    def test_a_released_claim_can_be_claimed_again(self, subject: EffectLedger) -> None:
        assert subject.claim("k", "a", NOW, LATER).mine
        subject.release("k", "a")
        assert subject.claim("k", "b", NOW, LATER).mine
        subject.release("never-claimed", "x")  # nothing to give back: nothing happens

    def test_a_finished_effect_keeps_its_result_and_its_claim_for_good(self, subject: EffectLedger) -> None:
        assert subject.result("k") == {}  # never claimed
        subject.claim("k", "a", NOW, LATER)
        assert subject.result("k") == {}  # claimed, not done
        assert subject.finish("k", "a", {"message_id": "m-1", "numbers": {"surat": "565/1"}, "n": 2})
        assert subject.result("k") == {"message_id": "m-1", "numbers": {"surat": "565/1"}, "n": 2}
        done = subject.claim("k", "b", FAR, FAR)  # long after the lease: done stays done
        assert (done.mine, done.done, done.result["n"]) == (False, True, 2)

    def test_a_result_comes_back_as_json(self, subject: EffectLedger) -> None:
        subject.claim("k", "a", NOW, LATER)
        subject.finish("k", "a", {"published": ("ktp", "kk"), "at": {1: "x"}})
        assert subject.result("k") == {"published": ["ktp", "kk"], "at": {"1": "x"}}

    def test_once_runs_the_action_once_and_returns_the_first_result(self, subject: EffectLedger) -> None:
        assert effects.once("k", lambda: {"n": 1}) == (True, {"n": 1})
        assert effects.once("k", lambda: {"n": 2}) == (False, {"n": 1})

    def test_once_releases_the_claim_when_the_action_fails(self, subject: EffectLedger) -> None:
        def broken() -> dict[str, Any]:
            raise ConnectionError("SES down")

        with pytest.raises(ConnectionError):
            effects.once("k", broken)
        assert effects.once("k", lambda: {"n": 3}) == (True, {"n": 3})

    def test_once_called_again_while_the_first_runs_is_refused_not_skipped(
        self, subject: EffectLedger
    ) -> None:
        refused: list[effects.EffectInProgress] = []

        def first() -> dict[str, Any]:
            with pytest.raises(effects.EffectInProgress) as raised:  # a redelivery meanwhile
                effects.once("k", lambda: {"n": "twice"})
            refused.append(raised.value)
            return {"n": "once"}

        assert effects.once("k", first) == (True, {"n": "once"})
        assert refused[0].status == 503 and refused[0].retry_after == effects.LEASE_SECONDS

    def test_once_after_a_crashed_holders_lease_does_the_work(self, subject: EffectLedger) -> None:
        subject.claim("k", "dead", EARLY, NOW)  # the lease ran out long ago
        assert effects.once("k", lambda: {"n": "redone"}) == (True, {"n": "redone"})
        assert effects.once("k", lambda: {"n": "again"}) == (False, {"n": "redone"})
