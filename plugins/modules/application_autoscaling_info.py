#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: application_autoscaling_info
version_added: 0.1.0
short_description: Read many Application Auto Scaling scalable targets and scaling policies at once
description:
  - Reads the scalable targets and the scaling policies of a service namespace, or only those of the given
    resources, in few calls (C(DescribeScalableTargets) per 50 resources, C(DescribeScalingPolicies) paged, and with
    O(include_tags) one C(ListTagsForResource) per target), in the shape that
    M(hybridcloud.aws.application_autoscaling_target) and M(hybridcloud.aws.application_autoscaling_scaling_policy)
    return.
  - Meant for plays that manage the scaling of many resources and want to call those modules only for the targets
    and policies that differ from what they want, instead of once per target and policy.
  - C(DescribeScalingPolicies) filters by one resource at most; with several O(resource_ids) the module reads the
    namespace's policies (narrowed by O(policy_names) when given) and keeps those of O(resource_ids).
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  service_namespace:
    description:
      - Namespace of the AWS service, for example C(ecs).
    required: true
    type: str
  resource_ids:
    description:
      - Identifiers of the resources to read, for ECS services C(service/CLUSTER/SERVICE).
      - Unset reads every resource of the namespace; an empty list reads nothing.
    type: list
    elements: str
  scalable_dimension:
    description:
      - Only targets and policies of this dimension, for example C(ecs:service:DesiredCount).
    type: str
  policy_names:
    description:
      - Only the scaling policies with these names. Unset reads every policy of the resources.
    type: list
    elements: str
  include_policies:
    description:
      - Also read the scaling policies.
    type: bool
    default: true
  include_tags:
    description:
      - Also return the tags of each scalable target. This costs one C(ListTagsForResource) call per target.
    type: bool
    default: false
notes:
  - Supports C(check_mode); the module changes nothing.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the targets (with tags) and policies of two ECS services
  hybridcloud.aws.application_autoscaling_info:
    service_namespace: ecs
    resource_ids:
      - service/prod/web
      - service/prod/worker
    scalable_dimension: ecs:service:DesiredCount
    include_tags: true
  register: scaling

- name: Register only the targets whose limits or tags differ
  hybridcloud.aws.application_autoscaling_target:
    service_namespace: ecs
    resource_id: "{{ item.resource_id }}"
    scalable_dimension: ecs:service:DesiredCount
    min_capacity: "{{ item.min }}"
    max_capacity: "{{ item.max }}"
    tags: "{{ tags }}"
  loop: "{{ services }}"
  when: >-
    current is none or current.min_capacity != item.min or current.max_capacity != item.max or current.tags != tags
  vars:
    current: "{{ scaling.scalable_targets | selectattr('resource_id', 'eq', item.resource_id) | first | default(None) }}"
"""

RETURN = r"""
scalable_targets:
  description: The scalable targets found, sorted by resource and dimension.
  returned: always
  type: list
  elements: dict
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
    creation_time:
      description: When the target was registered.
      type: str
      sample: "2026-05-04T10:11:12.123000+00:00"
    tags:
      description: Tags of the target.
      type: dict
      returned: when O(include_tags=true)
      sample: {"environment": "prod"}
scaling_policies:
  description: The scaling policies found, sorted by resource and name; empty with O(include_policies=false).
  returned: always
  type: list
  elements: dict
  contains:
    policy_name:
      description: Name of the policy.
      type: str
      sample: web-cpu-target
    policy_arn:
      description: ARN of the policy.
      type: str
    policy_type:
      description: C(TargetTrackingScaling) or C(StepScaling).
      type: str
    service_namespace:
      description: Namespace of the scalable target.
      type: str
    resource_id:
      description: Resource of the scalable target.
      type: str
    scalable_dimension:
      description: Dimension of the scalable target.
      type: str
    target_tracking_scaling_policy_configuration:
      description: The target tracking configuration (target tracking policies), in the option names of
        M(hybridcloud.aws.application_autoscaling_scaling_policy).
      type: dict
      sample: {"predefined_metric_specification": {"predefined_metric_type": "ECSServiceAverageCPUUtilization"}, "target_value": 60.0,
               "scale_in_cooldown": 300, "scale_out_cooldown": 60}
    step_scaling_policy_configuration:
      description: The step scaling configuration (step scaling policies), in the option names of
        M(hybridcloud.aws.application_autoscaling_scaling_policy).
      type: dict
      sample: {"adjustment_type": "ChangeInCapacity", "cooldown": 60, "metric_aggregation_type": "Average",
               "step_adjustments": [{"metric_interval_lower_bound": 0.0, "metric_interval_upper_bound": 15.0, "scaling_adjustment": 2}]}
    alarms:
      description: The CloudWatch alarms a target tracking policy created for itself.
      type: list
      elements: dict
    creation_time:
      description: When the policy was created.
      type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import AnsibleApplicationAutoScalingError
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import describe_scalable_targets
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import describe_scaling_policies
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import list_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import scalable_target_result
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import scaling_policy_result


def read_targets(client, params):
    targets = describe_scalable_targets(client, params["service_namespace"], params["resource_ids"], params["scalable_dimension"])
    results = []
    for target in sorted(targets, key=lambda found: (found.get("ResourceId", ""), found.get("ScalableDimension", ""))):
        tags = list_tags(client, target["ScalableTargetARN"]) if params["include_tags"] and target.get("ScalableTargetARN") else {}
        result = scalable_target_result(target, tags)
        if not params["include_tags"]:
            result.pop("tags", None)
        results.append(result)
    return results


def read_policies(client, params):
    if not params["include_policies"] or params["policy_names"] == []:
        return []
    policies = describe_scaling_policies(client, params["service_namespace"], params["resource_ids"], params["scalable_dimension"], params["policy_names"])
    ordered = sorted(policies, key=lambda found: (found.get("ResourceId", ""), found.get("PolicyName", "")))
    return [scaling_policy_result(policy) for policy in ordered]


def main():
    argument_spec = dict(
        service_namespace=dict(type="str", required=True),
        resource_ids=dict(type="list", elements="str"),
        scalable_dimension=dict(type="str"),
        policy_names=dict(type="list", elements="str"),
        include_policies=dict(type="bool", default=True),
        include_tags=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if any(not resource_id for resource_id in params["resource_ids"] or []):
        module.fail_json(msg="resource_ids must not contain empty identifiers")

    targets, policies = [], []
    if params["resource_ids"] != []:
        client = module.client("application-autoscaling")
        try:
            targets = read_targets(client, params)
            policies = read_policies(client, params)
        except AnsibleApplicationAutoScalingError as e:
            module.fail_json_aws_error(e)

    module.exit_json(changed=False, scalable_targets=targets, scaling_policies=policies)


if __name__ == "__main__":
    main()
