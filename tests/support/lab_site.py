"""Running site.yml against the shared lab and reading its json-callback document (tests/lab)."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EMULATOR = f"http://127.0.0.1:{os.environ.get('LAB_EMULATOR_PORT', '4566')}"
REGION = "us-east-1"
# The lab's on-prem hosts (inventories/lab) and their addresses; reached from here through the lab's Docker daemon.
HOSTS = {"onprem-app-1": "10.254.0.211", "onprem-app-2": "10.254.0.212"}
DOCKER = {**os.environ, "DOCKER_HOST": os.environ.get("LAB_DOCKER_HOST", "unix:///run/hybridlab-docker.sock")}
# The lock the molecule scenarios, make bench and the tests that change the shared lab take (flock).
LAB_LOCK = "/tmp/hybridlab-molecule.lock"


@contextmanager
def lab_lock() -> Iterator[None]:
    """Holds the lab lock (LAB_LOCK) while the shared lab is changed."""
    with open(LAB_LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def lab_get(endpoint: str, path: str) -> Any:
    with urllib.request.urlopen(endpoint + path, timeout=10) as answer:
        return json.load(answer)


def lab_send(endpoint: str, method: str, path: str, payload: Any = None) -> Any:
    """A call to the emulator's /_lab control API with a JSON body (faults, snapshots); its JSON answer."""
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(endpoint + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def lab_aws(service: str, region: str = REGION, endpoint: str = EMULATOR) -> Any:
    """A boto3 client of the lab's emulator."""
    return boto3.client(service, endpoint_url=endpoint, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")


def lab_up() -> None:
    """Starts the lab (emulator, mirror, appliance, on-prem hosts) unless it is running."""
    if subprocess.run(["bash", "lab/lab.sh", "status"], cwd=REPO, capture_output=True, check=False).returncode != 0:
        subprocess.run(["bash", "lab/lab.sh", "up"], cwd=REPO, check=True, timeout=900)


def in_host(host: str, script: str, timeout: float = 60) -> str:
    """The output of SCRIPT run as root on the lab host HOST (docker exec); fails the test unless it exits 0."""
    result = subprocess.run(["docker", "exec", host, "sh", "-c", script], env=DOCKER, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, f"{host}: {script}: {result.stderr[-2000:]}"
    return result.stdout


def site(endpoint: str, *args: str) -> dict[str, Any]:
    """Runs site.yml against the lab inventory with the ansible.posix.json callback; returns its document."""
    return playbook(endpoint, "site.yml", *args)


def playbook(endpoint: str, path: str, *args: str) -> dict[str, Any]:
    """Runs a playbook of the repository (PATH relative to it) against the lab inventory with the ansible.posix.json
    callback; returns its document with rc and stderr."""
    command = playbook_command(path, *args)
    completed = subprocess.run(command, capture_output=True, text=True, env=playbook_environment(endpoint), cwd=REPO, timeout=1800, check=False)
    start = completed.stdout.find("{")
    document = json.loads(completed.stdout[start:]) if start >= 0 else {}
    document["rc"], document["stderr"] = completed.returncode, completed.stderr
    return document


def playbook_command(path: str, *args: str) -> list[str]:
    """ansible-playbook with the lab inventory running PATH (relative to the repository)."""
    return [str(BIN / "ansible-playbook"), "-i", str(REPO / "inventories/lab"), str(REPO / path), *args]


def playbook_environment(endpoint: str) -> dict[str, str]:
    """The environment of a playbook run against the lab: the checkout's ansible.cfg, the json callback, the emulator."""
    return {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
        "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json",
        "ANSIBLE_NOCOLOR": "1",
        # Lookups (the ECS AMI parameter) ignore module_defaults and reach the emulator through the environment.
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }


def totals(document: dict[str, Any], key: str) -> int:
    return sum(host.get(key, 0) for host in document.get("stats", {}).values())


def failures(document: dict[str, Any]) -> list[str]:
    """'task on host: message' of every failed or unreachable result, for a readable assertion."""
    found = []
    for play in document.get("plays", []):
        for task in play["tasks"]:
            for host, result in task["hosts"].items():
                if (result.get("failed") and not result.get("ignore_errors")) or result.get("unreachable"):
                    found.append(f"{task['task']['name']} on {host}: {str(result.get('msg', ''))[:400]}")
    return found or [document.get("stderr", "")[-2000:]]


def changes(document: dict[str, Any]) -> list[str]:
    return [
        f"{task['task']['name']} on {host}"
        for play in document.get("plays", [])
        for task in play["tasks"]
        for host, result in task["hosts"].items()
        if result.get("changed")
    ]


def ran(document: dict[str, Any]) -> set[str]:
    """The names of the tasks that ran (were not skipped) on at least one host."""
    return {task["task"]["name"] for play in document["plays"] for task in play["tasks"] if any(not r.get("skipped") for r in task["hosts"].values())}


def controller_calls(started: float, endpoint: str = EMULATOR) -> list[dict[str, Any]]:
    """The emulator's request log from STARTED on, the controller's calls only (client 127.0.0.1): the agents on the
    lab hosts keep calling on their own."""
    return [c for c in lab_get(endpoint, "/_lab/requests")["requests"] if c["time"] >= started and c["client"] == "127.0.0.1"]
