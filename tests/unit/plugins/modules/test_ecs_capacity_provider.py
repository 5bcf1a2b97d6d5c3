from unittest import mock

import pytest

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hybridcloud.aws.plugins.modules import ecs_capacity_provider as module

NAME = "workers"
ARN = "arn:aws:ecs:us-east-1:123456789012:capacity-provider/workers"
ASG_ARN = "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:0f1e2d3c-aaaa-bbbb-cccc-000000000001:autoScalingGroupName/prod-workers"
OTHER_ASG_ARN = ASG_ARN.replace("prod-workers", "other-workers")
DESCRIBE = {"capacityProviders": [NAME], "include": ["TAGS"]}
SCALING = {"status": "ENABLED", "targetCapacity": 90, "minimumScalingStepSize": 1, "maximumScalingStepSize": 4, "instanceWarmupPeriod": 300}


def provider(scaling=None, tags=None, update_status=None, status="ACTIVE", **settings):
    asg = {"autoScalingGroupArn": ASG_ARN, "managedScaling": dict(SCALING, **(scaling or {})), "managedTerminationProtection": "DISABLED"}
    asg.update(settings)
    answer = {"name": NAME, "capacityProviderArn": ARN, "status": status, "autoScalingGroupProvider": asg, "tags": tags or []}
    if update_status:
        answer["updateStatus"] = update_status
    return answer


ARGS = {"name": NAME, "auto_scaling_group": ASG_ARN, "managed_scaling": {"status": "enabled", "target_capacity": 90, "maximum_scaling_step_size": 4}}


@pytest.fixture
def ecs(module_run):
    return module_run("ecs")


def expect_describe(ecs, *providers):
    ecs.stubber.add_response("describe_capacity_providers", {"capacityProviders": list(providers)}, DESCRIBE)


def test_creates_provider_with_only_the_asked_settings_and_tags(ecs):
    expect_describe(ecs)
    wanted_asg = {"autoScalingGroupArn": ASG_ARN, "managedScaling": {"status": "ENABLED", "targetCapacity": 90, "maximumScalingStepSize": 4}}
    created = provider(tags=[{"key": "env", "value": "prod"}])
    ecs.stubber.add_response(
        "create_capacity_provider",
        {"capacityProvider": created},
        {"name": NAME, "autoScalingGroupProvider": wanted_asg, "tags": [{"key": "env", "value": "prod"}]},
    )
    expect_describe(ecs, created)
    result = ecs(module.main, dict(ARGS, tags={"env": "prod"}), diff=True)
    assert result["changed"] is True
    assert result["capacity_provider"]["auto_scaling_group_provider"]["managed_scaling"]["target_capacity"] == 90
    assert result["capacity_provider"]["tags"] == {"env": "prod"}
    assert result["diff"]["before"] == {}
    assert result["waited"] == [
        {"what": f"capacity provider {NAME} to be ready", "seconds": 0.0, "polls": 1, "states": [{"state": "ACTIVE", "seconds": 0.0, "polls": 1}]}
    ]


def test_group_name_is_resolved_to_its_arn(ecs):
    expect_describe(ecs)
    ecs.stubber.add_response(
        "create_capacity_provider", {"capacityProvider": provider()}, {"name": NAME, "autoScalingGroupProvider": {"autoScalingGroupArn": ASG_ARN}}
    )
    expect_describe(ecs, provider())
    with mock.patch.object(module, "get_auto_scaling_group_arn", return_value=ASG_ARN) as lookup:
        result = ecs(module.main, {"name": NAME, "auto_scaling_group": "prod-workers"})
    assert lookup.call_args.args[1] == "prod-workers"
    assert result["capacity_provider"]["auto_scaling_group_provider"]["auto_scaling_group_arn"] == ASG_ARN


def test_unknown_group_name_fails_clearly(ecs):
    expect_describe(ecs)
    with mock.patch.object(module, "get_auto_scaling_group_arn", return_value=None):
        result = ecs(module.main, {"name": NAME, "auto_scaling_group": "nope"})
    assert result["failed"] is True
    assert result["msg"] == "Auto Scaling group nope does not exist"


