"""Fault injection: per service/operation latency and error answers, off until rules are posted to /_lab/faults."""

from __future__ import annotations

import json
import random
import threading
import uuid
from typing import Any
from xml.sax.saxutils import escape

ALLOWED_KEYS = {"service", "operation", "error", "status", "rate", "latency_ms", "message"}


def _validate(rule: Any) -> dict[str, Any]:
    if not isinstance(rule, dict):
        raise ValueError("each rule must be an object")
    unknown = set(rule) - ALLOWED_KEYS
    if unknown:
        raise ValueError(f"unknown rule keys: {sorted(unknown)}")
    if not rule.get("service"):
        raise ValueError("rule needs a service ('*' for every service)")
    error = rule.get("error")
    rate = float(rule.get("rate", 1.0))
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate must be between 0.0 and 1.0")
    latency_ms = int(rule.get("latency_ms", 0))
    if latency_ms < 0:
        raise ValueError("latency_ms must not be negative")
    status = int(rule.get("status") or (500 if error in ("InternalError", "InternalFailure", "ServiceUnavailable") else 400))
    if not 400 <= status <= 599:
        raise ValueError("status must be a 4xx or 5xx code")
    return {
        "service": rule["service"],
        "operation": rule.get("operation") or "*",
        "error": error,
        "status": status,
        "rate": rate,
        "latency_ms": latency_ms,
        "message": rule.get("message") or f"Injected by the lab: {error}",
    }


class FaultRules:
    def __init__(self) -> None:
        self._rules: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def replace(self, rules: list[Any]) -> None:
        validated = [_validate(rule) for rule in rules]
        with self._lock:
            self._rules = validated

    def rules(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._rules)

    def decide(self, service: str | None, operation: str | None) -> tuple[float, dict[str, Any] | None]:
        """Return (seconds to delay, error rule to answer with or None) for one request; first matching rule wins."""
        for rule in self.rules():
            if rule["service"] not in ("*", service) or rule["operation"] not in ("*", operation):
                continue
            failing = rule["error"] is not None and random.random() < rule["rate"]
            return rule["latency_ms"] / 1000.0, rule if failing else None
        return 0.0, None


RULES = FaultRules()


def error_response(rule: dict[str, Any], protocol: str | None) -> tuple[int, list[tuple[str, str]], bytes]:
    """Render the injected error the way the service's protocol carries errors, so botocore parses (and retries) it."""
    code, message, status = rule["error"], rule["message"], rule["status"]
    request_id = str(uuid.uuid4())
    if protocol in ("json", "rest-json", None):
        body = json.dumps({"__type": code, "message": message}).encode()
        content_type = "application/x-amz-json-1.1" if protocol == "json" else "application/json"
        return status, [("Content-Type", content_type), ("x-amzn-ErrorType", code), ("x-amzn-RequestId", request_id)], body
    code, message = escape(code), escape(message)
    if protocol == "ec2":
        xml = f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
    elif protocol == "rest-xml":
        xml = f"<Error><Code>{code}</Code><Message>{message}</Message><RequestId>{request_id}</RequestId></Error>"
    else:
        xml = (
            f"<ErrorResponse><Error><Type>{'Sender' if status < 500 else 'Receiver'}</Type><Code>{code}</Code>"
            f"<Message>{message}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        )
    return status, [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)], xml.encode()
