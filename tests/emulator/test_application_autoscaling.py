"""Application Auto Scaling: DescribeScalingPolicies honours PolicyNames, ResourceId and ScalableDimension exactly, and
pages, so that several policies on one ECS service can be told apart."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

DIMENSION = "ecs:service:DesiredCount"
CPU_TRACKING = {"PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}, "TargetValue": 60.0}
STEPS = {
    "AdjustmentType": "ChangeInCapacity",
    "Cooldown": 60,
    "MetricAggregationType": "Average",
    "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 2}],
}


@pytest.fixture
def scaling(client):
    """Two services, web and web-api (one name is a prefix of the other), each with a tracking and a step policy."""
    ecs, scaling = client("ecs"), client("application-autoscaling")
    ecs.create_cluster(clusterName="lab")
    ecs.register_task_definition(family="app", containerDefinitions=[{"name": "app", "image": "nginx", "memory": 128}])
    for service in ("web", "web-api"):
        ecs.create_service(cluster="lab", serviceName=service, taskDefinition="app", desiredCount=1)
        resource_id = f"service/lab/{service}"
        scaling.register_scalable_target(ServiceNamespace="ecs", ResourceId=resource_id, ScalableDimension=DIMENSION, MinCapacity=1, MaxCapacity=4)
        common = {"ServiceNamespace": "ecs", "ResourceId": resource_id, "ScalableDimension": DIMENSION}
        scaling.put_scaling_policy(
            PolicyName=f"{service}-cpu-target", PolicyType="TargetTrackingScaling", TargetTrackingScalingPolicyConfiguration=CPU_TRACKING, **common
        )
        scaling.put_scaling_policy(PolicyName=f"{service}-cpu-step", PolicyType="StepScaling", StepScalingPolicyConfiguration=STEPS, **common)
    return scaling


def names(answer):
    return sorted(policy["PolicyName"] for policy in answer["ScalingPolicies"])


def test_policy_names_pick_the_named_policy_of_a_service(scaling):
    common = {"ServiceNamespace": "ecs", "ResourceId": "service/lab/web", "ScalableDimension": DIMENSION}
    [step] = scaling.describe_scaling_policies(PolicyNames=["web-cpu-step"], MaxResults=1, **common)["ScalingPolicies"]
    assert (step["PolicyName"], step["PolicyType"], step["StepScalingPolicyConfiguration"]) == ("web-cpu-step", "StepScaling", STEPS)
    [target] = scaling.describe_scaling_policies(PolicyNames=["web-cpu-target"], MaxResults=1, **common)["ScalingPolicies"]
    assert (target["PolicyType"], target["TargetTrackingScalingPolicyConfiguration"]) == ("TargetTrackingScaling", CPU_TRACKING)
    assert names(scaling.describe_scaling_policies(PolicyNames=["web-cpu-step", "web-cpu-target"], **common)) == ["web-cpu-step", "web-cpu-target"]
    assert scaling.describe_scaling_policies(PolicyNames=["web-api-cpu-step"], **common)["ScalingPolicies"] == []


def test_resource_id_and_dimension_match_exactly(scaling):
    assert names(scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId="service/lab/web")) == ["web-cpu-step", "web-cpu-target"]
    assert names(scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId="service/lab/web-api")) == ["web-api-cpu-step", "web-api-cpu-target"]
    assert scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId="service/lab/we")["ScalingPolicies"] == []
    assert len(scaling.describe_scaling_policies(ServiceNamespace="ecs", ScalableDimension=DIMENSION)["ScalingPolicies"]) == 4
    assert scaling.describe_scaling_policies(ServiceNamespace="dynamodb")["ScalingPolicies"] == []


def test_policies_page_with_max_results_and_next_token(scaling):
    first = scaling.describe_scaling_policies(ServiceNamespace="ecs", MaxResults=3)
    second = scaling.describe_scaling_policies(ServiceNamespace="ecs", MaxResults=3, NextToken=first["NextToken"])
    assert (len(first["ScalingPolicies"]), len(second["ScalingPolicies"]), "NextToken" in second) == (3, 1, False)
    assert sorted(names(first) + names(second)) == ["web-api-cpu-step", "web-api-cpu-target", "web-cpu-step", "web-cpu-target"]
    with pytest.raises(ClientError) as raised:
        scaling.describe_scaling_policies(ServiceNamespace="ecs", NextToken="bogus")
    assert raised.value.response["Error"]["Code"] == "InvalidNextTokenException"


def test_updating_one_policy_leaves_the_other_alone(scaling):
    common = {"ServiceNamespace": "ecs", "ResourceId": "service/lab/web", "ScalableDimension": DIMENSION}
    scaling.put_scaling_policy(
        PolicyName="web-cpu-target",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={**CPU_TRACKING, "TargetValue": 40.0},
        **common,
    )
    policies = {p["PolicyName"]: p for p in scaling.describe_scaling_policies(**common)["ScalingPolicies"]}
    assert policies["web-cpu-target"]["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 40.0
    assert policies["web-cpu-step"]["StepScalingPolicyConfiguration"] == STEPS


# scalable targets, policy updates and tags ------------------------------------------------------------------------
WEB = {"ServiceNamespace": "ecs", "ResourceId": "service/lab/web", "ScalableDimension": DIMENSION}


def error_code(raised):
    return raised.value.response["Error"]["Code"]


def test_a_new_target_needs_both_limits_in_order_and_gets_the_defaults_aws_fills_in(client):
    ecs, scaling = client("ecs"), client("application-autoscaling")
    ecs.create_cluster(clusterName="lab")
    ecs.register_task_definition(family="app", containerDefinitions=[{"name": "app", "image": "nginx", "memory": 128}])
    ecs.create_service(cluster="lab", serviceName="web", taskDefinition="app", desiredCount=1)
    for limits in ({"MinCapacity": 1}, {"MinCapacity": 5, "MaxCapacity": 2}):
        with pytest.raises(ClientError) as raised:
            scaling.register_scalable_target(**WEB, **limits)
        assert error_code(raised) == "ValidationException"
    assert scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"] == []

    arn = scaling.register_scalable_target(**WEB, MinCapacity=1, MaxCapacity=4, Tags={"team": "web"})["ScalableTargetARN"]
    [target] = scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=["service/lab/web"])["ScalableTargets"]
    assert target["ScalableTargetARN"] == arn
    assert target["SuspendedState"] == {"DynamicScalingInSuspended": False, "DynamicScalingOutSuspended": False, "ScheduledScalingSuspended": False}
    assert target["RoleARN"].endswith("/AWSServiceRoleForApplicationAutoScaling_ECSService")
    assert scaling.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"team": "web"}

    # An update names only what changes; the rest stays, and the new minimum must not exceed the kept maximum.
    scaling.register_scalable_target(**WEB, MaxCapacity=6, SuspendedState={"DynamicScalingInSuspended": True})
    [target] = scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
    assert (target["MinCapacity"], target["MaxCapacity"], target["SuspendedState"]["DynamicScalingInSuspended"]) == (1, 6, True)
    assert target["SuspendedState"]["ScheduledScalingSuspended"] is False
    with pytest.raises(ClientError) as raised:
        scaling.register_scalable_target(**WEB, MinCapacity=7)
    assert error_code(raised) == "ValidationException"


def test_target_tags_are_a_map_with_aws_errors(scaling):
    [target] = scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=["service/lab/web"])["ScalableTargets"]
    arn = target["ScalableTargetARN"]
    assert scaling.list_tags_for_resource(ResourceARN=arn)["Tags"] == {}
    scaling.tag_resource(ResourceARN=arn, Tags={"a": "1", "b": "2"})
    scaling.untag_resource(ResourceARN=arn, TagKeys=["a"])
    assert scaling.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"b": "2"}
    with pytest.raises(ClientError) as raised:
        scaling.tag_resource(ResourceARN=arn, Tags={f"k{n}": "v" for n in range(50)})
    assert error_code(raised) == "TooManyTagsException"
    with pytest.raises(ClientError) as raised:
        scaling.list_tags_for_resource(ResourceARN=arn.rsplit("/", 1)[0] + "/0123456789abcdef0123456789abcdef0123")
    assert error_code(raised) == "ResourceNotFoundException"


def test_a_policy_needs_its_target_and_keeps_its_arn_when_updated(client, scaling):
    elsewhere = dict(WEB, ResourceId="service/lab/none")
    with pytest.raises(ClientError) as raised:
        scaling.put_scaling_policy(PolicyName="x", PolicyType="StepScaling", StepScalingPolicyConfiguration=STEPS, **elsewhere)
    assert error_code(raised) == "ObjectNotFoundException"

    cloudwatch = client("cloudwatch")

    def cloudwatch_alarms():
        return sorted(alarm["AlarmName"] for alarm in cloudwatch.describe_alarms()["MetricAlarms"])

    before = {p["PolicyName"]: p for p in scaling.describe_scaling_policies(**WEB)["ScalingPolicies"]}
    alarms_before = cloudwatch_alarms()
    answer = scaling.put_scaling_policy(
        PolicyName="web-cpu-target", PolicyType="TargetTrackingScaling", TargetTrackingScalingPolicyConfiguration={**CPU_TRACKING, "TargetValue": 40.0}, **WEB
    )
    assert answer["PolicyARN"] == before["web-cpu-target"]["PolicyARN"]
    [after] = scaling.describe_scaling_policies(PolicyNames=["web-cpu-target"], **WEB)["ScalingPolicies"]
    assert (after["PolicyARN"], after["CreationTime"]) == (before["web-cpu-target"]["PolicyARN"], before["web-cpu-target"]["CreationTime"])
    # The target tracking alarms are replaced, not piled up, and act through the unchanged policy ARN.
    assert len(cloudwatch_alarms()) == len(alarms_before)
    assert {alarm["AlarmName"] for alarm in after["Alarms"]}.isdisjoint(alarms_before)


def test_deregistering_a_target_deletes_its_policies(scaling):
    scaling.deregister_scalable_target(**WEB)
    assert names(scaling.describe_scaling_policies(ServiceNamespace="ecs")) == ["web-api-cpu-step", "web-api-cpu-target"]
    with pytest.raises(ClientError) as raised:
        scaling.deregister_scalable_target(**WEB)
    assert error_code(raised) == "ObjectNotFoundException"


def test_new_limits_move_the_service_desired_count_into_their_range(client):
    """A pilot light's service at 0 tasks whose minimum a failover raises to 2 scales out to 2; lowering the maximum
    below the count scales in; a suspended direction is left alone."""
    ecs, scaling = client("ecs"), client("application-autoscaling")
    ecs.create_cluster(clusterName="lab")
    ecs.register_task_definition(family="app", containerDefinitions=[{"name": "app", "image": "nginx", "memory": 128}])
    ecs.create_service(cluster="lab", serviceName="web", taskDefinition="app", desiredCount=0)

    def desired() -> int:
        return ecs.describe_services(cluster="lab", services=["web"])["services"][0]["desiredCount"]

    scaling.register_scalable_target(**WEB, MinCapacity=0, MaxCapacity=0)
    assert desired() == 0
    scaling.register_scalable_target(**WEB, MinCapacity=2, MaxCapacity=6)
    assert desired() == 2
    scaling.register_scalable_target(**WEB, MinCapacity=0, MaxCapacity=1)
    assert desired() == 1
    scaling.register_scalable_target(**WEB, MinCapacity=3, MaxCapacity=4, SuspendedState={"DynamicScalingOutSuspended": True})
    assert desired() == 1
