# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: dr_failback_plan
short_description: The database steps left to fail back from the disaster recovery region
version_added: 0.2.0
description:
  - Takes the primary region's PostgreSQL instance and the DR region's, as M(amazon.aws.rds_instance_info) returns
    them, and returns the steps left to make the primary region's instance the writer again (playbooks/dr/failback.yml).
  - "Steps, in order: V(retire_primary) renames a stale primary instance (from before the failover) to
    C(<id>-stale-<its creation, yyyymmddhhmm>), kept and never deleted; V(replicate_primary) makes a cross-region read
    replica of the DR writer under the primary identifier, tagged C(hybridcloud:failback-source) with the DR writer's
    DbiResourceId; V(promote_primary) promotes it; V(retire_dr) renames the DR writer to C(<DR id>-stale-<creation>),
    so that the standby makes a new read replica of the primary."
  - Every step is read back from the instances, so a rerun goes on where an interrupted run stopped. A DR instance
    that is a read replica leaves nothing to do.
positional: dr, primary_identifier, dr_identifier
options:
  _input:
    description: The primary region's instance (one entry of C(instances) of M(amazon.aws.rds_instance_info)); null when there is none.
    type: dict
    required: true
  dr:
    description: The DR region's instance, likewise; null when there is none.
    type: dict
    required: true
  primary_identifier:
    description: The primary instance's identifier.
    type: str
    required: true
  dr_identifier:
    description: The DR instance's identifier.
    type: str
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Decide the failback's database steps
  ansible.builtin.set_fact:
    failback: >-
      {{ primary.instances | first | default(none)
         | hybridcloud.aws.dr_failback_plan(dr.instances | first | default(none), 'hybridcloud-postgres', 'hybridcloud-postgres-dr') }}
"""

RETURN = r"""
_value:
  description: The steps and the names they use.
  type: dict
  contains:
    state:
      description: Where the failback stands, in words.
      type: str
    steps:
      description: The steps left, in order (V(retire_primary), V(replicate_primary), V(promote_primary), V(retire_dr)).
      type: list
      elements: str
    problems:
      description: Why the failback cannot go on (the two instances are in no state it knows); empty otherwise.
      type: list
      elements: str
    retire_primary_as:
      description: The stale primary's new identifier; null unless V(retire_primary) is a step.
      type: str
    retire_dr_as:
      description: The DR writer's new identifier once it is retired.
      type: str
    replica_source:
      description: The DR writer's ARN, the primary replica's source.
      type: str
    source_tag:
      description: The tag the primary replica carries (C(hybridcloud:failback-source) the DR writer's DbiResourceId).
      type: dict
"""


def failback_plan(primary, dr, primary_identifier, dr_identifier):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.dr_failback import failback_plan as upstream

    return upstream(primary, dr, primary_identifier, dr_identifier)


class FilterModule:
    def filters(self):
        return {"dr_failback_plan": failback_plan}
