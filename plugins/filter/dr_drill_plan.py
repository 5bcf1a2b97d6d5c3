# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: dr_drill_plan
short_description: What a disaster recovery drill restores from the DR vault, into which scratch resources
version_added: 0.2.0
description:
  - Takes the recovery points of the DR vault (the C(recovery_points) of M(hybridcloud.aws.backup_recovery_point_info))
    and picks the latest usable one (status C(COMPLETED) or C(AVAILABLE)) of every protected resource.
  - Each is restored into a scratch resource named C(<prefix>-<drill_id>-<source name, shortened>-<6 hex digits>), a
    valid RDS DB instance identifier and S3 bucket name; RV(_value.restores[].metadata) is the restore job's metadata.
  - A scratch resource of the same name that exists already (left by an interrupted run of the same drill) is reused
    (RV(_value.restores[].reuse)); an existing resource named like a scratch resource of any other drill
    (C(<prefix>-<letters or digits>-...)) is a leftover, to be deleted before the drill restores anything.
  - Only RDS DB instances and S3 buckets are restored; recovery points of other resource types are listed in
    RV(_value.skipped).
  - With problems (a prefix or drill id that cannot make a valid name, an unknown resource type) nothing is planned.
positional: drill_id, existing
options:
  _input:
    description: The recovery points of the DR vault, with C(resource_arn), C(resource_type), C(recovery_point_arn),
      C(creation_date) (ISO 8601) and C(status).
    type: list
    elements: dict
    required: true
  drill_id:
    description: The drill's id (1 to 16 lower case letters or digits), in every scratch name.
    type: str
    required: true
  existing:
    description: The scratch candidates found in the DR region, a dict with the keys C(RDS) (DB instance identifiers)
      and C(S3) (bucket names); names that do not look like a scratch resource are ignored.
    type: dict
  prefix:
    description: The scratch names' prefix (a lower case letter, then up to 9 lower case letters or digits); reserved
      for drills.
    type: str
    default: hcdrill
  resource_types:
    description: The resource types to restore (V(RDS), V(S3)).
    type: list
    elements: str
    default: [RDS, S3]
  resource_arns:
    description: Only these protected resources; empty or null for every resource of the vault.
    type: list
    elements: str
  metadata:
    description: Restore metadata per resource type (keys C(RDS) and C(S3)) added to each restore job, such as
      C(DBInstanceClass) or C(DBSubnetGroupName) for RDS; the scratch name (and for S3 C(NewBucket)) are the drill's.
    type: dict
  db_subnet_group:
    description:
      - The DB subnet group each DB instance is restored into unless O(metadata) names C(DBSubnetGroupName) for RDS
        (the role passes the standby's where the strategy keeps a DR network).
      - Without either, RDS restores into the DR region's default VPC (which fails where the account deleted it); the
        plan's summary says which.
    type: str
  region:
    description: The DR region, copied into the plan for the report.
    type: str
  vault:
    description: The DR vault's name, copied into the plan for the report.
    type: str
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Decide what the drill restores
  ansible.builtin.set_fact:
    drill: >-
      {{ dr_vault_points.recovery_points | hybridcloud.aws.dr_drill_plan('20261203170000',
         {'RDS': dr_instances.instances | map(attribute='db_instance_identifier') | list, 'S3': []},
         region='eu-west-1', vault='hybridcloud-dr') }}
"""

RETURN = r"""
_value:
  description: The plan.
  type: dict
  contains:
    drill_id:
      description: The drill id given.
      type: str
    prefix:
      description: The prefix given.
      type: str
    region:
      description: The region given.
      type: str
    vault:
      description: The vault given.
      type: str
    problems:
      description: Every problem of the input, each naming the variable; empty when it is valid.
      type: list
      elements: str
    restores:
      description: One entry per protected resource to restore, sorted by its ARN.
      type: list
      elements: dict
      contains:
        resource_arn:
          description: The protected resource.
          type: str
        resource_type:
          description: V(RDS) or V(S3).
          type: str
        resource_name:
          description: The protected resource's name.
          type: str
        recovery_point_arn:
          description: The latest usable recovery point of the resource in the vault.
          type: str
        recovery_point_created:
          description: Its creation date, as given.
          type: str
        scratch_name:
          description: The scratch resource's name.
          type: str
        metadata:
          description: The restore job's metadata (every value a string).
          type: dict
        reuse:
          description: The scratch resource exists already and is reused (no restore job).
          type: bool
    skipped:
      description: Resources whose latest recovery point the drill does not restore, with the reason.
      type: list
      elements: dict
    leftovers:
      description: Scratch resources of another drill (or no longer planned) to delete first, as resource_type and name.
      type: list
      elements: dict
    summary:
      description: The plan in sentences (what is deleted, restored from which recovery point into which name, skipped),
        for printing; empty with problems.
      type: list
      elements: str
"""


def drill_plan(recovery_points, drill_id, *args, **kwargs):
    """module_utils/dr_drill.py's drill_plan (its options are documented above)."""
    from ansible_collections.hybridcloud.aws.plugins.module_utils.dr_drill import drill_plan as upstream

    return upstream(recovery_points, drill_id, *args, **kwargs)


class FilterModule:
    def filters(self):
        return {"dr_drill_plan": drill_plan}
