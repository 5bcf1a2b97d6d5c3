"""hybridcloud.aws.ecs_external_task_definition against the emulator: check mode, first revision, no new revision
for the same definition, a new one for a real change, deregistration; each verified with ECS API reads."""

FAMILY = "lab-onprem-web"
CONTAINER = {
    "name": "web",
    "image": "nginx:1.25",
    "memory": 128,
    "portMappings": [{"containerPort": 80, "hostPort": 8080}],
    "environment": [{"name": "SITE", "value": "dc1"}, {"name": "MODE", "value": "lab"}],
    "mountPoints": [{"sourceVolume": "data", "containerPath": "/usr/share/nginx/html", "readOnly": True}],
}
OPTIONS = {"network_mode": "bridge", "memory": "256", "containers": [CONTAINER], "volumes": [{"name": "data", "host": {"sourcePath": "/srv/web"}}]}


def definition_task(name="definition", **options):
    return {"name": name, "hybridcloud.aws.ecs_external_task_definition": {"family": FAMILY, **options}}


def active_arns(aws):
    return aws("ecs").list_task_definitions(familyPrefix=FAMILY, status="ACTIVE")["taskDefinitionArns"]


def test_check_mode_registers_nothing(aws, playbook, mutating_calls):
    result = playbook([definition_task(**OPTIONS)], check=True)
    assert result.failed == 0, result.output
    assert result.task("definition")["changed"] is True
    assert active_arns(aws) == []
    assert mutating_calls() == []


def test_registers_once_then_only_on_a_real_change(aws, playbook, mutating_calls):
    first = playbook([definition_task(**OPTIONS)])
    assert first.failed == 0, first.output
    assert first.changed == 1
    stored = aws("ecs").describe_task_definition(taskDefinition=FAMILY)["taskDefinition"]
    assert stored["revision"] == 1
    assert stored["requiresCompatibilities"] == ["EXTERNAL"]
    assert "EXTERNAL" in stored["compatibilities"]
    assert (stored["networkMode"], stored["memory"]) == ("bridge", "256")
    assert stored["containerDefinitions"][0]["image"] == "nginx:1.25"
    assert stored["containerDefinitions"][0]["portMappings"][0]["hostPort"] == 8080
    assert stored["volumes"][0]["host"] == {"sourcePath": "/srv/web"}

    calls_after_first = len(mutating_calls())
    changed_container = dict(CONTAINER, image="nginx:1.27")
    result = playbook(
        [
            definition_task("same again", **OPTIONS),
            definition_task("environment in another order", **dict(OPTIONS, containers=[dict(CONTAINER, environment=CONTAINER["environment"][::-1])])),
            definition_task("new image", **dict(OPTIONS, containers=[changed_container])),
        ],
        diff=True,
    )
    assert result.failed == 0, result.output
    assert (result.task("same again")["changed"], result.task("environment in another order")["changed"]) == (False, False)
    assert result.task("new image")["changed"] is True
    assert [call["operation"] for call in mutating_calls()[calls_after_first:]] == ["RegisterTaskDefinition"]
    latest = aws("ecs").describe_task_definition(taskDefinition=FAMILY)["taskDefinition"]
    assert (latest["revision"], latest["containerDefinitions"][0]["image"]) == (2, "nginx:1.27")
    assert result.task("new image")["result"]["task_definition"]["revision"] == 2


def test_absent_deregisters_every_active_revision(aws, playbook):
    ecs = aws("ecs")
    for image in ("nginx:1.25", "nginx:1.27"):
        ecs.register_task_definition(family=FAMILY, requiresCompatibilities=["EXTERNAL"], containerDefinitions=[dict(CONTAINER, image=image)])
    ecs.register_task_definition(family=f"{FAMILY}-admin", requiresCompatibilities=["EXTERNAL"], containerDefinitions=[CONTAINER])

    result = playbook([definition_task("one", state="absent", revision=1), definition_task("all", state="absent"), definition_task("again", state="absent")])
    assert result.failed == 0, result.output
    assert result.task("one")["result"]["deregistered"] == [f"arn:aws:ecs:us-east-1:123456789012:task-definition/{FAMILY}:1"]
    assert result.task("all")["result"]["deregistered"] == [f"arn:aws:ecs:us-east-1:123456789012:task-definition/{FAMILY}:2"]
    assert result.task("again")["changed"] is False
    assert active_arns(aws) == []
    assert aws("ecs").describe_task_definition(taskDefinition=f"{FAMILY}-admin")["taskDefinition"]["status"] == "ACTIVE"
