"""The satisfaction index (Indeks Kepuasan Masyarakat, IKM) of Permenpan RB 14/2017.

Source: Peraturan Menteri PANRB Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan
Masyarakat Unit Penyelenggara Pelayanan Publik (its Lampiran: nine elements, answers 1-4, the
"nilai rata-rata tertimbang" and the table "Nilai Persepsi, Nilai Interval, Nilai Interval
Konversi, Mutu Pelayanan dan Kinerja Unit Pelayanan"). The numbers below were checked against two
published applications of that table: BLU BPPP Tegal, Buku Kinerja 2024, p. 44
(fliphtml5.com/reidny/aaer, "1,00 - 2,5996 / 25,00 - 64,99 D Tidak Baik ... 3,5324 - 4,00 /
88,31 - 100,00 A Sangat Baik") and Disdukcapil Tulang Bawang Barat's SKM report
(e-smile.tubaba.go.id/main/skm/laporan/online: "NRR tertimbang per unsur = NRR per unsur x
0,111", "IKM = Jumlah NRR tertimbang x 25", A 88,31-100,00; B 76,61-88,30; C 65,00-76,60;
D 25,00-64,99).

The method, for one service and period:

1. NRR per element (nilai rata-rata) = the sum of the answers to that element / the number of
   answers to it;
2. weighted NRR = NRR x the element's weight; the regulation weighs the nine elements equally,
   1/9 each ("bobot nilai rata-rata tertimbang = jumlah bobot / jumlah unsur = 1/9", printed
   rounded as 0.111). Loket uses 1/9 exactly: with the rounded 0.111 nine answers of 4 give
   99.9, not the 100 the regulation's scale ends at;
3. IKM of the unit (nilai interval, 1.00-4.00) = the sum of the weighted NRRs;
4. converted (nilai interval konversi, 25-100) = IKM x 25;
5. quality (mutu pelayanan) from the converted value, rounded to two decimals as the table is
   written: A Sangat Baik 88.31-100.00, B Baik 76.61-88.30, C Kurang Baik 65.00-76.60,
   D Tidak Baik 25.00-64.99 (on the 1-4 scale: 3.5324-4.00, 3.0644-3.532, 2.60-3.064,
   1.00-2.5996).

Pure arithmetic with no I/O; responses are stored by services/survey.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

# The nine elements (unsur) of the survey, in the regulation's order, with the question as the
# applicant reads it (one short line each: the whole survey is one phone screen).
ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("u1", "Persyaratan", "Persyaratan layanan sesuai dengan yang dijelaskan?"),
    ("u2", "Sistem, mekanisme dan prosedur", "Prosedur layanan mudah diikuti?"),
    ("u3", "Waktu penyelesaian", "Waktu penyelesaian sesuai dengan standar?"),
    ("u4", "Biaya/tarif", "Biaya/tarif sesuai dengan yang ditetapkan (layanan ini gratis)?"),
    ("u5", "Produk spesifikasi jenis pelayanan", "Hasil layanan sesuai dengan standar pelayanan?"),
    ("u6", "Kompetensi pelaksana", "Petugas mampu dan paham melayani?"),
    ("u7", "Perilaku pelaksana", "Petugas sopan dan ramah?"),
    ("u8", "Penanganan pengaduan, saran dan masukan", "Pengaduan, saran dan masukan ditangani dengan baik?"),
    ("u9", "Sarana dan prasarana", "Sarana (situs Loket, kantor) memadai?"),
)
ELEMENT_KEYS: tuple[str, ...] = tuple(key for key, _label, _question in ELEMENTS)
ELEMENT_LABELS: dict[str, str] = {key: label for key, label, _question in ELEMENTS}

# The answer scale (nilai persepsi) with the regulation's generic wording.
SCALE: dict[int, str] = {1: "Tidak baik", 2: "Kurang baik", 3: "Baik", 4: "Sangat baik"}

WEIGHT = Fraction(1, len(ELEMENTS))  # 1/9, printed 0.111 by the regulation
CONVERSION = 25  # nilai interval konversi = nilai interval x 25

# (lowest converted value, letter, mutu pelayanan, kinerja unit pelayanan), best first.
CATEGORIES: tuple[tuple[float, str, str], ...] = (
    (88.31, "A", "Sangat Baik"),
    (76.61, "B", "Baik"),
    (65.00, "C", "Kurang Baik"),
    (25.00, "D", "Tidak Baik"),
)


class SurveyInvalid(ValueError):
    """An answer set that is not nine answers of 1-4 keyed by ELEMENT_KEYS; `field` names the
    first wrong element (or "answers")."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def clean_answers(raw: object) -> dict[str, int]:
    """One response as {element key: 1..4}, all nine present. Raises SurveyInvalid otherwise
    (a missing element, a value outside 1-4, an unknown key, true/false or text)."""
    if not isinstance(raw, Mapping):
        raise SurveyInvalid("Jawaban survei harus berupa objek.", "answers")
    unknown = sorted(str(k) for k in raw if k not in ELEMENT_KEYS)
    if unknown:
        raise SurveyInvalid(f"Unsur survei tidak dikenal: {', '.join(unknown)}.", unknown[0])
    answers: dict[str, int] = {}
    for key in ELEMENT_KEYS:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            raise SurveyInvalid(f"Pilih nilai 1-4 untuk '{ELEMENT_LABELS[key]}'.", key)
        answers[key] = value
    return answers


