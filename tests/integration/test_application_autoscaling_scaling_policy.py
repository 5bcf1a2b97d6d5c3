"""hybridcloud.aws.application_autoscaling_scaling_policy against the emulator: target tracking and step scaling
policies planned in check mode with no mutating call, created (verified with DescribeScalingPolicies), unchanged on a
second run, updated in place (same ARN, so alarms that name it keep working), refused with a hint when the scalable
target is missing, and deleted."""

import pytest

REGION = "us-east-1"
KEY = {"ServiceNamespace": "ecs", "ResourceId": "service/lab/web", "ScalableDimension": "ecs:service:DesiredCount"}
TARGET = {"service_namespace": "ecs", "resource_id": "service/lab/web", "scalable_dimension": "ecs:service:DesiredCount"}
CPU_TARGET = {
    "policy_name": "web-cpu-target",
    "policy_type": "TargetTrackingScaling",
    "target_tracking_scaling_policy_configuration": {
        "predefined_metric_specification": {"predefined_metric_type": "ECSServiceAverageCPUUtilization"},
        "target_value": 60,
        "scale_in_cooldown": 300,
        "scale_out_cooldown": 60,
    },
}
CPU_STEP = {
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


@pytest.fixture
def scaling(aws):
    ecs = aws("ecs", region=REGION)
    ecs.create_cluster(clusterName="lab")
    ecs.register_task_definition(family="web", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}])
    ecs.create_service(cluster="lab", serviceName="web", taskDefinition="web", desiredCount=1)
    return aws("application-autoscaling", region=REGION)


def tasks(*policies):
    return [{"name": policy["policy_name"], "hybridcloud.aws.application_autoscaling_scaling_policy": {**TARGET, **policy}} for policy in policies]


def stored(scaling):
    return {policy["PolicyName"]: policy for policy in scaling.describe_scaling_policies(**KEY)["ScalingPolicies"]}


def test_check_mode_plans_even_before_the_target_exists(playbook, scaling):
    result = playbook(tasks(CPU_TARGET, CPU_STEP), check=True)
    assert result.failed == 0, result.output
    assert result.changed == 2
    assert result.mutating_calls == []
    assert "policy_arn" not in result.task("web-cpu-step")["result"]["scaling_policy"]


def test_create_no_op_update_in_place_and_delete(playbook, scaling):
    scaling.register_scalable_target(**KEY, MinCapacity=1, MaxCapacity=4)
    first = playbook(tasks(CPU_TARGET, CPU_STEP))
    assert first.failed == 0, first.output
    assert first.changed == 2
    policies = stored(scaling)
    cpu = policies["web-cpu-target"]["TargetTrackingScalingPolicyConfiguration"]
    assert (cpu["PredefinedMetricSpecification"]["PredefinedMetricType"], cpu["TargetValue"], cpu["ScaleInCooldown"]) == (
        "ECSServiceAverageCPUUtilization",
        60.0,
        300,
    )
    step = policies["web-cpu-step"]["StepScalingPolicyConfiguration"]
    assert [(s.get("MetricIntervalLowerBound"), s.get("MetricIntervalUpperBound"), s["ScalingAdjustment"]) for s in step["StepAdjustments"]] == [
        (0.0, 15.0, 2),
        (15.0, None, 4),
    ]
    assert first.task("web-cpu-step")["result"]["scaling_policy"]["policy_arn"] == policies["web-cpu-step"]["PolicyARN"]

    second = playbook(tasks(CPU_TARGET, CPU_STEP))
    assert (second.changed, second.mutating_calls) == (0, [])

    lower = {**CPU_TARGET, "target_tracking_scaling_policy_configuration": {**CPU_TARGET["target_tracking_scaling_policy_configuration"], "target_value": 45}}
    planned = playbook(tasks(lower), check=True, diff=True)
    assert (planned.changed, planned.mutating_calls) == (1, [])
    assert stored(scaling)["web-cpu-target"]["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 60.0
    updated = playbook(tasks(lower))
    assert [call["operation"] for call in updated.mutating_calls] == ["PutScalingPolicy"]
    after = stored(scaling)["web-cpu-target"]
    assert after["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 45.0
    assert after["PolicyARN"] == policies["web-cpu-target"]["PolicyARN"]

    delete = {"policy_name": "web-cpu-step", "state": "absent"}
    gone = playbook([{"name": "delete", "hybridcloud.aws.application_autoscaling_scaling_policy": {**TARGET, **delete}}])
    assert [call["operation"] for call in gone.mutating_calls] == ["DeleteScalingPolicy"]
    assert sorted(stored(scaling)) == ["web-cpu-target"]


def test_missing_target_fails_with_a_hint(playbook, scaling):
    result = playbook(tasks(CPU_STEP))
    assert result.failed == 1
    assert "register it first with hybridcloud.aws.application_autoscaling_target" in result.task("web-cpu-step")["result"]["msg"]
    assert stored(scaling) == {}