def test_create_without_group_fails_clearly(ecs):
    expect_describe(ecs)
    result = ecs(module.main, {"name": NAME})
    assert result["failed"] is True
    assert "auto_scaling_group is required to create capacity provider workers" in result["msg"]


def test_identical_provider_is_a_no_op(ecs):
    expect_describe(ecs, provider(tags=[{"key": "env", "value": "prod"}]))
    result = ecs(module.main, dict(ARGS, tags={"env": "prod"}))
    assert result["changed"] is False
    assert result["capacity_provider"]["capacity_provider_arn"] == ARN
    assert "waited" not in result


def test_group_given_by_name_matches_existing_without_lookup(ecs):
    expect_describe(ecs, provider())
    with mock.patch.object(module, "get_auto_scaling_group_arn") as lookup:
        result = ecs(module.main, dict(ARGS, auto_scaling_group="prod-workers"))
    assert result["changed"] is False
    lookup.assert_not_called()


def test_update_sends_the_merged_settings_and_waits_for_update_complete(ecs):
    expect_describe(ecs, provider())
    merged = {"managedScaling": dict(SCALING, targetCapacity=75), "managedTerminationProtection": "DISABLED", "managedDraining": "ENABLED"}
    ecs.stubber.add_response(
        "update_capacity_provider",
        {"capacityProvider": provider(update_status="UPDATE_IN_PROGRESS")},
        {"name": NAME, "autoScalingGroupProvider": merged},
    )
    expect_describe(ecs, provider(update_status="UPDATE_IN_PROGRESS"))
    expect_describe(ecs, provider(scaling={"targetCapacity": 75}, update_status="UPDATE_COMPLETE", managedDraining="ENABLED"))
    args = {"name": NAME, "managed_scaling": {"target_capacity": 75}, "managed_draining": "enabled"}
    with mock.patch.object(AnsibleModule, "log") as log:
        result = ecs(module.main, args, diff=True)
    assert result["changed"] is True
    assert result["capacity_provider"]["update_status"] == "UPDATE_COMPLETE"
    # Polled every 10 s until the update completed; every poll recorded and logged.
    what = f"capacity provider {NAME} to be ready"
    assert result["waited"] == [
        {
            "what": what,
            "seconds": 10.0,
            "polls": 2,
            "states": [{"state": "ACTIVE UPDATE_IN_PROGRESS", "seconds": 0.0, "polls": 1}, {"state": "ACTIVE UPDATE_COMPLETE", "seconds": 10.0, "polls": 1}],
        }
    ]
    assert [call.args[0] for call in log.call_args_list if "waiting for" in call.args[0]] == [
        f"hybridcloud.aws: waiting for {what}: poll 1 after 0 s: ACTIVE UPDATE_IN_PROGRESS",
        f"hybridcloud.aws: waiting for {what}: poll 2 after 10 s: ACTIVE UPDATE_COMPLETE",
    ]
    assert result["diff"]["before"]["auto_scaling_group_provider"]["managed_scaling"]["target_capacity"] == 90
    assert result["diff"]["after"]["auto_scaling_group_provider"]["managed_scaling"]["target_capacity"] == 75


def test_failed_update_is_reported_with_its_reason(ecs):
    expect_describe(ecs, provider())
    ecs.stubber.add_response("update_capacity_provider", {"capacityProvider": provider(update_status="UPDATE_IN_PROGRESS")})
    failed = dict(provider(update_status="UPDATE_FAILED"), updateStatusReason="managed termination protection needs scale-in protection")
    expect_describe(ecs, failed)
    result = ecs(module.main, {"name": NAME, "managed_termination_protection": "enabled"})
    assert result["failed"] is True
    assert "UPDATE_FAILED: managed termination protection needs scale-in protection" in result["msg"]
    assert result["waited"][0]["states"] == [{"state": "ACTIVE UPDATE_FAILED", "seconds": 0.0, "polls": 1}]


