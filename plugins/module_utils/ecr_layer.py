# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One read of the registry layer (the role hybridcloud.aws.container_registry): the repositories of the given names in
one DescribeRepositories call, each one's lifecycle policy and tags, and the registry's id and replication
configuration; the per-repository reads run side by side in a few threads."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.hybridcloud.aws.plugins.module_utils.ecr import ECRErrorHandler
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecr import describe_registry
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecr import list_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecr import normalize_replication_configuration
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecr import retry
from ansible_collections.hybridcloud.aws.plugins.module_utils.side_by_side import SideBySide

MAX_WORKERS = 8


@ECRErrorHandler.common_error_handler("describe the ECR repositories")
@retry
def describe_repositories(client, names):
    """The repositories of these names that exist, by name. One call for up to 100 names while all of them exist; when
    one is missing (DescribeRepositories then fails as a whole) the registry's repositories are listed instead."""
    found = {}
    try:
        for start in range(0, len(names), 100):
            answer = client.describe_repositories(repositoryNames=names[start : start + 100])
            found.update((repo["repositoryName"], repo) for repo in answer.get("repositories") or [])
        return found
    except is_boto3_error_code("RepositoryNotFoundException"):
        wanted = set(names)
        paginator = client.get_paginator("describe_repositories")
        for page in paginator.paginate():
            found.update((repo["repositoryName"], repo) for repo in page.get("repositories") or [] if repo["repositoryName"] in wanted)
        return found


class LifecyclePolicyErrorHandler(ECRErrorHandler):
    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["LifecyclePolicyNotFoundException", "RepositoryNotFoundException"])


@LifecyclePolicyErrorHandler.list_error_handler("get the lifecycle policy of ECR repository {name}")
@retry
def lifecycle_policy(client, name):
    """The repository's lifecycle policy as a dict; None when it has none (LifecyclePolicyNotFoundException)."""
    text = client.get_lifecycle_policy(repositoryName=name).get("lifecyclePolicyText")
    return json.loads(text) if text else None


def normalised_repository(repo, policy, tags):
    """A repository as the role compares it (snake_case keys of DescribeRepositories' answer, the lifecycle policy
    parsed, tags as a dict)."""
    encryption = repo.get("encryptionConfiguration") or {}
    result = {
        "repository_name": repo["repositoryName"],
        "repository_arn": repo["repositoryArn"],
        "repository_uri": repo["repositoryUri"],
        "registry_id": repo.get("registryId", ""),
        "image_tag_mutability": repo.get("imageTagMutability", ""),
        "scan_on_push": bool((repo.get("imageScanningConfiguration") or {}).get("scanOnPush")),
        "encryption_configuration": {"encryption_type": encryption.get("encryptionType", "AES256")},
        "lifecycle_policy": policy,
        "tags": tags or {},
    }
    if encryption.get("kmsKey"):
        result["encryption_configuration"]["kms_key"] = encryption["kmsKey"]
    return result


def read_layer(client, names, registry=True):
    """{registry_id, replication_configuration, repositories: {name: repository}, missing: [names]}.

    Raises AnsibleECRError with AWS's error."""
    names = list(dict.fromkeys(names or []))
    with SideBySide(MAX_WORKERS) as reads:
        pending_registry = reads.start(describe_registry, client) if registry else (lambda: ("", {"rules": []}))
        found = describe_repositories(client, names) if names else {}
        policies = {name: reads.start(lifecycle_policy, client, name) for name in found}
        tags = {name: reads.start(list_tags, client, repo["repositoryArn"]) for name, repo in found.items()}
        repositories = {name: normalised_repository(repo, policies[name](), tags[name]()) for name, repo in found.items()}
        registry_id, replication = pending_registry()
    return {
        "registry_id": registry_id or "",
        "replication_configuration": normalize_replication_configuration(replication),
        "repositories": repositories,
        "missing": [name for name in names if name not in found],
    }
