#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: s3_bucket_replication
version_added: 0.2.0
short_description: Manage the replication configuration of an S3 bucket
description:
  - "Sets the replication configuration of a bucket (PutBucketReplication): the IAM role S3 assumes to copy objects and
    the rules that select objects by key prefix and copy them to a destination bucket, in another region or the same
    one, with a storage class and, for objects encrypted with KMS, a KMS key in the destination's region."
  - The current configuration is read (GetBucketReplication) and written only when it differs; I(state=absent)
    deletes it (DeleteBucketReplication).
  - S3 replicates only from a versioned bucket to a versioned bucket. The module reads the source bucket's versioning
    first and fails, naming the bucket, when it is not enabled (AWS refuses such a configuration with
    C(InvalidRequest)); the destination bucket's versioning is the caller's to ensure (for example with
    M(amazon.aws.s3_bucket) and its I(versioning) option, run against the destination's region).
  - S3 replicates objects written after the configuration is set, asynchronously; objects already in the bucket are
    not copied.
  - M(amazon.aws.s3_bucket) has no replication option; no upstream module sets a bucket's replication, hence this
    module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  bucket_name:
    description: Name of the source bucket.
    required: true
    type: str
    aliases: [name]
  state:
    description: Whether the bucket should have a replication configuration.
    choices: [present, absent]
    default: present
    type: str
  role_arn:
    description:
      - ARN of the IAM role S3 assumes to replicate (trusting C(s3.amazonaws.com), allowed to read the source and
        replicate into the destination). Required with I(state=present).
    type: str
  rules:
    description:
      - The replication rules (at least one with I(state=present), at most 1,000).
    type: list
    elements: dict
    default: []
    suboptions:
      id:
        description: Identifier of the rule (at most 255 characters); by default C(rule-N), N its position in the list.
        type: str
      priority:
        description:
          - Priority of the rule when several rules select the same object (the higher wins); by default its position
            in the list. Priorities must be distinct.
        type: int
      status:
        description: Whether S3 applies the rule.
        choices: [enabled, disabled]
        default: enabled
        type: str
      prefix:
        description: Replicate only the objects whose key starts with this prefix; empty for every object.
        type: str
        default: ""
      destination_bucket:
        description: The destination bucket, as an ARN or a name (a name is taken as C(arn:aws:s3:::NAME)).
        type: str
        required: true
      storage_class:
        description: Storage class of the replicas; by default that of the source object.
        type: str
        choices: [STANDARD, REDUCED_REDUNDANCY, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER, DEEP_ARCHIVE, GLACIER_IR]
      replica_kms_key_id:
        description:
          - KMS key (ARN) in the destination bucket's region that encrypts the replicas of KMS-encrypted objects. Setting
            it also makes the rule replicate KMS-encrypted objects (SourceSelectionCriteria).
        type: str
      delete_marker_replication:
        description: Whether delete markers are replicated too.
        type: bool
        default: false
notes:
  - Supports C(check_mode) and C(diff).
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
"""

EXAMPLES = r"""
- name: Replicate the file share's bucket to the DR region
  hybridcloud.aws.s3_bucket_replication:
    bucket_name: acme-file-gateway
    role_arn: arn:aws:iam::111122223333:role/acme-s3-replication
    rules:
      - id: dr
        destination_bucket: arn:aws:s3:::acme-file-gateway-dr
        storage_class: STANDARD_IA

- name: Replicate only the exports, encrypting the replicas with a key of the destination region
  hybridcloud.aws.s3_bucket_replication:
    bucket_name: acme-file-gateway
    role_arn: arn:aws:iam::111122223333:role/acme-s3-replication
    rules:
      - id: exports
        prefix: exports/
        destination_bucket: acme-file-gateway-dr
        replica_kms_key_id: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab

- name: Stop replicating
  hybridcloud.aws.s3_bucket_replication:
    bucket_name: acme-file-gateway
    state: absent
"""

RETURN = r"""
replication_configuration:
  description: The configuration after the change (in check mode, as it would be); empty when there is none.
  returned: always
  type: dict
  contains:
    role:
      description: The IAM role S3 assumes.
      type: str
      sample: arn:aws:iam::111122223333:role/acme-s3-replication
    rules:
      description: The rules, highest priority first.
      type: list
      elements: dict
      sample:
        - id: dr
          priority: 1
          status: enabled
          prefix: ""
          destination_bucket: arn:aws:s3:::acme-file-gateway-dr
          storage_class: STANDARD_IA
          replica_kms_key_id: null
          delete_marker_replication: false
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_replication import AnsibleS3ReplicationError
from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_replication import build_replication
from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_replication import delete_replication
from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_replication import get_replication
from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_replication import get_versioning_status
from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_replication import normalize_replication
from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_replication import put_replication

ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}$")
BUCKET_ARN = re.compile(r"^(arn:aws[a-z-]*:s3:::)?[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$")
MAX_RULES = 1000


