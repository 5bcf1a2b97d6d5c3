"""What the ecs_anywhere scenario asks the lab's emulator directly, through boto3 (not through the collection's
modules, whose behaviour is under test): a container instance as ListContainerInstances and
DescribeContainerInstances show it, a task started on it and stopped again, and the ECS calls of the emulator's
request log since a moment. Each subcommand prints one JSON document.

    ecs_lab.py --endpoint URL instance CLUSTER ARN
    ecs_lab.py --endpoint URL start-task CLUSTER ARN
    ecs_lab.py --endpoint URL stop-tasks CLUSTER ARN [--delay SECONDS] [--after-poll]
    ecs_lab.py --endpoint URL calls SINCE
"""

from __future__ import annotations

import argparse
import json
import time
import urllib.request
from typing import Any

import boto3

FAMILY = "molecule-ecs-anywhere-drain"


def ecs_client(endpoint: str, region: str) -> Any:
    return boto3.client("ecs", endpoint_url=endpoint, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")


def instance(ecs: Any, cluster: str, arn: str) -> dict[str, Any]:
    """Whether the cluster lists the instance, and what DescribeContainerInstances says about it."""
    listed = ecs.get_paginator("list_container_instances").paginate(cluster=cluster).build_full_result().get("containerInstanceArns", [])
    answer = ecs.describe_container_instances(cluster=cluster, containerInstances=[arn])
    [described] = answer.get("containerInstances") or [None]
    return {
        "listed": arn in listed,
        "status": described["status"] if described else None,
        "running_tasks_count": described["runningTasksCount"] if described else None,
        "failures": [failure.get("reason") for failure in answer.get("failures", [])],
    }


def start_task(ecs: Any, cluster: str, arn: str) -> dict[str, Any]:
    """A standalone task placed on the instance (the emulator counts it in runningTasksCount)."""
    definition = ecs.register_task_definition(
        family=FAMILY,
        requiresCompatibilities=["EXTERNAL"],
        networkMode="bridge",
        containerDefinitions=[{"name": "sleep", "image": "busybox", "memory": 32, "command": ["sleep", "3600"]}],
    )["taskDefinition"]["taskDefinitionArn"]
    [task] = ecs.start_task(cluster=cluster, taskDefinition=definition, containerInstances=[arn], startedBy="molecule")["tasks"]
    return {"task_arn": task["taskArn"]}


def stop_tasks(ecs: Any, endpoint: str, cluster: str, arn: str, *, delay: float, after_poll: bool = False) -> dict[str, Any]:
    """After delay seconds, stop every task the instance still runs. With after_poll, the delay counts from the first
    DescribeContainerInstances call the emulator answers after this command started (the role's drain polling the
    instance), however long the role took to get there: a loaded machine must not make the task stop before the role
    waits for it."""
    started, deadline = time.time(), time.monotonic() + 110
    while after_poll and not any(c["operation"] == "DescribeContainerInstances" for c in calls(endpoint, started)["calls"]):
        if time.monotonic() > deadline:
            raise SystemExit("the role never polled the container instance")
        time.sleep(0.5)
    time.sleep(delay)
    tasks = ecs.list_tasks(cluster=cluster, containerInstance=arn, desiredStatus="RUNNING")["taskArns"]
    for task in tasks:
        ecs.stop_task(cluster=cluster, task=task, reason="molecule: the drain test stops it")
    return {"stopped": tasks, "time": time.time()}


# The ECS API's agent-only actions ("used only by the Amazon ECS agent"): the agent on the host reports the state of
# the tasks it runs with them whatever Ansible does, so they are not the role's calls.
AGENT_OPERATIONS = {"SubmitTaskStateChange", "SubmitContainerStateChange", "SubmitAttachmentStateChanges", "DiscoverPollEndpoint"}


def calls(endpoint: str, since: float) -> dict[str, Any]:
    """The ECS calls the emulator answered since the given time, oldest first, without the agent's state reports."""
    with urllib.request.urlopen(endpoint + "/_lab/requests", timeout=30) as answer:
        requests = json.load(answer)["requests"]
    ecs_calls = [call for call in requests if call["service"] == "ecs" and call["time"] >= since and call["operation"] not in AGENT_OPERATIONS]
    return {"calls": [{key: call[key] for key in ("time", "operation", "status", "mutating")} for call in ecs_calls]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", default="us-east-1")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("instance", "start-task", "stop-tasks"):
        command = commands.add_parser(name)
        command.add_argument("cluster")
        command.add_argument("arn")
        if name == "stop-tasks":
            command.add_argument("--delay", type=float, default=0.0)
            command.add_argument("--after-poll", action="store_true")
    commands.add_parser("calls").add_argument("since", type=float)
    args = parser.parse_args()

    ecs = ecs_client(args.endpoint, args.region)
    if args.command == "instance":
        result = instance(ecs, args.cluster, args.arn)
    elif args.command == "start-task":
        result = start_task(ecs, args.cluster, args.arn)
    elif args.command == "stop-tasks":
        result = stop_tasks(ecs, args.endpoint, args.cluster, args.arn, delay=args.delay, after_poll=args.after_poll)
    else:
        result = calls(args.endpoint, args.since)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
