"""hybridcloud.aws.ecs_external_service against the emulator: check mode, creation with the EXTERNAL launch type and
its placement and deployment settings, idempotence, deploying a new revision, refusals, deletion; each verified
with ECS API reads."""

import pytest

CLUSTER, NAME, FAMILY = "lab-hybrid", "lab-onprem-web", "lab-onprem-web"
TD_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/lab-onprem-web:{}"
CONTAINER = {"name": "web", "image": "nginx:1.25", "memory": 128, "portMappings": [{"containerPort": 80, "hostPort": 8080}]}
SETTINGS = {
    "task_definition": FAMILY,
    "desired_count": 2,
    "placement_constraints": [{"type": "memberOf", "expression": "attribute:location == onprem"}, {"type": "distinctInstance"}],
    "placement_strategy": [{"type": "spread", "field": "attribute:site"}],
    "deployment_configuration": {"minimum_healthy_percent": 50, "maximum_percent": 100, "deployment_circuit_breaker": {"enable": True, "rollback": True}},
    "tags": {"application": "web"},
}


def service_task(name="service", **options):
    return {"name": name, "hybridcloud.aws.ecs_external_service": {"name": NAME, "cluster": CLUSTER, **options}}


def register_revision(ecs, image="nginx:1.25"):
    return ecs.register_task_definition(family=FAMILY, requiresCompatibilities=["EXTERNAL"], containerDefinitions=[dict(CONTAINER, image=image)])


@pytest.fixture
def ecs(aws):
    ecs = aws("ecs")
    ecs.create_cluster(clusterName=CLUSTER)
    register_revision(ecs)
    return ecs


def stored(ecs):
    services = ecs.describe_services(cluster=CLUSTER, services=[NAME], include=["TAGS"])["services"]
    return services[0] if services and services[0]["status"] != "INACTIVE" else None


def test_check_mode_creates_nothing(ecs, playbook, mutating_calls):
    calls_before = len(mutating_calls())
    result = playbook([service_task(**SETTINGS)], check=True)
    assert result.failed == 0, result.output
    assert result.task("service")["changed"] is True
    assert stored(ecs) is None
    assert len(mutating_calls()) == calls_before


def test_create_then_no_op_then_new_revision(ecs, playbook, mutating_calls):
    first = playbook([service_task(**SETTINGS)])
    assert first.failed == 0, first.output
    assert first.changed == 1
    service = stored(ecs)
    assert (service["launchType"], service["taskDefinition"], service["desiredCount"]) == ("EXTERNAL", TD_ARN.format(1), 2)
    assert service["placementConstraints"] == SETTINGS["placement_constraints"]
    assert service["placementStrategy"] == [{"type": "spread", "field": "attribute:site"}]
    deployment = service["deploymentConfiguration"]
    assert (deployment["minimumHealthyPercent"], deployment["maximumPercent"]) == (50, 100)
    assert deployment["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert {tag["key"]: tag["value"] for tag in service["tags"]} == {"application": "web"}

    calls_after_create = len(mutating_calls())
    second = playbook([service_task(**SETTINGS)])
    assert second.failed == 0, second.output
    assert second.changed == 0
    assert len(mutating_calls()) == calls_after_create

    register_revision(ecs, image="nginx:1.27")
    third = playbook([service_task(**dict(SETTINGS, desired_count=3, tags={"application": "web", "tier": "edge"}))], diff=True)
    assert third.changed == 1, third.output
    service = stored(ecs)
    assert (service["taskDefinition"], service["desiredCount"]) == (TD_ARN.format(2), 3)
    assert {tag["key"]: tag["value"] for tag in service["tags"]} == {"application": "web", "tier": "edge"}
    assert service["deploymentConfiguration"]["minimumHealthyPercent"] == 50
    assert sorted(call["operation"] for call in mutating_calls()[calls_after_create:]) == ["RegisterTaskDefinition", "TagResource", "UpdateService"]


def test_refuses_a_non_external_definition_and_deletes_by_scaling_down_first(ecs, playbook, mutating_calls):
    fargate = ecs.register_task_definition(
        family="lab-fargate", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256", memory="512", containerDefinitions=[CONTAINER]
    )["taskDefinition"]
    assert "EXTERNAL" not in fargate["compatibilities"]
    calls_before = len(mutating_calls())
    result = playbook(
        [
            dict(service_task("fargate definition", task_definition="lab-fargate", desired_count=1), ignore_errors=True),
            service_task("create", task_definition=FAMILY, desired_count=1),
            service_task("delete", state="absent", wait=True, wait_timeout=60),
            service_task("delete again", state="absent"),
        ]
    )
    assert result.task("fargate definition")["failed"] is True
    assert "is not compatible with the EXTERNAL launch type" in result.task("fargate definition")["result"]["msg"]
    assert [result.task(name)["changed"] for name in ("create", "delete", "delete again")] == [True, True, False]
    assert [call["operation"] for call in mutating_calls()[calls_before:]] == ["CreateService", "UpdateService", "DeleteService"]
    assert stored(ecs) is None
