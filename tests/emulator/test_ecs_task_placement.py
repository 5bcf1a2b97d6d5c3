"""The ECS service scheduler for EXTERNAL services: placement on matching external instances, the agent's state
reports, runningCount, replacement of stopped tasks, scale-in and StopTask. Each cycle is run on demand through
POST /_lab/ecs/scheduler/run (the background cycle is slowed down so that it never interferes)."""

from __future__ import annotations

import json
import time

import pytest
from support.managed_instances import new_managed_instance

CLUSTER = "lab-hybrid"
RESOURCES = [
    {"name": "CPU", "type": "INTEGER", "integerValue": 2048},
    {"name": "MEMORY", "type": "INTEGER", "integerValue": 1024},
    {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ["22", "51678"]},
]


@pytest.fixture
def ecs(client, lab_api):
    assert lab_api("POST", "/_lab/ecs/scheduler", {"interval_seconds": 3600})[0] == 200
    ecs = client("ecs")
    ecs.create_cluster(clusterName=CLUSTER)
    ecs.register_task_definition(
        family="onprem-web",
        requiresCompatibilities=["EXTERNAL"],
        networkMode="bridge",
        containerDefinitions=[
            {"name": "onprem-web", "image": "registry.lab:5000/web:1", "memory": 256, "cpu": 256, "portMappings": [{"containerPort": 8080, "hostPort": 8080}]}
        ],
    )
    return ecs


def register(ecs, client, emulator_endpoint, location):
    instance_id = new_managed_instance(client, emulator_endpoint)
    return ecs.register_container_instance(
        cluster=CLUSTER,
        instanceIdentityDocument=json.dumps({"instanceId": instance_id}),
        attributes=[{"name": "location", "value": location}],
        totalResources=RESOURCES,
    )["containerInstance"]["containerInstanceArn"]


@pytest.fixture
def instances(ecs, client, emulator_endpoint):
    return [register(ecs, client, emulator_endpoint, location) for location in ("onprem", "onprem", "cloud")]


def create_service(ecs, desired=2):
    ecs.create_service(
        cluster=CLUSTER,
        serviceName="onprem-web",
        taskDefinition="onprem-web",
        desiredCount=desired,
        launchType="EXTERNAL",
        placementConstraints=[{"type": "memberOf", "expression": "attribute:location == onprem"}],
        placementStrategy=[{"type": "spread", "field": "instanceId"}],
    )


def cycle(lab_api):
    status, done = lab_api("POST", "/_lab/ecs/scheduler/run")
    assert status == 200
    return done


def tasks(ecs, **filters):
    arns = ecs.list_tasks(cluster=CLUSTER, **filters)["taskArns"]
    return ecs.describe_tasks(cluster=CLUSTER, tasks=arns)["tasks"] if arns else []


