# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: dr_standby_sizes
short_description: The cluster and service sizes the disaster recovery region keeps
version_added: 0.2.0
description:
  - Takes the plan of P(hybridcloud.aws.dr_plan#filter) and returns the inputs of the roles C(hybridcloud.aws.ecs_cluster) and
    C(hybridcloud.aws.ecs_services) for the DR region (playbooks/dr/standby.yml).
  - "The cluster: the minimum and desired size are the plan's instances (0 for V(pilot_light): the Auto Scaling group
    and its capacity provider exist at zero instances), the maximum is O(cluster_max_size) (at least the instances)."
  - "Each EC2 service runs the plan's tasks; with autoscaling it scales between the plan's tasks and its own
    C(max_tasks), or from 0 to 0 at zero tasks. Each EXTERNAL service has zero tasks: the on-prem hosts are registered
    with the primary region until a failover moves them."
  - O(override) replaces the plan's sizes (a failover at production size); its C(external_tasks) (default its
    C(tasks)) sizes the EXTERNAL services, 0 while the on-prem hosts are not registered in the DR region.
positional: services, cluster_max_size, override
options:
  _input:
    description: The plan (the result of P(hybridcloud.aws.dr_plan#filter)).
    type: dict
    required: true
  services:
    description: The services as C(ecs_services_services) lists them.
    type: list
    elements: dict
    required: true
  cluster_max_size:
    description: The cluster's ceiling as the inventory sets it (C(ecs_cluster_max_size)).
    type: int
    required: true
  override:
    description: Sizes that replace the plan's, as C({instances, tasks, external_tasks}); empty keeps the plan's.
    type: dict
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Size the standby region's cluster and services
  ansible.builtin.set_fact:
    hybridcloud_dr_standby: >-
      {{ hybridcloud_dr_plan | hybridcloud.aws.dr_standby_sizes(ecs_services_services, ecs_cluster_max_size) }}
"""

RETURN = r"""
_value:
  description: The sizes.
  type: dict
  contains:
    enabled:
      description: Whether the plan keeps a cluster in the DR region; nothing else is returned when false.
      type: bool
    instances:
      description: Container instances the cluster keeps.
      type: int
    tasks:
      description: Tasks of each EC2 service.
      type: int
    ecs_cluster:
      description: C(min_size), C(desired_capacity) and C(max_size) of the cluster's Auto Scaling group.
      type: dict
      sample: {"min_size": 0, "desired_capacity": 0, "max_size": 3}
    services:
      description: The services with C(desired_count) and C(autoscaling) sized for the DR region.
      type: list
      elements: dict
"""


def dr_standby_sizes(plan, services, cluster_max_size, override=None):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.dr_standby import standby_sizes

    try:
        return standby_sizes(plan, services, cluster_max_size, override)
    except (TypeError, ValueError) as error:
        raise AnsibleFilterError("dr_standby_sizes: {0}".format(error)) from error


class FilterModule:
    def filters(self):
        return {"dr_standby_sizes": dr_standby_sizes}
