"""One settings object for the whole app, read lazily from the environment.

`chalice package` imports app.py without the deployed environment, so nothing here is read at
import time: call `get_settings()` inside a handler. A missing setting raises `ConfigError` with
one line that names the variable and says what to do.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, Field

from chalicelib.errors import Unavailable


class ConfigError(Unavailable):
    """A required setting is missing or wrong. `str()` is the one line for IT (which setting, how
    to fix it); `message` is what a user of the running service reads."""

    def __init__(self, detail: str) -> None:
        super().__init__("Layanan belum dikonfigurasi dengan benar. Hubungi admin.", retry_after=None)
        self.detail = detail

    def __str__(self) -> str:
        return self.detail


_REQUIRED = {
    "table_name": "LOKET_TABLE",
    "uploads_bucket": "LOKET_UPLOADS_BUCKET",
    "documents_bucket": "LOKET_DOCUMENTS_BUCKET",
    "worker_queue_url": "LOKET_WORKER_QUEUE_URL",
    "notice_queue_url": "LOKET_NOTICE_QUEUE_URL",
    "state_machine_prefix": "LOKET_STATE_MACHINE_PREFIX",
    "staff_pool_id": "LOKET_STAFF_POOL_ID",
    "staff_client_id": "LOKET_STAFF_CLIENT_ID",
    "applicant_pool_id": "LOKET_APPLICANT_POOL_ID",
    "applicant_client_id": "LOKET_APPLICANT_CLIENT_ID",
    "mail_sender": "LOKET_MAIL_SENDER",
    "public_site_url": "LOKET_PUBLIC_SITE_URL",
}

# The name is static (not read from a resource) because the SQS event source of the worker Lambda
# is declared at import time; the template names the queue the same way.
WORKER_QUEUE_NAME = os.environ.get("LOKET_WORKER_QUEUE_NAME", "loket-worker")
# The worker Lambda's timeout in seconds: .chalice/config.json's `lambda_timeout` of the worker
# says the same (tests/unit/test_settings.py checks it). Effect leases outlive it.
WORKER_TIMEOUT_SECONDS = 60


class Settings(BaseModel):
    """Everything the running app needs to find its AWS resources and behave per stage."""

    region: str = "ap-southeast-3"
    table_name: str
    uploads_bucket: str
    documents_bucket: str
    worker_queue_url: str
    # Escalations, overdue digests and the holders' reminders: a queue of their own, so a burst of
    # them never waits in front of card issuing on the worker queue (issue 16; docs/adr/0032).
    notice_queue_url: str
    state_machine_prefix: str = Field(description="ARN prefix; the machine name is appended")
    staff_pool_id: str
    staff_client_id: str
    applicant_pool_id: str
    applicant_client_id: str
    mail_sender: str
    public_site_url: str
    # Where staff open their pages (the API's URL, without /staff): the overdue digest links the
    # queue there. Empty: the email names the page without a link.
    staff_site_url: str = ""
    # Where the Cognito JWKS is served. Empty = the real Cognito endpoint of the region.
    cognito_jwks_base: str = ""
    # Seconds of wall-clock time per standard minute of an SOP: 60 in production, tiny in tests.
    time_scale: float = 60.0
    # Cookies are Secure everywhere but on plain-http localhost.
    secure_cookies: bool = True
    presign_expiry_seconds: int = 600
    # Who scans uploads for malware (adapters/malware.py): GuardDuty Malware Protection for S3 on
    # AWS; "stand-in" (flags the EICAR test file) for the local stack and tests only.
    malware_scanner: Literal["guardduty", "stand-in"] = "guardduty"

    def state_machine_arn(self, name: str) -> str:
        return f"{self.state_machine_prefix}{name}"

    def jwks_url(self, pool_id: str) -> str:
        base = self.cognito_jwks_base or f"https://cognito-idp.{self.region}.amazonaws.com"
        return f"{base.rstrip('/')}/{pool_id}/.well-known/jwks.json"

    def issuer(self, pool_id: str) -> str:
        # Cognito (and moto) always put the real regional issuer in the token.
        return f"https://cognito-idp.{self.region}.amazonaws.com/{pool_id}"


def aws_region(env: dict[str, str] | os._Environ[str] | None = None) -> str:
    """The AWS region Loket runs in: AWS_REGION (set by Lambda), else AWS_DEFAULT_REGION, else
    Jakarta (ap-southeast-3). Needs no other setting, so tools can call AWS without a full stage."""
    env = os.environ if env is None else env
    return env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "ap-southeast-3"


def deployed(env: Mapping[str, str]) -> bool:
    """Whether this process is a deployed Lambda function (not the local stack, not a test): the
    Lambda runtime sets AWS_LAMBDA_FUNCTION_NAME. (Not AWS_EXECUTION_ENV: Chalice's `app.py` sets
    that one wherever it is imported, `chalice local` and the tests included.)"""
    return bool(env.get("AWS_LAMBDA_FUNCTION_NAME"))


def refuse_faults(env: Mapping[str, str]) -> None:
    """Fault injection (LOKET_FAULTS, adapters/faults.py) is for the local stack and tests: a
    deployed stage that sets it is refused with ConfigError, so every request answers 503 and
    `/health` says why, rather than failing a share of real AWS calls on purpose."""
    if env.get("LOKET_FAULTS", "").strip() and deployed(env):
        function = env.get("AWS_LAMBDA_FUNCTION_NAME") or "in Lambda"
        raise ConfigError(
            "setting LOKET_FAULTS (fault injection) is for the local stack and tests only: "
            f"remove it from the deployed function's environment ({function})"
        )


def refuse_stand_in_scanner(env: Mapping[str, str]) -> None:
    """The stand-in malware scanner (LOKET_MALWARE_SCANNER=stand-in) knows only the EICAR test
    file: a deployed stage that sets it is refused with ConfigError, as LOKET_FAULTS is, rather
    than passing real uploads as clean."""
    if env.get("LOKET_MALWARE_SCANNER", "").strip() == "stand-in" and deployed(env):
        function = env.get("AWS_LAMBDA_FUNCTION_NAME") or "in Lambda"
        raise ConfigError(
            "setting LOKET_MALWARE_SCANNER=stand-in (the EICAR-only scanner) is for the local stack "
            f"and tests only: remove it from the deployed function's environment ({function})"
        )


def urls_from_parameters(prefix: str) -> dict[str, str]:
    """The deployed stack's addresses from SSM: `<prefix>public-site-url` and
    `<prefix>staff-site-url` (infra/base.yaml writes them in the deploy that makes the CloudFront
    distribution and the API, which the Lambda environment cannot name: docs/adr/0029) ->
    {"LOKET_PUBLIC_SITE_URL": ..., "LOKET_STAFF_SITE_URL": ...}. Raises ConfigError when SSM
    cannot be read or a parameter is missing."""
    from chalicelib.adapters.aws import client  # lazy: it imports this module

    names = {
        f"{prefix}public-site-url": "LOKET_PUBLIC_SITE_URL",
        f"{prefix}staff-site-url": "LOKET_STAFF_SITE_URL",
    }
    try:
        found = client("ssm").get_parameters(Names=list(names))["Parameters"]
    except Exception as exc:
        raise ConfigError(f"SSM parameters under {prefix} cannot be read: {exc.__class__.__name__}") from None
    values = {names[p["Name"]]: str(p["Value"]) for p in found if p["Name"] in names}
    if "LOKET_PUBLIC_SITE_URL" not in values:
        raise ConfigError(f"SSM parameter {prefix}public-site-url is missing: deploy the stack again")
    return values


def settings_from_env(env: dict[str, str] | os._Environ[str] | None = None) -> Settings:
    """Build settings from environment variables; raise ConfigError naming the first missing one
    (or LOKET_FAULTS, or the stand-in malware scanner, in a deployed stage). Without
    LOKET_PUBLIC_SITE_URL but with LOKET_URL_PARAMETERS (a deployed stack), both addresses are
    read from SSM (`urls_from_parameters`)."""
    env = os.environ if env is None else env
    refuse_faults(env)
    refuse_stand_in_scanner(env)
    if not env.get("LOKET_PUBLIC_SITE_URL", "").strip() and env.get("LOKET_URL_PARAMETERS", "").strip():
        env = {**env, **urls_from_parameters(env["LOKET_URL_PARAMETERS"].strip())}
    values: dict[str, object] = {}
    for field, var in _REQUIRED.items():
        value = env.get(var, "").strip()
        if not value:
            raise ConfigError(
                f"setting {var} is missing: set it in .chalice/config.json (stage) or the environment"
            )
        values[field] = value
    values["region"] = aws_region(env)
    optional = {
        "cognito_jwks_base": "LOKET_COGNITO_JWKS_BASE",
        "time_scale": "LOKET_TIME_SCALE",
        "staff_site_url": "LOKET_STAFF_SITE_URL",
        "secure_cookies": "LOKET_SECURE_COOKIES",
        "malware_scanner": "LOKET_MALWARE_SCANNER",
    }
    for field, var in optional.items():
        if env.get(var):
            values[field] = env[var]
    try:
        return Settings.model_validate(values)
    except ValueError as exc:
        raise ConfigError(f"bad setting: {exc.__class__.__name__}: {str(exc).splitlines()[0]}") from None


class _Cache:
    """The settings read last, and the generation of the environment they were read from.

    `reset_settings` starts a new generation: settings a thread was still reading from the old
    environment when it was called are returned to that thread but never kept (a cache that kept
    them would hand the old environment's settings to every later call)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation = 0
        self.settings: Settings | None = None


_CACHE = _Cache()


def get_settings() -> Settings:
    """The app's settings, read from the environment once per generation (see `reset_settings`).
    Raises ConfigError as `settings_from_env` does."""
    with _CACHE.lock:
        generation, cached = _CACHE.generation, _CACHE.settings
    if cached is not None:
        return cached
    settings = settings_from_env()
    with _CACHE.lock:
        if _CACHE.generation == generation and _CACHE.settings is None:
            _CACHE.settings = settings
    return settings


def reset_settings() -> None:
    """Forget cached settings (tests and the local stack change the environment): the next
    `get_settings` reads the environment as it is then."""
    with _CACHE.lock:
        _CACHE.generation += 1
        _CACHE.settings = None
