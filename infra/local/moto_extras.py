"""What moto's Cognito lacks and Loket's applicants use: ResendConfirmationCode.

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
