# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""S3 bucket replication: API calls with retries, and the translation between the module's options and the API's
ReplicationConfiguration shape."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# S3 throttles with SlowDown, which AWSRetry does not know as a throttling code.
retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["SlowDown"])


class AnsibleS3ReplicationError(AnsibleAWSError):
    pass


class S3ReplicationErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleS3ReplicationError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ReplicationConfigurationNotFoundError")


@S3ReplicationErrorHandler.list_error_handler("get the replication configuration of bucket {bucket}")
@retry
def get_replication(client, bucket):
    """The bucket's replication configuration; None when it has none."""
    return client.get_bucket_replication(Bucket=bucket)["ReplicationConfiguration"]


@S3ReplicationErrorHandler.common_error_handler("get the versioning of bucket {bucket}")
@retry
def get_versioning_status(client, bucket):
    """Enabled, Suspended, or None for a bucket that was never versioned."""
    return client.get_bucket_versioning(Bucket=bucket).get("Status")


@S3ReplicationErrorHandler.common_error_handler("put the replication configuration of bucket {bucket}")
@retry
def put_replication(client, bucket, configuration):
    client.put_bucket_replication(Bucket=bucket, ReplicationConfiguration=configuration)


@S3ReplicationErrorHandler.deletion_error_handler("delete the replication configuration of bucket {bucket}")
@retry
def delete_replication(client, bucket):
    client.delete_bucket_replication(Bucket=bucket)
    return True


def bucket_arn(name_or_arn):
    """A bucket ARN from a bucket name or ARN (a name becomes an ARN of the aws partition)."""
    return name_or_arn if name_or_arn.startswith("arn:") else "arn:aws:s3:::" + name_or_arn


def build_replication(role_arn, rules):
    """The API shape of the module's options. Every rule uses the current schema (Filter, Priority,
    DeleteMarkerReplication); a rule without priority takes its position in the list (1, 2, ...)."""
    built = []
    for position, rule in enumerate(rules, start=1):
        destination = {"Bucket": bucket_arn(rule["destination_bucket"])}
        if rule.get("storage_class"):
            destination["StorageClass"] = rule["storage_class"]
        api_rule = {
            "ID": rule.get("id") or "rule-{0}".format(position),
            "Priority": rule["priority"] if rule.get("priority") is not None else position,
            "Status": "Enabled" if rule.get("status", "enabled") == "enabled" else "Disabled",
            "Filter": {"Prefix": rule.get("prefix") or ""},
            "DeleteMarkerReplication": {"Status": "Enabled" if rule.get("delete_marker_replication") else "Disabled"},
            "Destination": destination,
        }
        if rule.get("replica_kms_key_id"):
            destination["EncryptionConfiguration"] = {"ReplicaKmsKeyID": rule["replica_kms_key_id"]}
            api_rule["SourceSelectionCriteria"] = {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
        built.append(api_rule)
    return {"Role": role_arn, "Rules": built}


def _prefix(rule):
    selector = rule.get("Filter")
    if selector is None:
        return rule.get("Prefix") or ""
    return (selector.get("And") or {}).get("Prefix", selector.get("Prefix")) or ""


def normalize_replication(configuration):
    """A comparable, user-facing view of an API replication configuration (or None); rules sorted by priority."""
    if not configuration:
        return None
    rules = []
    for rule in configuration.get("Rules") or []:
        destination = rule.get("Destination") or {}
        rules.append(
            {
                "id": rule.get("ID"),
                "priority": rule.get("Priority"),
                "status": (rule.get("Status") or "").lower(),
                "prefix": _prefix(rule),
                "destination_bucket": destination.get("Bucket"),
                "storage_class": destination.get("StorageClass"),
                "replica_kms_key_id": (destination.get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID"),
                "delete_marker_replication": (rule.get("DeleteMarkerReplication") or {}).get("Status") == "Enabled",
            }
        )
    rules.sort(key=lambda rule: (-(rule["priority"] or 0), rule["id"] or ""))
    return {"role": configuration.get("Role"), "rules": rules}
