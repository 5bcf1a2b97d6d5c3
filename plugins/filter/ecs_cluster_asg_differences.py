# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

from ansible.module_utils.parsing.convert_bool import boolean

DOCUMENTATION = r"""
name: ecs_cluster_asg_differences
short_description: What the ecs_cluster role would change on its Auto Scaling group
version_added: 0.1.0
description:
  - Compares the Auto Scaling group as M(amazon.aws.autoscaling_group_info) returns it with what the role
    C(hybridcloud.aws.ecs_cluster) passes to M(amazon.aws.autoscaling_group), and lists what differs, so that the
    module (which calls C(UpdateAutoScalingGroup) on every run and reports a change in check mode) runs only then.
  - Compared are the limits, the launch template (by name, version C($Default)), the subnets (in any order), the scale-in
    protection of new instances, the health check type, whether metrics are collected, and the tags the role sets
    (tags added by others, such as ECS's C(AmazonECSManaged), are kept; the role does not purge them).
  - The desired capacity is never compared; ECS managed scaling owns it after the group is created.
positional: wanted
options:
  _input:
    description: One entry of C(results) of M(amazon.aws.autoscaling_group_info); null when the group does not exist.
    type: dict
    required: true
  wanted:
    description:
      - What the role passes, with the keys C(min_size), C(max_size), C(launch_template_name), C(subnet_ids),
        C(protected_from_scale_in), C(health_check_type), C(metrics_collection) and C(tags) (a dict).
    type: dict
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Ensure the group only where it differs
  amazon.aws.autoscaling_group:
    name: workers
    min_size: 1
    max_size: 4
  when: my_group_now | hybridcloud.aws.ecs_cluster_asg_differences(my_wanted) | length > 0
"""

RETURN = r"""
_value:
  description: What differs; empty when nothing does. V(missing), or V(limits), V(launch_template), V(subnets),
    V(protected_from_scale_in), V(health_check_type), V(metrics_collection), V(tags).
  type: list
  elements: str
  sample: ["limits", "tags"]
"""


def _plain(value):
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def asg_differences(current, wanted):
    current, wanted = _plain(current), _plain(wanted)
    if not current:
        return ["missing"]
    template = current.get("launch_template") or {}
    current_tags = {tag.get("key"): tag.get("value") for tag in current.get("tags") or []}
    checks = (
        ("limits", [current.get("min_size"), current.get("max_size")] != [int(wanted["min_size"]), int(wanted["max_size"])]),
        ("launch_template", template.get("launch_template_name") != wanted["launch_template_name"] or template.get("version") != "$Default"),
        ("subnets", sorted((current.get("vpc_zone_identifier") or "").split(",")) != sorted(wanted["subnet_ids"])),
        ("protected_from_scale_in", bool(current.get("new_instances_protected_from_scale_in")) != boolean(wanted["protected_from_scale_in"], strict=False)),
        ("health_check_type", current.get("health_check_type") != wanted.get("health_check_type", "EC2")),
        ("metrics_collection", bool(current.get("enabled_metrics")) != boolean(wanted["metrics_collection"], strict=False)),
        ("tags", any(current_tags.get(key) != str(value) for key, value in (wanted.get("tags") or {}).items())),
    )
    return [name for name, differs in checks if differs]


class FilterModule:
    def filters(self):
        return {"ecs_cluster_asg_differences": asg_differences}
