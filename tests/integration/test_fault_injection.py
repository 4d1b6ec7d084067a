"""Fault injection (adapters/faults.py): the setting's rules, its refusal in a deployed stage, and
AWS's answers as botocore reads them. No AWS and no moto: every attempt here is answered by the
injector itself (rate 1), so nothing is ever sent. It lives in tests/integration because
botocore builds each request as if to send it, which tests/unit's guard refuses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ReadTimeoutError

from chalicelib.adapters import faults
from chalicelib.settings import ConfigError, settings_from_env
from tests.unit.test_settings import COMPLETE

ROOT = Path(__file__).resolve().parents[2]


def test_rules_are_read_and_a_service_rule_replaces_the_star_rule_of_its_kind() -> None:
    rules = faults.parse(" *:throttle:0.1, dynamodb:5xx:0.05,s3:timeout:0.05,dynamodb:throttle:0.2 ")
    assert faults.rates_for(rules, "dynamodb") == {"throttle": 0.2, "5xx": 0.05}
    assert faults.rates_for(rules, "s3") == {"throttle": 0.1, "timeout": 0.05}
    assert faults.rates_for(rules, "ses") == {"throttle": 0.1}
    assert faults.parse("") == () and faults.parse(" , ") == ()


@pytest.mark.parametrize(
    ("spec", "names"),
    [
        ("dynamodb:throttle", "<service>:<kind>:<rate>"),
        ("dynamodb:slow:0.1", "throttle, 5xx, timeout"),
        ("dynamodb:5xx:1.5", "from 0 to 1"),
        ("dynamodb:5xx:banyak", "from 0 to 1"),
        ("DynamoDB!:5xx:0.1", "botocore name"),
        ("s3:5xx:0.1,s3:5xx:0.2", "given twice"),
        ("*:throttle:0.6,*:5xx:0.5", "more than 1"),
        ("*:throttle:0.5,sqs:5xx:0.4,sqs:timeout:0.2", "sqs add up to"),
    ],
)
def test_a_bad_rule_is_one_line_naming_it(spec: str, names: str) -> None:
    with pytest.raises(ConfigError) as caught:
        faults.parse(spec)
    message = str(caught.value)
    assert names in message and message.startswith("LOKET_FAULTS") and "\n" not in message


def test_the_environment_asks_for_faults_with_a_seed() -> None:
    assert faults.from_env({}) is None and faults.from_env({"LOKET_FAULTS": " "}) is None
    injector = faults.from_env({"LOKET_FAULTS": "*:throttle:0.2", "LOKET_FAULTS_SEED": "7"})
    assert injector is not None and injector.seed == 7
    with pytest.raises(ConfigError, match="LOKET_FAULTS_SEED"):
        faults.from_env({"LOKET_FAULTS": "*:throttle:0.2", "LOKET_FAULTS_SEED": "tujuh"})


def test_a_deployed_lambda_refuses_the_setting_and_so_does_its_health() -> None:
    deployed = {"LOKET_FAULTS": "*:throttle:0.2", "AWS_LAMBDA_FUNCTION_NAME": "loket-dev-APIHandler"}
    with pytest.raises(ConfigError) as caught:
        faults.from_env(deployed)
    assert "local stack and tests only" in str(caught.value) and "loket-dev-APIHandler" in str(caught.value)
    with pytest.raises(ConfigError, match="LOKET_FAULTS"):
        settings_from_env({**COMPLETE, **deployed})  # /health reads the settings: it answers 503
    # Chalice sets AWS_EXECUTION_ENV wherever app.py is imported; only the Lambda runtime's name counts.
    local = {**COMPLETE, "LOKET_FAULTS": "*:throttle:0.2", "AWS_EXECUTION_ENV": "AWS_Lambda aws-chalice/1"}
    assert settings_from_env(local).table_name == "t"


def test_no_deployed_stage_sets_faults() -> None:
    from infra.build import LAMBDA_ENVIRONMENT

    assert not any(name.startswith("LOKET_FAULTS") for name in LAMBDA_ENVIRONMENT)
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    stages = [config, *config["stages"].values()]
    assert not any("LOKET_FAULTS" in str(stage.get("environment_variables", {})) for stage in stages)


def test_draws_follow_the_rates_and_a_seed_repeats_them() -> None:
    rules = faults.parse("*:throttle:0.2,*:5xx:0.1")
    first, second = faults.Injector(rules, seed=11), faults.Injector(rules, seed=11)
    draws = [first.draw("dynamodb") for _ in range(20000)]
    assert draws == [second.draw("dynamodb") for _ in range(20000)]
    assert 0.18 < draws.count("throttle") / len(draws) < 0.22
    assert 0.08 < draws.count("5xx") / len(draws) < 0.12
    assert draws.count("timeout") == 0


@pytest.fixture
def every_attempt_fails(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Clients made in this test get faults on every attempt, and botocore does not wait between
    them (its backoff's waits, not its decisions, are cut)."""
    from botocore.retries.standard import ExponentialBackoff

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    yield
    faults.install(None)
    faults.reset()


