"""Check mode of the on-prem roles on a FRESH lab host (nothing installed yet, no python3-apt, which apt's own check
mode needs): docker_engine, ssm_agent, ecs_anywhere and file_gateway_mount, as playbooks/onprem.yml applies them with
the lab inventory's values, must run through with --check, say what they would install, and leave the host and the
AWS side exactly as they were.

A throwaway lab host (the lab host image and flags, at 10.254.0.252) plays the fresh machine; the lab's own hosts
stay untouched. The AWS calls go to an emulator of this test session (tests/conftest.py: a private one unless
$AWS_ENDPOINT_URL names a running one); only the calls made during the run are looked at. The lab is brought up when
it is not running, and left up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.lab

REPO = Path(__file__).resolve().parents[2]
LAB = REPO / "lab"
SSH_DIR = LAB / ".state" / "ssh"
BIN = Path(sys.executable).parent
HOST, ADDRESS = "hybridlab-check-mode", "10.254.0.252"
PLAYBOOK = Path(__file__).parent / "files" / "onprem_roles.yml"
# What a first real run installs; check mode must install none of it.
PACKAGES = ["python3-apt", "docker.io", "amazon-ssm-agent", "amazon-ecs-init", "nfs-common"]
# What a first real run writes; check mode must write none of it.
PATHS = ["/etc/docker/daemon.json", "/etc/amazon/ssm", "/etc/ecs/ecs.config", "/var/lib/ecs", "/mnt/shared", "/etc/apt/keyrings/docker-engine.asc"]
ENV = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "DOCKER_HOST": "unix:///run/hybridlab-docker.sock"}


def run(*args: str | Path, timeout: float = 300, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(arg) for arg in args], env=env or ENV, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False)


def ssh(command: str) -> subprocess.CompletedProcess[str]:
    options = [f"UserKnownHostsFile={SSH_DIR / 'known_hosts'}", "StrictHostKeyChecking=yes", "IdentitiesOnly=yes", "BatchMode=yes"]
    return run("ssh", "-i", SSH_DIR / "id_ed25519", *[arg for option in options for arg in ("-o", option)], f"root@{ADDRESS}", command)


@pytest.fixture(scope="module")
def fresh_host() -> Iterator[str]:
    if run("bash", LAB / "lab.sh", "status").returncode != 0:
        started = run("bash", LAB / "lab.sh", "up", timeout=900)
        assert started.returncode == 0, started.stderr[-3000:]
    started = run("bash", LAB / "onprem" / "host.sh", "start", HOST, ADDRESS, "check")
    assert started.returncode == 0, started.stderr[-3000:]
    try:
        yield HOST
    finally:
        run("bash", LAB / "onprem" / "host.sh", "stop", HOST)


def host_state() -> dict[str, Any]:
    """Package states, which of PATHS exist, and a digest of /etc and /usr (names, sizes, times)."""
    packages = ssh("dpkg-query --show --showformat='${Package} ${db:Status-Status}\\n' " + " ".join(PACKAGES) + " 2>/dev/null; true")
    paths = ssh("for p in " + " ".join(PATHS) + '; do [ -e "$p" ] && echo "$p"; done; true')
    digest = ssh("find /etc /usr /opt -xdev -printf '%p %s %T@\\n' 2>/dev/null | sort | sha256sum")
    assert packages.returncode == paths.returncode == digest.returncode == 0, packages.stderr + paths.stderr + digest.stderr
    installed = [line.split()[0] for line in packages.stdout.splitlines() if line.endswith(" installed")]
    return {"installed": installed, "paths": paths.stdout.split(), "digest": digest.stdout.split()[0]}


def results(document: dict[str, Any], task: str) -> list[dict[str, Any]]:
    """Every result of the tasks whose name (without the role's prefix) starts with this, for the test host."""
    return [
        entry["hosts"][HOST]
        for play in document.get("plays", [])
        for entry in play["tasks"]
        if entry["task"]["name"].split(" : ")[-1].startswith(task) and HOST in entry["hosts"]
    ]


def test_check_mode_on_a_fresh_host_changes_nothing(fresh_host: str, emulator_endpoint: str, lab_api: Callable[..., tuple[int, Any]]) -> None:
    before = host_state()
    assert before["installed"] == [] and before["paths"] == [], f"the host is not fresh: {before}"

    with tempfile.TemporaryDirectory() as scratch:
        # Connection settings as host variables (they outrank inventories/lab's group_vars, whose paths are relative
        # to the inventory's directory); lab_root too, for the lab inventory's mirror fingerprint lookup.
        inventory = Path(scratch) / "hosts.yml"
        common_args = f"-o UserKnownHostsFile={SSH_DIR / 'known_hosts'} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes"
        host_vars = {"ansible_host": ADDRESS, "ansible_ssh_private_key_file": str(SSH_DIR / "id_ed25519"), "ansible_ssh_common_args": common_args}
        inventory.write_text(json.dumps({"all": {"children": {"onprem": {"hosts": {HOST: {**host_vars, "lab_root": str(REPO)}}}}}}))
        env = {
            **ENV,
            "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
            "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json",
            "AWS_ENDPOINT_URL": emulator_endpoint,
        }
        command = ["ansible-playbook", "-i", REPO / "inventories" / "lab", "-i", inventory, "--limit", HOST, "--check", PLAYBOOK]
        since = time.time()
        started = time.monotonic()
        completed = run(*command, env=env, timeout=900)
        print(f"check mode of the four roles on a fresh host: {time.monotonic() - started:.1f} s")

    start = completed.stdout.find("{")
    assert start >= 0, completed.stderr[-3000:]
    document = json.loads(completed.stdout[start:])
    stats = document["stats"][HOST]
    failed = [f"{entry['task']['name']}: {entry['hosts'][HOST].get('msg')}" for play in document["plays"] for entry in play["tasks"]
              if entry["hosts"].get(HOST, {}).get("failed") and not entry["hosts"][HOST].get("ignore_errors")]  # fmt: skip
    assert (completed.returncode, stats["failures"], stats["unreachable"]) == (0, 0, 0), failed or completed.stderr[-3000:]

    # Each role says what it would install, as a change: docker_engine and file_gateway_mount without asking apt,
    # ssm_agent and ecs_anywhere through verified_package.
    reports = [result for result in results(document, "Report what check mode would install") if not result.get("skipped")]
    messages = [result["msg"] for result in reports]
    assert all(result["changed"] for result in reports), reports
    for expected in ("Would install docker.io", "Would install nfs-common", "the SSM agent package", "the ecs-init package"):
        assert any(expected in message for message in messages), (expected, messages)

    after = host_state()
    assert after == before, "check mode changed the host"

    status, answer = lab_api("GET", "/_lab/requests")
    assert status == 200, answer
    calls = [call for call in answer["requests"] if call["time"] >= since]
    assert [f"{call['service']}:{call['operation']}" for call in calls if call["mutating"]] == []
