"""Office administration pages: accounts and roles, decrees, SOP check, QR poster; who may see them."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import boto3
import pytest
import requests
from chalice.test import Client

from app import app
from chalicelib.adapters.identity import Principal
from chalicelib.adapters.models import Delegation, OfficeEvent, WorkItem
from chalicelib.domain.clock import office_today
from chalicelib.domain.tanggal import tanggal
from chalicelib.errors import LoketError
from chalicelib.services import delegations, work
from chalicelib.staff import labels
from tests.deadlines import SITE_URL
from tests.helpers import Officer

ROOT = Path(__file__).resolve().parents[2]
AK1 = ROOT / "chalicelib" / "sop" / "offices" / "kab-pasuruan" / "ak1.yaml"


@pytest.fixture
def client(aws):
    with Client(app) as c:
        yield c


@pytest.fixture
def admin(client, staff) -> Officer:
    return Officer(client, *staff("kab-pasuruan.admin", "kab-pasuruan.admin"))


def _admin_page(officer: Officer, query: str = "") -> str:
    response = officer.client.http.get(f"/staff/admin{query}", headers={"Cookie": officer.cookie})
    assert response.status_code == 200, response.body
    return str(response.body.decode())


def _post(officer: Officer, path: str, form: list[tuple[str, str]]) -> object:
    payload = "&".join(f"{k}={requests.utils.quote(v)}" for k, v in form)
    return officer.client.http.post(
        path, headers={"Content-Type": Officer.FORM, "Cookie": officer.cookie}, body=payload
    )


def _upload(officer: Officer, name: str, data: bytes, csrf: str | None = None) -> object:
    boundary = "----loketuji"
    token = officer.csrf() if csrf is None else csrf
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="kantor"\r\n\r\nkab-pasuruan\r\n'.encode(),
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/x-yaml\r\n\r\n"
        ).encode()
        + data
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    return officer.client.http.post(
        "/staff/admin/sop-check",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": officer.cookie},
        body=b"".join(parts),
    )


def _account_form(csrf: str, username: str = "siti", **extra: str) -> list[tuple[str, str]]:
    form = {
        "csrf": csrf,
        "kantor": "kab-pasuruan",
        "username": username,
        "name": "Siti Rahma, S.Kom.",
        "nip": "19850312 201001 2 004",
        "email": "siti@disnaker.pasuruankab.go.id",
        **extra,
    }
    return [*form.items(), ("roles", "petugas_antar_kerja"), ("roles", "pengantar_kerja")]


def test_inbox_links_admins_to_the_admin_page(client, staff, admin) -> None:
    assert "/staff/admin" in admin.inbox()
    petugas = Officer(client, *staff("petugas1", "kab-pasuruan.petugas_antar_kerja"))
    assert "/staff/admin" not in petugas.inbox()


def test_admin_creates_an_account_with_roles_and_it_appears(admin, aws) -> None:
    response = _post(admin, "/staff/admin/accounts", _account_form(admin.csrf()))
    assert response.status_code == 303, response.body
    assert "pesan=" in response.headers["Location"]
    cognito = boto3.client("cognito-idp", region_name="ap-southeast-3")
    user = cognito.admin_get_user(UserPoolId=aws["LOKET_STAFF_POOL_ID"], Username="kab-pasuruan.siti")
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert (
        attributes["custom:nip"] == "19850312 201001 2 004" and user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    )
    groups = cognito.admin_list_groups_for_user(
        UserPoolId=aws["LOKET_STAFF_POOL_ID"], Username="kab-pasuruan.siti"
    )["Groups"]
    assert {g["GroupName"] for g in groups} == {
        "kab-pasuruan.petugas_antar_kerja",
        "kab-pasuruan.pengantar_kerja",
    }
    page = _admin_page(admin)
    assert "kab-pasuruan.siti" in page and "Siti Rahma, S.Kom." in page and "19850312 201001 2 004" in page
    log = [e for e in OfficeEvent.query("OFFICE#kab-pasuruan") if isinstance(e, OfficeEvent)]
    assert [(e.action, e.subject, e.actor) for e in log] == [
        ("account_created", "kab-pasuruan.siti", "kab-pasuruan.admin")
    ]
    assert "Akun dibuat" in page


def test_bad_nip_is_refused_and_the_form_keeps_its_values(admin) -> None:
    response = _post(admin, "/staff/admin/accounts", _account_form(admin.csrf(), nip="1985 0312"))
    assert response.status_code == 400
    page = response.body.decode()
    assert "NIP harus 18 angka" in page and 'value="Siti Rahma, S.Kom."' in page


def test_role_added_removed_and_account_disabled(client, admin, staff, aws) -> None:
    staff("kab-pasuruan.budi", "kab-pasuruan.staf")
    csrf = admin.csrf()
    base = [("csrf", csrf), ("kantor", "kab-pasuruan"), ("username", "kab-pasuruan.budi")]
    added = _post(
        admin, "/staff/admin/accounts/roles", [*base, ("role", "kasi_penempatan"), ("change", "add")]
    )
    assert "pesan=" in added.headers["Location"]
    removed = _post(admin, "/staff/admin/accounts/roles", [*base, ("role", "staf"), ("change", "remove")])
    assert "pesan=" in removed.headers["Location"]
    last = _post(
        admin, "/staff/admin/accounts/roles", [*base, ("role", "kasi_penempatan"), ("change", "remove")]
    )
    assert "peran%20terakhir" in last.headers["Location"]
    disabled = _post(admin, "/staff/admin/accounts/status", [*base, ("enabled", "0")])
    assert "pesan=" in disabled.headers["Location"]
    cognito = boto3.client("cognito-idp", region_name="ap-southeast-3")
    user = cognito.admin_get_user(UserPoolId=aws["LOKET_STAFF_POOL_ID"], Username="kab-pasuruan.budi")
    assert user["Enabled"] is False
    actions = [e.action for e in OfficeEvent.query("OFFICE#kab-pasuruan") if isinstance(e, OfficeEvent)]
    assert sorted(actions) == ["disabled", "role_added", "role_removed"]
    myself = _post(
        admin,
        "/staff/admin/accounts/status",
        [("csrf", csrf), ("kantor", "kab-pasuruan"), ("username", "kab-pasuruan.admin"), ("enabled", "0")],
    )
    assert "sendiri" in unquote(myself.headers["Location"])


def test_non_admin_is_refused(client, staff) -> None:
    kadis = Officer(client, *staff("kadis", "kab-pasuruan.kadis"))
    response = client.http.get("/staff/admin", headers={"Cookie": kadis.cookie})
    assert response.status_code == 403 and "hanya untuk admin kantor" in response.body.decode()
    created = _post(kadis, "/staff/admin/accounts", _account_form(kadis.csrf()))
    assert created.status_code == 403
    poster = client.http.get("/staff/admin/poster/ak1", headers={"Cookie": kadis.cookie})
    assert poster.status_code == 403


def test_another_offices_admin_sees_nothing_of_this_office(client, staff, admin) -> None:
    staff("kab-pasuruan.budi", "kab-pasuruan.staf")
    tangerang = Officer(client, *staff("kota-tangerang.admin", "kota-tangerang.admin"))
    own = _admin_page(tangerang)
    assert "kota-tangerang" in own and "kab-pasuruan.budi" not in own
    for path in ("/staff/admin?kantor=kab-pasuruan", "/staff/admin/poster/ak1"):
        response = client.http.get(path, headers={"Cookie": tangerang.cookie})
        assert response.status_code == 404, path
        assert "kab-pasuruan.budi" not in response.body.decode()
    csrf = tangerang.csrf()
    foreign = [
        ("csrf", csrf),
        ("kantor", "kab-pasuruan"),
        ("username", "kab-pasuruan.budi"),
        ("enabled", "0"),
    ]
    assert _post(tangerang, "/staff/admin/accounts/status", foreign).status_code == 404
    own_office = [("csrf", csrf), ("kantor", "kota-tangerang"), ("username", "kab-pasuruan.budi")]
    response = _post(tangerang, "/staff/admin/accounts/status", [*own_office, ("enabled", "0")])
    assert "tidak%20ditemukan" in response.headers["Location"]


def test_missing_csrf_is_refused(admin, aws) -> None:
    form = [(k, v) for k, v in _account_form("") if k != "csrf"]
    response = _post(admin, "/staff/admin/accounts", form)
    assert response.status_code == 303 and "galat=" in response.headers["Location"]
    cognito = boto3.client("cognito-idp", region_name="ap-southeast-3")
    with pytest.raises(cognito.exceptions.UserNotFoundException):
        cognito.admin_get_user(UserPoolId=aws["LOKET_STAFF_POOL_ID"], Username="kab-pasuruan.siti")
    upload = _upload(admin, "ak1.yaml", AK1.read_bytes(), csrf="0" * 40)
    assert upload.status_code == 303 and "galat=" in upload.headers["Location"]


def _decree(csrf: str, delegate: str, start: str, end: str) -> list[tuple[str, str]]:
    return [
        ("csrf", csrf),
        ("kantor", "kab-pasuruan"),
        ("decree", "800/17/424.070/2026"),
        ("from_role", "kadis"),
        ("delegate", delegate),
        ("delegate_role", "kabid"),
        ("kind", "Plh"),
        ("valid_from", start),
        ("valid_to", end),
    ]


def test_decree_is_recorded_and_listed_as_active(client, staff, admin) -> None:
    username, password = staff("kab-pasuruan.kabid1", "kab-pasuruan.kabid")
    today = office_today()
    response = _post(
        admin,
        "/staff/admin/delegations",
        _decree(admin.csrf(), username, today.isoformat(), (today + timedelta(days=3)).isoformat()),
    )
    assert response.status_code == 303 and "pesan=" in response.headers["Location"], response.body
    page = _admin_page(admin)
    assert "800/17/424.070/2026" in page and "Berlaku hari ini" in page
    again = _post(
        admin,
        "/staff/admin/delegations",
        _decree(admin.csrf(), username, today.isoformat(), (today + timedelta(days=3)).isoformat()),
    )
    assert again.status_code == 409 and "sudah dicatat" in again.body.decode()
    kabid = Officer(client, username, password)
    assert "Kepala Dinas Tenaga Kerja" in kabid.inbox()  # the delegate now acts for the Kadis


def test_decree_ending_before_it_starts_is_refused(staff, admin) -> None:
    username, _ = staff("kab-pasuruan.kabid1", "kab-pasuruan.kabid")
    today = office_today()
    response = _post(
        admin,
        "/staff/admin/delegations",
        _decree(admin.csrf(), username, today.isoformat(), (today - timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 400
    assert "Tanggal akhir tidak boleh sebelum tanggal mulai." in response.body.decode()
    assert "Berlaku hari ini" not in _admin_page(admin)


def test_sop_check_ok_for_a_real_file_and_errors_with_lines_for_a_broken_one(admin) -> None:
    good = _upload(admin, "ak1.yaml", AK1.read_bytes())
    page = good.body.decode()
    assert good.status_code == 200 and "OK: ak1.yaml" in page and "kab-pasuruan/ak1" in page
    assert "tidak langsung berlaku" in page
    broken_text = AK1.read_text(encoding="utf-8").replace(
        "actors: [petugas_antar_kerja]", "actors: [kasie]", 1
    )
    assert broken_text != AK1.read_text(encoding="utf-8")
    line = next(n for n, text in enumerate(broken_text.splitlines(), start=1) if "actors: [kasie]" in text)
    bad = _upload(admin, "ak1.yaml", broken_text.encode())
    page = bad.body.decode()
    assert bad.status_code == 422 and f"ak1.yaml:{line}:" in page and "kasie" in page


def test_sop_check_refuses_big_and_non_utf8_files(admin) -> None:
    big = _upload(admin, "ak1.yaml", b"# x\n" * 60_000)
    assert big.status_code == 413 and "terlalu besar" in big.body.decode()
    latin = _upload(admin, "ak1.yaml", "title: Pelatihan Caf\xe9\n".encode("latin-1"))
    assert latin.status_code == 400 and "bukan teks UTF-8" in latin.body.decode()


def test_poster_page_has_an_svg_qr_code_and_the_form_url(client, admin) -> None:
    response = client.http.get("/staff/admin/poster/ak1", headers={"Cookie": admin.cookie})
    assert response.status_code == 200
    page = response.body.decode()
    url = f"{SITE_URL}/ajukan.html?kantor=kab-pasuruan&amp;layanan=ak1"
    assert "<svg" in page and url in page and "data-print" in page  # staff.js prints it
    sheet = re.search(r'href="(/staff/assets/poster\.css\?v=\w+)"', page)
    assert sheet and "@media print" in client.http.get(sheet.group(1)).body.decode()
    assert "PEMERINTAH" in page.upper() and "Cara mengajukan" in page
    assert "<svg" in _admin_page(admin)


def test_a_service_not_public_has_no_poster(client, admin) -> None:
    """The wiring check (`public: false` in its SOP) is neither on the admin page's QR list nor
    printable as a poster, though its SOP file is this office's like any other."""
    assert "layanan=uji-sambungan" not in _admin_page(admin)
    assert "layanan=ak1" in _admin_page(admin)
    response = client.http.get("/staff/admin/poster/uji-sambungan", headers={"Cookie": admin.cookie})
    assert response.status_code == 404


