#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: s3_bucket_intelligent_tiering
version_added: 0.1.0
short_description: Manage the S3 Intelligent-Tiering configurations of a bucket
description:
  - Creates, updates and deletes one S3 Intelligent-Tiering configuration of a bucket, identified by its I(id).
  - A configuration moves objects that are not accessed for a number of days into the Archive Access and
    Deep Archive Access tiers of the S3 Intelligent-Tiering storage class.
  - The configuration applies to the whole bucket, to the objects under a I(prefix), to objects carrying
    every tag of I(filter_tags), or to both.
  - Upstream M(amazon.aws.s3_bucket) and M(community.aws.s3_lifecycle) only set the C(INTELLIGENT_TIERING)
    storage class; no upstream module manages the archive tiers of the configuration itself, hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  bucket_name:
    description:
      - Name of the bucket.
    required: true
    type: str
  id:
    description:
      - Identifier of the configuration, unique within the bucket (at most 64 characters).
    required: true
    type: str
    aliases: [config_id]
  state:
    description:
      - Whether the configuration should exist.
    choices: [present, absent]
    default: present
    type: str
  status:
    description:
      - Whether S3 applies the configuration.
    choices: [enabled, disabled]
    default: enabled
    type: str
  prefix:
    description:
      - Apply the configuration only to objects whose key starts with this prefix.
    type: str
  filter_tags:
    description:
      - Apply the configuration only to objects that carry every one of these tags.
    type: dict
  archive_access_days:
    description:
      - Days without access after which objects move to the Archive Access tier (90 to 730).
      - At least one of I(archive_access_days) and I(deep_archive_access_days) is required with I(state=present).
    type: int
  deep_archive_access_days:
    description:
      - Days without access after which objects move to the Deep Archive Access tier (180 to 730).
      - Must be greater than I(archive_access_days) when both are set.
    type: int
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
- name: Archive the file gateway's objects that nobody read for 90 days, deep archive after 180
  hybridcloud.aws.s3_bucket_intelligent_tiering:
    bucket_name: acme-file-gateway
    id: archive-cold-files
    archive_access_days: 90
    deep_archive_access_days: 180

- name: Archive only the exports of one application, tagged as cold data
  hybridcloud.aws.s3_bucket_intelligent_tiering:
    bucket_name: acme-file-gateway
    id: exports-archive
    prefix: exports/
    filter_tags:
      retention: cold
    deep_archive_access_days: 365

- name: Remove a configuration
  hybridcloud.aws.s3_bucket_intelligent_tiering:
    bucket_name: acme-file-gateway
    id: exports-archive
    state: absent
"""

RETURN = r"""
intelligent_tiering_configuration:
  description:
    - The configuration after the change; empty when it does not exist (I(state=absent)).
  returned: always
  type: dict
  contains:
    id:
      description: Identifier of the configuration.
      type: str
      sample: archive-cold-files
    status:
      description: Whether the configuration is applied.
      type: str
      sample: enabled
    prefix:
      description: Key prefix the configuration applies to, or null for all objects.
      type: str
      sample: exports/
    filter_tags:
      description: Tags an object must carry for the configuration to apply.
      type: dict
      sample: {"retention": "cold"}
    archive_access_days:
      description: Days after which objects move to the Archive Access tier, or null.
      type: int
      sample: 90
    deep_archive_access_days:
      description: Days after which objects move to the Deep Archive Access tier, or null.
      type: int
      sample: 180
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_intelligent_tiering import AnsibleS3TieringError
from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_intelligent_tiering import build_configuration
from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_intelligent_tiering import delete_configuration
from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_intelligent_tiering import get_configuration
from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_intelligent_tiering import normalize_configuration
from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_intelligent_tiering import put_configuration

DAY_LIMITS = {"archive_access_days": (90, 730), "deep_archive_access_days": (180, 730)}


def validate(module):
    params = module.params
    if len(params["id"]) > 64:
        module.fail_json(msg="id must be at most 64 characters long")
    for option, (low, high) in DAY_LIMITS.items():
        days = params[option]
        if days is not None and not low <= days <= high:
            module.fail_json(msg=f"{option} must be between {low} and {high}, got {days}")
    if params["state"] == "present" and params["archive_access_days"] is None and params["deep_archive_access_days"] is None:
        module.fail_json(msg="state=present needs archive_access_days, deep_archive_access_days or both")
    archive, deep = params["archive_access_days"], params["deep_archive_access_days"]
    if archive is not None and deep is not None and deep <= archive:
        module.fail_json(msg="deep_archive_access_days must be greater than archive_access_days")


def main():
    argument_spec = dict(
        bucket_name=dict(type="str", required=True),
        id=dict(type="str", required=True, aliases=["config_id"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        status=dict(type="str", default="enabled", choices=["enabled", "disabled"]),
        prefix=dict(type="str"),
        filter_tags=dict(type="dict"),
        archive_access_days=dict(type="int"),
        deep_archive_access_days=dict(type="int"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    params = module.params
    bucket, config_id = params["bucket_name"], params["id"]
    client = module.client("s3")

    try:
        current = get_configuration(client, bucket, config_id)
        before = normalize_configuration(current)
        if params["state"] == "absent":
            after = None
            if current and not module.check_mode:
                delete_configuration(client, bucket, config_id)
        else:
            wanted = build_configuration(
                config_id,
                params["status"].capitalize(),
                params["prefix"],
                params["filter_tags"],
                {option: params[option] for option in DAY_LIMITS},
            )
            after = normalize_configuration(wanted)
            if after != before and not module.check_mode:
                put_configuration(client, bucket, wanted)
    except AnsibleS3TieringError as e:
        module.fail_json_aws_error(e)

    changed = after != before
    module.exit_json(
        changed=changed,
        intelligent_tiering_configuration=after or {},
        diff={"before": before or {}, "after": after or {}},
    )


if __name__ == "__main__":
    main()
