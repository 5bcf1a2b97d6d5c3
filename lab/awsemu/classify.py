"""Name the service, operation and wire protocol of an AWS request the way moto's own dispatcher resolves them."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import parse_qs

from moto.core.request import Request, determine_request_protocol
from moto.core.responses import boto3_service_name
from moto.core.routing import get_service_router
from moto.core.utils import get_service_model


def _first(values: dict[str, list[str]], key: str) -> str | None:
    found = values.get(key)
    return found[0] if found else None


def _botocore_name(service: str) -> str:
    return boto3_service_name.get(service, service)


def operation_of(environ: dict[str, Any], body: bytes, service: str | None) -> str | None:
    action = _first(parse_qs(environ.get("QUERY_STRING", "")), "Action")
    if not action and environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        action = _first(parse_qs(body.decode("utf-8", "replace")), "Action")
    if action:
        return action
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return target.split(".")[-1]
    if not service:
        return None
    try:
        operation, _ = get_service_router(_botocore_name(service)).match(Request(dict(environ, **{"wsgi.input": io.BytesIO(body)})))
    except Exception:  # an unmatched REST path simply has no operation name
        return None
    return operation.name


def protocol_of(environ: dict[str, Any], service: str | None) -> str | None:
    if not service:
        return None
    try:
        return determine_request_protocol(get_service_model(_botocore_name(service)), environ.get("CONTENT_TYPE"))
    except Exception:  # services without a botocore model have no protocol to honour
        return None
