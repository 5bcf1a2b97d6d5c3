#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: application_autoscaling_target
version_added: 0.1.0
short_description: Register Application Auto Scaling scalable targets (capacity limits of an ECS service and others)
description:
  - Registers, updates and deregisters a scalable target of Application Auto Scaling, for example the task count
    of an ECS service (O(service_namespace=ecs), O(scalable_dimension=ecs:service:DesiredCount)), with its minimum
    and maximum capacity, which scaling activities are suspended, and its tags.
  - Compares with C(DescribeScalableTargets) first and calls C(RegisterScalableTarget) only when a setting differs,
    so a second run changes nothing. Check mode makes no write call and reports what would change, with C(diff).
  - Deregistering a target also deletes its scaling policies and scheduled actions (AWS does that).
  - Why not upstream M(community.aws.application_autoscaling_policy) - it registers the scalable target as a side
    effect of writing a policy, and both happen even in check mode, so a check run changes the account and cannot
    report what would change. This module and M(hybridcloud.aws.application_autoscaling_scaling_policy) split the
    two and honour check mode.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  service_namespace:
    description:
      - Namespace of the AWS service that provides the resource, for example C(ecs), C(dynamodb) or C(lambda).
    required: true
    type: str
  resource_id:
    description:
      - Identifier of the resource, for an ECS service C(service/CLUSTER/SERVICE).
    required: true
    type: str
  scalable_dimension:
    description:
      - The scalable dimension, for an ECS service C(ecs:service:DesiredCount).
    required: true
    type: str
  state:
    description:
      - Whether the target should be registered.
    choices: [present, absent]
    default: present
    type: str
  min_capacity:
    description:
      - Lowest capacity scaling may set. Required to register a new target; unset keeps the current value.
    type: int
  max_capacity:
    description:
      - Highest capacity scaling may set. Required to register a new target; unset keeps the current value.
    type: int
  suspended_state:
    description:
      - Which scaling activities are suspended. Unset flags keep their current value (C(false) on a new target).
    type: dict
    suboptions:
      dynamic_scaling_in_suspended:
        description: Whether policies may not scale in.
        type: bool
      dynamic_scaling_out_suspended:
        description: Whether policies may not scale out.
        type: bool
      scheduled_scaling_suspended:
        description: Whether scheduled actions may not run.
        type: bool
  role_arn:
    description:
      - Role Application Auto Scaling uses for the target. Leave unset for services with a service-linked role
        (ECS among them); AWS then uses that role.
    type: str
notes:
  - Supports C(check_mode) and C(diff).
  - Tags are set with C(TagResource) on the target's ARN; a new target gets them when it is registered.
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
- name: Let auto scaling run the web service with 2 to 10 tasks
  hybridcloud.aws.application_autoscaling_target:
    service_namespace: ecs
    resource_id: service/prod/web
    scalable_dimension: ecs:service:DesiredCount
    min_capacity: 2
    max_capacity: 10
    tags:
      environment: prod

- name: Stop scaling in during a migration (limits unchanged)
  hybridcloud.aws.application_autoscaling_target:
    service_namespace: ecs
    resource_id: service/prod/web
    scalable_dimension: ecs:service:DesiredCount
    suspended_state:
      dynamic_scaling_in_suspended: true

- name: Stop auto scaling of the service (its policies go with the target)
  hybridcloud.aws.application_autoscaling_target:
    service_namespace: ecs
    resource_id: service/prod/web
    scalable_dimension: ecs:service:DesiredCount
    state: absent
"""

RETURN = r"""
scalable_target:
  description:
    - The scalable target after the change; empty when it is not registered.
    - In check mode, what the target would look like (without the values AWS fills in on registration).
  returned: always
  type: dict
  contains:
    service_namespace:
      description: Namespace of the service.
      type: str
      sample: ecs
    resource_id:
      description: Identifier of the resource.
      type: str
      sample: service/prod/web
    scalable_dimension:
      description: The scalable dimension.
      type: str
      sample: ecs:service:DesiredCount
    scalable_target_arn:
      description: ARN of the target.
      type: str
      sample: arn:aws:application-autoscaling:eu-central-1:123456789012:scalable-target/0ec5a6b3c2c64b1f8e5b6a1c2d3e4f5a6b7c
    min_capacity:
      description: Lowest capacity.
      type: int
      sample: 2
    max_capacity:
      description: Highest capacity.
      type: int
      sample: 10
    suspended_state:
      description: Which scaling activities are suspended.
      type: dict
      sample: {"dynamic_scaling_in_suspended": false, "dynamic_scaling_out_suspended": false, "scheduled_scaling_suspended": false}
    role_arn:
      description: Role Application Auto Scaling uses for the target.
      type: str
      sample: arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService
    creation_time:
      description: When the target was registered.
      type: str
      sample: "2026-05-04T10:11:12.123000+00:00"
    tags:
      description: Tags of the target.
      type: dict
      sample: {"environment": "prod"}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import AnsibleApplicationAutoScalingError
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import deregister_scalable_target
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import describe_scalable_target
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import list_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import planned_target_settings
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import register_scalable_target
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import scalable_target_result
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import sync_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import target_key

