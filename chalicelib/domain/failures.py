"""Why a case stopped, in words: Step Functions' and the worker's error codes as plain Indonesian
for the office administrator on the operator's desk, each with what to do about it.

The code itself is kept beside the words (the desk prints it small) for IT. Where the codes come
from: the worker fails a task token with `Loket.TaskFailed` or `Loket.BadMessage`
(`worker/tasks.handle`); Step Functions raises `States.*` itself (a task that outlived its
timeout, a failed AWS call, a runtime error in the definition); a caught failure sends the
execution to `Macet`, which marks the case stuck and ends in `Gagal` (`Loket.WorkerFailed`,
`sop/compiler.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEAD_LETTER = "SQS.DeadLetter"


@dataclass(frozen=True)
class Explained:
    """An error as the desk shows it: `code` (small, for IT), `words` (what happened), `todo`
    (what the administrator can do) and `detail` (the cause as the system wrote it, cleaned of
    personal data; may be empty)."""

    code: str
    words: str
    todo: str
    detail: str = ""


_RESTART = "Setelah penyebabnya diatasi, mulai ulang berkas dari langkah yang gagal."
_KNOWN: dict[str, tuple[str, str]] = {
    "Loket.TaskFailed": (
        "Pekerjaan sistem menolak berkas ini: data yang dibutuhkannya tidak ada atau tidak sah "
        "(mis. dokumen, nomor atau isian yang hilang).",
        "Periksa berkasnya pada halaman berkas. " + _RESTART,
    ),
    "Loket.BadMessage": (
        "Pesan tugas tidak dapat dikerjakan: tugasnya tidak dikenal atau datanya kurang. "
        "Biasanya ini kesalahan program atau berkas SOP, bukan kesalahan pemohon.",
        "Laporkan kode di samping ke tim TI. " + _RESTART,
    ),
    "States.Timeout": (
        "Pekerja sistem tidak menjawab dalam batas waktu tugas. Pesannya mungkin gagal berulang "
        "kali dan tertahan di antrean dead-letter.",
        "Lihat bagian pesan dead-letter di atas. " + _RESTART,
    ),
    "States.HeartbeatTimeout": (
        "Pekerja sistem berhenti memberi kabar di tengah tugas.",
        _RESTART,
    ),
    "Loket.WorkerFailed": (
        "Pekerjaan sistem gagal berulang kali, dan berkas ditandai macet.",
        _RESTART,
    ),
    "States.TaskFailed": (
        "Alur layanan tidak berhasil memanggil layanan AWS pada langkah ini (penyimpanan data "
        "atau antrean pekerja).",
        "Bila layanan AWS sedang terganggu, tunggu sampai pulih. " + _RESTART,
    ),
    "States.Permissions": (
        "Alur layanan tidak punya izin untuk langkah ini.",
        "Laporkan kode di samping ke tim TI (izin IAM), lalu mulai ulang berkas.",
    ),
    "States.Runtime": (
        "Alur layanan berhenti karena kesalahan di dalam definisinya atau data masukannya.",
        "Laporkan kode di samping ke tim TI. " + _RESTART,
    ),
    "States.DataLimitExceeded": (
        "Data berkas terlalu besar untuk diteruskan alur layanan.",
        "Laporkan kode di samping ke tim TI.",
    ),
    "States.ExceedToleratedFailureThreshold": (
        "Terlalu banyak bagian dari langkah ini yang gagal.",
        "Laporkan kode di samping ke tim TI.",
    ),
    DEAD_LETTER: (
        "Pekerja sistem gagal mengerjakan pesan-pesan ini 5 kali berturut-turut (mis. layanan email "
        "atau AWS sedang terganggu), lalu antrean memindahkannya ke antrean dead-letter.",
        "Setelah penyebabnya diatasi, kirim ulang pesannya: berkas melanjutkan langkah yang menunggu.",
    ),
}
_SERVICES = {"DynamoDB": "penyimpanan data (DynamoDB)", "SQS": "antrean pekerja (SQS)"}
_UNKNOWN = (
    "Kesalahan yang tidak dikenal Loket.",
    "Laporkan kode di samping ke tim TI sebelum memulai ulang berkas.",
)

_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_EMAIL = re.compile(r"[^\s@<>\"']+@[^\s@<>\"']+\.[A-Za-z]{2,}")
_LONG_NUMBER = re.compile(r"\d{10,}")
DETAIL_LIMIT = 300


def clean_detail(cause: str | None) -> str:
    """A cause as the desk may show it: no NIK, email address or long number (a phone, a passport
    number), at most DETAIL_LIMIT characters."""
    text = " ".join((cause or "").split())
    text = _EMAIL.sub("[email]", _NIK.sub("[NIK]", text))
    text = _LONG_NUMBER.sub("[nomor]", text)
    return text if len(text) <= DETAIL_LIMIT else text[: DETAIL_LIMIT - 1] + "…"


def explain(error: str | None, cause: str | None = None) -> Explained:
    """The words for an error code (and its cause); an unknown code gets words that say so."""
    code = (error or "").strip() or "tanpa kode"
    if code in _KNOWN:
        words, todo = _KNOWN[code]
    elif code.split(".", 1)[0] in _SERVICES:
        service = _SERVICES[code.split(".", 1)[0]]
        words = f"Layanan {service} menolak permintaan alur layanan pada langkah ini."
        todo = "Bila layanan AWS sedang terganggu, tunggu sampai pulih. " + _RESTART
    else:
        words, todo = _UNKNOWN
    return Explained(code, words, todo, clean_detail(cause))
