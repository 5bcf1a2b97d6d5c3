"""Summarise the emulator's request log: calls by service and operation, mutating calls, errors (pure logic)."""

from __future__ import annotations

from collections import Counter
from typing import Any


def summarise(entries: list[dict[str, Any]]) -> dict[str, Any]:
    by_operation: Counter[str] = Counter()
    by_service: Counter[str] = Counter()
    mutating: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    for entry in entries:
        name = f"{entry.get('service') or '?'}:{entry.get('operation') or '?'}"
        by_operation[name] += 1
        by_service[entry.get("service") or "?"] += 1
        if entry.get("mutating"):
            mutating[name] += 1
        if int(entry.get("status") or 0) >= 400:
            errors[name] += 1
    return {
        "calls": len(entries),
        "mutating_calls": sum(mutating.values()),
        "error_answers": sum(errors.values()),
        "by_service": dict(by_service.most_common()),
        "by_operation": dict(by_operation.most_common()),
        "mutating": dict(mutating.most_common()),
        "errors": dict(errors.most_common()),
    }
