from unittest import mock

import pytest

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hybridcloud.aws.plugins.modules import ecs_container_instance as module

CLUSTER = "prod"
ARN = "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/0123456789abcdef0123456789abcdef"
OTHER = "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/fedcba9876543210fedcba9876543210"


def instance(arn=ARN, ec2_id="mi-0123456789abcdef0", status="ACTIVE", running=0):
    return {
        "containerInstanceArn": arn,
        "ec2InstanceId": ec2_id,
        "status": status,
        "agentConnected": True,
        "runningTasksCount": running,
        "pendingTasksCount": 0,
        "attributes": [{"name": "ecs.capability.external"}],
    }


@pytest.fixture
def ecs(module_run):
    return module_run("ecs")


def expect_find_by_managed_instance(ecs, *instances):
    arns = [item["containerInstanceArn"] for item in instances]
    ecs.stubber.add_response("list_container_instances", {"containerInstanceArns": arns}, {"cluster": CLUSTER, "maxResults": 100})
    if arns:
        expect_describe(ecs, list(instances))


def expect_describe(ecs, instances, arns=None):
    ecs.stubber.add_response(
        "describe_container_instances",
        {"containerInstances": instances, "failures": []},
        {"cluster": CLUSTER, "containerInstances": arns or [item["containerInstanceArn"] for item in instances], "include": ["TAGS"]},
    )


def expect_state(ecs, status, result):
    ecs.stubber.add_response(
        "update_container_instances_state",
        {"containerInstances": [result], "failures": []},
        {"cluster": CLUSTER, "containerInstances": [ARN], "status": status},
    )


def by_host(**options):
    return dict({"cluster": CLUSTER, "ec2_instance_id": "mi-0123456789abcdef0"}, **options)


def test_drains_the_instance_of_a_managed_instance_id(ecs):
    expect_find_by_managed_instance(ecs, instance(OTHER, "i-0aaaabbbbccccdddd"), instance())
    expect_state(ecs, "DRAINING", instance(status="DRAINING"))
    result = ecs(module.main, by_host(state="draining"), diff=True)
    assert result["changed"] is True
    assert "waited" not in result
    assert result["container_instance"]["status"] == "DRAINING"
    assert result["container_instance"]["container_instance_arn"] == ARN
    assert result["diff"] == {"before": {"status": "ACTIVE", "container_instance_arn": ARN}, "after": {"status": "DRAINING", "container_instance_arn": ARN}}


def test_already_draining_is_a_no_op(ecs):
    expect_find_by_managed_instance(ecs, instance(status="DRAINING"))
    assert ecs(module.main, by_host(state="draining"))["changed"] is False


def test_wait_polls_until_no_task_runs(ecs):
    expect_find_by_managed_instance(ecs, instance(running=2))
    expect_state(ecs, "DRAINING", instance(status="DRAINING", running=2))
    expect_describe(ecs, [instance(status="DRAINING", running=1)])
    expect_describe(ecs, [instance(status="DRAINING", running=0)])
    with mock.patch.object(AnsibleModule, "log") as log:
        result = ecs(module.main, by_host(state="draining", wait=True))
    assert result["changed"] is True
    assert result["container_instance"]["running_tasks_count"] == 0
    # Polled every 10 s until no task ran; every poll recorded and logged.
    what = f"the tasks on {ARN} to stop"
    assert result["waited"] == [
        {
            "what": what,
            "seconds": 10.0,
            "polls": 2,
            "states": [{"state": "DRAINING, 1 task running", "seconds": 0.0, "polls": 1}, {"state": "DRAINING, 0 tasks running", "seconds": 10.0, "polls": 1}],
        }
    ]
    assert [call.args[0] for call in log.call_args_list if "waiting for" in call.args[0]] == [
        f"hybridcloud.aws: waiting for {what}: poll 1 after 0 s: DRAINING, 1 task running",
        f"hybridcloud.aws: waiting for {what}: poll 2 after 10 s: DRAINING, 0 tasks running",
    ]


