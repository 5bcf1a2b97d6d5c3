# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: ecs_services_task_definition_changes
short_description: Which services of an ECS services plan need a new task definition revision
version_added: 0.1.0
description:
  - Compares the task definition each service of a plan (P(hybridcloud.aws.ecs_services_plan#filter)) wants (family,
    bridge networking, EC2 or EXTERNAL compatibility, its container, the execution and task role) with the latest
    ACTIVE revision M(hybridcloud.aws.ecs_task_definition_info) read, as M(hybridcloud.aws.ecs_external_task_definition)
    compares them (managed fields only, ECS defaults and empty values left out, order-free lists sorted).
  - A family whose latest revision is the wanted one needs no write; its ARN is handed on.
positional: read, execution_role_arn, task_role_arns
options:
  _input:
    description: The plan, as P(hybridcloud.aws.ecs_services_plan#filter) returns it.
    type: list
    elements: dict
    required: true
  read:
    description: The result of M(hybridcloud.aws.ecs_task_definition_info); empty when nothing was read.
    type: dict
    required: true
  execution_role_arn:
    description: The task execution role's ARN; empty for none.
    type: str
    required: true
  task_role_arns:
    description: Service name to task role ARN; a service left out has no task role.
    type: dict
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Register only the task definitions that differ
  community.aws.ecs_taskdefinition:
    family: "{{ item.name }}"
    containers: ["{{ item.container }}"]
    network_mode: bridge
    launch_type: EC2
    state: present
  loop: "{{ my_plan }}"
  when: item.name in (my_plan | hybridcloud.aws.ecs_services_task_definition_changes(my_read, '', {})).register
"""

RETURN = r"""
_value:
  description: What needs a write.
  type: dict
  contains:
    register:
      description: Names of the services whose family needs a new revision.
      type: list
      elements: str
    arns:
      description: Service name to the ARN of its latest revision, for the services that need none.
      type: dict
"""


def task_definition_changes(plan, read, execution_role_arn, task_role_arns):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs_services_plan import task_definition_changes as upstream

    return upstream(plan, read, execution_role_arn, task_role_arns)


class FilterModule:
    def filters(self):
        return {"ecs_services_task_definition_changes": task_definition_changes}
