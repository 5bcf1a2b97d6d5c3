"""hybridcloud.aws.ssm_managed_instance_info against the emulator: managed instances made the way the SSM agent
makes them (RegisterManagedInstance, then a signed UpdateInstanceInformation heartbeat), listed through each filter."""

import json
import urllib.request

import pytest

from support import managed_instances
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SSM_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
ROLE = "HybridInfoRole"


def heartbeat(endpoint, instance_id):
    """The agent's UpdateInstanceInformation call, signed as the agent signs it once registered."""
    payload = {
        "InstanceId": instance_id,
        "AgentVersion": "3.3.0.0",
        "AgentStatus": "Active",
        "PlatformName": "Debian GNU/Linux",
        "PlatformType": "Linux",
        "PlatformVersion": "12",
        "IPAddress": "10.254.0.201",
        "ComputerName": "onprem-1",
    }
    headers = {"X-Amz-Target": "AmazonSSM.UpdateInstanceInformation", "Content-Type": "application/x-amz-json-1.1"}
    request = AWSRequest(method="POST", url=endpoint + "/", data=json.dumps(payload).encode(), headers=headers)
    SigV4Auth(Credentials("AKIDHYBRIDAGENT00001", "agent-secret"), "ssm", "us-east-1").add_auth(request)
    prepared = request.prepare()
    with urllib.request.urlopen(urllib.request.Request(prepared.url, data=prepared.body, headers=dict(prepared.headers), method="POST"), timeout=10):
        pass


@pytest.fixture
def fleet(aws, emulator_endpoint):
    """Two instances of activation onprem-ecs (one online, one never pinged) and one of activation lab (never pinged)."""
    aws("iam").create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(SSM_TRUST))
    ssm = aws("ssm")
    register = managed_instances.register_managed_instance
    ecs = ssm.create_activation(IamRole=ROLE, RegistrationLimit=5, DefaultInstanceName="onprem-ecs", Tags=[{"Key": "site", "Value": "munich"}])
    lab = ssm.create_activation(IamRole=ROLE, RegistrationLimit=5, DefaultInstanceName="lab")
    online, silent = register(emulator_endpoint, ecs), register(emulator_endpoint, ecs)
    heartbeat(emulator_endpoint, online)
    return {"activation_id": ecs["ActivationId"], "online": online, "silent": silent, "lab": register(emulator_endpoint, lab)}


def info_task(task_name, **options):
    return {"name": task_name, "hybridcloud.aws.ssm_managed_instance_info": options}


def ids(result, name):
    return [instance["instance_id"] for instance in result.task(name)["result"]["instances"]]


def test_filters_reach_the_right_instances_and_nothing_changes(fleet, playbook, mutating_calls):
    calls_before = len(mutating_calls())
    tasks = [
        info_task("all"),
        info_task("by activation", activation_ids=[fleet["activation_id"]]),
        info_task("online", ping_status=["Online"]),
        info_task("by id", instance_ids=[fleet["silent"]]),
        info_task("by tag", tags={"site": "munich"}, include_tags=True),
        info_task("by name", name="onprem-*"),
        info_task("stale", stale_for_days=1),
        {**info_task("in check mode", activation_ids=[fleet["activation_id"]]), "check_mode": True},
    ]
    result = playbook(tasks)
    assert result.failed == 0, result.output
    assert result.changed == 0

    ecs_instances = sorted([fleet["online"], fleet["silent"]])
    assert ids(result, "all") == sorted([*ecs_instances, fleet["lab"]])
    assert ids(result, "by activation") == ecs_instances
    assert ids(result, "online") == [fleet["online"]]
    assert ids(result, "by id") == [fleet["silent"]]
    assert ids(result, "by tag") == ecs_instances
    assert ids(result, "by name") == ecs_instances
    assert ids(result, "stale") == sorted([fleet["silent"], fleet["lab"]])
    assert ids(result, "in check mode") == ecs_instances

    online = next(item for item in result.task("by tag")["result"]["instances"] if item["instance_id"] == fleet["online"])
    assert online["tags"] == {"site": "munich"}
    assert online["ping_status"] == "Online"
    assert online["activation_id"] == fleet["activation_id"]
    assert online["ip_address"] == "10.254.0.201"
    assert online["platform_name"] == "Debian GNU/Linux"
    assert online["registration_date"] is not None
    assert online["last_ping_date_time"] is not None
    assert "tags" not in result.task("all")["result"]["instances"][0]

    assert len(mutating_calls()) == calls_before
