# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: compute_input_errors
short_description: Every problem of the input of the systems_manager, ecs_cluster or ecs_services role at once
version_added: 0.1.0
description:
  - Checks all variables of one of the roles C(hybridcloud.aws.systems_manager), C(hybridcloud.aws.ecs_cluster) and
    C(hybridcloud.aws.ecs_services) in one step, before the role's first change, and lists every problem as
    C(VARIABLE) followed by what is wrong and C((got VALUE)).
  - Types and ranges (booleans are not numbers), names and ARNs as the APIs accept them, enum values, cross-field
    rules (min <= desired <= max, scaling step sizes, renewal before expiry, the registration limit against the
    on-premises hosts of the inventory), State Manager schedules (cron() with 5 to 7 fields, rate() of at least 30
    minutes), association concurrency and error limits, EC2 instance types, tags.
  - References the input names and the role read first (KMS keys, IAM role ARNs) are reported when they do not exist.
positional: role, references
options:
  _input:
    description: The role's variables, name to value.
    type: dict
    required: true
  role:
    description: Which role's rules apply.
    type: str
    choices: [systems_manager, ecs_cluster, ecs_services]
    required: true
  references:
    description:
      - What the role read before the check. C(kms_keys) and C(iam_roles) map a key reference or role ARN of the input
        to whether it exists; C(check_mode) relaxes the rules that need earlier layers' results.
    type: dict
    default: {}
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Reject input that cannot be built
  ansible.builtin.assert:
    that: errors | length == 0
    fail_msg: "{{ errors | join('; ') }}"
  vars:
    errors: "{{ {'ecs_cluster_min_size': 3, 'ecs_cluster_max_size': 2} | hybridcloud.aws.compute_input_errors('ecs_cluster') }}"
"""

RETURN = r"""
_value:
  description: The problems, each naming the variable and the value; empty when the input is fine.
  type: list
  elements: str
  sample: ["ecs_cluster_min_size: must not exceed ecs_cluster_max_size (2) (got 3)"]
"""


def _errors(values, role, references=None):
    if not isinstance(values, dict):
        raise AnsibleFilterError(f"compute_input_errors takes a dict of variables, got {type(values).__name__}")
    from ansible_collections.hybridcloud.aws.plugins.module_utils.compute_inputs import compute_input_errors

    try:
        return compute_input_errors(values, role, references)
    except ValueError as e:
        raise AnsibleFilterError(f"compute_input_errors: {e}") from e


class FilterModule:
    def filters(self):
        return {"compute_input_errors": _errors}
