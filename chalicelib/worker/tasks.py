"""Worker tasks by name. Each takes the message and returns a small JSON result for the SOP."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from chalicelib.adapters import effects, mail, workflow
from chalicelib.settings import get_settings

log = logging.getLogger(__name__)

Task = Callable[[dict[str, Any]], dict[str, Any]]


class BadMessage(Exception):
    """A message the worker can never handle (unknown task, missing field): fail the task now."""


def send_email(message: dict[str, Any]) -> dict[str, Any]:
    """Send the templated email of a step to the applicant."""
    to = message.get("email")
    template = message.get("template")
    if not to or not template:
        raise BadMessage("send_email needs 'email' and 'template'")
    case_id = message["case_id"]
    context = {
        "case_id": case_id,
        "status_url": f"{get_settings().public_site_url.rstrip('/')}/",
        **message.get("context", {}),
    }
    message_id = mail.send(mail.build_message(to, template, context))
    return {"message_id": message_id}


TASKS: dict[str, Task] = {"send_email": send_email}


def effect_key(message: dict[str, Any]) -> str:
    """The key that makes a task's effect happen once per case and step (not per delivery)."""
    return f"{message['case_id']}:{message.get('step', '-')}:{message['task']}"


def handle(message: dict[str, Any]) -> None:
    """Run one task message and answer its token; re-raise transient errors for SQS to retry."""
    token = message.get("task_token")
    name = message.get("task", "")
    try:
        if not token or "case_id" not in message:
            raise BadMessage("message needs 'task_token' and 'case_id'")
        task = TASKS.get(name)
        if task is None:
            raise BadMessage(f"unknown task {name!r}")
        ran, result = effects.once(effect_key(message), lambda: task(message))
    except BadMessage as exc:
        log.error("worker task refused: %s (case %s)", exc, message.get("case_id"))
        if token:
            with contextlib.suppress(workflow.TaskGone):
                workflow.fail_task(token, "Loket.BadMessage", str(exc))
        return
    log.info("worker task %s for case %s: %s", name, message["case_id"], "done" if ran else "already done")
    try:
        workflow.answer_task(token, {"task": name, **result})
    except workflow.TaskGone:
        log.warning("worker task %s for case %s: token no longer waiting", name, message["case_id"])
