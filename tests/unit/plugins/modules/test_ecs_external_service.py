import datetime
from unittest import mock

import pytest

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hybridcloud.aws.plugins.modules import ecs_external_service as module
from ansible_collections.hybridcloud.aws.tests.unit.ansible_compat import warning_messages

CLUSTER = "prod"
NAME = "onprem-web"
SERVICE_ARN = f"arn:aws:ecs:us-east-1:123456789012:service/{CLUSTER}/{NAME}"
TD_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/onprem-web:3"
TD_ARN_4 = TD_ARN.replace(":3", ":4")
ONPREM = {"type": "memberOf", "expression": "attribute:location == onprem"}
ECS_DEPLOYMENT_DEFAULTS = {
    "maximumPercent": 200,
    "minimumHealthyPercent": 100,
    "deploymentCircuitBreaker": {"enable": False, "rollback": False},
    "strategy": "ROLLING",
}
DESCRIBE = {"cluster": CLUSTER, "services": [NAME], "include": ["TAGS"]}
ARGS = {"name": NAME, "cluster": CLUSTER, "task_definition": "onprem-web", "desired_count": 2, "placement_constraints": [ONPREM]}


def service(status="ACTIVE", desired=2, running=2, deployments=1, tags=None, **fields):
    answer = {
        "serviceArn": SERVICE_ARN,
        "serviceName": NAME,
        "clusterArn": f"arn:aws:ecs:us-east-1:123456789012:cluster/{CLUSTER}",
        "status": status,
        "launchType": "EXTERNAL",
        "taskDefinition": TD_ARN,
        "desiredCount": desired,
        "runningCount": running,
        "pendingCount": 0,
        "placementConstraints": [ONPREM],
        "placementStrategy": [],
        "deploymentConfiguration": ECS_DEPLOYMENT_DEFAULTS,
        "deployments": [{"id": f"ecs-svc/{number}", "status": "PRIMARY", "taskDefinition": TD_ARN} for number in range(deployments)],
        "events": [{"id": "e1", "message": "has reached a steady state.", "createdAt": datetime.datetime(2026, 5, 4, tzinfo=datetime.timezone.utc)}],
        "tags": tags or [],
    }
    answer.update(fields)
    return answer


def task_definition(arn=TD_ARN, compatibilities=("EC2", "EXTERNAL"), status="ACTIVE"):
    return {"taskDefinitionArn": arn, "family": NAME, "status": status, "compatibilities": list(compatibilities), "containerDefinitions": []}


@pytest.fixture
def ecs(module_run):
    return module_run("ecs")


def expect_service(ecs, answer=None):
    ecs.stubber.add_response("describe_services", {"services": [answer] if answer else [], "failures": [] if answer else [{"reason": "MISSING"}]}, DESCRIBE)


def expect_task_definition(ecs, definition=None, name="onprem-web"):
    ecs.stubber.add_response("describe_task_definition", {"taskDefinition": definition or task_definition()}, {"taskDefinition": name})


def test_creates_service_with_external_launch_type(ecs):
    expect_service(ecs)
    expect_task_definition(ecs)
    request = {
        "cluster": CLUSTER,
        "serviceName": NAME,
        "launchType": "EXTERNAL",
        "taskDefinition": TD_ARN,
        "desiredCount": 2,
        "placementConstraints": [ONPREM],
        "deploymentConfiguration": {"minimumHealthyPercent": 50, "maximumPercent": 100, "deploymentCircuitBreaker": {"enable": True, "rollback": True}},
        "tags": [{"key": "application", "value": "web"}],
    }
    ecs.stubber.add_response("create_service", {"service": service()}, request)
    expect_service(ecs, service(tags=request["tags"], deploymentConfiguration=request["deploymentConfiguration"]))
    args = dict(
        ARGS,
        tags={"application": "web"},
        deployment_configuration={"minimum_healthy_percent": 50, "maximum_percent": 100, "deployment_circuit_breaker": {"enable": True, "rollback": True}},
    )
    result = ecs(module.main, args, diff=True)
    assert result["changed"] is True
    assert result["service"]["launch_type"] == "EXTERNAL"
    assert result["service"]["deployment_configuration"]["deployment_circuit_breaker"] == {"enable": True, "rollback": True}
    assert result["service"]["tags"] == {"application": "web"}
    assert "events" not in result["service"]
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["taskDefinition"] == TD_ARN


