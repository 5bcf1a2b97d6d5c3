"""hybridcloud.aws.ssm_managed_instances against the emulator: hybrid instances registered as the SSM agent registers
them (RegisterManagedInstance, then a signed UpdateInstanceInformation heartbeat), read by `ansible-inventory --list`
the way AWX's inventory update runs it: hosts, groups by tag / ping status / platform, hostvars, no mutating call."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import yaml
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from support import managed_instances

ROOT = Path(__file__).resolve().parents[2]


def heartbeat(endpoint: str, instance_id: str, computer_name: str, platform_type: str = "Linux") -> None:
    """The agent's UpdateInstanceInformation call, signed as the agent signs it once registered."""
    payload = {
        "InstanceId": instance_id,
        "AgentVersion": "3.3.0.0",
        "AgentStatus": "Active",
        "PlatformName": "Debian GNU/Linux",
        "PlatformType": platform_type,
        "PlatformVersion": "12",
        "IPAddress": "10.254.0.211" if computer_name.endswith("1") else "10.254.0.212",
        "ComputerName": computer_name,
    }
    headers = {"X-Amz-Target": "AmazonSSM.UpdateInstanceInformation", "Content-Type": "application/x-amz-json-1.1"}
    request = AWSRequest(method="POST", url=endpoint + "/", data=json.dumps(payload).encode(), headers=headers)
    SigV4Auth(Credentials("AKIDHYBRIDAGENT00001", "agent-secret"), "ssm", "us-east-1").add_auth(request)
    prepared = request.prepare()
    with urllib.request.urlopen(urllib.request.Request(prepared.url, data=prepared.body, headers=dict(prepared.headers), method="POST"), timeout=10):
        pass


@pytest.fixture
def fleet(aws, emulator_endpoint):
    """onprem-app-1 (Online, tag Name web-1), onprem-app-2 (Online), one registration that never pinged, all tagged
    Project=hybridcloud."""
    activation = managed_instances.create_activation(aws, limit=5)
    ids = [managed_instances.register_managed_instance(emulator_endpoint, activation) for _ in range(3)]
    ssm = aws("ssm")
    for instance_id in ids:
        ssm.add_tags_to_resource(ResourceType="ManagedInstance", ResourceId=instance_id, Tags=[{"Key": "Project", "Value": "hybridcloud"}])
    ssm.add_tags_to_resource(ResourceType="ManagedInstance", ResourceId=ids[0], Tags=[{"Key": "Name", "Value": "web-1"}])
    heartbeat(emulator_endpoint, ids[0], "onprem-app-1")
    heartbeat(emulator_endpoint, ids[1], "onprem-app-2")
    return {"web": ids[0], "app2": ids[1], "silent": ids[2]}


def plain(value):
    """ansible-inventory marks strings that came from outside (AWS) as {"__ansible_unsafe": text}: the text."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def run_inventory(tmp_path: Path, endpoint: str, config: dict) -> dict:
    source = tmp_path / "lab.ssm_managed_instances.yml"
    source.write_text(yaml.safe_dump({"plugin": "hybridcloud.aws.ssm_managed_instances", "endpoint_url": endpoint, **config}))
    env = dict(
        os.environ,
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        ANSIBLE_INVENTORY_UNPARSED_FAILED="true",
    )
    env.pop("AWS_PROFILE", None)
    command = [str(Path(sys.executable).with_name("ansible-inventory")), "-i", str(source), "--list"]
    completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    assert completed.returncode == 0, completed.stderr
    return plain(json.loads(completed.stdout))


def test_inventory_lists_the_registered_hosts_with_groups_and_hostvars(fleet, emulator_endpoint, tmp_path, mutating_calls):
    before = len(mutating_calls())
    config = {
        "regions": ["us-east-1"],
        "filters": {"tag:Project": "hybridcloud"},
        "exclude_filters": [{"InstanceIds": [fleet["silent"]]}],
        "keyed_groups": [
            {"key": "ssm_tags", "prefix": "tag"},
            {"key": "ping_status | lower", "prefix": "ping"},
            {"key": "platform_type | lower", "prefix": "platform"},
        ],
        "groups": {"reachable": "ping_status == 'Online'"},
        "compose": {"ansible_host": "ip_address"},
    }
    inventory = run_inventory(tmp_path, emulator_endpoint, config)
    hostvars = inventory["_meta"]["hostvars"]

    assert sorted(hostvars) == ["onprem-app-2", "web-1"]
    assert sorted(inventory["ssm_managed_instances"]["hosts"]) == ["onprem-app-2", "web-1"]
    assert sorted(inventory["ping_online"]["hosts"]) == ["onprem-app-2", "web-1"]
    assert sorted(inventory["platform_linux"]["hosts"]) == ["onprem-app-2", "web-1"]
    assert sorted(inventory["reachable"]["hosts"]) == ["onprem-app-2", "web-1"]
    assert inventory["tag_Name_web_1"]["hosts"] == ["web-1"]
    assert sorted(inventory["tag_Project_hybridcloud"]["hosts"]) == ["onprem-app-2", "web-1"]

    web = hostvars["web-1"]
    assert web["instance_id"] == fleet["web"]
    assert web["ping_status"] == "Online"
    assert web["platform_type"] == "Linux"
    assert web["computer_name"] == "onprem-app-1"
    assert web["ssm_tags"] == {"Project": "hybridcloud", "Name": "web-1"}
    assert web["ssm_region"] == "us-east-1"
    assert web["ansible_host"] == "10.254.0.211"
    assert hostvars["onprem-app-2"]["ansible_host"] == "10.254.0.212"

    assert mutating_calls()[before:] == [], "the inventory must only read"


def test_default_options_list_every_managed_instance_by_computer_name_or_id(fleet, emulator_endpoint, tmp_path):
    inventory = run_inventory(tmp_path, emulator_endpoint, {"regions": ["us-east-1"]})
    hosts = inventory["ssm_managed_instances"]["hosts"]
    # the silent registration has no ComputerName and no Name tag: it goes by its instance id
    assert sorted(hosts) == sorted(["web-1", "onprem-app-2", fleet["silent"]])
    assert inventory["_meta"]["hostvars"][fleet["silent"]]["ping_status"] == "ConnectionLost"
