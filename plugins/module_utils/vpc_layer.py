# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One read of a VPC and what lives in it (the network layer), with retries and error handling: the VPC found by its
Name tag, then with a vpc-id filter its subnets, route tables, NAT gateways, internet gateways, security groups, VPC
endpoints and flow logs; besides, the flow log's log group and delivery role, a Route 53 Resolver endpoint and the
caller's account. The independent calls run in a small thread pool (boto3 clients may be shared between threads).

Every resource is returned as the upstream info modules return it (snake_case keys, tags as a dict), so the
comparisons written against those modules (hybridcloud.aws.security_group_differences, ...) take it unchanged."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from urllib.parse import unquote

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.hybridcloud.aws.plugins.module_utils.side_by_side import SideBySide

retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException"])

# Threads for the independent calls; 1 runs them one after the other in the order given (the unit tests do, so that
# botocore's Stubber sees each client's calls in a known order).
MAX_WORKERS = 8

# The states in which a NAT gateway or a VPC endpoint still counts (the others are on their way out).
NAT_GATEWAY_STATES = ["pending", "available"]
VPC_ENDPOINT_STATES = ["pending", "available"]

# (result key, EC2 operation, answer member, filter name for the VPC id, extra filters)
IN_VPC = (
    ("subnets", "describe_subnets", "Subnets", "vpc-id", ()),
    ("route_tables", "describe_route_tables", "RouteTables", "vpc-id", ()),
    ("nat_gateways", "describe_nat_gateways", "NatGateways", "vpc-id", ({"Name": "state", "Values": NAT_GATEWAY_STATES},)),
    ("internet_gateways", "describe_internet_gateways", "InternetGateways", "attachment.vpc-id", ()),
    ("security_groups", "describe_security_groups", "SecurityGroups", "vpc-id", ()),
    ("vpc_endpoints", "describe_vpc_endpoints", "VpcEndpoints", "vpc-id", ({"Name": "vpc-endpoint-state", "Values": VPC_ENDPOINT_STATES},)),
    ("flow_logs", "describe_flow_logs", "FlowLogs", "resource-id", ()),
)
# DescribeNatGateways names its filter member "Filter" in botocore's model, the others "Filters".
FILTER_MEMBER = {"describe_nat_gateways": "Filter"}


class AnsibleVpcLayerError(AnsibleAWSError):
    pass


class VpcLayerErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleVpcLayerError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["NoSuchEntity", "ResourceNotFoundException"])


def normalised(resource):
    """An API resource as the upstream info modules return it: snake_case keys, tags as a dict."""
    resource = dict(resource)
    tags = boto3_tag_list_to_ansible_dict(resource.pop("Tags", None) or [])
    result = camel_dict_to_snake_dict(resource)
    result["tags"] = tags
    return result


def normalised_route_table(table):
    """A route table as amazon.aws.ec2_vpc_route_table_info returns it: every route with the members that module
    always sets (null when AWS leaves them out, as for a gateway endpoint's prefix list route), and an id."""
    table = dict(table)
    routes = []
    for answered in table.get("Routes") or []:
        route = dict(answered)
        for member in ("DestinationCidrBlock", "GatewayId", "InstanceId", "Origin", "State", "NetworkInterfaceId"):
            route.setdefault(member, None)
        route["InterfaceId"] = route["NetworkInterfaceId"]
        routes.append(route)
    table["Routes"] = routes
    result = normalised(table)
    result["id"] = result.get("route_table_id")
    return result


NORMALISE = {"route_tables": normalised_route_table}


def policy_document(document):
    """An IAM policy document as a dict (IAM answers it URL-encoded; botocore decodes it on most versions)."""
    if isinstance(document, str):
        return json.loads(unquote(document))
    return document


# ---------------------------------------------------------------- EC2


@VpcLayerErrorHandler.common_error_handler("describe the VPCs named {name}")
@retry
def describe_vpcs_named(client, name):
    pages = client.get_paginator("describe_vpcs").paginate(Filters=[{"Name": "tag:Name", "Values": [name]}])
    return pages.build_full_result().get("Vpcs", [])


@VpcLayerErrorHandler.common_error_handler("read the {attribute} attribute of VPC {vpc_id}")
@retry
def vpc_attribute(client, vpc_id, attribute):
    answer = client.describe_vpc_attribute(VpcId=vpc_id, Attribute=attribute)
    return answer[attribute[0].upper() + attribute[1:]]["Value"]


