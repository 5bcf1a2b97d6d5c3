# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

DOCUMENTATION = r"""
name: autoscaling_group_tags
short_description: Turns a tag dictionary into the tag list of amazon.aws.autoscaling_group
version_added: 0.1.0
description:
  - "Returns one element per tag, V({KEY: VALUE, propagate_at_launch: PROPAGATE}), the form the C(tags) option of
    M(amazon.aws.autoscaling_group) takes, in the order of the dictionary."
  - The role C(hybridcloud.aws.ecs_cluster) tags its Auto Scaling group with it; its instances get their tags from
    the launch template, so by default none of these propagate.
positional: propagate_at_launch
options:
  _input:
    description: The tags, key to value; null or empty for none.
    type: dict
    required: true
  propagate_at_launch:
    description: The C(propagate_at_launch) of every tag.
    type: bool
    default: false
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Tag the group without tagging its instances
  amazon.aws.autoscaling_group:
    name: my-asg
    tags: "{{ {'Name': 'my-asg', 'Project': 'hybridcloud'} | hybridcloud.aws.autoscaling_group_tags }}"
"""

RETURN = r"""
_value:
  description: One mapping per tag, with the tag's key and value and C(propagate_at_launch); empty for no tags.
  type: list
  elements: dict
  sample: [{"Name": "my-asg", "propagate_at_launch": false}, {"Project": "hybridcloud", "propagate_at_launch": false}]
"""


def autoscaling_group_tags(tags, propagate_at_launch=False):
    """[{key: value, 'propagate_at_launch': propagate_at_launch}] per tag, in the dictionary's order."""
    if not tags:
        return []
    if not isinstance(tags, Mapping):
        raise TypeError(f"autoscaling_group_tags expects a dictionary of tags, got {type(tags).__name__}")
    return [{key: value, "propagate_at_launch": bool(propagate_at_launch)} for key, value in tags.items()]


class FilterModule:
    def filters(self):
        return {"autoscaling_group_tags": autoscaling_group_tags}
