"""The lab control plane, served under /_lab/ on the emulator's own port (JSON in, JSON out).

Built-in endpoints:
    GET    /_lab/health     -> {"status": "ok"}
    POST   /_lab/reset      -> resets every moto backend, then runs the extensions' reset hooks
    GET    /_lab/requests   -> {"requests": [...]} (the request log); DELETE clears it
    GET    /_lab/faults     -> {"rules": [...]} (each with the calls it "matched" and "failed"); POST {"rules": [...]}
                               replaces the rules and their counts; DELETE clears them

Fault rules (lab/awsemu/faults.py; the first rule that matches a call decides; a bad rule refuses the whole POST):
    service      required; "*" for every service (moto's service name: "ssm", "ec2", "storagegateway", ...)
    operation    the API operation ("CreateVpc"); "*" (the default) for every operation
    error        the error code to answer; none: the rule only delays (latency_ms)
    status       4xx or 5xx; default 500 for server errors (InternalError, ServiceUnavailable, ...), else 400
    message      the error message
    latency_ms   delay every matching call by this much, failing or not
    rate         0.0 to 1.0 (default 1.0): the chance that a matching call fails
    seed         an integer: the rule draws from its own random.Random(seed), so one sequence of calls fails the
                 same calls in every run (serial clients only: concurrent calls reach the rule in any order)
    every        N >= 1: the N-th, 2N-th, ... matching call fails (no chance involved; excludes rate and seed)
    offset       0 <= K < N (with every): K > 0 fails the K-th, (K+N)-th, (K+2N)-th ... matching call instead
    times        at most this many failures, then the rule only delays
    mode         "refused" (default): answer the error, the call does not happen;
                 "applied": moto carries the call out, then the client gets the error instead of the answer
                 (default InternalError, 500): a call that succeeded but answered a failure
Example: {"rules": [{"service": "ssm", "operation": "CreateActivation", "mode": "applied", "every": 1, "times": 1},
                    {"service": "*", "error": "ThrottlingException", "rate": 0.2, "seed": 7}]}

Extensions add their own knobs:
    route("POST", "/_lab/ssm/settings", handler)       # handler(body, **path_params)
    route("POST", "/_lab/ec2/vpn-connections/<id>/tunnels", handler)
A handler gets the decoded JSON body (None when empty) and the path parameters as keyword arguments and
returns a dict (answered with 200) or a (status, dict) tuple; raising LabError(status, message) answers
{"error": message} with that status. Reset hooks registered with on_reset(fn) run after every reset.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from typing import Any

from awsemu import faults
from awsemu.request_log import REQUEST_LOG

PREFIX = "/_lab"

Handler = Callable[..., Any]


class LabError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


_routes: dict[tuple[str, str], tuple[re.Pattern[str], Handler]] = {}
_exit_hooks: list[Callable[[], None]] = []
_reset_hooks: list[Callable[[], None]] = []
_lock = threading.Lock()


def _compile(path: str) -> re.Pattern[str]:
    parts = []
    for segment in path.strip("/").split("/"):
        placeholder = re.fullmatch(r"<([A-Za-z_]\w*)>", segment)
        parts.append(f"(?P<{placeholder.group(1)}>[^/]+)" if placeholder else re.escape(segment))
    return re.compile("^/" + "/".join(parts) + "/?$")


def route(method: str, path: str, handler: Handler) -> None:
    """Register (or replace) a control-plane endpoint; path may omit the /_lab prefix."""
    if not path.startswith(PREFIX + "/"):
        path = PREFIX + "/" + path.lstrip("/")
    with _lock:
        _routes[(method.upper(), path)] = (_compile(path), handler)


def on_exit(hook: Callable[[], None]) -> None:
    """Register a function that ends what an extension started outside the emulator's process (a server); the launcher
    runs them before it exits (it skips the interpreter's own exit handlers, atexit included)."""
    with _lock:
        if hook not in _exit_hooks:
            _exit_hooks.append(hook)


def run_exit_hooks() -> None:
    with _lock:
        hooks = list(_exit_hooks)
    for hook in hooks:
        hook()


def on_reset(hook: Callable[[], None]) -> None:
    """Register a function that clears an extension's own state; registering the same function twice is a no-op."""
    with _lock:
        if hook not in _reset_hooks:
            _reset_hooks.append(hook)


def _reset_moto() -> None:
    """moto's own reset (drop every backend), minus rebuilding backends that are thrown away right after.

    moto re-initialises every backend before dropping it; for EC2 (its default AMIs) and IAM (the AWS-managed
    policies) that costs most of a second each time, which per-test resets cannot afford. Backends whose class
    overrides reset() to release something (S3 closes its object buffers and frees bucket names) still get it.
    """
    from moto.core.base_backend import BackendDict, BaseBackend, backend_lock
    from moto.core.model_instances import reset_model_data

    with backend_lock:
        for backend_dict in list(BackendDict._instances):  # type: ignore[attr-defined]
            for account_backends in backend_dict.values():
                for regional_backend in account_backends.values():
                    if type(regional_backend).reset is not BaseBackend.reset:
                        regional_backend.reset()
            backend_dict.clear()
        BackendDict._instances.clear()  # type: ignore[attr-defined]
    reset_model_data()


def reset() -> None:
    _reset_moto()
    for hook in list(_reset_hooks):
        hook()


def _health(_body: Any) -> dict[str, str]:
    return {"status": "ok"}


def _reset(_body: Any) -> dict[str, str]:
    reset()
    return {"status": "reset"}


def _list_requests(_body: Any) -> dict[str, Any]:
    return {"requests": REQUEST_LOG.entries()}


def _clear_requests(_body: Any) -> dict[str, Any]:
    REQUEST_LOG.clear()
    return {"requests": []}


def _get_faults(_body: Any) -> dict[str, Any]:
    return {"rules": faults.RULES.rules()}


def _set_faults(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict) or not isinstance(body.get("rules"), list):
        raise LabError(400, 'expected {"rules": [...]}')
    try:
        faults.RULES.replace(body["rules"])
    except ValueError as error:
        raise LabError(400, str(error)) from error
    return {"rules": faults.RULES.rules()}


def _clear_faults(_body: Any) -> dict[str, Any]:
    faults.RULES.replace([])
    return {"rules": []}


def _find(method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
    with _lock:
        candidates = [(pattern, handler) for (route_method, _), (pattern, handler) in _routes.items() if route_method == method]
    for pattern, handler in candidates:
        match = pattern.match(path)
        if match:
            return handler, match.groupdict()
    return None


def _path_known(path: str) -> bool:
    with _lock:
        return any(pattern.match(path) for pattern, _ in _routes.values())


def handle(method: str, path: str, raw_body: bytes) -> tuple[int, dict[str, Any]]:
    found = _find(method.upper(), path)
    if found is None:
        if _path_known(path):
            return 405, {"error": f"method {method} not allowed on {path}"}
        return 404, {"error": f"no lab endpoint {path}"}
    handler, params = found
    try:
        body = json.loads(raw_body) if raw_body.strip() else None
    except ValueError:
        return 400, {"error": "body is not JSON"}
    try:
        result = handler(body, **params)
    except LabError as error:
        return error.status, {"error": error.message}
    if isinstance(result, tuple):
        return result
    return 200, result


def wsgi(environ: dict[str, Any], start_response: Callable[..., Any], raw_body: bytes) -> list[bytes]:
    status, payload = handle(environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", ""), raw_body)
    data = json.dumps(payload, default=str).encode()
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}.get(status, "Lab")
    start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


route("GET", "/_lab/health", _health)
route("POST", "/_lab/reset", _reset)
route("GET", "/_lab/requests", _list_requests)
route("DELETE", "/_lab/requests", _clear_requests)
route("GET", "/_lab/faults", _get_faults)
route("POST", "/_lab/faults", _set_faults)
route("DELETE", "/_lab/faults", _clear_faults)
