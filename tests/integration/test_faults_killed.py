"""A run killed at a named point (SIGKILL of ansible-playbook and its workers, as a cancelled AWX job or a lost
controller ends it), then rerun: the rerun converges with exactly one resource and a working activation code."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from support import managed_instances

ROOT = Path(__file__).resolve().parents[2]
ROLE = "HybridIntegrationRole"
PARAMETER = "/hybridcloud/faults/killed"
SSM_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
GROUPS = ("group/amazon.aws.aws", "group/community.aws.aws", "group/hybridcloud.aws.aws")
TASK = {"default_instance_name": "killed", "iam_role": ROLE, "code_parameter": PARAMETER, "registration_limit": 5}


def descendants(pid):
    """The processes below pid (ansible's workers run in sessions of their own: a process group kill misses them)."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_run(run):
    """SIGKILL for ansible-playbook, its workers and their modules at once, as a cancelled job or a lost controller."""
    for pid in [run.pid, *descendants(run.pid)]:
        with contextlib.suppress(ProcessLookupError):  # ended on its own meanwhile
            os.kill(pid, signal.SIGKILL)
    run.wait()


def start(endpoint, tmp_path):
    """ansible-playbook running the activation task."""
    connection = {"endpoint_url": endpoint, "access_key": "testing", "secret_key": "testing", "region": "us-east-1"}
    play = {
        "hosts": "localhost",
        "connection": "local",
        "gather_facts": False,
        "module_defaults": dict.fromkeys(GROUPS, connection),
        "tasks": [{"name": "activation", "hybridcloud.aws.ssm_activation": TASK}],
    }
    path = tmp_path / "killed.yml"
    path.write_text(yaml.safe_dump([play]))
    command = [
        str(Path(sys.executable).with_name("ansible-playbook")),
        "-i",
        "localhost,",
        str(path),
        "-e",
        json.dumps({"ansible_python_interpreter": sys.executable}),
    ]
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"))
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_killed_between_create_activation_and_storing_its_code(aws, lab_api, playbook, emulator_endpoint, tmp_path):
    aws("iam").create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(SSM_TRUST))
    ssm = aws("ssm")
    # CreateActivation is held for 2 s before the emulator carries it out: the run is killed while it waits, so the
    # activation comes into being with nobody left to store its code.
    lab_api("POST", "/_lab/faults", json={"rules": [{"service": "ssm", "operation": "CreateActivation", "latency_ms": 2000}]})
    run = start(emulator_endpoint, tmp_path)
    try:
        deadline = time.monotonic() + 60
        while lab_api("GET", "/_lab/faults")[1]["rules"][0]["matched"] == 0:
            assert run.poll() is None and time.monotonic() < deadline, "the run ended before it created the activation"
            time.sleep(0.05)
    finally:
        kill_run(run)
    time.sleep(2.5)  # the held CreateActivation completes on the emulator's side
    lab_api("DELETE", "/_lab/faults")
    [orphan] = ssm.describe_activations()["ActivationList"]
    assert ssm.describe_parameters()["Parameters"] == []

    rerun = playbook([{"name": "activation", "hybridcloud.aws.ssm_activation": TASK}])

    assert rerun.failed == 0, rerun.output
    result = rerun.task("activation")["result"]
    assert result["deleted_activation_ids"] == [orphan["ActivationId"]]  # its code is lost: renewed, not kept
    [activation] = ssm.describe_activations()["ActivationList"]
    stored = json.loads(ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]["Value"])
    assert stored["id"] == activation["ActivationId"] == result["activation_id"]
    assert managed_instances.register_managed_instance(emulator_endpoint, {"ActivationId": stored["id"], "ActivationCode": stored["code"]}).startswith("mi-")
