"""hybridcloud.aws.ecs_container_instance against the emulator: an ECS Anywhere host (an SSM managed instance
registered as the agent registers it) is drained, reactivated and deregistered by its mi- id, each change read
back with DescribeContainerInstances / ListContainerInstances."""

import json

import pytest

from support import managed_instances

CLUSTER = "lab-drain"


@pytest.fixture
def host(aws, emulator_endpoint):
    ecs = aws("ecs")
    ecs.create_cluster(clusterName=CLUSTER)
    managed_instance_id = managed_instances.new_managed_instance(aws, emulator_endpoint)
    registered = ecs.register_container_instance(
        cluster=CLUSTER,
        instanceIdentityDocument=json.dumps({"instanceId": managed_instance_id}),
        attributes=[{"name": "ecs.os-type", "value": "linux"}, {"name": "location", "value": "onprem"}],
        totalResources=[{"name": "CPU", "type": "INTEGER", "integerValue": 1024}, {"name": "MEMORY", "type": "INTEGER", "integerValue": 2048}],
    )["containerInstance"]
    return {"ecs": ecs, "mi": managed_instance_id, "arn": registered["containerInstanceArn"]}


def task(host, **options):
    return [{"name": "instance", "hybridcloud.aws.ecs_container_instance": {"cluster": CLUSTER, "ec2_instance_id": host["mi"], **options}}]


def status(host):
    return host["ecs"].describe_container_instances(cluster=CLUSTER, containerInstances=[host["arn"]])["containerInstances"][0]["status"]


def test_drain_reactivate_and_deregister(host, playbook):
    check = playbook(task(host, state="draining"), check=True)
    assert check.failed == 0, check.output
    assert check.task("instance")["changed"] is True
    assert check.mutating_calls == []
    assert status(host) == "ACTIVE"

    drained = playbook(task(host, state="draining", wait=True))
    assert drained.failed == 0, drained.output
    assert drained.changed == 1
    assert status(host) == "DRAINING"
    assert drained.task("instance")["result"]["container_instance"]["ec2_instance_id"] == host["mi"]
    again = playbook(task(host, state="draining"))
    assert again.changed == 0 and again.mutating_calls == []

    reactivated = playbook(task(host, state="active"))
    assert reactivated.changed == 1, reactivated.output[-3000:]
    assert status(host) == "ACTIVE"

    removed = playbook(task(host, state="absent"))
    assert removed.failed == 0, removed.output
    assert removed.changed == 1
    assert host["ecs"].list_container_instances(cluster=CLUSTER)["containerInstanceArns"] == []
    assert playbook(task(host, state="absent")).changed == 0


def test_unknown_host_fails_clearly(host, playbook):
    result = playbook(task({"mi": "mi-00000000000000000"}, state="draining"))
    assert result.failed == 1
    assert "No container instance mi-00000000000000000 is registered in cluster lab-drain" in result.task("instance")["result"]["msg"]
