"""Summarise the emulator's request log: calls by service and operation, mutating calls, errors (pure logic)."""

from __future__ import annotations

from collections import Counter
from typing import Any

# The controller, where Ansible and its AWS modules run. Every other caller is one of the lab's own machines: the
# stand-in agents on the on-prem hosts (SSM heartbeats, ECS agent polls, registrations a run asks them to make) and
# the file gateway appliance polling its shares; they are counted apart from a run's own (the controller's) calls.
CONTROLLER_CLIENTS = frozenset({"127.0.0.1", "::1", "None"})


def own_calls(summary: dict[str, Any]) -> tuple[int, int, int]:
    """(calls, mutating calls) the controller made, and the calls of the lab's other machines, from a summary."""
    return summary["calls"], summary["mutating_calls"], summary["lab_machines"]["calls"]


def summarise(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of the controller's calls; the lab machines' calls (agents, appliance) as lab_machines."""
    by_operation: Counter[str] = Counter()
    by_service: Counter[str] = Counter()
    mutating: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    clients: Counter[str] = Counter()
    machines: Counter[str] = Counter()
    for entry in entries:
        client = str(entry.get("client"))
        clients[client] += 1
        name = f"{entry.get('service') or '?'}:{entry.get('operation') or '?'}"
        if client not in CONTROLLER_CLIENTS:
            machines[name] += 1
            continue
        by_operation[name] += 1
        by_service[entry.get("service") or "?"] += 1
        if entry.get("mutating"):
            mutating[name] += 1
        if int(entry.get("status") or 0) >= 400:
            errors[name] += 1
    return {
        "calls": sum(by_operation.values()),
        "mutating_calls": sum(mutating.values()),
        "error_answers": sum(errors.values()),
        "by_service": dict(by_service.most_common()),
        "by_operation": dict(by_operation.most_common()),
        "mutating": dict(mutating.most_common()),
        "errors": dict(errors.most_common()),
        "by_client": dict(clients.most_common()),
        "lab_machines": {"calls": sum(machines.values()), "by_operation": dict(machines.most_common())},
    }
