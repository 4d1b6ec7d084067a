"""The state machines and the WorkItem model agree on what a human step writes into the table."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters.models import WORK_ITEM_ATTRIBUTES, WorkItem
from infra.build import state_machine_definitions

PUT_ITEM = "arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken"


def human_steps() -> list[tuple[str, str, dict[str, Any]]]:
    steps = []
    for machine, definition in state_machine_definitions().items():
        for name, state in definition["States"].items():
            if state.get("Resource") == PUT_ITEM:
                steps.append((machine, name, state["Parameters"]["Item"]))
    return steps


def test_there_are_human_steps() -> None:
    assert human_steps()


@pytest.mark.parametrize(("machine", "state", "item"), human_steps())
def test_work_item_written_by_a_machine_matches_the_model(
    machine: str, state: str, item: dict[str, Any]
) -> None:
    assert set(item) == set(WORK_ITEM_ATTRIBUTES), f"{machine}.{state}"
    assert set(WORK_ITEM_ATTRIBUTES) <= set(WorkItem.get_attributes())
    assert item["kind"] == {"S": "work_item"}
    assert item["status"] == {"S": "open"}
