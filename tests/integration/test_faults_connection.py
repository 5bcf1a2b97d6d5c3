"""The inventories' connection settings as the AWS plays use them (module_defaults for the three action groups and the
controller-side lookup): credentials from the environment, as an AWX AWS credential provides them, a profile only
when hybridcloud_aws_profile is set, and botocore retries (aws_config) that every module of the three groups honours."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
GROUPS = ("group/amazon.aws.aws", "group/community.aws.aws", "group/hybridcloud.aws.aws")
# 502 is a transient status for botocore's standard retry mode, and BadGateway no code that the modules' AWSRetry
# decorators retry: a call survives three such answers only through aws_config (botocore's default: 3 attempts).
THREE_BAD_GATEWAYS = {"service": "ec2", "operation": "DescribeVpcs", "error": "BadGateway", "status": 502, "every": 1, "times": 3}
PLAY = {
    "hosts": "localhost",
    "connection": "local",
    "gather_facts": False,
    "module_defaults": dict.fromkeys(GROUPS, "{{ hybridcloud_aws_connection }}"),
    "tasks": [
        {"name": "amazon.aws", "amazon.aws.ec2_vpc_net_info": {}},
        {"name": "community.aws", "community.aws.ec2_customer_gateway_info": {}},
        {"name": "hybridcloud.aws", "hybridcloud.aws.ecs_capacity_provider_info": {}},
        {
            "name": "lookup",
            "ansible.builtin.debug": {
                "msg": "{{ lookup('amazon.aws.ssm_parameter', '/probe', on_missing='skip', **hybridcloud_aws_connection) | default('none', true) }}"
            },
        },
    ],
}


def run(
    inventory: str, endpoint: str, tmp_path: Path, extra_vars: dict | None = None, play: dict | None = None, **environment: str
) -> subprocess.CompletedProcess:
    path = tmp_path / "play.yml"
    path.write_text(yaml.safe_dump([play or PLAY], sort_keys=False))
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    # What an AWX AWS credential puts into the job's environment; AWS_ENDPOINT_URL (honoured by botocore) points
    # the real inventories at the emulator without touching them.
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_ENDPOINT_URL=endpoint,
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        ANSIBLE_NOCOLOR="1",
        **environment,
    )
    command = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(ROOT / "inventories" / inventory), str(path)]
    command += ["-e", json.dumps({"ansible_python_interpreter": sys.executable, **(extra_vars or {})})]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)


def connection_settings(inventory: str) -> dict:
    variables = yaml.safe_load((ROOT / "inventories" / inventory / "group_vars" / "all" / "aws.yml").read_text())
    return {key: variables[key] for key in ("hybridcloud_aws_profile", "hybridcloud_aws_config", "hybridcloud_aws_connection")}


def test_staging_connects_as_production_does():
    """Staging's connection settings are production's (the run below covers production's)."""
    assert connection_settings("staging") == connection_settings("production")


@pytest.mark.parametrize("inventory", ["production", "lab"])
def test_every_action_group_runs_with_environment_credentials_and_inventory_retries(inventory, emulator_endpoint, lab_api, tmp_path):
    assert lab_api("POST", "/_lab/faults", json={"rules": [THREE_BAD_GATEWAYS]})[0] == 200

    completed = run(inventory, emulator_endpoint, tmp_path)

    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
    calls = [(r["operation"], r["status"]) for r in lab_api("GET", "/_lab/requests")[1]["requests"] if r["operation"] == "DescribeVpcs"]
    assert calls == [("DescribeVpcs", 502)] * 3 + [("DescribeVpcs", 200)]
    assert completed.stdout.count("ok: [localhost]") == 4


def test_a_profile_is_passed_only_when_set(emulator_endpoint, tmp_path):
    completed = run("production", emulator_endpoint, tmp_path, {"hybridcloud_aws_profile": "hybridcloud-production"})
    assert completed.returncode != 0
    assert "Passing both a profile and access tokens is not supported" in completed.stdout


def test_lookups_ignore_aws_config_and_follow_the_environment(emulator_endpoint, lab_api, tmp_path):
    """amazon.aws lookups accept aws_config and drop it: the documented AWS_RETRY_MODE / AWS_MAX_ATTEMPTS carry them."""
    rule = {"service": "ssm", "operation": "GetParameter", "error": "BadGateway", "status": 502, "every": 1, "times": 3}
    lookup_only = dict(PLAY, tasks=PLAY["tasks"][-1:])
    lab_api("POST", "/_lab/faults", json={"rules": [rule]})
    assert "reached max retries: 2" in run("production", emulator_endpoint, tmp_path, play=lookup_only).stdout
    lab_api("POST", "/_lab/faults", json={"rules": [rule]})
    completed = run("production", emulator_endpoint, tmp_path, play=lookup_only, AWS_RETRY_MODE="standard", AWS_MAX_ATTEMPTS="11")
    assert completed.returncode == 0, completed.stdout[-3000:]
