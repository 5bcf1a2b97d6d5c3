# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ECR API calls with retries and error handling: the tags of a repository, by its ARN; the registry's replication
configuration, and the translation between the module's options and the API's ReplicationConfiguration shape."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list, boto3_tag_list_to_ansible_dict
from ansible_collections.hybridcloud.aws.plugins.module_utils.amazon_aws_deferred import is_boto3_error_code

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


@ECRErrorHandler.common_error_handler("describe the ECR registry")
@retry
def describe_registry(client):
    """The registry's id and replication configuration ({"rules": [...]}, empty rules when there is none)."""
    answer = client.describe_registry()
    return answer.get("registryId"), answer.get("replicationConfiguration") or {"rules": []}


@ECRErrorHandler.common_error_handler("put the replication configuration of the ECR registry")
@retry
def put_replication_configuration(client, configuration):
    return client.put_replication_configuration(replicationConfiguration=configuration)["replicationConfiguration"]


def build_replication_configuration(rules):
    """The API shape of the module's rules (each: destinations [{region, registry_id}], repository_filters
    [{filter, filter_type}], delete_replication)."""
    built = []
    for rule in rules or []:
        api_rule = {"destinations": [{"region": d["region"], "registryId": d["registry_id"]} for d in rule.get("destinations") or []]}
        filters = rule.get("repository_filters") or []
        if filters:
            api_rule["repositoryFilters"] = [{"filter": f["filter"], "filterType": f.get("filter_type") or "PREFIX_MATCH"} for f in filters]
        if rule.get("delete_replication"):
            api_rule["deleteReplication"] = {"enabled": True}
        built.append(api_rule)
    return {"rules": built}


def normalize_replication_configuration(configuration):
    """A comparable, user-facing view of an API replication configuration: rules in their order, each rule's
    destinations and filters sorted (their order means nothing to ECR)."""
    rules = []
    for rule in (configuration or {}).get("rules") or []:
        rules.append(
            {
                "destinations": sorted(
                    ({"region": d["region"], "registry_id": d["registryId"]} for d in rule.get("destinations") or []),
                    key=lambda d: (d["region"], d["registry_id"]),
                ),
                "repository_filters": sorted(
                    ({"filter": f["filter"], "filter_type": f["filterType"]} for f in rule.get("repositoryFilters") or []),
                    key=lambda f: (f["filter_type"], f["filter"]),
                ),
                "delete_replication": bool((rule.get("deleteReplication") or {}).get("enabled")),
            }
        )
    return {"rules": rules}
