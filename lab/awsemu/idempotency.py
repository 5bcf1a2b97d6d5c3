"""EC2's client tokens, as AWS documents them ("Ensuring idempotency in Amazon EC2 API requests"): a request that
carries a client token and repeats one the region has already carried out is answered with the first request's
answer and changes nothing; the same token with other parameters is refused with IdempotentParameterMismatch.

moto ignores ClientToken on most EC2 creates (CreateRouteTable, CreateVpcEndpoint, ...), so botocore's repeat of a
create whose answer was lost, which sends the same token, made a second resource here where AWS keeps one. The token
member is read from botocore's model (the members with the idempotencyToken trait, and those named ClientToken), so
every EC2 operation that takes a client token is covered. Only answers with a 2xx status are remembered, including the answer that an "applied,
then failed" fault dropped: that call did take effect.
"""

from __future__ import annotations

import hashlib
import re
import threading
from functools import cache
from typing import Any
from urllib.parse import parse_qsl

from moto.core.utils import get_service_model

from awsemu import control, snapshots

SERVICES = ("ec2",)
# The region of a SigV4-signed request: Credential=<key>/<date>/<region>/<service>/aws4_request.
CREDENTIAL_SCOPE = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/")


@cache
def token_members(service: str, operation: str) -> tuple[str, ...]:
    """The query names of the operation's idempotency token members (empty when it takes none)."""
    try:
        shape = get_service_model(service).operation_model(operation).input_shape
    except Exception:  # an operation botocore does not know takes no token here
        return ()
    if shape is None:
        return ()
    # The idempotencyToken trait (botocore fills those in), or a ClientToken the caller provides (CreateVpcEndpoint's,
    # CreateFlowLogs': AWS documents them as idempotency tokens, the model does not mark them).
    return tuple(
        member.serialization.get("name", name) for name, member in shape.members.items() if member.metadata.get("idempotencyToken") or name == "ClientToken"
    )


class ClientTokens:
    """The answers of the requests that carried a client token, per (access key, region, operation, token)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: dict[tuple[str, str, str, str], tuple[str, tuple[int, list[tuple[str, str]], bytes]]] = {}

    def key_of(self, environ: dict[str, Any], service: str | None, operation: str | None, body: bytes) -> tuple[tuple[str, str, str, str], str] | None:
        """(key, digest of the other parameters) of a request that carries a client token, else None."""
        if service not in SERVICES or not operation:
            return None
        members = token_members(service, operation)
        if not members:
            return None
        params = parse_qsl(body.decode(errors="replace"), keep_blank_values=True)
        token = next((value for name, value in params if name in members and value), None)
        if token is None:
            return None
        scope = CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        access_key, region = scope.groups() if scope else ("", "")
        others = sorted((name, value) for name, value in params if name not in members)
        return (access_key, region, operation, token), hashlib.sha256(repr(others).encode()).hexdigest()

    def lookup(self, key: tuple[str, str, str, str], digest: str) -> tuple[int, list[tuple[str, str]], bytes] | str | None:
        """The remembered answer, "mismatch" when the token came with other parameters, None when the token is new."""
        with self._lock:
            found = self._answers.get(key)
        if found is None:
            return None
        remembered_digest, answer = found
        return answer if remembered_digest == digest else "mismatch"

    def remember(self, key: tuple[str, str, str, str], digest: str, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        if 200 <= status < 300:
            with self._lock:
                self._answers.setdefault(key, (digest, (status, list(headers), body)))

    def reset(self) -> None:
        with self._lock:
            self._answers.clear()


CLIENT_TOKENS = ClientTokens()
# A reset drops every resource, and with them the answers that named them.
control.on_reset(CLIENT_TOKENS.reset)
snapshots.keep(CLIENT_TOKENS._answers)
