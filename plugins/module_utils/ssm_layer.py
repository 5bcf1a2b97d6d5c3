# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One read of what the role hybridcloud.aws.systems_manager keeps in IAM, KMS and STS: the caller (account, partition,
ARN, and the role of an assumed-role session), the managed instances' service role with its managed and inline
policies, and the activation code's KMS key (metadata, key policy, rotation, tags); the independent reads run side by
side in a few threads."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.hybridcloud.aws.plugins.module_utils.side_by_side import SideBySide
from ansible_collections.hybridcloud.aws.plugins.module_utils.vpc_layer import get_role
from ansible_collections.hybridcloud.aws.plugins.module_utils.vpc_layer import policy_document
from ansible_collections.hybridcloud.aws.plugins.module_utils.vpc_layer import read_role

retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException"])

# Threads for the independent calls; 1 runs them one after the other (the unit tests do, for botocore's Stubber).
MAX_WORKERS = 4


class AnsibleSsmLayerError(AnsibleAWSError):
    pass


class SsmLayerErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleSsmLayerError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["NotFoundException", "NoSuchEntity"])


@SsmLayerErrorHandler.common_error_handler("read the caller's identity")
@retry
def caller(client):
    """{account, partition, arn, role_name}: role_name is the role of an assumed-role session, else empty."""
    identity = client.get_caller_identity()
    arn = identity["Arn"]
    role_name = arn.split(":assumed-role/")[1].split("/")[0] if ":assumed-role/" in arn else ""
    return {"account": identity["Account"], "partition": arn.split(":")[1], "arn": arn, "role_name": role_name}


@SsmLayerErrorHandler.list_error_handler("describe KMS key {key_id}", default_value=None)
@retry
def describe_key(client, key_id):
    return client.describe_key(KeyId=key_id)["KeyMetadata"]


@SsmLayerErrorHandler.common_error_handler("read the policy, rotation and tags of KMS key {key_id}")
@retry
def key_details(client, key_id):
    policy = policy_document(client.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
    rotation = client.get_key_rotation_status(KeyId=key_id).get("KeyRotationEnabled", False)
    pages = client.get_paginator("list_resource_tags").paginate(KeyId=key_id)
    tags = {tag["TagKey"]: tag["TagValue"] for tag in pages.build_full_result().get("Tags", [])}
    return policy, rotation, tags


def read_key(client, key_id, details=True):
    """The key of this id, ARN or alias/... (key_id, key_arn, key_state, description, key_manager and, with details,
    policy, enable_key_rotation, tags) or {}."""
    metadata = describe_key(client, key_id)
    if not metadata:
        return {}
    key = {
        "key_id": metadata["KeyId"],
        "key_arn": metadata["Arn"],
        "key_state": metadata.get("KeyState", ""),
        "description": metadata.get("Description", ""),
        "key_manager": metadata.get("KeyManager", ""),
    }
    if details:
        key["policy"], key["enable_key_rotation"], key["tags"] = key_details(client, metadata["KeyId"])
    return key


def read_layer(clients, service_role_name=None, role_policy_names=(), kms_key_id=None, kms_key_details=True):
    """{caller, caller_role, service_role, kms_key}; each empty ({}) when not asked for or missing.

    clients: {service: boto3 client} for sts, iam and kms. Raises AnsibleAWSError with AWS's error."""
    with SideBySide(MAX_WORKERS) as reads:
        identity = reads.start(caller, clients["sts"])
        role = reads.start(read_role, clients["iam"], service_role_name, list(role_policy_names or [])) if service_role_name else (lambda: {})
        key = reads.start(read_key, clients["kms"], kms_key_id, kms_key_details) if kms_key_id else (lambda: {})
        found = identity()
        caller_role = reads.start(get_role, clients["iam"], found["role_name"]) if found["role_name"] else (lambda: None)
        layer = {"caller": found, "service_role": role(), "kms_key": key()}
        answer = caller_role() or {}
        layer["caller_role"] = {"role_name": answer["RoleName"], "arn": answer["Arn"]} if answer else {}
    return layer
