"""How AWX renders a credential type's injectors, shared by the controller configuration's unit test and the job
runs (tests/support/awx_jobs.py); without ansible-runner, so that the units run on every ansible-core tested."""

from __future__ import annotations

from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment


def render(node: Any, inputs: dict[str, Any]) -> Any:
    """What AWX makes of an injector: every string rendered in a Jinja sandbox, dicts and lists kept as they are."""
    if isinstance(node, dict):
        return {render(key, inputs): render(value, inputs) for key, value in node.items()}
    if isinstance(node, list):
        return [render(item, inputs) for item in node]
    return ImmutableSandboxedEnvironment().from_string(node).render(**inputs)
