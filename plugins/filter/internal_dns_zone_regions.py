# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: internal_dns_zone_regions
short_description: Each region's target and health check, as the internal names' record sets hold them
version_added: 0.2.0
description:
  - Reads the regions back from the record sets the internal_dns role wrote (set identifier C(<name>-<region>)), so
    that the serving region can be switched with Route 53 calls only, while a region does not answer (a failover).
  - Per region its target (an alias record's DNS name, else the CNAME's value), the alias hosted zone id and the
    health check id, from the first name's record set of that region.
positional: zone, names, region_names
options:
  _input:
    description: The zone's record sets, as C(ListResourceRecordSets) answers them or as M(amazon.aws.route53_info)
      returns them (snake_case).
    type: list
    elements: dict
    required: true
  zone:
    description: The zone's name.
    type: str
    required: true
  names:
    description: The application names.
    type: list
    elements: str
    required: true
  region_names:
    description: The regions, the primary first.
    type: list
    elements: str
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Learn the regions from the zone
  ansible.builtin.set_fact:
    zone_regions: >-
      {{ records.resource_record_sets | hybridcloud.aws.internal_dns_zone_regions('internal.example.com', ['orders'],
         ['us-east-1', 'us-west-2']) }}
"""

RETURN = r"""
_value:
  description: What the record sets say of the regions.
  type: dict
  contains:
    regions:
      description: Per region found, C(region), C(target) and C(target_hosted_zone_id), the primary first.
      type: list
      elements: dict
    health_check_ids:
      description: Region to the health check id of its record sets.
      type: dict
    missing:
      description: The record sets (C(<name>.<zone>. (<region>))) that are not in the zone.
      type: list
      elements: str
"""


def regions_in_zone(record_sets, zone, names, region_names):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.internal_dns import regions_in_zone as upstream

    return upstream(record_sets, zone, names, region_names)


class FilterModule:
    def filters(self):
        return {"internal_dns_zone_regions": regions_in_zone}
