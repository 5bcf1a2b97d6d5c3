"""Region outage switch (lab only): while a region is down, every API call signed for it goes unanswered.

    POST /_lab/regions/<region>/outage  {"down": true|false}  -> {"region": ..., "down": ...}
    GET  /_lab/regions/<region>/outage                         -> {"region": ..., "down": ...}
    GET  /_lab/regions                                         -> {"down": [regions down, sorted]}
    POST /_lab/reset clears every outage.

The region of a call is the one in its SigV4 credential scope (the Authorization header, or X-Amz-Credential of a
presigned URL): the region the client sent it to. Global services keep answering whatever region signs them:
IAM, STS, the Route 53 control plane (signed for us-east-1), CloudFront, Organizations.

How a call to a dead region fails. The emulator serves every region on one port, so the TCP connection is already
accepted when the region is known; what is left is to close it without an answer. The connection is shut down
(FIN, both directions) and nothing is written, so the client sees a connection that closed before any response.
Measured with botocore 1.4x against the emulator (tests/emulator/test_dr_region_outage.py):

- closing without an answer (this choice): urllib3 raises RemoteDisconnected, botocore turns it into
  ConnectionClosedError ("Connection was closed before we received a valid response from endpoint URL") and
  retries it as a connection error, like EndpointConnectionError: standard mode gives up after its 3 attempts
  (1.7 s with its backoff), legacy mode after 5 attempts (4.2 s); every attempt is in the request log;
- a connection that is never answered (a black hole) ends in ReadTimeoutError only after read_timeout (60 s by
  default) per attempt: realistic, but minutes per call with retries, which no test budget affords;
- a refused connection (EndpointConnectionError, what a client sees when the regional DNS name still resolves but
  nothing listens) cannot be produced on a shared port: the connection exists before the request names its region.

Both ConnectionClosedError and EndpointConnectionError are BotoCoreErrors that botocore retries as connection
failures and no ClientError: code that handles one (a failover playbook's rescue, amazon.aws's fail_json_aws)
handles the other. The request log records a dropped call with status 0.

Other extensions ask `is_down(region)` so that what lives in a region down stops answering health checks and
stops replicating (route53_health, s3_replication, ecr_replication); `on_region_back(listener)` tells them when a
region answers again, `on_region_down(listener)` when it stops (rds_servers freezes the region's PostgreSQL servers).
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from awsemu import control, routing

GLOBAL_SERVICES = frozenset({"iam", "sts", "route53", "cloudfront", "organizations"})
REGION_NAME = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")
_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
_QUERY_SCOPE = re.compile(r"^[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request$")

_down: set[str] = set()
_lock = threading.Lock()
_back_listeners: list[Callable[[str], None]] = []
_down_listeners: list[Callable[[str], None]] = []
_installed = False


def signing_scope(environ: dict[str, Any]) -> tuple[str, str] | None:
    """(region, signing service) of a request from its SigV4 credential scope; None for an unsigned request."""
    found = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if found:
        return found.group(1), found.group(2)
    credential = parse_qs(environ.get("QUERY_STRING", "")).get("X-Amz-Credential")
    if credential:
        found = _QUERY_SCOPE.match(credential[0])
        if found:
            return found.group(1), found.group(2)
    return None


def is_down(region: str | None) -> bool:
    with _lock:
        return region in _down


def down_regions() -> list[str]:
    with _lock:
        return sorted(_down)


def set_down(region: str, down: bool) -> None:
    with _lock:
        was_down = region in _down
        (_down.add if down else _down.discard)(region)
        if was_down and not down:
            listeners = list(_back_listeners)
        elif down and not was_down:
            listeners = list(_down_listeners)
        else:
            listeners = []
    for listener in listeners:
        listener(region)


def on_region_down(listener: Callable[[str], None]) -> None:
    """Call listener(region) each time a region goes down (what runs there stops: extensions/rds_servers.py)."""
    with _lock:
        if listener not in _down_listeners:
            _down_listeners.append(listener)


def on_region_back(listener: Callable[[str], None]) -> None:
    """Call listener(region) each time a region down answers again (what waited for it may go on)."""
    with _lock:
        if listener not in _back_listeners:
            _back_listeners.append(listener)


def unanswered(environ: dict[str, Any]) -> bool:
    """Whether this request goes to a region that is down (and is not a global service's)."""
    scope = signing_scope(environ)
    return scope is not None and scope[1] not in GLOBAL_SERVICES and is_down(scope[0])


def _drop(environ: dict[str, Any]) -> None:
    connection = environ.get("werkzeug.socket")
    if connection is not None:
        with contextlib.suppress(OSError):  # the client went away first
            connection.shutdown(socket.SHUT_RDWR)


def refuse_if_down(environ: dict[str, Any], start_response: Any) -> list[bytes] | None:
    """The request gate (awsemu.routing): a request to a region that is down gets no answer, its connection is cut."""
    if not unanswered(environ):
        return None
    _drop(environ)
    # The server's response writer now meets a closed socket (BrokenPipeError) and drops the connection.
    start_response("000 Region Down", [("Content-Length", "0")])
    return []


# Control plane --------------------------------------------------------------------------------------------------
def _region(region: str) -> str:
    if not REGION_NAME.match(region):
        raise control.LabError(400, f"{region!r} is not a region name")
    return region


def _set_outage(body: Any, region: str) -> dict[str, Any]:
    if not isinstance(body, dict) or not isinstance(body.get("down"), bool):
        raise control.LabError(400, 'expected {"down": true|false}')
    set_down(_region(region), body["down"])
    return {"region": region, "down": is_down(region)}


def _get_outage(_body: Any, region: str) -> dict[str, Any]:
    return {"region": _region(region), "down": is_down(region)}


def _list_outages(_body: Any) -> dict[str, Any]:
    return {"down": down_regions()}


def _reset() -> None:
    with _lock:
        _down.clear()


def install() -> None:
    global _installed  # noqa: PLW0603 - the flag keeps install() idempotent
    if _installed:
        return
    routing.add_gate(refuse_if_down)
    control.route("POST", "/_lab/regions/<region>/outage", _set_outage)
    control.route("GET", "/_lab/regions/<region>/outage", _get_outage)
    control.route("GET", "/_lab/regions", _list_outages)
    control.on_reset(_reset)
    _installed = True
