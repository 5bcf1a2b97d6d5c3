"""hybridcloud.aws.application_autoscaling_info against the emulator: targets and policies written with boto3 read back
for several services in one DescribeScalableTargets and one DescribeScalingPolicies (tags with one ListTagsForResource
per target), in the option names of the write modules, services not asked for left out, no mutating call, the same in
check mode."""

REGION = "us-east-1"
DIMENSION = "ecs:service:DesiredCount"


def setup_scaling(aws):
    ecs = aws("ecs", region=REGION)
    ecs.create_cluster(clusterName="lab")
    ecs.register_task_definition(family="app", containerDefinitions=[{"name": "app", "image": "nginx", "memory": 128}])
    scaling = aws("application-autoscaling", region=REGION)
    for name, maximum in (("web", 6), ("worker", 4), ("other", 2)):
        ecs.create_service(cluster="lab", serviceName=name, taskDefinition="app", desiredCount=1)
        key = {"ServiceNamespace": "ecs", "ResourceId": f"service/lab/{name}", "ScalableDimension": DIMENSION}
        scaling.register_scalable_target(**key, MinCapacity=1, MaxCapacity=maximum, Tags={"service": name})
        scaling.put_scaling_policy(
            **key,
            PolicyName=f"{name}-cpu",
            PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration={
                "TargetValue": 55.0,
                "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
                "ScaleInCooldown": 120,
            },
        )
    scaling.put_scaling_policy(
        ServiceNamespace="ecs",
        ResourceId="service/lab/worker",
        ScalableDimension=DIMENSION,
        PolicyName="worker-step",
        PolicyType="StepScaling",
        StepScalingPolicyConfiguration={"AdjustmentType": "ChangeInCapacity", "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 2}]},
    )


def test_reads_the_targets_and_policies_of_several_services_in_few_calls(aws, playbook):
    setup_scaling(aws)
    tasks = [
        {
            "name": "read",
            "hybridcloud.aws.application_autoscaling_info": {
                "service_namespace": "ecs",
                "resource_ids": ["service/lab/worker", "service/lab/web", "service/lab/missing"],
                "scalable_dimension": DIMENSION,
                "include_tags": True,
            },
        }
    ]
    for check in (False, True):
        result = playbook(tasks, check=check)
        assert result.failed == 0, result.output
        assert (result.changed, result.mutating_calls) == (0, [])
        calls = sorted(call["operation"] for call in result.api_calls if call["service"] == "applicationautoscaling")
        assert calls == ["DescribeScalableTargets", "DescribeScalingPolicies", "ListTagsForResource", "ListTagsForResource"]
        found = result.task("read")["result"]
        targets = {t["resource_id"]: (t["min_capacity"], t["max_capacity"], t["tags"]) for t in found["scalable_targets"]}
        assert targets == {"service/lab/web": (1, 6, {"service": "web"}), "service/lab/worker": (1, 4, {"service": "worker"})}
        policies = {(p["resource_id"], p["policy_name"]): p for p in found["scaling_policies"]}
        assert sorted(policies) == [("service/lab/web", "web-cpu"), ("service/lab/worker", "worker-cpu"), ("service/lab/worker", "worker-step")]
        cpu = policies[("service/lab/web", "web-cpu")]
        assert (cpu["policy_type"], cpu["target_tracking_scaling_policy_configuration"]) == (
            "TargetTrackingScaling",
            {"target_value": 55.0, "predefined_metric_specification": {"predefined_metric_type": "ECSServiceAverageCPUUtilization"}, "scale_in_cooldown": 120},
        )
        step = policies[("service/lab/worker", "worker-step")]["step_scaling_policy_configuration"]
        assert step["step_adjustments"] == [{"metric_interval_lower_bound": 0.0, "scaling_adjustment": 2}]


def test_without_tags_and_policies_names_narrow_the_read(aws, playbook):
    setup_scaling(aws)
    options = {"service_namespace": "ecs", "resource_ids": ["service/lab/worker"], "policy_names": ["worker-step"]}
    result = playbook([{"name": "read", "hybridcloud.aws.application_autoscaling_info": options}])
    assert result.failed == 0, result.output
    found = result.task("read")["result"]
    assert [t["resource_id"] for t in found["scalable_targets"]] == ["service/lab/worker"]
    assert "tags" not in found["scalable_targets"][0]
    assert [p["policy_name"] for p in found["scaling_policies"]] == ["worker-step"]
    assert not [call for call in result.api_calls if call["operation"] == "ListTagsForResource"]
