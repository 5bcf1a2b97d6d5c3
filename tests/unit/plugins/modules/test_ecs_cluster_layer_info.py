"""ecs_cluster_layer_info: one read of the ECS cluster layer across ECS, Auto Scaling, EC2 and IAM, each call validated
against botocore's model (the calls run one after the other here, so that each Stubber sees them in order)."""

import json
from unittest import mock

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hybridcloud.aws.plugins.module_utils import ecs_cluster_layer
from ansible_collections.hybridcloud.aws.plugins.modules import ecs_cluster_layer_info
from ansible_collections.hybridcloud.aws.tests.unit.ansible_compat import patch_module_args

ARGS = {
    "cluster": "hybridcloud",
    "capacity_provider": "hybridcloud-ec2",
    "auto_scaling_group": "hybridcloud-ecs",
    "launch_template": "hybridcloud-ecs",
    "instance_role": "hybridcloud-ecs-instance",
    "instance_policy": "ssm-agent",
}
CLUSTER_ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/hybridcloud"
ASG_ARN = "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/hybridcloud-ecs"
ROLE_ARN = "arn:aws:iam::123456789012:role/hybridcloud-ecs-instance"
PROFILE_ARN = "arn:aws:iam::123456789012:instance-profile/hybridcloud-ecs-instance"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ssm:GetParameter", "Resource": "*"}]}
DATA = {"ImageId": "ami-0123456789abcdef0", "InstanceType": "t3.medium", "IamInstanceProfile": {"Arn": PROFILE_ARN}}


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    monkeypatch.setattr(ecs_cluster_layer, "MAX_WORKERS", 1)


@pytest.fixture
def stubbers():
    clients = {
        service: boto3.client(service, region_name="us-east-1", aws_access_key_id="unit", aws_secret_access_key="unit")
        for service in ("ecs", "autoscaling", "ec2", "iam")
    }
    return clients, {service: Stubber(client) for service, client in clients.items()}


def run(capsys, clients, stubs, args=None, all_answered=True):
    with (
        patch_module_args(dict(args or ARGS, _ansible_check_mode=False, _ansible_diff=False, region="us-east-1")),
        stubs["ecs"],
        stubs["autoscaling"],
        stubs["ec2"],
        stubs["iam"],
        mock.patch.object(AnsibleAWSModule, "client", side_effect=lambda service, *a, **k: clients[service]),
        pytest.raises(SystemExit) as exit_info,
    ):
        ecs_cluster_layer_info.main()
    result = json.loads(capsys.readouterr().out)
    result["rc"] = exit_info.value.code
    for stub in stubs.values() if all_answered else ():
        stub.assert_no_pending_responses()
    return result


