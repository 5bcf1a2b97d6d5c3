# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.parsing.convert_bool import boolean

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: ecs_services_writes
short_description: Which write modules the role C(hybridcloud.aws.ecs_services) must run, from one read of its layer
version_added: 0.1.0
description:
  - Compares what M(hybridcloud.aws.ecs_services_layer_info) read with what the role wants and says, for each write
    task of the role, what differs; an empty list means the write module would change nothing and need not run. Each
    part is compared as its write module compares it.
  - C(execution_role) and C(task_roles) - M(amazon.aws.iam_role) - V(missing), V(description), V(assume_role_policy),
    V(managed_policies), V(tags) (the comparison of the filter C(hybridcloud.aws.ecs_cluster_writes)).
  - C(execution_policy) and C(task_role_policies) - M(amazon.aws.iam_policy) - V(missing) or V(policy); V(present) for
    a task role's policy that must go (the service declares none).
  - C(task_definitions) - M(community.aws.ecs_taskdefinition) or M(hybridcloud.aws.ecs_external_task_definition) -
    V(missing) or V(definition), compared as M(hybridcloud.aws.ecs_external_task_definition) compares, with the roles'
    ARNs as read (a role that does not exist yet by the ARN it will have); an EC2 service's running revision, when it is
    not the latest and matches, needs none (M(community.aws.ecs_taskdefinition) would reuse it).
  - C(services) - M(community.aws.ecs_service) (its C(is_matching_service) rule) or
    M(hybridcloud.aws.ecs_external_service) (its managed fields and tags) - V(missing) or the fields that differ; a
    service whose task definition gets a new revision differs in V(task_definition).
  - C(scalable_targets), C(scaling_policies) and C(policy_arns) - the filter C(hybridcloud.aws.ecs_services_scaling_changes).
  - C(alarms) - M(amazon.aws.cloudwatch_metric_alarm) - V(missing) or the parameters that differ; V(alarm_actions)
    when its step scaling policy does not exist yet.
