"""hybridcloud.aws.ecs_container_instance_info against the emulator: a cluster with two ECS Anywhere instances (SSM
managed instances registered as the agent registers them) and one EC2 instance, listed through each filter."""

import json

import pytest

from support import managed_instances


CLUSTER = "lab-hybrid"
AGENT_ATTRIBUTES = [{"name": "ecs.os-type", "value": "linux"}, {"name": "ecs.capability.docker-remote-api.1.17"}]
RESOURCES = [{"name": "CPU", "type": "INTEGER", "integerValue": 2048}, {"name": "MEMORY", "type": "INTEGER", "integerValue": 3800}]


def register(ecs, instance_id, location):
    return ecs.register_container_instance(
        cluster=CLUSTER,
        instanceIdentityDocument=json.dumps({"instanceId": instance_id}),
        attributes=[*AGENT_ATTRIBUTES, {"name": "location", "value": location}],
        totalResources=RESOURCES,
        versionInfo={"agentVersion": "1.89.0", "agentHash": "lab", "dockerVersion": "DockerVersion: 20.10.24"},
    )["containerInstance"]


@pytest.fixture
def cluster(aws, emulator_endpoint):
    """Two external instances in location onprem (one DRAINING) and one EC2 instance in location aws."""
    ecs = aws("ecs")
    ecs.create_cluster(clusterName=CLUSTER)
    external = [managed_instances.new_managed_instance(aws, emulator_endpoint) for _ in range(2)]
    registered = {instance_id: register(ecs, instance_id, "onprem") for instance_id in external}
    ec2 = aws("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ec2_id = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]["InstanceId"]
    registered[ec2_id] = register(ecs, ec2_id, "aws")
    # moto drops the attributes of an EC2 registration; the agent's later PutAttributes call is what sets them here.
    location = {
        "name": "location",
        "value": "aws",
        "targetType": "container-instance",
        "targetId": registered[ec2_id]["containerInstanceArn"].rsplit("/", 1)[-1],
    }
    ecs.put_attributes(cluster=CLUSTER, attributes=[location])
    draining = registered[external[1]]["containerInstanceArn"]
    ecs.update_container_instances_state(cluster=CLUSTER, containerInstances=[draining], status="DRAINING")
    return {"external": external, "ec2": ec2_id, "arns": {key: value["containerInstanceArn"] for key, value in registered.items()}}


def info_task(name, **options):
    return {"name": name, "hybridcloud.aws.ecs_container_instance_info": {"cluster": CLUSTER, **options}}


def ids(result, name):
    return sorted(instance["ec2_instance_id"] for instance in result.task(name)["result"]["container_instances"])


def test_lists_and_filters_ec2_and_external_instances(cluster, playbook, mutating_calls):
    calls_before = len(mutating_calls())
    result = playbook(
        [
            info_task("all"),
            info_task("onprem by filter", filter="attribute:location == onprem"),
            info_task("external only", external_only=True),
            info_task("active external", external_only=True, status="ACTIVE"),
            info_task("draining", status="DRAINING"),
        ]
    )
    assert result.failed == 0, result.output
    assert result.changed == 0
    external, ec2 = cluster["external"], cluster["ec2"]
    assert ids(result, "all") == sorted([*external, ec2])
    assert ids(result, "onprem by filter") == sorted(external)
    assert ids(result, "external only") == sorted(external)
    assert ids(result, "active external") == [external[0]]
    assert ids(result, "draining") == [external[1]]

    by_id = {instance["ec2_instance_id"]: instance for instance in result.task("all")["result"]["container_instances"]}
    onprem = by_id[external[0]]
    assert onprem["external"] is True
    assert onprem["container_instance_arn"] == cluster["arns"][external[0]]
    assert onprem["container_instance_id"] == cluster["arns"][external[0]].rsplit("/", 1)[-1]
    assert (onprem["status"], onprem["agent_connected"], onprem["running_tasks_count"], onprem["pending_tasks_count"]) == ("ACTIVE", True, 0, 0)
    assert onprem["attributes"]["location"] == "onprem"
    assert "ecs.capability.external" in onprem["attributes"]
    assert onprem["registered_resources"] == {"CPU": 2048, "MEMORY": 3800}
    assert onprem["version_info"]["agent_version"] == "1.89.0"
    assert by_id[ec2]["external"] is False
    assert by_id[ec2]["attributes"]["location"] == "aws"
    assert len(mutating_calls()) == calls_before
