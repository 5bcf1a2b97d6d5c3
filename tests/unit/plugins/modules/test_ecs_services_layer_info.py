"""ecs_services_layer_info: one read of the ECS services layer across ECS, IAM, Application Auto Scaling and CloudWatch,
each call validated against botocore's model (the calls run one after the other here, so that each Stubber sees them
in order)."""

import json
from unittest import mock

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hybridcloud.aws.plugins.module_utils import ecs_services_layer
from ansible_collections.hybridcloud.aws.plugins.modules import ecs_services_layer_info
from ansible_collections.hybridcloud.aws.tests.unit.ansible_compat import patch_module_args

CLUSTER_ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/hybridcloud"
ROLE_ARN = "arn:aws:iam::123456789012:role/hybridcloud-task-execution"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}
SERVICES = [f"s{number:02d}" for number in range(12)]
TARGET_ARN = "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/0123"
POLICY_ARN = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:resource/ecs/service/hybridcloud/s00:policyName/s00-cpu-step"
ARGS = {
    "cluster": CLUSTER_ARN,
    "services": SERVICES,
    "roles": {"hybridcloud-task-execution": ["registry-credentials"]},
    "scaled_services": ["s00", "s01"],
    "alarms": ["hybridcloud-s00-cpu-high"],
}


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    monkeypatch.setattr(ecs_services_layer, "MAX_WORKERS", 1)


@pytest.fixture
def stubbers():
    clients = {
        service: boto3.client(service, region_name="us-east-1", aws_access_key_id="unit", aws_secret_access_key="unit")
        for service in ("ecs", "iam", "application-autoscaling", "cloudwatch")
    }
    return clients, {service: Stubber(client) for service, client in clients.items()}


def run(capsys, clients, stubs, args=None):
    with (
        patch_module_args(dict(args or ARGS, _ansible_check_mode=False, _ansible_diff=False, region="us-east-1")),
        stubs["ecs"],
        stubs["iam"],
        stubs["application-autoscaling"],
        stubs["cloudwatch"],
        mock.patch.object(AnsibleAWSModule, "client", side_effect=lambda service, *a, **k: clients[service]),
        pytest.raises(SystemExit) as exit_info,
    ):
        ecs_services_layer_info.main()
    result = json.loads(capsys.readouterr().out)
    result["rc"] = exit_info.value.code
    for stub in stubs.values():
        stub.assert_no_pending_responses()
    return result


def service(name, **extra):
    return dict(
        {
            "serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/hybridcloud/" + name,
            "serviceName": name,
            "status": "ACTIVE",
            "desiredCount": 2,
            "taskDefinition": f"arn:aws:ecs:us-east-1:123456789012:task-definition/{name}:3",
            "tags": [{"key": "Project", "value": "hybridcloud"}],
            "events": [{"id": "1", "message": "steady"}],
        },
        **extra,
    )


def definition(family):
    return {
        "taskDefinitionArn": f"arn:aws:ecs:us-east-1:123456789012:task-definition/{family}:3",
        "family": family,
        "revision": 3,
        "status": "ACTIVE",
        "networkMode": "bridge",
        "requiresCompatibilities": ["EC2"],
        "compatibilities": ["EC2"],
        "containerDefinitions": [{"name": family, "image": "nginx:1.27", "cpu": 256, "memory": 512, "essential": True}],
    }