def test_create_without_desired_count_fails_clearly(ecs):
    expect_service(ecs)
    expect_task_definition(ecs)
    result = ecs(module.main, {"name": NAME, "cluster": CLUSTER, "task_definition": "onprem-web"})
    assert result["failed"] is True
    assert result["msg"] == "desired_count is required to create service onprem-web"


def test_task_definition_not_for_external_is_refused(ecs):
    expect_service(ecs)
    expect_task_definition(ecs, task_definition(compatibilities=["EC2", "FARGATE"]))
    result = ecs(module.main, ARGS)
    assert result["failed"] is True
    assert "is not compatible with the EXTERNAL launch type" in result["msg"]


def test_missing_task_definition_fails_but_only_warns_in_check_mode(ecs):
    expect_service(ecs)
    ecs.stubber.add_client_error("describe_task_definition", "ClientException", "Unable to describe task definition.")
    result = ecs(module.main, ARGS)
    assert result["msg"] == "Task definition onprem-web has no ACTIVE revision"

    expect_service(ecs)
    ecs.stubber.add_client_error("describe_task_definition", "ClientException", "Unable to describe task definition.")
    result = ecs(module.main, ARGS, check_mode=True)
    assert result["changed"] is True
    assert "assuming an earlier task registers it" in warning_messages(result)[0]


def test_identical_service_is_a_no_op(ecs):
    expect_service(ecs, service(tags=[{"key": "application", "value": "web"}]))
    expect_task_definition(ecs)
    result = ecs(module.main, dict(ARGS, tags={"application": "web"}, deployment_configuration={"maximum_percent": 200}))
    assert result["changed"] is False
    assert result["service"]["running_count"] == 2


