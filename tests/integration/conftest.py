"""Harness for module integration tests: runs real ansible-playbook processes against the lab emulator.

`playbook(tasks)` runs a localhost play whose module_defaults point every AWS action group at the emulator and
returns the parsed results of the ansible.posix.json callback with the API calls the emulator received during
the run (`.api_calls`, `.mutating_calls`), so a check-mode run can prove it changed nothing;
`mutating_calls()` lists every mutating call since the test began.

`AccountSnapshot` lets a file converge once: its module fixture builds the account and saves it in the emulator
(lab/awsemu/snapshots.py), and each test that starts from the converged account restores a copy of it instead of
converging again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
AWS_GROUPS = ("group/amazon.aws.aws", "group/community.aws.aws", "group/hybridcloud.aws.aws")


@dataclass
class PlaybookResult:
    rc: int
    output: str
    tasks: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    api_calls: list[dict[str, Any]] = field(default_factory=list)

    @property
    def mutating_calls(self) -> list[dict[str, Any]]:
        """The mutating AWS API calls the emulator received during this run."""
        return [call for call in self.api_calls if call["mutating"]]

    @property
    def changed(self) -> int:
        return sum(host.get("changed", 0) for host in self.stats.values())

    @property
    def failed(self) -> int:
        return sum(host.get("failures", 0) + host.get("unreachable", 0) for host in self.stats.values())

    def task(self, name: str) -> dict[str, Any]:
        """The result of the (last) task with this name."""
        matches = [task for task in self.tasks if task["name"] == name]
        assert matches, f"no task named {name!r} in {[task['name'] for task in self.tasks]}"
        return matches[-1]


def parse_json_callback(output: str, rc: int) -> PlaybookResult:
    start = output.find("{")
    document = json.loads(output[start:]) if start >= 0 else {}
    tasks = []
    for play in document.get("plays", []):
        for task in play.get("tasks", []):
            for result in task.get("hosts", {}).values():
                tasks.append(
                    {
                        "name": task["task"]["name"],
                        "action": result.get("action"),
                        "changed": bool(result.get("changed")),
                        "failed": bool(result.get("failed")),
                        "result": result,
                    }
                )
    return PlaybookResult(rc=rc, output=output, tasks=tasks, stats=document.get("stats", {}))


def pytest_configure(config: pytest.Config) -> None:
    """Refuse an xdist mode that splits a file across workers: a file's module-scoped fixture converges lab state
    (test_controller_jobs, the bad-input modules: minutes each), and each worker holding part of the file would
    converge it again."""
    workers = getattr(config.option, "numprocesses", None)
    dist = getattr(config.option, "dist", "no")
    if workers and dist not in ("loadfile", "loadscope"):
        raise pytest.UsageError(f"tests/integration runs with --dist loadfile (or loadscope), not {dist!r}: see make integration")


@pytest.fixture(scope="session", autouse=True)
def modules_from_zygote(module_zygote: None) -> None:
    """The controller's AWS module runs of these tests fork from the session's zygote (tests/conftest.py)."""


@pytest.fixture(autouse=True)
def reset_emulator(fresh_emulator: None) -> None:
    """Every test here starts on an empty emulator."""


class AccountSnapshot:
    """The emulator's whole account saved under NAME (one per test file; each xdist worker has its own emulator)."""

    def __init__(self, lab_api: Callable[..., tuple[int, Any]], name: str):
        self.lab_api, self.name = lab_api, name

    def empty(self) -> None:
        """Start the file's converge on an empty emulator (module fixtures run before each test's own reset)."""
        for method, path in (("POST", "/_lab/reset"), ("DELETE", "/_lab/faults"), ("DELETE", "/_lab/requests")):
            status, answer = self.lab_api(method, path)
            assert status == 200, answer

    def save(self) -> None:
        status, answer = self.lab_api("POST", f"/_lab/snapshots/{self.name}")
        assert status == 200, answer

    def restore(self) -> None:
        """The saved account back (a copy), with an empty request log: mutating_calls() counts from here."""
        status, answer = self.lab_api("POST", f"/_lab/snapshots/{self.name}/restore")
        assert status == 200, answer
        self.lab_api("DELETE", "/_lab/requests")