def _pasuruan_decree(delegate: str, start: int, end: int) -> Delegation:
    today = office_today()
    return delegations.record(
        "kab-pasuruan",
        "kadis",
        delegate,
        "Plh",
        "800/21/424.070/2026",
        today + timedelta(days=start),
        today + timedelta(days=end),
        "kab-pasuruan.admin",
        delegate_role="kabid",
    )


def _end(officer: Officer, key: str, last_day: str, reason: str = "Kepala Dinas kembali bertugas", **extra):  # type: ignore[no-untyped-def]
    form = {
        "csrf": officer.csrf(),
        "kantor": "kab-pasuruan",
        "key": key,
        "last_day": last_day,
        "reason": reason,
    }
    return _post(officer, "/staff/admin/delegations/end", list({**form, **extra}.items()))


def _ended_log() -> list[OfficeEvent]:
    events = OfficeEvent.query("OFFICE#kab-pasuruan")
    return [e for e in events if isinstance(e, OfficeEvent) and e.action == "decree_ended"]


def test_ending_a_decree_stops_the_delegate_signing_for_the_role(client, staff, admin) -> None:
    username, password = staff("kab-pasuruan.kabid1", "kab-pasuruan.kabid")
    decree = _pasuruan_decree(username, -3, 5)
    kabid = Principal("sub", username, ("kab-pasuruan.kabid",))
    signing = WorkItem("CASE#x", "WORK#14#t", office="kab-pasuruan", role="kadis")
    assert work.authority(kabid, signing, None).decree == "800/21/424.070/2026"
    page = _admin_page(admin)
    assert "Akhiri" in page and "Berlaku terakhir pada tanggal" in page
    assert f'value="{office_today().isoformat()}"' in page  # today by default

    yesterday = (office_today() - timedelta(days=1)).isoformat()
    response = _end(admin, decree.SK, yesterday)
    assert response.status_code == 303 and "pesan=" in response.headers["Location"], response.body
    assert delegations.active_for("kab-pasuruan", username) == []
    kabid = Principal("sub", username, ("kab-pasuruan.kabid",))  # a new request: its decrees read again
    with pytest.raises(LoketError):
        work.authority(kabid, signing, None)
    assert "Kepala Dinas Tenaga Kerja" not in Officer(client, username, password).inbox()
    stored = Delegation.get(decree.PK, decree.SK)
    original_end = (office_today() + timedelta(days=5)).isoformat()
    assert (stored.valid_to, stored.planned_valid_to, stored.ended_by) == (
        yesterday,
        original_end,
        "kab-pasuruan.admin",
    )
    (event,) = _ended_log()
    assert (event.actor, event.subject) == ("kab-pasuruan.admin", "800/21/424.070/2026")
    assert event.details == {
        "delegate": username,
        "old_valid_to": original_end,
        "new_valid_to": yesterday,
        "reason": "Kepala Dinas kembali bertugas",
    }
    again = _end(admin, decree.SK, yesterday)
    assert "tidak%20ada%20yang%20diubah" in again.headers["Location"]
    assert len(_ended_log()) == 1
    page = _admin_page(admin)
    assert "SK pendelegasian diakhiri" in page and f"semula s.d. {tanggal(original_end)}" in page
    assert f"semula s.d. {original_end}" not in page  # days read as people write them


