"""Fault injection: per service/operation latency and error answers, off until rules are posted to /_lab/faults.

A rule picks the calls it fails among the calls it matches (service and operation; the first matching rule wins):
by chance (`rate`, from the process's random generator, or from the rule's own random.Random(`seed`) so that the
same sequence of calls fails the same way in every run), or by count (`every` N-th matching call, shifted by
`offset`, never by chance). `times` caps how often a rule fails. `mode` says what a failing call does:
"refused" (the default) answers the error without passing the call on, as AWS answers throttling;
"applied" passes the call to moto, so it takes effect, and answers the error (a 500 InternalError unless
another error is given) instead of moto's answer: the lost answer after which a client cannot tell whether its
call happened.
"""

from __future__ import annotations

import json
import random
import threading
import uuid
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

ALLOWED_KEYS = {"service", "operation", "error", "status", "rate", "latency_ms", "message", "seed", "every", "offset", "times", "mode"}
MODES = ("refused", "applied")
SERVER_ERRORS = ("InternalError", "InternalFailure", "InternalServerError", "ServiceUnavailable", "ServerException")


def _integer(rule: dict[str, Any], key: str, minimum: int) -> int | None:
    value = rule.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{key} must be an integer")
    if value < minimum:
        raise ValueError(f"{key} must be at least {minimum}")
    return value


def _validate(rule: Any) -> dict[str, Any]:
    if not isinstance(rule, dict):
        raise ValueError("each rule must be an object")
    unknown = set(rule) - ALLOWED_KEYS
    if unknown:
        raise ValueError(f"unknown rule keys: {sorted(unknown)}")
    if not rule.get("service"):
        raise ValueError("rule needs a service ('*' for every service)")
    mode = rule.get("mode") or "refused"
    if mode not in MODES:
        raise ValueError(f"mode must be one of {list(MODES)}")
    error = rule.get("error") or ("InternalError" if mode == "applied" else None)
    rate = float(rule.get("rate", 1.0))
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate must be between 0.0 and 1.0")
    latency_ms = int(rule.get("latency_ms", 0))
    if latency_ms < 0:
        raise ValueError("latency_ms must not be negative")
    status = int(rule.get("status") or (500 if error in SERVER_ERRORS else 400))
    if not 400 <= status <= 599:
        raise ValueError("status must be a 4xx or 5xx code")
    seed = _integer(rule, "seed", 0)
    every = _integer(rule, "every", 1)
    offset = _integer(rule, "offset", 0)
    times = _integer(rule, "times", 1)
    if every is not None and ("rate" in rule or seed is not None):
        raise ValueError("every picks calls by count: it excludes rate and seed")
    if offset is not None and (every is None or offset >= every):
        raise ValueError("offset needs every and must be smaller than it")
    return {
        "service": rule["service"],
        "operation": rule.get("operation") or "*",
        "error": error,
        "status": status,
        "rate": rate,
        "latency_ms": latency_ms,
        "message": rule.get("message") or f"Injected by the lab: {error}",
        "seed": seed,
        "every": every,
        "offset": offset or 0,
        "times": times,
        "mode": mode,
    }


@dataclass
class Decision:
    """What to do with one request: wait `delay` seconds, then answer `rule`'s error (None: answer normally),
    after passing the call on to moto when `applied`."""

    delay: float = 0.0
    rule: dict[str, Any] | None = None

    @property
    def applied(self) -> bool:
        return self.rule is not None and self.rule["mode"] == "applied"


class _Rule:
    """A validated rule with its own state: the calls it matched, the failures it answered, its random generator."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.matched = 0
        self.failed = 0
        self.random = random.Random(spec["seed"]) if spec["seed"] is not None else random

    def matches(self, service: str | None, operation: str | None) -> bool:
        return self.spec["service"] in ("*", service) and self.spec["operation"] in ("*", operation)

    def fails_next(self) -> bool:
        """Counts one matching call and says whether it fails (called under the rules' lock: counts stay exact)."""
        spec = self.spec
        self.matched += 1
        if spec["error"] is None or (spec["times"] is not None and self.failed >= spec["times"]):
            return False
        by_count = spec["every"] is not None
        failing = self.matched % spec["every"] == spec["offset"] % spec["every"] if by_count else self.random.random() < spec["rate"]
        self.failed += failing
        return failing

    def view(self) -> dict[str, Any]:
        return dict(self.spec, matched=self.matched, failed=self.failed)


class FaultRules:
    def __init__(self) -> None:
        self._rules: list[_Rule] = []
        self._lock = threading.Lock()

    def replace(self, rules: list[Any]) -> None:
        validated = [_Rule(_validate(rule)) for rule in rules]
        with self._lock:
            self._rules = validated

    def rules(self) -> list[dict[str, Any]]:
        """The rules as validated, each with how many calls it matched and how many of them it failed."""
        with self._lock:
            return [rule.view() for rule in self._rules]

    def decide(self, service: str | None, operation: str | None) -> Decision:
        """The decision for one request; the first matching rule decides."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(service, operation):
                    failing = rule.fails_next()
                    return Decision(rule.spec["latency_ms"] / 1000.0, rule.spec if failing else None)
        return Decision()


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
