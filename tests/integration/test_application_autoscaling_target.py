"""hybridcloud.aws.application_autoscaling_target against the emulator: check mode plans a new target with no
mutating call, the real run registers it (verified with DescribeScalableTargets and ListTagsForResource), a second run
changes nothing; an update in check mode only plans it, then changes only the limits asked and the tags; absent
deregisters the target and its policies."""

import pytest

REGION = "us-east-1"
KEY = {"ServiceNamespace": "ecs", "ResourceId": "service/lab/web", "ScalableDimension": "ecs:service:DesiredCount"}
TARGET = {"service_namespace": "ecs", "resource_id": "service/lab/web", "scalable_dimension": "ecs:service:DesiredCount"}


@pytest.fixture
def scaling(aws):
    ecs = aws("ecs", region=REGION)
    ecs.create_cluster(clusterName="lab")
    ecs.register_task_definition(family="web", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}])
    ecs.create_service(cluster="lab", serviceName="web", taskDefinition="web", desiredCount=1)
    return aws("application-autoscaling", region=REGION)


def run(playbook, check=False, **options):
    result = playbook([{"name": "target", "hybridcloud.aws.application_autoscaling_target": {**TARGET, **options}}], check=check, diff=True)
    assert result.failed == 0, result.output
    return result


def stored(scaling):
    targets = scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[KEY["ResourceId"]])["ScalableTargets"]
    if not targets:
        return None, {}
    return targets[0], scaling.list_tags_for_resource(ResourceARN=targets[0]["ScalableTargetARN"])["Tags"]


def test_create_in_check_mode_then_for_real_then_no_op(playbook, scaling):
    options = {"min_capacity": 1, "max_capacity": 4, "tags": {"team": "web"}}
    planned = run(playbook, check=True, **options)
    assert planned.changed == 1
    assert planned.mutating_calls == []
    assert planned.task("target")["result"]["scalable_target"]["max_capacity"] == 4
    assert stored(scaling) == (None, {})

    created = run(playbook, **options)
    assert created.changed == 1
    target, tags = stored(scaling)
    assert (target["MinCapacity"], target["MaxCapacity"], tags) == (1, 4, {"team": "web"})
    assert created.task("target")["result"]["scalable_target"]["scalable_target_arn"] == target["ScalableTargetARN"]

    again = run(playbook, **options)
    assert again.changed == 0
    assert again.mutating_calls == []


def test_update_is_planned_in_check_mode_and_changes_only_what_was_asked(playbook, scaling):
    scaling.register_scalable_target(**KEY, MinCapacity=1, MaxCapacity=4, Tags={"old": "1"})
    update = {"max_capacity": 8, "suspended_state": {"dynamic_scaling_in_suspended": True}, "tags": {"team": "web"}}
    planned = run(playbook, check=True, **update)
    assert planned.changed == 1
    assert planned.mutating_calls == []
    diff = planned.task("target")["result"]["diff"]
    assert (diff["before"]["max_capacity"], diff["after"]["max_capacity"]) == (4, 8)
    assert stored(scaling)[0]["MaxCapacity"] == 4

    updated = run(playbook, **update)
    assert sorted(call["operation"] for call in updated.mutating_calls) == ["RegisterScalableTarget", "TagResource", "UntagResource"]
    target, tags = stored(scaling)
    assert (target["MinCapacity"], target["MaxCapacity"], tags) == (1, 8, {"team": "web"})
    assert target["SuspendedState"] == {"DynamicScalingInSuspended": True, "DynamicScalingOutSuspended": False, "ScheduledScalingSuspended": False}
    assert run(playbook, **update).changed == 0


def test_absent_deregisters_the_target_and_its_policies(playbook, scaling):
    scaling.register_scalable_target(**KEY, MinCapacity=1, MaxCapacity=4)
    steps = {"AdjustmentType": "ChangeInCapacity", "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}]}
    scaling.put_scaling_policy(PolicyName="web-step", PolicyType="StepScaling", StepScalingPolicyConfiguration=steps, **KEY)
    assert run(playbook, check=True, state="absent").mutating_calls == []
    assert stored(scaling)[0] is not None
    gone = run(playbook, state="absent")
    assert [call["operation"] for call in gone.mutating_calls] == ["DeregisterScalableTarget"]
    assert stored(scaling) == (None, {})
    assert scaling.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"] == []
    assert run(playbook, state="absent").changed == 0


def test_a_new_target_without_limits_fails_before_any_write(playbook, scaling):
    result = playbook([{"name": "target", "hybridcloud.aws.application_autoscaling_target": {**TARGET, "min_capacity": 1}}])
    assert result.failed == 1
    assert "min_capacity and max_capacity are required" in result.task("target")["result"]["msg"]
    assert result.mutating_calls == []
