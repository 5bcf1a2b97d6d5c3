#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ecs_external_task_definition
version_added: 0.1.0
short_description: Register ECS task definitions for external instances (ECS Anywhere)
description:
  - Registers a revision of an ECS task definition family that requires the C(EXTERNAL) launch type, so that its
    tasks run on external instances (on-premises servers registered with ECS Anywhere).
  - Registers a new revision only when the wanted definition differs from the latest C(ACTIVE) revision of the
    family. Both are compared after removing the values ECS fills in by itself (container C(cpu=0),
    C(essential=true), port protocol C(tcp), ...) and sorting environment variables and secrets by name.
  - With O(state=absent), deregisters every C(ACTIVE) revision of the family, or only O(revision).
  - Upstream M(community.aws.ecs_taskdefinition) accepts only the C(EC2) and C(FARGATE) launch types in
    I(launch_type), so it cannot register a definition for external instances; hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  family:
    description:
      - Name of the task definition family.
    required: true
    type: str
  state:
    description:
      - C(present) registers a revision when needed; C(absent) deregisters revisions.
    choices: [present, absent]
    default: present
    type: str
  revision:
    description:
      - With O(state=absent), deregister only this revision instead of every C(ACTIVE) one.
    type: int
  containers:
    description:
      - Container definitions in the shape of the C(RegisterTaskDefinition) API (camelCase keys such as
        C(name), C(image), C(memory), C(portMappings), C(environment), C(mountPoints), C(logConfiguration)).
      - Required with O(state=present). Every container needs a unique C(name) and an C(image).
    type: list
    elements: dict
  network_mode:
    description:
      - Docker networking mode of the containers. External instances do not support C(awsvpc).
    choices: [bridge, host, none]
    default: bridge
    type: str
  cpu:
    description:
      - CPU units reserved for the whole task (1024 is one vCPU), as a number.
    type: str
  memory:
    description:
      - Memory reserved for the whole task, in MiB, as a number.
    type: str
  execution_role_arn:
    description:
      - ARN of the role the ECS agent uses to pull images from ECR and send logs to CloudWatch Logs.
    type: str
  task_role_arn:
    description:
      - ARN of the role the task's containers may assume.
    type: str
  volumes:
    description:
      - Volumes in the shape of the C(RegisterTaskDefinition) API, for example a host directory as
        C(name=data) with C(host.sourcePath=/srv/data), or a C(dockerVolumeConfiguration).
    type: list
    elements: dict
notes:
  - Supports C(check_mode) and C(diff). In check mode the returned definition has no revision or ARN yet.
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
"""

EXAMPLES = r"""
- name: A web application for the on-premises hosts
  hybridcloud.aws.ecs_external_task_definition:
    family: onprem-web
    network_mode: bridge
    memory: "512"
    execution_role_arn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole
    containers:
      - name: web
        image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2
        essential: true
        portMappings:
          - containerPort: 8080
            hostPort: 8080
        environment:
          - name: DATABASE_HOST
            value: db.internal.example.com
        mountPoints:
          - sourceVolume: data
            containerPath: /var/lib/web
    volumes:
      - name: data
        host:
          sourcePath: /srv/web
  register: web_definition

- name: Retire every revision of the family
  hybridcloud.aws.ecs_external_task_definition:
    family: onprem-web
    state: absent
"""

RETURN = r"""
task_definition:
  description:
    - With O(state=present), the latest C(ACTIVE) revision after the change (the new revision when one was registered).
    - Container definitions keep the keys of their user-defined maps (docker labels, log options) as they are.
  returned: with O(state=present)
  type: dict
  contains:
    task_definition_arn:
      description: ARN of the revision.
      type: str
      sample: arn:aws:ecs:eu-west-1:123456789012:task-definition/onprem-web:3
    family:
      description: Family of the revision.
      type: str
      sample: onprem-web
    revision:
      description: Revision number.
      type: int
      sample: 3
    requires_compatibilities:
      description: Launch types the revision requires; always C(EXTERNAL).
      type: list
      elements: str
      sample: [EXTERNAL]
    network_mode:
      description: Docker networking mode.
      type: str
      sample: bridge
    container_definitions:
      description: The container definitions, with snake_case keys.
      type: list
      elements: dict
      sample: [{"name": "web", "image": "web:1.4.2", "essential": true, "port_mappings": [{"container_port": 8080, "host_port": 8080}]}]
    status:
      description: C(ACTIVE) or C(INACTIVE).
      type: str
      sample: ACTIVE
