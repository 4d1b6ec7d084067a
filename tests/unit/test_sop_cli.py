"""`python -m chalicelib.cli sop ...`: list, check, show and asl as an administrator uses them."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from chalicelib import cli
from chalicelib.sop.loader import OFFICES_DIR

REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["sop", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_shows_every_service_with_steps_and_process_time(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    header, rule, *rows = out.splitlines()
    assert header.split()[:4] == ["kantor", "layanan", "langkah", "proses"]
    assert set(rule) == {"-", " "}
    assert len(rows) == 10  # the six services and, in each office, the complaints and the wiring check
    wiring = [row for row in rows if " uji-sambungan " in row]
    assert len(wiring) == 2 and all(row.endswith("(bukan layanan publik)") for row in wiring)
    cpmi = next(row for row in rows if " rekomendasi-paspor-cpmi " in row)
    assert cpmi.split()[:4] == ["kab-pasuruan", "rekomendasi-paspor-cpmi", "10", "10"]
    assert "2 jam 17 menit" in cpmi and "3-7 Hari" in cpmi


def test_list_json_for_one_office(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--office", "kota-tangerang", "--json")
    assert code == 0
    assert json.loads(out) == [
        {
            "office": "kota-tangerang",
            "service": "id-rekomendasi-paspor-cpmi",
            "title": "Pembuatan ID dan Rekomendasi Paspor Calon Pekerja Migran Indonesia (CPMI)",
            "steps": 15,
            "process_steps": 14,
            "process_minutes": 250.0,
            "duration": "3 hari",
            "public": True,
        },
        {
            "office": "kota-tangerang",
            "service": "pengaduan",
            "title": "Penanganan Pengaduan, Saran dan Masukan",
            "steps": 4,
            "process_steps": 3,
            "process_minutes": 8641.0,
            "duration": "7 hari",
            "public": False,
        },
        {
            "office": "kota-tangerang",
            "service": "uji-sambungan",
            "title": "Uji sambungan layanan",
            "steps": 3,
            "process_steps": 2,
            "process_minutes": 7201.0,
            "duration": "5 hari",
            "public": False,
        },
    ]


def test_list_unknown_office(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "list", "--office", "kab-malang")
    assert code == 1
    assert err.strip() == "kantor 'kab-malang' tidak ada (kantor yang ada: kab-pasuruan, kota-tangerang)"


def test_show_prints_the_procedure_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "ak1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "kab-pasuruan/ak1 v1: Pelayanan Penerbitan Kartu AK-1 (Pelayanan Online)"
    assert lines[1].split() == ["no", "tahap", "aktivitas", "pelaksana", "jenis", "waktu", "output", "hasil"]
    step5 = next(line for line in lines if line.startswith("5 "))
    assert (
        "petugas_antar_kerja" in step5
        and "staff_check" in step5
        and step5.endswith("approve→6, return→7, reject→selesai")
    )
    step7 = next(line for line in lines if line.startswith("7 "))
    assert step7.endswith("return→pemohon (lanjut 5)")
    assert lines[-1] == "Waktu baku proses: 10 menit; jangka waktu pelayanan: 20 Menit; biaya: Gratis"


def test_show_tangerang_has_its_code_and_disposition_chain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "id-rekomendasi-paspor-cpmi", "--office", "kota-tangerang")
    assert code == 0
    assert "Nomor SOP: PSM/DISNAKER-21" in out
    rows = {line.split()[0]: line for line in out.splitlines()[3:-1]}
    assert rows["7"].endswith("forward→8") and "kasubbag_umpeg, sekretaris, kadis" in rows["7"]
    assert rows["8"].endswith("forward→9") and rows["9"].endswith("forward→10")
    assert rows["15"].endswith("→selesai")


def test_show_json_carries_minutes_for_the_engine(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "validasi-tka", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["id"] == "validasi-tka" and data["office"] == "kab-pasuruan"
    assert data["process_minutes"] == 19
    assert [s["standard_minutes"] for s in data["steps"]] == [0, 0, 2, 2, 5, 5, 5]
    assert [s["is_human"] for s in data["steps"]] == [False, False, True, True, True, True, False]
    assert data["duration"] == {"text": "5 - 10 Menit", "min_minutes": 5.0, "max_minutes": 10.0}


def test_show_unknown_service(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "ak2")
    assert code == 1
    assert err.startswith("layanan 'ak2' tidak ada (layanan yang ada: kab-pasuruan/ak1,")


def test_check_reports_ok_for_packaged_files(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(path) for path in OFFICES_DIR.glob("*/*.yaml"))
    code, out, err = run(capsys, "check", *files)
    assert (code, err) == (0, "")
    oks = [line for line in out.splitlines() if line.startswith("OK ")]
    assert len(oks) == 12  # two office.yaml, six services, two complaints, two wiring checks
    # Warnings do not fail a file: Validasi TKA's steps and each wiring check's (a minute more).
    warned = [line for line in out.splitlines() if not line.startswith("OK ")]
    assert [w.split(":")[0] for w in warned] == [
        "PERINGATAN uji-sambungan.yaml",
        "PERINGATAN validasi-tka.yaml",
        "PERINGATAN uji-sambungan.yaml",
    ]
    assert any(
        line.endswith("kab-pasuruan/ak1 v1, 10 langkah (6 proses), waktu baku proses 10 menit")
        for line in out.splitlines()
    )
    assert any(line.endswith("kantor kota-tangerang, 6 peran") for line in out.splitlines())


def test_check_warns_when_the_steps_take_longer_than_the_published_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Validasi TKA publishes "5 - 10 Menit"; its process steps (2 + 2 + 5 + 5 + 5) take 19."""
    path = OFFICES_DIR / "kab-pasuruan" / "validasi-tka.yaml"
    code, out, err = run(capsys, "check", str(path))
    assert (code, err) == (0, "")
    ok, warning = out.splitlines()
    assert ok.startswith(f"OK {path}:")
    line = path.read_text(encoding="utf-8").splitlines().index("duration: 5 - 10 Menit") + 1
    assert warning == (
        f"PERINGATAN validasi-tka.yaml:{line}: waktu baku langkah-langkah proses berjumlah 19 menit, "
        "lebih dari jangka waktu pelayanan '5 - 10 Menit' (10 menit): lebih 9 menit"
    )
    # A standard whose steps fit its published time says nothing more.
    code, out, _ = run(capsys, "check", str(OFFICES_DIR / "kab-pasuruan" / "ak1.yaml"))
    assert code == 0 and len(out.splitlines()) == 1


