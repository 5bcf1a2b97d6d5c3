# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible.errors import AnsibleFilterError

DOCUMENTATION = r"""
name: vpc_subnet_cidrs
short_description: The public and private subnet ranges the role C(hybridcloud.aws.network) carves from a VPC range
version_added: 0.1.0
description:
  - 'For a VPC range of prefix length P: private subnet I is block I of size /P+4 of the VPC range, public subnet I
    is block I of size /P+8 inside the last /P+4 block (block 15), so the public subnets never overlap the private ones.'
  - Host bits of the VPC range are ignored. At most 15 zones fit.
positional: az_count
options:
  _input:
    description: The VPC range, an IPv4 CIDR.
    type: str
    required: true
  az_count:
    description: How many zones, each with one public and one private subnet.
    type: int
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Carve the subnets from 10.40.0.0/16 for two zones
  ansible.builtin.debug:
    msg: "{{ '10.40.0.0/16' | hybridcloud.aws.vpc_subnet_cidrs(2) }}"
  # public: [10.40.240.0/24, 10.40.241.0/24], private: [10.40.0.0/20, 10.40.16.0/20]
"""

RETURN = r"""
_value:
  description: The ranges, in zone order.
  type: dict
  contains:
    public:
      description: One /P+8 range per zone.
      type: list
      elements: str
    private:
      description: One /P+4 range per zone.
      type: list
      elements: str
  sample:
    public: [10.40.240.0/24, 10.40.241.0/24]
    private: [10.40.0.0/20, 10.40.16.0/20]
"""


def vpc_subnet_cidrs(vpc_cidr, az_count):
    """{'public': [...], 'private': [...]}: az_count ranges each, carved from vpc_cidr as documented above."""
    try:
        vpc = ipaddress.IPv4Network(str(vpc_cidr), strict=False)
        count = int(az_count)
    except (ValueError, TypeError) as error:
        raise AnsibleFilterError(f"vpc_subnet_cidrs: {error}") from error
    if vpc.prefixlen + 8 > 32 or not 0 <= count <= 15:
        raise AnsibleFilterError(f"vpc_subnet_cidrs: {vpc} cannot hold {count} public /{vpc.prefixlen + 8} and private /{vpc.prefixlen + 4} subnets")
    private = list(vpc.subnets(new_prefix=vpc.prefixlen + 4))
    public = list(private[15].subnets(new_prefix=vpc.prefixlen + 8))
    return {"public": [str(net) for net in public[:count]], "private": [str(net) for net in private[:count]]}


class FilterModule:
    def filters(self):
        return {"vpc_subnet_cidrs": vpc_subnet_cidrs}
