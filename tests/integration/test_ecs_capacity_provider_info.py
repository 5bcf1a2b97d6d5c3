"""hybridcloud.aws.ecs_capacity_provider_info against the emulator: a named provider compared with
DescribeCapacityProviders (managed scaling, protection, draining, tags), every provider with FARGATE and FARGATE_SPOT
across pages, missing names left out, check mode; never a mutating call."""

import pytest

REGION = "us-east-1"
SCALING = {"status": "ENABLED", "targetCapacity": 90, "minimumScalingStepSize": 1, "maximumScalingStepSize": 4, "instanceWarmupPeriod": 120}


@pytest.fixture
def ecs(aws):
    return aws("ecs", region=REGION)


@pytest.fixture
def providers(aws, ecs):
    """Eleven providers on one Auto Scaling group (more than one page of ten); the first fully configured."""
    ec2, autoscaling = aws("ec2", region=REGION), aws("autoscaling", region=REGION)
    ec2.create_launch_template(LaunchTemplateName="workers", LaunchTemplateData={"ImageId": "ami-12c6146b"})
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="workers", LaunchTemplate={"LaunchTemplateName": "workers"}, MinSize=0, MaxSize=2, AvailabilityZones=["us-east-1a"]
    )
    group_arn = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["workers"])["AutoScalingGroups"][0]["AutoScalingGroupARN"]
    ecs.create_capacity_provider(
        name="workers",
        autoScalingGroupProvider={"autoScalingGroupArn": group_arn, "managedScaling": SCALING, "managedTerminationProtection": "DISABLED"},
        tags=[{"key": "environment", "value": "lab"}],
    )
    for number in range(10):
        ecs.create_capacity_provider(name=f"spare-{number}", autoScalingGroupProvider={"autoScalingGroupArn": group_arn})
    return group_arn


def read(playbook, check=False, **options):
    result = playbook([{"name": "read", "hybridcloud.aws.ecs_capacity_provider_info": options}], check=check)
    assert result.failed == 0, result.output
    assert result.changed == 0
    assert result.mutating_calls == []
    return result.task("read")["result"]["capacity_providers"]


def test_named_provider_as_ecs_describes_it(playbook, ecs, providers):
    [found] = read(playbook, names=["workers", "missing"])
    [described] = ecs.describe_capacity_providers(capacityProviders=["workers"], include=["TAGS"])["capacityProviders"]
    assert (found["name"], found["capacity_provider_arn"], found["status"]) == ("workers", described["capacityProviderArn"], "ACTIVE")
    asg = found["auto_scaling_group_provider"]
    assert asg["auto_scaling_group_arn"] == providers == described["autoScalingGroupProvider"]["autoScalingGroupArn"]
    assert asg["managed_scaling"] == {
        "status": "ENABLED",
        "target_capacity": 90,
        "minimum_scaling_step_size": 1,
        "maximum_scaling_step_size": 4,
        "instance_warmup_period": 120,
    }
    assert asg["managed_termination_protection"] == "DISABLED"
    assert found["tags"] == {"environment": "lab"}


def test_all_providers_across_pages_in_check_mode(playbook, providers):
    names = [item["name"] for item in read(playbook, check=True)]
    assert sorted(names) == sorted(["workers", *(f"spare-{n}" for n in range(10)), "FARGATE", "FARGATE_SPOT"])
    assert read(playbook, names=["missing"]) == []
