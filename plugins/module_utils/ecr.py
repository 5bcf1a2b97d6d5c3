# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ECR API calls with retries and error handling: the tags of a repository, by its ARN."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

# ECR throttles with ThrottlingException and fails transiently with ServerException; AWSRetry knows neither.
retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException", "ServerException"])


class AnsibleECRError(AnsibleAWSError):
    pass


class ECRErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleECRError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["RepositoryNotFoundException"])


@ECRErrorHandler.list_error_handler("list the tags of ECR repository {arn}")
@retry
def list_tags(client, arn):
    """The repository's tags as a dict; None when the repository does not exist."""
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(resourceArn=arn).get("tags") or [])


@ECRErrorHandler.common_error_handler("tag ECR repository {arn}")
@retry
def tag_resource(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=ansible_dict_to_boto3_tag_list(dict(sorted(tags.items()))))


@ECRErrorHandler.common_error_handler("untag ECR repository {arn}")
@retry
def untag_resource(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=sorted(keys))
