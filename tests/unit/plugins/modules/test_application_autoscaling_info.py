import datetime

from ansible_collections.hybridcloud.aws.plugins.modules import application_autoscaling_info as module

NOW = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.timezone.utc)
DIMENSION = "ecs:service:DesiredCount"
ARN = "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/"


def target(service, minimum=1, maximum=4):
    return {
        "ServiceNamespace": "ecs",
        "ResourceId": f"service/prod/{service}",
        "ScalableDimension": DIMENSION,
        "MinCapacity": minimum,
        "MaxCapacity": maximum,
        "RoleARN": "arn:aws:iam::123456789012:role/scaling",
        "CreationTime": NOW,
        "ScalableTargetARN": ARN + service,
    }


def policy(service, name, policy_type="TargetTrackingScaling"):
    found = {
        "PolicyARN": f"arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:resource/ecs/service/prod/{service}:policyName/{name}",
        "PolicyName": name,
        "ServiceNamespace": "ecs",
        "ResourceId": f"service/prod/{service}",
        "ScalableDimension": DIMENSION,
        "PolicyType": policy_type,
        "CreationTime": NOW,
    }
    if policy_type == "TargetTrackingScaling":
        found["TargetTrackingScalingPolicyConfiguration"] = {
            "TargetValue": 60.0,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
            "ScaleInCooldown": 300,
        }
    else:
        found["StepScalingPolicyConfiguration"] = {
            "AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 2}],
        }
    return found


def test_reads_targets_with_tags_and_the_policies_of_several_resources_in_few_calls(module_run):
    scaling = module_run("application-autoscaling")
    ids = ["service/prod/web", "service/prod/worker"]
    scaling.stubber.add_response(
        "describe_scalable_targets",
        {"ScalableTargets": [target("worker"), target("web", 2, 6)]},
        {"ServiceNamespace": "ecs", "ScalableDimension": DIMENSION, "ResourceIds": ids},
    )
    scaling.stubber.add_response("list_tags_for_resource", {"Tags": {"Project": "prod"}}, {"ResourceARN": ARN + "web"})
    scaling.stubber.add_response("list_tags_for_resource", {"Tags": {}}, {"ResourceARN": ARN + "worker"})
    # Several resources: one namespace-wide read (a policy of another service is left out here).
    scaling.stubber.add_response(
        "describe_scaling_policies",
        {"ScalingPolicies": [policy("worker", "worker-cpu-step", "StepScaling"), policy("other", "other-cpu"), policy("web", "web-cpu")]},
        {"ServiceNamespace": "ecs", "ScalableDimension": DIMENSION},
    )
    result = scaling(module.main, {"service_namespace": "ecs", "resource_ids": list(reversed(ids)), "scalable_dimension": DIMENSION, "include_tags": True})
    assert result["changed"] is False
    web, worker = result["scalable_targets"]
    assert web == {
        "service_namespace": "ecs",
        "resource_id": "service/prod/web",
        "scalable_dimension": DIMENSION,
        "min_capacity": 2,
        "max_capacity": 6,
        "role_arn": "arn:aws:iam::123456789012:role/scaling",
        "scalable_target_arn": ARN + "web",
        "creation_time": "2026-11-26T10:00:00+00:00",
        "suspended_state": {"dynamic_scaling_in_suspended": False, "dynamic_scaling_out_suspended": False, "scheduled_scaling_suspended": False},
        "tags": {"Project": "prod"},
    }
    assert worker["tags"] == {}
    assert [(p["resource_id"], p["policy_name"]) for p in result["scaling_policies"]] == [
        ("service/prod/web", "web-cpu"),
        ("service/prod/worker", "worker-cpu-step"),
    ]
    cpu, step = result["scaling_policies"]
    # In the option names of application_autoscaling_scaling_policy, so a play can compare them with what it passes.
    assert cpu["target_tracking_scaling_policy_configuration"] == {
        "target_value": 60.0,
        "predefined_metric_specification": {"predefined_metric_type": "ECSServiceAverageCPUUtilization"},
        "scale_in_cooldown": 300,
    }
    assert step["step_scaling_policy_configuration"]["step_adjustments"] == [{"metric_interval_lower_bound": 0.0, "scaling_adjustment": 2}]
    scaling.stubber.assert_no_pending_responses()


def test_one_resource_is_filtered_by_the_api_with_policy_names_and_tags_only_when_asked(module_run):
    scaling = module_run("application-autoscaling")
    scaling.stubber.add_response(
        "describe_scalable_targets", {"ScalableTargets": [target("web")]}, {"ServiceNamespace": "ecs", "ResourceIds": ["service/prod/web"]}
    )
    scaling.stubber.add_response(
        "describe_scaling_policies",
        {"ScalingPolicies": [policy("web", "web-cpu"), policy("web", "web-other")]},
        {"ServiceNamespace": "ecs", "ResourceId": "service/prod/web", "PolicyNames": ["web-cpu"]},
    )
    result = scaling(module.main, {"service_namespace": "ecs", "resource_ids": ["service/prod/web"], "policy_names": ["web-cpu"]})
    [found] = result["scalable_targets"]
    assert "tags" not in found
    assert [p["policy_name"] for p in result["scaling_policies"]] == ["web-cpu"]
    scaling.stubber.assert_no_pending_responses()


def test_pages_are_followed_and_more_than_50_resources_are_read_in_chunks(module_run):
    scaling = module_run("application-autoscaling")
    ids = [f"service/prod/s{index:02d}" for index in range(55)]
    scaling.stubber.add_response(
        "describe_scalable_targets",
        {"ScalableTargets": [target(f"s{index:02d}") for index in range(30)], "NextToken": "page-2"},
        {"ServiceNamespace": "ecs", "ResourceIds": ids[:50]},
    )
    scaling.stubber.add_response(
        "describe_scalable_targets",
        {"ScalableTargets": [target(f"s{index:02d}") for index in range(30, 50)]},
        {"ServiceNamespace": "ecs", "ResourceIds": ids[:50], "NextToken": "page-2"},
    )
    scaling.stubber.add_response(
        "describe_scalable_targets",
        {"ScalableTargets": [target(f"s{index:02d}") for index in range(50, 55)]},
        {"ServiceNamespace": "ecs", "ResourceIds": ids[50:]},
    )
    result = scaling(module.main, {"service_namespace": "ecs", "resource_ids": ids, "include_policies": False})
    assert [t["resource_id"] for t in result["scalable_targets"]] == ids
    assert result["scaling_policies"] == []
    scaling.stubber.assert_no_pending_responses()


def test_an_empty_list_of_resources_reads_nothing(module_run):
    scaling = module_run("application-autoscaling")
    result = scaling(module.main, {"service_namespace": "ecs", "resource_ids": []})
    assert (result["scalable_targets"], result["scaling_policies"]) == ([], [])
    scaling.stubber.assert_no_pending_responses()


def test_an_api_error_fails_the_module(module_run):
    scaling = module_run("application-autoscaling")
    scaling.stubber.add_client_error("describe_scalable_targets", "AccessDeniedException", "not allowed", http_status_code=400)
    result = scaling(module.main, {"service_namespace": "ecs"})
    assert result["failed"] is True
    assert "describe the scalable targets of ecs" in result["msg"]
