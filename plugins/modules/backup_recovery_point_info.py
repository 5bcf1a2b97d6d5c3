#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: backup_recovery_point_info
version_added: 0.2.0
short_description: List the recovery points of an AWS Backup vault
description:
  - Lists the recovery points of a backup vault (ListRecoveryPointsByBackupVault, every page), newest first,
    optionally only those of one resource or one resource type.
  - No upstream module lists recovery points (M(amazon.aws.backup_vault_info) describes vaults,
    M(amazon.aws.backup_restore_job_info) restore jobs), hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  backup_vault_name:
    description:
      - Name of the vault.
      - A vault that does not exist, or that the caller may not read, gives no recovery point and
        RV(vault_found=false) (AWS answers C(AccessDeniedException) for a vault that does not exist).
    required: true
    type: str
    aliases: [vault_name]
  resource_arn:
    description:
      - Only the recovery points of this resource.
    type: str
  resource_type:
    description:
      - Only the recovery points of this resource type, such as C(RDS), C(S3) or C(EBS).
    type: str
notes:
  - Supports C(check_mode).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the recovery points of the DR vault
  hybridcloud.aws.backup_recovery_point_info:
    region: eu-west-1
    backup_vault_name: hybridcloud-dr
  register: dr_points

- name: The latest recovery point of the database
  hybridcloud.aws.backup_recovery_point_info:
    backup_vault_name: hybridcloud
    resource_arn: arn:aws:rds:eu-central-1:123456789012:db:hybridcloud-postgres
  register: db_points
"""

RETURN = r"""
vault_found:
  description: Whether the vault could be read.
  returned: always
  type: bool
  sample: true
recovery_points:
  description: The recovery points, newest first, as ListRecoveryPointsByBackupVault returns them in snake_case, dates
    as ISO 8601 texts.
  returned: always
  type: list
  elements: dict
  contains:
    recovery_point_arn:
      description: ARN of the recovery point.
      type: str
      sample: arn:aws:rds:eu-west-1:123456789012:snapshot:awsbackup:copyjob-0a1b2c3d
    resource_arn:
      description: ARN of the resource it was taken of.
      type: str
      sample: arn:aws:rds:eu-central-1:123456789012:db:hybridcloud-postgres
    resource_type:
      description: The resource's type.
      type: str
      sample: RDS
    status:
      description: C(COMPLETED), C(PARTIAL), C(DELETING), C(EXPIRED), C(AVAILABLE), C(STOPPED) or C(CREATING).
      type: str
      sample: COMPLETED
    creation_date:
      description: When the recovery point was created (for a copy, when the copy was made).
      type: str
      sample: "2026-12-03T03:00:00+00:00"
    backup_vault_name:
      description: The vault.
      type: str
      sample: hybridcloud-dr
    source_backup_vault_arn:
      description: For a copy, the vault it was copied from.
      type: str
      sample: arn:aws:backup:eu-central-1:123456789012:backup-vault:hybridcloud
    backup_size_in_bytes:
      description: Size of the recovery point.
      type: int
      sample: 21474836480
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import AnsibleBackupError
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup_restore import list_recovery_points


def main():
    argument_spec = dict(
        backup_vault_name=dict(type="str", required=True, aliases=["vault_name"]),
        resource_arn=dict(type="str"),
        resource_type=dict(type="str"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    client = module.client("backup")
    try:
        points = list_recovery_points(client, params["backup_vault_name"], params["resource_arn"], params["resource_type"])
    except AnsibleBackupError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, vault_found=points is not None, recovery_points=points or [])


if __name__ == "__main__":
    main()
