# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: alb_listener_rules
short_description: The listener rules of the load balancer role, as community.aws.elb_application_lb takes them
version_added: 0.1.0
description:
  - Turns the entries of C(load_balancer_rules) of the role C(hybridcloud.aws.load_balancer) into the C(Rules) of a
    listener of M(community.aws.elb_application_lb) - C(Priority) as a string, a V(path-pattern) condition when the
    entry has C(path_patterns), a V(host-header) condition when it has C(host_headers) (in that order), and one
    action forwarding to the entry's C(target_group) by name.
  - C(path_patterns) and C(host_headers) that are missing, empty or null add no condition.
options:
  _input:
    description: The rules (C(priority), C(target_group), and optionally C(path_patterns) and C(host_headers)).
    type: list
    elements: dict
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Route /api to its target group
  community.aws.elb_application_lb:
    name: my-alb
    subnets: "{{ my_subnets }}"
    listeners:
      - Protocol: HTTP
        Port: 80
        DefaultActions: [{"Type": "forward", "TargetGroupName": "web"}]
        Rules: "{{ [{'priority': 10, 'path_patterns': ['/api/*'], 'target_group': 'api'}] | hybridcloud.aws.alb_listener_rules }}"
"""

RETURN = r"""
_value:
  description: One listener rule per entry, in the order given; empty for no entries.
  type: list
  elements: dict
  sample:
    - Priority: "10"
      Conditions: [{"Field": "path-pattern", "Values": ["/api/*"]}]
      Actions: [{"Type": "forward", "TargetGroupName": "api"}]
"""


def alb_listener_rules(rules):
    """[{'Priority', 'Conditions', 'Actions'}] for the role's rules."""
    built = []
    for rule in rules or []:
        conditions = []
        if rule.get("path_patterns"):
            conditions.append({"Field": "path-pattern", "Values": rule["path_patterns"]})
        if rule.get("host_headers"):
            conditions.append({"Field": "host-header", "Values": rule["host_headers"]})
        built.append(
            {
                "Priority": str(rule["priority"]),
                "Conditions": conditions,
                "Actions": [{"Type": "forward", "TargetGroupName": rule["target_group"]}],
            }
        )
    return built


class FilterModule:
    def filters(self):
        return {"alb_listener_rules": alb_listener_rules}
