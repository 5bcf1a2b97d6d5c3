"""The job templates of controller/ that no other lab test launches, each launched on the converged lab as AWX runs
it (tests/support/lab_jobs.py): green, nothing changed, no mutating AWS call of the controller, and the layer's state
read back where the job reads it.

The other templates run elsewhere: "hybridcloud site" is the session's converge and its second launch, the
connectivity, cluster, services and onprem templates run alone in test_site.py, the DR templates standby, drill,
failover and failback in test_dr_pilot_light.py, and "aws dr plan", "aws network", "aws systems_manager" and
"aws registry" in tests/integration/test_controller_jobs.py (on an empty emulator, twice each).
tests/unit/test_controller_config.py checks that every template is launched by one of them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.lab_jobs import LabController
from support.lab_site import BIN, EMULATOR, HOSTS, REGION, REPO, changes, controller_calls, failures, in_host, ran, totals

pytestmark = pytest.mark.lab

# Template -> the launch's answers (survey) and task names whose run proves the job did its work, not only no harm.
LAUNCHES: dict[str, dict[str, Any]] = {
    "hybridcloud aws all": {"ran": ["Check the disaster recovery input", "Ensure the hybrid activation", "Ensure the NFS file shares", "Ensure the VPN path"]},
    "hybridcloud aws database": {},
    "hybridcloud aws data": {},
    "hybridcloud aws backup": {},
    "hybridcloud verify": {"ran": ["Every check passed"]},
    # The audit writes its report into the job's directory (a new one per job, as in AWX): files, not state.
    "hybridcloud audit": {"writes": ["Create the audit directory", "Write the findings as JSON", "Write the findings as Markdown"]},
    # The lab's hosts mount nothing (a container has no kernel NFS client): the survey's "present", as the lab
    # inventory's file_gateway_mount_state, keeps the fstab entries and mount points only.
    "hybridcloud onboard on-prem hosts": {
        "answers": {"hybridcloud_onprem_hosts": "onprem-app-2", "file_gateway_mount_state": "present"},
        "hosts": ["onprem-app-2"],
        # The play's input check runs once, on the first host of the group (an assert on the controller).
        "input_check": ["Check the hosts asked for (hybridcloud_onprem_hosts)"],
    },
}


@pytest.mark.parametrize("template", sorted(LAUNCHES))
def test_the_job_template_runs_green_and_changes_nothing(converged_lab: dict[str, Any], lab_controller: LabController, template: str) -> None:
    launch = LAUNCHES[template]
    document = lab_controller.launch(template, answers=launch.get("answers"))
    assert document["status"] == "successful" and document["rc"] == 0, failures(document)
    assert totals(document, "failures") + totals(document, "unreachable") == 0, failures(document)
    assert changes(document) == [f"{task} on localhost" for task in launch.get("writes", [])]
    assert set(launch.get("ran", [])) <= ran(document), json.dumps(sorted(ran(document)))
    if "hosts" in launch:
        # Only the hosts the survey names, among the on-prem ones (the controller's own plays run too).
        elsewhere = {
            task["task"]["name"]
            for play in document["plays"]
            for task in play["tasks"]
            for host in task["hosts"]
            if host.startswith("onprem-") and host not in launch["hosts"]
        }
        assert elsewhere <= set(launch["input_check"]), elsewhere
        assert all(document["stats"][host]["ok"] > 50 for host in launch["hosts"]), document["stats"]
    assert [f"{c['service']}:{c['operation']}" for c in controller_calls(document["started"]) if c["mutating"]] == []


def test_the_managed_instances_source_lists_the_registered_hosts_and_reaches_them(converged_lab: dict[str, Any], tmp_path: Path) -> None:
    """The inventory source "hybridcloud production managed instances" (controller/inventory_sources/, its region
    the lab's) against the lab's emulator: the converged hosts, as their SSM agents registered them, Online and
    reachable at the address each agent reports; a day-2 ad-hoc job over that inventory reaches both by SSH (the
    lab's key and known hosts, as the Machine and known hosts credentials give them)."""
    source = yaml.safe_load((REPO / "controller/inventory_sources/production.ssm_managed_instances.yml").read_text())
    (tmp_path / "lab.ssm_managed_instances.yml").write_text(yaml.safe_dump({**source, "regions": [REGION]}))
    env = {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
        "AWS_ENDPOINT_URL": EMULATOR,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "ANSIBLE_INVENTORY_UNPARSED_FAILED": "true",
    }
    inventory = ["-i", str(tmp_path / "lab.ssm_managed_instances.yml")]
    listed = subprocess.run([str(BIN / "ansible-inventory"), *inventory, "--list"], capture_output=True, text=True, env=env, cwd=REPO, check=False)
    assert listed.returncode == 0 and "WARNING" not in listed.stderr, listed.stderr
    document = json.loads(listed.stdout)
    hostvars = document["_meta"]["hostvars"]
    assert sorted(document["reachable"]["hosts"]) == sorted(document["ping_online"]["hosts"]) == sorted(HOSTS)
    assert {host: hostvars[host]["ansible_host"]["__ansible_unsafe"] for host in HOSTS} == HOSTS
    assert {hostvars[host]["instance_id"]["__ansible_unsafe"][:3] for host in HOSTS} == {"mi-"}

    ssh = REPO / "lab/.state/ssh"
    ping = [str(BIN / "ansible"), *inventory, "reachable", "-m", "ansible.builtin.ping", "-u", "root", "--private-key", str(ssh / "id_ed25519")]
    ping += [f"--ssh-common-args=-o UserKnownHostsFile={ssh / 'known_hosts'} -o StrictHostKeyChecking=yes"]
    ping += ["-e", "ansible_python_interpreter=/usr/bin/python3"]
    reached = subprocess.run(ping, capture_output=True, text=True, env=env, cwd=REPO, timeout=120, check=False)
    assert reached.returncode == 0, reached.stdout[-2000:] + reached.stderr[-2000:]
    assert sorted(re.findall(r"^(\S+) \| SUCCESS", reached.stdout, flags=re.MULTILINE)) == sorted(HOSTS)


def test_the_day_2_health_check_runs_on_the_managed_instances_and_names_what_is_wrong(converged_lab: dict[str, Any], lab_controller: LabController) -> None:
    """ "hybridcloud onprem health" on its inventory, "hybridcloud production managed instances" as AWX imports it
    (the source's plugin configuration with the lab's region, the lab's connection settings as its group_vars), with
    the ECS agent of onprem-app-2 stopped: onprem-app-1 is healthy (its SSM registration the instance Systems Manager
    lists for it, Online, its ECS agent in the lab's cluster, every service running and enabled); onprem-app-2 fails
    naming the stopped agent and its silent introspection API, and nothing else. The lab's hosts mount nothing (a
    container has no kernel NFS client), so the lab inventory turns the mount check off (unit-tested instead): its
    group_vars for the source are the lab's connection settings and that switch."""
    connection = yaml.safe_load((lab_controller.inventory / "group_vars/onprem/connection.yml").read_text())
    lab_onprem = yaml.safe_load((lab_controller.inventory / "group_vars/all/onprem.yml").read_text())
    group_vars = {"onprem": {**connection, "onprem_health_check_mounts": lab_onprem["onprem_health_check_mounts"]}}
    imported = lab_controller.import_source("hybridcloud production managed instances", REGION, group_vars)
    listed = yaml.safe_load((imported / "hosts.yml").read_text())["all"]["children"]
    assert sorted(listed["onprem"]["hosts"]) == sorted(HOSTS)

    in_host("onprem-app-2", "systemctl stop ecs")
    try:
        document = lab_controller.launch("hybridcloud onprem health", inventory=imported)
    finally:
        in_host("onprem-app-2", "systemctl start ecs; for i in $(seq 60); do curl -fs localhost:51678/v1/metadata && exit 0; sleep 1; done; exit 1")
    assert document["rc"] != 0 and document["stats"]["onprem-app-1"]["failures"] == 0, failures(document)
    assert sum(document["stats"][host]["unreachable"] for host in HOSTS) == 0, failures(document)
    verdicts = {
        host: result.get("msg", "")
        for play in document["plays"]
        for task in play["tasks"]
        if task["task"]["name"] == "The host is healthy"
        for host, result in task["hosts"].items()
    }
    assert verdicts == {
        "onprem-app-1": "Docker, the SSM and ECS agents and the NFS mounts are healthy",
        "onprem-app-2": "2 finding(s): ecs: not running (stopped); ECS agent: the introspection API does not answer",
    }
    # The healthy host was judged against what Systems Manager lists for it: the instance its agent registered as.
    hostvars = listed["ssm_managed_instances"]["hosts"]["onprem-app-1"]
    registered = json.loads(in_host("onprem-app-1", "cat /var/lib/amazon/ssm/registration"))["ManagedInstanceID"]
    assert (hostvars["instance_id"], hostvars["ping_status"]) == (registered, "Online")
    assert [f"{c['service']}:{c['operation']}" for c in controller_calls(document["started"]) if c["mutating"]] == []
