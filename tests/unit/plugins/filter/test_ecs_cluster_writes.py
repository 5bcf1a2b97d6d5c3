"""ecs_cluster_writes: which write modules the ecs_cluster role must run, from one read of its layer."""

import copy

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.ecs_cluster_writes import FilterModule
from ansible_collections.hybridcloud.aws.plugins.filter.ecs_cluster_writes import launch_template_data

writes = FilterModule().filters()["ecs_cluster_writes"]

TAGS = {"Project": "hybridcloud"}
ASG_ARN = "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/hybridcloud-ecs"
PROFILE_ARN = "arn:aws:iam::123456789012:instance-profile/hybridcloud-ecs-instance"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ssm:GetParameter", "Resource": "*"}]}
OPTIONS = {
    "image_id": "ami-0123456789abcdef0",
    "instance_type": "t3.medium",
    "security_group_ids": ["sg-1"],
    "metadata_options": {"http_endpoint": "enabled", "http_tokens": "required", "http_put_response_hop_limit": "1"},
    "block_device_mappings": [
        {"device_name": "/dev/xvda", "ebs": {"volume_size": "30", "volume_type": "gp3", "encrypted": "True", "delete_on_termination": True}}
    ],
    "user_data": "I2Nsb3VkLWNvbmZpZw==",
    "tag_specifications": [
        {"resource_type": "instance", "tags": {"Name": "hybridcloud-ecs"}},
        {"resource_type": "volume", "tags": {"Name": "hybridcloud-ecs"}},
    ],
}
# What amazon.aws.ec2_launch_template sends for OPTIONS (and EC2 answers as the version's data).
DATA = {
    "ImageId": "ami-0123456789abcdef0",
    "InstanceType": "t3.medium",
    "SecurityGroupIds": ["sg-1"],
    "UserData": "I2Nsb3VkLWNvbmZpZw==",
    "MetadataOptions": {
        "HttpEndpoint": "enabled",
        "HttpTokens": "required",
        "HttpPutResponseHopLimit": 1,
        "HttpProtocolIpv6": "disabled",
        "InstanceMetadataTags": "disabled",
    },
    "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 30, "VolumeType": "gp3", "Encrypted": True, "DeleteOnTermination": True}}],
    "IamInstanceProfile": {"Arn": PROFILE_ARN},
    "TagSpecifications": [
        {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "hybridcloud-ecs"}]},
        {"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "hybridcloud-ecs"}]},
    ],
}
WANTED = {
    "instance_role": {
        "name": "hybridcloud-ecs-instance",
        "description": "instances",
        "assume_role_policy_document": TRUST,
        "managed_policies": ["arn:aws:iam::aws:policy/a"],
        "tags": TAGS,
    },
    "instance_policy": {"name": "ssm-agent", "document": POLICY},
    "instance_profile": {"tags": TAGS},
    "launch_template": {"options": OPTIONS, "version_description": "managed", "tags": {**TAGS, "Name": "hybridcloud-ecs"}},
    "auto_scaling_group": {
        "min_size": "1",
        "max_size": "4",
        "launch_template_name": "hybridcloud-ecs",
        "subnet_ids": ["subnet-a", "subnet-b"],
        "protected_from_scale_in": "True",
        "health_check_type": "EC2",
        "metrics_collection": True,
        "tags": {"Name": "hybridcloud-ecs"},
    },
    "capacity_provider": {
        "auto_scaling_group": "hybridcloud-ecs",
        "managed_scaling": {
            "status": "enabled",
            "target_capacity": "100",
            "minimum_scaling_step_size": "1",
            "maximum_scaling_step_size": "2",
            "instance_warmup_period": "300",
        },
        "managed_termination_protection": "enabled",
        "managed_draining": "enabled",
        "tags": TAGS,
    },
    "cluster": {
        "capacity_providers": ["hybridcloud-ec2"],
        "capacity_provider_strategy": [{"capacity_provider": "hybridcloud-ec2", "weight": "1", "base": 0}],
        "tags": TAGS,
        "container_insights": "enabled",
    },
}
LAYER = {
    "instance_role": {
        "arn": "arn:aws:iam::123456789012:role/hybridcloud-ecs-instance",
        "description": "instances",
        "assume_role_policy_document": TRUST,
        "managed_policy_arns": ["arn:aws:iam::aws:policy/a"],
        "inline_policies": {"ssm-agent": POLICY},
        "tags": TAGS,
    },
    "instance_profile": {"arn": PROFILE_ARN, "roles": ["hybridcloud-ecs-instance"], "tags": TAGS},
    "launch_template": {
        "launch_template_id": "lt-1",
        "default_version_number": 2,
        "latest_version_number": 2,
        "tags": {**TAGS, "Name": "hybridcloud-ecs"},
        "latest_version": {"version_number": 2, "version_description": "managed", "launch_template_data": DATA},
    },
    "auto_scaling_group": {
        "auto_scaling_group_arn": ASG_ARN,
        "min_size": 1,
        "max_size": 4,
        "launch_template": {"launch_template_name": "hybridcloud-ecs", "version": "$Default"},
        "vpc_zone_identifier": "subnet-b,subnet-a",
        "new_instances_protected_from_scale_in": True,
        "health_check_type": "EC2",
        "enabled_metrics": [{"metric": "GroupInServiceInstances"}],
        "tags": [{"key": "Name", "value": "hybridcloud-ecs"}, {"key": "AmazonECSManaged", "value": ""}],
    },
    "capacity_provider": {
        "name": "hybridcloud-ec2",
        "autoScalingGroupProvider": {
            "autoScalingGroupArn": ASG_ARN,
            "managedScaling": {
                "status": "ENABLED",
                "targetCapacity": 100,
                "minimumScalingStepSize": 1,
                "maximumScalingStepSize": 2,
                "instanceWarmupPeriod": 300,
            },
            "managedTerminationProtection": "ENABLED",
            "managedDraining": "ENABLED",
        },
        "tags": TAGS,
    },
    "cluster": {
        "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/hybridcloud",
        "capacityProviders": ["hybridcloud-ec2"],
        "defaultCapacityProviderStrategy": [{"capacityProvider": "hybridcloud-ec2", "weight": 1, "base": 0}],
        "settings": {"containerInsights": "enabled"},
        "tags": TAGS,
    },
}
NOTHING = {
    key: []
    for key in [
        "instance_role",
        "instance_policy",
        "instance_profile",
        "launch_template",
        "launch_template_tags",
        "auto_scaling_group",
        "capacity_provider",
        "cluster",
        "cluster_tags",
        "cluster_settings",
    ]
}


