#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ecs_capacity_provider
version_added: 0.1.0
short_description: Manage ECS capacity providers backed by an Auto Scaling group
description:
  - Creates, updates and deletes an Amazon ECS capacity provider that scales an EC2 Auto Scaling group
    (managed scaling, managed termination protection, managed draining), with its tags.
  - The Auto Scaling group of an existing provider cannot be changed by ECS; the module fails when asked to,
    and the provider has to be deleted and created again.
  - A provider still associated with a cluster cannot be deleted; remove it from the cluster first
    (for example with M(community.aws.ecs_cluster) and its I(capacity_providers)).
  - Upstream M(community.aws.ecs_cluster) only associates existing capacity providers with a cluster;
    no upstream module creates or updates the providers themselves, hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  name:
    description:
      - Name of the capacity provider. Names starting with C(aws), C(ecs) or C(fargate) are reserved.
    required: true
    type: str
  state:
    description:
      - Whether the capacity provider should exist.
    choices: [present, absent]
    default: present
    type: str
  auto_scaling_group:
    description:
      - Name or ARN of the Auto Scaling group the provider scales. A name is resolved to its ARN.
      - Required to create a provider. For an existing provider it must name the group the provider already uses.
    type: str
    aliases: [auto_scaling_group_arn, auto_scaling_group_name]
  managed_scaling:
    description:
      - Managed scaling of the Auto Scaling group by ECS. Unset fields keep their current value (ECS defaults on creation).
    type: dict
    suboptions:
      status:
        description: Whether ECS manages the scaling of the group.
        choices: [enabled, disabled]
        type: str
      target_capacity:
        description: Target utilisation of the group's capacity, in percent (1 to 100).
        type: int
      minimum_scaling_step_size:
        description: Fewest instances added or removed at once (1 to 10000).
        type: int
      maximum_scaling_step_size:
        description: Most instances added or removed at once (1 to 10000).
        type: int
      instance_warmup_period:
        description: Seconds a new instance needs before it counts towards the group's metrics (0 to 10000).
        type: int
  managed_termination_protection:
    description:
      - Whether ECS protects instances that run tasks from scale-in. Needs managed scaling enabled and
        scale-in protection on the Auto Scaling group.
    choices: [enabled, disabled]
    type: str
  managed_draining:
    description:
      - Whether ECS drains the tasks of an instance before the Auto Scaling group terminates it.
    choices: [enabled, disabled]
    type: str
  wait:
    description:
      - Wait until the provider's creation, update or deletion is complete (C(UPDATE_COMPLETE) after an update).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait.
    type: int
    default: 300
notes:
  - Supports C(check_mode) and C(diff).
  - CreateCapacityProvider has no client token, so the module never lets botocore or AWSRetry repeat it; only a
    throttled (refused) create is retried. After a failure that may have created the provider (a 5xx, a lost answer),
    the module describes the provider by its name before it creates anything again.
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
- name: Let ECS scale the EC2 workers' Auto Scaling group to 90 % of its capacity
  hybridcloud.aws.ecs_capacity_provider:
    name: workers
    auto_scaling_group: prod-ecs-workers
    managed_scaling:
      status: enabled
      target_capacity: 90
      maximum_scaling_step_size: 4
    managed_termination_protection: enabled
    managed_draining: enabled
    tags:
      environment: prod

- name: Associate the provider with the cluster (upstream module)
  community.aws.ecs_cluster:
    name: prod
    state: present
    capacity_providers: [workers]
    capacity_provider_strategy:
      - capacity_provider: workers
        weight: 1

- name: Delete the provider (after removing it from every cluster)
  hybridcloud.aws.ecs_capacity_provider:
    name: workers
    state: absent