def test_new_revision_of_the_family_is_deployed(ecs):
    expect_service(ecs, service())
    expect_task_definition(ecs, task_definition(arn=TD_ARN_4))
    ecs.stubber.add_response("update_service", {"service": service()}, {"cluster": CLUSTER, "service": NAME, "taskDefinition": TD_ARN_4})
    expect_service(ecs, service(taskDefinition=TD_ARN_4))
    result = ecs(module.main, ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["taskDefinition"] == TD_ARN
    assert result["service"]["task_definition"] == TD_ARN_4


def test_update_sends_only_what_changed_with_merged_deployment_configuration(ecs):
    expect_service(ecs, service())
    expect_task_definition(ecs)
    merged = dict(ECS_DEPLOYMENT_DEFAULTS, minimumHealthyPercent=50)
    expected = {"cluster": CLUSTER, "service": NAME, "desiredCount": 3, "placementConstraints": [], "deploymentConfiguration": merged}
    ecs.stubber.add_response("update_service", {"service": service()}, expected)
    expect_service(ecs, service(desired=3, placementConstraints=[], deploymentConfiguration=merged))
    args = dict(ARGS, desired_count=3, placement_constraints=[], deployment_configuration={"minimum_healthy_percent": 50})
    result = ecs(module.main, args)
    assert result["changed"] is True
    assert result["service"]["desired_count"] == 3


def test_waits_for_steady_state(ecs):
    expect_service(ecs, service())
    expect_task_definition(ecs)
    ecs.stubber.add_response("update_service", {"service": service()}, {"cluster": CLUSTER, "service": NAME, "desiredCount": 4})
    expect_service(ecs, service(desired=4, running=2, deployments=2))
    expect_service(ecs, service(desired=4, running=2, deployments=2))
    expect_service(ecs, service(desired=4, running=4))
    with mock.patch.object(AnsibleModule, "log") as log:
        result = ecs(module.main, dict(ARGS, desired_count=4, wait=True))
    assert result["service"]["running_count"] == 4
    # Polled every 10 s until steady; the two polls that saw the same are one entry; every poll logged.
    what = f"service {NAME} to reach a steady state"
    assert result["waited"] == [
        {
            "what": what,
            "seconds": 20.0,
            "polls": 3,
            "states": [
                {"state": "ACTIVE, 2 of 4 tasks running, 2 deployments", "seconds": 0.0, "polls": 2},
                {"state": "ACTIVE, 4 of 4 tasks running, 1 deployment", "seconds": 20.0, "polls": 1},
            ],
        }
    ]
    assert [call.args[0] for call in log.call_args_list if "waiting for" in call.args[0]] == [
        f"hybridcloud.aws: waiting for {what}: poll 1 after 0 s: ACTIVE, 2 of 4 tasks running, 2 deployments",
        f"hybridcloud.aws: waiting for {what}: poll 2 after 10 s: ACTIVE, 2 of 4 tasks running, 2 deployments",
        f"hybridcloud.aws: waiting for {what}: poll 3 after 20 s: ACTIVE, 4 of 4 tasks running, 1 deployment",
    ]


def test_wait_times_out_clearly(ecs):
    expect_service(ecs, service())
    expect_task_definition(ecs)
    ecs.stubber.add_response("update_service", {"service": service()})
    expect_service(ecs, service(desired=4, running=2))
    result = ecs(module.main, dict(ARGS, desired_count=4, wait=True, wait_timeout=0))
    assert result["failed"] is True
    assert result["msg"] == "Timeout after 0 seconds waiting for service onprem-web to reach a steady state"
    assert result["waited"] == [
        {
            "what": f"service {NAME} to reach a steady state",
            "seconds": 0.0,
            "polls": 1,
            "states": [{"state": "ACTIVE, 2 of 4 tasks running, 1 deployment", "seconds": 0.0, "polls": 1}],
        }
    ]


def test_a_service_deleted_while_waited_for_fails_with_what_the_wait_saw(ecs):
    expect_service(ecs, service())
    expect_task_definition(ecs)
    ecs.stubber.add_response("update_service", {"service": service()})
    expect_service(ecs, service(status="DRAINING", desired=4, running=2))
    result = ecs(module.main, dict(ARGS, desired_count=4, wait=True))
    assert result["failed"] is True
    assert "disappeared or is being deleted" in result["msg"]
    assert result["waited"][0]["states"] == [{"state": "DRAINING, 2 of 4 tasks running, 1 deployment", "seconds": 0.0, "polls": 1}]


def test_tags_are_added_and_purged(ecs):
    expect_service(ecs, service(tags=[{"key": "old", "value": "x"}]))
    expect_task_definition(ecs)
    ecs.stubber.add_response("untag_resource", {}, {"resourceArn": SERVICE_ARN, "tagKeys": ["old"]})
    ecs.stubber.add_response("tag_resource", {}, {"resourceArn": SERVICE_ARN, "tags": [{"key": "application", "value": "web"}]})
    expect_service(ecs, service(tags=[{"key": "application", "value": "web"}]))
    result = ecs(module.main, dict(ARGS, tags={"application": "web"}))
    assert result["changed"] is True
    assert result["service"]["tags"] == {"application": "web"}


def test_service_of_another_launch_type_is_refused(ecs):
    expect_service(ecs, service(launchType="EC2"))
    expect_task_definition(ecs)
    result = ecs(module.main, ARGS)
    assert result["failed"] is True
    assert "uses EC2, not the EXTERNAL launch type, and ECS cannot change that" in result["msg"]


def test_check_mode_update_writes_nothing_and_predicts(ecs):
    expect_service(ecs, service())
    expect_task_definition(ecs)
    result = ecs(module.main, dict(ARGS, desired_count=5), check_mode=True)
    assert result["changed"] is True
    assert result["service"]["desired_count"] == 5


def test_check_mode_create_writes_nothing(ecs):
    expect_service(ecs)
    expect_task_definition(ecs)
    result = ecs(module.main, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["service"]["launch_type"] == "EXTERNAL"


def test_delete_scales_to_zero_then_deletes_and_waits(ecs):
    expect_service(ecs, service())
    ecs.stubber.add_response("update_service", {"service": service(desired=0)}, {"cluster": CLUSTER, "service": NAME, "desiredCount": 0})
    ecs.stubber.add_response("delete_service", {"service": service(status="DRAINING", desired=0)}, {"cluster": CLUSTER, "service": NAME})
    expect_service(ecs, service(status="DRAINING", desired=0))
    expect_service(ecs, service(status="INACTIVE", desired=0))
    result = ecs(module.main, {"name": NAME, "cluster": CLUSTER, "state": "absent", "wait": True})
    assert result["changed"] is True
    assert result["service"] == {}
    # An INACTIVE service is a deleted one.
    assert result["waited"] == [
        {
            "what": f"service {NAME} to be deleted",
            "seconds": 10.0,
            "polls": 2,
            "states": [
                {"state": "DRAINING, 2 of 0 tasks running, 1 deployment", "seconds": 0.0, "polls": 1},
                {"state": "deleted", "seconds": 10.0, "polls": 1},
            ],
        }
    ]


def test_delete_of_scaled_down_service_skips_the_update(ecs):
    expect_service(ecs, service(desired=0, running=0))
    ecs.stubber.add_response("delete_service", {"service": service(status="DRAINING", desired=0)}, {"cluster": CLUSTER, "service": NAME})
    result = ecs(module.main, {"name": NAME, "cluster": CLUSTER, "state": "absent"})
    assert result["changed"] is True
    assert "waited" not in result


@pytest.mark.parametrize("answer", [None, service(status="DRAINING"), service(status="INACTIVE")])
def test_absent_when_missing_or_already_deleting_is_a_no_op(ecs, answer):
    expect_service(ecs, answer)
    result = ecs(module.main, {"name": NAME, "cluster": CLUSTER, "state": "absent"})
    assert result["changed"] is False


def test_check_mode_delete_writes_nothing(ecs):
    expect_service(ecs, service())
    result = ecs(module.main, {"name": NAME, "cluster": CLUSTER, "state": "absent"}, check_mode=True)
    assert result["changed"] is True


def test_throttling_is_retried(ecs):
    ecs.stubber.add_client_error("describe_services", "ThrottlingException", "Rate exceeded", http_status_code=400)
    expect_service(ecs, service())
    expect_task_definition(ecs)
    result = ecs(module.main, ARGS)
    assert result["changed"] is False


def test_access_denied_is_reported_clearly(ecs):
    ecs.stubber.add_client_error("describe_services", "AccessDeniedException", "not authorized", http_status_code=400)
    result = ecs(module.main, ARGS)
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to describe service onprem-web in cluster prod")


def test_missing_cluster_is_reported_clearly(ecs):
    ecs.stubber.add_client_error("describe_services", "ClusterNotFoundException", "Cluster not found.", http_status_code=400)
    result = ecs(module.main, ARGS)
    assert result["failed"] is True
    assert result["error"]["code"] == "ClusterNotFoundException"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"desired_count": -1}, "desired_count must be 0 or more"),
        ({"placement_constraints": [{"type": "memberOf"}]}, "a memberOf placement constraint needs an expression"),
        ({"placement_constraints": [{"type": "distinctInstance", "expression": "x"}]}, "a distinctInstance placement constraint takes no expression"),
        ({"placement_strategy": [{"type": "spread"}]}, "a spread placement strategy needs a field"),
        ({"deployment_configuration": {"minimum_healthy_percent": 150}}, "minimum_healthy_percent must be between 0 and 100"),
        ({"deployment_configuration": {"maximum_percent": 50}}, "maximum_percent must be at least 100"),
        ({"placement_strategy": [{"type": "nearest"}]}, "value of type must be one of: random, spread, binpack"),
    ],
)
def test_bad_input_fails_before_any_call(ecs, args, message):
    result = ecs(module.main, dict(ARGS, **args))
    assert result["failed"] is True
    assert message in result["msg"]
