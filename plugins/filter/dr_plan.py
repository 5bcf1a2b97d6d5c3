# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: dr_plan
short_description: What each layer keeps in the disaster recovery region, and the problems of the DR input
version_added: 0.2.0
description:
  - Takes the inventory's disaster recovery strategy (C(hybridcloud_dr_strategy)) and returns the plan of what each
    layer keeps in the DR region, with every problem of the input (unknown strategy, DR region missing, invalid or
    equal to the primary region, sizes out of range or unknown), each a sentence naming the variable and the value.
  - "Strategies: V(none) keeps nothing; V(backup_restore) copies recovery points to the DR vault, replicates the ECR
    images and the file share's bucket, and runs nothing; V(pilot_light) adds the network, a cross-region read replica
    of the database, the ECS cluster and services at zero and the internal ALB; V(warm_standby) runs the cluster and
    services at O(sizes.warm_standby_percent) of the production size (at least one), serving; V(active_active) runs
    them at full size in both regions (RDS for PostgreSQL keeps one writer: the DR region reads its replica and
    becomes the writer by promotion)."
  - With problems, every layer of the plan keeps nothing and RV(_value.enabled) is false.
  - "Built so far (version 0.2.0): the registry layer acts on RV(_value.ecr_replication) (role
    C(hybridcloud.aws.container_registry)) and the file share on RV(_value.file_share_replication) (role
    C(hybridcloud.aws.file_gateway)); the playbook C(hybridcloud.aws.dr.standby) builds RV(_value.network),
    RV(_value.database) (read replica), RV(_value.cluster) and RV(_value.load_balancer) in the DR region with the same
    roles; the playbook C(hybridcloud.aws.dr.failover) promotes the replica and scales the DR region to
    RV(_value.production). Recovery points are not driven by the plan yet."
positional: primary_region, dr_region, sizes
options:
  _input:
    description: The strategy.
    type: str
    required: true
    choices: [none, backup_restore, pilot_light, warm_standby, active_active]
  primary_region:
    description: The primary region; checked only for a strategy other than V(none).
    type: str
    required: true
  dr_region:
    description: The DR region; required unless the strategy is V(none), and not the primary region.
    type: str
  sizes:
    description: The production sizes the DR region scales to; a key left out takes its default.
    type: dict
    suboptions:
      instances:
        description: Container instances of the production ECS cluster (1-1000).
        type: int
        default: 2
      tasks:
        description: Tasks of each production service (1-1000).
        type: int
        default: 2
      warm_standby_percent:
        description: The share of the production size that V(warm_standby) keeps running (1-99).
        type: int
        default: 50
  prefix:
    description: The variables' prefix the problems name (C(<prefix>_strategy), C(<prefix>_region), C(<prefix>_sizes)).
    type: str
    default: hybridcloud_dr
  primary_name:
    description: The name of the primary region's variable, as the problems give it.
    type: str
    default: aws_region
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Check the disaster recovery input before any change
  ansible.builtin.assert:
    that: hybridcloud_dr.problems | length == 0
    fail_msg: "Invalid disaster recovery input: {{ hybridcloud_dr.problems | join('; ') }}"
    quiet: true
  vars:
    hybridcloud_dr: >-
      {{ hybridcloud_dr_strategy | hybridcloud.aws.dr_plan(aws_region, hybridcloud_dr_region, {'instances': 4}) }}
"""

RETURN = r"""
_value:
  description: The plan.
  type: dict
  contains:
    strategy:
      description: The strategy given.
      type: str
      sample: pilot_light
    primary_region:
      description: The primary region given.
      type: str
    dr_region:
      description: The DR region; null when the strategy is V(none) or the input has problems.
      type: str
      sample: eu-west-1
    problems:
      description: Every problem of the input; empty when it is valid.
      type: list
      elements: str
      sample: ["hybridcloud_dr_region: 'eu-central-1' must name a region other than the primary region (aws_region)"]
    enabled:
      description: Whether the DR region keeps anything (a strategy other than V(none), and no problems).
      type: bool
    backup_copies:
      description: Recovery points (RDS, EBS, S3, the file share's bucket) are copied to the DR vault.
      type: bool
    ecr_replication:
      description: The registry replicates the collection's repositories to the DR region.
      type: bool
    file_share_replication:
      description: The file share's bucket is replicated (S3 replication) to a bucket in the DR region.
      type: bool
    network:
      description: The DR region has the VPC, its private subnets and the endpoints.
      type: bool
    database:
      description: V(none), V(restore_from_recovery_point) (at recovery) or V(read_replica) (a cross-region replica).
      type: str
    cluster:
      description: The ECS cluster in the DR region, as instances and tasks per service; null when there is none.
      type: dict
      sample: {"instances": 0, "tasks": 0}
    load_balancer:
      description: The internal ALB exists in the DR region.
      type: bool
    serving:
      description: The DR region serves requests before a failover.
      type: bool
    production:
      description:
        - The production size a failover scales the DR region's cluster and services to (the sizes' instances and
          tasks); null when the strategy keeps no cluster in the DR region.
      type: dict
      sample: {"instances": 2, "tasks": 2}
    recovery:
      description: How a failover recovers, in words.
      type: str
"""


def dr_plan(strategy, primary_region, dr_region, sizes=None, *, prefix="hybridcloud_dr", primary_name="aws_region"):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.dr_plan import dr_plan as upstream

    return upstream(strategy, primary_region, dr_region, sizes, prefix=prefix, primary_name=primary_name)


class FilterModule:
    def filters(self):
        return {"dr_plan": dr_plan}