@dataclass(frozen=True)
class Index:
    """The index of a set of responses.

    respondents: how many responses; nrr: {element key: mean answer, 1.00-4.00} (None for an
    element nobody answered, only possible with no responses); unit: the IKM on the 1-4 scale
    (nilai interval); converted: x 25 (nilai interval konversi, 25-100), rounded to 2 decimals;
    grade: "A".."D" and label ("Sangat Baik".."Tidak Baik"); all None when there are no responses.
    """

    respondents: int
    nrr: dict[str, float | None]
    unit: float | None
    converted: float | None
    grade: str | None
    label: str | None

    def as_dict(self) -> dict[str, object]:
        return {
            "respondents": self.respondents,
            "nrr": dict(self.nrr),
            "unit": self.unit,
            "converted": self.converted,
            "grade": self.grade,
            "label": self.label,
        }


def category(converted: float) -> tuple[str, str]:
    """(letter, mutu pelayanan) of a converted value 25-100, by the regulation's table, the value
    rounded to two decimals first (64.994 is D, 64.996 rounds to 65.00 and is C)."""
    shown = round(converted, 2)
    for lowest, letter, label in CATEGORIES:
        if shown >= lowest:
            return letter, label
    return CATEGORIES[-1][1], CATEGORIES[-1][2]


def index(responses: Iterable[Mapping[str, int]]) -> Index:
    """The IKM of `responses` (each {element key: 1..4}, as `clean_answers` gives), computed as
    Permenpan RB 14/2017 does (module docstring). Exact fractions inside; the NRRs and the unit
    value rounded to 4 decimals and the converted value to 2 only when reported."""
    totals = dict.fromkeys(ELEMENT_KEYS, 0)
    counts = dict.fromkeys(ELEMENT_KEYS, 0)
    respondents = 0
    for response in responses:
        respondents += 1
        for key in ELEMENT_KEYS:
            if key in response:
                totals[key] += int(response[key])
                counts[key] += 1
    if respondents == 0:
        return Index(0, dict.fromkeys(ELEMENT_KEYS), None, None, None, None)
    nrr = {k: Fraction(totals[k], counts[k]) for k in ELEMENT_KEYS if counts[k]}
    unit = sum((value * WEIGHT for value in nrr.values()), Fraction(0))
    converted = float(unit * CONVERSION)
    grade, label = category(converted)
    return Index(
        respondents=respondents,
        nrr={k: round(float(nrr[k]), 4) if k in nrr else None for k in ELEMENT_KEYS},
        unit=round(float(unit), 4),
        converted=round(converted, 2),
        grade=grade,
        label=label,
    )
