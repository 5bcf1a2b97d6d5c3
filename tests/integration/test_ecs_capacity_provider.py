"""hybridcloud.aws.ecs_capacity_provider against the emulator: check mode, create from an Auto Scaling group name,
idempotence, update, tags, refusal to change the group, delete; each verified with ECS API reads."""

import pytest

NAME = "lab-workers"


def provider_task(**options):
    return [{"name": "provider", "hybridcloud.aws.ecs_capacity_provider": {"name": NAME, **options}, "register": "provider"}]


def make_group(aws, name):
    ec2 = aws("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    template = f"{name}-template"
    ec2.create_launch_template(LaunchTemplateName=template, LaunchTemplateData={"ImageId": image, "InstanceType": "t3.micro"})
    autoscaling = aws("autoscaling")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name, LaunchTemplate={"LaunchTemplateName": template}, MinSize=0, MaxSize=2, AvailabilityZones=["us-east-1a"]
    )
    return autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]["AutoScalingGroupARN"]


@pytest.fixture
def group_arn(aws):
    return make_group(aws, "lab-workers-asg")


def stored(aws):
    providers = aws("ecs").describe_capacity_providers(capacityProviders=[NAME], include=["TAGS"])["capacityProviders"]
    return providers[0] if providers else None


def test_check_mode_creates_nothing(group_arn, aws, playbook, mutating_calls):
    calls_before = len(mutating_calls())
    result = playbook(provider_task(auto_scaling_group="lab-workers-asg", managed_scaling={"status": "enabled"}), check=True)
    assert result.failed == 0, result.output
    task = result.task("provider")
    assert task["changed"] is True
    assert task["result"]["capacity_provider"]["auto_scaling_group_provider"]["auto_scaling_group_arn"] == group_arn
    assert stored(aws) is None
    assert len(mutating_calls()) == calls_before


def test_create_from_group_name_then_second_run_is_a_no_op(group_arn, aws, playbook, mutating_calls):
    options = {
        "auto_scaling_group": "lab-workers-asg",
        "managed_scaling": {"status": "enabled", "target_capacity": 90, "maximum_scaling_step_size": 4},
        "managed_termination_protection": "disabled",
        "managed_draining": "enabled",
        "tags": {"environment": "lab"},
    }
    first = playbook(provider_task(**options))
    assert first.failed == 0, first.output
    assert first.changed == 1

    provider = stored(aws)
    asg = provider["autoScalingGroupProvider"]
    assert asg["autoScalingGroupArn"] == group_arn
    assert (asg["managedScaling"]["status"], asg["managedScaling"]["targetCapacity"], asg["managedScaling"]["maximumScalingStepSize"]) == ("ENABLED", 90, 4)
    assert asg["managedDraining"] == "ENABLED"
    assert {tag["key"]: tag["value"] for tag in provider["tags"]} == {"environment": "lab"}

    calls_after_create = len(mutating_calls())
    second = playbook(provider_task(**options))
    assert second.failed == 0, second.output
    assert second.changed == 0
    assert len(mutating_calls()) == calls_after_create


def test_update_tags_group_change_and_delete(group_arn, aws, playbook, mutating_calls):
    create = provider_task(auto_scaling_group=group_arn, managed_scaling={"status": "enabled", "target_capacity": 100}, tags={"a": "1"})
    update = provider_task(managed_scaling={"target_capacity": 60}, managed_termination_protection="enabled", tags={"b": "2"})
    updated = playbook(create + update, diff=True)
    assert updated.failed == 0, updated.output
    assert updated.changed == 2
    asg = stored(aws)["autoScalingGroupProvider"]
    assert asg["managedScaling"]["targetCapacity"] == 60
    assert asg["managedScaling"]["status"] == "ENABLED"
    assert asg["managedTerminationProtection"] == "ENABLED"
    assert {tag["key"]: tag["value"] for tag in stored(aws)["tags"]} == {"b": "2"}
    assert updated.task("provider")["result"]["capacity_provider"]["update_status"] == "UPDATE_COMPLETE"

    other = make_group(aws, "other-workers-asg")
    calls_before = len(mutating_calls())
    refused = [dict(provider_task(auto_scaling_group=other)[0], name="refused", ignore_errors=True)]
    deletes = [dict(provider_task(state="absent")[0], name="delete"), dict(provider_task(state="absent")[0], name="delete again")]
    result = playbook(refused + deletes)
    assert result.task("refused")["failed"] is True
    assert "ECS cannot change the group of a provider" in result.task("refused")["result"]["msg"]
    assert (result.task("delete")["changed"], result.task("delete again")["changed"]) == (True, False)
    assert [call["operation"] for call in mutating_calls()[calls_before:]] == ["DeleteCapacityProvider"]
    assert stored(aws) is None
