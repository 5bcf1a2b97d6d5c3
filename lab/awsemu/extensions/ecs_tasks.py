"""ECS tasks on external (ECS Anywhere) instances for the lab: placement, the service scheduler and the agent's reports.

moto never starts a service's tasks (runningCount stays 0) and knows no agent. Here, as in ECS:
- A service scheduler places the tasks of every ACTIVE service with launchType EXTERNAL on ACTIVE external container
  instances whose agent is connected, that match the service's and the task definition's placementConstraints
  (memberOf with the cluster query language, distinctInstance) and have the CPU, memory and host ports left; the
  service's placementStrategy orders them (spread on instanceId/host or attribute:<name>, binpack on cpu/memory,
  random). It starts tasks up to desiredCount (within deploymentConfiguration.maximumPercent), stops extra ones,
  replaces tasks that stopped (an essential container exited, StopTask, a DRAINING or deregistered instance) and
  tasks of an older task definition (keeping minimumHealthyPercent running). A task starts PENDING with desiredStatus
  RUNNING, startedBy the deployment id and group service:<name>; it holds its instance's resources until it is
  STOPPED. The scheduler runs one cycle every LAB_ECS_SCHEDULER_SECONDS (default 3) in a thread of its own; every
  ECS call and every cycle hold one lock, so they never interleave. POST /_lab/ecs/scheduler/run runs a cycle at
  once, POST /_lab/ecs/scheduler {"interval_seconds": N} changes the interval (reset puts back the default).
- The agent (the lab's stand-in polls ListTasks with its containerInstance; the real agent gets the same tasks over
  the ACS websocket) reports with SubmitTaskStateChange and SubmitContainerStateChange: RUNNING (runtimeId, network
  bindings), STOPPED (exit code, reason). runningCount / pendingCount of services, deployments, container instances
  and clusters follow the tasks' lastStatus.
- StopTask on an external task sets desiredStatus STOPPED (stopCode UserInitiated); lastStatus follows when the
  agent reports it. ListTasks filters by serviceName and exactly by containerInstance, and lists desiredStatus RUNNING
  unless asked otherwise, as AWS does.
"""

from __future__ import annotations

import copy
import datetime
import math
import os
import random
import threading
from typing import Any

from moto.core.base_backend import backend_lock
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.ecs.exceptions import InvalidParameterException
from moto.ecs.models import Task, ecs_backends
from moto.moto_api._internal import mock_random

from awsemu import control
from awsemu.extensions._cluster_query import QueryError, compile_filter
from awsemu.extensions._moto_classes import use_backend_class, use_response_class
from awsemu.extensions.ecs_anywhere import EXTERNAL, LabECSBackend, LabECSResponse, _facts, _is_external

DEFAULT_INTERVAL = float(os.environ.get("LAB_ECS_SCHEDULER_SECONDS", "3"))
MAX_EVENTS = 100
PENDING_STATES = ("PROVISIONING", "PENDING", "ACTIVATING")
TASK_STATES = ("PROVISIONING", "PENDING", "ACTIVATING", "RUNNING", "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED")
CONTAINER_STATES = ("PENDING", "RUNNING", "STOPPED")
LOCK = threading.RLock()


class LabContainer:
    """A container of a task, in the botocore Container shape."""

    def __init__(self, task: ExternalTask, definition: dict[str, Any]) -> None:
        self.container_arn = f"arn:aws:ecs:{task.region_name}:{task._account_id}:container/{task.cluster_name}/{task.id}/{mock_random.uuid4()}"
        self.task_arn = task.task_arn
        self.name = definition.get("name")
        self.image = definition.get("image")
        self.last_status = "PENDING"
        self.runtime_id: str | None = None
        self.exit_code: int | None = None
        self.reason: str | None = None
        self.network_bindings: list[dict[str, Any]] = []
        self.network_interfaces: list[dict[str, Any]] = []
        self.health_status = "UNKNOWN"
        self.cpu = str(definition.get("cpu", 0))
        self.memory = str(definition["memory"]) if definition.get("memory") else None
        self.memory_reservation = str(definition["memoryReservation"]) if definition.get("memoryReservation") else None
        self.essential = definition.get("essential", True)


