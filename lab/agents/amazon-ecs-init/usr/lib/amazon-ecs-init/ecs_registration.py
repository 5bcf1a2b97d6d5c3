"""RegisterContainerInstance for an ECS Anywhere (external) instance, identified by its SSM mi- id."""

from __future__ import annotations

import json
import os
import platform

import lab_aws
from ecs_config import STATE_FILE, agent_version, endpoint, instance_attributes, is_true, ssm_registration

# The ports the real agent reserves on every container instance.
RESERVED_PORTS = ["22", "2375", "2376", "51678", "51679"]


class RegistrationError(Exception):
    pass


def _memory_mib() -> int:
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError):
        pass
    return 0


def _architecture() -> str:
    machine = platform.machine()
    return {"aarch64": "arm64", "amd64": "x86_64"}.get(machine, machine)


def attributes(config: dict[str, str]) -> list[dict[str, str]]:
    values = {"ecs.os-type": "linux", "ecs.os-family": "LINUX", "ecs.cpu-architecture": _architecture()}
    if is_true(config.get("ECS_EXTERNAL")):
        values["ecs.capability.external"] = ""
    values.update(instance_attributes(config))
    return [{"name": name, "value": value} if value else {"name": name} for name, value in sorted(values.items())]


def total_resources() -> list[dict]:
    """The capacity this machine offers to ECS (CPU units = cores x 1024, memory in MiB)."""
    return [
        {"name": "CPU", "type": "INTEGER", "integerValue": (os.cpu_count() or 1) * 1024},
        {"name": "MEMORY", "type": "INTEGER", "integerValue": _memory_mib()},
        {"name": "PORTS", "type": "STRINGSET", "stringSetValue": RESERVED_PORTS},
        {"name": "PORTS_UDP", "type": "STRINGSET", "stringSetValue": []},
    ]


def saved_state() -> dict:
    try:
        with open(STATE_FILE) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {}


def _save_state(state: dict) -> None:
    os.makedirs(os.path.dirname(STATE_FILE), mode=0o700, exist_ok=True)
    temporary = STATE_FILE + ".tmp"
    with open(temporary, "w") as handle:
        json.dump(state, handle)
    os.replace(temporary, STATE_FILE)


def request(config: dict[str, str], cluster: str, instance_id: str) -> dict:
    body = {
        "cluster": cluster,
        "totalResources": total_resources(),
        "versionInfo": {"agentVersion": agent_version(), "agentHash": "lab-stand-in", "dockerVersion": "DockerVersion: none (LAB STAND-IN)"},
        "attributes": attributes(config),
        # External instances have no EC2 identity document; the lab names the managed instance in its place.
        "instanceIdentityDocument": json.dumps({"instanceId": instance_id}),
    }
    previous = saved_state()
    if previous.get("Cluster") == cluster and previous.get("InstanceId") == instance_id and previous.get("ContainerInstanceArn"):
        body["containerInstanceArn"] = previous["ContainerInstanceArn"]
    return body


def register(config: dict[str, str], cluster: str) -> str:
    """Register (or re-register) this machine in the cluster and return the container instance ARN."""
    registration = ssm_registration()
    instance_id = registration.get("ManagedInstanceID", "")
    if is_true(config.get("ECS_EXTERNAL")) and not instance_id.startswith("mi-"):
        raise RegistrationError("ECS_EXTERNAL is set but this machine has no SSM registration (/var/lib/amazon/ssm/registration)")
    region = config.get("AWS_DEFAULT_REGION") or config.get("AWS_REGION") or registration.get("Region", "")
    if not region:
        raise RegistrationError("no region: set AWS_DEFAULT_REGION in /var/lib/ecs/ecs.config")
    try:
        answer = lab_aws.json_call(
            endpoint(config, region),
            "AmazonEC2ContainerServiceV20141113.RegisterContainerInstance",
            request(config, cluster, instance_id),
            service="ecs",
            region=region,
            credentials=lab_aws.Credentials.from_env(),
        )
    except (lab_aws.AwsError, OSError) as error:
        raise RegistrationError(f"RegisterContainerInstance failed: {error}") from error
    arn = (answer.get("containerInstance") or {}).get("containerInstanceArn", "")
    if not arn:
        raise RegistrationError(f"unexpected RegisterContainerInstance answer: {answer}")
    _save_state({"Cluster": cluster, "InstanceId": instance_id, "ContainerInstanceArn": arn})
    return arn
