# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

DOCUMENTATION = r"""
name: vpc_route_table_plan
short_description: The route tables the role C(hybridcloud.aws.network) ensures
version_added: 0.1.0
description:
  - First the public route table V(NAME-public) of every public subnet, its default route to the internet gateway;
    then, for each zone in the order given, the route table V(NAME-private-ZONE) of the zone's private subnet, its
    default route to the zone's NAT gateway.
  - A gateway not known yet (check mode before it exists) gives an empty C(target_id).
positional: name, public_subnet_ids, private_subnet_ids, internet_gateway_id, nat_gateway_ids
options:
  _input:
    description: The availability zone names.
    type: list
    elements: str
    required: true
  name:
    description: The network name, the first part of each table name.
    type: str
    required: true
  public_subnet_ids:
    description: The public subnets.
    type: list
    elements: str
    required: true
  private_subnet_ids:
    description: The private subnet of each zone, in zone order.
    type: list
    elements: str
    required: true
  internet_gateway_id:
    description: The internet gateway; empty when not known.
    type: str
    default: ""
  nat_gateway_ids:
    description: The NAT gateway of each zone, in zone order; shorter when some are not known.
    type: list
    elements: str
    default: []
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Plan the route tables
  ansible.builtin.set_fact:
    my_tables: >-
      {{ ['eu-west-1a'] | hybridcloud.aws.vpc_route_table_plan('hc', ['subnet-pub'], ['subnet-priv'], 'igw-1', ['nat-1']) }}
"""

RETURN = r"""
_value:
  description: One mapping per route table, the public one first.
  type: list
  elements: dict
  contains:
    name:
      description: The table's Name tag.
      type: str
    subnets:
      description: The subnets associated with it.
      type: list
      elements: str
    target_key:
      description: The key of the default route's target in M(amazon.aws.ec2_vpc_route_table), V(gateway_id) or V(nat_gateway_id).
      type: str
    target_id:
      description: The default route's target; empty when not known.
      type: str
  sample:
    - {name: hc-public, subnets: [subnet-pub], target_key: gateway_id, target_id: igw-1}
    - {name: hc-private-eu-west-1a, subnets: [subnet-priv], target_key: nat_gateway_id, target_id: nat-1}
"""


def vpc_route_table_plan(zones, name, public_subnet_ids, private_subnet_ids, internet_gateway_id="", nat_gateway_ids=None):  # noqa: PLR0917 (a filter takes its arguments by position)
    """[{'name', 'subnets', 'target_key', 'target_id'}]: the public table, then one private table per zone."""
    nat_gateway_ids = list(nat_gateway_ids or [])
    plan = [{"name": f"{name}-public", "subnets": list(public_subnet_ids or []), "target_key": "gateway_id", "target_id": internet_gateway_id or ""}]
    for index, zone in enumerate(zones or []):
        if index >= len(private_subnet_ids or []):
            raise AnsibleFilterError(f"vpc_route_table_plan: no private subnet for zone {zone}")
        plan.append(
            {
                "name": f"{name}-private-{zone}",
                "subnets": [private_subnet_ids[index]],
                "target_key": "nat_gateway_id",
                "target_id": nat_gateway_ids[index] if index < len(nat_gateway_ids) else "",
            }
        )
    return plan


class FilterModule:
    def filters(self):
        return {"vpc_route_table_plan": vpc_route_table_plan}
