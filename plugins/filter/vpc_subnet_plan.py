# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

DOCUMENTATION = r"""
name: vpc_subnet_plan
short_description: The subnets the role C(hybridcloud.aws.network) ensures, one public and one private per zone
version_added: 0.1.0
description:
  - For each zone, in the order given, its public subnet and then its private subnet, the range of zone I being
    entry I of O(public_cidrs) or O(private_cidrs).
  - The tags are O(tags) with C(Name) set to V(NAME-TIER-ZONE) and C(Tier) to V(public) or V(private).
positional: public_cidrs, private_cidrs, tags, name
options:
  _input:
    description: The availability zone names.
    type: list
    elements: str
    required: true
  public_cidrs:
    description: One public range per zone, at least as many as zones.
    type: list
    elements: str
    required: true
  private_cidrs:
    description: One private range per zone, at least as many as zones.
    type: list
    elements: str
    required: true
  tags:
    description: The tags of every subnet.
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
- name: Plan the subnets
  ansible.builtin.set_fact:
    my_subnets: "{{ ['eu-west-1a'] | hybridcloud.aws.vpc_subnet_plan(['10.40.240.0/24'], ['10.40.0.0/20'], {}, 'hc') }}"
"""

RETURN = r"""
_value:
  description: One mapping per subnet, zone by zone, public first.
  type: list
  elements: dict
  contains:
    az:
      description: The zone.
      type: str
    cidr:
      description: The subnet range.
      type: str
    tags:
      description: The subnet's tags.
      type: dict
  sample:
    - {az: eu-west-1a, cidr: 10.40.240.0/24, tags: {Name: hc-public-eu-west-1a, Tier: public}}
    - {az: eu-west-1a, cidr: 10.40.0.0/20, tags: {Name: hc-private-eu-west-1a, Tier: private}}
"""


def vpc_subnet_plan(zones, public_cidrs, private_cidrs, tags=None, name=""):
    """[{'az', 'cidr', 'tags'}]: the public then the private subnet of each zone."""
    plan = []
    for index, zone in enumerate(zones or []):
        for tier, cidrs in (("public", public_cidrs), ("private", private_cidrs)):
            if index >= len(cidrs or []):
                raise AnsibleFilterError(f"vpc_subnet_plan: no {tier} range for zone {zone} (entry {index} of {list(cidrs or [])})")
            plan.append({"az": zone, "cidr": cidrs[index], "tags": dict(tags or {}, Name=f"{name}-{tier}-{zone}", Tier=tier)})
    return plan


class FilterModule:
    def filters(self):
        return {"vpc_subnet_plan": vpc_subnet_plan}
