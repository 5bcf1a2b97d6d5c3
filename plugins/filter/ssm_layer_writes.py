# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: ssm_layer_writes
short_description: Which IAM and KMS writes the role C(hybridcloud.aws.systems_manager) must run, from one read
version_added: 0.1.0
description:
  - Compares what M(hybridcloud.aws.ssm_layer_info) read with what the role wants and says, for the managed instances'
    service role, its inline policy and the activation code's KMS key, what differs; an empty list means the write
    module would change nothing and need not run.
  - C(service_role) as M(amazon.aws.iam_role) with O(wanted.service_role) and C(purge_policies) compares it
    (V(missing), V(trust_policy), V(description), V(managed_policies) as a set, V(tags) exactly).
  - C(service_role_policy) as M(amazon.aws.iam_policy) compares the inline policy (V(missing), also when the role is
    missing, V(policy)).
  - C(kms_key) as M(amazon.aws.kms_key) with the description, key policy, rotation on, tags and C(purge_tags)
    compares it (V(missing), V(state) when it is not enabled, V(description), V(policy), V(rotation), V(tags));
    empty when O(wanted.kms_key) is null (the role uses a key it does not manage).
  - Policies are compared as the upstream modules compare them (C(compare_policies) of amazon.aws).
positional: wanted
options:
  _input:
    description: What M(hybridcloud.aws.ssm_layer_info) returned.
    type: dict
    required: true
  wanted:
    description: What the role wants.
    type: dict
    required: true
    suboptions:
      service_role:
        description: C(description), C(trust_policy), C(managed_policy_arns), C(tags), C(policy_name) and C(policy) (the inline policy).
        type: dict
      kms_key:
        description: Null when the role does not manage the key. Otherwise C(description), C(policy) and C(tags).
        type: dict
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Decide which writes the systems manager layer needs
  ansible.builtin.set_fact:
    systems_manager_writes: "{{ systems_manager_layer | hybridcloud.aws.ssm_layer_writes(systems_manager_wanted) }}"
"""

RETURN = r"""
_value:
  description: For each resource, what differs; an empty list when nothing does.
  type: dict
  contains:
    service_role:
      description: What differs on the service role.
      type: list
      elements: str
    service_role_policy:
      description: What differs on its inline policy.
      type: list
      elements: str
    kms_key:
      description: What differs on the activation code's KMS key.
      type: list
      elements: str
  sample: {service_role: [], service_role_policy: [policy], kms_key: [tags]}
"""


def service_role_differences(role, wanted):
    from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

    if not role:
        return ["missing"]
    differences = []
    if compare_policies(role.get("assume_role_policy_document") or {}, wanted.get("trust_policy") or {}):
        differences.append("trust_policy")
    if role.get("description") != wanted.get("description"):
        differences.append("description")
    if sorted(role.get("attached_policy_arns") or []) != sorted(wanted.get("managed_policy_arns") or []):
        differences.append("managed_policies")
    if (role.get("tags") or {}) != (wanted.get("tags") or {}):
        differences.append("tags")
    return differences


def service_role_policy_differences(role, wanted):
    from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

    current = (role.get("inline_policies") or {}).get(wanted.get("policy_name")) if role else None
    if current is None:
        return ["missing"]
    return ["policy"] if compare_policies(current, wanted.get("policy") or {}) else []


def kms_key_differences(key, wanted):
    from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

    if not key:
        return ["missing"]
    differences = []
    if key.get("key_state") != "Enabled":
        differences.append("state")
    if key.get("description") != wanted.get("description"):
        differences.append("description")
    if compare_policies(key.get("policy") or {}, wanted.get("policy") or {}):
        differences.append("policy")
    if key.get("enable_key_rotation") is not True:
        differences.append("rotation")
    if (key.get("tags") or {}) != (wanted.get("tags") or {}):
        differences.append("tags")
    return differences


def ssm_layer_writes(layer, wanted):
    layer = layer or {}
    wanted = wanted or {}
    role = layer.get("service_role") or {}
    service_role = wanted.get("service_role") or {}
    kms_key = wanted.get("kms_key")
    return {
        "service_role": service_role_differences(role, service_role),
        "service_role_policy": service_role_policy_differences(role, service_role),
        "kms_key": kms_key_differences(layer.get("kms_key") or {}, kms_key) if kms_key is not None else [],
    }


class FilterModule:
    def filters(self):
        return {"ssm_layer_writes": ssm_layer_writes}