def test_tags_are_added_and_purged(ecs):
    expect_describe(ecs, provider(tags=[{"key": "old", "value": "1"}, {"key": "env", "value": "dev"}]))
    ecs.stubber.add_response("untag_resource", {}, {"resourceArn": ARN, "tagKeys": ["old"]})
    ecs.stubber.add_response("tag_resource", {}, {"resourceArn": ARN, "tags": [{"key": "env", "value": "prod"}]})
    expect_describe(ecs, provider(tags=[{"key": "env", "value": "prod"}]))
    result = ecs(module.main, {"name": NAME, "tags": {"env": "prod"}})
    assert result["changed"] is True
    assert result["capacity_provider"]["tags"] == {"env": "prod"}


def test_tags_are_kept_without_purge(ecs):
    expect_describe(ecs, provider(tags=[{"key": "old", "value": "1"}]))
    result = ecs(module.main, {"name": NAME, "tags": {}, "purge_tags": False})
    assert result["changed"] is False


def test_changing_the_group_of_an_existing_provider_fails_clearly(ecs):
    expect_describe(ecs, provider())
    result = ecs(module.main, dict(ARGS, auto_scaling_group=OTHER_ASG_ARN))
    assert result["failed"] is True
    assert "uses Auto Scaling group prod-workers; ECS cannot change the group" in result["msg"]
    assert "to use other-workers" in result["msg"]


