#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: rds_replica_lag_info
version_added: 0.2.0
short_description: Read the replication state and the lag of the RDS read replicas of a region
description:
  - Lists the read replicas among the RDS DB instances of the region (one DescribeDBInstances listing, every page) with
    the state of their replication (the C(read replication) entry of StatusInfos) and their latest C(ReplicaLag).
  - The lag is the newest datapoint of the CloudWatch metric C(ReplicaLag) (namespace C(AWS/RDS), dimension
    C(DBInstanceIdentifier), unit C(Seconds)), the maximum per minute, within the last O(window_minutes) minutes. All
    replicas are read in one GetMetricData call (up to 500 replicas per call), not one call per replica.
  - Instances that are not read replicas of a DB instance (standalone instances, sources, Aurora cluster members) are
    not listed.
  - M(amazon.aws.rds_instance_info) returns the instances but not their lag, hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  db_instance_identifiers:
    description:
      - Only the replicas with these DB instance identifiers.
      - An identifier that names no DB instance of the region, or an instance that is not a read replica, is simply
        absent from RV(replicas) (no error).
      - Without it, every read replica of the region.
    type: list
    elements: str
  window_minutes:
    description:
      - How far back to look for C(ReplicaLag) datapoints, in minutes (1 to 1440). The window ends a minute after now,
        so that a datapoint stamped in the current second, or by a clock a little ahead of the controller's, counts.
      - A replica without a datapoint in the window has RV(replicas[].lag_seconds=null).
    type: int
    default: 15
notes:
  - Supports C(check_mode).
  - Needs C(rds:DescribeDBInstances) and C(cloudwatch:GetMetricData).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the lag of every read replica of the DR region
  hybridcloud.aws.rds_replica_lag_info:
    region: us-west-2
  register: dr_replicas

- name: The DR replica of the database, with the last hour of datapoints
  hybridcloud.aws.rds_replica_lag_info:
    region: us-west-2
    db_instance_identifiers:
      - hybridcloud-postgres-dr
    window_minutes: 60
  register: dr_replica

- name: Refuse a failover drill while the replica is behind
  ansible.builtin.assert:
    that:
      - dr_replica.replicas | length == 1
      - dr_replica.replicas[0].replication_normal
      - dr_replica.replicas[0].lag_seconds is not none
      - dr_replica.replicas[0].lag_seconds < 60
"""

RETURN = r"""
replicas:
  description: The read replicas, sorted by identifier.
  returned: always
  type: list
  elements: dict
  contains:
    db_instance_identifier:
      description: The replica's DB instance identifier.
      type: str
      sample: hybridcloud-postgres-dr
    db_instance_arn:
      description: The replica's ARN.
      type: str
      sample: arn:aws:rds:us-west-2:123456789012:db:hybridcloud-postgres-dr
    source:
      description:
        - The source instance (ReadReplicaSourceDBInstanceIdentifier), its ARN for a cross-region replica, else its
          identifier.
      type: str
      sample: arn:aws:rds:us-east-1:123456789012:db:hybridcloud-postgres
    replication_status:
      description:
        - Status of the C(read replication) entry of StatusInfos, such as C(replicating), C(error), C(stopped) or
          C(terminated); null when RDS gives no such entry.
      type: str
      sample: replicating
    replication_normal:
      description: Whether RDS calls the replication normal (Normal of the same entry); null when there is no entry.
      type: bool
      sample: true
    lag_seconds:
      description: The newest C(ReplicaLag) datapoint in the window, in seconds; null when there is none.
      type: float
      sample: 42.5
    lag_measured_at:
      description: When that datapoint was measured (the start of its minute), ISO 8601 in UTC; null when there is none.
      type: str
      sample: "2026-12-04T14:52:00+00:00"
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.rds_replica_lag import AnsibleRDSReplicaLagError
from ansible_collections.hybridcloud.aws.plugins.module_utils.rds_replica_lag import replica_lags

MAX_WINDOW_MINUTES = 1440


def main():
    argument_spec = dict(
        db_instance_identifiers=dict(type="list", elements="str"),
        window_minutes=dict(type="int", default=15),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    window = params["window_minutes"]
    if not 1 <= window <= MAX_WINDOW_MINUTES:
        module.fail_json(msg=f"window_minutes must be between 1 and {MAX_WINDOW_MINUTES}, got {window}")
    rds = module.client("rds")
    cloudwatch = module.client("cloudwatch")
    try:
        replicas = replica_lags(rds, cloudwatch, params["db_instance_identifiers"], window)
    except AnsibleRDSReplicaLagError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, replicas=replicas)


if __name__ == "__main__":
    main()