@VpcLayerErrorHandler.common_error_handler("{operation} in VPC {vpc_id}")
@retry
def describe_in_vpc(client, operation, member, filter_name, vpc_id, extra_filters=()):  # noqa: PLR0917 (one row of IN_VPC)
    filters = [{"Name": filter_name, "Values": [vpc_id]}, *extra_filters]
    request = {FILTER_MEMBER.get(operation, "Filters"): filters}
    return client.get_paginator(operation).paginate(**request).build_full_result().get(member, [])


def matching_vpcs(vpcs, cidr_block):
    """The VPCs read whose primary or associated IPv4 range is cidr_block (all of them when cidr_block is empty)."""
    if not cidr_block:
        return list(vpcs)
    found = []
    for vpc in vpcs:
        ranges = {vpc.get("CidrBlock")} | {
            block.get("CidrBlock") for block in vpc.get("CidrBlockAssociationSet") or [] if block.get("CidrBlockState", {}).get("State") == "associated"
        }
        if cidr_block in ranges:
            found.append(vpc)
    return found


# ---------------------------------------------------------------- CloudWatch Logs, IAM, STS, Route 53 Resolver


@VpcLayerErrorHandler.common_error_handler("describe log group {name}")
@retry
def read_log_group(client, name):
    """The log group (logGroupName, arn without the ':*' suffix, retentionInDays, kmsKeyId, tags) or {}."""
    pages = client.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=name)
    found = [group for group in pages.build_full_result().get("logGroups", []) if group.get("logGroupName") == name]
    if not found:
        return {}
    group = found[0]
    tags = client.list_tags_log_group(logGroupName=name).get("tags") or {}
    arn = group.get("arn") or ""
    return {
        "log_group_name": name,
        "arn": arn[:-2] if arn.endswith(":*") else arn,
        "retention_in_days": group.get("retentionInDays"),
        "kms_key_id": group.get("kmsKeyId"),
        "tags": tags,
    }


@VpcLayerErrorHandler.list_error_handler("get IAM role {name}", default_value=None)
@retry
def get_role(client, name):
    return client.get_role(RoleName=name)["Role"]


@VpcLayerErrorHandler.list_error_handler("list the managed policies of IAM role {name}", default_value=[])
@retry
def attached_policy_arns(client, name):
    pages = client.get_paginator("list_attached_role_policies").paginate(RoleName=name)
    return sorted(policy["PolicyArn"] for policy in pages.build_full_result().get("AttachedPolicies", []))


@VpcLayerErrorHandler.list_error_handler("get policy {policy_name} of IAM role {name}", default_value=None)
@retry
def role_policy(client, name, policy_name):
    return policy_document(client.get_role_policy(RoleName=name, PolicyName=policy_name)["PolicyDocument"])


def read_role(client, name, policy_names):
    """The role (role_name, arn, path, description, assume_role_policy_document, tags, attached_policy_arns and
    inline_policies: {name: document or null when it does not exist}) or {}."""
    role = get_role(client, name)
    if not role:
        return {}
    return {
        "role_name": role["RoleName"],
        "arn": role["Arn"],
        "path": role.get("Path"),
        "description": role.get("Description"),
        "assume_role_policy_document": policy_document(role.get("AssumeRolePolicyDocument")),
        "tags": boto3_tag_list_to_ansible_dict(role.get("Tags") or []),
        "attached_policy_arns": attached_policy_arns(client, name),
        "inline_policies": {policy_name: role_policy(client, name, policy_name) for policy_name in policy_names},
    }


@VpcLayerErrorHandler.common_error_handler("read the caller's identity")
@retry
def caller(client):
    """(account, partition) of the credentials in use."""
    identity = client.get_caller_identity()
    return identity["Account"], identity["Arn"].split(":")[1]


@VpcLayerErrorHandler.common_error_handler("list Resolver endpoints named {name}")
@retry
def resolver_endpoints_named(client, name):
    pages = client.get_paginator("list_resolver_endpoints").paginate(Filters=[{"Name": "Name", "Values": [name]}])
    return [endpoint for endpoint in pages.build_full_result().get("ResolverEndpoints", []) if endpoint.get("Status") != "DELETING"]


