"""A run killed during the SSM agent's restart on a lab host, then rerun (issue 15, item 5: the kill point that needs
the lab's hosts; the others are in tests/integration/test_faults_killed.py).

A configuration change of the ssm_agent role notifies "Restart the SSM agent", a handler that runs after the
registration (register.yml flushes the handlers there). The run (ansible-playbook, its workers, their modules and its
SSH control masters) is SIGKILLed as soon as the new configuration is on the host, before that restart: the agent
keeps running with the configuration it started with, and a rerun finds the file as it wants it, so no task notifies
the restart again. The rerun must restart the agent all the same (hybridcloud.aws.service_config_freshness finds the
agent's process older than its configuration): afterwards the agent's process is younger than its configuration, its
managed instance is the one it had (no registration since the test began) and Online, and the stored activation code
still registers a managed instance (removed again). The lab is changed under the lab lock and put back at the end.
"""

from __future__ import annotations

import json
import subprocess
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from support.killed_runs import kill_run, marked_environment
from support.lab_site import DOCKER, EMULATOR, REPO, changes, failures, in_host, lab_aws, playbook_command, playbook_environment, site
from support.managed_instances import register_managed_instance

pytestmark = pytest.mark.lab

HOST = "onprem-app-2"
LAYERS = ("--tags", "systems_manager,ssm_agent", "--limit", f"localhost,{HOST}")
CONFIG = "/etc/amazon/ssm/amazon-ssm-agent.json"
# A setting of the real agent's configuration file that the lab's stand-in agent ignores.
SETTING = "TelemetryMetricsToSSM"
CHANGED = ("-e", json.dumps({"ssm_agent_config_overrides": {"Agent": {SETTING: False}}}))
REGISTRATION = "/var/lib/amazon/ssm/registration"
CODE_PARAMETER = "/hybridcloud-lab/ssm/activation"
RESTART_TASK = "Restart the agent if it started before its configuration last changed"


def registered_id(host: str) -> str:
    return json.loads(in_host(host, f"cat {REGISTRATION}"))["ManagedInstanceID"]


def agent_age(host: str) -> tuple[float, float]:
    """(when the agent's service last started, when its configuration file last changed), seconds since the epoch."""
    started = in_host(host, "systemctl show --property=ActiveEnterTimestamp --timestamp=unix --value amazon-ssm-agent").strip()
    changed = in_host(host, f"stat -c %Y {CONFIG}").strip()
    return float(started.lstrip("@")), float(changed)


def managed_instances(ssm: Any) -> list[dict[str, Any]]:
    return [item for page in ssm.get_paginator("describe_instance_information").paginate() for item in page["InstanceInformationList"]]


def ping_status(ssm: Any, instance_id: str) -> str:
    return ssm.describe_instance_information(Filters=[{"Key": "InstanceIds", "Values": [instance_id]}])["InstanceInformationList"][0]["PingStatus"]


def kill_once_configured(tmp_path: Path) -> None:
    """Runs the two layers for HOST with the changed setting and kills the run once the host's file has it."""
    mark = tmp_path / "ansible"
    env = {**playbook_environment(EMULATOR), **marked_environment(mark)}
    run = subprocess.Popen(playbook_command("site.yml", *LAYERS, *CHANGED), cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run.mark = str(mark)  # type: ignore[attr-defined]
    watch = ["docker", "exec", HOST, "sh", "-c", f"until grep -q {SETTING} {CONFIG}; do sleep 0.05; done"]
    try:
        subprocess.run(watch, env=DOCKER, timeout=300, check=True)
    finally:
        kill_run(run)


def test_a_run_killed_before_the_agent_restart_is_rerun_to_a_restarted_agent(converged_lab: dict[str, Any], lab_lock: None, tmp_path: Path) -> None:
    ssm = lab_aws("ssm")
    instance = registered_id(HOST)
    assert SETTING not in in_host(HOST, f"cat {CONFIG}"), "the lab's configuration already has the test's setting"
    since = datetime.now().astimezone()

    kill_once_configured(tmp_path)

    started, changed = agent_age(HOST)
    assert started < changed, "the run was killed after the agent's restart, not before it: the test proves nothing"
    try:
        rerun = site(EMULATOR, *LAYERS, *CHANGED)

        assert rerun["rc"] == 0, failures(rerun)[:5] or rerun["stderr"][-2000:]
        assert any(change.endswith(f"{RESTART_TASK} on {HOST}") for change in changes(rerun)), changes(rerun)
        started, changed = agent_age(HOST)
        assert started >= changed, "the rerun left the agent on its old configuration"
        assert registered_id(HOST) == instance
        assert [i["InstanceId"] for i in managed_instances(ssm) if i["RegistrationDate"] >= since] == []
        deadline = time.monotonic() + 90
        while (ping := ping_status(ssm, instance)) != "Online":
            assert time.monotonic() < deadline, f"{instance} is {ping}, not Online, 90 s after the rerun"
            time.sleep(2)
        stored = json.loads(ssm.get_parameter(Name=CODE_PARAMETER, WithDecryption=True)["Parameter"]["Value"])
        probe = register_managed_instance(EMULATOR, {"ActivationId": stored["id"], "ActivationCode": stored["code"]})
        ssm.deregister_managed_instance(InstanceId=probe)
    finally:
        restored = site(EMULATOR, *LAYERS)
    assert restored["rc"] == 0, failures(restored)[:5] or restored["stderr"][-2000:]
    assert SETTING not in in_host(HOST, f"cat {CONFIG}")
