"""The on-prem half of a disaster recovery failover and failback, on the converged shared lab (`make lab`).

On the lab as the session's converge left it (the lab inventory's strategy is none), one module fixture, holding the
lab lock: playbooks/dr/standby.yml with pilot_light (the DR region's cluster, services at zero, and the on-prem hosts'
activation there); then, with us-east-1 down (the emulator's outage switch), playbooks/dr/failover.yml; then, with it
back, playbooks/dr/failback.yml twice.

Asserted on the hosts themselves (their SSM registration file, their ECS agent's introspection API, their inner
Docker) and with describe calls in both regions:
- after the failover, each host is a managed instance of us-west-2, Online; its agent is a container instance of the
  DR cluster; the EXTERNAL service onprem-web runs there at the production size, on the hosts, answering HTTP; no
  container of the primary cluster is left on the hosts (it would hold the host port);
- after the failback, each host is registered with us-east-1 again and its agent is in the primary cluster, where
  onprem-web runs on it; the DR region keeps neither managed nor container instances of the hosts; the primary keeps
  one managed instance per host (the one from before the failover deregistered) and only the hosts' new container
  instances; a second failback changes nothing on any host.
The AWS side of the same playbooks (promotion, sizes, no call to the region that is down, no-op reruns) is
tests/integration/test_dr_standby.py's.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import time
import urllib.request
from typing import Any

import boto3
import pytest
from support.lab_site import EMULATOR, changes, failures, playbook, totals

pytestmark = pytest.mark.lab

LAB_LOCK = "/tmp/hybridlab-molecule.lock"  # tests/lab/conftest.py's
DOCKER = {**os.environ, "DOCKER_HOST": os.environ.get("LAB_DOCKER_HOST", "unix:///run/hybridlab-docker.sock")}
PRIMARY, DR = "us-east-1", "us-west-2"
CLUSTERS = {PRIMARY: "hybridcloud-lab", DR: "hybridcloud-lab-dr"}
SERVICE = "onprem-web"
HOSTS = {"onprem-app-1": "10.254.0.211", "onprem-app-2": "10.254.0.212"}
HOST_PORT = 8080
CLUSTER_LABEL = "com.amazonaws.ecs.cluster"
STRATEGY = ("-e", "hybridcloud_dr_strategy=pilot_light")
STEADY_SECONDS = 120


def aws(service: str, region: str) -> Any:
    return boto3.client(service, endpoint_url=EMULATOR, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")


def lab_call(method: str, path: str, payload: Any = None) -> Any:
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(EMULATOR + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def in_host(host: str, script: str, timeout: float = 60) -> str:
    result = subprocess.run(["docker", "exec", host, "sh", "-c", script], env=DOCKER, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, f"{host}: {script}: {result.stderr[-2000:]}"
    return result.stdout


def host_state(host: str) -> dict[str, Any]:
    """What the host itself says: its SSM registration, its ECS agent's identity, the clusters of its task containers."""
    metadata = in_host(host, "curl -fs http://localhost:51678/v1/metadata || true")
    labels = in_host(host, f"docker ps --all --filter label={CLUSTER_LABEL} --format '{{{{.Label \"{CLUSTER_LABEL}\"}}}}'")
    return {
        "registration": json.loads(in_host(host, "cat /var/lib/amazon/ssm/registration")),
        "agent": json.loads(metadata) if metadata.strip() else {},
        "container_clusters": sorted(labels.split()),
    }


def managed_instances(region: str) -> dict[str, list[dict[str, Any]]]:
    """The hosts' managed instances in REGION (by their Name tag, as ssm_agent tags them)."""
    ssm = aws("ssm", region)
    found: dict[str, list[dict[str, Any]]] = {}
    for host in HOSTS:
        filters = [{"Key": "tag:Name", "Values": [host]}]
        found[host] = ssm.describe_instance_information(Filters=filters)["InstanceInformationList"]
    return found


def container_instances(region: str) -> list[dict[str, Any]]:
    ecs = aws("ecs", region)
    arns = ecs.list_container_instances(cluster=CLUSTERS[region], status="ACTIVE")["containerInstanceArns"]
    return ecs.describe_container_instances(cluster=CLUSTERS[region], containerInstances=arns)["containerInstances"] if arns else []


def steady_service(region: str) -> dict[str, Any]:
    """onprem-web in REGION once its running tasks are its desired count (or the last look when they never are)."""
    ecs, cluster = aws("ecs", region), CLUSTERS[region]
    deadline = time.monotonic() + STEADY_SECONDS
    while True:
        (service,) = ecs.describe_services(cluster=cluster, services=[SERVICE])["services"]
        arns = ecs.list_tasks(cluster=cluster, serviceName=SERVICE)["taskArns"]
        tasks = ecs.describe_tasks(cluster=cluster, tasks=arns)["tasks"] if arns else []
        running = [t for t in tasks if t["lastStatus"] == "RUNNING"]
        if (service["desiredCount"] and len(running) == service["desiredCount"] == service["runningCount"]) or time.monotonic() > deadline:
            return {"service": service, "tasks": running}
        time.sleep(1)


def answers(host: str) -> bool:
    """The task's container on HOST answers HTTP on its host port, asked from the other host."""
    other = next(h for h in HOSTS if h != host)
    return bool(in_host(other, f"curl -fs -m 5 http://{HOSTS[host]}:{HOST_PORT}/ || true").strip())


def snapshot(region: str) -> dict[str, Any]:
    service = steady_service(region)
    return {
        "hosts": {host: host_state(host) for host in HOSTS},
        "service": service,
        "container_instances": container_instances(region),
        "answers": {host: answers(host) for host in HOSTS},
    }


