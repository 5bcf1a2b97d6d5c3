# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: backup_writes
short_description: Which write modules the role C(hybridcloud.aws.backup) must run, from one read of its layer
version_added: 0.2.0
description:
  - Compares what M(hybridcloud.aws.backup_layer_info) read with what the role wants and says, for each write task of
    the role, what differs; an empty list means the write module would change nothing and need not run. Each part is
    compared as its write module compares it.
  - C(service_role) - M(amazon.aws.iam_role) - V(missing), V(description), V(assume_role_policy) (amazon.aws's
    C(compare_policies)), V(managed_policies) (as a set, others purged), V(tags) (exactly); the comparison of the filter
    C(hybridcloud.aws.ecs_cluster_writes).
  - C(vault) and C(dr_vault) - M(amazon.aws.backup_vault) - V(missing) or V(tags) (exactly, as the module purges).
  - C(vault_lock) and C(dr_vault_lock) - M(hybridcloud.aws.backup_vault_lock) - V(lock), V(min_retention_days),
    V(max_retention_days), V(mode), the module's own comparison; always empty when the lock is not wanted.
  - C(vault_policy) and C(dr_vault_policy) - M(hybridcloud.aws.backup_vault_policy) - V(policy), compared as a policy
    as the module compares it; always empty when no policy is wanted.
  - C(plans) - M(amazon.aws.backup_plan) - by plan name, the filter C(hybridcloud.aws.backup_plan_differences), and
    V(dr_vault) when the DR vault was not read (the rules then copy to a vault this run writes).
  - C(selections) - M(amazon.aws.backup_selection) - by plan name, the filter
    C(hybridcloud.aws.backup_selection_differences) of the plan's selection C(<plan>-tagged) (V(missing) when the plan
    or the selection does not exist).
positional: wanted
options:
  _input:
    description: What M(hybridcloud.aws.backup_layer_info) returned.
    type: dict
    required: true
  wanted:
    description: What the role wants.
    type: dict
    required: true
    suboptions:
      service_role:
        description: C(description), C(assume_role_policy_document) (a dict), C(managed_policies) (ARNs), C(tags).
        type: dict
      vault:
        description:
          - C(tags) of the primary vault, C(lock) (null for none, else C(min_retention_days), C(max_retention_days),
            C(changeable_for_days)) and C(policy) (null for none, else the access policy as a dict).
        type: dict
      dr_vault:
        description: The same for the DR vault.
        type: dict
      plans:
        description:
          - The role's C(backup_plans) - each C(name) and C(selection_tags) (the plan's rules are in O(wanted.plan_rules)).
        type: list
        elements: dict
      plan_rules:
        description: By plan name, the rules as M(amazon.aws.backup_plan) takes them (filter C(hybridcloud.aws.backup_plan_rules)).
        type: dict
      plan_tags:
        description: The tags of every plan.
        type: dict
      selection:
        description:
          - C(iam_role_arn) and C(resources) of every plan's selection. As the role sends it to M(amazon.aws.backup_selection),
            a plan's selection is named C(<plan>-tagged) and has one C(string_equals) condition
            C(aws:ResourceTag/<key>) per selection tag of the plan.
        type: dict
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Decide which writes the backup layer needs
  ansible.builtin.set_fact:
    backup_writes: "{{ backup_layer | hybridcloud.aws.backup_writes(backup_wanted) }}"
"""

RETURN = r"""
_value:
  description: For each write task, what differs (an empty list when nothing does); for plans and selections by plan name.
  type: dict
  contains:
    service_role:
      description: What differs on the service role.
      type: list
      elements: str
    vault:
      description: What differs on the primary vault.
      type: list
      elements: str
    dr_vault:
      description: What differs on the DR vault.
      type: list
      elements: str
    vault_lock:
      description: What differs on the primary vault's lock.
      type: list
      elements: str
    dr_vault_lock:
      description: What differs on the DR vault's lock.
      type: list
      elements: str
    vault_policy:
      description: What differs on the primary vault's access policy.
      type: list
      elements: str
    dr_vault_policy:
      description: What differs on the DR vault's access policy.
      type: list
      elements: str
    plans:
      description: Plan name to what differs on the plan.
      type: dict
    selections:
      description: Plan name to what differs on its selection.
      type: dict
  sample:
    service_role: []
    vault: []
    dr_vault: [tags]
    vault_lock: [lock]
    dr_vault_lock: []
    vault_policy: []
    dr_vault_policy: [policy]
    plans: {hybridcloud: ["rule daily"]}
    selections: {hybridcloud: []}