def test_ending_a_decree_with_a_bad_date_is_refused_and_the_form_kept(staff, admin) -> None:
    username, _ = staff("kab-pasuruan.kabid1", "kab-pasuruan.kabid")
    decree = _pasuruan_decree(username, 2, 6)  # not in force yet
    after = (office_today() + timedelta(days=7)).isoformat()
    response = _end(admin, decree.SK, after, reason="SK dibatalkan Bupati")
    page = response.body.decode()
    assert response.status_code == 400 and "tidak boleh sesudah" in page
    assert (
        'value="SK dibatalkan Bupati"' in page
        and f'value="{after}"' in page
        and '<details class="change" open>' in page
    )
    before = (office_today() + timedelta(days=1)).isoformat()
    refused = _end(admin, decree.SK, before)
    assert refused.status_code == 400 and "sebelum SK mulai berlaku" in refused.body.decode()
    no_reason = _end(admin, decree.SK, (office_today() + timedelta(days=3)).isoformat(), reason=" ")
    assert no_reason.status_code == 400 and "alasannya" in no_reason.body.decode()
    stale = _end(admin, decree.SK, (office_today() + timedelta(days=3)).isoformat(), csrf="0" * 40)
    assert stale.status_code == 303 and "galat=" in stale.headers["Location"]
    assert Delegation.get(decree.PK, decree.SK).valid_to == (office_today() + timedelta(days=6)).isoformat()
    assert _ended_log() == []