deregistered:
  description: ARNs of the revisions deregistered (or, in check mode, that would be).
  returned: with O(state=absent)
  type: list
  elements: str
  sample: ["arn:aws:ecs:eu-west-1:123456789012:task-definition/onprem-web:1"]
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import normalize_boto3_result
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.create_once import single_attempt_client
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import AnsibleECSError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import deregister_task_definition
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import describe_task_definition
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import list_active_task_definition_arns
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import normalize_task_definition
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import register_task_definition
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import snake_case_keys
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import task_definition_differs

# User-defined maps inside container definitions whose keys must not be turned into snake_case.
USER_KEYED_MAPS = ["dockerLabels", "options", "labels", "driverOpts", "tags"]


def validate(module):
    params = module.params
    if params["state"] == "absent":
        return
    if params["revision"] is not None:
        module.fail_json(msg="revision applies only to state=absent; state=present always compares with the latest ACTIVE revision")
    containers = params["containers"]
    if not containers:
        module.fail_json(msg="state=present needs containers")
    names = [container.get("name") for container in containers]
    for index, container in enumerate(containers):
        if not container.get("name") or not container.get("image"):
            module.fail_json(msg=f"containers[{index}] needs a name and an image")
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        module.fail_json(msg=f"container names must be unique, repeated: {', '.join(duplicates)}")
    for option in ("cpu", "memory"):
        if params[option] is not None and not params[option].isdigit():
            module.fail_json(msg=f"{option} must be a whole number (CPU units or MiB), got {params[option]}")


def wanted_definition(params):
    definition = {
        "family": params["family"],
        "requiresCompatibilities": ["EXTERNAL"],
        "networkMode": params["network_mode"],
        "containerDefinitions": params["containers"],
        "cpu": params["cpu"],
        "memory": params["memory"],
        "executionRoleArn": params["execution_role_arn"],
        "taskRoleArn": params["task_role_arn"],
        "volumes": params["volumes"],
    }
    return {key: value for key, value in definition.items() if value is not None}


def to_result(definition):
    if not definition:
        return {}
    return snake_case_keys(normalize_boto3_result(definition), keep=USER_KEYED_MAPS)


def ensure_present(module, client):
    wanted = wanted_definition(module.params)
    latest = describe_task_definition(client, module.params["family"])
    if latest is not None and latest.get("status") != "ACTIVE":
        latest = None
    before, after = normalize_task_definition(latest), normalize_task_definition(wanted)
    changed = task_definition_differs(latest, wanted)
    if not changed:
        result = latest
    elif module.check_mode:
        result = wanted
    else:
        result = register_task_definition(client, wanted, before=latest, create_client=single_attempt_client(module, "ecs"))
    module.exit_json(changed=changed, task_definition=to_result(result), diff={"before": before or {}, "after": after})


def ensure_absent(module, client):
    family, revision = module.params["family"], module.params["revision"]
    if revision is None:
        arns = list_active_task_definition_arns(client, family)
    else:
        definition = describe_task_definition(client, f"{family}:{revision}")
        arns = [definition["taskDefinitionArn"]] if definition and definition.get("status") == "ACTIVE" else []
    if not module.check_mode:
        for arn in arns:
            deregister_task_definition(client, arn)
    module.exit_json(changed=bool(arns), deregistered=arns)


def main():
    argument_spec = dict(
        family=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        revision=dict(type="int"),
        containers=dict(type="list", elements="dict"),
        network_mode=dict(type="str", default="bridge", choices=["bridge", "host", "none"]),
        cpu=dict(type="str"),
        memory=dict(type="str"),
        execution_role_arn=dict(type="str"),
        task_role_arn=dict(type="str"),
        volumes=dict(type="list", elements="dict"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    client = module.client("ecs")
    try:
        if module.params["state"] == "absent":
            ensure_absent(module, client)
        else:
            ensure_present(module, client)
    except AnsibleECSError as e:
        module.fail_json_aws_error(e)


if __name__ == "__main__":
    main()
