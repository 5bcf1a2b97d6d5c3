# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: network_layer_writes
short_description: Which write modules the role C(hybridcloud.aws.network) must run, from one read of its layer
version_added: 0.1.0
description:
  - Compares what M(hybridcloud.aws.vpc_layer_info) read with what the role wants and says, for each resource the role
    would otherwise hand to a write module on every run, what differs; an empty list means the module would change
    nothing and need not run.
  - C(vpc) as M(amazon.aws.ec2_vpc_net) with O(wanted.name), O(wanted.cidr_block), DNS support and host names on,
    O(wanted.tags) plus C(Name) and C(purge_tags) compares it (V(missing), V(tags), V(dns_support), V(dns_hostnames)).
  - C(internet_gateway) as M(amazon.aws.ec2_vpc_igw) with the tags plus C(Name) V(NAME-igw) (V(missing), V(tags)).
  - C(log_group), C(flow_log_role), C(flow_log_role_policy) and C(flow_log) for the flow log (empty when
    O(wanted.flow_log) is null); the log group as M(amazon.aws.cloudwatchlogs_log_group) compares it (V(missing),
    V(retention), V(tags)); the delivery role as M(amazon.aws.iam_role) (V(missing), V(trust_policy),
    V(description), V(managed_policies), V(tags)); its inline policy as M(amazon.aws.iam_policy) (V(missing), also
    when the role or the log group is missing, V(policy)); the flow log tagged C(Name) O(wanted.name) as
    M(hybridcloud.aws.ec2_vpc_flow_log) compares it (V(missing), V(several), the names of the settings that differ,
    V(tags)). With the S3 destination the log group and role are not compared.
  - C(resolver_endpoint) as M(hybridcloud.aws.route53resolver_endpoint) compares the endpoint named
    by the C(name) of O(wanted.resolver) (V(missing), V(direction), V(security_groups), V(protocols), V(ip_addresses),
    V(tags)); empty when O(wanted.resolver) is null.
  - Policies are compared as the upstream modules compare them (C(compare_policies) of amazon.aws), tags exactly.
