# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: internal_dns_zone_plan
short_description: The internal_dns role's private zone, its VPCs and whether an existing zone of the name refuses it
version_added: 0.2.0
description:
  - Takes the private zones of the name as M(amazon.aws.route53_info) details them and returns the VPCs to associate,
    as M(amazon.aws.route53_zone) takes them, and why the role must not write the zone.
  - M(amazon.aws.route53_zone) creates a second private zone of the same name when the VPCs it is given differ from
    an existing zone's; so a second private zone of the name, or one associated with other VPCs than the regions',
    is refused before any write.
positional: zone, regions
options:
  _input:
    description: The private zones of the name, each as the C(details) query of M(amazon.aws.route53_info) returns it
      (with C(VPCs), a list of C(VPCRegion) and C(VPCId)).
    type: list
    elements: dict
    required: true
  zone:
    description: The zone's name, for the message.
    type: str
    required: true
  regions:
    description: The role's regions, each with C(region) and C(vpc_id).
    type: list
    elements: dict
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Refuse a second zone of this name, or one associated with other VPCs
  ansible.builtin.assert:
    that: plan.refusal | length == 0
    fail_msg: "{{ plan.refusal }}"
  vars:
    plan: "{{ details.results | hybridcloud.aws.internal_dns_zone_plan('internal.example.com', [{'region': 'us-east-1', 'vpc_id': 'vpc-0123456789abcdef0'}]) }}"
"""

RETURN = r"""
_value:
  description: The zone's plan.
  type: dict
  contains:
    vpcs:
      description: The VPCs to associate, each with C(id) and C(region).
      type: list
      elements: dict
    refusal:
      description: Why the role must not write the zone; empty when it may.
      type: str
"""


def zone_plan(zone_details, zone, regions):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.internal_dns import zone_plan as upstream

    return upstream(zone_details, zone, regions)


class FilterModule:
    def filters(self):
        return {"internal_dns_zone_plan": zone_plan}
