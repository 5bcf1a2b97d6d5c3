#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ecs_external_service
version_added: 0.1.0
short_description: Manage ECS services that run on external instances (ECS Anywhere)
description:
  - Creates, updates and deletes an ECS service with the C(EXTERNAL) launch type, whose tasks run on external
    instances (on-premises servers registered with ECS Anywhere).
  - Updates the task definition, the desired count, the placement constraints and strategy and the deployment
    configuration of an existing service; its tags with O(tags) and O(purge_tags).
  - Deletion scales the service to zero tasks first, then deletes it.
  - The task definition must be compatible with C(EXTERNAL); register it with
    M(hybridcloud.aws.ecs_external_task_definition).
  - Upstream M(community.aws.ecs_service) accepts only the C(EC2) and C(FARGATE) launch types in I(launch_type),
    so it cannot create a service for external instances; hence this module.
  - External instances have no Elastic Load Balancing integration, so this module has no load balancer options.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  name:
    description:
      - Name of the service.
    required: true
    type: str
    aliases: [service]
  cluster:
    description:
      - Name or ARN of the cluster.
    type: str
    default: default
  state:
    description:
      - Whether the service should exist.
    choices: [present, absent]
    default: present
    type: str
  task_definition:
    description:
      - The task definition to run, as a family (its latest C(ACTIVE) revision), C(family:revision) or an ARN.
      - Required to create the service. A family is resolved to its latest revision on every run, so registering
        a new revision and running the task again deploys it.
    type: str
  desired_count:
    description:
      - Number of tasks to keep running. Required to create the service.
    type: int
  placement_constraints:
    description:
      - Rules for the instances a task may run on. An empty list removes all constraints.
    type: list
    elements: dict
    suboptions:
      type:
        description: C(memberOf) (instances matching O(placement_constraints[].expression)) or C(distinctInstance).
        choices: [memberOf, distinctInstance]
        required: true
        type: str
      expression:
        description: A cluster query language expression, for example C(attribute:location == onprem).
        type: str
  placement_strategy:
    description:
      - How tasks are spread over the instances. An empty list removes the strategy.
    type: list
    elements: dict
    suboptions:
      type:
        description: C(random), C(spread) or C(binpack).
        choices: [random, spread, binpack]
        required: true
        type: str
      field:
        description: What to spread over (for example C(instanceId) or C(attribute:site)) or to binpack on (C(cpu), C(memory)).
        type: str
  deployment_configuration:
    description:
      - How deployments replace tasks. Unset fields keep their current value (ECS defaults on creation).
    type: dict
    suboptions:
      minimum_healthy_percent:
        description: Share of O(desired_count) that must keep running during a deployment.
        type: int
      maximum_percent:
        description: Most tasks, as a share of O(desired_count), that may run during a deployment.
        type: int
      deployment_circuit_breaker:
        description: Stop a deployment whose tasks keep failing, and optionally roll it back.
        type: dict
        suboptions:
          enable:
            description: Whether the circuit breaker is on.
            type: bool
            required: true
          rollback:
            description: Whether a stopped deployment rolls back to the last completed one.
            type: bool
            required: true
  wait:
    description:
      - After a change, wait until the service is steady (one deployment, as many tasks running as desired),
        or, after a deletion, until it is gone.
    type: bool
    default: false
  wait_timeout:
    description:
      - How many seconds to wait.
    type: int
    default: 600
notes:
  - Supports C(check_mode) and C(diff).
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
"""

EXAMPLES = r"""
- name: Run two web tasks on the on-premises hosts, one per host
  hybridcloud.aws.ecs_external_service:
    name: onprem-web
    cluster: prod
    task_definition: onprem-web
    desired_count: 2
    placement_constraints:
      - type: memberOf
        expression: "attribute:location == onprem"
      - type: distinctInstance
    placement_strategy:
      - type: spread
        field: attribute:site
    deployment_configuration:
      minimum_healthy_percent: 50
      maximum_percent: 100
      deployment_circuit_breaker:
        enable: true
        rollback: true
    tags:
      application: web
    wait: true

- name: Stop the service and delete it
  hybridcloud.aws.ecs_external_service:
    name: onprem-web
    cluster: prod
    state: absent
