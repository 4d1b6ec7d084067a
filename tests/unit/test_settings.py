"""Settings: a missing or wrong setting is one clear line, never a traceback deep in a handler."""

from __future__ import annotations

import pytest

from chalicelib.settings import ConfigError, settings_from_env
from tests.deadlines import SLACK_SECONDS

COMPLETE = {
    "LOKET_TABLE": "t",
    "LOKET_UPLOADS_BUCKET": "u",
    "LOKET_DOCUMENTS_BUCKET": "d",
    "LOKET_WORKER_QUEUE_URL": "http://q",
    "LOKET_NOTICE_QUEUE_URL": "http://n",
    "LOKET_STATE_MACHINE_PREFIX": "arn:aws:states:ap-southeast-3:1:stateMachine:loket-",
    "LOKET_STAFF_POOL_ID": "p1",
    "LOKET_STAFF_CLIENT_ID": "c1",
    "LOKET_APPLICANT_POOL_ID": "p2",
    "LOKET_APPLICANT_CLIENT_ID": "c2",
    "LOKET_MAIL_SENDER": "no-reply@x.go.id",
    "LOKET_PUBLIC_SITE_URL": "https://x.go.id",
    "AWS_REGION": "ap-southeast-3",
}


def test_complete_environment_reads() -> None:
    settings = settings_from_env(dict(COMPLETE, LOKET_TIME_SCALE="0.5"))
    assert settings.time_scale == 0.5
    assert settings.state_machine_arn("ak1").endswith(":stateMachine:loket-ak1")
    assert (
        settings.jwks_url("p1") == "https://cognito-idp.ap-southeast-3.amazonaws.com/p1/.well-known/jwks.json"
    )


@pytest.mark.parametrize("missing", sorted(k for k in COMPLETE if k.startswith("LOKET_")))
def test_missing_setting_names_the_variable(missing: str) -> None:
    env = {k: v for k, v in COMPLETE.items() if k != missing}
    with pytest.raises(ConfigError) as caught:
        settings_from_env(env)
    message = str(caught.value)
    assert missing in message and "\n" not in message


def test_wrong_number_is_one_line() -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from_env(dict(COMPLETE, LOKET_TIME_SCALE="cepat"))
    assert "\n" not in str(caught.value)


def test_uploads_are_scanned_by_guardduty_unless_the_stand_in_is_asked_for() -> None:
    assert settings_from_env(dict(COMPLETE)).malware_scanner == "guardduty"
    assert settings_from_env(dict(COMPLETE, LOKET_MALWARE_SCANNER="stand-in")).malware_scanner == "stand-in"
    with pytest.raises(ConfigError) as caught:
        settings_from_env(dict(COMPLETE, LOKET_MALWARE_SCANNER="clamav"))
    assert "\n" not in str(caught.value)


def test_the_eicar_only_stand_in_scanner_is_refused_in_a_deployed_lambda() -> None:
    deployed = dict(COMPLETE, LOKET_MALWARE_SCANNER="stand-in", AWS_LAMBDA_FUNCTION_NAME="loket-prod")
    with pytest.raises(ConfigError) as caught:
        settings_from_env(deployed)
    assert "LOKET_MALWARE_SCANNER" in str(caught.value) and "loket-prod" in str(caught.value)
    assert settings_from_env(dict(deployed, LOKET_MALWARE_SCANNER="guardduty")).malware_scanner == "guardduty"


def test_worker_timeout_lease_and_visibility_agree() -> None:
    """The worker's timeout (settings) is the deployed one; an effect's lease outlives it; the
    queue's visibility timeout outlives the lease, so a redelivery after a crash finds it over."""
    import json
    from pathlib import Path

    import yaml

    from chalicelib.adapters.effects import LEASE_SECONDS
    from chalicelib.settings import WORKER_TIMEOUT_SECONDS

    root = Path(__file__).resolve().parents[2]
    config = json.loads((root / ".chalice" / "config.json").read_text(encoding="utf-8"))
    worker = config["stages"]["prod"]["lambda_functions"]["worker"]
    assert worker["lambda_timeout"] == WORKER_TIMEOUT_SECONDS
    template = yaml.safe_load((root / "infra" / "base.yaml").read_text(encoding="utf-8"))
    visibility = int(template["Resources"]["WorkerQueue"]["Properties"]["VisibilityTimeout"])
    assert WORKER_TIMEOUT_SECONDS < LEASE_SECONDS < visibility


def test_a_decisions_send_lease_outlives_the_api_function() -> None:
    """A re-send may take a kept decision over once the request that took it has surely ended:
    the lease (and the desk's settling time) outlives the API function's timeout twice over."""
    import json
    from pathlib import Path

    from chalicelib.services.delivery import SEND_LEASE_SECONDS

    root = Path(__file__).resolve().parents[2]
    config = json.loads((root / ".chalice" / "config.json").read_text(encoding="utf-8"))
    api = {**config, **config["stages"]["prod"]}
    api.update(config["stages"]["prod"].get("lambda_functions", {}).get("api_handler", {}))
    timeout = int(api["lambda_timeout"])
    assert timeout * 2 <= SEND_LEASE_SECONDS


def test_settings_read_from_an_environment_since_reset_are_never_kept(monkeypatch) -> None:
    """A thread still reading the old environment when `reset_settings` runs (a request an
    earlier test's server was answering) gets its settings, but they are not cached for others:
    a digest test once got the moto stack's LOKET_TIME_SCALE (0.01) this way."""
    import threading

    from chalicelib import settings as module

    for key, value in COMPLETE.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("LOKET_TIME_SCALE", "0.01")
    module.reset_settings()
    reading, go_on = threading.Event(), threading.Event()
    real = module.settings_from_env

    def slow(env=None):
        read = real(env)  # the old environment, read now
        reading.set()
        go_on.wait(timeout=SLACK_SECONDS)
        return read

    monkeypatch.setattr(module, "settings_from_env", slow)
    seen: list[float] = []
    old_reader = threading.Thread(target=lambda: seen.append(module.get_settings().time_scale))
    old_reader.start()
    assert reading.wait(timeout=SLACK_SECONDS)
    monkeypatch.setattr(module, "settings_from_env", real)
    monkeypatch.delenv("LOKET_TIME_SCALE")
    module.reset_settings()
    go_on.set()
    old_reader.join(timeout=SLACK_SECONDS)
    assert seen == [0.01]  # its own answer
    assert module.get_settings().time_scale == 60.0  # not kept: the new environment's
    module.reset_settings()


def test_a_stray_setting_of_another_test_does_not_reach_the_fakes(monkeypatch) -> None:
    """`tests.fakes.install` gives a test only its own settings (ENV): a LOKET_* variable some
    earlier test or stack left in the environment is hidden while it runs and restored after."""
    from chalicelib.settings import get_settings
    from tests.fakes import install

    monkeypatch.setenv("LOKET_TIME_SCALE", "0.01")
    with install():
        assert get_settings().time_scale == 60.0
    import os

    assert os.environ["LOKET_TIME_SCALE"] == "0.01"