def test_another_offices_admin_cannot_end_a_decree(client, staff, admin) -> None:
    username, _ = staff("kab-pasuruan.kabid1", "kab-pasuruan.kabid")
    decree = _pasuruan_decree(username, -1, 5)
    tangerang = Officer(client, *staff("kota-tangerang.admin", "kota-tangerang.admin"))
    today = office_today().isoformat()
    assert _end(tangerang, decree.SK, today).status_code == 404
    assert _end(tangerang, decree.SK, today, kantor="kota-tangerang").status_code == 404
    assert Delegation.get(decree.PK, decree.SK).valid_to == (office_today() + timedelta(days=5)).isoformat()
    assert len(delegations.active_for("kab-pasuruan", username)) == 1


def _kept_keys(aws, service: str = "ak1") -> list[str]:  # type: ignore[no-untyped-def]
    s3 = boto3.client("s3", region_name="ap-southeast-3")
    listed = s3.list_objects_v2(Bucket=aws["LOKET_DOCUMENTS_BUCKET"], Prefix=f"sop/kab-pasuruan/{service}/")
    return [item["Key"] for item in listed.get("Contents", [])]


def _kept_log() -> list[OfficeEvent]:
    events = OfficeEvent.query("OFFICE#kab-pasuruan")
    return [e for e in events if isinstance(e, OfficeEvent) and e.action == "sop_kept"]


