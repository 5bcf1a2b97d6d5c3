# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ids_by_subnet
short_description: A value of the resources in each subnet, in the order of the subnets
version_added: 0.1.0
description:
  - For each of the O(subnet_ids) in turn, the O(attribute) of the resources whose C(subnet_id) is that subnet, in
    the order read; empty values are left out. With O(first), only the first such value of each subnet.
  - The role C(hybridcloud.aws.network) hands on the NAT gateway of each zone (one per subnet) and the addresses of
    the Resolver endpoint, ordered by zone.
positional: subnet_ids, attribute, first
options:
  _input:
    description: The resources, each with a C(subnet_id).
    type: list
    elements: dict
    required: true
  subnet_ids:
    description: The subnets, in the order wanted.
    type: list
    elements: str
    required: true
  attribute:
    description: The key of the value to take from each resource.
    type: str
    required: true
  first:
    description: Take at most one value per subnet.
    type: bool
    default: false
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: The NAT gateway of each public subnet
  ansible.builtin.set_fact:
    my_nat_ids: "{{ my_nats.result | hybridcloud.aws.ids_by_subnet(my_public_subnet_ids, 'nat_gateway_id', true) }}"

- name: The Resolver endpoint's addresses, ordered by subnet
  ansible.builtin.set_fact:
    my_resolver_ips: "{{ my_endpoint.ip_addresses | hybridcloud.aws.ids_by_subnet(my_private_subnet_ids, 'ip') }}"
"""

RETURN = r"""
_value:
  description: The values, subnet by subnet.
  type: list
  elements: raw
  sample: [nat-0123456789abcdef0, nat-0fedcba9876543210]
"""


def ids_by_subnet(resources, subnet_ids, attribute, first=False):
    """The attribute of the resources of each subnet, in subnet order (empty values left out)."""
    values = []
    for subnet_id in subnet_ids or []:
        found = [resource.get(attribute) for resource in resources or [] if resource.get("subnet_id") == subnet_id and resource.get(attribute)]
        values.extend(found[:1] if first else found)
    return values


class FilterModule:
    def filters(self):
        return {"ids_by_subnet": ids_by_subnet}