positional: wanted
options:
  _input:
    description: What M(hybridcloud.aws.ecs_services_layer_info) returned.
    type: dict
    required: true
  wanted:
    description: What the role wants.
    type: dict
    required: true
    suboptions:
      plan:
        description: The services, as P(hybridcloud.aws.ecs_services_plan#filter) returns them.
        type: list
        elements: dict
      tags:
        description: The tags of every resource.
        type: dict
      role_arn_prefix:
        description: C(arn:PARTITION:iam::ACCOUNT:role/), the ARN of a role that does not exist yet without its name.
        type: str
      execution_role:
        description: C(name), C(description), C(assume_role_policy_document) and C(managed_policies) of the execution role.
        type: dict
      execution_policy:
        description: C(name) and C(document) of the execution role's inline policy; no C(document), no policy.
        type: dict
      task_role:
        description: C(assume_role_policy_document) and C(policy_name) (the inline policy) of the task roles.
        type: dict
      ec2_service:
        description: C(propagate_tags) and C(health_check_grace_period_seconds) of the EC2 services (M(community.aws.ecs_service)).
        type: dict
      external_service:
        description: C(placement_strategy) and C(deployment_configuration) of the on-premises services.
        type: dict
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Decide which writes the ECS services layer needs
  ansible.builtin.set_fact:
    ecs_services_writes: "{{ ecs_services_layer | hybridcloud.aws.ecs_services_writes(ecs_services_wanted) }}"
"""

RETURN = r"""
_value:
  description: For each write task, what differs (an empty list when nothing does), and the ARNs of what exists.
  type: dict
  contains:
    execution_role:
      description: What differs on the execution role.
      type: list
      elements: str
    execution_policy:
      description: What differs on the execution role's inline policy.
      type: list
      elements: str
    task_roles:
      description: Service name to what differs on its task role (services that name a role of their own are left out).
      type: dict
    task_role_policies:
      description: Service name to what differs on its task role's inline policy.
      type: dict
    task_definitions:
      description: Service name to what differs on its task definition family's latest revision.
      type: dict
    services:
      description: Service name to what differs on the service.
      type: dict
    scalable_targets:
      description: Names of the services whose scalable target is missing or differs.
      type: list
      elements: str
    scaling_policies:
      description: Names of the scaling policies that are missing or differ.
      type: list
      elements: str
    policy_arns:
      description: Scaling policy name to ARN, for the policies that exist.
      type: dict
    alarms:
      description: Service name to what differs on the CPU alarm of its step scaling policy.
      type: dict
    execution_role_arn:
      description: The execution role's ARN as read; empty when it does not exist.
      type: str
    task_role_arns:
      description: Service name to its task role's ARN (the one it names, or as read; left out when it does not exist).
      type: dict
    task_definition_arns:
      description: Service name to the ARN of its family's latest revision, for the families that need no new one.
      type: dict
    service_arns:
      description: Service name to ARN, for the services that exist.
      type: dict
  sample:
    execution_role: []
    execution_policy: []
    task_roles: {web: []}
    task_role_policies: {web: []}
    task_definitions: {web: [definition]}
    services: {web: [task_definition]}
    scalable_targets: []
    scaling_policies: []
    policy_arns: {}
    alarms: {}
    execution_role_arn: "arn:aws:iam::123456789012:role/hybridcloud-task-execution"
    task_role_arns: {web: "arn:aws:iam::123456789012:role/hybridcloud-web-task"}
    task_definition_arns: {}
    service_arns: {web: "arn:aws:ecs:us-east-1:123456789012:service/hybridcloud/web"}
"""


def task_role_policy_differences(role, service, policy_name):
    """amazon.aws.iam_policy with state present when the service declares task_role_policy, else absent."""
    from ansible_collections.hybridcloud.aws.plugins.module_utils.iam_role import inline_policy_differences

    if service.get("task_role_policy"):
        return inline_policy_differences(role, {"name": policy_name, "document": service["task_role_policy"]})
    return ["present"] if policy_name in ((role or {}).get("inline_policies") or {}) else []


def ec2_service_params(service, task_definition_arn, tags, options):
    """The community.aws.ecs_service options the role's task passes (tasks/services.yml), as the module types them."""
    target_group_arn = service.get("target_group_arn")
    grace = options.get("health_check_grace_period_seconds")
    return {
        "task_definition": (task_definition_arn or "").split("/")[-1],
        "desired_count": int(service["desired_count"]),
        "load_balancers": (
            [{"targetGroupArn": target_group_arn, "containerName": service["name"], "containerPort": int(service["container_port"])}]
            if target_group_arn
            else []
        ),
        "health_check_grace_period_seconds": int(grace) if target_group_arn and grace is not None else None,
        "propagate_tags": options.get("propagate_tags"),
        "tags": {key: str(value) for key, value in (tags or {}).items()},
        "enable_execute_command": None,
        "scheduling_strategy": None,
    }


def _deployment_options(deployment):
    """deployment_configuration as hybridcloud.aws.ecs_external_service's argument spec types it."""
    if not deployment:
        return None
    typed = {key: int(deployment[key]) if deployment.get(key) is not None else None for key in ("minimum_healthy_percent", "maximum_percent")}
    breaker = deployment.get("deployment_circuit_breaker")
    typed["deployment_circuit_breaker"] = (
        {"enable": boolean(breaker["enable"], strict=False), "rollback": boolean(breaker["rollback"], strict=False)} if breaker else None
    )
    return typed


def external_service_differences(current, service, task_definition_arn, tags, options):
    """hybridcloud.aws.ecs_external_service's comparison: its managed fields (module_utils.ecs) and tags (purged)."""
    from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import external_service_changes, external_service_fields
    from ansible_collections.hybridcloud.aws.plugins.module_utils.iam_role import tags_differ

    if current.get("launchType") != "EXTERNAL":
        # The module refuses such a service; running it shows why.
        return ["launch_type"]
    wanted = external_service_fields(
        {
            "desired_count": int(service["desired_count"]),
            "placement_constraints": service.get("placement_constraints"),
            "placement_strategy": options.get("placement_strategy"),
            "deployment_configuration": _deployment_options(options.get("deployment_configuration")),
        },
        task_definition_arn,
    )
    differences = sorted(external_service_changes(current, wanted))
    if tags_differ(current.get("tags"), tags):
        differences.append("tags")
    return differences


def ecs_services_writes(layer, wanted):
    # Each comparison is the one its write module makes, kept once: the IAM role and inline policy as the ecs_cluster
    # layer compares them, the services, task definitions, scaling and alarms from module_utils.
    from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import ec2_service_differences, task_definition_differs
    from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs_services_layer import metric_alarm_differences
    from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs_services_plan import plain, scaling_changes, wanted_task_definition
    from ansible_collections.hybridcloud.aws.plugins.module_utils.iam_role import inline_policy_differences, role_differences

    layer, wanted = plain(layer or {}), plain(wanted)
    plan, tags = wanted.get("plan") or [], wanted.get("tags") or {}
    roles = layer.get("roles") or {}
    prefix = wanted.get("role_arn_prefix") or ""

    def role_arn(name):
        # A role that does not exist yet will have this ARN once written (the role gives it no path).
        return (roles.get(name) or {}).get("arn") or prefix + name

    execution = wanted["execution_role"]
    execution_role = roles.get(execution["name"]) or {}
    policy = wanted.get("execution_policy") or {}
    result = {
        "execution_role": role_differences(execution_role, dict(execution, tags=tags)),
        "execution_policy": inline_policy_differences(execution_role, policy) if policy.get("document") else [],
        "task_roles": {},
        "task_role_policies": {},
        "task_definitions": {},
        "services": {},
        "alarms": {},
        "execution_role_arn": execution_role.get("arn", ""),
        "task_role_arns": {},
        "task_definition_arns": {},
        "service_arns": {},
    }
    task_role = wanted.get("task_role") or {}
    latest = {found["family"]: found for found in layer.get("task_definitions") or []}
    services = {found["serviceName"]: found for found in layer.get("services") or []}
    running = {found["task_definition_arn"]: found for found in layer.get("running_task_definitions") or []}
    for service in plan:
        name = service["name"]
        if service.get("task_role_arn"):
            task_role_arn = service["task_role_arn"]
            result["task_role_arns"][name] = task_role_arn
        else:
            current_role = roles.get(service["task_role_name"]) or {}
            role_wanted = {
                "description": service["task_role_description"],
                "assume_role_policy_document": task_role["assume_role_policy_document"],
                "managed_policies": service.get("task_role_managed_policies") or [],
                "tags": tags,
            }
            result["task_roles"][name] = role_differences(current_role, role_wanted)
            result["task_role_policies"][name] = task_role_policy_differences(current_role, service, task_role.get("policy_name", "task"))
            task_role_arn = role_arn(service["task_role_name"])
            if current_role:
                result["task_role_arns"][name] = current_role["arn"]

        current = services.get(name)
        found = latest.get(name)
        definition = wanted_task_definition(service, role_arn(execution["name"]), task_role_arn)
        # community.aws.ecs_taskdefinition (EC2) reuses an ACTIVE revision that matches: the one the service runs
        # when it is not the latest; hybridcloud.aws.ecs_external_task_definition compares with the latest only.
        in_use = running.get((current or {}).get("taskDefinition")) if service["placement"] != "external" else None
        if in_use is not None and not task_definition_differs(in_use.get("comparable"), definition):
            result["task_definitions"][name] = []
            result["task_definition_arns"][name] = in_use["task_definition_arn"]
        elif found is None:
            result["task_definitions"][name] = ["missing"]
        elif task_definition_differs(found.get("comparable"), definition):
            result["task_definitions"][name] = ["definition"]
        else:
            result["task_definitions"][name] = []
            result["task_definition_arns"][name] = found["task_definition_arn"]

        definition_arn = result["task_definition_arns"].get(name, "")
        if current is None:
            result["services"][name] = ["missing"]
            continue
        result["service_arns"][name] = current["serviceArn"]
        if service["placement"] == "external":
            differences = external_service_differences(current, service, definition_arn, tags, wanted.get("external_service") or {})
        else:
            differences = ec2_service_differences(ec2_service_params(service, definition_arn, tags, wanted.get("ec2_service") or {}), current)
        # A new revision is written in this run: the service then moves to it.
        if not definition_arn and "task_definition" not in differences and "taskDefinition" not in differences:
            differences.append("task_definition")
        result["services"][name] = differences

    scaling = scaling_changes(plan, layer, tags)
    result.update(scalable_targets=scaling["targets"], scaling_policies=scaling["policies"], policy_arns=scaling["policy_arns"])
    alarms = layer.get("alarms") or {}
    for service in plan:
        step = (service.get("policies") or {}).get("cpu_step")
        if not service.get("autoscaling") or not step:
            continue
        policy_arn = result["policy_arns"].get(step["policy_name"])
        if policy_arn:
            result["alarms"][service["name"]] = metric_alarm_differences(alarms.get(step["alarm"]["name"]), dict(step["alarm"], alarm_actions=[policy_arn]))
        else:
            # The policy is written in this run; its ARN, which the alarm acts through, is known only then.
            result["alarms"][service["name"]] = ["missing"] if step["alarm"]["name"] not in alarms else ["alarm_actions"]
    return result


class FilterModule:
    def filters(self):
        return {"ecs_services_writes": ecs_services_writes}
