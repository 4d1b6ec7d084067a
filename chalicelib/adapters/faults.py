"""Fault injection, for the local stack and tests only: a chosen share of Loket's own AWS calls
fail the way AWS fails them, so that botocore's retries and Loket's answers to a busy AWS (503
with Retry-After, a worker task delivered again) are exercised as they would be in AWS.

The setting, `LOKET_FAULTS`, lists rules `<service>:<kind>:<rate>` separated by commas:

    LOKET_FAULTS="*:throttle:0.1,dynamodb:5xx:0.05,s3:timeout:0.05"
    LOKET_FAULTS_SEED=7          (optional: the same draws again, for a reproducible run)

`<service>` is a botocore service name (`dynamodb`, `s3`, `sqs`, `stepfunctions`, `ses`,
`cognito-idp`) or `*` for every service; `<kind>` is one of

- `throttle`: the service's own throttling answer (DynamoDB `ProvisionedThroughputExceeded
  Exception`, S3 `SlowDown` 503, SES `Throttling`, Cognito `TooManyRequestsException`, the others
  `ThrottlingException`), in the service's protocol (JSON, REST-XML or query XML);
- `5xx`: the service failing on its side (HTTP 500: `InternalServerError`, `InternalError`,
  `InternalErrorException` or `InternalFailure`, by service);
- `timeout`: botocore's `ReadTimeoutError`; the request never reaches the service.

and `<rate>` the share of attempts (0 to 1) that fail so. A rule for a service replaces the `*`
rule of the same kind; a service's rates add up to at most 1. Each HTTP attempt is drawn on its
own, so botocore's standard retry mode (exponential backoff with full jitter, adapters/aws.py and
models.py) retries a failed attempt exactly as it would retry AWS's answer. A bad setting is one
line (`settings.ConfigError`); a deployed Lambda refuses the setting (`settings.refuse_faults`).

Only the clients Loket makes are touched: adapters/aws.py's and PynamoDB's, each `attach`ed when
it is made. moto's Step Functions interpreter (which plays AWS calling DynamoDB and SQS) and the
local stand-in for Lambda's SQS event source make their own clients and are never failed.

In-process moto answers from a `before-send` handler every session registers (botocore's
BUILTIN_HANDLERS), and botocore calls every `before-send` handler even after one has answered.
So on an attached client the built-in `before-send` handlers are taken off and called by ours,
only when no fault is drawn: a failed attempt never reaches moto, as a throttled request never
reaches DynamoDB. Against AWS or moto's server there is no such handler and nothing is taken off.
"""

from __future__ import annotations

import json
import random
import re
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ReadTimeoutError

if TYPE_CHECKING:
    from botocore.awsrequest import AWSPreparedRequest, AWSResponse

from chalicelib.settings import ConfigError, refuse_faults

KINDS = ("throttle", "5xx", "timeout")
SETTING = "LOKET_FAULTS"
SEED_SETTING = "LOKET_FAULTS_SEED"
_SERVICE = re.compile(r"\*|[a-z0-9][a-z0-9-]{1,40}")

# (error code, HTTP status) of each service's throttling and internal failure; others: DEFAULT_*.
THROTTLE = {
    "dynamodb": ("ProvisionedThroughputExceededException", 400),
    "s3": ("SlowDown", 503),
    "ses": ("Throttling", 400),
    "cognito-idp": ("TooManyRequestsException", 400),
}
FAILURE = {
    "dynamodb": ("InternalServerError", 500),
    "s3": ("InternalError", 500),
    "cognito-idp": ("InternalErrorException", 500),
}
DEFAULT_THROTTLE = ("ThrottlingException", 400)
DEFAULT_FAILURE = ("InternalFailure", 500)
MESSAGES = {"throttle": "Rate exceeded", "5xx": "We encountered an internal error. Please try again."}


@dataclass(frozen=True)
class Rule:
    """One rule of the setting: `rate` of the attempts on `service` (or `*`) fail as `kind`."""

    service: str
    kind: str
    rate: float


