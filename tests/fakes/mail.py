"""Sent mail in memory: `chalicelib.adapters.mail.Outbox` without SES.

Proven by tests/contract/mail.py, which runs against this and against SesOutbox on moto.
"""

from __future__ import annotations

import email
import email.policy
import threading
from email.message import EmailMessage


class FakeOutbox:
    """Keeps each message as the bytes SES would send, read back as a new message (`sent`)."""

    def __init__(self) -> None:
        self._raw: list[bytes] = []
        self._lock = threading.Lock()

    def send(self, message: EmailMessage) -> str:
        raw = message.as_bytes()
        with self._lock:
            self._raw.append(raw)
            return f"fake-{len(self._raw):06d}"

    @property
    def sent(self) -> list[EmailMessage]:
        """Every message sent, in order, as its recipient's mail program reads it."""
        with self._lock:
            raw = list(self._raw)
        return [email.message_from_bytes(r, _class=EmailMessage, policy=email.policy.default) for r in raw]

    def to(self) -> list[str]:
        """The address of each message sent, in order."""
        return [str(m["To"]) for m in self.sent]