"""

RETURN = r"""
capacity_provider:
  description:
    - The capacity provider after the change; empty when it does not exist.
    - In check mode, what the provider would look like (without the values ECS would fill in).
  returned: always
  type: dict
  contains:
    name:
      description: Name of the provider.
      type: str
      sample: workers
    capacity_provider_arn:
      description: ARN of the provider.
      type: str
      sample: arn:aws:ecs:eu-west-1:123456789012:capacity-provider/workers
    status:
      description: C(ACTIVE) or C(INACTIVE).
      type: str
      sample: ACTIVE
    update_status:
      description: Status of the last update, for example C(UPDATE_COMPLETE).
      type: str
      sample: UPDATE_COMPLETE
    auto_scaling_group_provider:
      description: The Auto Scaling group, its managed scaling and its protection settings.
      type: dict
      sample:
        auto_scaling_group_arn: "arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:5e0c...:autoScalingGroupName/prod-ecs-workers"
        managed_scaling: {status: ENABLED, target_capacity: 90, minimum_scaling_step_size: 1, maximum_scaling_step_size: 4,
                          instance_warmup_period: 300}
        managed_termination_protection: ENABLED
        managed_draining: ENABLED
    tags:
      description: Tags of the provider.
      type: dict
      sample: {"environment": "prod"}
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
      sample: capacity provider workers to be ready
    seconds:
      description: Seconds from the start of the wait to its last poll.
      type: float
      sample: 20.0
    polls:
      description: How many times the module read the resource.
      type: int
      sample: 3
    states:
      description: What the polls saw, in order; consecutive polls that saw the same state are one entry.
      type: list
      elements: dict
      contains:
        state:
          description: Status and update status of the provider, for example C(ACTIVE UPDATE_IN_PROGRESS), C(deleted) once it is gone.
          type: str
        seconds:
          description: Seconds from the start of the wait to the first poll of this entry.
          type: float
        polls:
          description: How many consecutive polls saw this state.
          type: int
      sample: [{state: ACTIVE UPDATE_IN_PROGRESS, seconds: 0.0, polls: 2}, {state: ACTIVE UPDATE_COMPLETE, seconds: 20.0, polls: 1}]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.hybridcloud.aws.plugins.module_utils.create_once import single_attempt_client
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import AnsibleECSError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import auto_scaling_group_name
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import create_capacity_provider
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import delete_capacity_provider
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import describe_capacity_provider
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import dict_to_ecs_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import ecs_tags_to_dict
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import get_auto_scaling_group_arn
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import merged_settings
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import sync_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import update_capacity_provider
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import wanted_settings
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import wait_for_capacity_provider
from ansible_collections.hybridcloud.aws.plugins.module_utils.waiting import Waits

SCALING_LIMITS = {
    "target_capacity": (1, 100),
    "minimum_scaling_step_size": (1, 10000),
    "maximum_scaling_step_size": (1, 10000),
    "instance_warmup_period": (0, 10000),
}
RESERVED_PREFIXES = ("aws", "ecs", "fargate")


def validate(module):
    params = module.params
    if params["name"].lower().startswith(RESERVED_PREFIXES):
        module.fail_json(msg=f"name must not start with aws, ecs or fargate (reserved by ECS), got {params['name']}")
    scaling = params["managed_scaling"] or {}
    for option, (low, high) in SCALING_LIMITS.items():
        value = scaling.get(option)
        if value is not None and not low <= value <= high:
            module.fail_json(msg=f"managed_scaling.{option} must be between {low} and {high}, got {value}")
    low, high = scaling.get("minimum_scaling_step_size"), scaling.get("maximum_scaling_step_size")
    if low is not None and high is not None and low > high:
        module.fail_json(msg="managed_scaling.minimum_scaling_step_size must not exceed maximum_scaling_step_size")


def resolve_group_arn(module):
    group = module.params["auto_scaling_group"]
    if group.startswith("arn:"):
        return group
    arn = get_auto_scaling_group_arn(module.client("autoscaling"), group)
    if arn is None:
        module.fail_json(msg=f"Auto Scaling group {group} does not exist")
    return arn


