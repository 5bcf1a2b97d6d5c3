# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""S3 bucket Intelligent-Tiering configurations: API calls with retries, and the translation
between the module's options and the API's IntelligentTieringConfiguration shape."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

# S3 throttles with SlowDown, which AWSRetry does not know as a throttling code.
retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["SlowDown"])

ACCESS_TIERS = {"archive_access_days": "ARCHIVE_ACCESS", "deep_archive_access_days": "DEEP_ARCHIVE_ACCESS"}


class AnsibleS3TieringError(AnsibleAWSError):
    pass


class S3TieringErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleS3TieringError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NoSuchConfiguration")


@S3TieringErrorHandler.list_error_handler("get Intelligent-Tiering configuration {config_id} of bucket {bucket}")
@retry
def get_configuration(client, bucket, config_id):
    return client.get_bucket_intelligent_tiering_configuration(Bucket=bucket, Id=config_id)["IntelligentTieringConfiguration"]


@S3TieringErrorHandler.common_error_handler("put Intelligent-Tiering configuration of bucket {bucket}")
@retry
def put_configuration(client, bucket, configuration):
    client.put_bucket_intelligent_tiering_configuration(Bucket=bucket, Id=configuration["Id"], IntelligentTieringConfiguration=configuration)


@S3TieringErrorHandler.deletion_error_handler("delete Intelligent-Tiering configuration {config_id} of bucket {bucket}")
@retry
def delete_configuration(client, bucket, config_id):
    client.delete_bucket_intelligent_tiering_configuration(Bucket=bucket, Id=config_id)
    return True


def build_configuration(config_id, status, prefix, filter_tags, tier_days):
    """The API shape for the wanted configuration.

    tier_days maps module option names (archive_access_days, ...) to a number of days or None."""
    configuration = {"Id": config_id, "Status": status, "Tierings": []}
    for option, access_tier in ACCESS_TIERS.items():
        if tier_days.get(option) is not None:
            configuration["Tierings"].append({"Days": tier_days[option], "AccessTier": access_tier})

    tag_list = ansible_dict_to_boto3_tag_list(filter_tags or {})
    if prefix and tag_list:
        configuration["Filter"] = {"And": {"Prefix": prefix, "Tags": tag_list}}
    elif len(tag_list) > 1:
        configuration["Filter"] = {"And": {"Tags": tag_list}}
    elif tag_list:
        configuration["Filter"] = {"Tag": tag_list[0]}
    elif prefix:
        configuration["Filter"] = {"Prefix": prefix}
    return configuration


def normalize_configuration(configuration):
    """A comparable, user-facing view of an API configuration (or None)."""
    if not configuration:
        return None
    api_filter = configuration.get("Filter") or {}
    combined = api_filter.get("And") or {}
    tag_list = combined.get("Tags") or ([api_filter["Tag"]] if api_filter.get("Tag") else [])
    days = {tiering["AccessTier"]: tiering["Days"] for tiering in configuration.get("Tierings", [])}
    return {
        "id": configuration["Id"],
        "status": configuration["Status"].lower(),
        "prefix": combined.get("Prefix", api_filter.get("Prefix")) or None,
        "filter_tags": boto3_tag_list_to_ansible_dict(tag_list),
        "archive_access_days": days.get("ARCHIVE_ACCESS"),
        "deep_archive_access_days": days.get("DEEP_ARCHIVE_ACCESS"),
    }
