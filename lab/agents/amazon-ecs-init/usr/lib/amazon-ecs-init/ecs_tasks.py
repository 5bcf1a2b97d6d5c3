"""The LAB STAND-IN agent's task engine: run what ECS places on this container instance with the host's Docker.

The real agent receives its tasks over the ACS websocket; the stand-in polls ECS instead, every
LAB_ECS_POLL_SECONDS (default 2), with the public API and its own identity:
  ListTasks(cluster, containerInstance=<this instance>, desiredStatus=RUNNING) -> the tasks it must run
  DescribeTasks / DescribeTaskDefinition                                     -> what to run
For a new task it pulls each container's image, runs it (`docker run -d`, named and labelled as the real agent
names and labels its containers: com.amazonaws.ecs.task-arn, ...container-name, ...cluster,
...task-definition-family, ...task-definition-version) with the task definition's port mappings, environment,
command, entry point, working directory, user, memory limit / reservation and CPU shares, then reports
SubmitContainerStateChange / SubmitTaskStateChange RUNNING (container id, network bindings). A container that
exits is reported STOPPED with its exit code ("Essential container in task exited"), a task ECS no longer lists
(StopTask, scale-in, draining) is stopped (`docker stop`, 30 s) and reported STOPPED; a failed pull is reported
STOPPED with "CannotPullContainerError: ...". Reported containers are removed at once (the real agent keeps them
for ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION, 3 h by default).
"""

from __future__ import annotations

import datetime
import json
import logging
import subprocess
import threading
from typing import Any

import lab_aws

TARGET = "AmazonEC2ContainerServiceV20141113."
LABEL = "com.amazonaws.ecs."
STOP_TIMEOUT_SECONDS = 30
DOCKER_TIMEOUT_SECONDS = 300


class DockerError(Exception):
    pass


def docker(*args: str, timeout: float = DOCKER_TIMEOUT_SECONDS) -> str:
    try:
        done = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DockerError(f"docker {args[0]}: {error}") from error
    if done.returncode != 0:
        raise DockerError((done.stderr or done.stdout).strip() or f"docker {args[0]} exited {done.returncode}")
    return done.stdout


def run_arguments(task: dict[str, Any], definition: dict[str, Any], container: dict[str, Any], cluster: str, network_mode: str) -> list[str]:
    """`docker run` arguments for one container of a task definition (bridge or host network mode)."""
    family, revision = definition["family"], definition["revision"]
    task_id = task["taskArn"].rsplit("/", 1)[-1]
    args = ["run", "-d", "--restart=no", "--name", f"ecs-{family}-{revision}-{container['name']}-{task_id[:20]}"]
    labels = {
        "task-arn": task["taskArn"],
        "container-name": container["name"],
        "cluster": cluster,
        "task-definition-family": family,
        "task-definition-version": str(revision),
    }
    for key, value in labels.items():
        args += ["--label", f"{LABEL}{key}={value}"]
    if network_mode == "host":
        args += ["--network", "host"]
    elif network_mode == "none":
        args += ["--network", "none"]
    else:
        for mapping in container.get("portMappings") or []:
            port = f"{mapping['containerPort']}/{mapping.get('protocol', 'tcp')}"
            host_port = mapping.get("hostPort") or 0
            args += ["-p", f"{host_port}:{port}" if host_port else port]
    for variable in container.get("environment") or []:
        args += ["-e", f"{variable['name']}={variable.get('value', '')}"]
    if container.get("memory"):
        args += ["--memory", f"{int(container['memory'])}m"]
    if container.get("memoryReservation"):
        args += ["--memory-reservation", f"{int(container['memoryReservation'])}m"]
    if container.get("cpu"):
        args += ["--cpu-shares", str(max(2, int(container["cpu"])))]
    if container.get("workingDirectory"):
        args += ["--workdir", container["workingDirectory"]]
    if container.get("user"):
        args += ["--user", container["user"]]
    entry_point = container.get("entryPoint") or []
    if entry_point:
        args += ["--entrypoint", entry_point[0]]
    args.append(container["image"])
    return args + list(entry_point[1:]) + list(container.get("command") or [])