def check_same_group(module, current):
    asked = module.params["auto_scaling_group"]
    if not asked:
        return
    current_arn = current["autoScalingGroupProvider"]["autoScalingGroupArn"]
    same = asked == current_arn if asked.startswith("arn:") else asked == auto_scaling_group_name(current_arn)
    if not same:
        module.fail_json(
            msg=f"Capacity provider {current['name']} uses Auto Scaling group {auto_scaling_group_name(current_arn)}; ECS cannot change "
            f"the group of a provider. Delete the provider and create it again to use {auto_scaling_group_name(asked)}."
        )


def to_result(provider):
    if not provider:
        return {}
    result = camel_dict_to_snake_dict({key: value for key, value in provider.items() if key != "tags"})
    result["tags"] = ecs_tags_to_dict(provider.get("tags"))
    return result


def ensure_present(module, client, current):
    params = module.params
    wanted = wanted_settings(params)
    if current is None:
        if not params["auto_scaling_group"]:
            module.fail_json(msg=f"auto_scaling_group is required to create capacity provider {params['name']}")
        asg_provider = dict(wanted, autoScalingGroupArn=resolve_group_arn(module))
        if module.check_mode:
            return True, {"name": params["name"], "status": "ACTIVE", "autoScalingGroupProvider": asg_provider, "tags": dict_to_ecs_tags(params["tags"])}
        create_capacity_provider(client, params["name"], asg_provider, params["tags"], create_client=single_attempt_client(module, "ecs"))
        return True, None

    check_same_group(module, current)
    asg_provider = current["autoScalingGroupProvider"]
    merged = merged_settings(asg_provider, wanted)
    settings_changed = merged != {key: value for key, value in asg_provider.items() if key != "autoScalingGroupArn"}
    if settings_changed and not module.check_mode:
        update_capacity_provider(client, params["name"], merged)
    current_tags = ecs_tags_to_dict(current.get("tags"))
    tags_changed, tags = sync_tags(client, current["capacityProviderArn"], current_tags, params["tags"], params["purge_tags"], check_mode=module.check_mode)
    if module.check_mode:
        expected = dict(current, autoScalingGroupProvider=dict(merged, autoScalingGroupArn=asg_provider["autoScalingGroupArn"]))
        return settings_changed or tags_changed, dict(expected, tags=dict_to_ecs_tags(tags))
    return settings_changed or tags_changed, None


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        auto_scaling_group=dict(type="str", aliases=["auto_scaling_group_arn", "auto_scaling_group_name"]),
        managed_scaling=dict(
            type="dict",
            options=dict(
                status=dict(type="str", choices=["enabled", "disabled"]),
                target_capacity=dict(type="int"),
                minimum_scaling_step_size=dict(type="int"),
                maximum_scaling_step_size=dict(type="int"),
                instance_warmup_period=dict(type="int"),
            ),
        ),
        managed_termination_protection=dict(type="str", choices=["enabled", "disabled"]),
        managed_draining=dict(type="str", choices=["enabled", "disabled"]),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    params = module.params
    client = module.client("ecs")
    waits = Waits(module.log)

    try:
        current = describe_capacity_provider(client, params["name"])
        if params["state"] == "absent":
            changed, after = current is not None, None
            if changed and not module.check_mode:
                delete_capacity_provider(client, params["name"])
                if params["wait"]:
                    wait_for_capacity_provider(client, params["name"], params["wait_timeout"], gone=True, progress=waits)
        else:
            changed, after = ensure_present(module, client, current)
            if after is None:
                if changed and params["wait"]:
                    after = wait_for_capacity_provider(client, params["name"], params["wait_timeout"], progress=waits)
                else:
                    after = describe_capacity_provider(client, params["name"]) if changed else current
    except AnsibleECSError as e:
        waits.fail(module, e)

    before_view, after_view = to_result(current), to_result(after)
    module.exit_json(changed=changed, capacity_provider=after_view, diff={"before": before_view, "after": after_view}, **waits.returned())


if __name__ == "__main__":
    main()
