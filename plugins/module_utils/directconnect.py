# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Direct Connect API calls with retries and error handling for the directconnect_* modules: reading virtual
interfaces with their tags, and the result shape the modules return (secrets left out unless asked for)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import sys

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

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