positional: wanted
options:
  _input:
    description: What M(hybridcloud.aws.vpc_layer_info) returned.
    type: dict
    required: true
  wanted:
    description: What the role wants.
    type: dict
    required: true
    suboptions:
      name:
        description: The network name (the VPC's and the flow log's C(Name) tag).
        type: str
      cidr_block:
        description: The VPC's range (informative; the read already matched it).
        type: str
      tags:
        description: The tags of every resource, without C(Name).
        type: dict
      flow_log:
        description:
          - Null when the role does not manage the flow log. Otherwise C(destination_type), C(traffic_type),
            C(max_aggregation_interval), C(log_group_name), C(retention_days), C(s3_bucket_arn), C(role_arn) (the
            delivery role's ARN, read or as it will be), C(role_description), C(trust_policy), C(role_policy_name)
            and C(role_policy) (the inline policy document).
        type: dict
      resolver:
        description: Null when the role does not manage the Resolver endpoint. Otherwise C(name), C(subnet_ids), C(security_group_ids), C(protocols).
        type: dict
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Decide which writes the network needs
  ansible.builtin.set_fact:
    network_writes: "{{ network_layer | hybridcloud.aws.network_layer_writes(network_layer_wanted) }}"

- name: Ensure the VPC only when it differs
  amazon.aws.ec2_vpc_net:
    name: hybridcloud
    cidr_block: 10.40.0.0/16
  when: network_writes.vpc | length > 0
"""

RETURN = r"""
_value:
  description: For each resource, what differs; an empty list when nothing does.
  type: dict
  contains:
    vpc:
      description: What differs on the VPC.
      type: list
      elements: str
    internet_gateway:
      description: What differs on the internet gateway.
      type: list
      elements: str
    log_group:
      description: What differs on the flow log's log group.
      type: list
      elements: str
    flow_log_role:
      description: What differs on the delivery role.
      type: list
      elements: str
    flow_log_role_policy:
      description: What differs on the delivery role's inline policy.
      type: list
      elements: str
    flow_log:
      description: What differs on the flow log.
      type: list
      elements: str
    resolver_endpoint:
      description: What differs on the Resolver endpoint.
      type: list
      elements: str
  sample: {vpc: [], internet_gateway: [], log_group: [retention], flow_log_role: [], flow_log_role_policy: [], flow_log: [traffic_type], resolver_endpoint: []}
"""


def _named(tags, name):
    return dict(tags or {}, Name=name)


def vpc_differences(layer, wanted):
    vpc = layer.get("vpc") or {}
    if not vpc:
        return ["missing"]
    differences = []
    if vpc.get("tags") != _named(wanted.get("tags"), wanted["name"]):
        differences.append("tags")
    if vpc.get("enable_dns_support") is not True:
        differences.append("dns_support")
    if vpc.get("enable_dns_hostnames") is not True:
        differences.append("dns_hostnames")
    return differences


def internet_gateway_differences(layer, wanted):
    gateways = layer.get("internet_gateways") or []
    if not gateways:
        return ["missing"]
    return [] if gateways[0].get("tags") == _named(wanted.get("tags"), wanted["name"] + "-igw") else ["tags"]


def log_group_differences(layer, wanted, flow_log):
    group = layer.get("log_group") or {}
    if not group:
        return ["missing"]
    differences = []
    if group.get("retention_in_days") != flow_log.get("retention_days"):
        differences.append("retention")
    if group.get("tags") != dict(wanted.get("tags") or {}):
        differences.append("tags")
    return differences


def role_differences(layer, wanted, flow_log):
    from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

    role = layer.get("iam_role") or {}
    if not role:
        return ["missing"]
    differences = []
    if compare_policies(role.get("assume_role_policy_document") or {}, flow_log.get("trust_policy") or {}):
        differences.append("trust_policy")
    if role.get("description") != flow_log.get("role_description"):
        differences.append("description")
    if role.get("attached_policy_arns"):
        differences.append("managed_policies")
    if role.get("tags") != dict(wanted.get("tags") or {}):
        differences.append("tags")
    return differences


def role_policy_differences(layer, flow_log):
    from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

    role = layer.get("iam_role") or {}
    current = (role.get("inline_policies") or {}).get(flow_log.get("role_policy_name"))
    if not role or not layer.get("log_group") or current is None:
        return ["missing"]
    return ["policy"] if compare_policies(current, flow_log.get("role_policy") or {}) else []


def flow_log_differences(layer, wanted, flow_log):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.flow_logs import SETTINGS as FLOW_LOG_SETTINGS
    from ansible_collections.hybridcloud.aws.plugins.module_utils.flow_logs import setting_differences

    named = [log for log in layer.get("flow_logs") or [] if (log.get("tags") or {}).get("Name") == wanted["name"]]
    if not named:
        return ["missing"]
    if len(named) > 1:
        return ["several"]
    current = named[0]
    cloudwatch = flow_log.get("destination_type") == "cloud-watch-logs"
    settings = {
        "resource_id": layer.get("vpc_id"),
        "traffic_type": flow_log.get("traffic_type"),
        "log_destination_type": flow_log.get("destination_type"),
        "log_group_name": flow_log.get("log_group_name") if cloudwatch else None,
        "log_destination": None if cloudwatch else flow_log.get("s3_bucket_arn"),
        "deliver_logs_permission_arn": flow_log.get("role_arn") if cloudwatch else None,
        "max_aggregation_interval": flow_log.get("max_aggregation_interval"),
    }
    view = {option: current.get(option) for option in FLOW_LOG_SETTINGS}
    destination = view.get("log_destination")
    view["log_destination"] = destination[:-2] if destination and destination.endswith(":*") else destination
    differences = setting_differences(view, settings)
    if current.get("tags") != _named(wanted.get("tags"), wanted["name"]):
        differences.append("tags")
    return differences


def resolver_endpoint_differences(layer, wanted, resolver):
    endpoint = layer.get("resolver_endpoint") or {}
    if not endpoint:
        return ["missing"]
    differences = []
    if endpoint.get("direction") != "INBOUND":
        differences.append("direction")
    if sorted(endpoint.get("security_group_ids") or []) != sorted(resolver.get("security_group_ids") or []):
        differences.append("security_groups")
    if sorted(endpoint.get("protocols") or ["Do53"]) != sorted(resolver.get("protocols") or []):
        differences.append("protocols")
    # As hybridcloud.aws.route53resolver_endpoint plans it: one address in each wanted subnet and no other address.
    if sorted(address.get("subnet_id") for address in endpoint.get("ip_addresses") or []) != sorted(set(resolver.get("subnet_ids") or [])):
        differences.append("ip_addresses")
    if endpoint.get("tags") != _named(wanted.get("tags"), resolver["name"]):
        differences.append("tags")
    return differences


def network_layer_writes(layer, wanted):
    """{resource: [what differs]} for the resources the network role writes with one module run each."""
    layer = layer or {}
    flow_log = wanted.get("flow_log")
    resolver = wanted.get("resolver")
    cloudwatch = bool(flow_log) and flow_log.get("destination_type") == "cloud-watch-logs"
    return {
        "vpc": vpc_differences(layer, wanted),
        "internet_gateway": internet_gateway_differences(layer, wanted),
        "log_group": log_group_differences(layer, wanted, flow_log) if cloudwatch else [],
        "flow_log_role": role_differences(layer, wanted, flow_log) if cloudwatch else [],
        "flow_log_role_policy": role_policy_differences(layer, flow_log) if cloudwatch else [],
        "flow_log": flow_log_differences(layer, wanted, flow_log) if flow_log else [],
        "resolver_endpoint": resolver_endpoint_differences(layer, wanted, resolver) if resolver else [],
    }


class FilterModule:
    def filters(self):
        return {"network_layer_writes": network_layer_writes}
