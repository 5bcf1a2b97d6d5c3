#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: backup_layer_info
version_added: 0.2.0
short_description: Read AWS Backup vaults in two regions, plans with their selections and the service role in one step
description:
  - Reads, by name and side by side, the caller's account (C(GetCallerIdentity)), the vault O(vault) of the module's
    region and the vault O(dr_vault) of O(dr_region) (each C(DescribeBackupVault) with its lock, C(ListTags) and
    C(GetBackupVaultAccessPolicy)), the backup plans O(backup_plan_names) (one C(ListBackupPlans), then for each plan
    C(GetBackupPlan), C(ListTags) and C(ListBackupSelections), then C(GetBackupSelection) of each selection), the IAM
    role O(service_role) (C(GetRole), C(ListAttachedRolePolicies)) and the KMS keys O(kms_key_ids) and
    O(dr_kms_key_ids) (C(DescribeKey), each in its region).
  - Returns them as the role C(hybridcloud.aws.backup) compares them (filter C(hybridcloud.aws.backup_writes)), so that
    the role runs a write module only where something differs. A vault is returned as M(amazon.aws.backup_vault)
    returns it, with its lock as M(hybridcloud.aws.backup_vault_lock) reports it and its access policy as a dict; a
    plan as M(amazon.aws.backup_plan_info) returns it, with its selections as M(amazon.aws.backup_selection_info)
    returns them.
  - A resource that does not exist is not an error; its entry is then empty (a plan is then left out).
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  vault:
    description: The name of the backup vault in the module's region.
    type: str
    required: true
  dr_vault:
    description: The name of a second backup vault, in O(dr_region); empty reads none.
    type: str
    default: ""
  dr_region:
    description: The region of O(dr_vault) and O(dr_kms_key_ids); required with O(dr_vault).
    type: str
  backup_plan_names:
    description: The names of the backup plans to read.
    type: list
    elements: str
    default: []
  service_role:
    description: The name of the IAM role AWS Backup assumes; empty reads none.
    type: str
    default: ""
  kms_key_ids:
    description: KMS key ids or ARNs of the module's region to describe (empty ones are left out).
    type: list
    elements: str
    default: []
  dr_kms_key_ids:
    description: KMS key ids or ARNs of O(dr_region) to describe (empty ones are left out).
    type: list
    elements: str
    default: []
notes:
  - Needs C(sts:GetCallerIdentity), C(backup:DescribeBackupVault), C(backup:ListTags),
    C(backup:GetBackupVaultAccessPolicy), C(backup:ListBackupPlans), C(backup:GetBackupPlan),
    C(backup:ListBackupSelections), C(backup:GetBackupSelection), C(iam:GetRole), C(iam:ListAttachedRolePolicies)
    and C(kms:DescribeKey).
  - AWS answers C(DescribeBackupVault) of a vault that does not exist with AccessDeniedException; that reads as a
    missing vault.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the backup layer once
  hybridcloud.aws.backup_layer_info:
    vault: hybridcloud
    dr_vault: hybridcloud-dr
    dr_region: eu-central-1
    backup_plan_names: [hybridcloud]
    service_role: hybridcloud-backup
  register: layer
"""

RETURN = r"""
account:
  description: The caller's C(account_id), C(arn) and C(partition).
  returned: always
  type: dict
  sample: {account_id: "123456789012", arn: "arn:aws:iam::123456789012:user/deployer", partition: aws}
vault:
  description:
    - The vault O(vault) in snake_case as M(amazon.aws.backup_vault) returns it, C(tags) a dict, with C(lock) (C(locked),
      C(mode), C(min_retention_days), C(max_retention_days), C(lock_date)) and C(access_policy) (a dict, null
      without one); empty when there is none.
  returned: always
  type: dict
  sample:
    backup_vault_name: hybridcloud
    backup_vault_arn: "arn:aws:backup:eu-west-1:123456789012:backup-vault:hybridcloud"
    encryption_key_arn: "arn:aws:kms:eu-west-1:123456789012:key/1111aaaa-1111-1111-1111-111111111111"
    tags: {Project: hybridcloud}
    lock: {locked: true, mode: governance, min_retention_days: 7, max_retention_days: null, lock_date: null}
    access_policy: {Version: "2012-10-17", Statement: []}
dr_vault:
  description: The vault O(dr_vault) of O(dr_region), as RV(vault); empty when there is none or none was asked for.
  returned: always
  type: dict
backup_plans:
  description:
    - The plans of O(backup_plan_names) that exist, in that order, each as M(amazon.aws.backup_plan_info) returns it
      (C(backup_plan_name), C(backup_plan_id), C(backup_plan_arn), C(backup_plan) with its C(rules), C(tags) a dict), with
      C(selections), each as M(amazon.aws.backup_selection_info) returns it.
  returned: always
  type: list
  elements: dict
  sample:
    - backup_plan_name: hybridcloud
      backup_plan_id: 0b9c3e2a-1f6d-4c8e-9a57-2d4f1e3b6c7a
      backup_plan: {backup_plan_name: hybridcloud, rules: []}
      tags: {Project: hybridcloud}
      selections:
        - selection_name: hybridcloud-tagged
          selection_id: 5d1f0e7c-8a3b-4f62-9c41-7e2b0a9d3c58
          iam_role_arn: "arn:aws:iam::123456789012:role/hybridcloud-backup"
          resources: ["arn:aws:s3:::*"]
          conditions: {string_equals: [{condition_key: "aws:ResourceTag/Backup", condition_value: hybridcloud}]}
service_role:
  description:
    - The role - C(arn), C(role_name), C(path), C(description), C(max_session_duration), C(assume_role_policy_document)
      (a dict), C(tags) (a dict) and C(managed_policy_arns) (sorted); empty when there is none.
  returned: always
  type: dict
kms_keys:
  description:
    - For each key of O(kms_key_ids) then O(dr_kms_key_ids) - C(key_id) (as given), C(arn), C(key_state) (null when there
      is no such key), C(enabled) and C(dr_region) (whether it was read in O(dr_region)).
  returned: always
  type: list
  elements: dict
  sample: [{key_id: "arn:aws:kms:eu-west-1:123456789012:key/1111aaaa", arn: "arn:aws:kms:eu-west-1:123456789012:key/1111aaaa",
            key_state: Enabled, enabled: true, dr_region: false}]
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.backup_layer import read_layer


def main():
    argument_spec = dict(
        vault=dict(type="str", required=True),
        dr_vault=dict(type="str", default=""),
        dr_region=dict(type="str"),
        backup_plan_names=dict(type="list", elements="str", default=[]),
        service_role=dict(type="str", default=""),
        kms_key_ids=dict(type="list", elements="str", default=[], no_log=False),
        dr_kms_key_ids=dict(type="list", elements="str", default=[], no_log=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    dr = bool(params["dr_vault"]) or bool(params["dr_kms_key_ids"])
    if dr and not params["dr_region"]:
        module.fail_json(msg="dr_region is required with dr_vault or dr_kms_key_ids")
    clients = {service: module.client(service) for service in ("sts", "backup", "kms", "iam")}
    if dr:
        clients.update({f"dr_{service}": module.client(service, region=params["dr_region"]) for service in ("backup", "kms")})
    names = {
        "vault": params["vault"],
        "dr_vault": params["dr_vault"],
        "plans": params["backup_plan_names"],
        "service_role": params["service_role"],
        "kms_keys": params["kms_key_ids"],
        "dr_kms_keys": params["dr_kms_key_ids"],
    }
    try:
        layer = read_layer(clients, names)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, region=module.region, **layer)


if __name__ == "__main__":
    main()
