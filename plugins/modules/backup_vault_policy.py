#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: backup_vault_policy
version_added: 0.2.0
short_description: Set or remove the access policy of an AWS Backup vault
description:
  - Sets the resource-based access policy of an existing AWS Backup vault (PutBackupVaultAccessPolicy), or removes it
    (DeleteBackupVaultAccessPolicy), after reading it with GetBackupVaultAccessPolicy.
  - The policy is compared as a policy, not as text (C(compare_policies) of the amazon.aws collection), so key order, a single
    action given as a string instead of a list and the JSON formatting make no change.
  - No upstream module manages a vault access policy, hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  backup_vault_name:
    description:
      - Name of the vault; it must exist.
    required: true
    type: str
    aliases: [vault_name]
  state:
    description:
      - Whether the vault should have an access policy.
    choices: [present, absent]
    default: present
    type: str
  policy:
    description:
      - The access policy, as a dict or a JSON text. Required with I(state=present).
      - A policy that denies C(backup:PutBackupVaultAccessPolicy) or C(backup:DeleteBackupVaultAccessPolicy) to every
        principal also denies them to the one running this module; a later change then needs another way in.
    type: json
notes:
  - Supports C(check_mode) and C(diff).
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
"""

EXAMPLES = r"""
- name: Deny every principal deleting recovery points or shortening their life
  hybridcloud.aws.backup_vault_policy:
    backup_vault_name: hybridcloud
    policy:
      Version: "2012-10-17"
      Statement:
        - Sid: DenyRecoveryPointDeletion
          Effect: Deny
          Principal:
            AWS: "*"
          Action:
            - backup:DeleteRecoveryPoint
            - backup:UpdateRecoveryPointLifecycle
          Resource: "*"

- name: Remove the access policy
  hybridcloud.aws.backup_vault_policy:
    backup_vault_name: hybridcloud
    state: absent
"""

RETURN = r"""
policy:
  description: The vault's access policy after the task (in check mode, as it would be); null without one.
  returned: always
  type: dict
  sample: {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "backup:DeleteRecoveryPoint", "Resource": "*"}]}
backup_vault_arn:
  description: ARN of the vault.
  returned: always
  type: str
  sample: arn:aws:backup:eu-west-1:123456789012:backup-vault:hybridcloud
"""

import json

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import AnsibleBackupError
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import delete_vault_policy
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import describe_vault
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import get_vault_policy
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import put_vault_policy
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import vault_policy_differs


def wanted_policy(module):
    policy = module.params["policy"]
    try:
        document = json.loads(policy) if isinstance(policy, str) else policy
    except ValueError as e:
        module.fail_json(msg=f"policy is not valid JSON: {e}")
    if not isinstance(document, dict) or not document.get("Statement"):
        module.fail_json(msg="policy must be a policy document with a Statement")
    return document


def main():
    argument_spec = dict(
        backup_vault_name=dict(type="str", required=True, aliases=["vault_name"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        policy=dict(type="json"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, required_if=[("state", "present", ["policy"])], supports_check_mode=True)
    name = module.params["backup_vault_name"]
    wanted = wanted_policy(module) if module.params["state"] == "present" else None
    client = module.client("backup")

    try:
        vault = describe_vault(client, name)
        if vault is None:
            module.fail_json(msg=f"Backup vault {name} does not exist (or the caller may not describe it)")
        before = get_vault_policy(client, name)
        if wanted is None:
            changed = before is not None
            if changed and not module.check_mode:
                delete_vault_policy(client, name)
        else:
            changed = vault_policy_differs(before, wanted)
            if changed and not module.check_mode:
                put_vault_policy(client, name, wanted)
        after = wanted if changed else before
        if changed and not module.check_mode:
            after = get_vault_policy(client, name)
    except AnsibleBackupError as e:
        module.fail_json_aws_error(e)

    module.exit_json(changed=changed, policy=after, backup_vault_arn=vault["BackupVaultArn"], diff={"before": before or {}, "after": after or {}})


if __name__ == "__main__":
    main()
