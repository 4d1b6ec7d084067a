"""The packaged SOP files load, match the seed standards, and broken copies fail at the right line."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import get_args

import pytest
from pydantic import ValidationError

from chalicelib.sop.durations import format_minutes, parse_minutes, parse_range_minutes
from chalicelib.sop.errors import SopError, SopNotFound
from chalicelib.sop.loader import (
    OFFICES_DIR,
    list_offices,
    list_services,
    load_file,
    load_office,
    load_office_file,
    load_service,
)
from chalicelib.sop.rules import transitions
from chalicelib.sop.schema import FieldType, InputField

# (office, service, steps in the seed table, steps after submission, process minutes)
SEED_FIGURES = [
    ("kab-pasuruan", "ak1", 10, 6, 10),
    ("kab-pasuruan", "lapor-keberadaan-tka", 10, 9, 290),
    ("kab-pasuruan", "validasi-tka", 7, 5, 19),
    ("kab-pasuruan", "tanda-daftar-bkk", 10, 9, 290),
    ("kab-pasuruan", "rekomendasi-paspor-cpmi", 10, 10, 137),
    ("kota-tangerang", "id-rekomendasi-paspor-cpmi", 15, 14, 250),
]


def mutated(tmp_path: Path, office: str, service: str, old: str, new: str) -> tuple[Path, str]:
    """A copy of a packaged file with one exact passage replaced; returns its path and new text."""
    text = (OFFICES_DIR / office / f"{service}.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, f"passage must be unique in {service}.yaml: {old!r}"
    changed = text.replace(old, new)
    path = tmp_path / f"{service}.yaml"
    path.write_text(changed, encoding="utf-8")
    return path, changed


def line_of(text: str, needle: str, after: str = "") -> int:
    """1-based line of the first `needle` that comes after `after`."""
    start = text.index(after) + len(after) if after else 0
    return text[: text.index(needle, start)].count("\n") + 1


def issues_of(path: Path) -> list[str]:
    with pytest.raises(SopError) as caught:
        load_file(path)
    return [str(issue) for issue in caught.value.issues]


# --- the packaged files --------------------------------------------------------------------------


def test_offices_and_services_are_listed() -> None:
    assert list_offices() == ["kab-pasuruan", "kota-tangerang"]
    assert list_services("kab-pasuruan") == [
        "ak1",
        "lapor-keberadaan-tka",
        "pengaduan",
        "rekomendasi-paspor-cpmi",
        "tanda-daftar-bkk",
        "uji-sambungan",
        "validasi-tka",
    ]
    assert list_services("kota-tangerang") == ["id-rekomendasi-paspor-cpmi", "pengaduan", "uji-sambungan"]


@pytest.mark.parametrize(("office", "service", "steps", "process", "minutes"), SEED_FIGURES)
def test_each_service_matches_its_seed_table(
    office: str, service: str, steps: int, process: int, minutes: int
) -> None:
    standard = load_service(office, service)
    assert standard.office == office and standard.id == service
    assert [s.number for s in standard.steps] == list(range(1, steps + 1))
    assert len(standard.process_steps) == process
    assert standard.process_minutes == minutes
    assert standard.fee.amount_rupiah == 0
    assert standard.legal_basis and standard.requirements.documents and standard.decisions


def test_offices_hold_their_roles_and_region_codes() -> None:
    pasuruan, tangerang = load_office("kab-pasuruan"), load_office("kota-tangerang")
    assert (pasuruan.region_code, tangerang.region_code) == ("3514", "3671")
    assert pasuruan.full_name == "Dinas Tenaga Kerja Kabupaten Pasuruan"
    assert {"petugas_antar_kerja", "pengantar_kerja", "kasi_penempatan", "kabid", "kadis"} <= set(
        pasuruan.roles
    )
    assert set(tangerang.roles) == {"staf", "kasubbag_umpeg", "sekretaris", "kadis", "kabid", "kasi"}
    assert tangerang.roles["kasi"].escalates_to == "kabid"
    assert tangerang.roles["kadis"].escalates_to is None


def test_packaged_loads_are_cached() -> None:
    assert load_service("kab-pasuruan", "ak1") is load_service("kab-pasuruan", "ak1")
    assert load_office("kota-tangerang") is load_office("kota-tangerang")


def test_unknown_ids_raise_not_found() -> None:
    with pytest.raises(SopNotFound, match="kantor 'kab-malang' tidak ada"):
        load_office("kab-malang")
    with pytest.raises(SopNotFound, match="layanan 'ak2' tidak ada di kantor kab-pasuruan"):
        load_service("kab-pasuruan", "ak2")
    with pytest.raises(SopNotFound):
        load_service("kab-pasuruan", "../kota-tangerang/office")


def test_ak1_verification_branches_to_counselling_or_back_to_the_job_seeker() -> None:
    ak1 = load_service("kab-pasuruan", "ak1")
    assert [s.stage for s in ak1.steps[:4]] == ["intake"] * 4
    verify = ak1.step(5)
    assert verify.kind == "staff_check" and verify.actors == ["petugas_antar_kerja"] and verify.is_human
    assert {o.decision: o.goto for o in verify.outcomes} == {"approve": 6, "return": 7, "reject": "end"}
    email_back = ak1.step(7)
    assert email_back.is_system and email_back.system_action == "send_email"
    assert (email_back.outcomes[0].goto, email_back.outcomes[0].resume) == ("applicant", 5)
    assert transitions(ak1, ak1.step(6)) == [8]
    assert [ak1.step(n).system_action for n in (8, 9, 10)] == [
        "issue_document",
        "send_email",
        "publish_download",
    ]
    assert ak1.step(6).actors == ["pengantar_kerja"] and {r.key for r in ak1.step(6).records} >= {
        "catatan_konseling",
        "pesan_untuk_pencari_kerja",
    }
    assert ak1.requirements.form_uppercase
    assert [s.key for s in ak1.requirements.form] == [
        "akun",
        "identitas",
        "permohonan",
        "pendidikan_terakhir",
        "pengalaman_kerja",
        "keterampilan",
    ]


def test_validasi_tka_records_payment_after_intake_in_the_national_system() -> None:
    validasi = load_service("kab-pasuruan", "validasi-tka")
    assert [s.stage for s in validasi.steps] == ["intake"] * 2 + ["process"] * 5
    assert [s.time for s in validasi.intake_steps] == ["-", "-"]
    assert validasi.step(1).standard_minutes == 0
    assert {r.key: r.type for r in validasi.step(6).records} == {
        "tanggal_pembayaran": "date",
        "nomor_jurnal": "text",
        "nominal": "money",
    }
    assert validasi.duration.min_minutes == 5 and validasi.duration.max_minutes == 10
    assert validasi.product("validasi_tka").pdf  # the notice emailed at step 7
    assert validasi.step(7).system_action == "send_email" and validasi.step(7).documents == ["validasi_tka"]
    assert validasi.step(6).records[1].unique  # one receipt, one validation
    assert validasi.step(6).records[1].system == "tka_daerah"  # kept by the national adapter


def test_valid_until_is_a_field_type_and_the_tka_forms_ask_how_long_permits_run() -> None:
    assert "valid_until" in get_args(FieldType) and "date" in get_args(FieldType)
    assert InputField(key="kitas_berlaku_sampai", label="KITAS Berlaku Sampai", type="valid_until")
    with pytest.raises(ValidationError):
        InputField(key="x", label="X", type="valid_to")  # type: ignore[arg-type]
    ahead = {
        service: {
            f"{section.key}.{f.key}"
            for section in load_service("kab-pasuruan", service).requirements.form
            for f in section.fields
            if f.type == "valid_until"
        }
        for service in ("lapor-keberadaan-tka", "validasi-tka")
    }
    assert ahead == {
        "lapor-keberadaan-tka": {
            "izin.rptka_berlaku_sampai",
            "izin.notifikasi_berlaku_sampai",
            "izin.kitas_berlaku_sampai",
        },
        "validasi-tka": {"tka.rptka_berlaku_sampai", "tka.notifikasi_berlaku_sampai"},
    }
    for service in ("lapor-keberadaan-tka", "validasi-tka"):
        about = [d.about for d in load_service("kab-pasuruan", service).decisions]
        assert any(a.startswith("Masa berlaku RPTKA") for a in about), service


def test_cpmi_pasuruan_rejects_used_up_spr_and_lets_substitutes_approve() -> None:
    cpmi = load_service("kab-pasuruan", "rekomendasi-paspor-cpmi")
    spr = cpmi.step(4)
    assert {o.decision: o.goto for o in spr.outcomes} == {"approve": 5, "reject": "end"}
    assert [r.key for r in spr.records] == ["nomor_spr"]
    approval = cpmi.step(9)
    assert approval.signing is not None
    assert approval.signing.signer == "kasi_perlindungan"
    assert approval.signing.substitutes == ["kabid", "pengantar_kerja"]
    assert not approval.signing.substitute_needs_decree
    assert cpmi.duration.min_minutes == 3 * 24 * 60 and cpmi.duration.max_minutes == 7 * 24 * 60
    assert [p.key for p in cpmi.products] == [
        "rekomendasi_paspor",
        "persetujuan_perjanjian_penempatan",
        "berita_acara_seleksi",
    ]


def test_tangerang_dispositions_run_kadis_kabid_kasi_and_only_the_kadis_signs() -> None:
    tangerang = load_service("kota-tangerang", "id-rekomendasi-paspor-cpmi")
    assert tangerang.code == "PSM/DISNAKER-21"
    chain = [(tangerang.step(n).responsible_role, tangerang.step(n).outcomes[0]) for n in (7, 8, 9)]
    assert [(role, o.decision, o.goto) for role, o in chain] == [
        ("kasubbag_umpeg", "forward", 8),
        ("kabid", "forward", 9),
        ("kasi", "forward", 10),
    ]
    # Step 7 is general affairs' work ("ke bagian umum untuk disposisi Kepala Dinas"): queued for
    # the Kasubbag Umpeg, the Sekretaris and the Kadis may do it too; it records the disposition.
    assert tangerang.step(7).coactors == ["sekretaris", "kadis"]
    assert [r.key for r in tangerang.step(7).records] == ["disposisi_kadis"]
    assert [s.standard_minutes for s in tangerang.process_steps] == [15, 15, 15, 5, 20, 60] + [15] * 8
    signing = tangerang.step(14).signing
    assert signing is not None
    assert (signing.signer, signing.substitutes, signing.substitute_needs_decree) == (
        "kadis",
        ["sekretaris", "kabid"],
        True,
    )
    assert "a.n." in signing.delegation_kinds
    assert tangerang.ratification is not None and tangerang.ratification.effective_on == "Januari 2022"
    assert len(tangerang.requirements.documents) == 14


@pytest.mark.parametrize(
    ("service", "steps", "owner", "coactor"),
    [
        ("lapor-keberadaan-tka", (2, 7, 8, 10), "staf", "kasi_penempatan"),
        ("tanda-daftar-bkk", (2, 7, 8, 10), "pengantar_kerja", "kasi_penempatan"),
    ],
)
def test_kasi_staf_columns_name_both_roles(service, steps, owner, coactor) -> None:
    """The seed's "Kasi/Staf" and "Kasi/Pengantar Kerja" columns: both roles listed, the staff
    member first (its queue, escalated against); the draft (step 3) stays the drafter's alone,
    since the Kasi checks it at step 4."""
    sop = load_service("kab-pasuruan", service)
    for number in steps:
        assert sop.step(number).staff_roles == [owner, coactor], number
    assert sop.step(3).staff_roles == [owner]
    assert sop.counter_step(sop.step(9)) == sop.step(8)


def test_human_steps_are_the_staff_steps_after_submission() -> None:
    lapor = load_service("kab-pasuruan", "lapor-keberadaan-tka")
    assert [s.number for s in lapor.steps if s.is_human] == [2, 3, 4, 5, 6, 7, 8, 10]
    assert lapor.step(9).waits_for_applicant and not lapor.step(9).is_human
    assert lapor.step(2).responsible_role == "staf"
    assert lapor.default_next(lapor.step(10)) == "end"
    with pytest.raises(KeyError):
        lapor.step(11)


# --- durations ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("30 menit", 30),
        ("1 jam", 60),
        ("15 Menit", 15),
        ("1 jam 30 menit", 90),
        ("1 hari", 1440),
        ("1,5 jam", 90),
    ],
)
def test_standard_times_read_as_minutes(text: str, minutes: float) -> None:
    assert parse_minutes(text) == minutes


@pytest.mark.parametrize("text", ["", "-", "30", "setengah jam", "30 mnt", "menit"])
def test_unreadable_standard_times_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="tidak terbaca"):
        parse_minutes(text)


def test_service_durations_and_formatting() -> None:
    assert parse_range_minutes("3-7 Hari") == (4320, 10080)
    assert parse_range_minutes("5 - 10 Menit") == (5, 10)
    assert parse_range_minutes("20 Menit") == (20, 20)
    with pytest.raises(ValueError, match="batas bawah"):
        parse_range_minutes("7-3 hari")
    assert format_minutes(137) == "2 jam 17 menit"
    assert format_minutes(1440 + 61) == "1 hari 1 jam 1 menit"
    assert format_minutes(0) == "-"


# --- broken copies: each problem at its line -------------------------------------------------------


def test_unknown_role_names_the_line_and_the_known_roles(tmp_path: Path) -> None:
    path, text = mutated(
        tmp_path,
        "kab-pasuruan",
        "rekomendasi-paspor-cpmi",
        "    actors: [kasi_perlindungan]\n    kind: decision",
        "    actors: [kasie]\n    kind: decision",
    )
    line = line_of(text, "actors: [kasie]")
    assert issues_of(path) == [
        f"rekomendasi-paspor-cpmi.yaml:{line}: langkah 8: peran 'kasie' tidak dikenal di kantor kab-pasuruan "
        "(peran yang ada: pemohon, kadis, kabid, kasi_penempatan, kasi_perlindungan, pengantar_kerja, "
        "petugas_antar_kerja, staf, staf_perlindungan)"
    ]


def test_return_to_a_missing_step(tmp_path: Path) -> None:
    path, text = mutated(
        tmp_path,
        "kab-pasuruan",
        "lapor-keberadaan-tka",
        "label: Kembalikan ke staf untuk perbaikan\n        goto: 3",
        "label: Kembalikan ke staf untuk perbaikan\n        goto: 30",
    )
    line = line_of(text, "goto: 30")
    assert issues_of(path) == [
        f"lapor-keberadaan-tka.yaml:{line}: langkah 4: return ke langkah 30 yang tidak ada (langkah 1..10)"
    ]


def test_missing_standard_time_points_at_the_step(tmp_path: Path) -> None:
    path, text = mutated(tmp_path, "kota-tangerang", "id-rekomendasi-paspor-cpmi", "    time: 60 menit\n", "")
    line = line_of(text, "- number: 7")
    assert issues_of(path) == [
        f"id-rekomendasi-paspor-cpmi.yaml:{line}: langkah 7: time: wajib diisi (field required)"
    ]


def test_unreadable_standard_time(tmp_path: Path) -> None:
    path, text = mutated(
        tmp_path, "kota-tangerang", "id-rekomendasi-paspor-cpmi", "time: 60 menit", "time: satu jam"
    )
    line = line_of(text, "time: satu jam")
    [issue] = issues_of(path)
    assert issue.startswith(f"id-rekomendasi-paspor-cpmi.yaml:{line}: langkah 7: time: waktu baku 'satu jam'")


def test_untimed_process_step_is_refused(tmp_path: Path) -> None:
    path, text = mutated(
        tmp_path, "kota-tangerang", "id-rekomendasi-paspor-cpmi", "time: 60 menit", 'time: "-"'
    )
    line = line_of(text, 'time: "-"', after="- number: 7")
    assert issues_of(path) == [
        f"id-rekomendasi-paspor-cpmi.yaml:{line}: langkah 7: langkah process perlu waktu baku "
        "(mis. '15 menit'); '-' hanya untuk intake"
    ]


def test_cycle_without_exit(tmp_path: Path) -> None:
    path, text = mutated(
        tmp_path,
        "kab-pasuruan",
        "lapor-keberadaan-tka",
        "      - decision: approve\n        label: Draft sesuai\n        goto: 5\n",
        "",
    )
    line = line_of(text, "outcomes:", after="- number: 4")
    issues = issues_of(path)
    assert (
        f"lapor-keberadaan-tka.yaml:{line}: langkah 4: putaran tanpa jalan keluar (langkah 3 → 4 → 3): "
        "tidak ada langkah di putaran ini menuju selesai"
    ) in issues
    unreachable = [issue for issue in issues if "tidak pernah dicapai" in issue]
    assert len(unreachable) == 6  # steps 5..10 can no longer be reached


def test_duplicate_step_number(tmp_path: Path) -> None:
    path, text = mutated(tmp_path, "kab-pasuruan", "ak1", "  - number: 6\n", "  - number: 5\n")
    line = line_of(text, "- number: 5", after="label: Berkas kurang")  # the second "number: 5"
    issues = issues_of(path)
    assert f"ak1.yaml:{line}: langkah 5: nomor langkah 5 ganda (sudah dipakai di urutan ke-5)" in issues


def test_gap_in_step_numbers(tmp_path: Path) -> None:
    path, text = mutated(
        tmp_path, "kota-tangerang", "id-rekomendasi-paspor-cpmi", "  - number: 15\n", "  - number: 16\n"
    )
    line = line_of(text, "- number: 16")
    assert issues_of(path) == [
        f"id-rekomendasi-paspor-cpmi.yaml:{line}: langkah 16: nomor langkah 16 tidak urut: di urutan ke-15 "
        "seharusnya langkah 15 (nomor 1..n tanpa lompatan)"
    ]


def test_national_references_are_staff_records_of_text_or_nik(tmp_path: Path) -> None:
    tangerang = load_service("kota-tangerang", "id-rekomendasi-paspor-cpmi")
    assert {r.key: r.system for r in tangerang.step(10).records} == {
        "referensi_siskotkln": "siskotkln",
        "nomor_berita_acara": "siskotkln",
    }
    old = "      - {key: nominal, label: Nominal, type: money}"
    path, text = mutated(tmp_path, "kab-pasuruan", "validasi-tka", old, old[:-1] + ", system: tka_daerah}")
    [issue] = issues_of(path)
    assert f"validasi-tka.yaml:{line_of(text, 'key: nominal')}:" in issue
    assert "rujukan sistem nasional harus bertipe text atau nik, bukan 'money'" in issue

    old = "        - {key: tanggal_setor, label: Tanggal Setor, type: date}"
    path, _ = mutated(tmp_path, "kab-pasuruan", "validasi-tka", old, old[:-1] + ", system: siskotkln}")
    [issue] = issues_of(path)
    assert "'system' hanya untuk catatan petugas (records), bukan formulir" in issue

    old = "      - {key: nominal, label: Nominal, type: money}"
    path, _ = mutated(tmp_path, "kab-pasuruan", "validasi-tka", old, old[:-1] + ", system: simponi}")
    [issue] = issues_of(path)
    assert "simponi" in issue


def test_signature_without_signing_rule(tmp_path: Path) -> None:
    old = "    signing:\n      signer: kadis\n      delegation_kinds: [Plt, Plh]\n"
    text = (OFFICES_DIR / "kab-pasuruan" / "tanda-daftar-bkk.yaml").read_text(encoding="utf-8")
    rule_start = text.index(old)
    rule_end = text.index("\n\n", rule_start)
    path = tmp_path / "tanda-daftar-bkk.yaml"
    path.write_text(text[:rule_start] + text[rule_end + 1 :], encoding="utf-8")
    [issue] = issues_of(path)
    assert "langkah 6: langkah signature perlu aturan 'signing'" in issue


def test_schema_errors_come_together_with_their_lines(tmp_path: Path) -> None:
    path, text = mutated(
        tmp_path, "kab-pasuruan", "ak1", "  kind: pencari_kerja\n", "  kind: pelamar\n  umur: 3\n"
    )
    issues = issues_of(path)
    assert issues == [
        f"ak1.yaml:{line_of(text, 'kind: pelamar')}: applicant.kind: nilai 'pelamar' tidak dikenal; "
        "pilihan: 'pencari_kerja', 'perusahaan', 'sekolah', 'p3mi' atau 'masyarakat'",
        f"ak1.yaml:{line_of(text, 'umur: 3')}: applicant.umur: kunci tidak dikenal (extra field)",
    ]


def test_duplicate_yaml_key_and_broken_yaml(tmp_path: Path) -> None:
    path, text = mutated(
        tmp_path, "kab-pasuruan", "ak1", "staff_count: 3\n", "staff_count: 3\nstaff_count: 4\n"
    )
    line = line_of(text, "staff_count: 4")
    message = "kunci 'staff_count' ditulis dua kali (hanya yang terakhir dipakai)"
    assert issues_of(path) == [f"ak1.yaml:{line}: {message}"]
    path.write_text("id: ak1\nsteps: [\n", encoding="utf-8")
    [issue] = issues_of(path)
    assert issue.startswith("ak1.yaml:3: YAML tidak terbaca")


def test_nested_yaml_aliases_are_refused_at_once(tmp_path: Path) -> None:
    """Issue 12: about 700 bytes of nested aliases ("billion laughs") took 30 s of CPU before the
    SOP upload was refused; one more level would have passed the API's time limit."""
    import time

    levels = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = tmp_path / "kab-pasuruan" / "ak1.yaml"
    path.parent.mkdir()
    path.write_text("id: ak1\n" + "\n".join(levels) + "\n", encoding="utf-8")
    assert len(path.read_bytes()) < 1000
    started = time.process_time()
    [issue] = issues_of(path)
    assert time.process_time() - started < 1
    assert issue.startswith("ak1.yaml:3: YAML tidak terbaca: alias YAML (*nama) tidak diizinkan")