def network_bindings(inspected: dict[str, Any]) -> list[dict[str, Any]]:
    bindings = []
    for port, hosts in sorted(((inspected.get("NetworkSettings") or {}).get("Ports") or {}).items()):
        container_port, _, protocol = port.partition("/")
        bindings.extend(
            {"bindIP": host.get("HostIp") or "0.0.0.0", "containerPort": int(container_port), "hostPort": int(host["HostPort"]), "protocol": protocol or "tcp"}
            for host in hosts or []
        )
    return bindings


def _now() -> float:
    return datetime.datetime.now(datetime.timezone.utc).timestamp()


class TaskEngine:
    def __init__(self, *, config: dict[str, str], cluster: str, instance_arn: str, endpoint: str, region: str, log: logging.Logger) -> None:
        self.cluster = cluster
        self.instance_arn = instance_arn
        self.endpoint = endpoint
        self.region = region
        self.log = log
        self.poll_seconds = float(config.get("LAB_ECS_POLL_SECONDS") or 2)
        self.definitions: dict[str, dict[str, Any]] = {}
        # task ARN -> {"desired": ..., "known": ..., "family": ..., "version": ..., "containers": {name: docker id}}
        self.tasks: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def call(self, operation: str, payload: dict[str, Any]) -> dict[str, Any]:
        return lab_aws.json_call(self.endpoint, TARGET + operation, payload, service="ecs", region=self.region, credentials=lab_aws.Credentials.from_env())

    # what runs here -------------------------------------------------------------------------------------------

    def local_containers(self) -> dict[str, list[dict[str, Any]]]:
        """This cluster's task containers on the host (running or not), inspected, by task ARN."""
        ids = docker("ps", "-aq", "--filter", f"label={LABEL}cluster={self.cluster}", timeout=30).split()
        found: dict[str, list[dict[str, Any]]] = {}
        if ids:
            for inspected in json.loads(docker("inspect", *ids, timeout=30)):
                arn = (inspected.get("Config") or {}).get("Labels", {}).get(f"{LABEL}task-arn")
                if arn:
                    found.setdefault(arn, []).append(inspected)
        return found

    def poll_once(self) -> None:
        wanted = self.call("ListTasks", {"cluster": self.cluster, "containerInstance": self.instance_arn, "desiredStatus": "RUNNING"}).get("taskArns", [])
        local = self.local_containers()
        for arn, containers in local.items():
            if arn not in wanted:
                self.stop(arn, containers, reason="Task stopped by ECS")
            elif any(not c["State"]["Running"] for c in containers):
                self.stop(arn, containers, reason="Essential container in task exited")
        new = [arn for arn in wanted if arn not in local]
        if new:
            for task in self.call("DescribeTasks", {"cluster": self.cluster, "tasks": new}).get("tasks", []):
                if task.get("desiredStatus") == "RUNNING" and task.get("lastStatus") != "STOPPED":
                    self.start(task)

    def definition(self, arn: str) -> dict[str, Any]:
        if arn not in self.definitions:
            self.definitions[arn] = self.call("DescribeTaskDefinition", {"taskDefinition": arn})["taskDefinition"]
        return self.definitions[arn]

    # starting and stopping ------------------------------------------------------------------------------------

    def start(self, task: dict[str, Any]) -> None:
        arn = task["taskArn"]
        definition = self.definition(task["taskDefinitionArn"])
        network_mode = definition.get("networkMode") or "bridge"
        pull_started = _now()
        started: list[dict[str, Any]] = []
        try:
            for container in definition["containerDefinitions"]:
                try:
                    docker("pull", "-q", container["image"])
                except DockerError as error:
                    raise DockerError(f"CannotPullContainerError: {error}") from error
            pull_stopped = _now()
            for container in definition["containerDefinitions"]:
                container_id = docker("run", *run_arguments(task, definition, container, self.cluster, network_mode)[1:]).strip()
                started.append(json.loads(docker("inspect", container_id, timeout=30))[0])
        except DockerError as error:
            self.log.error("task %s could not start: %s", arn, error)
            for inspected in started:
                self._remove(inspected["Id"])
            self.report(arn, "STOPPED", reason=str(error)[:255], containers=[])
            return
        changes = [
            {
                "containerName": inspected["Config"]["Labels"][f"{LABEL}container-name"],
                "runtimeId": inspected["Id"],
                "status": "RUNNING",
                "networkBindings": network_bindings(inspected),
            }
            for inspected in started
        ]
        self.report(arn, "RUNNING", containers=changes, pullStartedAt=pull_started, pullStoppedAt=pull_stopped)
        self.log.info("task %s RUNNING (%s)", arn, ", ".join(c["runtimeId"][:12] for c in changes))
        with self.lock:
            self.tasks[arn] = {
                "Arn": arn,
                "DesiredStatus": "RUNNING",
                "KnownStatus": "RUNNING",
                "Family": definition["family"],
                "Version": str(definition["revision"]),
                "Containers": [{"DockerId": i["Id"], "DockerName": i["Name"].lstrip("/"), "Name": c["containerName"]} for i, c in zip(started, changes)],
            }

    def stop(self, arn: str, containers: list[dict[str, Any]], *, reason: str) -> None:
        changes = []
        for found in containers:
            inspected = found
            if found["State"]["Running"]:
                try:
                    docker("stop", "-t", str(STOP_TIMEOUT_SECONDS), found["Id"], timeout=STOP_TIMEOUT_SECONDS + 30)
                    inspected = json.loads(docker("inspect", found["Id"], timeout=30))[0]
                except DockerError as error:
                    self.log.error("stopping %s of task %s: %s", found["Id"][:12], arn, error)
            changes.append(
                {
                    "containerName": inspected["Config"]["Labels"].get(f"{LABEL}container-name", ""),
                    "runtimeId": inspected["Id"],
                    "status": "STOPPED",
                    "exitCode": int(inspected["State"].get("ExitCode", 0)),
                }
            )
        try:
            self.report(arn, "STOPPED", reason=reason, containers=changes, executionStoppedAt=_now())
        except (lab_aws.AwsError, OSError) as error:
            if getattr(error, "code", "") != "InvalidParameterException":
                raise  # keep the containers: the next poll reports again
            self.log.warning("ECS does not know task %s any more (%s): removing its containers", arn, error)
        for change in changes:
            self._remove(change["runtimeId"])
        with self.lock:
            self.tasks.pop(arn, None)
        self.log.info("task %s STOPPED (%s; exit codes %s)", arn, reason, [c["exitCode"] for c in changes])

    def report(self, arn: str, status: str, *, containers: list[dict[str, Any]], reason: str | None = None, **times: float) -> None:
        for change in containers:
            self.call("SubmitContainerStateChange", {"cluster": self.cluster, "task": arn, **change})
        payload: dict[str, Any] = {"cluster": self.cluster, "task": arn, "status": status, "containers": containers, **times}
        if reason:
            payload["reason"] = reason
        self.call("SubmitTaskStateChange", payload)

    def _remove(self, container_id: str) -> None:
        try:
            docker("rm", "-f", container_id, timeout=60)
        except DockerError as error:
            self.log.error("removing container %s: %s", container_id[:12], error)

    # the loop -------------------------------------------------------------------------------------------------

    def introspection(self) -> dict[str, Any]:
        with self.lock:
            return {"Tasks": list(self.tasks.values())}

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.poll_once()
            except (lab_aws.AwsError, OSError, DockerError, ValueError, KeyError) as error:
                self.log.error("task poll failed: %s", error)
            stop.wait(self.poll_seconds)
