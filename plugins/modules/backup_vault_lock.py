#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: backup_vault_lock
version_added: 0.2.0
short_description: Set or remove the vault lock of an AWS Backup vault
description:
  - Sets the AWS Backup Vault Lock of an existing vault (PutBackupVaultLockConfiguration), or removes it
    (DeleteBackupVaultLockConfiguration), and reads it back with DescribeBackupVault.
  - A vault lock makes AWS refuse every recovery point whose retention is shorter than I(min_retention_days) or longer
    than I(max_retention_days), and refuse deleting or shortening the life of the points in the vault, whatever the
    caller's IAM permissions.
  - Without I(changeable_for_days) the lock is in B(governance mode) and a principal allowed
    C(backup:DeleteBackupVaultLockConfiguration) can remove or change it.
  - With I(changeable_for_days) the lock is in B(compliance mode). After that many days (its C(LockDate)) nobody, not
    the account's root user and not AWS, can change or remove the lock, and the vault cannot be deleted while it holds
    recovery points. This is irreversible; use governance mode until the retention is settled.
  - The module refuses (fails, makes no call) to change or remove a lock that AWS reports as immutable (compliance
    mode after its C(LockDate)).
  - No upstream module sets a vault lock (M(amazon.aws.backup_vault) creates the vault only), hence this module.
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
      - Whether the vault should have a lock.
    choices: [present, absent]
    default: present
    type: str
  min_retention_days:
    description:
      - Shortest retention, in days, a recovery point of the vault may have (1 to 36500). Required with I(state=present).
      - Every backup rule and copy that targets the vault must keep its points at least this long, or AWS refuses the
        job.
    type: int
  max_retention_days:
    description:
      - Longest retention, in days, a recovery point of the vault may have (1 to 36500). No maximum when not given.
    type: int
  changeable_for_days:
    description:
      - Days (3 to 36500) the lock stays changeable; then it is a compliance-mode lock and becomes immutable.
      - Leave it out for a governance-mode lock.
      - A compliance lock asked for again within its grace time is left as it is (a put would only move its
        C(LockDate)); going from governance to compliance mode or back is a change.
    type: int
notes:
  - Supports C(check_mode) and C(diff).
  - The vault's recovery points already stored are not checked against a new minimum or maximum by AWS.
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
- name: Lock the vault in governance mode (removable by a principal allowed DeleteBackupVaultLockConfiguration)
  hybridcloud.aws.backup_vault_lock:
    backup_vault_name: hybridcloud
    min_retention_days: 7
    max_retention_days: 400

- name: Lock the DR vault in compliance mode; after 3 days nobody can change or remove the lock
  hybridcloud.aws.backup_vault_lock:
    region: eu-central-1
    backup_vault_name: hybridcloud-dr
    min_retention_days: 7
    changeable_for_days: 3

- name: Remove a governance-mode lock
  hybridcloud.aws.backup_vault_lock:
    backup_vault_name: hybridcloud
    state: absent
"""

RETURN = r"""
vault_lock:
  description: The vault's lock after the task (in check mode, as it would be).
  returned: always
  type: dict
  contains:
    locked:
      description: Whether the vault has a lock.
      type: bool
      sample: true
    mode:
      description: C(governance) or C(compliance); null without a lock.
      type: str
      sample: governance
    min_retention_days:
      description: Shortest retention allowed, in days.
      type: int
      sample: 7
    max_retention_days:
      description: Longest retention allowed, in days; null for none.
      type: int
      sample: 400
    lock_date:
      description: When a compliance lock becomes immutable (ISO 8601); null in governance mode and in check mode
        before a compliance lock is set.
      type: str
      sample: "2026-12-06T14:00:00+00:00"
backup_vault_arn:
  description: ARN of the vault.
  returned: always
  type: str
  sample: arn:aws:backup:eu-west-1:123456789012:backup-vault:hybridcloud
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import AnsibleBackupError
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import delete_vault_lock
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import describe_vault
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import lock_differences
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import lock_immutable
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import lock_view
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import put_vault_lock

DAY_LIMITS = {"min_retention_days": (1, 36500), "max_retention_days": (1, 36500), "changeable_for_days": (3, 36500)}


def validate(module):
    params = module.params
    for option, (low, high) in DAY_LIMITS.items():
        days = params[option]
        if days is not None and not low <= days <= high:
            module.fail_json(msg=f"{option} must be between {low} and {high}, got {days}")
    low, high = params["min_retention_days"], params["max_retention_days"]
    if low is not None and high is not None and low > high:
        module.fail_json(msg=f"min_retention_days ({low}) must be at most max_retention_days ({high})")


def main():
    argument_spec = dict(
        backup_vault_name=dict(type="str", required=True, aliases=["vault_name"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        min_retention_days=dict(type="int"),
        max_retention_days=dict(type="int"),
        changeable_for_days=dict(type="int"),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["min_retention_days"])],
        supports_check_mode=True,
    )
    validate(module)
    params = module.params
    name = params["backup_vault_name"]
    client = module.client("backup")

    try:
        vault = describe_vault(client, name)
        if vault is None:
            module.fail_json(msg=f"Backup vault {name} does not exist (or the caller may not describe it)")
        before = lock_view(vault)
        if params["state"] == "absent":
            changed = before["locked"]
            after = lock_view(None)
        else:
            changed = bool(lock_differences(vault, params["min_retention_days"], params["max_retention_days"], params["changeable_for_days"]))
            after = {
                "locked": True,
                "min_retention_days": params["min_retention_days"],
                "max_retention_days": params["max_retention_days"],
                "lock_date": before["lock_date"] if before["mode"] == "compliance" and params["changeable_for_days"] is not None else None,
                "mode": "governance" if params["changeable_for_days"] is None else "compliance",
            }
        if changed and lock_immutable(vault):
            module.fail_json(
                msg=f"The vault lock of {name} is in compliance mode and immutable since {before['lock_date']}: AWS allows no change or removal",
                vault_lock=before,
            )
        if changed and not module.check_mode:
            if params["state"] == "absent":
                delete_vault_lock(client, name)
            else:
                put_vault_lock(client, name, params["min_retention_days"], params["max_retention_days"], params["changeable_for_days"])
            after = lock_view(describe_vault(client, name))
        elif not changed:
            after = before
    except AnsibleBackupError as e:
        module.fail_json_aws_error(e)

    module.exit_json(changed=changed, vault_lock=after, backup_vault_arn=vault["BackupVaultArn"], diff={"before": before, "after": after})


if __name__ == "__main__":
    main()
