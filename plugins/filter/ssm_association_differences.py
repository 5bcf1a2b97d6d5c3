# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: ssm_association_differences
short_description: What hybridcloud.aws.ssm_association would change on the associations that were read
version_added: 0.1.0
description:
  - Compares the associations M(hybridcloud.aws.ssm_association_info) read with one name (with tags) with an entry of
    C(systems_manager_associations) of the role C(hybridcloud.aws.systems_manager), as M(hybridcloud.aws.ssm_association)
    compares them (parameters as lists of strings, targets sorted by key with sorted values, the schedule trimmed,
    tags exactly, purged). Options the entry leaves out (document version, concurrency, errors, severity) are not
    compared, as the module keeps their current values.
  - Lets the role call the module only for the associations that differ, so that check mode reports exactly those.
positional: association, default_targets, tags
options:
  _input:
    description: The entries of C(associations) of M(hybridcloud.aws.ssm_association_info) with the entry's name.
    type: list
    elements: dict
    required: true
  association:
    description: The entry (name, document, schedule, and optionally parameters, targets, document_version,
      max_concurrency, max_errors, compliance_severity, apply_only_at_cron_interval, state).
    type: dict
    required: true
  default_targets:
    description: The targets of an entry that names none (key, values).
    type: list
    elements: dict
    required: true
  tags:
    description: The tags the association should carry exactly.
    type: dict
    default: {}
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Ensure only the associations that differ
  hybridcloud.aws.ssm_association:
    name: "{{ item.name }}"
    document_name: "{{ item.document }}"
    schedule_expression: "{{ item.schedule }}"
    targets: "{{ item.targets | default(my_targets) }}"
    tags: "{{ my_tags }}"
  loop: "{{ my_associations }}"
  when: >-
    my_read.associations | selectattr('name', 'eq', item.name) | list
    | hybridcloud.aws.ssm_association_differences(item, my_targets, my_tags) | length > 0
"""

RETURN = r"""
_value:
  description:
    - What would change; empty when nothing would.
    - V(missing), V(duplicates) (several associations share the name), V(present) (an entry with state absent that
      exists), or the option names that differ, for example V(schedule_expression), V(parameters), V(tags).
  type: list
  elements: str
  sample: ["schedule_expression", "tags"]
"""


def association_differences(found, association, default_targets, tags):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import association_differences as upstream

    return upstream(found, association, default_targets, tags)


class FilterModule:
    def filters(self):
        return {"ssm_association_differences": association_differences}
