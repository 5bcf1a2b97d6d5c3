"""ecs_task_definition_info: one DescribeTaskDefinition per family (no batch read exists), ACTIVE revisions only, and
the comparable view the role's decision (ecs_services_task_definition_changes) uses."""

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.ecs_services_plan import FilterModule as PlanFilters
from ansible_collections.hybridcloud.aws.plugins.filter.ecs_services_task_definition_changes import FilterModule as ChangeFilters
from ansible_collections.hybridcloud.aws.plugins.modules import ecs_task_definition_info as module

plan_of = PlanFilters().filters()["ecs_services_plan"]
changes_of = ChangeFilters().filters()["ecs_services_task_definition_changes"]
PREFIX = "arn:aws:ecs:us-east-1:123456789012:task-definition/"
EXECUTION = "arn:aws:iam::123456789012:role/hybridcloud-task-execution"
TASK_ROLE = "arn:aws:iam::123456789012:role/hybridcloud-web-task"
SERVICES = [
    {"name": "web", "image": "nginx:1.27", "container_port": 8080, "environment": {"B": "2", "A": "1"}},
    {"name": "agent", "placement": "external", "image": "nginx:1.27"},
]


def registered(family, revision, compatibility, container, *, task_role=None, status="ACTIVE"):
    """A revision as ECS describes it after the role registered it: ECS's defaults added."""
    answered = dict(container, mountPoints=[], volumesFrom=[], systemControls=[])
    if "portMappings" in answered:
        answered["portMappings"] = [dict(mapping) for mapping in answered["portMappings"]]
    definition = {
        "taskDefinitionArn": f"{PREFIX}{family}:{revision}",
        "family": family,
        "revision": revision,
        "status": status,
        "networkMode": "bridge",
        "containerDefinitions": [answered],
        "volumes": [],
        "placementConstraints": [],
        "requiresCompatibilities": [compatibility],
        "compatibilities": ["EC2", compatibility] if compatibility == "EXTERNAL" else ["EC2"],
        "executionRoleArn": EXECUTION,
    }
    if task_role:
        definition["taskRoleArn"] = task_role
    return definition


@pytest.fixture
def ecs(module_run):
    return module_run("ecs")


def test_reads_each_family_and_the_role_writes_only_what_differs(ecs):
    web, agent = plan_of(SERVICES, {"cluster_name": "hybridcloud"})
    ecs.stubber.add_response(
        "describe_task_definition", {"taskDefinition": registered("web", 3, "EC2", web["container"], task_role=TASK_ROLE)}, {"taskDefinition": "web"}
    )
    ecs.stubber.add_response(
        "describe_task_definition", {"taskDefinition": registered("agent", 1, "EXTERNAL", agent["container"])}, {"taskDefinition": "agent"}
    )
    result = ecs(module.main, {"families": ["web", "agent", "web"]})
    assert result["changed"] is False
    assert [(found["family"], found["task_definition_arn"]) for found in result["task_definitions"]] == [
        ("web", PREFIX + "web:3"),
        ("agent", PREFIX + "agent:1"),
    ]
    assert "mountPoints" not in result["task_definitions"][0]["comparable"]["containerDefinitions"][0]

    converged = changes_of([web, agent], result, EXECUTION, {"web": TASK_ROLE})
    assert converged == {"register": [], "arns": {"web": PREFIX + "web:3", "agent": PREFIX + "agent:1"}}
    # Another image, another task role, no task role at all: a new revision each.
    changed_image = dict(web, container=dict(web["container"], image="nginx:1.28"))
    assert changes_of([changed_image, agent], result, EXECUTION, {"web": TASK_ROLE})["register"] == ["web"]
    assert changes_of([web, agent], result, EXECUTION, {"web": TASK_ROLE + "2"})["register"] == ["web"]
    assert changes_of([web, agent], result, EXECUTION, {"web": TASK_ROLE, "agent": TASK_ROLE})["register"] == ["agent"]
    assert changes_of([web, agent], {}, EXECUTION, {"web": TASK_ROLE})["register"] == ["web", "agent"]


def test_a_family_without_an_active_revision_is_left_out(ecs):
    ecs.stubber.add_client_error(
        "describe_task_definition", "ClientException", "Unable to describe task definition.", expected_params={"taskDefinition": "gone"}
    )
    ecs.stubber.add_response(
        "describe_task_definition", {"taskDefinition": registered("old", 2, "EC2", {"name": "old", "image": "x"}, status="INACTIVE")}, {"taskDefinition": "old"}
    )
    assert ecs(module.main, {"families": ["gone", "old"]})["task_definitions"] == []