class ExternalTask(Task):
    """A task of an EXTERNAL service: its lastStatus is what the agent reported, never advanced by describing it."""

    def __init__(self, backend: LabECSTasksBackend, cluster: Any, task_definition: Any, *, instance: Any, service: Any, requirements: dict[str, Any]) -> None:
        super().__init__(
            cluster,
            task_definition,
            instance.container_instance_arn,
            requirements,
            backend=backend,
            group=f"service:{service.name}",
            launch_type=EXTERNAL,
            started_by=service.deployments[0]["id"] if service.deployments else "",
            tags=list(service.tags or []) if service.propagate_tags == "SERVICE" else [],
        )
        self.status = "PENDING"
        self.container_instance_id = instance.id
        self.service_name = service.name
        self.containers = [LabContainer(self, definition) for definition in task_definition.container_definitions]
        self.cpu = str(requirements.get("CPU", 0))
        self.memory = str(requirements.get("MEMORY", 0))
        self.created_at = utcnow()
        self.started_at = None
        self.stopping_at = None
        self.stopped_at = None
        self.execution_stopped_at = None
        self.pull_started_at = None
        self.pull_stopped_at = None
        self.stop_code: str | None = None
        self.stopped_reason = None
        self.health_status = "UNKNOWN"
        self.connectivity = "CONNECTED"
        self.connectivity_at = self.created_at
        self.version = 1
        self.released = False

    def advance(self) -> None:
        """Describing a task never changes it: its agent reports its state."""

    def ask_to_stop(self, code: str, reason: str) -> None:
        if self.desired_status != "STOPPED":
            self.desired_status = "STOPPED"
            self.stop_code = code
            self.stopped_reason = reason
            self.stopping_at = utcnow()
            self.version += 1


def _service_tasks(backend: LabECSTasksBackend, service: Any) -> list[ExternalTask]:
    tasks = backend.tasks.get(service.cluster_name, {}).values()
    return [t for t in tasks if isinstance(t, ExternalTask) and t.group == f"service:{service.name}"]


def _constraint_filters(constraints: list[dict[str, Any]]) -> tuple[list[Any], bool]:
    filters, distinct = [], False
    for constraint in constraints or []:
        kind = constraint.get("type")
        if kind == "distinctInstance":
            distinct = True
        elif kind == "memberOf":
            try:
                filters.append(compile_filter(constraint.get("expression") or ""))
            except QueryError:
                continue  # CreateService already refused invalid expressions
    return filters, distinct


def _strategy_key(strategy: list[dict[str, Any]], instance: Any, service_tasks_per_instance: dict[str, int], backend: LabECSTasksBackend) -> tuple:
    key: list[Any] = []
    for item in strategy or []:
        kind, field = item.get("type"), (item.get("field") or "").lower()
        if kind == "spread" and field in ("instanceid", "host"):
            key.append(service_tasks_per_instance.get(instance.id, 0))
        elif kind == "spread" and field.startswith("attribute:"):
            name = item["field"].split(":", 1)[1]
            value = instance.attributes.get(name)
            peers = [i for i in backend.container_instances.get(instance.cluster_name, {}).values() if i.attributes.get(name) == value]
            key.append(sum(service_tasks_per_instance.get(i.id, 0) for i in peers))
        elif kind == "binpack" and field in ("cpu", "memory"):
            remaining = {r["name"]: r.get("integerValue", 0) for r in instance.remaining_resources}
            key.append(remaining.get(field.upper(), 0))
        elif kind == "random":
            key.append(random.random())  # placement, not cryptography
    key.append(instance.registered_at)
    return tuple(key)


