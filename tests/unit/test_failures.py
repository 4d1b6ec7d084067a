"""The operator's desk tells each error in words (chalicelib/domain/failures.py)."""

from __future__ import annotations

import pytest

from chalicelib.domain.failures import DEAD_LETTER, DETAIL_LIMIT, clean_detail, explain


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("Loket.TaskFailed", "Pekerjaan sistem menolak berkas ini"),
        ("Loket.BadMessage", "Pesan tugas tidak dapat dikerjakan"),
        ("States.Timeout", "tidak menjawab dalam batas waktu tugas"),
        ("States.HeartbeatTimeout", "berhenti memberi kabar"),
        ("Loket.WorkerFailed", "gagal berulang kali"),
        ("States.TaskFailed", "tidak berhasil memanggil layanan AWS"),
        ("States.Permissions", "tidak punya izin"),
        ("States.Runtime", "kesalahan di dalam definisinya"),
        ("States.DataLimitExceeded", "terlalu besar"),
        (DEAD_LETTER, "5 kali berturut-turut"),
        ("DynamoDB.ConditionalCheckFailedException", "penyimpanan data (DynamoDB) menolak"),
        ("SQS.AmazonSQSException", "antrean pekerja (SQS) menolak"),
        ("Lain.Sekali", "tidak dikenal Loket"),
        (None, "tidak dikenal Loket"),
    ],
)
def test_every_code_has_words_and_something_to_do(code: str | None, words: str) -> None:
    told = explain(code)
    assert words in told.words
    assert told.todo and told.code == (code or "tanpa kode")


def test_the_cause_is_shown_without_personal_data() -> None:
    cause = (
        "send_email: budi@contoh.id ditolak; NIK 3514015708950001, HP 081234567890, NIP 198503122010012004"
    )
    cleaned = clean_detail(cause)
    assert cleaned == "send_email: [email] ditolak; NIK [NIK], HP [nomor], NIP [nomor]"
    assert explain("Loket.TaskFailed", cause).detail == cleaned
    assert len(clean_detail("x" * 1000)) == DETAIL_LIMIT and clean_detail(None) == ""
