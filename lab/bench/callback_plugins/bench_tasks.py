"""Lab only (make bench): counts the tasks of a playbook run and writes them as JSON to $BENCH_TASKS_FILE.

Counted per task result (one per host and task; a loop's items are counted apart): ok, changed, failed, skipped,
unreachable; an "AWS task" is a result on the controller (aws_controller, named localhost) of a module outside
ansible.builtin. The seconds each task took (its start to its last host's result) name the slowest tasks.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_tasks
type: aggregate
short_description: counts tasks and their outcomes for the lab's make bench (lab only)
description:
  - Writes task counts and the slowest tasks as JSON to the file named by BENCH_TASKS_FILE.
requirements:
  - enable in callbacks_enabled
"""

BUILTIN_PREFIXES = ("ansible.builtin.", "ansible.legacy.")
BUILTIN_SHORT = {
    "assert",
    "command",
    "copy",
    "debug",
    "fail",
    "file",
    "include_role",
    "include_tasks",
    "import_role",
    "import_tasks",
    "meta",
    "package",
    "set_fact",
    "shell",
    "stat",
    "template",
    "wait_for",
    "pause",
    "uri",
    "slurp",
    "set_stats",
    "apt",
    "systemd",
    "service",
    "lineinfile",
    "get_url",
    "user",
    "group",
    "getent",
    "setup",
    "raw",
    "script",
    "fetch",
}


def is_aws_action(action: str | None) -> bool:
    if not action:
        return False
    return not action.startswith(BUILTIN_PREFIXES) and action not in BUILTIN_SHORT


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_tasks"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self.started = time.time()
        self.counts = {"ok": 0, "changed": 0, "failed": 0, "skipped": 0, "unreachable": 0, "items": 0}
        self.tasks_started = 0
        self.aws = {"ok": 0, "changed": 0, "failed": 0, "skipped": 0}
        self.hosts: set[str] = set()
        self.timing: dict[str, dict[str, float | str]] = {}
        self.changed_tasks: list[str] = []

    def _task_start(self, task) -> None:
        self.tasks_started += 1
        self.timing.setdefault(task._uuid, {"name": task.get_name(), "start": time.time(), "end": time.time()})

    def v2_playbook_on_task_start(self, task, is_conditional) -> None:
        self._task_start(task)

    def v2_playbook_on_handler_task_start(self, task) -> None:
        self._task_start(task)

    def _record(self, result, outcome: str) -> None:
        host = result._host.get_name()
        self.hosts.add(host)
        if outcome == "ok" and result._result.get("changed"):
            outcome = "changed"
            self.changed_tasks.append(f"{host}: {result._task.get_name()}")
        self.counts[outcome] += 1
        action = result._task.action
        if host == "localhost" and is_aws_action(action) and outcome in self.aws:
            self.aws[outcome] += 1
        entry = self.timing.get(result._task._uuid)
        if entry is not None:
            entry["end"] = time.time()

    def v2_runner_on_ok(self, result) -> None:
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False) -> None:
        self._record(result, "failed" if not ignore_errors else "ok")

    def v2_runner_on_skipped(self, result) -> None:
        self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result) -> None:
        self._record(result, "unreachable")

    def v2_runner_item_on_ok(self, result) -> None:
        self.counts["items"] += 1

    def v2_runner_item_on_failed(self, result) -> None:
        self.counts["items"] += 1

    def v2_playbook_on_stats(self, stats) -> None:
        path = os.environ.get("BENCH_TASKS_FILE")
        if not path:
            return
        slowest = sorted(self.timing.values(), key=lambda entry: float(entry["end"]) - float(entry["start"]), reverse=True)[:15]
        summary = {
            "tasks_started": self.tasks_started,
            "results": self.counts,
            "results_run": self.counts["ok"] + self.counts["changed"] + self.counts["failed"] + self.counts["unreachable"],
            "aws_results": self.aws,
            "aws_results_run": self.aws["ok"] + self.aws["changed"] + self.aws["failed"],
            "hosts": sorted(self.hosts),
            "changed_tasks": self.changed_tasks[:50],
            "slowest_tasks": [{"name": entry["name"], "seconds": round(float(entry["end"]) - float(entry["start"]), 2)} for entry in slowest],
            "seconds": round(time.time() - self.started, 2),
        }
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(summary, handle, indent=1)
