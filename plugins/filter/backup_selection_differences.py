# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: backup_selection_differences
short_description: What amazon.aws.backup_selection would change on a backup selection that was read
version_added: 0.1.0
description:
  - Compares a backup selection as M(amazon.aws.backup_selection_info) returns it with the options one would pass to
    M(amazon.aws.backup_selection), as that module compares them, and lists what it would change.
  - Compared are the service role, the resource ARNs and the excluded ones (in order), the tag conditions and the
    conditions; null and empty members count as absent, condition keys and values are compared as text.
  - Lets a role read the selections and call the module only for those that differ or are missing.
positional: wanted
options:
  _input:
    description:
      - One entry of the C(backup_selections) list of M(amazon.aws.backup_selection_info); null when the selection
        does not exist.
    type: dict
    required: true
  wanted:
    description:
      - The options of M(amazon.aws.backup_selection) as it takes them, in snake_case - C(iam_role_arn),
        C(resources), C(conditions), C(list_of_tags), C(not_resources); left out means none.
    type: dict
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Read the selection of a plan
  amazon.aws.backup_selection_info:
    backup_plan_name: my-plan
    backup_selection_names: [my-plan-tagged]
  register: my_selection_current

- name: Ensure the selection only when it is missing or differs
  amazon.aws.backup_selection:
    backup_plan_name: my-plan
    selection_name: my-plan-tagged
    iam_role_arn: "{{ my_selection.iam_role_arn }}"
    resources: "{{ my_selection.resources }}"
  when: >-
    my_selection_current.backup_selections | first | default(none)
    | hybridcloud.aws.backup_selection_differences(my_selection) | length > 0
"""

RETURN = r"""
_value:
  description:
    - What would change; empty when nothing would. V(missing) (the selection does not exist), or the names of the
      differing options among V(iam_role_arn), V(resources), V(list_of_tags), V(not_resources), V(conditions).
  type: list
  elements: str
  sample: ["resources"]
"""


def backup_selection_differences(current, wanted):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import backup_selection_differences as upstream

    return upstream(current, wanted)


class FilterModule:
    def filters(self):
        return {"backup_selection_differences": backup_selection_differences}