class LabECSTasksBackend(LabECSBackend):
    # the service scheduler ----------------------------------------------------------------------------------

    def schedule_services(self) -> dict[str, list[str]]:
        """One placement cycle over every EXTERNAL service of this region; returns the task ARNs started and stopped."""
        done: dict[str, list[str]] = {"started": [], "stopped": []}
        for cluster_tasks in self.tasks.values():
            for task in list(cluster_tasks.values()):
                if isinstance(task, ExternalTask) and task.desired_status == "RUNNING" and not self._service_wants(task):
                    task.ask_to_stop("ServiceSchedulerInitiated", f"Service {task.service_name} was deleted or is draining.")
                    done["stopped"].append(task.task_arn)
        for service in list(self.services.values()):
            if service.status == "ACTIVE" and service.launch_type == EXTERNAL and service.task_definition:
                self._schedule_service(service, done)
        self.refresh_counts()
        return done

    def _service_wants(self, task: ExternalTask) -> bool:
        service = next((s for s in self.services.values() if s.cluster_name == task.cluster_name and s.name == task.service_name), None)
        return service is not None and service.status == "ACTIVE"

    def _instance(self, task: ExternalTask) -> Any:
        return self.container_instances.get(task.cluster_name, {}).get(task.container_instance_id)

    def _schedule_service(self, service: Any, done: dict[str, list[str]]) -> None:
        deployment = service.deployments[0]["id"] if service.deployments else "ecs-svc"
        for task in _service_tasks(self, service):
            instance = self._instance(task)
            if task.desired_status == "RUNNING" and (instance is None or instance.status != "ACTIVE"):
                state = "deregistered" if instance is None or instance.status == "INACTIVE" else instance.status.lower()
                task.ask_to_stop("ServiceSchedulerInitiated", f"Container instance {task.container_instance_id} is {state}.")
                done["stopped"].append(task.task_arn)
                if instance is None or instance.status == "INACTIVE":
                    self._release(task)
                    task.status = "STOPPED"
                    task.stopped_at = utcnow()

        live = [t for t in _service_tasks(self, service) if t.desired_status == "RUNNING"]
        current = [t for t in live if t.task_definition_arn == service.task_definition]
        stale = [t for t in live if t.task_definition_arn != service.task_definition]
        settings = {**{"maximumPercent": 200, "minimumHealthyPercent": 100}, **(getattr(service, "deployment_configuration", None) or {})}
        desired = service.desired_count

        for task in sorted(current, key=lambda t: t.created_at, reverse=True)[: max(0, len(current) - desired)]:
            task.ask_to_stop("ServiceSchedulerInitiated", f"Scaling activity initiated by (deployment {deployment})")
            done["stopped"].append(task.task_arn)
            current.remove(task)
            live.remove(task)

        ceiling = max(desired, math.floor(desired * settings["maximumPercent"] / 100))
        while len(current) < desired and len(live) < ceiling:
            task = self._place(service)
            if task is None:
                self._event(service, f"(service {service.name}) was unable to place a task because no container instance met all of its requirements.")
                break
            current.append(task)
            live.append(task)
            done["started"].append(task.task_arn)
            self._event(service, f"(service {service.name}) has started 1 tasks: (task {task.id}).")

        floor = math.ceil(desired * settings["minimumHealthyPercent"] / 100)
        healthy = sum(1 for t in live if t.last_status == "RUNNING")
        for task in sorted(stale, key=lambda t: t.created_at):
            if task.last_status == "RUNNING" and healthy - 1 < floor:
                continue
            task.ask_to_stop("ServiceSchedulerInitiated", f"Deployment {deployment} replaced the task definition.")
            done["stopped"].append(task.task_arn)
            healthy -= task.last_status == "RUNNING"

    def _place(self, service: Any) -> ExternalTask | None:
        cluster = self._get_cluster(service.cluster_name)
        task_definition = self.describe_task_definition(service.task_definition)
        requirements = self._calculate_task_resource_requirements(task_definition)
        # hostPort 0 (or none) is a dynamic port: Docker picks a free one, nothing to reserve.
        requirements["PORTS"] = [port for port in requirements.get("PORTS", []) if port]
        filters, distinct = _constraint_filters(
            [*(getattr(service, "placement_constraints", None) or []), *(getattr(task_definition, "placement_constraints", None) or [])]
        )
        per_instance: dict[str, int] = {}
        for task in _service_tasks(self, service):
            if task.desired_status == "RUNNING":
                per_instance[task.container_instance_id] = per_instance.get(task.container_instance_id, 0) + 1
        for instance in self.container_instances.get(cluster.name, {}).values():
            self._recompute_remaining(instance)
        candidates = [
            instance
            for instance in self.container_instances.get(cluster.name, {}).values()
            if _is_external(instance)
            and instance.status == "ACTIVE"
            and instance.agent_connected
            and all(matches(_facts(instance)) for matches in filters)
            and not (distinct and per_instance.get(instance.id))
            and self._can_be_placed(instance, requirements)
        ]
        if not candidates:
            return None
        instance = min(candidates, key=lambda i: _strategy_key(getattr(service, "placement_strategy", None) or [], i, per_instance, self))
        task = ExternalTask(self, cluster, task_definition, instance=instance, service=service, requirements=requirements)
        self.tasks.setdefault(cluster.name, {})[task.task_arn] = task
        self._recompute_remaining(instance)
        return task

    def _release(self, task: ExternalTask) -> None:
        task.released = True
        instance = self._instance(task)
        if instance is not None:
            self._recompute_remaining(instance)

    def _recompute_remaining(self, instance: Any) -> None:
        """remainingResources = registeredResources minus what the instance's unreleased tasks hold (a re-registration keeps them)."""
        if not _is_external(instance):
            return
        held = [
            t
            for t in self.tasks.get(instance.cluster_name, {}).values()
            if isinstance(t, ExternalTask) and t.container_instance_id == instance.id and not t.released
        ]
        remaining = copy.deepcopy(instance.registered_resources)
        for resource in remaining:
            name = resource.get("name")
            if name in ("CPU", "MEMORY"):
                resource["integerValue"] = resource.get("integerValue", 0) - sum(int(t.resource_requirements.get(name) or 0) for t in held)
            elif name == "PORTS":
                resource["stringSetValue"] = [*resource.get("stringSetValue", []), *(str(p) for t in held for p in t.resource_requirements.get("PORTS", []))]
        instance.remaining_resources = remaining

    @staticmethod
    def _event(service: Any, message: str) -> None:
        service.events.insert(0, {"id": str(mock_random.uuid4()), "createdAt": utcnow(), "message": message})
        del service.events[MAX_EVENTS:]

    def refresh_counts(self) -> None:
        """runningCount and pendingCount of services, their primary deployment, container instances and clusters."""
        for cluster_name, cluster_tasks in self.tasks.items():
            external = [t for t in cluster_tasks.values() if isinstance(t, ExternalTask)]
            if not external:
                continue
            for instance in self.container_instances.get(cluster_name, {}).values():
                if _is_external(instance):
                    mine = [t for t in external if t.container_instance_id == instance.id]
                    instance.running_tasks_count = sum(t.last_status == "RUNNING" for t in mine)
                    instance.pending_tasks_count = sum(t.last_status in PENDING_STATES for t in mine)
            cluster = self.clusters.get(cluster_name)
            if cluster is not None:
                cluster.running_tasks_count = sum(t.last_status == "RUNNING" for t in external)
                cluster.pending_tasks_count = sum(t.last_status in PENDING_STATES for t in external)
        for service in self.services.values():
            if service.launch_type != EXTERNAL:
                continue
            mine = [t for t in _service_tasks(self, service) if t.desired_status == "RUNNING"]
            running = sum(t.last_status == "RUNNING" for t in mine)
            pending = sum(t.last_status in PENDING_STATES for t in mine)
            steady = running == service.desired_count and pending == 0
            if steady and service.running_count != running:
                self._event(service, f"(service {service.name}) has reached a steady state.")
            service.running_count, service.pending_count = running, pending
            if service.deployments:
                primary = service.deployments[0]
                primary.update(runningCount=running, pendingCount=pending, desiredCount=service.desired_count)
                primary["rolloutState"] = "COMPLETED" if steady else "IN_PROGRESS"
                primary["rolloutStateReason"] = f"ECS deployment {primary['id']} {'completed' if steady else 'in progress'}."

    # the agent's reports ------------------------------------------------------------------------------------

    def _task(self, cluster_str: str, task_str: str | None) -> ExternalTask:
        cluster = self._get_cluster(cluster_str)
        task_id = (task_str or "").rsplit("/", 1)[-1]
        for task in self.tasks.get(cluster.name, {}).values():
            if task.id == task_id:
                if not isinstance(task, ExternalTask):
                    raise InvalidParameterException(f"The task {task_str} does not run on an external container instance.")
                return task
        raise InvalidParameterException(f"The referenced task {task_str} was not found.")

    def submit_task_state_change(
        self, cluster_str: str, task_str: str, *, status: str, reason: str | None, containers: list[dict[str, Any]], times: dict[str, Any]
    ) -> str:
        task = self._task(cluster_str, task_str)
        if status not in TASK_STATES:
            raise InvalidParameterException(f"status should be one of [{','.join(TASK_STATES)}].")
        for change in containers or []:
            self._container_change(task, change)
        for name, value in times.items():
            if value is not None:
                setattr(task, name, datetime.datetime.fromtimestamp(value, datetime.timezone.utc) if isinstance(value, (int, float)) else value)
        if status == "RUNNING" and task.last_status != "STOPPED":
            task.status = "RUNNING"
            task.started_at = task.started_at or utcnow()
        elif status == "STOPPED":
            task.ask_to_stop("EssentialContainerExited", reason or "Essential container in task exited")
            if reason and task.stop_code == "EssentialContainerExited":
                task.stopped_reason = reason
            task.status = "STOPPED"
            task.stopped_at = utcnow()
            task.execution_stopped_at = task.execution_stopped_at or task.stopped_at
            self._release(task)
        elif task.last_status != "STOPPED":
            task.status = status
        task.version += 1
        self.refresh_counts()
        return "ACK"

    def submit_container_state_change(self, cluster_str: str, task_str: str, change: dict[str, Any]) -> str:
        task = self._task(cluster_str, task_str)
        self._container_change(task, change)
        task.version += 1
        return "ACK"

    @staticmethod
    def _container_change(task: ExternalTask, change: dict[str, Any]) -> None:
        container = next((c for c in task.containers if c.name == change.get("containerName")), None)
        if container is None:
            raise InvalidParameterException(f"The task {task.task_arn} has no container {change.get('containerName')}.")
        status = change.get("status")
        if status is not None:
            if status not in CONTAINER_STATES:
                raise InvalidParameterException(f"status should be one of [{','.join(CONTAINER_STATES)}].")
            container.last_status = status
        for key, attribute in (("runtimeId", "runtime_id"), ("exitCode", "exit_code"), ("reason", "reason"), ("networkBindings", "network_bindings")):
            if change.get(key) is not None:
                setattr(container, attribute, change[key])

    # the task APIs ------------------------------------------------------------------------------------------

    def stop_task(self, cluster_str: str, task_str: str, reason: str) -> Task:
        cluster = self._get_cluster(cluster_str)
        task_id = task_str.rsplit("/", 1)[-1]
        task = next((t for t in self.tasks.get(cluster.name, {}).values() if t.id == task_id), None)
        if isinstance(task, ExternalTask):
            task.ask_to_stop("UserInitiated", reason or "Task stopped by user")
            return task
        return super().stop_task(cluster_str, task_str, reason)

    def list_tasks(  # type: ignore[override]  # noqa: PLR0917  # moto's signature
        self,
        cluster_str: str | None = None,
        container_instance: str | None = None,
        family: str | None = None,
        started_by: str | None = None,
        service_name: str | None = None,
        desiredStatus: str | None = None,  # moto's name
    ) -> list[Task]:
        tasks = super().list_tasks(cluster_str, None, family, started_by, None, desiredStatus or "RUNNING")
        if container_instance:
            wanted = container_instance.rsplit("/", 1)[-1]
            tasks = [t for t in tasks if (t.container_instance_arn or "").rsplit("/", 1)[-1] == wanted]
        if service_name:
            wanted = service_name.rsplit("/", 1)[-1]
            tasks = [t for t in tasks if t.group == f"service:{wanted}"]
        return tasks

    def describe_services(self, cluster_str: str, service_names_or_arns: list[str]) -> Any:
        self.refresh_counts()
        return super().describe_services(cluster_str, service_names_or_arns)

    def delete_service(self, cluster_name: str, service_name: str, force: bool) -> Any:
        service = super().delete_service(cluster_name, service_name, force)
        for task in _service_tasks(self, service):
            task.ask_to_stop("ServiceSchedulerInitiated", f"Service {service.name} was deleted.")
        return service