def problems(params):
    """Every problem of the options, each naming the option."""
    found = []
    rules = params["rules"]
    if params["state"] == "absent":
        return found
    if not params["role_arn"] or not ROLE_ARN.match(params["role_arn"]):
        found.append("role_arn: {0!r} must be an IAM role ARN".format(params["role_arn"]))
    if not rules:
        found.append("rules: at least one rule is required with state=present")
    if len(rules) > MAX_RULES:
        found.append("rules: at most {0} rules are allowed".format(MAX_RULES))
    priorities = [rule["priority"] if rule["priority"] is not None else position for position, rule in enumerate(rules, start=1)]
    if len(set(priorities)) != len(priorities):
        found.append("rules: the priorities {0} are not distinct".format(priorities))
    ids = [rule["id"] or "rule-{0}".format(position) for position, rule in enumerate(rules, start=1)]
    if len(set(ids)) != len(ids):
        found.append("rules: the ids {0} are not distinct".format(ids))
    for index, rule in enumerate(rules):
        where = "rules[{0}]".format(index)
        if rule["id"] is not None and not 1 <= len(rule["id"]) <= 255:
            found.append("{0}.id: must be 1 to 255 characters".format(where))
        if not BUCKET_ARN.match(rule["destination_bucket"]):
            found.append("{0}.destination_bucket: {1!r} must be a bucket name or ARN".format(where, rule["destination_bucket"]))
        elif rule["destination_bucket"].split(":::")[-1] == params["bucket_name"]:
            found.append("{0}.destination_bucket: {1!r} is the source bucket itself".format(where, rule["destination_bucket"]))
        if rule["replica_kms_key_id"] and not KMS_KEY_ARN.match(rule["replica_kms_key_id"]):
            found.append("{0}.replica_kms_key_id: {1!r} must be a KMS key ARN".format(where, rule["replica_kms_key_id"]))
    return found


def main():
    rule_options = dict(
        id=dict(type="str"),
        priority=dict(type="int"),
        status=dict(type="str", default="enabled", choices=["enabled", "disabled"]),
        prefix=dict(type="str", default=""),
        destination_bucket=dict(type="str", required=True),
        storage_class=dict(
            type="str",
            choices=["STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR"],
        ),
        replica_kms_key_id=dict(type="str"),
        delete_marker_replication=dict(type="bool", default=False),
    )
    argument_spec = dict(
        bucket_name=dict(type="str", required=True, aliases=["name"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        role_arn=dict(type="str"),
        rules=dict(type="list", elements="dict", default=[], options=rule_options),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    found = problems(module.params)
    if found:
        module.fail_json(msg="Invalid replication configuration: " + "; ".join(found), problems=found)

    params = module.params
    bucket = params["bucket_name"]
    client = module.client("s3")
    try:
        before = normalize_replication(get_replication(client, bucket))
        if params["state"] == "absent":
            after = None
            if before and not module.check_mode:
                delete_replication(client, bucket)
        else:
            wanted = build_replication(params["role_arn"], params["rules"])
            after = normalize_replication(wanted)
            if after != before:
                versioning = get_versioning_status(client, bucket)
                if versioning != "Enabled":
                    module.fail_json(
                        msg="bucket {0} is not versioned (versioning: {1}): S3 replicates only from a bucket with versioning "
                        "enabled; enable it first (amazon.aws.s3_bucket versioning: true)".format(bucket, versioning or "never enabled"),
                        versioning=versioning,
                    )
                if not module.check_mode:
                    put_replication(client, bucket, wanted)
    except AnsibleS3ReplicationError as e:
        module.fail_json_aws_error(e)

    module.exit_json(
        changed=after != before,
        replication_configuration=after or {},
        diff={"before": before or {}, "after": after or {}},
    )


if __name__ == "__main__":
    main()
