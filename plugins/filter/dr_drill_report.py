# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: dr_drill_report
short_description: The result of a disaster recovery drill, RPO and restore time per resource, and pass or fail
version_added: 0.2.0
description:
  - Takes the plan of P(hybridcloud.aws.dr_drill_plan#filter) and what the drill observed, and returns per restored
    resource its RPO (the drill's start minus the recovery point's creation time), its restore time (the restore job's
    completion minus its creation) and whether it passed, and whether the drill passed.
  - A resource passes when its restore job completed (or a scratch resource of an interrupted run of the same drill was
    reused), its scratch resource was read back available (a DB instance in status C(available), a bucket that exists)
    and its RPO and restore time are within O(rpo_max_seconds) and O(rto_max_seconds).
  - The drill passes when the plan had no problem, at least one resource was restored, every one passed, the time from
    starting the restore jobs to every scratch resource read back is within O(rto_max_seconds), and no scratch resource
    remains after the cleanup.
  - Each read replica of the DR region in C(replicas) passes when its replication is normal and its lag (the ReplicaLag
    metric, the data a failover by promotion loses) is known and within O(rpo_max_seconds); the drill passes only
    when every replica does.
positional: observed
options:
  _input:
    description: The plan (P(hybridcloud.aws.dr_drill_plan#filter)).
    type: dict
    required: true
  observed:
    description:
      - What the drill observed. C(started), C(restores_started), C(ready), C(finished) are ISO 8601 times (when the drill
        started, when it started the restore jobs, when every scratch resource had been read back, after the cleanup).
      - C(restore_jobs) are the jobs as M(amazon.aws.backup_restore_job_info) describes them, C(db_instances) the DR
        region's DB instances after the restores (M(amazon.aws.rds_instance_info)), C(buckets) the names of the buckets
        read back, C(remaining) the scratch candidates after the cleanup (keys C(RDS) and C(S3)), C(errors)
        the messages of failures on the way (each fails the drill).
      - C(replicas) are the DR region's read replicas as M(hybridcloud.aws.rds_replica_lag_info) returns them.
    type: dict
    required: true
  rpo_max_seconds:
    description: Fail a resource whose RPO is longer; null for no limit.
    type: int
  rto_max_seconds:
    description: Fail a resource whose restore takes longer, and the drill when all scratch resources are ready later;
      null for no limit.
    type: int
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Judge the drill
  ansible.builtin.set_fact:
    drill_result: >-
      {{ drill | hybridcloud.aws.dr_drill_report({'started': started, 'restores_started': restores_started,
         'ready': ready, 'finished': finished, 'restore_jobs': jobs, 'db_instances': instances, 'buckets': buckets,
         'remaining': {'RDS': [], 'S3': []}}, rpo_max_seconds=90000) }}
"""

RETURN = r"""
_value:
  description: The drill's result.
  type: dict
  contains:
    drill_id:
      description: The drill id.
      type: str
    region:
      description: The DR region.
      type: str
    vault:
      description: The DR vault.
      type: str
    started:
      description: When the drill started.
      type: str
    finished:
      description: When the cleanup ended.
      type: str
    passed:
      description: Whether the drill passed.
      type: bool
    problems:
      description: Every reason the drill failed; empty when it passed.
      type: list
      elements: str
    resources:
      description: Per restored resource, C(resource_arn), C(resource_type), C(recovery_point_arn),
        C(recovery_point_created), C(scratch_name), C(restore_status) (the job's, V(REUSED) or V(NOT_STARTED)),
        C(scratch_state), C(rpo_seconds), C(restore_seconds) (null when reused), C(passed) and C(problems).
      type: list
      elements: dict
    skipped:
      description: The resources the drill does not restore, from the plan.
      type: list
      elements: dict
    leftovers_deleted:
      description: Scratch resources of earlier drills deleted before the restores.
      type: list
      elements: dict
    remaining:
      description: Scratch resources still there after the cleanup (empty when the drill cleaned up).
      type: list
      elements: dict
    rto_seconds:
      description: Seconds from starting the restore jobs to every scratch resource read back available.
      type: float
    worst_rpo_seconds:
      description: The longest RPO of the resources.
      type: float
    replicas:
      description:
        - The DR region's read replicas judged, each with C(db_instance_identifier), C(source), C(replication_status),
          C(lag_seconds), C(lag_measured_at), C(passed) and C(problems).
      type: list
      elements: dict
    worst_replica_lag_seconds:
      description: The longest lag of the replicas; null without a replica or a datapoint.
      type: float
    rpo_max_seconds:
      description: The limit given.
      type: int
    rto_max_seconds:
      description: The limit given.
      type: int
    summary:
      description: One line for the run's output, pass or fail, resources restored and read back, scratch resources
        left, worst RPO, time to all ready, read replicas and their worst lag, then every problem.
      type: str
"""


def drill_report(plan, observed, *, rpo_max_seconds=None, rto_max_seconds=None):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.dr_drill import drill_report as upstream

    return upstream(plan, observed, rpo_max_seconds=rpo_max_seconds, rto_max_seconds=rto_max_seconds)


class FilterModule:
    def filters(self):
        return {"dr_drill_report": drill_report}