def _client(service: str) -> object:
    config = Config(retries={"max_attempts": 5, "mode": "standard"})
    made = boto3.session.Session().client(service, region_name="ap-southeast-3", config=config)  # type: ignore[call-overload]
    faults.attach(made)
    return made


CALLS = {
    "dynamodb": lambda c: c.get_item(TableName="t", Key={"PK": {"S": "x"}}),
    "s3": lambda c: c.get_object(Bucket="b", Key="k"),
    "sqs": lambda c: c.send_message(QueueUrl="https://sqs.ap-southeast-3.amazonaws.com/1/q", MessageBody="x"),
    "stepfunctions": lambda c: c.send_task_success(taskToken="t", output="{}"),
    "ses": lambda c: c.send_raw_email(RawMessage={"Data": b"x"}),
    "cognito-idp": lambda c: c.initiate_auth(ClientId="c", AuthFlow="USER_PASSWORD_AUTH"),
}


@pytest.mark.parametrize(
    ("service", "code", "status"),
    [
        ("dynamodb", "ProvisionedThroughputExceededException", 400),
        ("s3", "SlowDown", 503),
        ("sqs", "ThrottlingException", 400),
        ("stepfunctions", "ThrottlingException", 400),
        ("ses", "Throttling", 400),
        ("cognito-idp", "TooManyRequestsException", 400),
    ],
)
def test_a_throttled_service_answers_in_its_protocol_and_botocore_retries(
    every_attempt_fails: None, service: str, code: str, status: int
) -> None:
    injector = faults.Injector(faults.parse(f"{service}:throttle:1"), seed=1)
    faults.install(injector)
    with pytest.raises(ClientError) as caught:
        CALLS[service](_client(service))
    answer = caught.value.response
    assert (answer["Error"]["Code"], answer["ResponseMetadata"]["HTTPStatusCode"]) == (code, status)
    assert answer["ResponseMetadata"]["RetryAttempts"] == 5
    assert injector.attempts[service] == 6 and injector.retries[service] == 5
    assert injector.injected[(service, "throttle")] == 6


@pytest.mark.parametrize(
    ("service", "code"),
    [("dynamodb", "InternalServerError"), ("s3", "InternalError"), ("ses", "InternalFailure")],
)
def test_a_failing_service_answers_500_and_botocore_retries(
    every_attempt_fails: None, service: str, code: str
) -> None:
    faults.install(faults.Injector(faults.parse("*:5xx:1"), seed=1))
    with pytest.raises(ClientError) as caught:
        CALLS[service](_client(service))
    answer = caught.value.response
    assert (answer["Error"]["Code"], answer["ResponseMetadata"]["HTTPStatusCode"]) == (code, 500)
    assert answer["ResponseMetadata"]["RetryAttempts"] == 5


def test_a_timeout_is_botocores_read_timeout_retried(every_attempt_fails: None) -> None:
    injector = faults.Injector(faults.parse("sqs:timeout:1"), seed=1)
    faults.install(injector)
    with pytest.raises(ReadTimeoutError):
        CALLS["sqs"](_client("sqs"))
    assert injector.attempts["sqs"] == 6 and injector.retries["sqs"] == 5


def test_an_attempt_without_a_fault_goes_to_the_handlers_it_took_over() -> None:
    """In-process moto answers from a built-in `before-send` handler: on an attached client it is
    called by the injector, and only for an attempt that draws no fault."""
    injector = faults.Injector(faults.parse("dynamodb:throttle:0.5"), seed=3)
    seen: list[str] = []

    def moto_like(request: object, **_: object) -> str:
        seen.append("sent")
        return "moto's answer"

    handler = injector.before_send("dynamodb", "json", [moto_like])

    class Request:
        url, method, headers = "https://dynamodb.ap-southeast-3.amazonaws.com/", "POST", {}

    answers = [handler(request=Request()) for _ in range(200)]
    passed = [a for a in answers if a == "moto's answer"]
    assert len(passed) == len(seen) == 200 - injector.injected[("dynamodb", "throttle")]
    assert 60 < len(passed) < 140
