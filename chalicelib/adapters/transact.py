"""Conditional writes to the table: one (`write_one`), or several as one DynamoDB transaction
(`write_all`: all of them, or none). The only place the use cases meet PynamoDB's write errors.

A use case lists its writes (`Write`), each with its condition and what it means when that
condition fails (`refusal`), and `write_all` commits them in one `TransactWriteItems`. DynamoDB
reports which write's condition failed; `write_all` turns the first one into `Refused`, so races
are settled by conditions rather than by undo code (PynamoDB's `examples/game_player` does the
same with business rules as condition expressions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pynamodb.exceptions import DeleteError, PutError, TransactWriteError, UpdateError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.adapters import aws_errors
from chalicelib.adapters.models import transaction_connection

MAX_WRITES = 100  # DynamoDB's limit of items in one TransactWriteItems
_SENT_ORDER = {"delete": 0, "save": 1, "update": 2}


@dataclass(frozen=True)
class Write:
    """One write of a transaction.

    `op` is "save" (a put), "update" (with `actions`) or "delete"; `condition` a PynamoDB
    condition or None; `refusal` names what a failed condition means to the caller (any value
    the caller recognises, e.g. an Indonesian message or a marker object). A model with a
    VersionAttribute (Case) gets its version condition added by PynamoDB, as a lone update would.
    """

    op: Literal["save", "update", "delete"]
    model: Model
    condition: Any = None
    actions: list[Any] = field(default_factory=list)
    refusal: Any = None


class Refused(Exception):
    """Conditions did not hold, so nothing was written: `writes` are the refused ones in the
    caller's order (DynamoDB names each), `write` the first of them."""

    def __init__(self, writes: list[Write]) -> None:
        super().__init__(f"{len(writes)} write(s) refused")
        self.writes = writes
        self.write = writes[0]

    def refusals(self) -> list[Any]:
        return [w.refusal for w in self.writes]


def write_all(writes: list[Write]) -> None:
    """Commit `writes` in one transaction (1 to 100 writes, each item at most once).

    Raises `Refused` naming the writes whose conditions failed (nothing is written), Loket's
    `Conflict` when DynamoDB cancelled the transaction for a concurrent one on the same items
    (TransactionConflict), `Unavailable` when throttled, and ValueError for an empty or oversized
    list. Other PynamoDB errors propagate (the entry point translates them)."""
    if not 0 < len(writes) <= MAX_WRITES:
        raise ValueError(f"a transaction holds 1 to {MAX_WRITES} writes, not {len(writes)}")
    try:
        with TransactWrite(connection=transaction_connection()) as tx:
            for write in writes:
                if write.op == "save":
                    tx.save(write.model, condition=write.condition)
                elif write.op == "update":
                    tx.update(write.model, actions=write.actions, condition=write.condition)
                else:
                    tx.delete(write.model, condition=write.condition)
    except TransactWriteError as exc:
        # PynamoDB sends deletes, then puts, then updates (each in the order given), and DynamoDB
        # gives one reason per item in the order sent.
        sent = sorted(range(len(writes)), key=lambda i: (_SENT_ORDER[writes[i].op], i))
        reasons = list(exc.cancellation_reasons or [])
        refused = sorted(
            sent[position]
            for position, reason in enumerate(reasons[: len(sent)])
            if reason is not None and reason.code == "ConditionalCheckFailed"
        )
        if refused:
            raise Refused([writes[i] for i in refused]) from None
        known = aws_errors.translate(exc)
        if known is not None:
            raise known from None
        raise


def write_one(write: Write) -> None:
    """One conditional write on its own (no transaction: half the cost of one).

    Raises `Refused` when its condition fails (a Case's version included), Loket's `Unavailable`
    when DynamoDB is busy or failing; other PynamoDB errors propagate."""
    try:
        if write.op == "save":
            write.model.save(condition=write.condition)
        elif write.op == "update":
            write.model.update(actions=write.actions, condition=write.condition)
        else:
            write.model.delete(condition=write.condition)
    except (PutError, UpdateError, DeleteError) as exc:
        if aws_errors.condition_failed(exc):
            raise Refused([write]) from None
        known = aws_errors.translate(exc)
        if known is not None:
            raise known from None
        raise
