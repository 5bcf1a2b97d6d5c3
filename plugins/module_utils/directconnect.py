# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Direct Connect API calls with retries and error handling for the directconnect_* modules and resource_tags:
reading virtual interfaces with their tags, and the result shape the modules return (secrets left out unless asked
for); tagging by ARN; gateway associations and their allowed prefixes, waiting for them to settle."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import sys

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.hybridcloud.aws.plugins.module_utils import waiting

# Direct Connect throttles with ThrottlingException and fails transiently with DirectConnectServerException.
retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException", "DirectConnectServerException"])

# DescribeTags documents no limit on its list of ARNs; small batches keep each request well inside any.
TAGS_BATCH_SIZE = 20
# Direct Connect answers every client error with one code; a missing resource is told apart by its message.
_MISSING_MESSAGE = re.compile(r"does not exist|not found", re.IGNORECASE)
# Fields that carry the BGP MD5 key (customerRouterConfig is a router configuration that includes it).
SECRET_FIELDS = ("authKey", "customerRouterConfig")


class AnsibleDirectConnectError(AnsibleAWSError):
    pass


def _is_missing_resource():
    """The exception class to catch for "this resource does not exist" (DirectConnectClientException with such a
    message), or a class that is never raised, in the style of is_boto3_error_code."""
    error = sys.exc_info()[1]
    details = (getattr(error, "response", None) or {}).get("Error") or {}
    if details.get("Code") == "DirectConnectClientException" and _MISSING_MESSAGE.search(details.get("Message") or ""):
        return type(error)
    return type("NeverEverRaisedException", (Exception,), {})


class DirectConnectErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleDirectConnectError

    @classmethod
    def _is_missing(cls):
        return _is_missing_resource()


# ---------------------------------------------------------------- virtual interfaces


@DirectConnectErrorHandler.list_error_handler("describe Direct Connect virtual interfaces", default_value=[])
@retry
def describe_virtual_interfaces(client, connection_id=None, virtual_interface_id=None):
    """The virtual interfaces of a connection or LAG, or the one with this id, or all of the region (both filters
    apply together); an empty list when the interface or connection does not exist. Follows nextToken."""
    params = {}
    if connection_id:
        params["connectionId"] = connection_id
    if virtual_interface_id:
        params["virtualInterfaceId"] = virtual_interface_id
    interfaces = []
    while True:
        answer = client.describe_virtual_interfaces(**params)
        interfaces.extend(answer.get("virtualInterfaces", []))
        if not answer.get("nextToken"):
            return interfaces
        params["nextToken"] = answer["nextToken"]


@DirectConnectErrorHandler.common_error_handler("describe the tags of Direct Connect resources")
@retry
def _describe_tags_batch(client, arns):
    return client.describe_tags(resourceArns=arns).get("resourceTags", [])


def describe_tags(client, arns):
    """{arn: tags as a dict} for the given Direct Connect resources, in batches."""
    tags = {}
    for start in range(0, len(arns), TAGS_BATCH_SIZE):
        for resource in _describe_tags_batch(client, arns[start : start + TAGS_BATCH_SIZE]):
            tags[resource["resourceArn"]] = boto3_tag_list_to_ansible_dict(resource.get("tags") or [], "key", "value")
    return tags


def virtual_interface_arn(partition, interface):
    return f"arn:{partition}:directconnect:{interface['region']}:{interface['ownerAccount']}:dxvif/{interface['virtualInterfaceId']}"


def _without_secrets(value):
    if isinstance(value, dict):
        return {key: _without_secrets(item) for key, item in value.items() if key not in SECRET_FIELDS}
    if isinstance(value, list):
        return [_without_secrets(item) for item in value]
    return value


def virtual_interface_result(interface, arn, tags, include_auth_key=False):
    """A virtual interface as modules return it: snake_case, its ARN, tags as a dict, the BGP key only when asked."""
    shown = {key: value for key, value in interface.items() if key != "tags"}
    if not include_auth_key:
        shown = _without_secrets(shown)
    result = camel_dict_to_snake_dict(shown)
    result["virtual_interface_arn"] = arn
    result["tags"] = tags
    return result


