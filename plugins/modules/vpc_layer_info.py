#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: vpc_layer_info
version_added: 0.1.0
short_description: Read a VPC and everything in it in one step
description:
  - Reads the VPC whose C(Name) tag is O(name) (and, with O(cidr_block), whose IPv4 range is that one) and then, with a
    C(vpc-id) filter, its subnets, route tables, NAT gateways (pending or available), internet gateways, security
    groups, VPC endpoints (pending or available) and flow logs, and the VPC's two DNS attributes. One paginated
    describe call per kind, run side by side in a few threads; nothing is read per resource.
  - Optionally also the CloudWatch Logs group of a flow log (O(log_group_name)), an IAM role with its managed and
    inline policies (O(iam_role_name), O(iam_role_policy_names)), a Route 53 Resolver endpoint with its addresses and
    tags (O(resolver_endpoint_name)) and the caller's account and partition (O(caller_identity)).
  - Returns every resource as the upstream info modules return it (snake_case keys, tags as a dict), so that a role
    can decide in one place which write modules it needs to run at all (the role C(hybridcloud.aws.network) does,
    with the filter C(hybridcloud.aws.network_layer_writes)).
  - A VPC that does not exist is not an error; RV(vpc_id) is then empty and the lists are empty.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  name:
    description: The C(Name) tag of the VPC.
    type: str
    required: true
  cidr_block:
    description:
      - Only a VPC whose primary or associated IPv4 range is this one (as M(amazon.aws.ec2_vpc_net) identifies a VPC by
        name and range). Without it, any VPC of that name.
      - Several VPCs matching is an error naming them.
    type: str
  log_group_name:
    description: Also read this CloudWatch Logs group (retention, KMS key, tags); RV(log_group) is empty when it does not exist.
    type: str
  iam_role_name:
    description: Also read this IAM role (trust policy, description, tags, managed policies); RV(iam_role) is empty when it does not exist.
    type: str
  iam_role_policy_names:
    description: The inline policies of O(iam_role_name) to read (each one GetRolePolicy call).
    type: list
    elements: str
    default: []
  resolver_endpoint_name:
    description:
      - Also read the Route 53 Resolver endpoint of this name, its IP addresses and tags. Several endpoints of that
        name is an error naming them.
    type: str
  caller_identity:
    description: Also read the account and partition of the credentials in use (one STS GetCallerIdentity call).
    type: bool
    default: false
notes:
  - Needs C(ec2:DescribeVpcs), C(ec2:DescribeVpcAttribute), C(ec2:DescribeSubnets), C(ec2:DescribeRouteTables),
    C(ec2:DescribeNatGateways), C(ec2:DescribeInternetGateways), C(ec2:DescribeSecurityGroups),
    C(ec2:DescribeVpcEndpoints), C(ec2:DescribeFlowLogs); with the options, C(logs:DescribeLogGroups),
    C(logs:ListTagsLogGroup), C(iam:GetRole), C(iam:ListAttachedRolePolicies), C(iam:GetRolePolicy),
    C(route53resolver:ListResolverEndpoints), C(route53resolver:ListResolverEndpointIpAddresses),
    C(route53resolver:ListTagsForResource), C(sts:GetCallerIdentity).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the network layer once
  hybridcloud.aws.vpc_layer_info:
    name: hybridcloud
    cidr_block: 10.40.0.0/16
    log_group_name: /hybridcloud/vpc-flow-logs
    iam_role_name: hybridcloud-vpc-flow-logs
    iam_role_policy_names: [flow-log-delivery]
    resolver_endpoint_name: hybridcloud-inbound
    caller_identity: true
  register: layer

- name: Create the VPC only when it is missing
  amazon.aws.ec2_vpc_net:
    name: hybridcloud
    cidr_block: 10.40.0.0/16
  when: layer.vpc_id | length == 0
"""

RETURN = r"""
vpc_id:
  description: The VPC's id; empty when there is no such VPC.
  returned: always
  type: str
  sample: vpc-0123456789abcdef0
vpc:
  description:
    - The VPC as M(amazon.aws.ec2_vpc_net_info) returns it, with RV(vpc.enable_dns_support) and
      RV(vpc.enable_dns_hostnames); empty when there is no such VPC.
  returned: always
  type: dict
  contains:
    id:
      description: The VPC's id.
      type: str
    cidr_block:
      description: The primary IPv4 range.
      type: str
    tags:
      description: The VPC's tags.
      type: dict
    enable_dns_support:
      description: Whether the Amazon DNS server resolves in the VPC.
      type: bool
    enable_dns_hostnames:
      description: Whether instances get public DNS host names.
      type: bool
  sample: {id: vpc-1, vpc_id: vpc-1, cidr_block: 10.40.0.0/16, tags: {Name: hybridcloud}, enable_dns_support: true, enable_dns_hostnames: true}
subnets:
  description: The VPC's subnets (as M(amazon.aws.ec2_vpc_subnet_info) returns them, tags as a dict).
  returned: always
  type: list
  elements: dict
  sample: [{subnet_id: subnet-1, cidr_block: 10.40.0.0/20, availability_zone: us-east-1a, tags: {Name: hybridcloud-private-us-east-1a}}]
route_tables:
  description: The VPC's route tables (C(route_table_id), C(associations), C(routes), C(tags) as a dict).
  returned: always
  type: list
  elements: dict
  sample: [{route_table_id: rtb-1, associations: [{subnet_id: subnet-1}], routes: [{destination_cidr_block: 0.0.0.0/0, nat_gateway_id: nat-1}], tags: {}}]