def test_drain_wait_times_out_with_what_it_saw(ecs):
    expect_find_by_managed_instance(ecs, instance(status="DRAINING", running=2))
    for _poll in range(2):
        expect_describe(ecs, [instance(status="DRAINING", running=2)])
    # Gives up after the poll that leaves too little of wait_timeout for another 10 s pause.
    result = ecs(module.main, by_host(state="draining", wait=True, wait_timeout=15))
    assert result["failed"] is True
    assert result["msg"] == f"Timeout after 15 seconds waiting for the tasks on {ARN} to stop"
    assert result["waited"] == [
        {"what": f"the tasks on {ARN} to stop", "seconds": 10.0, "polls": 2, "states": [{"state": "DRAINING, 2 tasks running", "seconds": 0.0, "polls": 2}]}
    ]


def test_reactivates_by_container_instance_id(ecs):
    expect_describe(ecs, [instance(status="DRAINING")], arns=["0123456789abcdef0123456789abcdef"])
    expect_state(ecs, "ACTIVE", instance())
    result = ecs(module.main, {"cluster": CLUSTER, "container_instance": "0123456789abcdef0123456789abcdef"})
    assert result["changed"] is True and result["container_instance"]["status"] == "ACTIVE"


def test_check_mode_changes_nothing(ecs):
    expect_find_by_managed_instance(ecs, instance())
    result = ecs(module.main, by_host(state="draining"), check_mode=True)
    assert result["changed"] is True
    assert result["container_instance"]["status"] == "DRAINING"


def test_absent_deregisters(ecs):
    expect_find_by_managed_instance(ecs, instance(status="DRAINING"))
    ecs.stubber.add_response(
        "deregister_container_instance", {"containerInstance": instance(status="INACTIVE")}, {"cluster": CLUSTER, "containerInstance": ARN, "force": True}
    )
    result = ecs(module.main, by_host(state="absent", force=True))
    assert result["changed"] is True and result["container_instance"] == {}


def test_absent_with_wait_drains_first(ecs):
    expect_find_by_managed_instance(ecs, instance(running=1))
    expect_state(ecs, "DRAINING", instance(status="DRAINING", running=1))
    expect_describe(ecs, [instance(status="DRAINING", running=0)])
    ecs.stubber.add_response(
        "deregister_container_instance", {"containerInstance": instance(status="INACTIVE")}, {"cluster": CLUSTER, "containerInstance": ARN, "force": False}
    )
    result = ecs(module.main, by_host(state="absent", wait=True))
    assert result["changed"] is True
    assert [wait["states"] for wait in result["waited"]] == [[{"state": "DRAINING, 0 tasks running", "seconds": 0.0, "polls": 1}]]


def test_absent_when_not_registered_is_a_no_op(ecs):
    expect_find_by_managed_instance(ecs, instance(OTHER, "i-0aaaabbbbccccdddd"))
    assert ecs(module.main, by_host(state="absent"))["changed"] is False


def test_missing_instance_fails_for_draining(ecs):
    expect_find_by_managed_instance(ecs)
    result = ecs(module.main, by_host(state="draining"))
    assert result["failed"] is True
    assert "No container instance mi-0123456789abcdef0 is registered in cluster prod" in result["msg"]


def test_throttling_is_retried(ecs):
    ecs.stubber.add_client_error(
        "list_container_instances", "ThrottlingException", http_status_code=400, expected_params={"cluster": CLUSTER, "maxResults": 100}
    )
    expect_find_by_managed_instance(ecs, instance(status="DRAINING"))
    assert ecs(module.main, by_host(state="draining"))["changed"] is False


def test_access_denied_is_reported(ecs):
    expect_find_by_managed_instance(ecs, instance())
    ecs.stubber.add_client_error(
        "update_container_instances_state",
        "AccessDeniedException",
        "not authorized",
        expected_params={"cluster": CLUSTER, "containerInstances": [ARN], "status": "DRAINING"},
    )
    result = ecs(module.main, by_host(state="draining"))
    assert result["failed"] is True
    assert f"Failed to set container instance {ARN} of cluster prod to DRAINING" in result["msg"]


def test_needs_exactly_one_way_to_name_the_instance(ecs):
    result = ecs(module.main, {"cluster": CLUSTER, "container_instance": ARN, "ec2_instance_id": "mi-0123456789abcdef0"})
    assert result["failed"] is True and "mutually exclusive" in result["msg"]
