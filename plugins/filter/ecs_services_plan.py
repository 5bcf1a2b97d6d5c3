# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: ecs_services_plan
short_description: The services of hybridcloud.aws.ecs_services with their defaults, containers and scaling filled in
version_added: 0.1.0
description:
  - Turns the C(ecs_services_services) entries of the role C(hybridcloud.aws.ecs_services) into what its write tasks
    pass to the modules, in declaration order; see the role's README for the entries' keys and defaults.
  - Each service gets its container definition (image from O(context.repository_uris) unless C(image) is given,
    C(repositoryCredentials) when O(context.registry_credentials_arn) is set and the image is not in ECR, environment
    sorted by name, port mapping, command, the C(container) keys merged over it), its target group ARN, its placement
    constraints (external services default to C(memberOf) O(context.external_constraint)), its task role name, its
    scalable target id, the task count to set and its scaling policies in the option names of
    M(hybridcloud.aws.application_autoscaling_scaling_policy).
  - The task count to set is C(desired_count), except for a scaled service that exists (in O(context.current_services)),
    which keeps the count auto scaling gave it.
  - CPU target tracking (C(<name>-cpu-target)) and step scaling (C(<name>-cpu-step)) are on for a scaled service unless
    it sets C(cpu_target) or C(step_cpu_threshold) to 0; ALB request tracking (C(<name>-requests-target)) when it sets
    C(requests_per_target).
positional: context
options:
  _input:
    description: The C(ecs_services_services) list.
    type: list
    elements: dict
    required: true
  context:
    description: What the other layers handed on and the role's settings.
    type: dict
    required: true
    suboptions:
      cluster_name:
        description: The cluster's name.
        type: str
        required: true
      repository_uris:
        description: Repository name to image URI.
        type: dict
      registry_credentials_arn:
        description: The Secrets Manager ARN of the registry credentials; empty when there are none.
        type: str
      target_group_arns:
        description: Target group name to ARN.
        type: dict
      load_balancer_arn:
        description: The ALB's ARN (for the request tracking policy's resource label).
        type: str
      external_constraint:
        description: The default placement constraint expression of external services.
        type: str
      current_services:
        description: The services as M(community.aws.ecs_service_info) read them (C(services)); empty before the read.
        type: list
        elements: dict
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Register a task definition per EC2 service
  community.aws.ecs_taskdefinition:
    family: "{{ item.name }}"
    containers: ["{{ item.container }}"]
    network_mode: bridge
    state: present
  loop: "{{ my_services | hybridcloud.aws.ecs_services_plan({'cluster_name': 'hybridcloud'}) | selectattr('placement', 'eq', 'ec2') }}"
"""

RETURN = r"""
_value:
  description: One entry per service, in declaration order.
  type: list
  elements: dict
  contains:
    name: {description: 'Service, family and container name.', type: str}
    placement: {description: C(ec2) or C(external)., type: str}
    container: {description: The container definition in the API's shape., type: dict}
    desired_count: {description: The task count to set., type: int}
    target_group_arn: {description: The target group's ARN; empty without one., type: str}
    container_port: {description: The container port; 0 without one., type: int}
    placement_constraints: {description: Placement constraints in the API's shape., type: list}
    autoscaling: {description: The service's autoscaling entry as given; empty when not scaled., type: dict}
    task_role_arn: {description: The task role the service names; empty when the role makes one., type: str}
    task_role_name: {description: The name of the task role the role makes for it., type: str}
    task_role_policy: {description: "The task role's own policy, or null.", type: dict}
    task_role_managed_policies: {description: Managed policy ARNs of the task role., type: list}
    resource_id: {description: The scalable target's resource id (C(service/<cluster>/<name>))., type: str}
    policies:
      description: The scaling policies by kind (C(cpu_target), C(requests_target), C(cpu_step)), each with
        C(policy_name), C(policy_type) and C(configuration) (the module's configuration option of that type).
      type: dict
"""


def services_plan(services, context):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs_services_plan import services_plan as upstream

    return upstream(services, context)


class FilterModule:
    def filters(self):
        return {"ecs_services_plan": services_plan}
