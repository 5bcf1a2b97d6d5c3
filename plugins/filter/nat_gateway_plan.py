# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

DOCUMENTATION = r"""
name: nat_gateway_plan
short_description: One NAT gateway per zone for the role C(hybridcloud.aws.network), with the one that exists
version_added: 0.1.0
description:
  - For each zone in the order given, the public subnet of the zone (the same entry of O(public_subnet_ids)), the
    first of the NAT gateways read that sits in that subnet (null when none does) and the tags the zone's NAT
    gateway should carry, O(tags) with C(Name) V(NAME-nat-ZONE).
positional: public_subnet_ids, nat_gateways, tags, name
options:
  _input:
    description: The availability zone names.
    type: list
    elements: str
    required: true
  public_subnet_ids:
    description: The public subnet of each zone, in zone order.
    type: list
    elements: str
    required: true
  nat_gateways:
    description: The C(result) list of M(amazon.aws.ec2_vpc_nat_gateway_info).
    type: list
    elements: dict
    required: true
  tags:
    description: The tags of every NAT gateway.
    type: dict
    default: {}
  name:
    description: The network name, the first part of each C(Name) tag.
    type: str
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Plan one NAT gateway per zone
  ansible.builtin.set_fact:
    my_nat_plan: "{{ ['eu-west-1a'] | hybridcloud.aws.nat_gateway_plan(['subnet-pub'], my_nats.result, {}, 'hc') }}"
"""

RETURN = r"""
_value:
  description: One mapping per zone.
  type: list
  elements: dict
  contains:
    az:
      description: The zone.
      type: str
    subnet_id:
      description: The zone's public subnet.
      type: str
    existing:
      description: The NAT gateway read in that subnet, as read; null when there is none.
      type: dict
    tags:
      description: The tags the NAT gateway should carry.
      type: dict
  sample:
    - {az: eu-west-1a, subnet_id: subnet-pub, existing: null, tags: {Name: hc-nat-eu-west-1a}}
"""


def nat_gateway_plan(zones, public_subnet_ids, nat_gateways, tags=None, name=""):
    """[{'az', 'subnet_id', 'existing', 'tags'}], one per zone."""
    plan = []
    for index, zone in enumerate(zones or []):
        if index >= len(public_subnet_ids or []):
            raise AnsibleFilterError(f"nat_gateway_plan: no public subnet for zone {zone}")
        subnet_id = public_subnet_ids[index]
        existing = next((nat for nat in nat_gateways or [] if nat.get("subnet_id") == subnet_id), None)
        plan.append({"az": zone, "subnet_id": subnet_id, "existing": existing, "tags": dict(tags or {}, Name=f"{name}-nat-{zone}")})
    return plan


class FilterModule:
    def filters(self):
        return {"nat_gateway_plan": nat_gateway_plan}
