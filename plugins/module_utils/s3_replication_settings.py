# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What S3 replication of one bucket to another needs, as plain data (the s3_replication_settings filter): the IAM
role's trust and least-privilege permissions policies, the role's ARN and the rule of the s3_bucket_replication
module.

The permissions are those AWS documents for live replication, on the two buckets only:

- the source bucket: s3:GetReplicationConfiguration and s3:ListBucket;
- the source's objects: s3:GetObjectVersionForReplication, s3:GetObjectVersionAcl, s3:GetObjectVersionTagging;
- the destination's objects: s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags;
- with a replica key (a KMS key in the destination's region), kms:Encrypt on it, and kms:Decrypt on the source's KMS
  key when there is one, each only through S3 in the key's region (kms:ViaService) and for its bucket (the encryption
  context aws:s3:arn, which is the object's ARN, or the bucket's ARN when the bucket uses S3 Bucket Keys: both are
  allowed). S3 replicates objects encrypted with KMS only when the rule names a replica key (the rule then selects
  them, SourceSelectionCriteria.SseKmsEncryptedObjects): without one, no KMS permission is granted.

The trust policy lets s3.amazonaws.com assume the role, as AWS documents it for replication. Only a principal allowed
iam:PassRole on the role can name it in a bucket's replication configuration, and iam:PassRole does not reach across
accounts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

POLICY_VERSION = "2012-10-17"
SOURCE_BUCKET_ACTIONS = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
SOURCE_OBJECT_ACTIONS = ["s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging"]
DESTINATION_OBJECT_ACTIONS = ["s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"]
STORAGE_CLASSES = ("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR")

_ACCOUNT = re.compile(r"^[0-9]{12}$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$")
_KMS_KEY_ARN = re.compile(r"^arn:(?P<partition>aws[a-z-]*):kms:(?P<region>[a-z0-9-]+):[0-9]{12}:key/[A-Za-z0-9-]+$")
_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")


class S3ReplicationSettingsError(ValueError):
    pass


def _dns_suffix(partition):
    return "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com"


def _require(spec, name, pattern, what):
    value = spec.get(name)
    if not isinstance(value, str) or not pattern.match(value):
        raise S3ReplicationSettingsError("{0}: {1!r} must be {2}".format(name, value, what))
    return value


def _key_statement(sid, action, key_arn, bucket_arn, via_service):
    """action on the key, only through S3 in the key's region (via_service) and for the bucket: the encryption context
    aws:s3:arn is the object's ARN, or the bucket's with S3 Bucket Keys."""
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Action": [action],
        "Resource": key_arn,
        "Condition": {
            "StringEquals": {"kms:ViaService": via_service},
            "StringLike": {"kms:EncryptionContext:aws:s3:arn": [bucket_arn, bucket_arn + "/*"]},
        },
    }


def s3_replication_settings(spec):
    """The settings of replicating spec['source_bucket'] (in spec['source_region']) to spec['destination_bucket'] (in
    spec['destination_region']) with one rule for the whole bucket.

    spec: partition (default aws), account_id, role_name, source_bucket, source_region, destination_bucket,
    destination_region, source_kms_key_arn and replica_kms_key_arn (empty or missing: none), rule_id (default dr),
    storage_class (default: that of the source objects), delete_marker_replication (default true).

    A KMS key must be in the region of its bucket (source key in source_region, replica key in destination_region),
    as S3 uses it there. Raises S3ReplicationSettingsError naming the first invalid key of spec."""
    if not isinstance(spec, dict):
        raise S3ReplicationSettingsError("takes a dict, got {0}".format(type(spec).__name__))
    partition = spec.get("partition") or "aws"
    account = _require(spec, "account_id", _ACCOUNT, "a 12-digit account id")
    role_name = _require(spec, "role_name", _ROLE_NAME, "an IAM role name")
    source = _require(spec, "source_bucket", _BUCKET, "a bucket name")
    destination = _require(spec, "destination_bucket", _BUCKET, "a bucket name")
    if source == destination:
        raise S3ReplicationSettingsError("destination_bucket: {0!r} is the source bucket itself".format(destination))
    regions = {name: _require(spec, name, _REGION, "a region name") for name in ("source_region", "destination_region")}
    keys = {}
    for name, region_name in (("source_kms_key_arn", "source_region"), ("replica_kms_key_arn", "destination_region")):
        key = spec.get(name) or ""
        if key:
            match = _KMS_KEY_ARN.match(key)
            if not match:
                raise S3ReplicationSettingsError("{0}: {1!r} must be a KMS key ARN".format(name, key))
            if match.group("region") != regions[region_name]:
                raise S3ReplicationSettingsError("{0}: {1!r} must be a key in {2} {3}".format(name, key, region_name, regions[region_name]))
        keys[name] = key
    storage_class = spec.get("storage_class") or None
    if storage_class is not None and storage_class not in STORAGE_CLASSES:
        raise S3ReplicationSettingsError("storage_class: {0!r} must be one of {1}".format(storage_class, ", ".join(STORAGE_CLASSES)))

    source_arn = "arn:{0}:s3:::{1}".format(partition, source)
    destination_arn = "arn:{0}:s3:::{1}".format(partition, destination)
    statements = [
        {"Sid": "SourceBucket", "Effect": "Allow", "Action": list(SOURCE_BUCKET_ACTIONS), "Resource": source_arn},
        {"Sid": "SourceObjects", "Effect": "Allow", "Action": list(SOURCE_OBJECT_ACTIONS), "Resource": source_arn + "/*"},
        {"Sid": "ReplicaObjects", "Effect": "Allow", "Action": list(DESTINATION_OBJECT_ACTIONS), "Resource": destination_arn + "/*"},
    ]
    via = {name: "s3.{0}.{1}".format(region, _dns_suffix(partition)) for name, region in regions.items()}
    if keys["source_kms_key_arn"] and keys["replica_kms_key_arn"]:
        statements.append(_key_statement("SourceKey", "kms:Decrypt", keys["source_kms_key_arn"], source_arn, via["source_region"]))
    if keys["replica_kms_key_arn"]:
        statements.append(_key_statement("ReplicaKey", "kms:Encrypt", keys["replica_kms_key_arn"], destination_arn, via["destination_region"]))

    rule = {
        "id": spec.get("rule_id") or "dr",
        "status": "enabled",
        "prefix": "",
        "destination_bucket": destination_arn,
        "delete_marker_replication": spec.get("delete_marker_replication", True) is not False,
    }
    if storage_class:
        rule["storage_class"] = storage_class
    if keys["replica_kms_key_arn"]:
        # Also selects the objects encrypted with KMS (SourceSelectionCriteria.SseKmsEncryptedObjects): without a
        # replica key S3 does not replicate them.
        rule["replica_kms_key_id"] = keys["replica_kms_key_arn"]
    return {
        "role_arn": "arn:{0}:iam::{1}:role/{2}".format(partition, account, role_name),
        "source_bucket_arn": source_arn,
        "destination_bucket_arn": destination_arn,
        "trust_policy": {
            "Version": POLICY_VERSION,
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}],
        },
        "role_policy": {"Version": POLICY_VERSION, "Statement": statements},
        "rules": [rule],
        # KMS-encrypted source objects are replicated only with a replica key: a source key without one leaves them out.
        "kms_objects_replicated": bool(keys["replica_kms_key_arn"]),
    }
