#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ecs_capacity_provider_info
version_added: 0.1.0
short_description: Read ECS capacity providers, their Auto Scaling group and managed scaling
description:
  - Describes ECS capacity providers with C(DescribeCapacityProviders), the named ones or all of the account and
    region, with their tags.
  - Returns for each provider its status, the status of its last update, and for a provider backed by an Auto
    Scaling group the group's ARN, its managed scaling (status, target capacity, step sizes, warm-up),
    managed termination protection and managed draining.
  - Listing all providers includes the managed C(FARGATE) and C(FARGATE_SPOT) providers, which have no Auto
    Scaling group.
  - Only reads; never changes anything, also not in check mode. M(hybridcloud.aws.ecs_capacity_provider) manages
    the providers; no upstream module reads them.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  names:
    description:
      - Names or ARNs of the providers to read. Names that do not exist are left out of the result.
      - Empty or unset reads every provider of the account in the region.
    type: list
    elements: str
    default: []
    aliases: [name, capacity_providers]
  include_inactive:
    description:
      - Also return deleted providers, which ECS keeps visible with status C(INACTIVE) for a while.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the EC2 workers' capacity provider
  hybridcloud.aws.ecs_capacity_provider_info:
    names: [workers]
  register: providers

- name: Check that ECS manages the scaling of its Auto Scaling group
  ansible.builtin.assert:
    that:
      - providers.capacity_providers | length == 1
      - providers.capacity_providers[0].auto_scaling_group_provider.managed_scaling.status == 'ENABLED'
      - providers.capacity_providers[0].auto_scaling_group_provider.managed_scaling.target_capacity == 90

- name: Every capacity provider of the account, FARGATE and FARGATE_SPOT included
  hybridcloud.aws.ecs_capacity_provider_info:
  register: all_providers
"""

RETURN = r"""
capacity_providers:
  description: The capacity providers, in the order ECS answers (for O(names), the order asked).
  returned: always
  type: list
  elements: dict
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
      description: C(ACTIVE), or C(INACTIVE) for a deleted provider (only with O(include_inactive=true)).
      type: str
      sample: ACTIVE
    update_status:
      description: Status of the last create, update or delete, for example C(UPDATE_COMPLETE); absent before any.
      type: str
      sample: UPDATE_COMPLETE
    update_status_reason:
      description: Why the last update has its status, when ECS says.
      type: str
      sample: ""
    type:
      description: Kind of provider (C(EC2_AUTOSCALING), C(FARGATE), C(FARGATE_SPOT), C(MANAGED_INSTANCES)), when ECS says.
      type: str
      sample: EC2_AUTOSCALING
    auto_scaling_group_provider:
      description: The Auto Scaling group and how ECS manages it; absent for C(FARGATE) and C(FARGATE_SPOT).
      type: dict
      contains:
        auto_scaling_group_arn:
          description: ARN of the Auto Scaling group.
          type: str
          sample: "arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:5e0c...:autoScalingGroupName/prod-ecs-workers"
        managed_scaling:
          description: Managed scaling of the group by ECS.
          type: dict
          contains:
            status:
              description: C(ENABLED) or C(DISABLED).
              type: str
              sample: ENABLED
            target_capacity:
              description: Target utilisation of the group's capacity, in percent.
              type: int
              sample: 90
            minimum_scaling_step_size:
              description: Fewest instances added or removed at once.
              type: int
              sample: 1
            maximum_scaling_step_size:
              description: Most instances added or removed at once.
              type: int
              sample: 4
            instance_warmup_period:
              description: Seconds a new instance needs before it counts towards the group's metrics.
              type: int
              sample: 300
        managed_termination_protection:
          description: C(ENABLED) or C(DISABLED).
          type: str
          sample: ENABLED
        managed_draining:
          description: C(ENABLED) or C(DISABLED).
          type: str
          sample: ENABLED
    tags:
      description: Tags of the provider.
      type: dict
      sample: {"environment": "prod"}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import AnsibleECSError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import capacity_provider_result
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import describe_capacity_providers


def main():
    argument_spec = dict(
        names=dict(type="list", elements="str", default=[], aliases=["name", "capacity_providers"]),
        include_inactive=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    client = module.client("ecs")

    try:
        providers, failures = describe_capacity_providers(client, params["names"])
    except AnsibleECSError as e:
        module.fail_json_aws_error(e)

    for failure in failures:
        if failure.get("reason") != "MISSING":
            module.warn(f"ECS could not describe {failure.get('arn')}: {failure.get('reason')} {failure.get('detail') or ''}".strip())
    if not params["include_inactive"]:
        providers = [provider for provider in providers if provider.get("status") != "INACTIVE"]
    module.exit_json(changed=False, capacity_providers=[capacity_provider_result(provider) for provider in providers])


if __name__ == "__main__":
    main()
