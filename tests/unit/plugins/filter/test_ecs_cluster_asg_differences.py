"""ecs_cluster_asg_differences: what the ecs_cluster role would change on its Auto Scaling group, on what
autoscaling_group_info read (the converged shape below is the role's group as that module returns it)."""

import copy

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.ecs_cluster_asg_differences import FilterModule

differences = FilterModule().filters()["ecs_cluster_asg_differences"]

WANTED = {
    "min_size": 1,
    "max_size": "4",
    "launch_template_name": "hybridcloud-ecs",
    "subnet_ids": ["subnet-a", "subnet-b"],
    "protected_from_scale_in": True,
    "health_check_type": "EC2",
    "metrics_collection": "true",
    "tags": {"Project": "hybridcloud", "Name": "hybridcloud-ecs"},
}
CURRENT = {
    "auto_scaling_group_name": "hybridcloud-ecs",
    "min_size": 1,
    "max_size": 4,
    "desired_capacity": 3,
    "launch_template": {"launch_template_id": "lt-1", "launch_template_name": "hybridcloud-ecs", "version": "$Default"},
    "vpc_zone_identifier": "subnet-b,subnet-a",
    "new_instances_protected_from_scale_in": True,
    "health_check_type": "EC2",
    "enabled_metrics": [{"metric": "GroupInServiceInstances", "granularity": "1Minute"}],
    "tags": [
        {"key": "Project", "value": "hybridcloud", "propagate_at_launch": False},
        {"key": "Name", "value": "hybridcloud-ecs", "propagate_at_launch": False},
        {"key": "AmazonECSManaged", "value": "", "propagate_at_launch": False},
    ],
}


def test_converged_group_needs_no_write_whatever_its_desired_capacity_and_ecs_tag():
    assert differences(CURRENT, WANTED) == []
    assert differences(None, WANTED) == ["missing"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda group: group.update(max_size=6), ["limits"]),
        (lambda group: group["launch_template"].update(version="3"), ["launch_template"]),
        (lambda group: group.update(vpc_zone_identifier="subnet-a"), ["subnets"]),
        (lambda group: group.update(new_instances_protected_from_scale_in=False), ["protected_from_scale_in"]),
        (lambda group: group.update(health_check_type="ELB"), ["health_check_type"]),
        (lambda group: group.update(enabled_metrics=[]), ["metrics_collection"]),
        (lambda group: group["tags"].pop(0), ["tags"]),
        (lambda group: group["tags"][1].update(value="other"), ["tags"]),
    ],
)
def test_drift(change, expected):
    group = copy.deepcopy(CURRENT)
    change(group)
    assert differences(group, WANTED) == expected