@pytest.fixture(scope="module")
def dr_moves(converge_document: dict[str, Any]) -> dict[str, Any]:
    """Standby, failover with the primary down, failback twice; the hosts and both regions read after each."""
    if converge_document["rc"] != 0 or totals(converge_document, "failures") + totals(converge_document, "unreachable"):
        pytest.fail(f"the lab's converge failed: {failures(converge_document)[:5]}")
    result: dict[str, Any] = {"before": {host: host_state(host) for host in HOSTS}}
    with open(LAB_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            result["standby"] = playbook(EMULATOR, "playbooks/dr/standby.yml", *STRATEGY)
            if result["standby"]["rc"] != 0:
                return result
            lab_call("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": True})
            try:
                started = time.monotonic()
                result["failover"] = playbook(EMULATOR, "playbooks/dr/failover.yml", *STRATEGY, "-e", f"hybridcloud_dr_failover_confirm={DR}")
                result["failover_seconds"] = time.monotonic() - started
                if result["failover"]["rc"] == 0:
                    result["after_failover"] = snapshot(DR)
                    result["after_failover"]["managed_instances"] = managed_instances(DR)
            finally:
                lab_call("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": False})
            if result["failover"]["rc"] != 0:
                return result
            back = (*STRATEGY, "-e", f"hybridcloud_dr_failback_confirm={PRIMARY}", "-e", "hybridcloud_dr_failback_lag_delay=1")
            started = time.monotonic()
            result["failback"] = playbook(EMULATOR, "playbooks/dr/failback.yml", *back)
            result["failback_seconds"] = time.monotonic() - started
            if result["failback"]["rc"] == 0:
                result["after_failback"] = snapshot(PRIMARY)
                result["after_failback"].update(
                    managed_instances=managed_instances(PRIMARY), dr_managed_instances=managed_instances(DR), dr_container_instances=container_instances(DR)
                )
                result["second_failback"] = playbook(EMULATOR, "playbooks/dr/failback.yml", *back)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    print(f"failover with the on-prem hosts: {result.get('failover_seconds', 0):.0f} s; failback {result.get('failback_seconds', 0):.0f} s")
    return result


def test_failover_registers_the_hosts_in_the_dr_region_and_runs_their_service_there(dr_moves: dict[str, Any]) -> None:
    assert dr_moves["standby"]["rc"] == 0, failures(dr_moves["standby"])[:5]
    assert dr_moves["failover"]["rc"] == 0, failures(dr_moves["failover"])[:5]
    before, after = dr_moves["before"], dr_moves["after_failover"]
    for host, state in after["hosts"].items():
        assert state["registration"]["Region"] == DR
        # A new managed instance of the DR region, Online there (its agent's heartbeats arrive).
        assert state["registration"]["ManagedInstanceID"] != before[host]["registration"]["ManagedInstanceID"]
        (instance,) = after["managed_instances"][host]
        assert (instance["InstanceId"], instance["PingStatus"]) == (state["registration"]["ManagedInstanceID"], "Online")
        assert state["agent"]["Cluster"] == CLUSTERS[DR] and f":ecs:{DR}:" in state["agent"]["ContainerInstanceArn"]
        # Only the DR cluster's task containers: the primary's were removed (they held the host port).
        assert state["container_clusters"] and set(state["container_clusters"]) == {CLUSTERS[DR]}
    instances = {i["containerInstanceArn"]: i["ec2InstanceId"] for i in after["container_instances"]}
    assert sorted(instances.values()) == sorted(s["registration"]["ManagedInstanceID"] for s in after["hosts"].values())
    service, tasks = after["service"]["service"], after["service"]["tasks"]
    assert service["desiredCount"] == 2 and service["runningCount"] == 2  # hybridcloud_dr_sizes' production tasks
    assert {t["containerInstanceArn"] for t in tasks} == set(instances)
    assert all(after["answers"].values()), after["answers"]


def test_failback_registers_the_hosts_in_the_primary_region_and_leaves_nothing_behind(dr_moves: dict[str, Any]) -> None:
    assert dr_moves.get("failback", {}).get("rc") == 0, failures(dr_moves.get("failback", {}))[:5]
    after = dr_moves["after_failback"]
    for host, state in after["hosts"].items():
        assert state["registration"]["Region"] == PRIMARY
        assert state["agent"]["Cluster"] == CLUSTERS[PRIMARY] and f":ecs:{PRIMARY}:" in state["agent"]["ContainerInstanceArn"]
        assert state["container_clusters"] and set(state["container_clusters"]) == {CLUSTERS[PRIMARY]}
        # One managed instance per host in the primary: the one from before the failover was deregistered.
        (instance,) = after["managed_instances"][host]
        assert instance["InstanceId"] == state["registration"]["ManagedInstanceID"]
        assert after["dr_managed_instances"][host] == []
    # The primary cluster holds only the hosts' new container instances; the DR cluster none.
    assert sorted(i["ec2InstanceId"] for i in after["container_instances"]) == sorted(s["registration"]["ManagedInstanceID"] for s in after["hosts"].values())
    assert after["dr_container_instances"] == []
    service, tasks = after["service"]["service"], after["service"]["tasks"]
    assert service["runningCount"] == service["desiredCount"] > 0
    assert {t["containerInstanceArn"] for t in tasks} <= {i["containerInstanceArn"] for i in after["container_instances"]}
    assert all(after["answers"].values()), after["answers"]


def test_a_second_failback_changes_nothing(dr_moves: dict[str, Any]) -> None:
    second = dr_moves.get("second_failback", {})
    assert second.get("rc") == 0, failures(second)[:5]
    assert changes(second) == []
