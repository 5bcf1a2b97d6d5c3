# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: backup_plan_rules
short_description: The rules of the role C(hybridcloud.aws.backup)'s plans, as amazon.aws.backup_plan takes them
version_added: 0.1.0
description:
  - Turns each plan of C(backup_plans) into the O(amazon.aws.backup_plan#module:rules) of M(amazon.aws.backup_plan),
    every rule targeting O(vault_name).
  - A rule's lifecycle is its C(delete_after_days) and, when given, its C(move_to_cold_storage_after_days).
    The start and completion windows default to 480 and 10080 minutes.
  - Unless a rule's C(copy_to_dr) is false, it copies each recovery point to O(dr_vault_arn) with the rule's lifecycle.
  - No recovery point tags (amazon.aws.backup_plan compares them after snake-casing the stored tag keys, so they
    would never match).
positional: vault_name, dr_vault_arn
options:
  _input:
    description: The plans, each with C(name) and C(rules) (C(name), C(schedule), C(delete_after_days), optionally
      C(move_to_cold_storage_after_days), C(copy_to_dr), C(start_window_minutes), C(completion_window_minutes)).
    type: list
    elements: dict
    required: true
  vault_name:
    description: The vault every rule backs up to.
    type: str
    required: true
  dr_vault_arn:
    description: The vault in the DR region the rules copy to.
    type: str
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Build the rules of every plan
  ansible.builtin.set_fact:
    my_rules: "{{ my_plans | hybridcloud.aws.backup_plan_rules('hybridcloud', my_dr_vault_arn) }}"
"""

RETURN = r"""
_value:
  description: Plan name to its rules, in the order of the plans and of their rules.
  type: dict
  sample:
    hybridcloud:
      - rule_name: daily
        target_backup_vault_name: hybridcloud
        schedule_expression: cron(0 3 ? * * *)
        start_window_minutes: 480
        completion_window_minutes: 10080
        lifecycle: {delete_after_days: 35}
        copy_actions:
          - destination_backup_vault_arn: arn:aws:backup:eu-central-1:123456789012:backup-vault:hybridcloud-dr
            lifecycle: {delete_after_days: 35}
"""


def _lifecycle(rule):
    lifecycle = {"delete_after_days": rule.get("delete_after_days")}
    if "move_to_cold_storage_after_days" in rule:
        lifecycle["move_to_cold_storage_after_days"] = rule["move_to_cold_storage_after_days"]
    return lifecycle


def backup_plan_rules(plans, vault_name, dr_vault_arn):
    """{plan name: [rule as amazon.aws.backup_plan takes it]}."""
    built = {}
    for plan in plans or []:
        built[plan["name"]] = [
            {
                "rule_name": rule.get("name"),
                "target_backup_vault_name": vault_name,
                "schedule_expression": rule.get("schedule"),
                "start_window_minutes": rule.get("start_window_minutes", 480),
                "completion_window_minutes": rule.get("completion_window_minutes", 10080),
                "lifecycle": _lifecycle(rule),
                "copy_actions": [{"destination_backup_vault_arn": dr_vault_arn, "lifecycle": _lifecycle(rule)}] if rule.get("copy_to_dr", True) else [],
            }
            for rule in plan.get("rules") or []
        ]
    return built


class FilterModule:
    def filters(self):
        return {"backup_plan_rules": backup_plan_rules}