nat_gateways:
  description: The VPC's pending or available NAT gateways (C(nat_gateway_id), C(subnet_id), C(state), C(tags) as a dict).
  returned: always
  type: list
  elements: dict
  sample: [{nat_gateway_id: nat-1, subnet_id: subnet-2, state: available, tags: {Name: hybridcloud-nat-us-east-1a}}]
internet_gateways:
  description: The internet gateways attached to the VPC (C(internet_gateway_id), C(attachments), C(tags) as a dict).
  returned: always
  type: list
  elements: dict
  sample: [{internet_gateway_id: igw-1, attachments: [{state: available, vpc_id: vpc-1}], tags: {Name: hybridcloud-igw}}]
security_groups:
  description: The VPC's security groups, as M(amazon.aws.ec2_security_group_info) returns them.
  returned: always
  type: list
  elements: dict
  sample: [{group_id: sg-1, group_name: hybridcloud-alb, ip_permissions: [], ip_permissions_egress: [], tags: {}}]
vpc_endpoints:
  description: The VPC's pending or available endpoints (C(service_name), C(vpc_endpoint_type), C(route_table_ids), C(tags) as a dict, ...).
  returned: always
  type: list
  elements: dict
  sample: [{vpc_endpoint_id: vpce-1, service_name: com.amazonaws.us-east-1.s3, vpc_endpoint_type: Gateway, route_table_ids: [rtb-1], tags: {}}]
flow_logs:
  description: The VPC's flow logs (C(flow_log_id), C(traffic_type), C(log_destination_type), C(tags) as a dict, ...).
  returned: always
  type: list
  elements: dict
  sample: [{flow_log_id: fl-1, traffic_type: ALL, log_destination_type: cloud-watch-logs, tags: {Name: hybridcloud}}]
log_group:
  description: The log group of O(log_group_name); empty when it was not asked for or does not exist.
  returned: always
  type: dict
  contains:
    log_group_name:
      description: Its name.
      type: str
    arn:
      description: Its ARN, without the C(:*) suffix CloudWatch Logs answers.
      type: str
    retention_in_days:
      description: How long it keeps events; null for ever.
      type: int
    kms_key_id:
      description: The KMS key it is encrypted with, if any.
      type: str
    tags:
      description: Its tags.
      type: dict
  sample:
    log_group_name: /hybridcloud/vpc-flow-logs
    arn: "arn:aws:logs:us-east-1:123456789012:log-group:/hybridcloud/vpc-flow-logs"
    retention_in_days: 365
    tags: {}
iam_role:
  description: The role of O(iam_role_name); empty when it was not asked for or does not exist.
  returned: always
  type: dict
  contains:
    role_name:
      description: Its name.
      type: str
    arn:
      description: Its ARN.
      type: str
    path:
      description: Its path.
      type: str
    description:
      description: Its description.
      type: str
    assume_role_policy_document:
      description: Its trust policy.
      type: dict
    tags:
      description: Its tags.
      type: dict
    attached_policy_arns:
      description: The managed policies attached to it, sorted.
      type: list
      elements: str
    inline_policies:
      description: The documents of the inline policies of O(iam_role_policy_names), by name; null for one that does not exist.
      type: dict
  sample: {role_name: hybridcloud-vpc-flow-logs, arn: "arn:aws:iam::123456789012:role/hybridcloud-vpc-flow-logs", attached_policy_arns: [], inline_policies: {}}
resolver_endpoint:
  description:
    - The Resolver endpoint of O(resolver_endpoint_name) as M(hybridcloud.aws.route53resolver_endpoint) returns it
      (C(ip_addresses) ordered by subnet, C(tags) as a dict); empty when it was not asked for or does not exist.
  returned: always
  type: dict
  sample: {id: rslvr-in-1, name: hybridcloud-inbound, direction: INBOUND, ip_addresses: [{subnet_id: subnet-1, ip: 10.40.0.10}], tags: {}}
account:
  description: The account of the credentials in use; empty unless O(caller_identity).
  returned: always
  type: str
  sample: "123456789012"
partition:
  description: The partition of the credentials in use (V(aws), V(aws-cn), ...); empty unless O(caller_identity).
  returned: always
  type: str
  sample: aws
region:
  description: The region read.
  returned: always
  type: str
  sample: us-east-1
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.vpc_layer import read_layer


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        cidr_block=dict(type="str"),
        log_group_name=dict(type="str"),
        iam_role_name=dict(type="str"),
        iam_role_policy_names=dict(type="list", elements="str", default=[]),
        resolver_endpoint_name=dict(type="str"),
        caller_identity=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if not params["name"]:
        module.fail_json(msg="name must not be empty")

    services = ["ec2"]
    services += ["logs"] * bool(params["log_group_name"])
    services += ["iam"] * bool(params["iam_role_name"])
    services += ["route53resolver"] * bool(params["resolver_endpoint_name"])
    services += ["sts"] * params["caller_identity"]
    clients = {service: module.client(service) for service in services}

    try:
        layer = read_layer(
            clients,
            params["name"],
            cidr_block=params["cidr_block"],
            log_group_name=params["log_group_name"],
            role_name=params["iam_role_name"],
            role_policy_names=params["iam_role_policy_names"],
            resolver_endpoint_name=params["resolver_endpoint_name"],
            caller_identity=params["caller_identity"],
        )
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)

    module.exit_json(changed=False, region=module.region, **layer)


if __name__ == "__main__":
    main()
