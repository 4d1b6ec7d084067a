"""The contract of the effects port (`effects.EffectLedger`), and of `effects.once` on it."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters import effects
from chalicelib.adapters.effects import EffectLedger


class EffectLedgerContract:
    """Subclasses give `subject`: the ledger under test, installed as `effects.ledger()`."""

    @pytest.fixture
    def subject(self) -> EffectLedger:
        raise NotImplementedError

    def test_a_key_is_claimed_once(self, subject: EffectLedger) -> None:
        assert subject.claim("c1:03:send_email:t1") is True
        assert subject.claim("c1:03:send_email:t1") is False
        assert subject.claim("c1:03:send_email:t2") is True  # another pass is another effect

    def test_a_released_claim_can_be_claimed_again(self, subject: EffectLedger) -> None:
        assert subject.claim("k")
        subject.release("k")
        assert subject.claim("k") is True
        subject.release("never-claimed")  # nothing to give back: nothing happens

    def test_a_finished_effect_keeps_its_result_and_its_claim(self, subject: EffectLedger) -> None:
        assert subject.result("k") == {}  # never claimed
        subject.claim("k")
        assert subject.result("k") == {}  # claimed, not done
        subject.finish("k", {"message_id": "m-1", "numbers": {"surat": "565/1"}, "n": 2})
        assert subject.result("k") == {"message_id": "m-1", "numbers": {"surat": "565/1"}, "n": 2}
        assert subject.claim("k") is False

    def test_a_result_comes_back_as_json(self, subject: EffectLedger) -> None:
        subject.claim("k")
        subject.finish("k", {"published": ("ktp", "kk"), "at": {1: "x"}})
        assert subject.result("k") == {"published": ["ktp", "kk"], "at": {"1": "x"}}

    def test_once_runs_the_action_once_and_returns_the_first_result(self, subject: EffectLedger) -> None:
        assert effects.once("k", lambda: {"n": 1}) == (True, {"n": 1})
        assert effects.once("k", lambda: {"n": 2}) == (False, {"n": 1})

    def test_once_releases_the_claim_when_the_action_fails(self, subject: EffectLedger) -> None:
        def broken() -> dict[str, Any]:
            raise ConnectionError("SES down")

        with pytest.raises(ConnectionError):
            effects.once("k", broken)
        assert subject.claim("k") is True  # free again
        subject.release("k")
        assert effects.once("k", lambda: {"n": 3}) == (True, {"n": 3})

    def test_once_called_again_while_the_first_runs_does_nothing(self, subject: EffectLedger) -> None:
        inner: list[tuple[bool, dict[str, Any]]] = []

        def first() -> dict[str, Any]:
            inner.append(effects.once("k", lambda: {"n": "twice"}))  # a redelivery meanwhile
            return {"n": "once"}

        assert effects.once("k", first) == (True, {"n": "once"})
        assert inner == [(False, {})]
