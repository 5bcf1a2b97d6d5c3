# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: input_problems
short_description: Every problem of an AWS role's input variables, checked at once before the first AWS call
version_added: 0.1.0
description:
  - Checks the variables of one of the collection's AWS roles and lists every problem found, each as a sentence
    that names the variable and the offending value (secrets such as BGP keys, pre-shared keys and tokens are shown
    as C((value hidden))).
  - "What is checked: ranges (ports 1-65535, sizes, counts, retention days), cross-field rules (minimum below
    maximum), AWS's naming rules (ALB, target group, RDS, bucket, vault, plan, repository and IAM role names),
    region names, ARNs of KMS keys and certificates, and CIDR arithmetic: subnets inside the VPC CIDR and not
    overlapping each other or the on-premises ranges, no host bits set, no VPC in an AWS-reserved range
    (169.254.0.0/16, 172.17.0.0/16 and others), and no source range broader than the role's minimum prefix
    (C(<role>_min_source_prefix), by default C(hybridcloud_min_source_prefix) or 8), which also catches
    [0.0.0.0/1, 128.0.0.0/1]."
  - Types and choices are left to the roles' argument specs.
positional: role
options:
  _input:
    description: The role's variables by name (the role passes the ones it checks).
    type: dict
    required: true
  role:
    description: The role whose rules apply.
    type: str
    required: true
    choices: [network, hybrid_connectivity, load_balancer, rds_postgres, file_gateway, backup, container_registry]
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Validate every input at once
  ansible.builtin.assert:
    that: network_problems | length == 0
    fail_msg: "Invalid input ({{ network_problems | length }}): {{ network_problems | join('; ') }}"
    quiet: true
  vars:
    network_problems: >-
      {{ {'network_vpc_cidr': network_vpc_cidr, 'network_onprem_cidrs': network_onprem_cidrs}
         | hybridcloud.aws.input_problems('network') }}
"""

RETURN = r"""
_value:
  description: The problems, empty when the input is valid.
  type: list
  elements: str
  sample: ["network_onprem_cidrs: '0.0.0.0/1' is broader than /8, the broadest source allowed (covers 2147483648 addresses)"]
"""


def input_problems(variables, role):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.input_checks import input_problems as upstream

    return upstream(variables, role)


class FilterModule:
    def filters(self):
        return {"input_problems": input_problems}