def test_a_passing_sop_file_is_kept_once_encrypted_and_listed_newest_first(admin, aws) -> None:
    first = AK1.read_bytes()
    sha = hashlib.sha256(first).hexdigest()
    response = _upload(admin, "ak1.yaml", first)
    assert response.status_code == 200 and "Disimpan sebagai versi" in response.body.decode()
    (key,) = _kept_keys(aws)
    assert re.fullmatch(rf"sop/kab-pasuruan/ak1/\d{{8}}T\d{{9}}Z-{sha[:16]}\.yaml", key), key
    s3 = boto3.client("s3", region_name="ap-southeast-3")
    head = s3.head_object(Bucket=aws["LOKET_DOCUMENTS_BUCKET"], Key=key)
    assert head["ServerSideEncryption"] == "AES256" and head["ContentLength"] == len(first)
    again = _upload(admin, "ak1.yaml", first)
    assert again.status_code == 200 and "tidak disimpan dua kali" in again.body.decode()
    assert _kept_keys(aws) == [key] and len(_kept_log()) == 1
    (event,) = _kept_log()
    assert (event.actor, event.subject, event.details["service"], event.details["sha256"]) == (
        "kab-pasuruan.admin",
        "ak1.yaml",
        "ak1",
        sha[:16],
    )
    second = first + b"# revisi: waktu baku diperiksa ulang\n"
    assert _upload(admin, "ak1.yaml", second).status_code == 200
    assert len(_kept_keys(aws)) == 2
    page = _admin_page(admin)
    newer = hashlib.sha256(second).hexdigest()[:12]
    assert "Versi tersimpan" in page and page.index(newer) < page.index(sha[:12])
    assert "sop pull --office kab-pasuruan --service ak1" in page and "tidak langsung berlaku" in page