"""


def _plain(value):
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _days(value):
    """An optional number of days as the module takes it; null, empty and 0 are left out (the role omits them)."""
    return int(value) if value not in (None, "", 0, "0") else None


def vault_differences(vault, wanted):
    """amazon.aws.backup_vault: a missing vault is created; an existing one has its tags compared (purge_tags)."""
    from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

    if not vault:
        return ["missing"]
    tags = {key: str(value) for key, value in (wanted.get("tags") or {}).items()}
    to_set, to_unset = compare_aws_tags(vault.get("tags") or {}, tags, purge_tags=True)
    return ["tags"] if to_set or to_unset else []


def lock_differences(vault, wanted):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import lock_view_differences

    lock = wanted.get("lock")
    if not lock:
        return []
    if not vault:
        return ["lock"]
    return lock_view_differences(
        vault.get("lock"), int(lock["min_retention_days"]), _days(lock.get("max_retention_days")), _days(lock.get("changeable_for_days"))
    )


def policy_differences(vault, wanted):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import vault_policy_differs

    policy = wanted.get("policy")
    if not policy:
        return []
    return ["policy"] if not vault or vault_policy_differs(vault.get("access_policy"), policy) else []


def wanted_selection(plan, selection):
    """The selection the role sends amazon.aws.backup_selection for a plan (selections.yml): the common service role
    and resources, and a StringEquals condition on aws:ResourceTag/KEY for each of the plan's selection tags."""
    conditions = [{"condition_key": f"aws:ResourceTag/{key}", "condition_value": value} for key, value in (plan.get("selection_tags") or {}).items()]
    return dict(selection, selection_name=f"{plan['name']}-tagged", conditions={"string_equals": conditions})


def backup_writes(layer, wanted):
    # One copy of each comparison, here and in the helpers above: the write modules' own (module_utils/backup.py) and the
    # IAM role's of ecs_cluster_writes.
    from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import backup_plan_differences, backup_selection_differences
    from ansible_collections.hybridcloud.aws.plugins.module_utils.iam_role import role_differences

    layer, wanted = _plain(layer), _plain(wanted)
    plans_read = {plan.get("backup_plan_name"): plan for plan in layer.get("backup_plans") or []}
    # Without the DR vault in the read, the rules copy to a vault this run writes: the plan is written after it.
    dr_vault_read = bool(layer.get("dr_vault"))
    plans, selections = {}, {}
    for plan in wanted.get("plans") or []:
        name = plan["name"]
        current = plans_read.get(name)
        plans[name] = backup_plan_differences(current, wanted["plan_rules"][name], wanted.get("plan_tags") or {}) + ([] if dr_vault_read else ["dr_vault"])
        selection = wanted_selection(plan, wanted.get("selection") or {})
        found = [entry for entry in (current or {}).get("selections") or [] if entry.get("selection_name") == selection["selection_name"]]
        selections[name] = backup_selection_differences(found[0] if found else None, selection)
    result = {"service_role": role_differences(layer.get("service_role"), wanted["service_role"])}
    for key in ("vault", "dr_vault"):
        vault, vault_wanted = layer.get(key) or {}, wanted[key]
        result[key] = vault_differences(vault, vault_wanted)
        result[f"{key}_lock"] = lock_differences(vault, vault_wanted)
        result[f"{key}_policy"] = policy_differences(vault, vault_wanted)
    result.update(plans=plans, selections=selections)
    return result


class FilterModule:
    def filters(self):
        return {"backup_writes": backup_writes}
