#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ecs_task_definition_info
version_added: 0.1.0
short_description: Read the latest ACTIVE revision of many ECS task definition families at once
description:
  - Describes the latest C(ACTIVE) revision of each family of O(families) with C(DescribeTaskDefinition) (the API
    takes one family per call; there is no batch read), in one module run.
  - Returns each revision's ARN and, in the API's shape, the view M(hybridcloud.aws.ecs_external_task_definition)
    compares with what it wants (only the fields this collection manages, ECS defaults and empty values left out,
    order-free lists sorted), so that a role can register a revision only for a family whose definition differs.
  - Families without an C(ACTIVE) revision are left out of the result.
  - Only reads; never changes anything, also not in check mode. M(community.aws.ecs_taskdefinition_info) reads one
    family per module run.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  families:
    description:
      - Task definition families to read.
    type: list
    elements: str
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the task definitions of two services
  hybridcloud.aws.ecs_task_definition_info:
    families: [web, worker]
  register: definitions
"""

RETURN = r"""
task_definitions:
  description: The latest ACTIVE revision of each family that has one, in the order of O(families).
  returned: always
  type: list
  elements: dict
  contains:
    family:
      description: The family.
      type: str
      sample: web
    task_definition_arn:
      description: The revision's ARN.
      type: str
      sample: arn:aws:ecs:us-east-1:123456789012:task-definition/web:3
    revision:
      description: The revision number.
      type: int
      sample: 3
    compatibilities:
      description: The launch types the revision is compatible with.
      type: list
      elements: str
      sample: [EC2]
    comparable:
      description:
        - The revision's managed fields in the API's shape (camelCase), normalized as the write modules compare
          (family, networkMode, requiresCompatibilities, cpu, memory, executionRoleArn, taskRoleArn,
          containerDefinitions, volumes).
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import AnsibleECSError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import describe_task_definition
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import normalize_task_definition


def main():
    argument_spec = dict(families=dict(type="list", elements="str", required=True))
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    families = list(dict.fromkeys(module.params["families"]))
    if any(not family for family in families):
        module.fail_json(msg="families must not contain empty names")
    found = []
    if families:
        client = module.client("ecs")
        try:
            for family in families:
                latest = describe_task_definition(client, family)
                if latest is None or latest.get("status") != "ACTIVE":
                    continue
                found.append(
                    {
                        "family": latest["family"],
                        "task_definition_arn": latest["taskDefinitionArn"],
                        "revision": latest.get("revision"),
                        "compatibilities": latest.get("compatibilities") or [],
                        "comparable": normalize_task_definition(latest),
                    }
                )
        except AnsibleECSError as e:
            module.fail_json_aws_error(e)
    module.exit_json(changed=False, task_definitions=found)


if __name__ == "__main__":
    main()
