# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: s3_replication_settings
short_description: The IAM role policies and the rule that replicate one S3 bucket to another
version_added: 0.2.0
description:
  - Builds, from the two buckets, their regions and their KMS keys, what S3 replication of the whole source bucket to
    the destination bucket needs, as data the modules take as they are.
  - "The replication role's trust policy (C(s3.amazonaws.com) may assume it) and its least-privilege permissions: on
    the source bucket C(s3:GetReplicationConfiguration) and C(s3:ListBucket); on the source's objects
    C(s3:GetObjectVersionForReplication), C(s3:GetObjectVersionAcl) and C(s3:GetObjectVersionTagging); on the
    destination's objects C(s3:ReplicateObject), C(s3:ReplicateDelete) and C(s3:ReplicateTags)."
  - With O(_input.replica_kms_key_arn), C(kms:Encrypt) on that key and C(kms:Decrypt) on O(_input.source_kms_key_arn)
    when there is one, each only through S3 in the key's region (C(kms:ViaService)) and for its bucket (the encryption
    context C(aws:s3:arn), the object's or, with S3 Bucket Keys, the bucket's ARN).
  - The rule of M(hybridcloud.aws.s3_bucket_replication) for the whole bucket. With a replica key the rule names it,
    which also makes S3 replicate the objects encrypted with KMS (without one S3 leaves them out).
  - Fails naming the first invalid key of the input (a KMS key must be in the region of its bucket).
options:
  _input:
    description: The two buckets.
    type: dict
    required: true
    suboptions:
      partition:
        description: AWS partition.
        type: str
        default: aws
      account_id:
        description: The account of the role and both buckets.
        type: str
        required: true
      role_name:
        description: Name of the replication role (the ARN is built from it).
        type: str
        required: true
      source_bucket:
        description: Name of the source bucket.
        type: str
        required: true
      source_region:
        description: Region of the source bucket.
        type: str
        required: true
      source_kms_key_arn:
        description: ARN of the KMS key that encrypts the source's objects, in O(_input.source_region); empty for none.
        type: str
      destination_bucket:
        description: Name of the destination bucket.
        type: str
        required: true
      destination_region:
        description: Region of the destination bucket.
        type: str
        required: true
      replica_kms_key_arn:
        description: ARN of the KMS key that encrypts the replicas, in O(_input.destination_region); empty for none.
        type: str
      rule_id:
        description: Identifier of the rule.
        type: str
        default: dr
      storage_class:
        description: Storage class of the replicas; empty keeps that of the source objects.
        type: str
      delete_marker_replication:
        description: Whether delete markers are replicated.
        type: bool
        default: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Decide the replication of the file share's bucket
  ansible.builtin.set_fact:
    replication: >-
      {{ {'account_id': '123456789012', 'role_name': 'files-replication',
          'source_bucket': 'acme-files', 'source_region': 'eu-central-1',
          'destination_bucket': 'acme-files-dr', 'destination_region': 'eu-west-1',
          'storage_class': 'INTELLIGENT_TIERING'} | hybridcloud.aws.s3_replication_settings }}

- name: Replicate
  hybridcloud.aws.s3_bucket_replication:
    bucket_name: acme-files
    role_arn: "{{ replication.role_arn }}"
    rules: "{{ replication.rules }}"
"""

RETURN = r"""
_value:
  description: The settings.
  type: dict
  contains:
    role_arn:
      description: ARN of the replication role (path /).
      type: str
      sample: arn:aws:iam::123456789012:role/files-replication
    source_bucket_arn:
      description: ARN of the source bucket.
      type: str
    destination_bucket_arn:
      description: ARN of the destination bucket.
      type: str
    trust_policy:
      description: The role's trust policy.
      type: dict
    role_policy:
      description: The role's permissions policy (statements SourceBucket, SourceObjects, ReplicaObjects, and SourceKey and ReplicaKey with keys).
      type: dict
    rules:
      description: The rules option of M(hybridcloud.aws.s3_bucket_replication) (one rule, every object).
      type: list
      elements: dict
    kms_objects_replicated:
      description: Whether objects encrypted with KMS are replicated (a replica key is given).
      type: bool
"""


def _settings(spec):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_replication_settings import S3ReplicationSettingsError, s3_replication_settings

    try:
        return s3_replication_settings(spec)
    except S3ReplicationSettingsError as e:
        raise AnsibleFilterError("s3_replication_settings: {0}".format(e)) from e


class FilterModule:
    def filters(self):
        return {"s3_replication_settings": _settings}
