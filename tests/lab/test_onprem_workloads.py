"""On-prem containers really run: the EXTERNAL service onprem-web of the converged shared lab (`make lab`).

Reads the lab as the session's converge left it (tests/lab/conftest.py: after `make lab` a no-op): ECS says the service runs its desired count, every task
is RUNNING on an on-prem host's external container instance, the host's own Docker (docker exec into the lab host,
then its inner `docker ps`) runs exactly those containers from the lab registry's image, each answers HTTP on its
host port from the other host with the task definition's environment, and a container killed on a host is replaced
by the service scheduler (the agent reports it STOPPED with exit code 137, a new task runs).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from typing import Any

import boto3
import pytest

pytestmark = pytest.mark.lab

ENV = {**os.environ, "DOCKER_HOST": "unix:///run/hybridlab-docker.sock"}
EMULATOR = f"http://127.0.0.1:{os.environ.get('LAB_EMULATOR_PORT', '4566')}"
CLUSTER, SERVICE = "hybridcloud-lab", "onprem-web"
HOSTS = {"onprem-app-1": "10.254.0.211", "onprem-app-2": "10.254.0.212"}
IMAGE = "10.254.0.202:5000/hybridcloud-lab/onprem-web:1.0.0"
HOST_PORT = 8080
TASK_LABEL = "com.amazonaws.ecs.task-arn"
REPLACEMENT_SECONDS = 45


def in_host(host: str, script: str, timeout: float = 60) -> str:
    result = subprocess.run(["docker", "exec", host, "sh", "-c", script], env=ENV, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, f"{host}: {script}: {result.stderr[-2000:]}"
    return result.stdout


def containers(host: str) -> dict[str, dict[str, str]]:
    """The running containers of the host's inner Docker that the ECS agent started, by task ARN."""
    found = {}
    for line in in_host(host, "docker ps --filter label=" + TASK_LABEL + " --format '{{json .}}'").splitlines():
        entry = json.loads(line)
        labels = dict(item.split("=", 1) for item in entry["Labels"].split(",") if "=" in item)
        found[labels[TASK_LABEL]] = {"id": entry["ID"], "image": entry["Image"], "ports": entry["Ports"]}
    return found


@pytest.fixture
def ecs(converged_lab: dict[str, Any]) -> Any:
    """ECS of the shared lab, converged once per session (tests/lab/conftest.py)."""
    client = boto3.client("ecs", endpoint_url=EMULATOR, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    services = client.describe_services(cluster=CLUSTER, services=[SERVICE])["services"]
    assert services and services[0]["status"] == "ACTIVE", "the converge built no onprem-web service"
    return client


def running_tasks(ecs: Any) -> list[dict[str, Any]]:
    arns = ecs.list_tasks(cluster=CLUSTER, serviceName=SERVICE)["taskArns"]
    return ecs.describe_tasks(cluster=CLUSTER, tasks=arns)["tasks"] if arns else []


def host_of_instances(ecs: Any) -> dict[str, str]:
    """Container instance ARN -> lab host name (the agent's metadata on each host names its instance)."""
    return {json.loads(in_host(host, "curl -fs http://localhost:51678/v1/metadata"))["ContainerInstanceArn"]: host for host in HOSTS}


def wait_steady(ecs: Any, timeout: float) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    deadline = time.monotonic() + timeout
    while True:
        [service] = ecs.describe_services(cluster=CLUSTER, services=[SERVICE])["services"]
        tasks = running_tasks(ecs)
        if service["runningCount"] == service["desiredCount"] and len(tasks) == service["desiredCount"] and all(t["lastStatus"] == "RUNNING" for t in tasks):
            return service, tasks
        if time.monotonic() > deadline:
            pytest.fail(f"onprem-web not steady within {timeout} s: runningCount {service['runningCount']}, tasks {[t['lastStatus'] for t in tasks]}")
        time.sleep(0.5)


def answer(from_host: str, to_host: str, path: str) -> str:
    return in_host(from_host, f"curl -fsS --max-time 5 http://{HOSTS[to_host]}:{HOST_PORT}{path}")


def test_the_service_runs_its_desired_count_on_the_onprem_hosts(ecs):
    service, tasks = wait_steady(ecs, timeout=30)
    assert service["launchType"] == "EXTERNAL"
    assert service["desiredCount"] == 2
    hosts = host_of_instances(ecs)
    # One task per host (spread on instanceId, one fixed host port each), every one on an external instance.
    assert sorted(hosts[t["containerInstanceArn"]] for t in tasks) == sorted(HOSTS)
    for task in tasks:
        [container] = task["containers"]
        assert container["lastStatus"] == "RUNNING"
        assert container["networkBindings"][0]["hostPort"] == HOST_PORT
        # What ECS says runs on the host is what the host's Docker runs: the same container, image and port.
        running = containers(hosts[task["containerInstanceArn"]])
        assert list(running) == [task["taskArn"]]
        assert running[task["taskArn"]]["id"] == container["runtimeId"][:12]
        assert running[task["taskArn"]]["image"] == IMAGE
        assert f":{HOST_PORT}->8080/tcp" in running[task["taskArn"]]["ports"]


def test_each_task_answers_http_from_the_other_host(ecs):
    _, tasks = wait_steady(ecs, timeout=30)
    hosts = host_of_instances(ecs)
    for task in tasks:
        host = hosts[task["containerInstanceArn"]]
        other = next(h for h in HOSTS if h != host)
        assert "hybridcloud lab onprem-web" in answer(other, host, "/")
        whoami = dict(line.split("=", 1) for line in answer(other, host, "/cgi-bin/whoami").splitlines())
        # The container answering is the task's (its host name is the container id), with the task definition's env.
        assert task["containers"][0]["runtimeId"].startswith(whoami["host"])
        assert whoami["message"] == "served on premises by ECS Anywhere"


def test_a_killed_container_is_replaced(ecs):
    _, tasks = wait_steady(ecs, timeout=30)
    hosts = host_of_instances(ecs)
    victim = tasks[0]
    host = hosts[victim["containerInstanceArn"]]
    in_host(host, f"docker kill {victim['containers'][0]['runtimeId']}")
    started = time.monotonic()
    deadline = started + REPLACEMENT_SECONDS
    while True:
        [dead] = ecs.describe_tasks(cluster=CLUSTER, tasks=[victim["taskArn"]])["tasks"]
        if dead["lastStatus"] == "STOPPED" or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert (dead["lastStatus"], dead["stopCode"]) == ("STOPPED", "EssentialContainerExited")
    assert dead["containers"][0]["exitCode"] == 137
    _, after = wait_steady(ecs, timeout=max(1.0, deadline - time.monotonic()))
    replaced = time.monotonic() - started
    assert victim["taskArn"] not in [t["taskArn"] for t in after]
    [replacement] = [t for t in after if t["taskArn"] not in {t["taskArn"] for t in tasks}]
    assert hosts[replacement["containerInstanceArn"]] == host
    assert list(containers(host)) == [replacement["taskArn"]]
    other = next(h for h in HOSTS if h != host)
    assert "hybridcloud lab onprem-web" in answer(other, host, "/")
    print(f"replacement running {replaced:.1f} s after the kill")