"""

RETURN = r"""
service:
  description:
    - The service after the change; empty when it does not exist.
    - In check mode, the values it would get (without what ECS would fill in).
  returned: always
  type: dict
  contains:
    service_name:
      description: Name of the service.
      type: str
      sample: onprem-web
    service_arn:
      description: ARN of the service.
      type: str
      sample: arn:aws:ecs:eu-west-1:123456789012:service/prod/onprem-web
    status:
      description: C(ACTIVE), C(DRAINING) or C(INACTIVE).
      type: str
      sample: ACTIVE
    launch_type:
      description: Always C(EXTERNAL).
      type: str
      sample: EXTERNAL
    task_definition:
      description: ARN of the task definition revision the service runs.
      type: str
      sample: arn:aws:ecs:eu-west-1:123456789012:task-definition/onprem-web:3
    desired_count:
      description: Tasks the service keeps running.
      type: int
      sample: 2
    running_count:
      description: Tasks running now.
      type: int
      sample: 2
    placement_constraints:
      description: Placement constraints.
      type: list
      elements: dict
      sample: [{"type": "memberOf", "expression": "attribute:location == onprem"}]
    placement_strategy:
      description: Placement strategy.
      type: list
      elements: dict
      sample: [{"type": "spread", "field": "attribute:site"}]
    deployment_configuration:
      description: Deployment configuration.
      type: dict
      sample: {"minimum_healthy_percent": 50, "maximum_percent": 100, "deployment_circuit_breaker": {"enable": true, "rollback": true}}
    deployments:
      description: The service's deployments (ECS's events are left out).
      type: list
      elements: dict
    tags:
      description: Tags of the service.
      type: dict
      sample: {"application": "web"}
waited:
  description:
    - What the module's waits saw, one entry per wait in the order they ran (polling every 10 seconds). Each poll is also written, as it
      happens, to the log of the host that runs the module (syslog or the journal), one line per poll that names
      what it waits for, the poll's number, the seconds since the wait began and the state it saw.
  returned: when the module waited, also when it failed
  type: list
  elements: dict
  contains:
    what:
      description: What the module waited for.
      type: str
      sample: service onprem-web to reach a steady state
    seconds:
      description: Seconds from the start of the wait to its last poll.
      type: float
      sample: 30.0
    polls:
      description: How many times the module read the resource.
      type: int
      sample: 4
    states:
      description: What the polls saw, in order; consecutive polls that saw the same state are one entry.
      type: list
      elements: dict
      contains:
        state:
          description: Status of the service, its tasks running of desired and its deployments, C(deleted) once it is gone.
          type: str
        seconds:
          description: Seconds from the start of the wait to the first poll of this entry.
          type: float
        polls:
          description: How many consecutive polls saw this state.
          type: int
      sample:
        - {state: "ACTIVE, 1 of 2 tasks running, 2 deployments", seconds: 0.0, polls: 3}
        - {state: "ACTIVE, 2 of 2 tasks running, 1 deployment", seconds: 30.0, polls: 1}
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import normalize_boto3_result
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import AnsibleECSError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import create_service
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import delete_service
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import describe_service
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import describe_task_definition
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import dict_to_ecs_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import ecs_tags_to_dict
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import external_service_changes
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import external_service_fields
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import snake_case_keys
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import sync_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import task_definition_is_external
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import update_service
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import wait_for_service
from ansible_collections.hybridcloud.aws.plugins.module_utils.waiting import Waits

# The fields this module manages, as the API names them; the diff shows these.
MANAGED = ("taskDefinition", "desiredCount", "placementConstraints", "placementStrategy", "deploymentConfiguration")


def validate(module):
    params = module.params
    if params["desired_count"] is not None and params["desired_count"] < 0:
        module.fail_json(msg=f"desired_count must be 0 or more, got {params['desired_count']}")
    for constraint in params["placement_constraints"] or []:
        if constraint["type"] == "memberOf" and not constraint.get("expression"):
            module.fail_json(msg="a memberOf placement constraint needs an expression, for example 'attribute:location == onprem'")
        if constraint["type"] == "distinctInstance" and constraint.get("expression"):
            module.fail_json(msg="a distinctInstance placement constraint takes no expression")
    for strategy in params["placement_strategy"] or []:
        if strategy["type"] in ("spread", "binpack") and not strategy.get("field"):
            module.fail_json(msg=f"a {strategy['type']} placement strategy needs a field")
    deployment = params["deployment_configuration"] or {}
    low, high = deployment.get("minimum_healthy_percent"), deployment.get("maximum_percent")
    if low is not None and not 0 <= low <= 100:
        module.fail_json(msg=f"deployment_configuration.minimum_healthy_percent must be between 0 and 100, got {low}")
    if high is not None and high < 100:
        module.fail_json(msg=f"deployment_configuration.maximum_percent must be at least 100, got {high}")


def resolve_task_definition(module, client):
    """ARN of the wanted task definition revision; None in check mode when it does not exist yet."""
    name = module.params["task_definition"]
    definition = describe_task_definition(client, name)
    if definition is None or definition.get("status") != "ACTIVE":
        problem = f"Task definition {name} has no ACTIVE revision"
        if module.check_mode:
            module.warn(f"{problem}; assuming an earlier task registers it")
            return None
        module.fail_json(msg=problem)
    if not task_definition_is_external(definition):
        module.fail_json(
            msg=f"Task definition {definition['taskDefinitionArn']} is not compatible with the EXTERNAL launch type; "
            "register it with hybridcloud.aws.ecs_external_task_definition"
        )
    return definition["taskDefinitionArn"]