def expect_everything(stubs, missing=()):
    ecs = stubs["ecs"]
    # Batches of 10 services; the second batch holds a deleted (INACTIVE) service, which is left out.
    ecs.add_response(
        "describe_services",
        {"services": [service(name) for name in SERVICES[:10]], "failures": []},
        {"cluster": CLUSTER_ARN, "services": SERVICES[:10], "include": ["TAGS"]},
    )
    ecs.add_response(
        "describe_services",
        {"services": [service("s10"), service("s11", status="INACTIVE")], "failures": []},
        {"cluster": CLUSTER_ARN, "services": SERVICES[10:], "include": ["TAGS"]},
    )
    for family in SERVICES:
        if family in missing:
            ecs.add_client_error(
                "describe_task_definition",
                service_error_code="ClientException",
                service_message="Unable to describe task definition.",
                expected_params={"taskDefinition": family, "include": ["TAGS"]},
            )
        else:
            ecs.add_response(
                "describe_task_definition",
                {"taskDefinition": definition(family), "tags": [{"key": "Project", "value": "hybridcloud"}]},
                {"taskDefinition": family, "include": ["TAGS"]},
            )
    iam = stubs["iam"]
    role = {
        "Path": "/",
        "RoleName": "hybridcloud-task-execution",
        "RoleId": "AROAEXAMPLEEXAMPLE01",
        "Arn": ROLE_ARN,
        "CreateDate": "2026-01-01T00:00:00Z",
        "AssumeRolePolicyDocument": json.dumps(TRUST),
        "Description": "ECS task execution role",
        "Tags": [{"Key": "Project", "Value": "hybridcloud"}],
    }
    iam.add_response("get_role", {"Role": role}, {"RoleName": "hybridcloud-task-execution"})
    iam.add_response(
        "list_attached_role_policies",
        {"AttachedPolicies": [{"PolicyName": "x", "PolicyArn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"}], "IsTruncated": False},
        {"RoleName": "hybridcloud-task-execution"},
    )
    iam.add_response(
        "get_role_policy",
        {"RoleName": "hybridcloud-task-execution", "PolicyName": "registry-credentials", "PolicyDocument": json.dumps(POLICY)},
        {"RoleName": "hybridcloud-task-execution", "PolicyName": "registry-credentials"},
    )
    stubs["cloudwatch"].add_response(
        "describe_alarms",
        {
            "MetricAlarms": [
                {
                    "AlarmName": "hybridcloud-s00-cpu-high",
                    "AlarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:hybridcloud-s00-cpu-high",
                    "ActionsEnabled": True,
                    "StateValue": "OK",
                    "AlarmActions": [POLICY_ARN],
                    "Namespace": "AWS/ECS",
                    "MetricName": "CPUUtilization",
                    "Dimensions": [{"Name": "ClusterName", "Value": "hybridcloud"}, {"Name": "ServiceName", "Value": "s00"}],
                    "Threshold": 85.0,
                }
            ]
        },
        {"AlarmNames": ["hybridcloud-s00-cpu-high"], "AlarmTypes": ["MetricAlarm"]},
    )
    scaling = stubs["application-autoscaling"]
    # Both resources in one DescribeScalableTargets and one DescribeScalingPolicies (the namespace, filtered here).
    resource_ids = ["service/hybridcloud/s00", "service/hybridcloud/s01"]
    scaling.add_response(
        "describe_scaling_policies",
        {
            "ScalingPolicies": [
                {
                    "PolicyARN": POLICY_ARN,
                    "PolicyName": "s00-cpu-step",
                    "ServiceNamespace": "ecs",
                    "ResourceId": "service/hybridcloud/s00",
                    "ScalableDimension": "ecs:service:DesiredCount",
                    "PolicyType": "StepScaling",
                    "CreationTime": "2026-01-01T00:00:00Z",
                },
                {
                    "PolicyARN": POLICY_ARN.replace("s00", "other"),
                    "PolicyName": "other-cpu-step",
                    "ServiceNamespace": "ecs",
                    "ResourceId": "service/hybridcloud/other",
                    "ScalableDimension": "ecs:service:DesiredCount",
                    "PolicyType": "StepScaling",
                    "CreationTime": "2026-01-01T00:00:00Z",
                },
            ]
        },
        {"ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount"},
    )
    scaling.add_response(
        "describe_scalable_targets",
        {
            "ScalableTargets": [
                {
                    "ServiceNamespace": "ecs",
                    "ResourceId": "service/hybridcloud/s00",
                    "ScalableDimension": "ecs:service:DesiredCount",
                    "MinCapacity": 1,
                    "MaxCapacity": 4,
                    "RoleARN": "arn:aws:iam::123456789012:role/aws-service-role",
                    "CreationTime": "2026-01-01T00:00:00Z",
                    "ScalableTargetARN": TARGET_ARN,
                }
            ]
        },
        {"ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount", "ResourceIds": resource_ids},
    )
    scaling.add_response("list_tags_for_resource", {"Tags": {"Project": "hybridcloud"}}, {"ResourceARN": TARGET_ARN})
    # A service that runs a revision which is not its family's latest: that revision is read too, last.
    for family in missing:
        arn = f"arn:aws:ecs:us-east-1:123456789012:task-definition/{family}:3"
        ecs.add_response(
            "describe_task_definition",
            {"taskDefinition": dict(definition(family), status="INACTIVE")},
            {"taskDefinition": arn, "include": ["TAGS"]},
        )


