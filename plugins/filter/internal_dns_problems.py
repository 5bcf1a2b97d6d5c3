# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: internal_dns_problems
short_description: Every problem of the internal_dns role's input
version_added: 0.2.0
description:
  - Takes the role C(hybridcloud.aws.internal_dns)'s variables as a dict and returns every problem, each a sentence
    naming the variable and the value, so the role fails with the whole list before its first AWS call.
  - "Checked: the strategy; the zone name; the application names (one DNS label each, no repeats); the TTL; the
    active/active routing; as many regions as the strategy routes to (one for V(none) and V(backup_restore), two
    otherwise, the primary first), each with a region name, a VPC id, the target's DNS name, an optional alias
    hosted zone id and, with two regions, the alarm's dimensions; the alarm's metric, statistic, comparison,
    period, evaluation periods and threshold; the alarm name prefix; the serving region among the regions."
  - "With O(entry_point=serve), the switch's input: a strategy with two regions, the zone name, the application names,
    C(internal_dns_region_names) (two regions, the primary first) and C(internal_dns_serving_region) among them."
positional: entry_point
options:
  _input:
    description: The role's variables (C(internal_dns_*)) by name.
    type: dict
    required: true
  entry_point:
    description: The role's entry point whose input is checked.
    type: str
    default: main
    choices: [main, serve]
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Validate every input at once
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ problems | join('; ') }}"
  vars:
    problems: "{{ {'internal_dns_strategy': 'pilot_light', 'internal_dns_regions': []} | hybridcloud.aws.internal_dns_problems }}"
"""

RETURN = r"""
_value:
  description: The problems; empty when the input is valid.
  type: list
  elements: str
  sample: ["internal_dns_regions: ['us-east-1'] must list 2 region(s) with internal_dns_strategy pilot_light (the primary first, then the DR region)"]
"""


def input_problems(variables, entry_point="main"):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.internal_dns import input_problems as upstream

    return upstream(variables, entry_point)


class FilterModule:
    def filters(self):
        return {"internal_dns_problems": input_problems}