def test_a_kept_sop_file_downloads_only_for_this_offices_admin(client, staff, admin, aws) -> None:
    data = AK1.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    _upload(admin, "ak1.yaml", data)
    path = f"/staff/admin/sop-file/ak1/{sha}"
    mine = client.http.get(f"{path}?kantor=kab-pasuruan", headers={"Cookie": admin.cookie})
    assert mine.status_code == 200 and mine.body == data
    assert (
        mine.headers["Content-Disposition"] == "attachment; filename=\"ak1.yaml\"; filename*=UTF-8''ak1.yaml"
    )
    assert mine.headers["X-Content-Type-Options"] == "nosniff"
    assert f'href="/staff/admin/sop-file/ak1/{sha}?kantor=kab-pasuruan"' in _admin_page(admin)
    tangerang = Officer(client, *staff("kota-tangerang.admin", "kota-tangerang.admin"))
    for query in ("?kantor=kab-pasuruan", "?kantor=kota-tangerang", ""):
        response = client.http.get(path + query, headers={"Cookie": tangerang.cookie})
        assert response.status_code == 404 and b"steps:" not in response.body, query
    kadis = Officer(client, *staff("kab-pasuruan.kadis", "kab-pasuruan.kadis"))
    assert client.http.get(path, headers={"Cookie": kadis.cookie}).status_code == 403
    assert client.http.get(path).status_code == 303  # not signed in: the sign-in page


def test_a_failing_or_foreign_sop_file_is_not_kept(admin, aws) -> None:
    text = AK1.read_text(encoding="utf-8")
    broken = _upload(
        admin, "ak1.yaml", text.replace("actors: [petugas_antar_kerja]", "actors: [kasie]", 1).encode()
    )
    assert broken.status_code == 422 and "tidak disimpan" in broken.body.decode()
    new_service = _upload(admin, "ak2.yaml", text.replace("\nid: ak1\n", "\nid: ak2\n", 1).encode())
    page = new_service.body.decode()
    assert new_service.status_code == 422 and "bukan layanan kantor ini" in page
    tangerang = ROOT / "chalicelib" / "sop" / "offices" / "kota-tangerang" / "id-rekomendasi-paspor-cpmi.yaml"
    foreign = _upload(admin, tangerang.name, tangerang.read_bytes())
    assert foreign.status_code == 422
    assert _kept_keys(aws) == [] and _kept_keys(aws, "ak2") == [] and _kept_log() == []
    assert "Belum ada versi tersimpan." in _admin_page(admin)


