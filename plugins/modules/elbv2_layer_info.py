#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: elbv2_layer_info
version_added: 0.1.0
short_description: Read an application load balancer, its listeners and rules, and target groups in one step
description:
  - Reads the load balancer named O(name) (one C(DescribeLoadBalancers) call by name) and, side by side, the target
    groups named O(target_groups) (one C(DescribeTargetGroups) call for up to 20 names; when one of them does not exist
    ELBv2 fails the whole call, and the account's target groups are then listed instead).
  - With O(details), then side by side in a few threads - the load balancer's attributes, its listeners with each
    listener's rules, each target group's attributes, the registered targets of the target groups in O(targets_of),
    and the tags of the load balancer and all target groups in C(DescribeTags) calls of up to 20 ARNs.
  - Returns them as the role C(hybridcloud.aws.load_balancer) compares them (filter
    C(hybridcloud.aws.load_balancer_writes)), so that the role runs a write module only where something differs.
    Listeners and rules are returned as the ELBv2 API answers them (CamelCase keys), the form
    M(amazon.aws.elb_application_lb) compares; attributes are keyed with underscores for dots, as
    M(amazon.aws.elb_application_lb) and M(community.aws.elb_target_group) key them.
  - A load balancer or target group that does not exist is not an error; RV(load_balancer) is then empty and the
    target group is listed in RV(missing_target_groups).
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  name:
    description: The name of the load balancer.
    type: str
    required: true
  target_groups:
    description: The names of the target groups to read.
    type: list
    elements: str
    default: []
  targets_of:
    description:
      - The names of the target groups (of O(target_groups)) whose registered targets are read (one
        C(DescribeTargetHealth) call each), those whose targets the caller manages.
    type: list
    elements: str
    default: []
  details:
    description:
      - Also read the attributes, tags, listeners, rules and registered targets.
      - V(false) reads only the load balancer and the target groups (two calls), enough for their ARNs and DNS name.
    type: bool
    default: true
notes:
  - Needs C(elasticloadbalancing:DescribeLoadBalancers) and C(elasticloadbalancing:DescribeTargetGroups) and, with
    O(details), C(elasticloadbalancing:DescribeLoadBalancerAttributes), C(elasticloadbalancing:DescribeListeners),
    C(elasticloadbalancing:DescribeRules), C(elasticloadbalancing:DescribeTargetGroupAttributes),
    C(elasticloadbalancing:DescribeTargetHealth) and C(elasticloadbalancing:DescribeTags).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the load balancer layer once
  hybridcloud.aws.elbv2_layer_info:
    name: internal
    target_groups: [orders, onprem-billing]
    targets_of: [onprem-billing]
  register: layer

- name: Only the ARNs and the DNS name
  hybridcloud.aws.elbv2_layer_info:
    name: internal
    target_groups: [orders]
    details: false
  register: found
"""

RETURN = r"""
load_balancer:
  description:
    - The load balancer in snake_case (as C(DescribeLoadBalancers) answers it, without its creation time), empty when
      there is none.
    - With O(details), also C(subnets) (its zones' subnet ids, sorted), C(attributes), C(tags) and C(listeners).
  returned: always
  type: dict
  contains:
    load_balancer_arn:
      description: Its ARN.
      type: str
    dns_name:
      description: Its DNS name.
      type: str
    scheme:
      description: V(internal) or V(internet-facing).
      type: str
    type:
      description: V(application), V(network) or V(gateway).
      type: str
    security_groups:
      description: Its security group ids.
      type: list
      elements: str
    subnets:
      description: The subnet ids of its zones, sorted (with O(details)).
      type: list
      elements: str
    attributes:
      description: Its attributes, dots in the keys replaced by underscores (with O(details)).
      type: dict
    tags:
      description: Its tags (with O(details)).
      type: dict
    listeners:
      description:
        - Its listeners sorted by port, each as C(DescribeListeners) answers it (CamelCase keys) with C(Rules), the
          listener's rules as C(DescribeRules) answers them (with O(details)).
      type: list
      elements: dict
  sample:
    load_balancer_arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/internal/50dc6c495c0c9188"
    load_balancer_name: internal
    dns_name: internal-internal-1234567890.us-east-1.elb.amazonaws.com
    scheme: internal
    type: application
    vpc_id: vpc-0123456789abcdef0
    security_groups: [sg-0123456789abcdef0]
    subnets: [subnet-0123456789abcdef0, subnet-0fedcba9876543210]
    attributes: {deletion_protection_enabled: "true", idle_timeout_timeout_seconds: "60"}
    tags: {Name: internal}
    listeners:
      - ListenerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/internal/50dc6c495c0c9188/f2f7dc8efc522ab2"
        Port: 80
        Protocol: HTTP
        DefaultActions: [{Type: forward, TargetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders/1"}]
        Rules: [{Priority: default, IsDefault: true, Conditions: [], Actions: []}]
target_groups:
  description:
    - The target groups of O(target_groups) that exist, by name, each in snake_case as C(DescribeTargetGroups) answers
      it (as M(community.aws.elb_target_group) returns it).
    - With O(details), also C(attributes), C(tags) and C(targets) (the registered targets, C(id), C(port) and
      C(availability_zone) when set, for the groups of O(targets_of); null for the others).
  returned: always
  type: dict
  sample:
    orders:
      target_group_arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders/1"
      target_group_name: orders
      protocol: HTTP
      port: 8080
      vpc_id: vpc-0123456789abcdef0
      target_type: instance
      health_check_path: /health
      matcher: {http_code: "200"}
      attributes: {deregistration_delay_timeout_seconds: "30"}
      tags: {Name: orders}
      targets: null
target_group_arns:
  description: The ARN of each target group of O(target_groups) that exists, by name.
  returned: always
  type: dict
  sample: {orders: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders/1"}
missing_target_groups:
  description: The names of O(target_groups) that have no target group, in the order given.
  returned: always
  type: list
  elements: str
  sample: [onprem-billing]
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.elbv2_layer import read_layer


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        target_groups=dict(type="list", elements="str", default=[]),
        targets_of=dict(type="list", elements="str", default=[]),
        details=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("elbv2")
    params = module.params
    try:
        layer = read_layer(client, params["name"], params["target_groups"], params["targets_of"], details=params["details"])
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, region=module.region, **layer)


if __name__ == "__main__":
    main()