def expect_everything(stubs):
    stubs["ecs"].add_response(
        "describe_clusters",
        {
            "clusters": [
                {
                    "clusterArn": CLUSTER_ARN,
                    "clusterName": "hybridcloud",
                    "status": "ACTIVE",
                    "capacityProviders": ["hybridcloud-ec2"],
                    "defaultCapacityProviderStrategy": [{"capacityProvider": "hybridcloud-ec2", "weight": 1, "base": 0}],
                    "settings": [{"name": "containerInsights", "value": "enabled"}],
                    "tags": [{"key": "Project", "value": "hybridcloud"}],
                }
            ]
        },
        {"clusters": ["hybridcloud"], "include": ["SETTINGS", "TAGS", "CONFIGURATIONS"]},
    )
    stubs["ecs"].add_response(
        "describe_capacity_providers",
        {
            "capacityProviders": [
                {"name": "old", "status": "INACTIVE"},
                {
                    "capacityProviderArn": "arn:aws:ecs:us-east-1:123456789012:capacity-provider/hybridcloud-ec2",
                    "name": "hybridcloud-ec2",
                    "status": "ACTIVE",
                    "autoScalingGroupProvider": {"autoScalingGroupArn": ASG_ARN, "managedTerminationProtection": "ENABLED"},
                    "tags": [{"key": "Project", "value": "hybridcloud"}],
                },
            ]
        },
        {"capacityProviders": ["hybridcloud-ec2"], "include": ["TAGS"]},
    )
    stubs["autoscaling"].add_response(
        "describe_auto_scaling_groups",
        {
            "AutoScalingGroups": [
                {
                    "AutoScalingGroupName": "hybridcloud-ecs",
                    "AutoScalingGroupARN": ASG_ARN,
                    "MinSize": 1,
                    "MaxSize": 4,
                    "DesiredCapacity": 1,
                    "DefaultCooldown": 300,
                    "AvailabilityZones": ["us-east-1a"],
                    "HealthCheckType": "EC2",
                    "CreatedTime": "2026-01-01T00:00:00Z",
                    "VPCZoneIdentifier": "subnet-a,subnet-b",
                    "LaunchTemplate": {"LaunchTemplateName": "hybridcloud-ecs", "Version": "$Default"},
                    "Tags": [{"Key": "Name", "Value": "hybridcloud-ecs", "ResourceId": "hybridcloud-ecs", "ResourceType": "auto-scaling-group"}],
                }
            ]
        },
        {"AutoScalingGroupNames": ["hybridcloud-ecs"]},
    )
    stubs["iam"].add_response(
        "get_role",
        {
            "Role": {
                "Path": "/",
                "RoleName": "hybridcloud-ecs-instance",
                "RoleId": "AROAEXAMPLEEXAMPLE123",
                "Arn": ROLE_ARN,
                "CreateDate": "2026-01-01T00:00:00Z",
                "AssumeRolePolicyDocument": json.dumps(TRUST),
                "Description": "instances",
                "Tags": [{"Key": "Project", "Value": "hybridcloud"}],
            }
        },
        {"RoleName": "hybridcloud-ecs-instance"},
    )
    stubs["iam"].add_response(
        "list_attached_role_policies",
        {"AttachedPolicies": [{"PolicyName": "b", "PolicyArn": "arn:aws:iam::aws:policy/b"}, {"PolicyName": "a", "PolicyArn": "arn:aws:iam::aws:policy/a"}]},
        {"RoleName": "hybridcloud-ecs-instance"},
    )
    stubs["iam"].add_response(
        "get_role_policy",
        {"RoleName": "hybridcloud-ecs-instance", "PolicyName": "ssm-agent", "PolicyDocument": json.dumps(POLICY)},
        {"RoleName": "hybridcloud-ecs-instance", "PolicyName": "ssm-agent"},
    )
    stubs["iam"].add_response(
        "get_instance_profile",
        {
            "InstanceProfile": {
                "Path": "/",
                "InstanceProfileName": "hybridcloud-ecs-instance",
                "InstanceProfileId": "AIPAEXAMPLEEXAMPLE123",
                "Arn": PROFILE_ARN,
                "CreateDate": "2026-01-01T00:00:00Z",
                "Roles": [
                    {
                        "Path": "/",
                        "RoleName": "hybridcloud-ecs-instance",
                        "RoleId": "AROAEXAMPLEEXAMPLE123",
                        "Arn": ROLE_ARN,
                        "CreateDate": "2026-01-01T00:00:00Z",
                    }
                ],
                "Tags": [{"Key": "Project", "Value": "hybridcloud"}],
            }
        },
        {"InstanceProfileName": "hybridcloud-ecs-instance"},
    )
    stubs["ec2"].add_response(
        "describe_launch_templates",
        {"LaunchTemplates": [{"LaunchTemplateId": "lt-1", "LaunchTemplateName": "hybridcloud-ecs", "DefaultVersionNumber": 2, "LatestVersionNumber": 2}]},
        {"LaunchTemplateNames": ["hybridcloud-ecs"]},
    )
    stubs["ec2"].add_response(
        "describe_launch_template_versions",
        {"LaunchTemplateVersions": [{"LaunchTemplateId": "lt-1", "VersionNumber": 2, "VersionDescription": "managed", "LaunchTemplateData": DATA}]},
        {"LaunchTemplateId": "lt-1", "Versions": ["$Latest"]},
    )
    stubs["ec2"].add_response(
        "describe_tags",
        {"Tags": [{"Key": "Name", "Value": "hybridcloud-ecs", "ResourceId": "lt-1", "ResourceType": "launch-template"}]},
        {"Filters": [{"Name": "resource-id", "Values": ["lt-1"]}]},
    )


