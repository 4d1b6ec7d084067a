"""What moto's Cognito lacks and Loket's applicants use (ResendConfirmationCode), and a lighter
rollback of DynamoDB transactions (`light_transactions`, for the local stack and `make chaos`).

Real Cognito emails a new code; the local stand-in accepts any code (see `make run`'s banner),
so resending only has to answer as Cognito does: where the code went, masked. Installed by the
local stack and by the tests, never by the deployed application.
"""

from __future__ import annotations

from typing import Any


def _masked(email: str) -> str:
    """As Cognito shows a destination: t***@c***."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


def install() -> None:
    from moto.cognitoidp.exceptions import ResourceNotFoundError, UserNotFoundError
    from moto.cognitoidp.models import cognitoidp_backends, find_account_region_by_value
    from moto.cognitoidp.responses import CognitoIdpResponse
    from moto.core.responses import ActionResult

    if hasattr(CognitoIdpResponse, "resend_confirmation_code"):
        return  # moto has it now

    def resend_confirmation_code(self: Any) -> ActionResult:
        client_id = self._get_param("ClientId")
        username = self._get_param("Username")
        account, region = find_account_region_by_value(
            "client_id", client_id, fallback=(self.current_account, self.region)
        )
        for pool in cognitoidp_backends[account][region].user_pools.values():
            if client_id in pool.clients:
                user = pool._get_user(username)
                if user is None:
                    raise UserNotFoundError("Username/client id combination not found.")
                email = user.attribute_lookup.get("email", "")
                details = {"Destination": _masked(email), "DeliveryMedium": "EMAIL", "AttributeName": "email"}
                return ActionResult({"CodeDeliveryDetails": details})
        raise ResourceNotFoundError(client_id)

    CognitoIdpResponse.resend_confirmation_code = resend_confirmation_code  # type: ignore[attr-defined]


def light_transactions() -> None:
    """moto rolls a cancelled TransactWriteItems back from a deep copy of the whole table, taken
    for every item of every transaction: O(table) under DynamoDB's lock, so a 300-case run spent
    most of its time copying a table of 10,000 items (34 minutes, a third of the cases left with
    staff at the deadline). Here the table is not copied; the items the transaction names are kept
    and put back if it is cancelled, which is what moto's copy restores. (Call it before
    `serialise_dynamodb`, so that the keeping and the putting back are inside the same lock.)"""
    import copy

    from moto.dynamodb import models
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    class TableNotCopied:
        @staticmethod
        def deepcopy(value: Any, memo: Any = None) -> Any:
            return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    models.copy = TableNotCopied  # type: ignore[assignment]
    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        kept = []
        for entry in transact_items:
            op = next(iter(entry.values()))
            name = op.get("TableName")
            if name not in self.tables:
                continue
            table = self.tables[name]
            key = op.get("Key") or {
                a: op["Item"][a] for a in (table.hash_key_attr, table.range_key_attr) if a and a in op["Item"]
            }
            before = self.get_item(name, key)
            kept.append(
                (name, key, None if before is None else copy.deepcopy(before.to_json()["Attributes"]))
            )
        try:
            original(self, transact_items)
        except Exception:
            for name, key, attributes in reversed(kept):
                if attributes is not None:
                    self.put_item(name, attributes)
                elif self.get_item(name, key) is not None:
                    self.delete_item(name, key)
            raise

    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
