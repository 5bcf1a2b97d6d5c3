# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""RDS DB instances: API calls with retries, and the master user secret that RDS keeps in Secrets Manager
(ManageMasterUserPassword), in the shape the modules return."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.hybridcloud.aws.plugins.module_utils import waiting
from ansible_collections.hybridcloud.aws.plugins.module_utils.amazon_aws_deferred import is_boto3_error_code

retry = AWSRetry.jittered_backoff()
# An instance that is still being created, modified or backed up answers InvalidDBInstanceState for a while.
modify_retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["InvalidDBInstanceState"])

SECRET_ACTIVE = "active"
POLL_DELAY = 10


class AnsibleRDSError(AnsibleAWSError):
    pass


class RDSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleRDSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("DBInstanceNotFound")


@RDSErrorHandler.list_error_handler("describe DB instance {identifier}")
@retry
def describe_db_instance(client, identifier):
    """The DB instance, or None when it does not exist."""
    return client.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]


@RDSErrorHandler.common_error_handler("turn on the managed master user password of DB instance {identifier}")
@modify_retry
def manage_master_user_password(client, identifier, kms_key_id=None):
    """Hand the master user password to Secrets Manager: RDS generates a new one and keeps it in its own secret."""
    params = {"DBInstanceIdentifier": identifier, "ManageMasterUserPassword": True, "ApplyImmediately": True}
    if kms_key_id:
        params["MasterUserSecretKmsKeyId"] = kms_key_id
    return client.modify_db_instance(**params)["DBInstance"]


# The password is no argument of the description: it must never reach an error message.
@RDSErrorHandler.common_error_handler("turn off the managed master user password of DB instance {identifier}")
@modify_retry
def unmanage_master_user_password(client, identifier, password):
    """Take the master user password back from Secrets Manager: RDS sets this one and deletes its secret."""
    return client.modify_db_instance(DBInstanceIdentifier=identifier, ManageMasterUserPassword=False, MasterUserPassword=password, ApplyImmediately=True)[
        "DBInstance"
    ]


@RDSErrorHandler.common_error_handler("describe KMS key {key_id}")
@retry
def kms_key_arn(kms_client, key_id):
    """The key ARN behind a key id, key ARN, alias name or alias ARN (to compare with the secret's KmsKeyId)."""
    return kms_client.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]


def master_user_secret(instance):
    """The instance's MasterUserSecret as the module returns it (empty strings when RDS does not manage the password)."""
    secret = (instance or {}).get("MasterUserSecret") or {}
    return {
        "secret_arn": secret.get("SecretArn", ""),
        "secret_status": secret.get("SecretStatus", ""),
        "kms_key_id": secret.get("KmsKeyId", ""),
    }


def key_matches(current_key_arn, wanted_key_id):
    """Whether the wanted key id (or ARN) names the current key without asking KMS; aliases need kms_key_arn()."""
    return current_key_arn == wanted_key_id or current_key_arn.endswith(":key/" + wanted_key_id)


def is_alias(key_id):
    """Whether a KMS key reference is an alias name or alias ARN."""
    return key_id.startswith("alias/") or ":alias/" in key_id


def _secret_state(instance):
    """What a poll saw of the master user secret: its status, "none" without one, or that the instance is gone."""
    if instance is None:
        return "DB instance not found"
    return master_user_secret(instance)["secret_status"] or "none"


def wait_for_master_user_secret(client, identifier, managed, timeout, *, delay=POLL_DELAY, progress=None):
    """Read the instance until its secret is active (managed) or gone (not managed) and return it; raises
    AnsibleRDSError when timeout seconds pass first. progress: a waiting.Waits that records the wait. (botocore's RDS
    waiters wait for instance states, not for the secret.)"""
    goal = "active" if managed else "deleted"

    def settled(instance):
        secret = master_user_secret(instance)
        return instance is not None and (secret["secret_status"] == SECRET_ACTIVE if managed else not secret["secret_arn"])

    return waiting.wait_until(
        lambda: describe_db_instance(client, identifier),
        settled,
        timeout,
        delay=delay,
        error=AnsibleRDSError,
        timed_out=lambda _last: f"Timeout waiting for the master user secret of DB instance {identifier} to become {goal}",
        progress=progress,
        what=f"the master user secret of DB instance {identifier} to become {goal}",
        state=_secret_state,
    )