def converged_once(
    name: str, lab_api: Callable[..., tuple[int, Any]], emulator_endpoint: str, tmp_path_factory: pytest.TempPathFactory, build: Callable[..., Any]
) -> tuple[AccountSnapshot, Any]:
    """For a module fixture: build(playbook) on an empty emulator, then the account saved as snapshot NAME.
    Returns the snapshot and what build returned (the first converge's result, the inputs it was given)."""
    snapshot = AccountSnapshot(lab_api, name)
    snapshot.empty()
    made = build(playbook_runner(emulator_endpoint, lab_api, tmp_path_factory.mktemp(name)))
    snapshot.save()
    return snapshot, made


@pytest.fixture(scope="session")
def aws(client: Callable[..., Any]) -> Callable[..., Any]:
    """aws("ecs", region="us-east-1") -> a boto3 client against the emulator."""
    return client


def recorded_calls(lab_api: Callable[..., tuple[int, Any]]) -> list[dict[str, Any]]:
    status, answer = lab_api("GET", "/_lab/requests")
    assert status == 200, answer
    return answer["requests"]


@pytest.fixture
def mutating_calls(lab_api: Callable[..., tuple[int, Any]]) -> Callable[[], list[dict[str, Any]]]:
    """mutating_calls() -> the mutating API calls recorded since the test began (setup calls included)."""
    return lambda: [call for call in recorded_calls(lab_api) if call["mutating"]]


@pytest.fixture
def playbook(emulator_endpoint: str, lab_api: Callable[..., tuple[int, Any]], tmp_path: Path) -> Callable[..., PlaybookResult]:
    return playbook_runner(emulator_endpoint, lab_api, tmp_path)


def playbook_runner(emulator_endpoint: str, lab_api: Callable[..., tuple[int, Any]], tmp_path: Path) -> Callable[..., PlaybookResult]:
    """The `playbook` fixture's runner, for a module-scoped fixture (one converge shared by a file's tests)."""
    aws_defaults = {"endpoint_url": emulator_endpoint, "access_key": "testing", "secret_key": "testing", "region": "us-east-1"}

    def run(
        tasks: list[dict[str, Any]] | str,
        check: bool = False,
        diff: bool = False,
        extra_vars: dict[str, Any] | None = None,
        *,
        aws_config: dict[str, Any] | None = None,
        environment: dict[str, str] | None = None,
    ) -> PlaybookResult:
        """aws_config: botocore's settings for every AWS module of the play (retries, as an inventory sets them);
        environment: more variables for ansible-playbook (AWS_RETRY_MODE and AWS_MAX_ATTEMPTS reach the lookups,
        which ignore aws_config)."""
        if isinstance(tasks, str):
            tasks = yaml.safe_load(tasks)
        defaults = {**aws_defaults, "aws_config": aws_config} if aws_config else aws_defaults
        play = {
            "name": "integration",
            "hosts": "localhost",
            "connection": "local",
            "gather_facts": False,
            "module_defaults": dict.fromkeys(AWS_GROUPS, defaults),
            "tasks": tasks,
        }
        path = tmp_path / "playbook.yml"
        path.write_text(yaml.safe_dump([play], sort_keys=False))
        command = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", "localhost,", str(path)]
        command += ["-e", json.dumps({"ansible_python_interpreter": sys.executable, **(extra_vars or {})})]
        command += ["--check"] * check + ["--diff"] * diff
        env = dict(
            os.environ,
            ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
            ANSIBLE_STDOUT_CALLBACK="ansible.posix.json",
            ANSIBLE_CALLBACK_RESULT_FORMAT="json",
            ANSIBLE_NOCOLOR="1",
            **(environment or {}),
        )
        calls_before = len(recorded_calls(lab_api))
        completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
        result = parse_json_callback(completed.stdout, completed.returncode)
        result.output += completed.stderr
        result.api_calls = recorded_calls(lab_api)[calls_before:]
        return result

    return run