# ---------------------------------------------------------------- tags (by ARN)


@DirectConnectErrorHandler.common_error_handler("tag Direct Connect resource {arn}")
@retry
def tag_resource(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=ansible_dict_to_boto3_tag_list(dict(sorted(tags.items())), "key", "value"))


@DirectConnectErrorHandler.common_error_handler("untag Direct Connect resource {arn}")
@retry
def untag_resource(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=sorted(keys))


# ---------------------------------------------------------------- gateway associations

# Association states a caller waits out, and the ones in which the association is gone or going.
ASSOCIATION_BUSY = ("associating", "updating")
ASSOCIATION_GONE = ("disassociating", "disassociated")
ASSOCIATION_FIRST_POLL_DELAY = 2
ASSOCIATION_MAX_POLL_DELAY = 15


@DirectConnectErrorHandler.list_error_handler("describe the associations of Direct Connect gateway {gateway_id}", default_value=[])
@retry
def _describe_gateway_associations(client, gateway_id, associated_gateway_id=None, association_id=None):
    params = {"directConnectGatewayId": gateway_id}
    if associated_gateway_id:
        params["associatedGatewayId"] = associated_gateway_id
    if association_id:
        params["associationId"] = association_id
    associations = []
    while True:
        answer = client.describe_direct_connect_gateway_associations(**params)
        associations.extend(answer.get("directConnectGatewayAssociations", []))
        if not answer.get("nextToken"):
            return associations
        params["nextToken"] = answer["nextToken"]


def find_gateway_association(client, gateway_id, associated_gateway_id):
    """The live association of the Direct Connect gateway with the virtual private or transit gateway, or None."""
    for association in _describe_gateway_associations(client, gateway_id, associated_gateway_id=associated_gateway_id):
        if association.get("associationState") not in ASSOCIATION_GONE:
            return association
    return None


@DirectConnectErrorHandler.common_error_handler("update the allowed prefixes of Direct Connect gateway association {association_id}")
@retry
def update_gateway_association(client, association_id, add, remove):
    """add / remove: lists of CIDRs. Returns the association AWS answers (usually updating)."""
    params = {"associationId": association_id}
    if add:
        params["addAllowedPrefixesToDirectConnectGateway"] = [{"cidr": cidr} for cidr in add]
    if remove:
        params["removeAllowedPrefixesToDirectConnectGateway"] = [{"cidr": cidr} for cidr in remove]
    return client.update_direct_connect_gateway_association(**params)["directConnectGatewayAssociation"]


def wait_for_gateway_association(client, gateway_id, association_id, timeout, *, progress=None):
    """Poll until the association is associated (after associating or updating), every 2 seconds at first, then
    less often (up to every 15). Returns it; raises AnsibleDirectConnectError when it goes away or timeout seconds
    pass first. progress: a waiting.Waits that records the wait. (botocore has no Direct Connect waiters.)"""

    def association_state(found):
        return found[0].get("associationState") if found else "disassociated"

    def associated(found):
        state = association_state(found)
        if state in ASSOCIATION_GONE:
            raise AnsibleDirectConnectError(message=f"Direct Connect gateway association {association_id} is {state}")
        return state not in ASSOCIATION_BUSY

    found = waiting.wait_until(
        lambda: _describe_gateway_associations(client, gateway_id, association_id=association_id),
        associated,
        timeout,
        delay=ASSOCIATION_FIRST_POLL_DELAY,
        max_delay=ASSOCIATION_MAX_POLL_DELAY,
        error=AnsibleDirectConnectError,
        timed_out=lambda last: (
            f"Direct Connect gateway association {association_id} is still {association_state(last)} after {timeout} seconds; "
            "raise wait_timeout or try again later"
        ),
        progress=progress,
        what=f"Direct Connect gateway association {association_id} to be associated",
        state=association_state,
    )
    return found[0]


def allowed_prefixes(association):
    """The association's allowed prefixes as a sorted list of CIDRs."""
    return sorted(prefix["cidr"] for prefix in association.get("allowedPrefixesToDirectConnectGateway") or [])
