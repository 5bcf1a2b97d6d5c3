# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What amazon.aws.iam_role and amazon.aws.iam_policy would change on a role, from a layer's read of it.

The layer readers (ecs_cluster_layer_info, ecs_services_layer_info, backup_layer_info) describe a role as
{description, assume_role_policy_document, managed_policy_arns, inline_policies: {name: document}, tags}; the
writes filters of the roles ask these functions which write module must run. Each part is compared as the write
module compares it (policies with amazon.aws's compare_policies, tags as purge_tags true does)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


def tags_differ(current, wanted):
    """compare_aws_tags with purge_tags true (the roles call every write module so); values compared as strings."""
    wanted = {key: str(value) for key, value in (wanted or {}).items()}
    to_set, to_unset = compare_aws_tags(current or {}, wanted, purge_tags=True)
    return bool(to_set or to_unset)


def role_differences(role, wanted):
    """What amazon.aws.iam_role would change: missing, description (when one is wanted), assume_role_policy,
    managed_policies (as a set, others purged), tags. WANTED has assume_role_policy_document, and optionally
    description, managed_policies and tags."""
    if not role:
        return ["missing"]
    checks = (
        ("description", wanted.get("description") is not None and role.get("description") != wanted["description"]),
        ("assume_role_policy", compare_policies(role.get("assume_role_policy_document") or {}, wanted["assume_role_policy_document"])),
        ("managed_policies", set(role.get("managed_policy_arns") or []) != set(wanted.get("managed_policies") or [])),
        ("tags", tags_differ(role.get("tags"), wanted.get("tags"))),
    )
    return [name for name, differs in checks if differs]


def inline_policy_differences(role, wanted):
    """What amazon.aws.iam_policy (state present) would change: missing or policy. WANTED is {name, document}."""
    current = (role.get("inline_policies") or {}).get(wanted["name"]) if role else None
    if current is None:
        return ["missing"]
    return ["policy"] if compare_policies(current, wanted["document"]) else []