def wanted_fields(module, client):
    """The managed fields the user asked for, in the API's shape; unset options are absent."""
    params = module.params
    task_definition = (resolve_task_definition(module, client) or params["task_definition"]) if params["task_definition"] else None
    return external_service_fields(params, task_definition)


def managed_view(service):
    return {field: service[field] for field in MANAGED if field in service} if service else {}


def to_result(service):
    if not service:
        return {}
    visible = {key: value for key, value in normalize_boto3_result(service).items() if key not in ("events", "tags")}
    result = snake_case_keys(visible)
    result["tags"] = ecs_tags_to_dict(service.get("tags"))
    return result


def create(module, client, wanted):
    params = module.params
    missing = [option for option, field in (("task_definition", "taskDefinition"), ("desired_count", "desiredCount")) if field not in wanted]
    if missing:
        module.fail_json(msg=f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} required to create service {params['name']}")
    request = dict(wanted, cluster=params["cluster"], serviceName=params["name"], launchType="EXTERNAL")
    if params["tags"]:
        request["tags"] = dict_to_ecs_tags(params["tags"])
    if module.check_mode:
        return dict(wanted, serviceName=params["name"], status="ACTIVE", launchType="EXTERNAL", tags=request.get("tags", []))
    return create_service(client, request)


def update(module, client, current, wanted):
    params = module.params
    if current.get("status") == "DRAINING":
        module.fail_json(msg=f"Service {params['name']} is being deleted (DRAINING); wait until it is gone before creating it again")
    if current.get("launchType") != "EXTERNAL":
        kind = current.get("launchType") or "a capacity provider strategy"
        module.fail_json(
            msg=f"Service {params['name']} in cluster {params['cluster']} uses {kind}, not the EXTERNAL launch type, "
            "and ECS cannot change that; delete it and create it again"
        )
    changes = external_service_changes(current, wanted)
    if changes and not module.check_mode:
        update_service(client, dict(changes, cluster=params["cluster"], service=params["name"]))
    current_tags = ecs_tags_to_dict(current.get("tags"))
    tags_changed, tags = sync_tags(client, current["serviceArn"], current_tags, params["tags"], params["purge_tags"], check_mode=module.check_mode)
    return bool(changes) or tags_changed, dict(current, **changes, tags=dict_to_ecs_tags(tags))


def remove(module, client, current, waits):
    params = module.params
    if current is None or current.get("status") == "DRAINING":
        return False
    if not module.check_mode:
        if current.get("desiredCount"):
            update_service(client, {"cluster": params["cluster"], "service": params["name"], "desiredCount": 0})
        delete_service(client, params["cluster"], params["name"])
        if params["wait"]:
            wait_for_service(client, params["cluster"], params["name"], params["wait_timeout"], gone=True, progress=waits)
    return True


def main():
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["service"]),
        cluster=dict(type="str", default="default"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        task_definition=dict(type="str"),
        desired_count=dict(type="int"),
        placement_constraints=dict(
            type="list",
            elements="dict",
            options=dict(type=dict(type="str", required=True, choices=["memberOf", "distinctInstance"]), expression=dict(type="str")),
        ),
        placement_strategy=dict(
            type="list",
            elements="dict",
            options=dict(type=dict(type="str", required=True, choices=["random", "spread", "binpack"]), field=dict(type="str")),
        ),
        deployment_configuration=dict(
            type="dict",
            options=dict(
                minimum_healthy_percent=dict(type="int"),
                maximum_percent=dict(type="int"),
                deployment_circuit_breaker=dict(type="dict", options=dict(enable=dict(type="bool", required=True), rollback=dict(type="bool", required=True))),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=600),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    params = module.params
    client = module.client("ecs")
    waits = Waits(module.log)

    try:
        current = describe_service(client, params["cluster"], params["name"])
        if params["state"] == "absent":
            changed, after = remove(module, client, current, waits), None
        else:
            wanted = wanted_fields(module, client)
            if current is None:
                changed, after = True, create(module, client, wanted)
            else:
                changed, after = update(module, client, current, wanted)
            if changed and not module.check_mode:
                if params["wait"]:
                    after = wait_for_service(client, params["cluster"], params["name"], params["wait_timeout"], progress=waits)
                else:
                    after = describe_service(client, params["cluster"], params["name"])
    except AnsibleECSError as e:
        waits.fail(module, e)

    diff = {"before": dict(managed_view(current), tags=ecs_tags_to_dict((current or {}).get("tags"))) if current else {}}
    diff["after"] = dict(managed_view(after), tags=ecs_tags_to_dict(after.get("tags"))) if after else {}
    module.exit_json(changed=changed, service=to_result(after), diff=diff, **waits.returned())


if __name__ == "__main__":
    main()