@VpcLayerErrorHandler.common_error_handler("read Resolver endpoint {endpoint_id}'s addresses and tags")
@retry
def resolver_details(client, endpoint_id, arn):
    addresses = client.get_paginator("list_resolver_endpoint_ip_addresses").paginate(ResolverEndpointId=endpoint_id).build_full_result()
    tags = client.get_paginator("list_tags_for_resource").paginate(ResourceArn=arn).build_full_result()
    return addresses.get("IpAddresses", []), boto3_tag_list_to_ansible_dict(tags.get("Tags") or [])


def read_resolver_endpoint(client, name):
    """The endpoint named name, as hybridcloud.aws.route53resolver_endpoint returns it (ip_addresses ordered by
    subnet, tags), or {}. Raises AnsibleVpcLayerError when several are named so."""
    found = resolver_endpoints_named(client, name)
    if len(found) > 1:
        ids = ", ".join(sorted(endpoint["Id"] for endpoint in found))
        raise AnsibleVpcLayerError(message=f"{len(found)} Resolver endpoints are named {name} ({ids}); rename or delete the others")
    if not found:
        return {}
    endpoint = found[0]
    addresses, tags = resolver_details(client, endpoint["Id"], endpoint["Arn"])
    result = camel_dict_to_snake_dict(endpoint)
    ordered = sorted(addresses, key=lambda address: (address.get("SubnetId") or "", address.get("Ip") or ""))
    result["ip_addresses"] = [camel_dict_to_snake_dict(address) for address in ordered]
    result["tags"] = tags
    return result


# ---------------------------------------------------------------- the whole layer


def read_layer(clients, name, cidr_block=None, log_group_name=None, role_name=None, role_policy_names=(), resolver_endpoint_name=None, caller_identity=False):  # noqa: PLR0917 (the clients and the optional reads)
    """Everything the network layer owns, read in as few calls as the APIs allow.

    clients: {service: boto3 client} for ec2 and, as asked for, logs, iam, sts and route53resolver.
    Raises AnsibleVpcLayerError (AWS's error, or several VPCs matching the name and range)."""
    with SideBySide(MAX_WORKERS) as reads:
        ec2 = clients["ec2"]
        vpcs = reads.start(describe_vpcs_named, ec2, name)
        pending = {}
        if caller_identity:
            pending["caller"] = reads.start(caller, clients["sts"])
        if log_group_name:
            pending["log_group"] = reads.start(read_log_group, clients["logs"], log_group_name)
        if role_name:
            pending["iam_role"] = reads.start(read_role, clients["iam"], role_name, list(role_policy_names or []))
        if resolver_endpoint_name:
            pending["resolver_endpoint"] = reads.start(read_resolver_endpoint, clients["route53resolver"], resolver_endpoint_name)

        found = matching_vpcs(vpcs(), cidr_block)
        if len(found) > 1:
            ids = ", ".join(sorted(vpc["VpcId"] for vpc in found))
            raise AnsibleVpcLayerError(
                message=f"{len(found)} VPCs are named {name}{' with ' + cidr_block if cidr_block else ''} ({ids}); rename or delete the others"
            )
        vpc_id = found[0]["VpcId"] if found else ""
        if vpc_id:
            for key, operation, member, filter_name, extra in IN_VPC:
                pending[key] = reads.start(describe_in_vpc, ec2, operation, member, filter_name, vpc_id, extra)
            pending["dns_support"] = reads.start(vpc_attribute, ec2, vpc_id, "enableDnsSupport")
            pending["dns_hostnames"] = reads.start(vpc_attribute, ec2, vpc_id, "enableDnsHostnames")
        answers = {key: wait() for key, wait in pending.items()}

    layer = {"vpc_id": vpc_id, "vpc": {}}
    if vpc_id:
        vpc = normalised(found[0])
        vpc.update(id=vpc_id, enable_dns_support=answers.pop("dns_support"), enable_dns_hostnames=answers.pop("dns_hostnames"))
        layer["vpc"] = vpc
    for key, _operation, _member, _filter_name, _extra in IN_VPC:
        layer[key] = [NORMALISE.get(key, normalised)(resource) for resource in answers.pop(key, [])]
    layer["log_group"] = answers.pop("log_group", {})
    layer["iam_role"] = answers.pop("iam_role", {})
    layer["resolver_endpoint"] = answers.pop("resolver_endpoint", {})
    account, partition = answers.pop("caller", ("", ""))
    layer.update(account=account, partition=partition)
    return layer
