"""The contract of the mail port (`mail.Outbox`): a message goes out as it was built."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from chalicelib.adapters import mail
from chalicelib.adapters.mail import Outbox
from tests.upload_corpus import PDF

CONTEXT = {
    "case_id": "abc123",
    "case_code": "K7Q-M3X-D2F",
    "status_url": "https://loket.test/berkas.html?id=abc123",
    "service_title": "Penerbitan Kartu AK-1",
    "office_name": "Dinas Tenaga Kerja Kabupaten Pasuruan",
    "step_activity": "Memberitahukan kepada pemohon",
    "step_output": "",
}


class OutboxContract:
    """Subclasses give `subject` (the outbox under test) and `sent`: every message it has sent,
    in order, as the recipient's mail program reads it."""

    @pytest.fixture
    def subject(self) -> Outbox:
        raise NotImplementedError

    def sent(self) -> list[EmailMessage]:
        raise NotImplementedError

    def test_a_message_goes_out_as_it_was_built(self, subject: Outbox) -> None:
        message = mail.build_message(
            "budi@contoh.id", "step_notice", CONTEXT, [("Kartu AK-1.pdf", PDF, "application/pdf")]
        )
        subject.send(message)
        [out] = self.sent()
        assert (out["To"], out["Subject"], out["Content-Language"]) == (
            "budi@contoh.id",
            "Perkembangan berkas Anda - K7Q-M3X-D2F",
            "id",
        )
        assert "Memberitahukan kepada pemohon" in out.get_body(("plain",)).get_content()
        [attachment] = list(out.iter_attachments())
        assert attachment.get_filename() == "Kartu AK-1.pdf" and attachment.get_content() == PDF

    def test_each_message_has_its_own_id_and_goes_to_its_own_address(self, subject: Outbox) -> None:
        first = subject.send(mail.build_message("budi@contoh.id", "step_notice", CONTEXT))
        second = subject.send(mail.build_message("siti@contoh.id", "step_notice", CONTEXT))
        assert first and second and first != second
        assert [str(m["To"]) for m in self.sent()] == ["budi@contoh.id", "siti@contoh.id"]
