#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ecs_services_layer_info
version_added: 0.1.0
short_description: Read ECS services, their task definitions, IAM roles, service auto scaling and alarms in one step
description:
  - Reads, by name and side by side, the ECS services O(services) of O(cluster) (C(DescribeServices) with their tags,
    10 services a call), the latest ACTIVE revision of each task definition family of the same names
    (C(DescribeTaskDefinition) with its tags, one call a family, and one for a revision a service runs that is not its
    family's latest), the IAM roles O(roles) (C(GetRole),
    C(ListAttachedRolePolicies) and C(GetRolePolicy) of each inline policy named), the Application Auto Scaling
    targets (C(DescribeScalableTargets) for all, then C(ListTagsForResource) per target) and policies
    (C(DescribeScalingPolicies) for all) of the services O(scaled_services), and the CloudWatch alarms O(alarms)
    (C(DescribeAlarms), 100 names a call).
  - Returns them as the role C(hybridcloud.aws.ecs_services) compares them (filter
    C(hybridcloud.aws.ecs_services_writes)), so that the role runs a write module only where something differs.
  - Something that does not exist is not an error; it is left out (a role's entry is then empty).
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  cluster:
    description: The name or ARN of the ECS cluster.
    type: str
    required: true
  services:
    description: The names of the services, which are also the names of their task definition families.
    type: list
    elements: str
    default: []
  roles:
    description: IAM role name to the names of its inline policies to read (an empty list reads none).
    type: dict
    default: {}
  scaled_services:
    description: The names of the services whose scalable target (C(ecs:service:DesiredCount)) and scaling policies to read.
    type: list
    elements: str
    default: []
  alarms:
    description: The names of the CloudWatch metric alarms to read.
    type: list
    elements: str
    default: []
notes:
  - Needs C(ecs:DescribeServices), C(ecs:DescribeTaskDefinition), C(iam:GetRole), C(iam:ListAttachedRolePolicies),
    C(iam:GetRolePolicy), C(application-autoscaling:DescribeScalableTargets),
    C(application-autoscaling:DescribeScalingPolicies), C(application-autoscaling:ListTagsForResource) and
    C(cloudwatch:DescribeAlarms).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the ECS services layer once
  hybridcloud.aws.ecs_services_layer_info:
    cluster: hybridcloud
    services: [web, worker]
    roles:
      hybridcloud-task-execution: [registry-credentials]
      hybridcloud-web-task: [task]
      hybridcloud-worker-task: [task]
    scaled_services: [web]
    alarms: [hybridcloud-web-cpu-high]
  register: layer
"""

RETURN = r"""
services:
  description: The services that exist, as C(DescribeServices) answers them (camelCase keys), with C(tags) as a dict and no C(events).
  returned: always
  type: list
  elements: dict
  sample:
    - serviceArn: "arn:aws:ecs:us-east-1:123456789012:service/hybridcloud/web"
      serviceName: web
      status: ACTIVE
      desiredCount: 2
      taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3"
      tags: {Project: hybridcloud}
task_definitions:
  description:
    - The latest ACTIVE revision of each family that has one, as M(hybridcloud.aws.ecs_task_definition_info) returns
      it (C(comparable) is the view M(hybridcloud.aws.ecs_external_task_definition) compares), with C(tags) as a dict.
  returned: always
  type: list
  elements: dict
  sample:
    - family: web
      task_definition_arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3"
      revision: 3
      compatibilities: [EC2]
      comparable: {family: web, networkMode: bridge, requiresCompatibilities: [EC2], containerDefinitions: []}
      tags: {}
running_task_definitions:
  description:
    - The revisions services run that are not their family's latest (none on a converged layer), in the form of
      RV(task_definitions).
  returned: always
  type: list
  elements: dict
  sample: []
roles:
  description:
    - Role name to the role - C(arn), C(role_name), C(path), C(description), C(max_session_duration),
      C(assume_role_policy_document) (a dict), C(tags) (a dict), C(managed_policy_arns) (sorted) and C(inline_policies)
      (the named ones that exist, by name); empty when there is none.
  returned: always
  type: dict
  sample:
    hybridcloud-task-execution:
      arn: "arn:aws:iam::123456789012:role/hybridcloud-task-execution"
      role_name: hybridcloud-task-execution
      managed_policy_arns: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]
      inline_policies: {registry-credentials: {Version: "2012-10-17", Statement: []}}
      tags: {Project: hybridcloud}
scalable_targets:
  description: The scalable targets of O(scaled_services), as M(hybridcloud.aws.application_autoscaling_info) returns them, with tags.
  returned: always
  type: list
  elements: dict
  sample:
    - resource_id: service/hybridcloud/web
      min_capacity: 2
      max_capacity: 6
      tags: {Project: hybridcloud}
scaling_policies:
  description: The scaling policies of O(scaled_services), as M(hybridcloud.aws.application_autoscaling_info) returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - resource_id: service/hybridcloud/web
      policy_name: web-requests-target
      policy_type: TargetTrackingScaling
      policy_arn: "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:resource/ecs/service/hybridcloud/web:policyName/web-requests-target"
alarms:
  description:
    - Alarm name to the alarm as C(DescribeAlarms) answers it, without the keys M(amazon.aws.cloudwatch_metric_alarm)
      leaves out of its comparison (state, timestamps, C(AlarmArn), C(ActionsEnabled)).
  returned: always
  type: dict
  sample:
    hybridcloud-web-cpu-high: {AlarmName: hybridcloud-web-cpu-high, Namespace: AWS/ECS, MetricName: CPUUtilization, Threshold: 85.0}
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs_services_layer import read_layer


def main():
    argument_spec = dict(
        cluster=dict(type="str", required=True),
        services=dict(type="list", elements="str", default=[]),
        roles=dict(type="dict", default={}),
        scaled_services=dict(type="list", elements="str", default=[]),
        alarms=dict(type="list", elements="str", default=[]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if not params["cluster"] or any(not name for name in params["services"] + params["scaled_services"] + params["alarms"] + list(params["roles"])):
        module.fail_json(msg="cluster and the names of services, roles, scaled services and alarms must not be empty")
    roles = {}
    for name, policy_names in params["roles"].items():
        if not isinstance(policy_names, list) or not all(isinstance(policy, str) and policy for policy in policy_names):
            module.fail_json(msg=f"roles.{name} must be a list of inline policy names")
        roles[name] = policy_names
    clients = {service: module.client(service) for service in ("ecs", "iam", "application-autoscaling", "cloudwatch")}
    try:
        layer = read_layer(clients, dict(params, roles=roles))
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, region=module.region, **layer)


if __name__ == "__main__":
    main()
