"""`python -m chalicelib.cli sop pull`: a version an administrator kept on the admin page, into
the package (S3 in moto, so it is an integration test; the other `sop` commands are in tests/unit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chalicelib import cli
from chalicelib.sop.loader import OFFICES_DIR


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["sop", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _keep(data: bytes, name: str = "ak1.yaml") -> str:
    from chalicelib.adapters.identity import Principal
    from chalicelib.services.administration import sop_files

    who = Principal("sub", "kab-pasuruan.admin", ("kab-pasuruan.admin",))
    kept = sop_files.keep_sop(who, "kab-pasuruan", name, data)
    assert kept.ok and kept.kept is not None, kept.issues
    return kept.kept.sha256


AK1 = OFFICES_DIR / "kab-pasuruan" / "ak1.yaml"


def test_pull_writes_the_newest_kept_version_and_checks_it(
    aws: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    older = AK1.read_bytes() + b"# versi 1\n"
    newer = AK1.read_bytes() + b"# versi 2\n"
    first = _keep(older)
    _keep(newer)
    bucket = aws["LOKET_DOCUMENTS_BUCKET"]
    path, key, summary = cli.pull_sop("kab-pasuruan", "ak1", bucket, root=tmp_path)
    assert path == tmp_path / "kab-pasuruan" / "ak1.yaml" and path.read_bytes() == newer
    assert key.startswith("sop/kab-pasuruan/ak1/") and summary.startswith("kab-pasuruan/ak1 v")
    path, _, _ = cli.pull_sop("kab-pasuruan", "ak1", bucket, sha=first[:12], root=tmp_path)
    assert path.read_bytes() == older
    monkeypatch.setattr(cli, "OFFICES_DIR", tmp_path)
    code, out, _ = run(capsys, "pull", "--office", "kab-pasuruan", "--service", "ak1", "--bucket", bucket)
    assert code == 0 and path.read_bytes() == newer
    assert f"OK {path}: kab-pasuruan/ak1 v" in out and "deploy" in out


def test_pull_keeps_the_package_file_when_the_kept_version_fails_or_is_missing(
    aws: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import hashlib

    import boto3

    from chalicelib.adapters.storage import sop_key
    from chalicelib.domain.clock import now

    bucket = aws["LOKET_DOCUMENTS_BUCKET"]
    with pytest.raises(cli.SopNotFound, match="belum ada versi"):
        cli.pull_sop("kab-pasuruan", "ak1", bucket, root=tmp_path)
    target = tmp_path / "kab-pasuruan" / "ak1.yaml"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"# the packaged file\n")
    # A version that passed then but fails now (written straight to S3, as a changed office would make it).
    broken = (
        AK1.read_text(encoding="utf-8")
        .replace("actors: [petugas_antar_kerja]", "actors: [kasie]", 1)
        .encode()
    )
    key = sop_key("kab-pasuruan", "ak1", hashlib.sha256(broken).hexdigest(), now())
    boto3.client("s3", region_name="ap-southeast-3").put_object(Bucket=bucket, Key=key, Body=broken)
    with pytest.raises(cli.SopError, match="kasie"):
        cli.pull_sop("kab-pasuruan", "ak1", bucket, root=tmp_path)
    assert target.read_bytes() == b"# the packaged file\n"
    assert run(capsys, "pull", "--office", "kab-pasuruan", "--service", "ak9", "--bucket", bucket)[0] == 1