def test_admin_records_and_ends_an_officials_absence(admin) -> None:
    """The "Pejabat berhalangan" section (ADR 0022): recorded with its days, shown, logged and
    ended; a wrong date order is refused in Indonesian with the form kept."""
    from chalicelib.domain.clock import office_today
    from chalicelib.services import absences

    today = office_today().isoformat()
    form = [
        ("csrf", admin.csrf()),
        ("kantor", "kab-pasuruan"),
        ("role", "kasi_perlindungan"),
        ("reason", "cuti"),
        ("valid_from", today),
        ("valid_to", "2000-01-01"),
        ("note", "Surat cuti 850/12"),
    ]
    refused = _post(admin, "/staff/admin/absences", form)
    assert refused.status_code == 400
    assert "Tanggal akhir tidak boleh sebelum tanggal mulai" in refused.body.decode()
    form[5] = ("valid_to", today)
    recorded = _post(admin, "/staff/admin/absences", form)
    assert recorded.status_code == 303 and "berhalangan" in recorded.headers["Location"]
    away = absences.current("kab-pasuruan", "kasi_perlindungan")
    assert away is not None and away.reason == "cuti" and away.note == "Surat cuti 850/12"
    page = _admin_page(admin)
    section = page.split('id="berhalangan"')[1].split("</section>")[0]
    kasi = labels.role_label("kab-pasuruan", "kasi_perlindungan")
    assert kasi in section and "Berlaku hari ini" in section
    assert "Pejabat berhalangan dicatat" in page
    ended = _post(
        admin,
        "/staff/admin/absences/end",
        [("csrf", admin.csrf()), ("kantor", "kab-pasuruan"), ("key", f"kasi_perlindungan#{away.absence_id}")],
    )
    assert ended.status_code == 303
    assert absences.current("kab-pasuruan", "kasi_perlindungan") is None


def _visible(html_text: str) -> str:
    """The text a person reads: tags (and the ids in their attributes) left out."""
    return re.sub(r"<[^>]+>", " ", html_text)


def test_the_absence_section_and_the_log_read_role_labels_and_indonesian_dates(admin) -> None:
    """Issue 14's probe: role ids and ISO dates in "Pejabat berhalangan", its messages and the
    office log. A not-yet-started absence is "Batalkan"-ed, and stays listed as cancelled; an
    ended one stays listed as ended for the year."""
    from datetime import timedelta

    from chalicelib.domain.clock import office_today
    from chalicelib.domain.tanggal import tanggal
    from chalicelib.services import absences

    today = office_today()
    later = today + timedelta(days=3)
    kasi = labels.role_label("kab-pasuruan", "kasi_perlindungan")
    form = [
        ("csrf", admin.csrf()),
        ("kantor", "kab-pasuruan"),
        ("role", "kasi_perlindungan"),
        ("reason", "cuti"),
        ("valid_from", later.isoformat()),
        ("valid_to", later.isoformat()),
        ("note", ""),
    ]
    recorded = _post(admin, "/staff/admin/absences", form)
    said = unquote(recorded.headers["Location"])  # type: ignore[attr-defined]
    assert kasi in said and "kasi_perlindungan" not in said and later.isoformat() not in said
    section = _admin_page(admin).split('id="berhalangan"')[1].split("</section>")[0]
    shown = _visible(section)
    assert kasi in shown and "kasi_perlindungan" not in shown and later.isoformat() not in shown
    assert tanggal(later) in shown and "Belum berlaku" in shown
    assert "Batalkan" in shown and "Akhiri mulai hari ini" not in shown  # it has not begun
    (away,) = [a for a, _ in absences.of_office("kab-pasuruan")]
    cancelled = _post(
        admin,
        "/staff/admin/absences/end",
        [("csrf", admin.csrf()), ("kantor", "kab-pasuruan"), ("key", f"kasi_perlindungan#{away.absence_id}")],
    )
    said = unquote(cancelled.headers["Location"])  # type: ignore[attr-defined]
    assert "dibatalkan" in said and kasi in said
    page = _admin_page(admin)
    admin_section = _visible(page.split('id="berhalangan"')[1].split("</section>")[0])
    assert "Dibatalkan" in admin_section and tanggal(later) in admin_section  # still listed
    assert "Batalkan" not in admin_section.replace("Dibatalkan", "")
    # The office log: labels and dates, never ids or ISO days.
    log = _visible(page.split('id="log"')[1].split("</section>")[0])
    assert "Catatan berhalangan dibatalkan" in log and "Pejabat berhalangan dicatat" in log
    assert kasi in log and tanggal(later) in log
    assert "kasi_perlindungan" not in log and later.isoformat() not in log
    # The same days again may now be recorded (the cancelled one no longer counts).
    assert _post(admin, "/staff/admin/absences", form).status_code == 303  # type: ignore[attr-defined]
    assert absences.current("kab-pasuruan", "kasi_perlindungan", later) is not None


