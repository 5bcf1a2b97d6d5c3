import datetime

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import ecs_external_task_definition as module

FAMILY = "onprem-web"
ARN_PREFIX = "arn:aws:ecs:us-east-1:123456789012:task-definition/"
CONTAINER = {
    "name": "web",
    "image": "web:1.4.2",
    "memory": 256,
    "portMappings": [{"containerPort": 8080, "hostPort": 8080}],
    "environment": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}],
    "dockerLabels": {"com.example.ownerTeam": "web"},
}
ARGS = {"family": FAMILY, "containers": [CONTAINER], "memory": "512"}
REGISTER = {"family": FAMILY, "requiresCompatibilities": ["EXTERNAL"], "networkMode": "bridge", "containerDefinitions": [CONTAINER], "memory": "512"}


def described(revision=3, status="ACTIVE", **changes):
    """A revision as ECS describes it: with the defaults it fills in and its own bookkeeping."""
    container = dict(
        CONTAINER,
        cpu=0,
        essential=True,
        portMappings=[{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}],
        environment=[{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
        mountPoints=[],
        volumesFrom=[],
        systemControls=[],
    )
    container.update(changes.pop("container", {}))
    definition = {
        "taskDefinitionArn": f"{ARN_PREFIX}{FAMILY}:{revision}",
        "family": FAMILY,
        "revision": revision,
        "status": status,
        "containerDefinitions": [container],
        "networkMode": "bridge",
        "volumes": [],
        "placementConstraints": [],
        "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.docker-remote-api.1.18"}],
        "compatibilities": ["EC2", "EXTERNAL"],
        "requiresCompatibilities": ["EXTERNAL"],
        "memory": "512",
        "registeredAt": datetime.datetime(2026, 5, 4, tzinfo=datetime.timezone.utc),
        "registeredBy": "arn:aws:iam::123456789012:role/deployer",
    }
    definition.update(changes)
    return definition


@pytest.fixture
def ecs(module_run):
    return module_run("ecs")


def expect_latest(ecs, definition, name=FAMILY):
    ecs.stubber.add_response("describe_task_definition", {"taskDefinition": definition}, {"taskDefinition": name})


def expect_no_family(ecs):
    ecs.stubber.add_client_error("describe_task_definition", "ClientException", "Unable to describe task definition.", http_status_code=400)


def test_registers_first_revision_for_external(ecs):
    expect_no_family(ecs)
    ecs.stubber.add_response("register_task_definition", {"taskDefinition": described(revision=1)}, REGISTER)
    result = ecs(module.main, ARGS, diff=True)
    assert result["changed"] is True
    definition = result["task_definition"]
    assert definition["revision"] == 1
    assert definition["requires_compatibilities"] == ["EXTERNAL"]
    assert definition["container_definitions"][0]["docker_labels"] == {"com.example.ownerTeam": "web"}
    assert definition["registered_at"].startswith("2026-05-04")
    assert result["diff"]["before"] == {}


def test_latest_revision_with_ecs_defaults_is_a_no_op(ecs):
    expect_latest(ecs, described())
    result = ecs(module.main, ARGS)
    assert result["changed"] is False
    assert result["task_definition"]["task_definition_arn"].endswith(":3")


def test_changed_image_registers_a_new_revision(ecs):
    expect_latest(ecs, described())
    new_container = dict(CONTAINER, image="web:1.5.0")
    ecs.stubber.add_response(
        "register_task_definition",
        {"taskDefinition": described(revision=4, container={"image": "web:1.5.0"})},
        dict(REGISTER, containerDefinitions=[new_container]),
    )
    result = ecs(module.main, dict(ARGS, containers=[new_container]), diff=True)
    assert result["changed"] is True
    assert result["task_definition"]["revision"] == 4
    assert result["diff"]["before"]["containerDefinitions"][0]["image"] == "web:1.4.2"
    assert result["diff"]["after"]["containerDefinitions"][0]["image"] == "web:1.5.0"


@pytest.mark.parametrize(
    "change",
    [
        {"network_mode": "host"},
        {"memory": "1024"},
        {"task_role_arn": "arn:aws:iam::123456789012:role/web"},
        {"volumes": [{"name": "data", "host": {"sourcePath": "/srv/web"}}]},
        {"containers": [{key: value for key, value in CONTAINER.items() if key != "environment"}]},
    ],
)
def test_any_managed_difference_registers_a_new_revision(ecs, change):
    expect_latest(ecs, described())
    result = ecs(module.main, dict(ARGS, **change), check_mode=True)
    assert result["changed"] is True