def test_file_name_and_office_must_match(tmp_path: Path) -> None:
    source = OFFICES_DIR / "kab-pasuruan" / "validasi-tka.yaml"
    renamed = tmp_path / "validasi.yaml"
    shutil.copy(source, renamed)
    id_line = line_of(source.read_text(encoding="utf-8"), "id: validasi-tka")
    assert issues_of(renamed) == [
        f"validasi.yaml:{id_line}: id 'validasi-tka' harus sama dengan nama berkas 'validasi.yaml'"
    ]

    path, text = mutated(
        tmp_path, "kab-pasuruan", "validasi-tka", "office: kab-pasuruan", "office: kab-malang"
    )
    [issue] = issues_of(path)
    assert issue.startswith(
        f"validasi-tka.yaml:{line_of(text, 'office: kab-malang')}: kantor 'kab-malang' tidak dikenal"
    )


def test_sibling_office_file_is_the_office_of_a_service(tmp_path: Path) -> None:
    office_text = (OFFICES_DIR / "kota-tangerang" / "office.yaml").read_text(encoding="utf-8")
    (tmp_path / "office.yaml").write_text(
        office_text.replace("  kasubbag_umpeg:", "  kasubbag_umum:"), encoding="utf-8"
    )
    shutil.copy(OFFICES_DIR / "kota-tangerang" / "id-rekomendasi-paspor-cpmi.yaml", tmp_path)
    [issue] = issues_of(tmp_path / "id-rekomendasi-paspor-cpmi.yaml")
    assert "langkah 7: peran 'kasubbag_umpeg' tidak dikenal di kantor kota-tangerang" in issue


def test_office_file_checks_its_escalation_chain(tmp_path: Path) -> None:
    text = (OFFICES_DIR / "kota-tangerang" / "office.yaml").read_text(encoding="utf-8")
    broken = text.replace(
        "    label: Kepala Dinas Ketenagakerjaan Kota Tangerang\n    escalates_to: null",
        "    label: Kepala Dinas Ketenagakerjaan Kota Tangerang\n    escalates_to: walikota",
    )
    path = tmp_path / "office.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(SopError) as caught:
        load_office_file(path)
    [issue] = caught.value.issues
    assert issue.line == line_of(broken, "escalates_to: walikota")
    assert issue.message.startswith("peran kadis: eskalasi ke peran 'walikota' yang tidak ada")
