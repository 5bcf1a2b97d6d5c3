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
