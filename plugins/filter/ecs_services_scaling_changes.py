# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: ecs_services_scaling_changes
short_description: Which scalable targets and scaling policies of an ECS services plan need a write
version_added: 0.1.0
description:
  - Compares the scaled services of a plan (P(hybridcloud.aws.ecs_services_plan#filter)) with what
    M(hybridcloud.aws.application_autoscaling_info) read (with tags), by the rules of the write modules themselves.
  - A scalable target needs M(hybridcloud.aws.application_autoscaling_target) when it is missing or its minimum,
    maximum or tags (purged) differ.
  - A policy needs M(hybridcloud.aws.application_autoscaling_scaling_policy) when it is missing, of another type, or
    its wanted options merged over the current configuration differ from it (the module's merge rule; a predefined
    metric replaces a customized one).
positional: read, tags
options:
  _input:
    description: The plan, as P(hybridcloud.aws.ecs_services_plan#filter) returns it.
    type: list
    elements: dict
    required: true
  read:
    description:
      - The result of M(hybridcloud.aws.application_autoscaling_info) with
        O(hybridcloud.aws.application_autoscaling_info#module:include_tags=true); empty when nothing was read.
    type: dict
    required: true
  tags:
    description: The tags every scalable target should carry exactly.
    type: dict
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Register only the scalable targets that differ
  hybridcloud.aws.application_autoscaling_target:
    service_namespace: ecs
    resource_id: "{{ item.resource_id }}"
    scalable_dimension: ecs:service:DesiredCount
    min_capacity: "{{ item.autoscaling.min_tasks }}"
    max_capacity: "{{ item.autoscaling.max_tasks }}"
    tags: "{{ my_tags }}"
  loop: "{{ my_plan | selectattr('autoscaling', 'truthy') }}"
  when: item.name in (my_plan | hybridcloud.aws.ecs_services_scaling_changes(my_read, my_tags)).targets
"""

RETURN = r"""
_value:
  description: What needs a write.
  type: dict
  contains:
    targets:
      description: Names of the services whose scalable target is missing or differs.
      type: list
      elements: str
    policies:
      description: Names of the policies that are missing or differ.
      type: list
      elements: str
    policy_arns:
      description: Policy name to ARN, for the policies that exist.
      type: dict
"""


def scaling_changes(plan, read, tags):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs_services_plan import scaling_changes as upstream

    return upstream(plan, read, tags)


class FilterModule:
    def filters(self):
        return {"ecs_services_scaling_changes": scaling_changes}
