"""Auto Scaling group limits as AWS checks them on UpdateAutoScalingGroup (lab/awsemu/extensions/autoscaling.py)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def group(client):
    """A group at 0 instances (0..4), as a pilot light keeps its ECS capacity; returns the autoscaling client."""
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.60.0.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    ec2.create_launch_template(LaunchTemplateName="lab-lt", LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
    autoscaling = client("autoscaling")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="lab-asg", LaunchTemplate={"LaunchTemplateName": "lab-lt"}, MinSize=0, MaxSize=4, DesiredCapacity=0, VPCZoneIdentifier=subnet
    )
    return autoscaling


def sizes(autoscaling) -> tuple[int, int, int]:
    (found,) = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["lab-asg"])["AutoScalingGroups"]
    return found["MinSize"], found["DesiredCapacity"], found["MaxSize"]


def test_a_desired_capacity_below_the_new_minimum_is_refused_and_nothing_changes(group):
    # What amazon.aws.autoscaling_group sends when desired_capacity is omitted: the current DesiredCapacity.
    with pytest.raises(ClientError) as refused:
        group.update_auto_scaling_group(AutoScalingGroupName="lab-asg", MinSize=2, MaxSize=4, DesiredCapacity=0)
    assert refused.value.response["Error"]["Code"] == "ValidationError"
    assert refused.value.response["Error"]["Message"] == "Desired capacity:0 must be between the specified min size:2 and max size:4"
    assert sizes(group) == (0, 0, 4)


def test_without_a_desired_capacity_the_limits_carry_it_along(group):
    group.update_auto_scaling_group(AutoScalingGroupName="lab-asg", MinSize=2)
    assert sizes(group) == (2, 2, 4)
    group.update_auto_scaling_group(AutoScalingGroupName="lab-asg", MinSize=0, MaxSize=1)
    assert sizes(group) == (0, 1, 1)


def test_a_desired_capacity_within_the_limits_is_taken_and_min_above_max_is_refused(group):
    group.update_auto_scaling_group(AutoScalingGroupName="lab-asg", MinSize=2, MaxSize=4, DesiredCapacity=3)
    assert sizes(group) == (2, 3, 4)
    with pytest.raises(ClientError, match="Max bound, 1, must be greater than or equal to min bound, 2"):
        group.update_auto_scaling_group(AutoScalingGroupName="lab-asg", MaxSize=1)
    assert sizes(group) == (2, 3, 4)
