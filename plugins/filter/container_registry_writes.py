# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: container_registry_writes
short_description: Which write modules the role C(hybridcloud.aws.container_registry) must run, from one read of its layer
version_added: 0.1.0
description:
  - Compares what M(hybridcloud.aws.ecr_layer_info) read with what the role wants and says, for each repository and
    for the registry's replication configuration, what differs; an empty list means the write module would change
    nothing and need not run.
  - C(repositories) maps each wanted repository's name to what M(community.aws.ecs_ecr) would change (V(missing),
    V(image_tag_mutability), V(scan_on_push), V(lifecycle_policy) compared as ecs_ecr compares it, with
    C(compare_policies) of amazon.aws, V(encryption) when C(kms_key) of an item of O(wanted.repositories) is set and differs, which
    ecs_ecr refuses to change).
  - C(settings) maps each wanted repository's name to what the role hands M(community.aws.ecs_ecr), its
    C(image_tag_mutability), C(scan_on_push) and C(lifecycle_policy), which expires untagged images after
    C(untagged_expire_days) days (rule 1) and keeps the last C(keep_last_images) images (rule 2).
  - C(tags) lists the names of the repositories whose tags differ from O(wanted.tags) (exactly, as
    M(hybridcloud.aws.resource_tags) with C(purge_tags) compares them), missing repositories included.
  - C(replication) is V([rules]) when O(wanted.replication) is set and differs from the registry's configuration
    (compared as M(hybridcloud.aws.ecr_replication_configuration) compares it), otherwise empty.
positional: wanted
options:
  _input:
    description: What M(hybridcloud.aws.ecr_layer_info) returned.
    type: dict
    required: true
  wanted:
    description: What the role wants.
    type: dict
    required: true
    suboptions:
      repositories:
        description:
          - Each repository as the role's C(container_registry_repositories) gives it; C(name) and optionally
            C(scan_on_push), C(keep_last_images), C(untagged_expire_days) over O(wanted.defaults).
        type: list
        elements: dict
      defaults:
        description:
          - C(image_tag_mutability) (V(mutable) or V(immutable)), C(scan_on_push), C(keep_last_images),
            C(untagged_expire_days) and C(kms_key) (empty when the role leaves encryption to AWS).
        type: dict
      tags:
        description: The tags of every repository.
        type: dict
      replication:
        description:
          - Null when the role leaves the replication configuration as it is. Otherwise C(rules), as the option
            C(rules) of M(hybridcloud.aws.ecr_replication_configuration).
        type: dict
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Decide which writes the registry needs
  ansible.builtin.set_fact:
    container_registry_writes: "{{ container_registry_layer | hybridcloud.aws.container_registry_writes(container_registry_wanted) }}"
"""

RETURN = r"""
_value:
  description: What differs.
  type: dict
  contains:
    repositories:
      description: For each wanted repository's name, what differs (empty when nothing does).
      type: dict
    settings:
      description: For each wanted repository's name, its C(image_tag_mutability), C(scan_on_push) and C(lifecycle_policy).
      type: dict
    tags:
      description: The names of the repositories whose tags differ.
      type: list
      elements: str
    replication:
      description: V([rules]) when the replication configuration differs, otherwise empty.
      type: list
      elements: str
  sample:
    repositories: {orders: [], team/api: [missing]}
    settings: {orders: {image_tag_mutability: immutable, scan_on_push: true, lifecycle_policy: {rules: []}}}
    tags: [team/api]
    replication: []
"""


def lifecycle_policy(keep_last_images, untagged_expire_days):
    """The role's lifecycle policy: expire untagged images after untagged_expire_days days, keep the last
    keep_last_images images."""
    return {
        "rules": [
            {
                "rulePriority": 1,
                "description": f"expire untagged images after {untagged_expire_days} days",
                "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": int(untagged_expire_days)},
                "action": {"type": "expire"},
            },
            {
                "rulePriority": 2,
                "description": f"keep the last {keep_last_images} images",
                "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": int(keep_last_images)},
                "action": {"type": "expire"},
            },
        ]
    }


def repository_settings(repository, defaults):
    """What the role hands community.aws.ecs_ecr for one repository, its own values over the role's defaults."""

    def value(key):
        return repository[key] if repository.get(key) is not None else defaults.get(key)

    return {
        "image_tag_mutability": defaults.get("image_tag_mutability") or "mutable",
        "scan_on_push": bool(value("scan_on_push")),
        "lifecycle_policy": lifecycle_policy(value("keep_last_images"), value("untagged_expire_days")),
    }


def repository_differences(read, wanted):
    """What community.aws.ecs_ecr would change on one repository (read: one entry of ecr_layer_info's repositories,
    or None)."""
    from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

    if not read:
        return ["missing"]
    differences = []
    if read.get("image_tag_mutability") != (wanted.get("image_tag_mutability") or "mutable").upper():
        differences.append("image_tag_mutability")
    if read.get("scan_on_push") is not bool(wanted.get("scan_on_push")):
        differences.append("scan_on_push")
    policy = wanted.get("lifecycle_policy")
    if policy is not None and (read.get("lifecycle_policy") is None or compare_policies(read["lifecycle_policy"], policy)):
        differences.append("lifecycle_policy")
    kms_key = wanted.get("kms_key")
    encryption = read.get("encryption_configuration") or {}
    if kms_key and encryption != {"encryption_type": "KMS", "kms_key": kms_key}:
        differences.append("encryption")
    return differences


def container_registry_writes(layer, wanted):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.ecr import build_replication_configuration, normalize_replication_configuration

    layer = layer or {}
    wanted = wanted or {}
    repositories = layer.get("repositories") or {}
    defaults = wanted.get("defaults") or {}
    tags = wanted.get("tags") or {}
    result = {"repositories": {}, "settings": {}, "tags": [], "replication": []}
    for repository in wanted.get("repositories") or []:
        name = repository["name"]
        settings = repository_settings(repository, defaults)
        read = repositories.get(name)
        result["settings"][name] = settings
        result["repositories"][name] = repository_differences(read, dict(settings, kms_key=defaults.get("kms_key")))
        if not read or read.get("tags") != tags:
            result["tags"].append(name)
    replication = wanted.get("replication")
    if replication is not None:
        current = layer.get("replication_configuration") or {"rules": []}
        if normalize_replication_configuration(build_replication_configuration(replication.get("rules"))) != current:
            result["replication"] = ["rules"]
    return result


class FilterModule:
    def filters(self):
        return {"container_registry_writes": container_registry_writes}
