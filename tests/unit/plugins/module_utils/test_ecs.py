from unittest import mock

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.hybridcloud.aws.plugins.module_utils import ecs
from ansible_collections.hybridcloud.aws.plugins.module_utils import waiting

ASG_ARN = "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:0f1e2d3c-aaaa-bbbb-cccc-000000000001:autoScalingGroupName/prod-workers"


def client(service):
    return boto3.client(service, region_name="us-east-1", aws_access_key_id="unit", aws_secret_access_key="unit")


def test_auto_scaling_group_name_is_resolved_to_its_arn():
    autoscaling = client("autoscaling")
    group = {
        "AutoScalingGroupName": "prod-workers",
        "AutoScalingGroupARN": ASG_ARN,
        "MinSize": 0,
        "MaxSize": 4,
        "DesiredCapacity": 1,
        "DefaultCooldown": 300,
        "AvailabilityZones": ["us-east-1a"],
        "HealthCheckType": "EC2",
        "CreatedTime": "2026-05-04T00:00:00Z",
    }
    with Stubber(autoscaling) as stubber:
        stubber.add_response("describe_auto_scaling_groups", {"AutoScalingGroups": [group]}, {"AutoScalingGroupNames": ["prod-workers"]})
        stubber.add_response("describe_auto_scaling_groups", {"AutoScalingGroups": []}, {"AutoScalingGroupNames": ["nope"]})
        assert ecs.get_auto_scaling_group_arn(autoscaling, "prod-workers") == ASG_ARN
        assert ecs.get_auto_scaling_group_arn(autoscaling, "nope") is None


def test_group_name_comes_out_of_an_arn():
    assert ecs.auto_scaling_group_name(ASG_ARN) == "prod-workers"
    assert ecs.auto_scaling_group_name("prod-workers") == "prod-workers"


def test_resources_become_a_name_to_value_mapping():
    resources = [
        {"name": "CPU", "type": "INTEGER", "integerValue": 2048},
        {"name": "MEMORY", "type": "INTEGER", "integerValue": 0},
        {"name": "PORTS_UDP", "type": "STRINGSET", "stringSetValue": []},
    ]
    assert ecs.resources_to_dict(resources) == {"CPU": 2048, "MEMORY": 0, "PORTS_UDP": []}


def test_snake_case_keys_keeps_user_keyed_maps_at_any_depth():
    value = {"containerDefinitions": [{"dockerLabels": {"com.example.ownerTeam": "web"}, "logConfiguration": {"options": {"awslogs-group": "g"}}}]}
    assert ecs.snake_case_keys(value, keep=("dockerLabels", "options")) == {
        "container_definitions": [{"docker_labels": {"com.example.ownerTeam": "web"}, "log_configuration": {"options": {"awslogs-group": "g"}}}]
    }


def test_normalized_task_definition_ignores_ecs_defaults_and_order():
    wanted = {
        "family": "web",
        "networkMode": "host",
        "cpu": 256,
        "containerDefinitions": [
            {
                "name": "web",
                "image": "web:1",
                "portMappings": [{"containerPort": 80}],
                "environment": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}],
            }
        ],
    }
    described = {
        "family": "web",
        "revision": 7,
        "status": "ACTIVE",
        "networkMode": "host",
        "cpu": "256",
        "volumes": [],
        "containerDefinitions": [
            {
                "name": "web",
                "image": "web:1",
                "cpu": 0,
                "essential": True,
                "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}],
                "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                "mountPoints": [],
                "volumesFrom": [],
            }
        ],
    }
    assert ecs.normalize_task_definition(wanted) == ecs.normalize_task_definition(described)


