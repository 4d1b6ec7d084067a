"""Each log line names its case as a field (chalicelib/log_context.py), and only its case."""

from __future__ import annotations

import json
import logging

import pytest

from chalicelib import log_context
from chalicelib.worker import handler, tasks

log = logging.getLogger("chalicelib.test")


@pytest.fixture(autouse=True)
def installed() -> None:
    log_context.install()
    log_context.install()  # twice: still one wrapper


def test_a_record_made_while_a_case_is_worked_on_carries_its_id(caplog) -> None:
    caplog.set_level(logging.INFO)
    with log_context.about("lum6dihu5elatqdy6jcupgpb"):
        log.info("inside")
    log.info("outside")
    inside, outside = caplog.records
    assert inside.case_id == "lum6dihu5elatqdy6jcupgpb"
    assert not hasattr(outside, "case_id")


@pytest.mark.parametrize("hostile", ["3514015708950001 SITI", "a" * 101, "x\ny", "", None, 7, ["a"]])
def test_what_is_not_a_case_id_is_left_out(caplog, hostile) -> None:
    caplog.set_level(logging.INFO)
    with log_context.about(hostile):
        log.info("line")
    assert not hasattr(caplog.records[0], "case_id")


def test_the_worker_logs_each_task_with_its_case(caplog, monkeypatch) -> None:
    caplog.set_level(logging.INFO)
    seen = []

    def handle(message):
        logging.getLogger("chalicelib.worker.tasks").info("worker task %s: done", message["task"])
        seen.append(message)

    monkeypatch.setattr(tasks, "handle", handle)

    class Record:
        body = json.dumps({"task": "send_email", "case_id": "kasus0000000000000000001"})

    handler.worker.func([Record()])  # the function under Chalice's SQS event wrapper
    assert seen and [r.case_id for r in caplog.records] == ["kasus0000000000000000001"]
