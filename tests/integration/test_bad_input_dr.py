"""Bad disaster recovery input (hybridcloud_dr_strategy, hybridcloud_dr_region, hybridcloud_dr_sizes) stops the real
site playbook before any change: playbooks/aws/dr_plan.yml, the site's first play (tagged always), fails naming the
variable and the value, and the emulator's request log shows zero mutating calls.

Every case is one host of the aws_controller group (ansible_connection local) in one ansible-playbook run of
playbooks/site.yml, so the table costs one playbook start. The run selects --tags registry: the check must run also when
only a layer is selected, and a valid host (strategy backup_restore, a DR region) passes it and runs the registry layer;
a second run without tags, with the bad hosts only, proves that a whole-site run stops too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml


ROOT = Path(__file__).resolve().parents[2]
CHECK = "Check the disaster recovery input"
VALID = {"hybridcloud_dr_strategy": "backup_restore", "hybridcloud_dr_region": "us-west-2"}
# (id, bad variables over VALID, text the failure must contain: the variable and the value)
CASES = [
    ("unknown-strategy", {"hybridcloud_dr_strategy": "multi_site"}, "hybridcloud_dr_strategy: 'multi_site' must be one of none, backup_restore"),
    ("dr-region-missing", {"hybridcloud_dr_region": ""}, "hybridcloud_dr_region: '' is required with hybridcloud_dr_strategy backup_restore"),
    (
        "dr-region-is-primary",
        {"hybridcloud_dr_region": "us-east-1"},
        "hybridcloud_dr_region: 'us-east-1' must name a region other than the primary region (aws_region)",
    ),
    ("dr-region-invalid", {"hybridcloud_dr_region": "US West"}, "hybridcloud_dr_region: 'US West' must be a region name"),
    ("primary-region-missing", {"aws_region": ""}, "aws_region: '' must be the primary region's name"),
    (
        "instances-zero",
        {"hybridcloud_dr_strategy": "warm_standby", "hybridcloud_dr_sizes": {"instances": 0}},
        "hybridcloud_dr_sizes.instances: 0 must be 1 to 1000",
    ),
    ("percent-too-high", {"hybridcloud_dr_sizes": {"warm_standby_percent": 100}}, "hybridcloud_dr_sizes.warm_standby_percent: 100 must be 1 to 99"),
    ("unknown-size", {"hybridcloud_dr_sizes": {"cpus": 4}}, "hybridcloud_dr_sizes.cpus: 4 is not a size"),
]


def run_site(emulator_endpoint, lab_api, directory, cases, tags):
    assert lab_api("POST", "/_lab/reset")[0] == 200
    lab_api("DELETE", "/_lab/requests")
    connection = {"endpoint_url": emulator_endpoint, "access_key": "testing", "secret_key": "testing", "region": "us-east-1"}
    common = {
        "ansible_connection": "local",
        "ansible_python_interpreter": sys.executable,
        "aws_region": "us-east-1",
        "hybridcloud_aws_connection": connection,
        # the roles' required options: every role's argument spec is checked (tagged always) whatever --tags selects
        "file_gateway_bucket_name": "hybridcloud-files-test",
        "backup_dr_region": "us-west-2",
    }
    hosts = {case: {**common, **VALID, **bad} for case, bad, _ in cases}
    inventory = {"all": {"children": {"aws_controller": {"hosts": hosts}, "onprem": {"hosts": {}}}}}
    (directory / "inventory.yml").write_text(yaml.safe_dump(inventory))
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_NOCOLOR="1")
    command = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(directory / "inventory.yml"), "-f", "10"]
    command += [*(["--tags", tags] if tags else []), str(ROOT / "playbooks" / "site.yml")]
    started = time.monotonic()
    completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    seconds = time.monotonic() - started
    document = json.loads(completed.stdout[completed.stdout.find("{") :])
    failures, ran = {}, {}
    for play in document["plays"]:
        for task in play["tasks"]:
            for host, result in task["hosts"].items():
                ran.setdefault(host, []).append(task["task"]["name"])
                if result.get("failed"):
                    failures[host] = (task["task"]["name"], result.get("msg", ""))
    status, answer = lab_api("GET", "/_lab/requests")
    assert status == 200, answer
    mutating = [call for call in answer["requests"] if call["mutating"]]
    return {
        "rc": completed.returncode,
        "failures": failures,
        "ran": ran,
        "mutating": mutating,
        "seconds": seconds,
        "output": completed.stdout + completed.stderr,
    }


@pytest.fixture(scope="module")
def table(emulator_endpoint, lab_api, tmp_path_factory):
    """The --tags registry run: every bad case and the valid host."""
    return run_site(emulator_endpoint, lab_api, tmp_path_factory.mktemp("bad-dr"), [*CASES, ("valid", {}, "")], "registry")


def test_the_run_makes_no_mutating_call_and_the_valid_host_runs_the_layer(table):
    assert table["rc"] != 0
    assert table["mutating"] == []
    assert set(table["failures"]) == {case for case, *_ in CASES}, table["failures"].get("valid")
    assert CHECK in table["ran"]["valid"]
    assert any(name.startswith("hybridcloud.aws.container_registry : ") for name in table["ran"]["valid"]), table["ran"]["valid"]
    print(f"{len(CASES)} bad DR inputs and a valid one through site.yml --tags registry in {table['seconds']:.1f} s")


@pytest.mark.parametrize(("case", "bad", "message"), CASES, ids=[case[0] for case in CASES])
def test_bad_input_fails_in_the_dr_check_naming_the_variable(table, case, bad, message):
    assert table["mutating"] == []
    task, text = table["failures"][case]
    assert task == CHECK
    assert message in text, text
    assert table["ran"][case] == [CHECK], "nothing runs after the check on that host"


def test_a_whole_site_run_stops_before_any_change(emulator_endpoint, lab_api, tmp_path_factory):
    whole = run_site(emulator_endpoint, lab_api, tmp_path_factory.mktemp("bad-dr-site"), CASES[:3], None)
    assert whole["rc"] != 0
    assert whole["mutating"] == []
    assert {case: task for case, (task, _) in whole["failures"].items()} == dict.fromkeys([case for case, *_ in CASES[:3]], CHECK)
    assert whole["ran"] == {case: [CHECK] for case, *_ in CASES[:3]}
