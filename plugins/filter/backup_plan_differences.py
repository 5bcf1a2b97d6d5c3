# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: backup_plan_differences
short_description: What amazon.aws.backup_plan would change on a backup plan that was read
version_added: 0.1.0
description:
  - Compares a backup plan as M(amazon.aws.backup_plan_info) returns it with the O(rules) and O(tags) one would pass
    to M(amazon.aws.backup_plan), as that module compares them, and lists what it would change.
  - Rules are compared in order and in full (name, target vault, schedule and its time zone, start and completion
    windows, lifecycle with cold storage, copy actions with their lifecycle, continuous backup, recovery point
    tags), with the module's defaults filled in for options left out; null and empty members count as absent.
  - Tags are compared exactly (the module purges tags that are not wanted).
  - Lets a role read many plans at once and call the module only for the plans that differ, so that check mode
    reports exactly those (the module reports every tagged plan as changed in check mode).
positional: rules, tags
options:
  _input:
    description:
      - One entry of the C(backup_plans) list of M(amazon.aws.backup_plan_info); null when the plan does not exist.
    type: dict
    required: true
  rules:
    description: The rules as M(amazon.aws.backup_plan) takes them (its O(amazon.aws.backup_plan#module:rules) option).
    type: list
    elements: dict
    required: true
  tags:
    description: The tags of the plan as M(amazon.aws.backup_plan) would set them; empty removes every tag.
    type: dict
    default: {}
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Read the plans
  amazon.aws.backup_plan_info:
    backup_plan_names: "{{ my_plans | map(attribute='name') }}"
  register: my_plans_current

- name: Ensure only the plans that are missing or differ
  amazon.aws.backup_plan:
    backup_plan_name: "{{ item.name }}"
    rules: "{{ item.rules }}"
    tags: "{{ my_tags }}"
  loop: "{{ my_plans }}"
  when: my_plan_differences | length > 0
  vars:
    my_plan_differences: >-
      {{ my_plans_current.backup_plans | selectattr('backup_plan_name', 'eq', item.name) | first | default(none)
         | hybridcloud.aws.backup_plan_differences(item.rules, my_tags) }}
"""

RETURN = r"""
_value:
  description:
    - What would change; empty when nothing would.
    - V(missing) (the plan does not exist), V(rule NAME) for each rule added, removed or changed, V(rule order) when
      only the order of the rules differs, V(advanced_backup_settings) when the plan has some (none are wanted),
      V(tags).
  type: list
  elements: str
  sample: ["rule daily", "tags"]
"""


def backup_plan_differences(current, rules, tags=None):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import backup_plan_differences as upstream

    return upstream(current, rules, tags)


class FilterModule:
    def filters(self):
        return {"backup_plan_differences": backup_plan_differences}