def report(ecs, task, status, exit_code=None):
    container = {"containerName": "onprem-web", "status": status, "runtimeId": "c0ffee"}
    if status == "RUNNING":
        container["networkBindings"] = [{"bindIP": "0.0.0.0", "containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}]
    if exit_code is not None:
        container["exitCode"] = exit_code
    reason = None if status == "RUNNING" else "Essential container in task exited"
    answer = ecs.submit_task_state_change(
        cluster=CLUSTER, task=task["taskArn"], status=status, containers=[container], **({"reason": reason} if reason else {})
    )
    assert answer["acknowledgment"] == "ACK"


def service(ecs):
    return ecs.describe_services(cluster=CLUSTER, services=["onprem-web"])["services"][0]


def test_tasks_are_placed_on_matching_instances_and_counted_when_the_agent_reports_them(ecs, instances, lab_api):
    create_service(ecs)
    assert len(cycle(lab_api)["started"]) == 2
    placed = tasks(ecs, serviceName="onprem-web")
    # Spread over the two onprem instances, never on the cloud one; PENDING until the agent reports.
    assert sorted(t["containerInstanceArn"] for t in placed) == sorted(instances[:2])
    assert {(t["lastStatus"], t["desiredStatus"], t["launchType"], t["group"]) for t in placed} == {("PENDING", "RUNNING", "EXTERNAL", "service:onprem-web")}
    assert (service(ecs)["runningCount"], service(ecs)["pendingCount"]) == (0, 2)
    # The agent of each instance finds its own task by its container instance.
    assert [t["taskArn"] for t in tasks(ecs, containerInstance=instances[0])] == [t["taskArn"] for t in placed if t["containerInstanceArn"] == instances[0]]
    assert tasks(ecs, containerInstance=instances[2]) == []

    for task in placed:
        report(ecs, task, "RUNNING")
    described = service(ecs)
    assert (described["runningCount"], described["pendingCount"]) == (2, 0)
    assert described["deployments"][0]["rolloutState"] == "COMPLETED"
    [running] = tasks(ecs, containerInstance=instances[0])
    assert running["lastStatus"] == "RUNNING"
    assert running["containers"][0]["networkBindings"][0]["hostPort"] == 8080
    [instance] = ecs.describe_container_instances(cluster=CLUSTER, containerInstances=[instances[0]])["containerInstances"]
    assert instance["runningTasksCount"] == 1
    remaining = {r["name"]: r for r in instance["remainingResources"]}
    assert remaining["MEMORY"]["integerValue"] == 1024 - 256
    assert "8080" in remaining["PORTS"]["stringSetValue"]
    # Steady: another cycle starts nothing.
    assert cycle(lab_api) == {"started": [], "stopped": []}


def test_a_task_whose_container_died_is_replaced_on_the_next_cycle(ecs, instances, lab_api):
    create_service(ecs)
    cycle(lab_api)
    placed = tasks(ecs)
    for task in placed:
        report(ecs, task, "RUNNING")
    dead = placed[0]
    report(ecs, dead, "STOPPED", exit_code=137)
    [stopped] = ecs.describe_tasks(cluster=CLUSTER, tasks=[dead["taskArn"]])["tasks"]
    assert (stopped["lastStatus"], stopped["desiredStatus"], stopped["stopCode"]) == ("STOPPED", "STOPPED", "EssentialContainerExited")
    assert stopped["containers"][0]["exitCode"] == 137
    assert service(ecs)["runningCount"] == 1

    [replacement] = cycle(lab_api)["started"]
    [new] = ecs.describe_tasks(cluster=CLUSTER, tasks=[replacement])["tasks"]
    # The port the dead task held is free again, so the replacement lands on the same instance.
    assert new["containerInstanceArn"] == dead["containerInstanceArn"]
    assert dead["taskArn"] not in [t["taskArn"] for t in tasks(ecs)]
    assert [t["taskArn"] for t in tasks(ecs, desiredStatus="STOPPED")] == [dead["taskArn"]]
    report(ecs, new, "RUNNING")
    assert service(ecs)["runningCount"] == 2


def test_no_placement_without_a_matching_instance_with_free_ports(ecs, instances, lab_api):
    create_service(ecs, desired=3)
    done = cycle(lab_api)
    # Two onprem instances, one fixed host port each: the third task cannot be placed anywhere.
    assert len(done["started"]) == 2
    assert "unable to place a task" in service(ecs)["events"][0]["message"]


def test_scale_in_and_stop_task_ask_the_agent_to_stop(ecs, instances, lab_api):
    create_service(ecs)
    cycle(lab_api)
    placed = tasks(ecs)
    for task in placed:
        report(ecs, task, "RUNNING")
    ecs.update_service(cluster=CLUSTER, service="onprem-web", desiredCount=1)
    [stopped_arn] = cycle(lab_api)["stopped"]
    [stopping] = ecs.describe_tasks(cluster=CLUSTER, tasks=[stopped_arn])["tasks"]
    # Still RUNNING until its agent stops the container and reports STOPPED.
    assert (stopping["desiredStatus"], stopping["lastStatus"], stopping["stopCode"]) == ("STOPPED", "RUNNING", "ServiceSchedulerInitiated")
    report(ecs, stopping, "STOPPED", exit_code=0)
    assert service(ecs)["runningCount"] == 1

    [remaining] = tasks(ecs)
    stopped = ecs.stop_task(cluster=CLUSTER, task=remaining["taskArn"], reason="operator")["task"]
    assert (stopped["desiredStatus"], stopped["lastStatus"], stopped["stopCode"]) == ("STOPPED", "RUNNING", "UserInitiated")
    report(ecs, stopped, "STOPPED", exit_code=0)
    assert len(cycle(lab_api)["started"]) == 1


def test_draining_an_instance_moves_its_task(ecs, instances, lab_api):
    create_service(ecs, desired=1)
    cycle(lab_api)
    [task] = tasks(ecs)
    report(ecs, task, "RUNNING")
    ecs.update_container_instances_state(cluster=CLUSTER, containerInstances=[task["containerInstanceArn"]], status="DRAINING")
    done = cycle(lab_api)
    # The same cycle stops the task on the draining instance and starts its replacement on the other onprem one.
    assert done["stopped"] == [task["taskArn"]]
    [moved] = done["started"]
    report(ecs, task, "STOPPED", exit_code=0)
    [new] = ecs.describe_tasks(cluster=CLUSTER, tasks=[moved])["tasks"]
    assert new["containerInstanceArn"] not in (task["containerInstanceArn"], instances[2])


def test_the_background_scheduler_places_tasks_by_itself(ecs, instances, lab_api):
    create_service(ecs, desired=1)
    assert lab_api("POST", "/_lab/ecs/scheduler", {"interval_seconds": 0.2})[0] == 200
    try:
        deadline = time.monotonic() + 10
        while not tasks(ecs) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(tasks(ecs)) == 1
    finally:
        lab_api("POST", "/_lab/ecs/scheduler", {"interval_seconds": 3600})
    assert lab_api("POST", "/_lab/ecs/scheduler", {"interval_seconds": 0})[0] == 400


def test_a_service_without_placement_settings_and_dynamic_host_ports(ecs, instances, lab_api):
    ecs.register_task_definition(
        family="worker",
        requiresCompatibilities=["EXTERNAL"],
        networkMode="bridge",
        containerDefinitions=[{"name": "worker", "image": "registry.lab:5000/web:1", "memory": 256, "portMappings": [{"containerPort": 8080, "hostPort": 0}]}],
    )
    ecs.create_service(cluster=CLUSTER, serviceName="worker", taskDefinition="worker", desiredCount=6, launchType="EXTERNAL")
    # No constraint: any external instance; no fixed port: several tasks per instance, as far as memory allows (4 x 256).
    assert len(cycle(lab_api)["started"]) == 6
    assert len({t["containerInstanceArn"] for t in tasks(ecs, serviceName="worker")}) >= 2
