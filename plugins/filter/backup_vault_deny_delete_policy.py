# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: backup_vault_deny_delete_policy
short_description: The AWS Backup vault access policy that denies deleting recovery points
version_added: 0.2.0
description:
  - Builds a vault access policy for M(hybridcloud.aws.backup_vault_policy) with one Deny statement for every principal
    (C(Principal AWS *)) on every recovery point of the vault (C(Resource *)) for C(backup:DeleteRecoveryPoint) and
    C(backup:UpdateRecoveryPointLifecycle), the two calls that delete a recovery point or shorten its life.
  - AWS Backup's own lifecycle still deletes expired recovery points; it makes neither call.
  - The policy does not deny C(backup:PutBackupVaultAccessPolicy) or C(backup:DeleteBackupVaultAccessPolicy). Denied
    to every principal they would lock out the deployer for good (no later change of the policy), and denying only
    the first protects nothing while the second is allowed. Who may change the policy is IAM's to decide.
  - Principals whose ARN matches one of the input's patterns are exempt (a C(ArnNotLike aws:PrincipalArn)
    condition); none by default.
options:
  _input:
    description: ARNs (wildcards allowed) of the principals exempt from the denial; empty or null for none.
    type: list
    elements: str
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Deny every principal deleting recovery points of the vault
  hybridcloud.aws.backup_vault_policy:
    backup_vault_name: hybridcloud
    policy: "{{ [] | hybridcloud.aws.backup_vault_deny_delete_policy }}"

- name: The same with a break-glass role exempt
  hybridcloud.aws.backup_vault_policy:
    backup_vault_name: hybridcloud
    policy: "{{ ['arn:aws:iam::123456789012:role/backup-break-glass'] | hybridcloud.aws.backup_vault_deny_delete_policy }}"
"""

RETURN = r"""
_value:
  description: The policy document.
  type: dict
  sample:
    Version: "2012-10-17"
    Statement:
      - Sid: DenyRecoveryPointDeletion
        Effect: Deny
        Principal: {AWS: "*"}
        Action: [backup:DeleteRecoveryPoint, backup:UpdateRecoveryPointLifecycle]
        Resource: "*"
"""


def backup_vault_deny_delete_policy(exempt):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import deny_delete_policy as upstream

    return upstream(list(exempt or []))


class FilterModule:
    def filters(self):
        return {"backup_vault_deny_delete_policy": backup_vault_deny_delete_policy}
