"""Summarise the emulator's request log: calls by service and operation, mutating calls, errors (pure logic)."""

from __future__ import annotations

from collections import Counter
from typing import Any

# Calls the lab's agents make on their own clock, whatever a run does: the stand-in SSM agent's heartbeat (at start,
# then every LAB_SSM_HEARTBEAT_SECONDS on every registered host). They are counted apart from a run's own calls.
BACKGROUND_OPERATIONS = frozenset({"ssm:UpdateInstanceInformation"})


def own_calls(summary: dict[str, Any]) -> tuple[int, int, int]:
    """(calls, mutating calls) of the run itself and the background calls left out, from a summary."""
    background = sum(summary["by_operation"].get(operation, 0) for operation in BACKGROUND_OPERATIONS)
    background_mutating = sum(summary["mutating"].get(operation, 0) for operation in BACKGROUND_OPERATIONS)
    return summary["calls"] - background, summary["mutating_calls"] - background_mutating, background


def summarise(entries: list[dict[str, Any]]) -> dict[str, Any]:
    by_operation: Counter[str] = Counter()
    by_service: Counter[str] = Counter()
    mutating: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    clients: Counter[str] = Counter()
    for entry in entries:
        clients[str(entry.get("client") or "?")] += 1
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
        "by_client": dict(clients.most_common()),
    }
