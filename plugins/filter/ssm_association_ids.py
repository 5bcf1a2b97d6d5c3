# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ssm_association_ids
short_description: Association name to ID from the results of a looped ssm_association task and a read before it
version_added: 0.1.0
description:
  - Takes the C(results) of a looped M(hybridcloud.aws.ssm_association) task whose items carry a C(name), and the
    C(associations) M(hybridcloud.aws.ssm_association_info) read before it, and returns the ID of each association
    by name.
  - Where the module ran, its C(association_id) counts; none when that is null (removed, or in check mode to be
    created). Where it did not run (the item was skipped as nothing differed), the ID comes from the read
    associations with that name (the last one when several share it); none when none has it.
  - The role C(hybridcloud.aws.systems_manager) hands its associations on with it.
positional: associations
options:
  _input:
    description: The C(results) of the registered loop.
    type: list
    elements: dict
    required: true
  associations:
    description: The C(associations) read by M(hybridcloud.aws.ssm_association_info) (with C(name) and C(association_id)).
    type: list
    elements: dict
    default: []
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Remember the associations
  ansible.builtin.set_fact:
    my_association_ids: "{{ my_association_results.results | hybridcloud.aws.ssm_association_ids(my_read.associations) }}"
"""

RETURN = r"""
_value:
  description: Association name to association ID; empty when no association has one.
  type: dict
  sample: {"hybridcloud-patch-scan": "8dfe3659-4309-493a-8755-0123456789ab"}
"""


def ssm_association_ids(results, associations=None):
    """{item name: association ID}: the module's where it ran (when not null), else the read one's with the name."""
    ids = {}
    for result in results or []:
        name = result["item"]["name"]
        if "association_id" in result:
            if result["association_id"]:
                ids[name] = result["association_id"]
            continue
        for found in associations or []:
            if found.get("name") == name:
                ids[name] = found.get("association_id")
    return ids


class FilterModule:
    def filters(self):
        return {"ssm_association_ids": ssm_association_ids}
