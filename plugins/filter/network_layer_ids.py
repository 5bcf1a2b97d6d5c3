# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: network_layer_ids
short_description: The ids the role C(hybridcloud.aws.network) hands on, found in one read of its layer
version_added: 0.1.0
description:
  - From what M(hybridcloud.aws.vpc_layer_info) read, the ids the role hands to the other layers, found by the names
    and ranges the role gives its resources; what does not exist is left out (or empty).
  - Subnets by their ranges, in the order of O(public_cidrs) and O(private_cidrs) (zone order); the private route
    table of each private subnet is the one named V(NAME-private-ZONE) after the subnet's zone; the NAT gateway of
    each zone is the first one read in the zone's public subnet; the internet gateway is the one attached to the
    VPC; the security groups are those named V(NAME-KEY) (as C(hybridcloud.aws.security_group_ids) finds them);
    the flow log is the one tagged C(Name) V(NAME); the Resolver endpoint's addresses are ordered as the private
    subnets.
positional: name, public_cidrs, private_cidrs, security_group_specs
options:
  _input:
    description: What M(hybridcloud.aws.vpc_layer_info) returned.
    type: dict
    required: true
  name:
    description: The network name.
    type: str
    required: true
  public_cidrs:
    description: The public subnets' ranges, in zone order.
    type: list
    elements: str
    required: true
  private_cidrs:
    description: The private subnets' ranges, in zone order.
    type: list
    elements: str
    required: true
  security_group_specs:
    description: The role's security group specifications (each with a C(key)).
    type: list
    elements: dict
    default: []
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Hand on what exists
  ansible.builtin.set_fact:
    network_private_subnet_ids: "{{ (layer | hybridcloud.aws.network_layer_ids('hc', ['10.0.240.0/24'], ['10.0.0.0/20'])).private_subnet_ids }}"
"""

RETURN = r"""
_value:
  description: The ids found.
  type: dict
  contains:
    vpc_id:
      description: The VPC; empty when there is none.
      type: str
    public_subnet_ids:
      description: The public subnets that exist, in zone order.
      type: list
      elements: str
    private_subnet_ids:
      description: The private subnets that exist, in zone order.
      type: list
      elements: str
    private_route_table_ids:
      description: The private route table of each private subnet that has one.
      type: list
      elements: str
    nat_gateway_ids:
      description: The NAT gateway of each public subnet that has one.
      type: list
      elements: str
    internet_gateway_id:
      description: The internet gateway; empty when there is none.
      type: str
    security_group_ids:
      description: The group id of each key whose group exists.
      type: dict
    flow_log_id:
      description: The flow log tagged C(Name) O(name); empty when there is none.
      type: str
    resolver_endpoint_id:
      description: The Resolver endpoint read; empty when there is none.
      type: str
    resolver_ips:
      description: Its addresses, in the order of the private subnets.
      type: list
      elements: str
  sample:
    vpc_id: vpc-1
    public_subnet_ids: [subnet-3, subnet-4]
    private_subnet_ids: [subnet-1, subnet-2]
    private_route_table_ids: [rtb-1, rtb-2]
    nat_gateway_ids: [nat-1, nat-2]
    internet_gateway_id: igw-1
    security_group_ids: {alb: sg-1}
    flow_log_id: fl-1
    resolver_endpoint_id: rslvr-in-1
    resolver_ips: [10.40.0.10, 10.40.16.10]
"""


def _first(items, attribute, value):
    return next((item for item in items if item.get(attribute) == value), None)


def network_layer_ids(layer, name, public_cidrs, private_cidrs, security_group_specs=None):
    """{vpc_id, public_subnet_ids, private_subnet_ids, private_route_table_ids, nat_gateway_ids, internet_gateway_id,
    security_group_ids, flow_log_id, resolver_endpoint_id, resolver_ips} of what the read found."""
    layer = layer or {}
    subnets_by_cidr = {subnet.get("cidr_block"): subnet for subnet in layer.get("subnets") or []}
    public = [subnets_by_cidr[cidr] for cidr in public_cidrs or [] if cidr in subnets_by_cidr]
    private = [subnets_by_cidr[cidr] for cidr in private_cidrs or [] if cidr in subnets_by_cidr]
    tables_by_name = {}
    for table in layer.get("route_tables") or []:
        tables_by_name.setdefault((table.get("tags") or {}).get("Name", ""), table)
    private_tables = [tables_by_name.get(f"{name}-private-{subnet.get('availability_zone')}") for subnet in private]
    nats = layer.get("nat_gateways") or []
    nat_ids = [nat["nat_gateway_id"] for nat in (_first(nats, "subnet_id", subnet["subnet_id"]) for subnet in public) if nat and nat.get("nat_gateway_id")]
    groups_by_name = {group.get("group_name"): group.get("group_id") for group in layer.get("security_groups") or []}
    group_ids = {spec["key"]: groups_by_name[f"{name}-{spec['key']}"] for spec in security_group_specs or [] if f"{name}-{spec['key']}" in groups_by_name}
    flow_logs = [log for log in layer.get("flow_logs") or [] if (log.get("tags") or {}).get("Name") == name]
    gateways = layer.get("internet_gateways") or []
    endpoint = layer.get("resolver_endpoint") or {}
    addresses = endpoint.get("ip_addresses") or []
    resolver_ips = [address["ip"] for subnet in private for address in addresses if address.get("subnet_id") == subnet["subnet_id"] and address.get("ip")]
    return {
        "vpc_id": layer.get("vpc_id") or "",
        "public_subnet_ids": [subnet["subnet_id"] for subnet in public],
        "private_subnet_ids": [subnet["subnet_id"] for subnet in private],
        "private_route_table_ids": [table["route_table_id"] for table in private_tables if table],
        "nat_gateway_ids": nat_ids,
        "internet_gateway_id": gateways[0].get("internet_gateway_id", "") if gateways else "",
        "security_group_ids": group_ids,
        "flow_log_id": flow_logs[0].get("flow_log_id", "") if flow_logs else "",
        "resolver_endpoint_id": endpoint.get("id") or "",
        "resolver_ips": resolver_ips,
    }


class FilterModule:
    def filters(self):
        return {"network_layer_ids": network_layer_ids}
