"""Lazily built boto3 clients, one per service and region, shared by every thread.

boto3's low-level clients are thread-safe once made, but a `Session` is not, so clients are made
under a lock from one session and then shared ("instantiate your client then pass that client
object to each of your threads", boto3's guide on multithreading). A session per thread, as
before, made every new thread (`chalice local` handlers, Step Functions' task threads in moto)
read botocore's endpoint and service JSON again: about 0.1 s of CPU per thread and service, a
sixth of the test suite's CPU. Endpoints come from botocore's own settings (AWS_ENDPOINT_URL),
which is how the local stack points at moto.

Every client retries in botocore's standard mode (5 retries, exponential backoff with full
jitter). In the local stack and tests a share of its calls may be failed on purpose
(`LOKET_FAULTS`, adapters/faults.py); a deployed stage refuses that setting.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

from chalicelib.adapters import faults
from chalicelib.settings import aws_region

if TYPE_CHECKING:
    import boto3

_lock = threading.Lock()
_session: boto3.session.Session | None = None
_clients: dict[str, Any] = {}

# boto3 and botocore's Config are imported by the first client, not with the module: the API's
# cold start imports nothing a route does not need yet (issue 16).
_RETRIES = {"retries": {"max_attempts": 5, "mode": "standard"}, "connect_timeout": 5, "read_timeout": 30}


def client(service: str) -> Any:
    """A boto3 client for `service` (e.g. "s3") in the configured region, shared by all threads.

    Raises `settings.ConfigError` (503) when no region is configured.
    """
    global _session
    region = aws_region()
    key = f"{service}:{region}"
    made = _clients.get(key)
    if made is not None:
        return made
    with _lock:
        if key in _clients:
            return _clients[key]
        import boto3.session
        from botocore.config import Config

        if _session is None:
            _session = boto3.session.Session()
        config = Config(**_RETRIES)
        if service == "s3":
            # sigv4 is required for presigned POSTs in newer regions such as ap-southeast-3; a
            # loopback endpoint (moto) cannot serve bucket subdomains, so it gets path-style URLs.
            style = "path" if os.environ.get("AWS_ENDPOINT_URL") else "virtual"
            config = config.merge(Config(signature_version="s3v4", s3={"addressing_style": style}))
        made = _session.client(service, region_name=region, config=config)
        faults.attach(made)  # the local stack and tests only (LOKET_FAULTS); nothing otherwise
        _clients[key] = made
    return made


def reset_clients() -> None:
    """Drop every cached client (tests switch moto on and off, and endpoints).

    The session stays: it holds only botocore's parsed JSON, and a new client reads the endpoint
    and region settings from the environment again."""
    with _lock:
        _clients.clear()
