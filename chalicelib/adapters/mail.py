"""Email: build a MIME message (stdlib email) from jinja2 templates and send it raw through SES.

Raw sending is what allows a PDF attachment (the AK-1 card, a letter). Templates live in
chalicelib/templates/email/<name>.txt (and optional .html); the first line of the .txt is the
subject ("Subject: ..."). Sending is a port (adapters/ports.py): `Outbox`, `SesOutbox` on SES,
`outbox()` the one in use.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from chalicelib.adapters.aws import client
from chalicelib.adapters.ports import Port
from chalicelib.domain.tanggal import tanggal, waktu
from chalicelib.settings import get_settings

if TYPE_CHECKING:
    import jinja2


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    import jinja2  # the first email renders it in; the API's cold start does not pay for it

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("chalicelib", "templates/email"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    # One date format (chalicelib/domain/tanggal.py): `30 Nov 2026`, `30 Nov 2026 18.37 WIB`.
    environment.filters["tanggal"] = tanggal
    environment.filters["waktu"] = waktu
    return environment


def render(template: str, context: dict[str, Any]) -> tuple[str, str, str | None]:
    """(subject, text body, html body or None) of an email template."""
    env = _env()
    text = env.get_template(f"{template}.txt").render(**context)
    first, _, body = text.partition("\n")
    if not first.startswith("Subject:"):
        raise ValueError(f"email template {template}.txt must start with 'Subject:'")
    import jinja2

    html: str | None = None
    try:
        html = env.get_template(f"{template}.html").render(**context)
    except jinja2.TemplateNotFound:
        html = None
    return first.removeprefix("Subject:").strip(), body.lstrip("\n"), html


def build_message(
    to: str,
    template: str,
    context: dict[str, Any],
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> EmailMessage:
    """An Indonesian email with optional attachments given as (filename, bytes, mime type)."""
    settings = get_settings()
    subject, text, html = render(template, context)
    msg = EmailMessage()
    msg["From"] = formataddr(("Loket Disnaker", settings.mail_sender))
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain=settings.mail_sender.split("@")[-1])
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    for filename, data, mime in attachments or []:
        maintype, subtype = mime.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    # Set last: set_content() and add_attachment() replace the Content-* headers.
    msg["Content-Language"] = "id"
    return msg


class Outbox(Protocol):
    """Where Loket's email goes out."""

    def send(self, message: EmailMessage) -> str:
        """Send the message, as it is, to its `To` address from the configured sender; returns
        an id that no other message sent has."""
        ...


class SesOutbox:
    def send(self, message: EmailMessage) -> str:
        settings = get_settings()
        result = client("ses").send_raw_email(
            Source=settings.mail_sender,
            Destinations=[str(message["To"])],
            RawMessage={"Data": message.as_bytes()},
        )
        return str(result["MessageId"])


outbox: Port[Outbox] = Port("mail", SesOutbox)
