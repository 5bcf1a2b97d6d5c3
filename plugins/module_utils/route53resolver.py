# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Route 53 Resolver API calls with retries and error handling (endpoints, their IP addresses and tags),
waiting for an endpoint to settle, and the planning of IP address changes shared by the route53resolver_* modules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import describe_subnets
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.hybridcloud.aws.plugins.module_utils import waiting
from ansible_collections.hybridcloud.aws.plugins.module_utils.tags import sync_tags as shared_sync_tags

# Route 53 Resolver throttles with ThrottlingException, which AWSRetry does not know.
retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException"])

# AWS takes a few minutes to create an endpoint or attach an address; poll gently.
POLL_DELAY = 10
SETTLED = "OPERATIONAL"
FAILED = ("ACTION_NEEDED",)
CREATOR_REQUEST_PREFIX = "hybridcloud-aws-"


class AnsibleRoute53ResolverError(AnsibleAWSError):
    pass


class Route53ResolverErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleRoute53ResolverError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


def creator_request_id(name):
    """The CreatorRequestId of the endpoint called name: stable, so a retried create never makes a twin, and
    an endpoint renamed outside Ansible is still recognised as the one created for this name."""
    return CREATOR_REQUEST_PREFIX + name


# ---------------------------------------------------------------- endpoints


@Route53ResolverErrorHandler.common_error_handler("list Resolver endpoints whose {filter_name} is {value}")
@retry
def list_endpoints(client, filter_name, value):
    paginator = client.get_paginator("list_resolver_endpoints")
    pages = paginator.paginate(Filters=[{"Name": filter_name, "Values": [value]}])
    return pages.build_full_result().get("ResolverEndpoints", [])


@Route53ResolverErrorHandler.list_error_handler("get Resolver endpoint {endpoint_id}")
@retry
def get_endpoint(client, endpoint_id):
    return client.get_resolver_endpoint(ResolverEndpointId=endpoint_id)["ResolverEndpoint"]


@Route53ResolverErrorHandler.common_error_handler("create Resolver endpoint {name}")
@retry
def create_endpoint(client, name, spec, tags):
    """spec: Direction, SecurityGroupIds, IpAddresses and Protocols in the API's shape."""
    params = dict(spec, CreatorRequestId=creator_request_id(name), Name=name)
    if tags:
        params["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_resolver_endpoint(**params)["ResolverEndpoint"]


@Route53ResolverErrorHandler.common_error_handler("update Resolver endpoint {endpoint_id}")
@retry
def update_endpoint(client, endpoint_id, changes):
    """changes: the UpdateResolverEndpoint parameters to send (Name and/or Protocols)."""
    return client.update_resolver_endpoint(ResolverEndpointId=endpoint_id, **changes)["ResolverEndpoint"]


@Route53ResolverErrorHandler.deletion_error_handler("delete Resolver endpoint {endpoint_id}")
@retry
def delete_endpoint(client, endpoint_id):
    client.delete_resolver_endpoint(ResolverEndpointId=endpoint_id)
    return True


# ---------------------------------------------------------------- IP addresses


@Route53ResolverErrorHandler.list_error_handler("list the IP addresses of Resolver endpoint {endpoint_id}", [])
@retry
def list_ip_addresses(client, endpoint_id):
    paginator = client.get_paginator("list_resolver_endpoint_ip_addresses")
    return paginator.paginate(ResolverEndpointId=endpoint_id).build_full_result().get("IpAddresses", [])


@Route53ResolverErrorHandler.common_error_handler("add an IP address in {ip_address[SubnetId]} to Resolver endpoint {endpoint_id}")
@retry
def associate_ip_address(client, endpoint_id, ip_address):
    return client.associate_resolver_endpoint_ip_address(ResolverEndpointId=endpoint_id, IpAddress=ip_address)["ResolverEndpoint"]


@Route53ResolverErrorHandler.common_error_handler("remove IP address {ip_address[Ip]} from Resolver endpoint {endpoint_id}")
@retry
def disassociate_ip_address(client, endpoint_id, ip_address):
    return client.disassociate_resolver_endpoint_ip_address(ResolverEndpointId=endpoint_id, IpAddress=ip_address)["ResolverEndpoint"]


def plan_ip_changes(current, wanted_subnets=None, wanted_pairs=None):
    """The addresses to add and to remove so that current (ListResolverEndpointIpAddresses entries) matches either
    one address in each of wanted_subnets (AWS picks it) or exactly the (subnet_id, ip) pairs of wanted_pairs.

    Returns (to_add, to_remove) in the API's IpAddressUpdate shape; an address that already serves a wanted
    subnet is always kept, so a second run changes nothing."""
    to_add, to_remove = [], []
    if wanted_pairs is not None:
        have = {(address["SubnetId"], address["Ip"]) for address in current}
        to_add = [{"SubnetId": subnet_id, "Ip": ip} for subnet_id, ip in wanted_pairs if (subnet_id, ip) not in have]
        to_remove = [address for address in current if (address["SubnetId"], address["Ip"]) not in set(wanted_pairs)]
    else:
        kept = set()
        for address in sorted(current, key=lambda a: (a["SubnetId"], a["Ip"])):
            if address["SubnetId"] in wanted_subnets and address["SubnetId"] not in kept:
                kept.add(address["SubnetId"])
            else:
                to_remove.append(address)
        to_add = [{"SubnetId": subnet_id} for subnet_id in wanted_subnets if subnet_id not in kept]
    removals = [{"IpId": address["IpId"], "SubnetId": address["SubnetId"], "Ip": address["Ip"]} for address in to_remove]
    return to_add, removals


def subnet_zones(ec2_client, subnet_ids):
    """{subnet_id: availability zone} of the subnets that exist (amazon.aws's helper retries and raises AnsibleEC2Error)."""
    subnets = describe_subnets(ec2_client, SubnetIds=list(subnet_ids))
    return {subnet["SubnetId"]: subnet["AvailabilityZone"] for subnet in subnets}


# ---------------------------------------------------------------- tags


@Route53ResolverErrorHandler.list_error_handler("list the tags of {arn}", {})
@retry
def list_tags(client, arn):
    paginator = client.get_paginator("list_tags_for_resource")
    return boto3_tag_list_to_ansible_dict(paginator.paginate(ResourceArn=arn).build_full_result().get("Tags", []))


@Route53ResolverErrorHandler.common_error_handler("tag {arn}")
@retry
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@Route53ResolverErrorHandler.common_error_handler("untag {arn}")
@retry
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceArn=arn, TagKeys=keys)