class LabECSTasksResponse(LabECSResponse):
    def call_action(self) -> Any:
        with LOCK:
            return super().call_action()

    @property
    def tasks_backend(self) -> LabECSTasksBackend:
        return ecs_backends[self.current_account][self.region]  # type: ignore[return-value]

    def submit_task_state_change(self) -> ActionResult:
        times = {
            name: self._get_param(key)
            for key, name in (("pullStartedAt", "pull_started_at"), ("pullStoppedAt", "pull_stopped_at"), ("executionStoppedAt", "execution_stopped_at"))
        }
        acknowledgment = self.tasks_backend.submit_task_state_change(
            self._get_param("cluster", "default"),
            self._get_param("task"),
            status=self._get_param("status"),
            reason=self._get_param("reason"),
            containers=self._get_param("containers") or [],
            times=times,
        )
        return ActionResult({"acknowledgment": acknowledgment})

    def submit_container_state_change(self) -> ActionResult:
        change = {key: self._get_param(key) for key in ("containerName", "runtimeId", "status", "exitCode", "reason", "networkBindings")}
        acknowledgment = self.tasks_backend.submit_container_state_change(self._get_param("cluster", "default"), self._get_param("task"), change)
        return ActionResult({"acknowledgment": acknowledgment})


class Scheduler:
    """The service scheduler's clock: a daemon thread running a placement cycle every interval seconds."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._loop, name="awsemu-ecs-scheduler", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            try:
                run_cycle()
            except Exception as error:  # one bad cycle must not end the scheduler
                print(f"awsemu: ECS scheduler cycle failed: {error!r}", flush=True)

    def set_interval(self, seconds: float) -> None:
        self.interval = seconds
        self._wake.set()


SCHEDULER = Scheduler(DEFAULT_INTERVAL)


def run_cycle() -> dict[str, list[str]]:
    """One placement cycle in every account and region that has an ECS backend."""
    done: dict[str, list[str]] = {"started": [], "stopped": []}
    with LOCK, backend_lock:
        backends = [backend for account in list(ecs_backends.values()) for backend in list(account.values())]
        for backend in backends:
            if isinstance(backend, LabECSTasksBackend):
                for key, arns in backend.schedule_services().items():
                    done[key].extend(arns)
    return done


def _run(_body: Any) -> dict[str, Any]:
    return run_cycle()


def _settings(body: Any) -> dict[str, Any]:
    seconds = (body or {}).get("interval_seconds") if isinstance(body, dict) else None
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not 0.1 <= seconds <= 3600:
        raise control.LabError(400, 'expected {"interval_seconds": 0.1 to 3600}')
    SCHEDULER.set_interval(float(seconds))
    return {"interval_seconds": SCHEDULER.interval}


def _reset() -> None:
    SCHEDULER.set_interval(DEFAULT_INTERVAL)


def install() -> None:
    """Swap in the task-running ECS backend and responses, register the control endpoints, start the scheduler."""
    use_backend_class(ecs_backends, LabECSTasksBackend)
    from moto.ecs import urls as ecs_urls

    use_response_class(ecs_urls, LabECSTasksResponse)
    control.route("POST", "/_lab/ecs/scheduler/run", _run)
    control.route("POST", "/_lab/ecs/scheduler", _settings)
    control.on_reset(_reset)
    SCHEDULER.start()
