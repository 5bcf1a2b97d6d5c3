# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: target_group_targets
short_description: The target registrations of a target group entry, as community.aws.elb_target_group takes them
version_added: 0.1.0
description:
  - Turns the C(targets) of an entry of C(load_balancer_target_groups) of the role C(hybridcloud.aws.load_balancer)
    into the C(targets) of M(community.aws.elb_target_group) (C(Id), C(Port) and C(AvailabilityZone)).
  - A target's port defaults to the group's C(port).
  - A target's availability zone is its C(availability_zone), or V(all) in a group of C(target_type) V(ip) (targets
    outside the VPC, on premises, must be registered in all zones); no C(AvailabilityZone) key when that is empty.
options:
  _input:
    description: The target group entry (C(port), and optionally C(target_type), default V(instance), and C(targets)).
    type: dict
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Register the on-premises targets
  community.aws.elb_target_group:
    name: "{{ item.name }}"
    protocol: HTTP
    port: "{{ item.port }}"
    target_type: ip
    vpc_id: vpc-0123456789abcdef0
    modify_targets: true
    targets: "{{ item | hybridcloud.aws.target_group_targets }}"
  loop: "{{ my_target_groups }}"
"""

RETURN = r"""
_value:
  description: One registration per target, in the order given; empty when the entry has no targets.
  type: list
  elements: dict
  sample: [{"Id": "192.168.20.11", "Port": 8080, "AvailabilityZone": "all"}]
"""


def target_group_targets(group):
    """[{'Id', 'Port', 'AvailabilityZone' (when not empty)}] for the targets of one target group entry."""
    in_vpc_default = "all" if group.get("target_type", "instance") == "ip" else ""
    registrations = []
    for target in group.get("targets", []):
        zone = target.get("availability_zone", in_vpc_default)
        registration = {"Id": target["id"], "Port": target["port"] if "port" in target else group["port"]}
        if zone:
            registration["AvailabilityZone"] = zone
        registrations.append(registration)
    return registrations


class FilterModule:
    def filters(self):
        return {"target_group_targets": target_group_targets}