def test_reads_every_resource_once_in_the_form_the_writes_compare(capsys, stubbers):
    clients, stubs = stubbers
    expect_everything(stubs)
    result = run(capsys, clients, stubs)
    assert result["changed"] is False
    cluster = result["cluster"]
    assert (cluster["clusterArn"], cluster["settings"], cluster["tags"]) == (CLUSTER_ARN, {"containerInsights": "enabled"}, {"Project": "hybridcloud"})
    assert cluster["defaultCapacityProviderStrategy"] == [{"capacityProvider": "hybridcloud-ec2", "weight": 1, "base": 0}]
    provider = result["capacity_provider"]
    assert (provider["name"], provider["tags"]) == ("hybridcloud-ec2", {"Project": "hybridcloud"})
    assert provider["autoScalingGroupProvider"]["autoScalingGroupArn"] == ASG_ARN
    group = result["auto_scaling_group"]
    assert (group["auto_scaling_group_arn"], group["min_size"], group["vpc_zone_identifier"]) == (ASG_ARN, 1, "subnet-a,subnet-b")
    assert group["launch_template"] == {"launch_template_name": "hybridcloud-ecs", "version": "$Default"}
    assert group["tags"][0]["key"] == "Name"
    template = result["launch_template"]
    assert (template["launch_template_id"], template["default_version_number"], template["tags"]) == ("lt-1", 2, {"Name": "hybridcloud-ecs"})
    assert template["latest_version"] == {"version_number": 2, "version_description": "managed", "launch_template_data": DATA}
    role = result["instance_role"]
    assert (role["arn"], role["description"], role["tags"]) == (ROLE_ARN, "instances", {"Project": "hybridcloud"})
    assert role["assume_role_policy_document"] == TRUST
    assert role["managed_policy_arns"] == ["arn:aws:iam::aws:policy/a", "arn:aws:iam::aws:policy/b"]
    assert role["inline_policies"] == {"ssm-agent": POLICY}
    assert result["instance_profile"] == {
        "arn": PROFILE_ARN,
        "instance_profile_name": "hybridcloud-ecs-instance",
        "path": "/",
        "roles": ["hybridcloud-ecs-instance"],
        "tags": {"Project": "hybridcloud"},
    }


def test_nothing_there_yet_is_no_error_and_every_entry_is_empty(capsys, stubbers):
    clients, stubs = stubbers
    stubs["ecs"].add_response(
        "describe_clusters",
        {"clusters": [], "failures": [{"arn": "hybridcloud", "reason": "MISSING"}]},
        {"clusters": ["hybridcloud"], "include": ["SETTINGS", "TAGS", "CONFIGURATIONS"]},
    )
    stubs["ecs"].add_response("describe_capacity_providers", {"capacityProviders": []}, {"capacityProviders": ["hybridcloud-ec2"], "include": ["TAGS"]})
    stubs["autoscaling"].add_response("describe_auto_scaling_groups", {"AutoScalingGroups": []}, {"AutoScalingGroupNames": ["hybridcloud-ecs"]})
    stubs["iam"].add_client_error("get_role", "NoSuchEntity", expected_params={"RoleName": "hybridcloud-ecs-instance"})
    stubs["iam"].add_client_error("list_attached_role_policies", "NoSuchEntity", expected_params={"RoleName": "hybridcloud-ecs-instance"})
    stubs["iam"].add_client_error("get_role_policy", "NoSuchEntity", expected_params={"RoleName": "hybridcloud-ecs-instance", "PolicyName": "ssm-agent"})
    stubs["iam"].add_client_error("get_instance_profile", "NoSuchEntity", expected_params={"InstanceProfileName": "hybridcloud-ecs-instance"})
    stubs["ec2"].add_client_error(
        "describe_launch_templates", "InvalidLaunchTemplateName.NotFoundException", expected_params={"LaunchTemplateNames": ["hybridcloud-ecs"]}
    )
    result = run(capsys, clients, stubs)
    assert result["rc"] == 0
    for entry in ("cluster", "capacity_provider", "auto_scaling_group", "launch_template", "instance_role", "instance_profile"):
        assert result[entry] == {}, entry


def test_an_aws_error_fails_with_its_message(capsys, stubbers):
    clients, stubs = stubbers
    stubs["ecs"].add_client_error("describe_clusters", "AccessDeniedException", "not allowed")
    result = run(capsys, clients, stubs, all_answered=False)
    assert result["failed"] is True
    assert "not allowed" in result["msg"]