def test_check_mode_create_makes_no_write_call(ecs):
    expect_describe(ecs)
    result = ecs(module.main, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["capacity_provider"]["auto_scaling_group_provider"]["managed_scaling"]["status"] == "ENABLED"


def test_check_mode_update_predicts_the_result(ecs):
    expect_describe(ecs, provider())
    result = ecs(module.main, {"name": NAME, "managed_scaling": {"target_capacity": 50}, "tags": {"a": "b"}}, check_mode=True)
    assert result["changed"] is True
    assert result["capacity_provider"]["auto_scaling_group_provider"]["managed_scaling"]["target_capacity"] == 50
    assert result["capacity_provider"]["tags"] == {"a": "b"}


def test_deletes_and_waits_until_gone(ecs):
    expect_describe(ecs, provider())
    ecs.stubber.add_response("delete_capacity_provider", {"capacityProvider": provider()}, {"capacityProvider": NAME})
    expect_describe(ecs, provider(update_status="DELETE_IN_PROGRESS"))
    expect_describe(ecs, provider(status="INACTIVE", update_status="DELETE_COMPLETE"))
    result = ecs(module.main, {"name": NAME, "state": "absent"})
    assert result["changed"] is True
    assert result["capacity_provider"] == {}
    # An INACTIVE provider is a deleted one.
    assert result["waited"] == [
        {
            "what": f"capacity provider {NAME} to be deleted",
            "seconds": 10.0,
            "polls": 2,
            "states": [{"state": "ACTIVE DELETE_IN_PROGRESS", "seconds": 0.0, "polls": 1}, {"state": "deleted", "seconds": 10.0, "polls": 1}],
        }
    ]


def test_delete_wait_times_out_with_what_it_saw(ecs):
    expect_describe(ecs, provider())
    ecs.stubber.add_response("delete_capacity_provider", {"capacityProvider": provider()}, {"capacityProvider": NAME})
    for _poll in range(3):
        expect_describe(ecs, provider(update_status="DELETE_IN_PROGRESS"))
    result = ecs(module.main, {"name": NAME, "state": "absent", "wait_timeout": 20})
    assert result["failed"] is True
    assert result["msg"] == f"Timeout after 20 seconds waiting for capacity provider {NAME} to be deleted"
    assert (result["waited"][0]["seconds"], result["waited"][0]["states"]) == (20.0, [{"state": "ACTIVE DELETE_IN_PROGRESS", "seconds": 0.0, "polls": 3}])


def test_without_wait_nothing_is_awaited(ecs):
    expect_describe(ecs, provider())
    ecs.stubber.add_response("delete_capacity_provider", {"capacityProvider": provider()}, {"capacityProvider": NAME})
    result = ecs(module.main, {"name": NAME, "state": "absent", "wait": False})
    assert result["changed"] is True
    assert "waited" not in result


def test_delete_of_provider_in_use_is_reported(ecs):
    expect_describe(ecs, provider())
    ecs.stubber.add_client_error(
        "delete_capacity_provider", "ClientException", "The specified capacity provider is in use and cannot be removed.", http_status_code=400
    )
    result = ecs(module.main, {"name": NAME, "state": "absent"})
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to delete capacity provider workers")
    assert "in use" in result["error"]["message"]


def test_absent_when_missing_or_inactive_is_a_no_op(ecs):
    expect_describe(ecs, provider(status="INACTIVE"))
    result = ecs(module.main, {"name": NAME, "state": "absent"})
    assert result["changed"] is False


def test_check_mode_delete_makes_no_write_call(ecs):
    expect_describe(ecs, provider())
    result = ecs(module.main, {"name": NAME, "state": "absent"}, check_mode=True)
    assert result["changed"] is True


def test_throttling_is_retried(ecs):
    ecs.stubber.add_client_error("describe_capacity_providers", "ThrottlingException", "Rate exceeded", http_status_code=400)
    expect_describe(ecs, provider())
    result = ecs(module.main, ARGS)
    assert result["changed"] is False


def test_access_denied_is_reported_clearly(ecs):
    ecs.stubber.add_client_error("describe_capacity_providers", "AccessDeniedException", "not authorized", http_status_code=400)
    result = ecs(module.main, ARGS)
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to describe capacity provider workers")
    assert result["error"]["code"] == "AccessDeniedException"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"name": "ecs-workers"}, "name must not start with aws, ecs or fargate"),
        ({"managed_scaling": {"target_capacity": 0}}, "managed_scaling.target_capacity must be between 1 and 100, got 0"),
        ({"managed_scaling": {"target_capacity": 101}}, "managed_scaling.target_capacity must be between 1 and 100, got 101"),
        ({"managed_scaling": {"instance_warmup_period": -1}}, "managed_scaling.instance_warmup_period must be between 0 and 10000"),
        ({"managed_scaling": {"minimum_scaling_step_size": 5, "maximum_scaling_step_size": 2}}, "must not exceed maximum_scaling_step_size"),
    ],
)
def test_bad_input_fails_before_any_call(ecs, args, message):
    result = ecs(module.main, dict(ARGS, **args))
    assert result["failed"] is True
    assert message in result["msg"]


def test_a_create_that_may_have_happened_is_found_by_name_not_repeated(ecs):
    """A 500 on CreateCapacityProvider that created the provider: one create call, the provider described by name."""
    expect_describe(ecs)
    ecs.stubber.add_client_error("create_capacity_provider", "ServerException", http_status_code=500)
    expect_describe(ecs, provider())
    expect_describe(ecs, provider())
    result = ecs(module.main, ARGS)
    assert result["changed"] is True
    assert result["capacity_provider"]["capacity_provider_arn"] == ARN


def test_a_create_that_did_not_happen_is_tried_again(ecs):
    expect_describe(ecs)
    ecs.stubber.add_client_error("create_capacity_provider", "ServerException", http_status_code=500)
    expect_describe(ecs)
    ecs.stubber.add_response("create_capacity_provider", {"capacityProvider": provider()}, None)
    expect_describe(ecs, provider())
    assert ecs(module.main, ARGS)["changed"] is True


def test_a_refused_create_is_not_retried(ecs):
    expect_describe(ecs)
    ecs.stubber.add_client_error("create_capacity_provider", "ClientException", "The specified capacity provider already exists.", http_status_code=400)
    result = ecs(module.main, ARGS)
    assert result["failed"] is True
    assert result["error"]["code"] == "ClientException"