def test_normalized_task_definition_keeps_meaningful_differences():
    base = {"family": "web", "networkMode": "bridge", "containerDefinitions": [{"name": "web", "image": "web:1", "portMappings": [{"containerPort": 80}]}]}
    udp = {
        "family": "web",
        "networkMode": "bridge",
        "containerDefinitions": [{"name": "web", "image": "web:1", "portMappings": [{"containerPort": 80, "protocol": "udp"}]}],
    }
    fixed_port = {
        "family": "web",
        "networkMode": "bridge",
        "containerDefinitions": [{"name": "web", "image": "web:1", "portMappings": [{"containerPort": 80, "hostPort": 80}]}],
    }
    not_essential = {"family": "web", "networkMode": "bridge", "containerDefinitions": [{"name": "web", "image": "web:1", "essential": False}]}
    normalized = ecs.normalize_task_definition(base)
    assert normalized != ecs.normalize_task_definition(udp)
    assert normalized != ecs.normalize_task_definition(fixed_port)
    assert ecs.normalize_task_definition(not_essential)["containerDefinitions"][0]["essential"] is False


def test_external_compatibility_is_read_from_compatibilities_first():
    assert ecs.task_definition_is_external({"compatibilities": ["EC2", "EXTERNAL"]})
    assert ecs.task_definition_is_external({"requiresCompatibilities": ["EXTERNAL"]})
    assert not ecs.task_definition_is_external({"compatibilities": ["EC2", "FARGATE"]})


def test_capacity_provider_settled_states():
    assert ecs.capacity_provider_settled({"name": "p", "status": "ACTIVE"})
    assert ecs.capacity_provider_settled({"name": "p", "status": "ACTIVE", "updateStatus": "UPDATE_COMPLETE"})
    assert not ecs.capacity_provider_settled({"name": "p", "status": "ACTIVE", "updateStatus": "UPDATE_IN_PROGRESS"})
    assert not ecs.capacity_provider_settled(None)
    with pytest.raises(ecs.AnsibleECSError, match="DELETE_FAILED: in use"):
        ecs.capacity_provider_settled({"name": "p", "status": "ACTIVE", "updateStatus": "DELETE_FAILED", "updateStatusReason": "in use"})


def test_sync_tags_in_check_mode_predicts_without_calls():
    ecs_client = client("ecs")
    with Stubber(ecs_client):
        changed, tags = ecs.sync_tags(ecs_client, "arn", {"old": "1", "keep": "2"}, {"keep": "2", "new": "3"}, True, check_mode=True)
    assert changed is True
    assert tags == {"keep": "2", "new": "3"}


def test_sync_tags_without_wanted_tags_leaves_them():
    assert ecs.sync_tags(None, "arn", {"a": "1"}, None, True, check_mode=False) == (False, {"a": "1"})


def test_wait_until_times_out_with_a_clear_message():
    with mock.patch("time.sleep"), pytest.raises(ecs.AnsibleECSError, match="Timeout after 0 seconds waiting for the thing"):
        ecs.wait_until(lambda: "not yet", lambda answer: False, 0, "the thing")


def test_wait_until_records_the_wait_in_progress():
    waits = waiting.Waits()
    answers = iter(["CREATING", "CREATING", "ACTIVE"])
    with mock.patch("time.sleep"):
        assert ecs.wait_until(lambda: next(answers), lambda answer: answer == "ACTIVE", 60, "the thing", progress=waits, state=str) == "ACTIVE"
    assert [(wait["what"], wait["polls"], [(s["state"], s["polls"]) for s in wait["states"]]) for wait in waits.result()] == [
        ("the thing", 3, [("CREATING", 2), ("ACTIVE", 1)])
    ]


def test_states_a_wait_records_for_providers_and_services():
    assert ecs.capacity_provider_state(None) == "deleted"
    assert ecs.capacity_provider_state({"status": "ACTIVE"}) == "ACTIVE"
    assert ecs.capacity_provider_state({"status": "ACTIVE", "updateStatus": "DELETE_IN_PROGRESS"}) == "ACTIVE DELETE_IN_PROGRESS"
    assert ecs.service_state(None) == "deleted"
    rolling = {"status": "ACTIVE", "runningCount": 1, "desiredCount": 2, "deployments": [{}, {}]}
    assert ecs.service_state(rolling) == "ACTIVE, 1 of 2 tasks running, 2 deployments"
    draining = {"status": "DRAINING", "runningCount": 0, "desiredCount": 0, "deployments": [{}]}
    assert ecs.service_state(draining) == "DRAINING, 0 of 0 tasks running, 1 deployment"
