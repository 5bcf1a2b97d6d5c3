import datetime

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import application_autoscaling_scaling_policy as module

KEY = {"ServiceNamespace": "ecs", "ResourceId": "service/prod/web", "ScalableDimension": "ecs:service:DesiredCount"}
ARGS = {"service_namespace": "ecs", "resource_id": "service/prod/web", "scalable_dimension": "ecs:service:DesiredCount"}
ARN = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:6d8972f3-0000-4000-8000-000000000001:resource/ecs/service/prod/web:policyName/"
CPU = {"PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}, "TargetValue": 60.0}
STEPS = {
    "AdjustmentType": "ChangeInCapacity",
    "Cooldown": 60,
    "MetricAggregationType": "Average",
    "StepAdjustments": [
        {"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 15.0, "ScalingAdjustment": 2},
        {"MetricIntervalLowerBound": 15.0, "ScalingAdjustment": 4},
    ],
}
STEP_ARGS = {
    "policy_name": "web-cpu-step",
    "policy_type": "StepScaling",
    "step_scaling_policy_configuration": {
        "adjustment_type": "ChangeInCapacity",
        "cooldown": 60,
        "metric_aggregation_type": "Average",
        "step_adjustments": [
            {"metric_interval_lower_bound": 0, "metric_interval_upper_bound": 15, "scaling_adjustment": 2},
            {"metric_interval_lower_bound": 15, "scaling_adjustment": 4},
        ],
    },
}
CPU_ARGS = {
    "policy_name": "web-cpu-target",
    "policy_type": "TargetTrackingScaling",
    "target_tracking_scaling_policy_configuration": {
        "predefined_metric_specification": {"predefined_metric_type": "ECSServiceAverageCPUUtilization"},
        "target_value": 60,
    },
}
ALARMS = [{"AlarmName": "TargetTracking-service/prod/web-AlarmHigh-1", "AlarmARN": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:high"}]


def policy(name, policy_type, configuration, alarms=()):
    answer = dict(
        KEY,
        PolicyName=name,
        PolicyARN=ARN + name,
        PolicyType=policy_type,
        Alarms=list(alarms),
        CreationTime=datetime.datetime(2026, 5, 4, 10, 11, 12, tzinfo=datetime.timezone.utc),
    )
    answer[module.POLICY_CONFIGURATION_KEYS[policy_type]] = configuration
    return answer


@pytest.fixture
def scaling(module_run):
    return module_run("application-autoscaling")


def expect_describe(scaling, name, *policies):
    scaling.stubber.add_response("describe_scaling_policies", {"ScalingPolicies": list(policies)}, dict(KEY, PolicyNames=[name]))


def expect_put(scaling, name, policy_type, configuration):
    params = dict(KEY, PolicyName=name, PolicyType=policy_type)
    params[module.POLICY_CONFIGURATION_KEYS[policy_type]] = configuration
    scaling.stubber.add_response("put_scaling_policy", {"PolicyARN": ARN + name, "Alarms": []}, params)


def test_creates_a_step_policy_in_the_api_shape(scaling):
    expect_describe(scaling, "web-cpu-step")
    expect_put(scaling, "web-cpu-step", "StepScaling", STEPS)
    expect_describe(scaling, "web-cpu-step", policy("web-cpu-step", "StepScaling", STEPS))
    result = scaling(module.main, dict(ARGS, **STEP_ARGS), diff=True)
    assert result["changed"] is True
    found = result["scaling_policy"]
    assert found["policy_arn"] == ARN + "web-cpu-step"
    assert found["step_scaling_policy_configuration"]["step_adjustments"][1] == {"metric_interval_lower_bound": 15.0, "scaling_adjustment": 4}
    assert found["creation_time"] == "2026-05-04T10:11:12+00:00"
    assert result["diff"]["before"] == {}


def test_check_mode_plans_a_new_policy_without_an_arn(scaling):
    expect_describe(scaling, "web-cpu-step")
    result = scaling(module.main, dict(ARGS, **STEP_ARGS), check_mode=True)
    assert result["changed"] is True
    assert "policy_arn" not in result["scaling_policy"]
    assert result["scaling_policy"]["step_scaling_policy_configuration"]["cooldown"] == 60


def test_same_configuration_is_no_change(scaling):
    expect_describe(scaling, "web-cpu-target", policy("web-cpu-target", "TargetTrackingScaling", dict(CPU, ScaleInCooldown=300), ALARMS))
    result = scaling(module.main, dict(ARGS, **CPU_ARGS))
    assert result["changed"] is False
    assert result["scaling_policy"]["alarms"] == [{"alarm_name": ALARMS[0]["AlarmName"], "alarm_arn": ALARMS[0]["AlarmARN"]}]


def test_update_keeps_unset_options_and_check_mode_only_plans_it(scaling):
    current = policy("web-cpu-target", "TargetTrackingScaling", dict(CPU, ScaleInCooldown=300, ScaleOutCooldown=60), ALARMS)
    wanted = dict(CPU, TargetValue=45.0, ScaleInCooldown=300, ScaleOutCooldown=60)
    args = dict(ARGS, **CPU_ARGS)
    args["target_tracking_scaling_policy_configuration"] = dict(CPU_ARGS["target_tracking_scaling_policy_configuration"], target_value=45)

    expect_describe(scaling, "web-cpu-target", current)
    planned = scaling(module.main, args, check_mode=True, diff=True)
    assert planned["changed"] is True
    assert planned["scaling_policy"]["policy_arn"] == ARN + "web-cpu-target"
    assert planned["diff"]["after"]["target_tracking_scaling_policy_configuration"]["target_value"] == 45.0
    assert planned["diff"]["before"]["target_tracking_scaling_policy_configuration"]["target_value"] == 60.0

    expect_describe(scaling, "web-cpu-target", current)
    expect_put(scaling, "web-cpu-target", "TargetTrackingScaling", wanted)
    expect_describe(scaling, "web-cpu-target", policy("web-cpu-target", "TargetTrackingScaling", wanted, ALARMS))
    assert scaling(module.main, args)["changed"] is True


def test_switching_the_metric_drops_the_other_one(scaling):
    customized = {
        "MetricName": "QueueDepth",
        "Namespace": "Lab/App",
        "Dimensions": [{"Name": "Queue", "Value": "jobs_main"}],
        "Statistic": "Average",
    }
    expect_describe(scaling, "web-cpu-target", policy("web-cpu-target", "TargetTrackingScaling", dict(CPU, ScaleInCooldown=300)))
    switched = {"CustomizedMetricSpecification": customized, "TargetValue": 100.0, "ScaleInCooldown": 300}
    expect_put(scaling, "web-cpu-target", "TargetTrackingScaling", switched)
    expect_describe(scaling, "web-cpu-target", policy("web-cpu-target", "TargetTrackingScaling", switched))
    args = dict(ARGS, policy_name="web-cpu-target", policy_type="TargetTrackingScaling")
    args["target_tracking_scaling_policy_configuration"] = {
        "target_value": 100,
        "customized_metric_specification": {
            "metric_name": "QueueDepth",
            "namespace": "Lab/App",
            "dimensions": [{"name": "Queue", "value": "jobs_main"}],
            "statistic": "Average",
        },
    }
    result = scaling(module.main, args)
    assert result["changed"] is True
    assert result["scaling_policy"]["target_tracking_scaling_policy_configuration"]["customized_metric_specification"]["dimensions"] == [
        {"name": "Queue", "value": "jobs_main"}
    ]


def test_a_policy_of_the_other_type_is_replaced_as_asked(scaling):
    expect_describe(scaling, "web-cpu-step", policy("web-cpu-step", "TargetTrackingScaling", CPU))
    expect_put(scaling, "web-cpu-step", "StepScaling", STEPS)
    expect_describe(scaling, "web-cpu-step", policy("web-cpu-step", "StepScaling", STEPS))
    assert scaling(module.main, dict(ARGS, **STEP_ARGS))["changed"] is True


def test_missing_target_fails_with_a_hint(scaling):
    expect_describe(scaling, "web-cpu-step")
    scaling.stubber.add_client_error("put_scaling_policy", "ObjectNotFoundException", "No scalable target registered", http_status_code=400)
    result = scaling(module.main, dict(ARGS, **STEP_ARGS))
    assert result["failed"] is True
    assert "register it first with hybridcloud.aws.application_autoscaling_target" in result["msg"]


def test_target_tracking_needs_a_metric(scaling):
    expect_describe(scaling, "web-cpu-target")
    args = dict(ARGS, policy_name="web-cpu-target", policy_type="TargetTrackingScaling", target_tracking_scaling_policy_configuration={"target_value": 50})
    result = scaling(module.main, args)
    assert result["failed"] is True
    assert "needs predefined_metric_specification or customized_metric_specification" in result["msg"]


def test_absent_deletes_once_and_check_mode_only_reports(scaling):
    existing = policy("web-cpu-step", "StepScaling", STEPS)
    expect_describe(scaling, "web-cpu-step", existing)
    assert scaling(module.main, dict(ARGS, policy_name="web-cpu-step", state="absent"), check_mode=True)["changed"] is True
    expect_describe(scaling, "web-cpu-step", existing)
    scaling.stubber.add_response("delete_scaling_policy", {}, dict(KEY, PolicyName="web-cpu-step"))
    result = scaling(module.main, dict(ARGS, policy_name="web-cpu-step", state="absent"))
    assert (result["changed"], result["scaling_policy"]) == (True, {})
    expect_describe(scaling, "web-cpu-step")
    assert scaling(module.main, dict(ARGS, policy_name="web-cpu-step", state="absent"))["changed"] is False
