# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: backup_plan_ids
short_description: The id of each backup plan, from the plans read or from amazon.aws.backup_plan
version_added: 0.1.0
description:
  - For each result of a loop of M(amazon.aws.backup_plan) over plans (each result's C(item) has the plan's C(name)),
    the id of the plan of that name among the plans read before (its id never changes), else the C(backup_plan_id)
    the module returned, else null (a plan check mode would create has no id yet).
positional: plans_read
options:
  _input:
    description: The C(results) of the registered loop (skipped results included).
    type: list
    elements: dict
    required: true
  plans_read:
    description: The C(backup_plans) list of M(amazon.aws.backup_plan_info).
    type: list
    elements: dict
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Remember the plan ids
  ansible.builtin.set_fact:
    my_plan_ids: "{{ my_plan_results.results | hybridcloud.aws.backup_plan_ids(my_plans_read.backup_plans) }}"
"""

RETURN = r"""
_value:
  description: Plan name to plan id (null when unknown); of two results for one name the later one counts.
  type: dict
  sample: {hybridcloud: 0b9c3e2a-1f6d-4c8e-9a57-2d4f1e3b6c7a}
"""


def backup_plan_ids(results, plans_read):
    """{plan name: plan id or None}."""
    ids = {}
    for result in results or []:
        name = result["item"]["name"]
        found = [plan.get("backup_plan_id") for plan in plans_read or [] if plan.get("backup_plan_name") == name]
        ids[name] = next((plan_id for plan_id in [*found, result.get("backup_plan_id", "")] if plan_id), None)
    return ids


class FilterModule:
    def filters(self):
        return {"backup_plan_ids": backup_plan_ids}
