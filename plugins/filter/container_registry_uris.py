# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: container_registry_uris
short_description: The URI (or ARN) of each repository the role C(hybridcloud.aws.container_registry) read or wrote
version_added: 0.1.0
description:
  - Merges the repositories M(hybridcloud.aws.ecr_layer_info) read with those M(community.aws.ecs_ecr) answered in the
    same run (the results of a looped, registered task; skipped items and items without a repository ARN, such as a
    repository check mode would create, are left out) into a dictionary of each name and its URI (or ARN with O(field=arn)),
    the written answer winning.
  - With O(include_missing), a repository the read names in C(missing) gets AWS's fixed URI form
    C(<registry id>.dkr.ecr.<region>.amazonaws.com/<name>) from the read's C(registry_id) and C(region) (for a play
    that uses repositories which ECR creates later, such as replicas in the DR region).
positional: written, field, include_missing
options:
  _input:
    description: What M(hybridcloud.aws.ecr_layer_info) returned.
    type: dict
    required: true
  written:
    description: The C(results) of the registered M(community.aws.ecs_ecr) loop; empty when none ran.
    type: list
    elements: dict
    default: []
  field:
    description: What to give for each repository.
    type: str
    choices: [uri, arn]
    default: uri
  include_missing:
    description: Also give the fixed-form URI of each repository the read found missing (only with O(field=uri)).
    type: bool
    default: false
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Hand the repository URIs on
  ansible.builtin.set_fact:
    container_registry_repository_uris: >-
      {{ container_registry_layer | hybridcloud.aws.container_registry_uris(container_registry_ecr.results) }}
"""

RETURN = r"""
_value:
  description: For each repository's name, its URI (or ARN).
  type: dict
  sample: {orders: 123456789012.dkr.ecr.us-east-1.amazonaws.com/orders}
"""


def container_registry_uris(layer, written=None, field="uri", include_missing=False):
    if field not in ("uri", "arn"):
        raise ValueError(f"field must be uri or arn, not {field!r}")
    layer = layer or {}
    found = {}
    if include_missing and field == "uri":
        prefix = f"{layer.get('registry_id', '')}.dkr.ecr.{layer.get('region', '')}.amazonaws.com/"
        found.update((name, prefix + name) for name in layer.get("missing") or [])
    found.update((name, repo[f"repository_{field}"]) for name, repo in (layer.get("repositories") or {}).items())
    for result in written or []:
        repo = (result or {}).get("repository") or {}
        if repo.get("repositoryArn") and repo.get("repositoryUri"):
            found[repo["repositoryName"]] = repo["repositoryArn" if field == "arn" else "repositoryUri"]
    return found


class FilterModule:
    def filters(self):
        return {"container_registry_uris": container_registry_uris}