def parse(spec: str) -> tuple[Rule, ...]:
    """The rules of a `LOKET_FAULTS` value (empty: none). Raises ConfigError, one line, naming
    the rule that is wrong and what it should be."""
    rules: dict[tuple[str, str], Rule] = {}
    for raw in (part.strip() for part in spec.split(",")):
        if not raw:
            continue
        parts = [p.strip() for p in raw.split(":")]
        if len(parts) != 3:
            raise ConfigError(f'{SETTING}: "{raw}" must be <service>:<kind>:<rate>, e.g. s3:throttle:0.1')
        service, kind, rate_text = parts
        if not _SERVICE.fullmatch(service):
            raise ConfigError(f'{SETTING}: "{raw}": the service must be a botocore name (e.g. dynamodb) or *')
        if kind not in KINDS:
            raise ConfigError(f'{SETTING}: "{raw}": the kind must be one of {", ".join(KINDS)}')
        try:
            rate = float(rate_text)
        except ValueError:
            rate = -1.0
        if not 0.0 <= rate <= 1.0:
            raise ConfigError(f'{SETTING}: "{raw}": the rate must be a number from 0 to 1')
        if (service, kind) in rules:
            raise ConfigError(f'{SETTING}: "{raw}": {service}:{kind} is given twice')
        rules[(service, kind)] = Rule(service, kind, rate)
    found = tuple(rules.values())
    for service in {r.service for r in found} | {"*"}:
        total = sum(rates_for(found, service).values())
        if total > 1.0 + 1e-9:
            raise ConfigError(f"{SETTING}: the rates for {service} add up to {total:g}, more than 1")
    return found


def rates_for(rules: tuple[Rule, ...], service: str) -> dict[str, float]:
    """The rate of each kind for `service`: its own rule, else the `*` rule of that kind."""
    rates = {r.kind: r.rate for r in rules if r.service == "*"}
    rates.update({r.kind: r.rate for r in rules if r.service == service})
    return {kind: rates[kind] for kind in KINDS if rates.get(kind)}


class _Body(BytesIO):
    """A response body as botocore reads one (`stream()`)."""

    def stream(self, **_: Any) -> Any:
        data = self.read()
        if data:
            yield data


class Injector:
    """Draws, for each attempt of an attached client, whether it fails and how; counts what it did.

    `attempts[service]` counts every attempt seen, `retries[service]` the attempts botocore made
    again after a failed one (its `amz-sdk-request: attempt=N` header, N > 1), and
    `injected[(service, kind)]` the faults answered."""

    def __init__(self, rules: tuple[Rule, ...], seed: int | None = None) -> None:
        self.rules = rules
        self.seed = seed
        self._random = random.Random(seed)  # noqa: S311 (fault draws, not secrets)
        self._lock = threading.Lock()
        self._rates: dict[str, dict[str, float]] = {}
        self.attempts: Counter[str] = Counter()
        self.retries: Counter[str] = Counter()
        self.injected: Counter[tuple[str, str]] = Counter()

    def draw(self, service: str) -> str | None:
        """The kind of fault this attempt on `service` gets, or None."""
        rates = self._rates.get(service)
        if rates is None:
            rates = self._rates[service] = rates_for(self.rules, service)
        with self._lock:
            roll = self._random.random()
        for kind, rate in rates.items():
            if roll < rate:
                return kind
            roll -= rate
        return None

    def before_send(
        self, service: str, protocol: str, passed_on: list[Callable[..., Any]]
    ) -> Callable[..., AWSResponse | None]:
        """The `before-send` handler of one client: a fault, or the handlers it took over."""

        def handler(request: AWSPreparedRequest, **kwargs: Any) -> AWSResponse | None:
            retried = "attempt=1;" not in str(request.headers.get("amz-sdk-request", "attempt=1;"))
            kind = self.draw(service)
            with self._lock:
                self.attempts[service] += 1
                self.retries[service] += int(retried)
                if kind is not None:
                    self.injected[(service, kind)] += 1
            if kind is None:
                for passed in passed_on:
                    answer = passed(request=request, **kwargs)
                    if answer is not None:
                        return answer
                return None
            if kind == "timeout":
                raise ReadTimeoutError(endpoint_url=request.url)
            return error_response(service, protocol, kind, request)

        return handler

    def summary(self) -> dict[str, Any]:
        """What was injected and retried, for a report."""
        with self._lock:
            return {
                "attempts": dict(self.attempts),
                "retries": dict(self.retries),
                "injected": {f"{s}:{k}": n for (s, k), n in sorted(self.injected.items())},
            }