def test_the_same_absence_sent_twice_is_one_record_and_an_overlapping_one_is_refused(admin) -> None:
    """Issue 14's probe: a double submit made duplicate absences. The same form again (even two
    at once) is one record and one office log line; other days that overlap a recorded absence
    of the same role are refused in Indonesian, naming the absence already there."""
    import threading
    from datetime import timedelta

    from chalicelib.domain.clock import office_today
    from chalicelib.services import absences

    today = office_today()
    form = [
        ("csrf", admin.csrf()),
        ("kantor", "kab-pasuruan"),
        ("role", "kasi_perlindungan"),
        ("reason", "dinas_luar"),
        ("valid_from", today.isoformat()),
        ("valid_to", (today + timedelta(days=2)).isoformat()),
        ("note", ""),
    ]
    answers: list[object] = []
    threads = [threading.Thread(target=lambda: answers.append(_post(admin, "/staff/admin/absences", form)))]
    threads.append(
        threading.Thread(target=lambda: answers.append(_post(admin, "/staff/admin/absences", form)))
    )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    again = _post(admin, "/staff/admin/absences", form)  # and once more, later
    assert [a.status_code for a in [*answers, again]] == [303, 303, 303]  # type: ignore[attr-defined]
    kept = [a for a, _ in absences.of_office("kab-pasuruan") if a.role == "kasi_perlindungan"]
    assert len(kept) == 1
    logged = [
        e
        for e in OfficeEvent.query("OFFICE#kab-pasuruan")
        if isinstance(e, OfficeEvent) and e.action == "absence"
    ]
    assert len(logged) == 1

    # Other days that overlap it: refused, the form kept, nothing written.
    form[3] = ("reason", "cuti")
    form[4] = ("valid_from", (today + timedelta(days=1)).isoformat())
    form[5] = ("valid_to", (today + timedelta(days=5)).isoformat())
    refused = _post(admin, "/staff/admin/absences", form)
    assert refused.status_code == 400  # type: ignore[attr-defined]
    said = refused.body.decode()  # type: ignore[attr-defined]
    assert "sudah dicatat berhalangan pada hari-hari itu" in said and "dinas luar" in said
    assert len([a for a, _ in absences.of_office("kab-pasuruan") if a.role == "kasi_perlindungan"]) == 1
    # Days after it, or another role on the same days, are recorded.
    form[4] = ("valid_from", (today + timedelta(days=3)).isoformat())
    assert _post(admin, "/staff/admin/absences", form).status_code == 303  # type: ignore[attr-defined]
    form[2] = ("role", "kabid")
    form[4] = ("valid_from", today.isoformat())
    assert _post(admin, "/staff/admin/absences", form).status_code == 303  # type: ignore[attr-defined]