def sync_tags(client, arn, current, wanted, purge, *, check_mode):
    """Make the tags of arn match wanted (None: leave them alone); returns (changed, resulting tags)."""
    return shared_sync_tags(
        current,
        wanted,
        purge,
        tag=lambda tags: tag_resource(client, arn, tags),
        untag=lambda keys: untag_resource(client, arn, keys),
        check_mode=check_mode,
    )


# ---------------------------------------------------------------- waiting


def _endpoint_status(endpoint):
    return endpoint["Status"] if endpoint is not None else "deleted"


def wait_for_endpoint(client, endpoint_id, timeout, *, delay=POLL_DELAY, progress=None):
    """Poll until the endpoint is OPERATIONAL and return it; raise when it needs action, disappears or time runs out.
    progress: a waiting.Waits that records the wait. (botocore has no Route 53 Resolver waiters.)"""

    def settled(endpoint):
        if endpoint is None:
            raise AnsibleRoute53ResolverError(message=f"Resolver endpoint {endpoint_id} disappeared while waiting for it")
        if endpoint["Status"] in FAILED:
            raise AnsibleRoute53ResolverError(message=f"Resolver endpoint {endpoint_id} is {endpoint['Status']}: {endpoint.get('StatusMessage', '')}")
        return endpoint["Status"] == SETTLED

    return waiting.wait_until(
        lambda: get_endpoint(client, endpoint_id),
        settled,
        timeout,
        delay=delay,
        error=AnsibleRoute53ResolverError,
        timed_out=lambda _last: f"Timeout after {timeout} seconds waiting for Resolver endpoint {endpoint_id} to be {SETTLED}",
        progress=progress,
        what=f"Resolver endpoint {endpoint_id} to be {SETTLED}",
        state=_endpoint_status,
    )


def wait_for_deletion(client, endpoint_id, timeout, *, delay=POLL_DELAY, progress=None):
    """Poll until the endpoint is gone; raise when time runs out. progress: a waiting.Waits that records the wait."""
    waiting.wait_until(
        lambda: get_endpoint(client, endpoint_id),
        lambda endpoint: endpoint is None,
        timeout,
        delay=delay,
        error=AnsibleRoute53ResolverError,
        timed_out=lambda _last: f"Timeout after {timeout} seconds waiting for Resolver endpoint {endpoint_id} to be deleted",
        progress=progress,
        what=f"Resolver endpoint {endpoint_id} to be deleted",
        state=_endpoint_status,
    )