def error_response(service: str, protocol: str, kind: str, request: AWSPreparedRequest) -> AWSResponse:
    """AWS's answer of `kind` (throttle or 5xx) for `service`, in the service's protocol."""
    table, default = (THROTTLE, DEFAULT_THROTTLE) if kind == "throttle" else (FAILURE, DEFAULT_FAILURE)
    code, status = table.get(service, default)
    message = MESSAGES[kind]
    request_id = str(uuid.uuid4())
    headers = {"x-amzn-RequestId": request_id}
    if protocol in ("json", "rest-json"):
        headers["Content-Type"] = "application/x-amz-json-1.0"
        body = json.dumps({"__type": code, "message": message}).encode()
    elif protocol == "rest-xml":
        headers["Content-Type"] = "application/xml"
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f"<Error><Code>{code}</Code><Message>{message}</Message><RequestId>{request_id}</RequestId></Error>"
        ).encode()
    else:  # query, ec2
        who = "Sender" if status < 500 else "Receiver"
        headers["Content-Type"] = "text/xml"
        body = (
            f"<ErrorResponse><Error><Type>{who}</Type><Code>{code}</Code><Message>{message}</Message>"
            f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
    if request.method == "HEAD":  # a HEAD answer has no body: botocore reads the status alone
        body = b""
    from botocore.awsrequest import AWSResponse

    return AWSResponse(request.url, status, headers, _Body(body))


def from_env(env: Mapping[str, str]) -> Injector | None:
    """The injector `LOKET_FAULTS` asks for, or None when it is unset or empty.

    Raises ConfigError for a bad rule or seed, and in a deployed Lambda whatever the rules."""
    spec = env.get(SETTING, "").strip()
    if not spec:
        return None
    refuse_faults(env)
    seed_text = env.get(SEED_SETTING, "").strip()
    try:
        seed = int(seed_text) if seed_text else None
    except ValueError:
        raise ConfigError(f"{SEED_SETTING} must be a whole number, not {seed_text!r}") from None
    return Injector(parse(spec), seed)


_lock = threading.Lock()
_current: Injector | None = None
_loaded = False


def current() -> Injector | None:
    """The injector in force: the one `install`ed, else the one the environment asks for (read
    once); None when there is none."""
    global _current, _loaded
    if _loaded:
        return _current
    import os

    with _lock:
        if not _loaded:
            _current = from_env(os.environ)
            _loaded = True
    return _current


def install(injector: Injector | None) -> None:
    """Put `injector` in force (None: no faults) and drop every client made so far, so that the
    clients made from now on are attached to it (or not)."""
    global _current, _loaded
    from chalicelib.adapters import aws, models

    with _lock:
        _current, _loaded = injector, True
    aws.reset_clients()
    models.reset_connections()


def reset() -> None:
    """Forget the injector, so the environment is read again (tests change it)."""
    global _current, _loaded
    with _lock:
        _current, _loaded = None, False


def attach(client: Any) -> None:
    """Let the injector in force fail some of `client`'s attempts (nothing when there is none).

    Idempotent; call it on every client Loket makes, when it is made."""
    injector = current()
    if injector is None or getattr(client, "_loket_faults", None) is not None:
        return
    from botocore.handlers import BUILTIN_HANDLERS

    events = client.meta.events
    passed_on = [handler for event, handler, *_ in BUILTIN_HANDLERS if event == "before-send"]
    for handler in passed_on:
        events.unregister("before-send", handler)
    model = client.meta.service_model
    events.register_first("before-send", injector.before_send(model.service_name, model.protocol, passed_on))
    client._loket_faults = injector