SUSPENDED_OPTIONS = {
    "dynamic_scaling_in_suspended": "DynamicScalingInSuspended",
    "dynamic_scaling_out_suspended": "DynamicScalingOutSuspended",
    "scheduled_scaling_suspended": "ScheduledScalingSuspended",
}


def wanted_settings(params):
    """The settings the user asked for, in the API's shape; options left unset are absent."""
    wanted = {}
    if params["min_capacity"] is not None:
        wanted["MinCapacity"] = params["min_capacity"]
    if params["max_capacity"] is not None:
        wanted["MaxCapacity"] = params["max_capacity"]
    suspended = {key: (params["suspended_state"] or {}).get(option) for option, key in SUSPENDED_OPTIONS.items()}
    suspended = {key: value for key, value in suspended.items() if value is not None}
    if suspended:
        wanted["SuspendedState"] = suspended
    if params["role_arn"]:
        wanted["RoleARN"] = params["role_arn"]
    return wanted


def validate(module, current, after):
    params = module.params
    for option in ("min_capacity", "max_capacity"):
        if params[option] is not None and params[option] < 0:
            module.fail_json(msg=f"{option} must not be negative, got {params[option]}")
    if current is None and (params["min_capacity"] is None or params["max_capacity"] is None):
        module.fail_json(msg=f"min_capacity and max_capacity are required to register the new scalable target {params['resource_id']}")
    if after["MinCapacity"] > after["MaxCapacity"]:
        module.fail_json(msg=f"min_capacity ({after['MinCapacity']}) must not exceed max_capacity ({after['MaxCapacity']})")


def ensure_present(module, client, key, current, current_tags):
    """Returns (changed, target after, tags after); in check mode both afters are the plan."""
    params = module.params
    changes, after = planned_target_settings(current, wanted_settings(params))
    validate(module, current, after)

    if current is None:
        tags = params["tags"] or {}
        if not module.check_mode:
            register_scalable_target(client, key, changes, tags=tags)
            return True, None, None
        return True, dict(key, **after), tags

    if changes and not module.check_mode:
        register_scalable_target(client, key, changes)
    arn = current.get("ScalableTargetARN")
    if arn:
        tags_changed, tags = sync_tags(client, arn, current_tags, params["tags"], params["purge_tags"], check_mode=module.check_mode)
    else:  # a target described without an ARN cannot be tagged; only happens with old endpoints
        tags_changed, tags = False, current_tags
    changed = bool(changes) or tags_changed
    if module.check_mode or not changed:
        return changed, dict(current, **after), tags
    return changed, None, None


def main():
    argument_spec = dict(
        service_namespace=dict(type="str", required=True),
        resource_id=dict(type="str", required=True),
        scalable_dimension=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        min_capacity=dict(type="int"),
        max_capacity=dict(type="int"),
        suspended_state=dict(
            type="dict",
            options=dict(
                dynamic_scaling_in_suspended=dict(type="bool"),
                dynamic_scaling_out_suspended=dict(type="bool"),
                scheduled_scaling_suspended=dict(type="bool"),
            ),
        ),
        role_arn=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    client = module.client("application-autoscaling")
    key = target_key(params)

    try:
        current = describe_scalable_target(client, key)
        current_tags = list_tags(client, current["ScalableTargetARN"]) if current and current.get("ScalableTargetARN") else {}
        before = scalable_target_result(current, current_tags)
        if params["state"] == "absent":
            changed = current is not None
            if changed and not module.check_mode:
                deregister_scalable_target(client, key)
            after = {}
        else:
            changed, planned, planned_tags_after = ensure_present(module, client, key, current, current_tags)
            if planned is None:
                found = describe_scalable_target(client, key)
                after = scalable_target_result(found, list_tags(client, found["ScalableTargetARN"]) if found and found.get("ScalableTargetARN") else {})
            else:
                after = scalable_target_result(planned, planned_tags_after)
    except AnsibleApplicationAutoScalingError as e:
        module.fail_json_aws_error(e)

    module.exit_json(changed=changed, scalable_target=after, diff={"before": before, "after": after})


if __name__ == "__main__":
    main()
