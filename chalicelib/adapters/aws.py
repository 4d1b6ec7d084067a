"""Thread-safe, lazily built boto3 clients.

`chalice local` runs handlers on several threads and boto3 sessions are not thread-safe, so each
thread gets its own session; clients are cached per thread and service. Endpoints come from
botocore's own settings (AWS_ENDPOINT_URL), which is how the local stack points at moto.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import boto3
from botocore.config import Config

from chalicelib.settings import aws_region

_local = threading.local()

_RETRIES = Config(retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=30)


def client(service: str) -> Any:
    """A boto3 client for `service` in the configured region, cached per thread."""
    cache: dict[str, Any] | None = getattr(_local, "clients", None)
    if cache is None:
        cache = _local.clients = {}
    region = aws_region()
    key = f"{service}:{region}"
    if key not in cache:
        session = boto3.session.Session(region_name=region)
        config = _RETRIES
        if service == "s3":
            # sigv4 is required for presigned POSTs in newer regions such as ap-southeast-3; a
            # loopback endpoint (moto) cannot serve bucket subdomains, so it gets path-style URLs.
            style = "path" if os.environ.get("AWS_ENDPOINT_URL") else "virtual"
            config = _RETRIES.merge(Config(signature_version="s3v4", s3={"addressing_style": style}))
        cache[key] = session.client(service, config=config)
    return cache[key]


def reset_clients() -> None:
    """Drop this thread's cached clients (tests switch moto on and off)."""
    _local.clients = {}