def drifted(path, value):
    layer = copy.deepcopy(LAYER)
    *parents, key = path
    target = layer
    for parent in parents:
        target = target[parent]
    target[key] = value
    return layer


def test_a_converged_layer_needs_no_write():
    assert writes(LAYER, WANTED) == NOTHING


def test_an_empty_account_needs_every_write():
    empty = {key: {} for key in LAYER}
    assert writes(empty, WANTED) == {
        "instance_role": ["missing"],
        "instance_policy": ["missing"],
        "instance_profile": ["missing"],
        "launch_template": ["missing"],
        "launch_template_tags": ["tags"],
        "auto_scaling_group": ["missing"],
        "capacity_provider": ["missing"],
        "cluster": ["missing"],
        "cluster_tags": ["tags"],
        "cluster_settings": ["container_insights"],
    }


def test_the_launch_template_data_is_what_the_module_sends():
    assert launch_template_data(OPTIONS, PROFILE_ARN) == DATA
    with_key = copy.deepcopy(OPTIONS)
    with_key["block_device_mappings"][0]["ebs"]["kms_key_id"] = "alias/ebs"
    assert launch_template_data(with_key, PROFILE_ARN)["BlockDeviceMappings"][0]["Ebs"]["KmsKeyId"] == "alias/ebs"


@pytest.mark.parametrize(
    ("path", "value", "part", "expected"),
    [
        (("instance_role", "description"), "by hand", "instance_role", ["description"]),
        (
            ("instance_role", "managed_policy_arns"),
            ["arn:aws:iam::aws:policy/a", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
            "instance_role",
            ["managed_policies"],
        ),
        (("instance_role", "assume_role_policy_document"), POLICY, "instance_role", ["assume_role_policy"]),
        (("instance_role", "tags"), {**TAGS, "Extra": "x"}, "instance_role", ["tags"]),
        (("instance_role", "inline_policies"), {"ssm-agent": TRUST}, "instance_policy", ["policy"]),
        (("instance_role", "inline_policies"), {}, "instance_policy", ["missing"]),
        (("instance_profile", "roles"), [], "instance_profile", ["role"]),
        (("instance_profile", "tags"), {}, "instance_profile", ["tags"]),
        (("launch_template", "latest_version", "launch_template_data", "InstanceType"), "t3.large", "launch_template", ["data"]),
        (("launch_template", "latest_version", "version_description"), "", "launch_template", ["version_description"]),
        (("launch_template", "default_version_number"), 1, "launch_template", ["default_version"]),
        (("launch_template", "tags"), TAGS, "launch_template_tags", ["tags"]),
        (("auto_scaling_group", "max_size"), 6, "auto_scaling_group", ["limits"]),
        (("capacity_provider", "autoScalingGroupProvider", "managedDraining"), "DISABLED", "capacity_provider", ["settings"]),
        (("capacity_provider", "tags"), {}, "capacity_provider", ["tags"]),
        (
            ("capacity_provider", "autoScalingGroupProvider", "autoScalingGroupArn"),
            ASG_ARN.replace("hybridcloud-ecs", "other"),
            "capacity_provider",
            ["auto_scaling_group"],
        ),
        (("cluster", "capacityProviders"), ["FARGATE", "hybridcloud-ec2"], "cluster", ["capacity_providers"]),
        (
            ("cluster", "defaultCapacityProviderStrategy"),
            [{"capacityProvider": "hybridcloud-ec2", "weight": 2, "base": 0}],
            "cluster",
            ["capacity_provider_strategy"],
        ),
        (("cluster", "tags"), {"Project": "other"}, "cluster_tags", ["tags"]),
        (("cluster", "settings"), {"containerInsights": "disabled"}, "cluster_settings", ["container_insights"]),
    ],
)
def test_each_drift_runs_exactly_its_write(path, value, part, expected):
    assert writes(drifted(path, value), WANTED) == dict(NOTHING, **{part: expected})


def test_the_scaling_settings_ecs_adds_do_not_count_and_a_missing_profile_means_a_new_version():
    layer = drifted(("capacity_provider", "autoScalingGroupProvider", "managedScaling", "extra"), None)
    del layer["capacity_provider"]["autoScalingGroupProvider"]["managedScaling"]["extra"]
    assert writes(layer, WANTED) == NOTHING
    assert writes(drifted(("instance_profile",), {}), WANTED)["launch_template"] == ["data"]
