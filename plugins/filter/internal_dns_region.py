# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: internal_dns_region
short_description: One region of the internal_dns role, from the network and load_balancer roles' hand-off facts
version_added: 0.2.0
description:
  - Returns one entry of the role's C(internal_dns_regions) from a region's hand-off facts, the variables of the host
    the network and load_balancer roles ran on (or their C(existing.yml) reads), such as C(hostvars['localhost']).
  - The ALB is the names' alias target (C(load_balancer_dns_name), C(load_balancer_canonical_hosted_zone_id)); the
    region's alarm watches C(HealthyHostCount) on the dimensions C(LoadBalancer) (the ALB's ARN suffix,
    C(app/<name>/<id>)) and C(TargetGroup) (O(target_group)'s, C(targetgroup/<name>/<id>)), as CloudWatch publishes
    the metric (it has no ALB-wide aggregate).
  - Fails naming every fact that is missing.
positional: target_group
options:
  _input:
    description: The region's hand-off facts, with C(aws_region), C(network_vpc_id), C(load_balancer_arn),
      C(load_balancer_dns_name), C(load_balancer_canonical_hosted_zone_id) and C(load_balancer_target_group_arns).
    type: dict
    required: true
  target_group:
    description: The target group (a key of C(load_balancer_target_group_arns)) whose healthy targets the region's
      health counts.
    type: str
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: The internal names of the primary and the DR region
  ansible.builtin.include_role:
    name: hybridcloud.aws.internal_dns
  vars:
    internal_dns_regions:
      - "{{ hostvars['localhost'] | hybridcloud.aws.internal_dns_region('web') }}"
      - "{{ hostvars['dr-region'] | hybridcloud.aws.internal_dns_region('web') }}"
"""

RETURN = r"""
_value:
  description: The region's entry of C(internal_dns_regions).
  type: dict
  contains:
    region:
      description: The region.
      type: str
    vpc_id:
      description: Its VPC.
      type: str
    target:
      description: The ALB's DNS name.
      type: str
    target_hosted_zone_id:
      description: The ALB's canonical hosted zone id (alias records).
      type: str
    alarm_dimensions:
      description: The dimensions of the region's alarm.
      type: dict
  sample:
    region: us-east-1
    vpc_id: vpc-0123456789abcdef0
    target: internal-hybridcloud-internal-1234567890.us-east-1.elb.amazonaws.com
    target_hosted_zone_id: Z35SXDOTRQ7X7K
    alarm_dimensions: {"LoadBalancer": "app/hybridcloud-internal/50dc6c495c0c9188", "TargetGroup": "targetgroup/web/6d0ecf831eec9f09"}
"""


def internal_dns_region(facts, target_group):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.internal_dns import region_target

    try:
        return region_target(facts, target_group)
    except ValueError as error:
        raise AnsibleFilterError("internal_dns_region: {0}".format(error)) from error


class FilterModule:
    def filters(self):
        return {"internal_dns_region": internal_dns_region}
