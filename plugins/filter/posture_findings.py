# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: posture_findings
short_description: The security findings of a deployed hybrid cloud, from the state read back
version_added: 0.1.0
description:
  - Decides, from the facts the playbook C(hybridcloud.aws.audit) reads (the results of the amazon.aws info modules and
    M(hybridcloud.aws.posture_info)), every finding of the security posture. It calls nothing.
  - C(security_group_source) - an ingress source broader than O(settings.min_source_prefix) (IPv6
    O(settings.min_source_prefix_v6)), or sources of one group whose union is broader (C(0.0.0.0/1) and C(128.0.0.0/1) are
    C(0.0.0.0/0)).
  - C(db_public), C(db_unencrypted) - a DB instance publicly accessible or without storage encryption.
  - C(bucket_unencrypted), C(bucket_public_access) - a bucket without default encryption or without all four public
    access block settings.
  - C(imds) - a launch template's default or latest version without IMDSv2 required, or with a hop limit above 1.
  - C(flow_logs) - a VPC without an active flow log. C(vault_lock) - a Backup vault without a vault lock.
  - C(vault_policy) - a Backup vault whose access policy does not deny every principal, without a condition,
    C(backup:DeleteRecoveryPoint) and C(backup:UpdateRecoveryPointLifecycle); judged only when the facts hold
    C(backup_vault_policies) (as M(hybridcloud.aws.posture_info) reads them).
  - C(activation_limit), C(activation_expiry) - an activation that allows more registrations than
    O(settings.max_registrations) or lives longer than O(settings.max_expiration_days).
  - C(activation_code_access) - a role that must never read the activation code may read its parameter or decrypt it
    (the key policy and the role's policies evaluated as AWS documents its evaluation logic), or the code is under an
    AWS managed key.
  - C(alb_internet_facing), C(alb_plain_http) - an internet-facing load balancer, or an HTTP listener that does not
    redirect to HTTPS unless O(settings.allow_plain_http).
positional: settings
options:
  _input:
    description:
      - The facts, a dict with the keys C(security_groups), C(db_instances), C(buckets), C(launch_templates) (with
        their C(versions)), C(vpcs), C(flow_logs), C(backup_vaults), C(backup_vault_policies), C(activations),
        C(activation_code), C(roles) and C(load_balancers) (with their C(listeners)); a missing key means nothing of
        that type was read.
    type: dict
    required: true
  settings:
    description: The thresholds.
    type: dict
    default: {}
    suboptions:
      min_source_prefix:
        description: The broadest IPv4 source prefix length a security group may admit.
        type: int
        default: 8
      min_source_prefix_v6:
        description: The broadest IPv6 source prefix length.
        type: int
        default: 32
      max_registrations:
        description: The most registrations an activation may allow; required when activations are given.
        type: int
      max_expiration_days:
        description: The longest an activation may live, in days; required when activations are given.
        type: int
      allow_plain_http:
        description: Plain HTTP listeners are an explicit choice and no finding.
        type: bool
        default: false
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Decide the findings
  ansible.builtin.set_fact:
    audit: >-
      {{ {'security_groups': groups_read.security_groups, 'db_instances': dbs.instances}
         | hybridcloud.aws.posture_findings({'min_source_prefix': 8, 'max_registrations': 5, 'max_expiration_days': 7}) }}
"""

RETURN = r"""
_value:
  description: The findings and their counts.
  type: dict
  contains:
    findings:
      description: Every finding, sorted by kind and resource.
      type: list
      elements: dict
      contains:
        kind:
          description: One of the kinds listed in the description.
          type: str
        resource:
          description: The resource, by id or name.
          type: str
        message:
          description: What is wrong.
          type: str
    counts:
      description: The number of findings of every kind (0 included).
      type: dict
"""


def _findings(facts, settings=None):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.posture import PostureError, posture_findings

    try:
        return posture_findings(facts, settings or {})
    except (PostureError, ValueError, TypeError, KeyError) as e:
        raise AnsibleFilterError(f"posture_findings: {e}") from e


class FilterModule:
    def filters(self):
        return {"posture_findings": _findings}