def test_latest_revision_that_is_not_external_gets_a_new_revision(ecs):
    expect_latest(ecs, described(requiresCompatibilities=["EC2"], compatibilities=["EC2"]))
    result = ecs(module.main, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["task_definition"]["requires_compatibilities"] == ["EXTERNAL"]


def test_check_mode_registers_nothing(ecs):
    expect_no_family(ecs)
    result = ecs(module.main, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["task_definition"]["family"] == FAMILY


def test_absent_deregisters_every_active_revision_of_exactly_the_family(ecs):
    arns = [f"{ARN_PREFIX}{FAMILY}:1", f"{ARN_PREFIX}{FAMILY}-admin:1", f"{ARN_PREFIX}{FAMILY}:2"]
    ecs.stubber.add_response("list_task_definitions", {"taskDefinitionArns": arns}, {"familyPrefix": FAMILY, "status": "ACTIVE"})
    for arn in (arns[0], arns[2]):
        ecs.stubber.add_response("deregister_task_definition", {"taskDefinition": described()}, {"taskDefinition": arn})
    result = ecs(module.main, {"family": FAMILY, "state": "absent"})
    assert result["changed"] is True
    assert result["deregistered"] == [arns[0], arns[2]]


def test_absent_of_one_revision(ecs):
    expect_latest(ecs, described(revision=2), name=f"{FAMILY}:2")
    ecs.stubber.add_response("deregister_task_definition", {"taskDefinition": described(revision=2)}, {"taskDefinition": f"{ARN_PREFIX}{FAMILY}:2"})
    result = ecs(module.main, {"family": FAMILY, "state": "absent", "revision": 2})
    assert result["deregistered"] == [f"{ARN_PREFIX}{FAMILY}:2"]


def test_absent_of_inactive_revision_is_a_no_op(ecs):
    expect_latest(ecs, described(revision=2, status="INACTIVE"), name=f"{FAMILY}:2")
    result = ecs(module.main, {"family": FAMILY, "state": "absent", "revision": 2})
    assert result["changed"] is False


def test_check_mode_absent_deregisters_nothing(ecs):
    ecs.stubber.add_response("list_task_definitions", {"taskDefinitionArns": [f"{ARN_PREFIX}{FAMILY}:1"]}, {"familyPrefix": FAMILY, "status": "ACTIVE"})
    result = ecs(module.main, {"family": FAMILY, "state": "absent"}, check_mode=True)
    assert result["changed"] is True


def test_throttling_is_retried(ecs):
    ecs.stubber.add_client_error("describe_task_definition", "ThrottlingException", "Rate exceeded", http_status_code=400)
    expect_latest(ecs, described())
    result = ecs(module.main, ARGS)
    assert result["changed"] is False


def test_a_registration_whose_answer_was_lost_is_found_not_repeated(ecs):
    """RegisterTaskDefinition has no client token: after a 500 the revision it made is read back, not made twice."""
    expect_latest(ecs, described())
    new_container = dict(CONTAINER, image="web:1.5.0")
    ecs.stubber.add_client_error("register_task_definition", "ServerException", http_status_code=500)
    expect_latest(ecs, described(revision=4, container={"image": "web:1.5.0"}))
    result = ecs(module.main, dict(ARGS, containers=[new_container]))
    assert (result["changed"], result["task_definition"]["revision"]) == (True, 4)


def test_a_registration_whose_answer_was_lost_without_effect_is_sent_again(ecs):
    expect_latest(ecs, described())
    new_container = dict(CONTAINER, image="web:1.5.0")
    ecs.stubber.add_client_error("register_task_definition", "ServerException", http_status_code=500)
    expect_latest(ecs, described())  # still revision 3: nothing was registered
    ecs.stubber.add_response("register_task_definition", {"taskDefinition": described(revision=4, container={"image": "web:1.5.0"})})
    assert ecs(module.main, dict(ARGS, containers=[new_container]))["task_definition"]["revision"] == 4


def test_access_denied_is_reported_clearly(ecs):
    ecs.stubber.add_client_error("describe_task_definition", "AccessDeniedException", "not authorized", http_status_code=400)
    result = ecs(module.main, ARGS)
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to describe task definition onprem-web")


def test_rejected_registration_is_reported(ecs):
    expect_no_family(ecs)
    ecs.stubber.add_client_error(
        "register_task_definition", "ClientException", "Invalid setting for container 'web'. At least one of 'memory' or 'memoryReservation'"
    )
    result = ecs(module.main, ARGS)
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to register a revision of task definition family onprem-web")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"containers": []}, "state=present needs containers"),
        ({"containers": [{"name": "web"}]}, "containers[0] needs a name and an image"),
        ({"containers": [CONTAINER, CONTAINER]}, "container names must be unique, repeated: web"),
        ({"memory": "0.5GB"}, "memory must be a whole number"),
        ({"revision": 3}, "revision applies only to state=absent"),
        ({"network_mode": "awsvpc"}, "value of network_mode must be one of: bridge, host, none"),
    ],
)
def test_bad_input_fails_before_any_call(ecs, args, message):
    result = ecs(module.main, dict(ARGS, **args))
    assert result["failed"] is True
    assert message in result["msg"]
