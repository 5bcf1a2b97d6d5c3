# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The sizes the standby region runs at (playbooks/dr/standby.yml): from the disaster recovery plan (dr_plan's
cluster: instances, tasks per service), the inventory's services and its cluster ceiling, the inputs of the
ecs_cluster and ecs_services roles run against the DR region.

- The cluster: ecs_cluster_min_size and ecs_cluster_desired_capacity are the plan's instances (0 for pilot_light: the
  Auto Scaling group and its capacity provider exist at zero instances), ecs_cluster_max_size the inventory's
  ceiling (at least the plan's instances), so that managed scaling can place what a failover asks for.
- Each EC2 service: desired_count is the plan's tasks; a service with autoscaling scales between the plan's tasks
  and its own max_tasks (0 to 0 at zero tasks: nothing is started by a scaling policy in a pilot light).
- Each EXTERNAL (on-premises) service: zero tasks, whatever the strategy: the on-prem hosts are registered with the
  primary region's cluster until a failover moves them, so the DR region defines these services only.

`override` ({instances, tasks, external_tasks}) replaces the plan's sizes: a failover (playbooks/dr/failover.yml) runs
the same roles with the production sizes. external_tasks (default: tasks) sizes the EXTERNAL services: tasks once the
on-prem hosts are registered in the DR region, 0 while they are not (ECS could place nothing on them)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy


def _count(name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("{0} must be a whole number >= 0, got {1!r}".format(name, value))
    return value


def standby_sizes(plan, services, cluster_max_size, override=None):
    """The ecs_cluster and ecs_services inputs of the standby region; `enabled` false when the plan keeps no cluster
    (strategies none and backup_restore, or a plan with problems), and then nothing else is given."""
    sizes = override if override else (plan or {}).get("cluster")
    if not sizes:
        return {"enabled": False}
    instances = _count("instances", sizes.get("instances"))
    tasks = _count("tasks", sizes.get("tasks"))
    ceiling = _count("cluster_max_size", int(cluster_max_size))
    external_tasks = _count("external_tasks", sizes.get("external_tasks", tasks)) if override else 0
    scaled_services = []
    for given in services or []:
        service = copy.deepcopy(dict(given))
        external = service.get("placement", "ec2") == "external"
        count = external_tasks if external else tasks
        service["desired_count"] = count
        scaling = service.get("autoscaling")
        if scaling:
            scaling = dict(scaling)
            scaling["min_tasks"] = count
            scaling["max_tasks"] = max(count, int(scaling.get("max_tasks", count))) if count else 0
            service["autoscaling"] = scaling
        scaled_services.append(service)
    return {
        "enabled": True,
        "instances": instances,
        "tasks": tasks,
        "ecs_cluster": {"min_size": instances, "desired_capacity": instances, "max_size": max(instances, ceiling)},
        "services": scaled_services,
    }
