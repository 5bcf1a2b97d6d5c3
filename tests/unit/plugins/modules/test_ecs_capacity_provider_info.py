import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import ecs_capacity_provider_info as module
from ansible_collections.hybridcloud.aws.tests.unit.ansible_compat import warning_messages

PREFIX = "arn:aws:ecs:us-east-1:123456789012:capacity-provider/"
ASG_ARN = "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:0f1e2d3c-aaaa-bbbb-cccc-000000000001:autoScalingGroupName/prod-workers"
SCALING = {"status": "ENABLED", "targetCapacity": 90, "minimumScalingStepSize": 1, "maximumScalingStepSize": 4, "instanceWarmupPeriod": 300}


def provider(name, status="ACTIVE", tags=None):
    return {
        "name": name,
        "capacityProviderArn": PREFIX + name,
        "status": status,
        "updateStatus": "UPDATE_COMPLETE",
        "autoScalingGroupProvider": {
            "autoScalingGroupArn": ASG_ARN,
            "managedScaling": SCALING,
            "managedTerminationProtection": "ENABLED",
            "managedDraining": "ENABLED",
        },
        "tags": tags or [],
    }


def managed(name):
    return {"name": name, "capacityProviderArn": PREFIX + name, "status": "ACTIVE", "tags": []}


@pytest.fixture
def ecs(module_run):
    return module_run("ecs")


def expect_describe(ecs, providers, failures=None, next_token=None, **params):
    answer = {"capacityProviders": providers, "failures": failures or []}
    if next_token:
        answer["nextToken"] = next_token
    ecs.stubber.add_response("describe_capacity_providers", answer, {"include": ["TAGS"], **params})


def test_named_provider_in_snake_case_with_managed_scaling_and_tags(ecs):
    expect_describe(ecs, [provider("workers", tags=[{"key": "environment", "value": "prod"}])], capacityProviders=["workers"])
    result = ecs(module.main, {"names": ["workers"]})
    assert result["changed"] is False
    [found] = result["capacity_providers"]
    assert (found["name"], found["capacity_provider_arn"], found["status"], found["update_status"]) == (
        "workers",
        PREFIX + "workers",
        "ACTIVE",
        "UPDATE_COMPLETE",
    )
    asg = found["auto_scaling_group_provider"]
    assert asg["auto_scaling_group_arn"] == ASG_ARN
    assert asg["managed_scaling"] == {
        "status": "ENABLED",
        "target_capacity": 90,
        "minimum_scaling_step_size": 1,
        "maximum_scaling_step_size": 4,
        "instance_warmup_period": 300,
    }
    assert (asg["managed_termination_protection"], asg["managed_draining"]) == ("ENABLED", "ENABLED")
    assert found["tags"] == {"environment": "prod"}


def test_all_providers_follow_next_token_and_include_fargate(ecs):
    expect_describe(ecs, [provider(f"cp-{n}") for n in range(10)], next_token="page2")
    expect_describe(ecs, [managed("FARGATE"), managed("FARGATE_SPOT")], nextToken="page2")
    result = ecs(module.main, {})
    names = [item["name"] for item in result["capacity_providers"]]
    assert names == [f"cp-{n}" for n in range(10)] + ["FARGATE", "FARGATE_SPOT"]
    assert "auto_scaling_group_provider" not in result["capacity_providers"][-1]
    assert result["capacity_providers"][-1]["tags"] == {}


def test_missing_names_are_left_out_silently_and_other_failures_warn(ecs):
    failures = [{"arn": PREFIX + "gone", "reason": "MISSING"}, {"arn": PREFIX + "odd", "reason": "INTERNAL", "detail": "try again"}]
    expect_describe(ecs, [provider("workers")], failures=failures, capacityProviders=["workers", "gone", "odd"])
    result = ecs(module.main, {"names": ["workers", "gone", "odd"]})
    assert [item["name"] for item in result["capacity_providers"]] == ["workers"]
    assert warning_messages(result) == [f"ECS could not describe {PREFIX}odd: INTERNAL try again"]


def test_inactive_providers_only_on_request(ecs):
    answer = [provider("workers"), provider("old", status="INACTIVE")]
    expect_describe(ecs, answer, capacityProviders=["workers", "old"])
    assert [item["name"] for item in ecs(module.main, {"names": ["workers", "old"]})["capacity_providers"]] == ["workers"]
    expect_describe(ecs, answer, capacityProviders=["workers", "old"])
    result = ecs(module.main, {"names": ["workers", "old"], "include_inactive": True})
    assert [(item["name"], item["status"]) for item in result["capacity_providers"]] == [("workers", "ACTIVE"), ("old", "INACTIVE")]


def test_more_than_100_names_are_asked_in_batches(ecs):
    names = [f"cp-{n:03d}" for n in range(130)]
    expect_describe(ecs, [provider(name) for name in names[:100]], capacityProviders=names[:100])
    expect_describe(ecs, [provider(name) for name in names[100:]], capacityProviders=names[100:])
    result = ecs(module.main, {"names": names})
    assert [item["name"] for item in result["capacity_providers"]] == names


def test_errors_fail_with_the_call_named_and_throttling_is_retried(ecs):
    ecs.stubber.add_client_error("describe_capacity_providers", "ThrottlingException", "Rate exceeded", http_status_code=400)
    expect_describe(ecs, [provider("workers")], capacityProviders=["workers"])
    assert [item["name"] for item in ecs(module.main, {"names": ["workers"]})["capacity_providers"]] == ["workers"]
    ecs.stubber.add_client_error("describe_capacity_providers", "AccessDeniedException", "not authorized", http_status_code=400)
    result = ecs(module.main, {"names": ["workers"]})
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to describe capacity providers")