def test_check_rejects_a_broken_file_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (OFFICES_DIR / "kab-pasuruan" / "tanda-daftar-bkk.yaml").read_text(encoding="utf-8")
    broken = text.replace("    actors: [kabid]\n", "    actors: [kakil]\n")
    path = tmp_path / "tanda-daftar-bkk.yaml"
    path.write_text(broken, encoding="utf-8")
    good = OFFICES_DIR / "kab-pasuruan" / "ak1.yaml"
    code, out, err = run(capsys, "check", str(path), str(good))
    assert code == 1
    line = broken[: broken.index("actors: [kakil]")].count("\n") + 1
    assert err.splitlines() == [
        f"tanda-daftar-bkk.yaml:{line}: langkah 5: peran 'kakil' tidak dikenal di kantor kab-pasuruan "
        "(peran yang ada: pemohon, kadis, kabid, kasi_penempatan, kasi_perlindungan, pengantar_kerja, "
        "petugas_antar_kerja, staf, staf_perlindungan)"
    ]
    assert out.startswith(f"OK {good}:")


def test_check_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", str(tmp_path / "hilang.yaml"))
    assert code == 1
    assert err.startswith("hilang.yaml:1: berkas tidak terbaca")


def test_asl_calls_the_compiler_lazily(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = types.ModuleType("chalicelib.sop.compiler")
    calls = []

    def compile_service(office: object, service: object) -> dict[str, object]:
        calls.append((office, service))
        return {"StartAt": "Langkah5", "States": {}}

    fake.compile_service = compile_service  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "chalicelib.sop.compiler", fake)
    code, out, _ = run(capsys, "asl", "ak1")
    assert code == 0
    assert json.loads(out) == {"StartAt": "Langkah5", "States": {}}
    [(office, service)] = calls
    assert (office.id, service.id) == ("kab-pasuruan", "ak1")  # type: ignore[attr-defined]


def test_asl_without_compiler_says_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "COMPILER_MODULE", "chalicelib.sop.not_written_yet")
    code, out, err = run(capsys, "asl", "ak1")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "sop asl: modul chalicelib.sop.not_written_yet belum ada (the ASL compiler is not installed yet)"
    ]


def test_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "chalicelib.cli", "sop", "list", "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 10
