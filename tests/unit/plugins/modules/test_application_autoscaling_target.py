import datetime

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import application_autoscaling_target as module

KEY = {"ServiceNamespace": "ecs", "ResourceId": "service/prod/web", "ScalableDimension": "ecs:service:DesiredCount"}
ARGS = {"service_namespace": "ecs", "resource_id": "service/prod/web", "scalable_dimension": "ecs:service:DesiredCount"}
ARN = "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/0ec5a6b3c2c64b1f8e5b6a1c2d3e4f5a6b7c"
ROLE = "arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService"
NOTHING_SUSPENDED = {"DynamicScalingInSuspended": False, "DynamicScalingOutSuspended": False, "ScheduledScalingSuspended": False}


def target(low=2, high=10, **suspended):
    return dict(
        KEY,
        MinCapacity=low,
        MaxCapacity=high,
        RoleARN=ROLE,
        ScalableTargetARN=ARN,
        CreationTime=datetime.datetime(2026, 5, 4, 10, 11, 12, tzinfo=datetime.timezone.utc),
        SuspendedState=dict(NOTHING_SUSPENDED, **suspended),
    )


@pytest.fixture
def scaling(module_run):
    return module_run("application-autoscaling")


def expect_describe(scaling, *targets):
    params = {"ServiceNamespace": "ecs", "ResourceIds": [KEY["ResourceId"]], "ScalableDimension": KEY["ScalableDimension"]}
    scaling.stubber.add_response("describe_scalable_targets", {"ScalableTargets": list(targets)}, params)


def expect_tags(scaling, tags):
    scaling.stubber.add_response("list_tags_for_resource", {"Tags": tags}, {"ResourceARN": ARN})


def expect_register(scaling, **settings):
    scaling.stubber.add_response("register_scalable_target", {"ScalableTargetARN": ARN}, dict(KEY, **settings))


def test_registers_a_new_target_with_its_tags(scaling):
    expect_describe(scaling)
    expect_register(scaling, MinCapacity=2, MaxCapacity=10, Tags={"env": "prod"})
    expect_describe(scaling, target())
    expect_tags(scaling, {"env": "prod"})
    result = scaling(module.main, dict(ARGS, min_capacity=2, max_capacity=10, tags={"env": "prod"}), diff=True)
    assert result["changed"] is True
    found = result["scalable_target"]
    assert (found["min_capacity"], found["max_capacity"], found["scalable_target_arn"], found["tags"]) == (2, 10, ARN, {"env": "prod"})
    assert found["suspended_state"] == {"dynamic_scaling_in_suspended": False, "dynamic_scaling_out_suspended": False, "scheduled_scaling_suspended": False}
    assert found["creation_time"] == "2026-05-04T10:11:12+00:00"
    assert result["diff"]["before"] == {}


def test_check_mode_plans_a_new_target_without_writing(scaling):
    expect_describe(scaling)
    result = scaling(module.main, dict(ARGS, min_capacity=1, max_capacity=4, tags={"env": "prod"}), check_mode=True, diff=True)
    assert result["changed"] is True
    assert (result["scalable_target"]["min_capacity"], result["scalable_target"]["max_capacity"]) == (1, 4)
    assert result["scalable_target"]["tags"] == {"env": "prod"}
    assert result["diff"]["after"]["resource_id"] == "service/prod/web"


def test_unchanged_target_makes_no_write(scaling):
    expect_describe(scaling, target())
    expect_tags(scaling, {"env": "prod"})
    result = scaling(module.main, dict(ARGS, min_capacity=2, max_capacity=10, tags={"env": "prod"}))
    assert result["changed"] is False
    assert result["scalable_target"]["max_capacity"] == 10


def test_update_sends_only_what_differs_and_keeps_unset_flags(scaling):
    expect_describe(scaling, target(DynamicScalingOutSuspended=True))
    expect_tags(scaling, {})
    expect_register(scaling, MaxCapacity=12, SuspendedState=dict(NOTHING_SUSPENDED, DynamicScalingInSuspended=True, DynamicScalingOutSuspended=True))
    expect_describe(scaling, target(high=12, DynamicScalingInSuspended=True, DynamicScalingOutSuspended=True))
    expect_tags(scaling, {})
    args = dict(ARGS, min_capacity=2, max_capacity=12, suspended_state={"dynamic_scaling_in_suspended": True})
    result = scaling(module.main, args, diff=True)
    assert result["changed"] is True
    assert (result["diff"]["before"]["max_capacity"], result["diff"]["after"]["max_capacity"]) == (10, 12)


def test_check_mode_update_and_tags_plan_without_writing(scaling):
    expect_describe(scaling, target())
    expect_tags(scaling, {"old": "1"})
    result = scaling(module.main, dict(ARGS, min_capacity=3, tags={"new": "2"}), check_mode=True, diff=True)
    assert result["changed"] is True
    assert (result["scalable_target"]["min_capacity"], result["scalable_target"]["tags"]) == (3, {"new": "2"})
    assert result["diff"]["before"]["tags"] == {"old": "1"}


def test_tags_are_synced_by_arn(scaling):
    expect_describe(scaling, target())
    expect_tags(scaling, {"old": "1", "keep": "k"})
    scaling.stubber.add_response("untag_resource", {}, {"ResourceARN": ARN, "TagKeys": ["old"]})
    scaling.stubber.add_response("tag_resource", {}, {"ResourceARN": ARN, "Tags": {"new": "2"}})
    expect_describe(scaling, target())
    expect_tags(scaling, {"keep": "k", "new": "2"})
    result = scaling(module.main, dict(ARGS, tags={"keep": "k", "new": "2"}))
    assert result["changed"] is True
    assert result["scalable_target"]["tags"] == {"keep": "k", "new": "2"}


@pytest.mark.parametrize(
    ("current", "args", "message"),
    [
        (None, {"min_capacity": 2}, "min_capacity and max_capacity are required"),
        (None, {"min_capacity": 5, "max_capacity": 2}, "min_capacity (5) must not exceed max_capacity (2)"),
        (target(), {"min_capacity": 11}, "min_capacity (11) must not exceed max_capacity (10)"),
        (target(), {"max_capacity": -1}, "max_capacity must not be negative"),
    ],
)
def test_bad_limits_fail_before_any_write(scaling, current, args, message):
    expect_describe(scaling, *([current] if current else []))
    if current:
        expect_tags(scaling, {})
    result = scaling(module.main, dict(ARGS, **args))
    assert result["failed"] is True
    assert message in result["msg"]


def test_absent_deregisters_once(scaling):
    expect_describe(scaling, target())
    expect_tags(scaling, {})
    scaling.stubber.add_response("deregister_scalable_target", {}, KEY)
    result = scaling(module.main, dict(ARGS, state="absent"))
    assert (result["changed"], result["scalable_target"]) == (True, {})
    expect_describe(scaling)
    assert scaling(module.main, dict(ARGS, state="absent"))["changed"] is False


def test_concurrent_update_is_retried_and_other_errors_fail(scaling):
    scaling.stubber.add_client_error("describe_scalable_targets", "ConcurrentUpdateException", "busy", http_status_code=400)
    expect_describe(scaling, target())
    expect_tags(scaling, {})
    assert scaling(module.main, dict(ARGS, min_capacity=2, max_capacity=10))["changed"] is False
    scaling.stubber.add_client_error("describe_scalable_targets", "AccessDeniedException", "denied", http_status_code=400)
    result = scaling(module.main, ARGS)
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to describe the scalable target service/prod/web")
