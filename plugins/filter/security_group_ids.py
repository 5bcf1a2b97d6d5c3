# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: security_group_ids
short_description: The ids of the security groups of the role C(hybridcloud.aws.network), by key
version_added: 0.1.0
description:
  - For each of the O(specs), in their order, the id of the group named V(NAME-KEY) among the groups read; a key
    without such a group is left out. Of two groups with the same name the later one counts.
positional: specs, name
options:
  _input:
    description: The C(security_groups) list of M(amazon.aws.ec2_security_group_info).
    type: list
    elements: dict
    required: true
  specs:
    description: The group specifications, each with a C(key).
    type: list
    elements: dict
    required: true
  name:
    description: The network name, the prefix of each group name.
    type: str
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Note the group ids by key
  ansible.builtin.set_fact:
    my_group_ids: "{{ my_groups_read.security_groups | hybridcloud.aws.security_group_ids([{'key': 'alb'}], 'hc') }}"
  # {"alb": "sg-0123456789abcdef0"} when a group hc-alb exists
"""

RETURN = r"""
_value:
  description: Key to group id.
  type: dict
  sample: {alb: sg-0123456789abcdef0, tasks: sg-0fedcba9876543210}
"""


def security_group_ids(groups, specs, name):
    """{key: group_id} of the groups named NAME-KEY."""
    ids_by_name = {group.get("group_name"): group.get("group_id") for group in groups or []}
    return {spec["key"]: ids_by_name[f"{name}-{spec['key']}"] for spec in specs or [] if f"{name}-{spec['key']}" in ids_by_name}


class FilterModule:
    def filters(self):
        return {"security_group_ids": security_group_ids}
