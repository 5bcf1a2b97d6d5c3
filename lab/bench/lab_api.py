"""The emulator's control plane (/_lab/) as the bench uses it: the request log, reset, the latency profile."""

from __future__ import annotations

import json
import os
import urllib.request
from typing import Any


def endpoint() -> str:
    return os.environ.get("AWS_ENDPOINT_URL", "http://127.0.0.1:4566").rstrip("/")


def call(method: str, path: str, payload: Any = None, timeout: float = 60) -> Any:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(endpoint() + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return json.loads(answer.read() or b"null")


def requests() -> list[dict[str, Any]]:
    return call("GET", "/_lab/requests")["requests"]


def clear_requests() -> None:
    call("DELETE", "/_lab/requests")


def reset() -> None:
    call("POST", "/_lab/reset")


def set_latency(scale: float) -> dict[str, Any]:
    return call("POST", "/_lab/latency", {"scale": scale})


def latency() -> dict[str, Any]:
    return call("GET", "/_lab/latency")