def test_reads_every_part_by_name_in_batches(capsys, stubbers):
    clients, stubs = stubbers
    expect_everything(stubs, missing=("s05",))
    result = run(capsys, clients, stubs)
    assert result["rc"] == 0 and result["changed"] is False
    # 11 services that exist (the deleted one left out), events dropped, tags as a dict.
    assert [found["serviceName"] for found in result["services"]] == SERVICES[:11]
    assert "events" not in result["services"][0] and result["services"][0]["tags"] == {"Project": "hybridcloud"}
    # A family without an ACTIVE revision is left out; the others in ecs_task_definition_info's shape with tags.
    assert [found["family"] for found in result["task_definitions"]] == [name for name in SERVICES if name != "s05"]
    first = result["task_definitions"][0]
    assert first["comparable"]["containerDefinitions"] == [{"name": "s00", "image": "nginx:1.27", "cpu": 256, "memory": 512}]
    assert first["tags"] == {"Project": "hybridcloud"}
    # s05 runs s05:3, which is not ACTIVE any more: nothing to reuse.
    assert result["running_task_definitions"] == []
    role = result["roles"]["hybridcloud-task-execution"]
    assert (role["arn"], role["assume_role_policy_document"], role["tags"]) == (ROLE_ARN, TRUST, {"Project": "hybridcloud"})
    assert role["managed_policy_arns"] == ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]
    assert role["inline_policies"] == {"registry-credentials": POLICY}
    [target] = result["scalable_targets"]
    assert (target["resource_id"], target["min_capacity"], target["max_capacity"], target["tags"]) == (
        "service/hybridcloud/s00",
        1,
        4,
        {"Project": "hybridcloud"},
    )
    # Only the policies of the scaled services.
    assert [policy["policy_name"] for policy in result["scaling_policies"]] == ["s00-cpu-step"]
    # The alarm without what cloudwatch_metric_alarm does not compare; TreatMissingData as it assumes when absent.
    alarm = result["alarms"]["hybridcloud-s00-cpu-high"]
    assert "AlarmArn" not in alarm and "StateValue" not in alarm and "ActionsEnabled" not in alarm
    assert (alarm["TreatMissingData"], alarm["AlarmActions"]) == ("missing", [POLICY_ARN])


def test_a_layer_that_does_not_exist_reads_as_empty(capsys, stubbers):
    clients, stubs = stubbers
    stubs["ecs"].add_client_error(
        "describe_services",
        service_error_code="ClusterNotFoundException",
        service_message="Cluster not found.",
        expected_params={"cluster": "hybridcloud", "services": ["web"], "include": ["TAGS"]},
    )
    stubs["ecs"].add_client_error(
        "describe_task_definition",
        service_error_code="ClientException",
        service_message="Unable to describe task definition.",
        expected_params={"taskDefinition": "web", "include": ["TAGS"]},
    )
    stubs["iam"].add_client_error("get_role", service_error_code="NoSuchEntity", expected_params={"RoleName": "hybridcloud-web-task"})
    stubs["iam"].add_client_error("list_attached_role_policies", service_error_code="NoSuchEntity", expected_params={"RoleName": "hybridcloud-web-task"})
    stubs["iam"].add_client_error(
        "get_role_policy", service_error_code="NoSuchEntity", expected_params={"RoleName": "hybridcloud-web-task", "PolicyName": "task"}
    )
    args = {"cluster": "hybridcloud", "services": ["web"], "roles": {"hybridcloud-web-task": ["task"]}}
    result = run(capsys, clients, stubs, args)
    assert result["rc"] == 0
    assert (result["services"], result["task_definitions"], result["roles"]) == ([], [], {"hybridcloud-web-task": {}})
    assert (result["scalable_targets"], result["scaling_policies"], result["alarms"]) == ([], [], {})


def test_an_aws_error_fails_with_it(capsys, stubbers):
    clients, stubs = stubbers
    stubs["ecs"].add_client_error(
        "describe_services",
        service_error_code="AccessDeniedException",
        service_message="not allowed",
        expected_params={"cluster": "hybridcloud", "services": ["web"], "include": ["TAGS"]},
    )
    # One thread: the failed read is the first and the last call.
    result = run(capsys, clients, stubs, {"cluster": "hybridcloud", "services": ["web"]})
    assert result["rc"] == 1 and result["failed"] is True
    assert "AccessDeniedException" in json.dumps(result)


def test_empty_names_are_refused_before_any_call(capsys, stubbers):
    clients, stubs = stubbers
    result = run(capsys, clients, stubs, {"cluster": "hybridcloud", "services": ["web", ""]})
    assert result["rc"] == 1 and "must not be empty" in result["msg"]
