# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: security_group_differences
short_description: What amazon.aws.ec2_security_group would change on a security group that was read
version_added: 0.1.0
description:
  - Finds the group named O(name) among the groups M(amazon.aws.ec2_security_group_info) returned and compares it
    with the O(rules), O(tags) and O(egress) one would pass to M(amazon.aws.ec2_security_group) with
    C(purge_rules), C(purge_rules_egress) and C(purge_tags) on.
  - 'Rules are compared as sets of lines C(PROTOCOL|FROM|TO|SOURCE|DESCRIPTION): a wanted rule gives one line per
    port of its C(ports) (or one for its C(from_port) and C(to_port)) and per source, its C(cidr_ip) entries or the id
    of the group its C(group_name) names among the groups read (V(missing) when there is none); a permission read
    gives one line per IPv4 range and per group pair. IPv6 ranges and prefix lists read are never wanted, so they
    always differ.'
  - Tags are compared exactly. With O(egress) null the outbound rules are left alone; an empty O(egress) wants no
    outbound permission at all; a non-empty one is compared as the inbound rules are.
  - Lets a role read every group of a VPC at once and call the module only for the groups that differ.
positional: name, rules, tags, egress
options:
  _input:
    description: The C(security_groups) list of M(amazon.aws.ec2_security_group_info).
    type: list
    elements: dict
    required: true
  name:
    description: The name of the group.
    type: str
    required: true
  rules:
    description:
      - The inbound rules, each with C(proto), C(ports) or C(from_port) and C(to_port), C(cidr_ip) (a list or one
        range) or C(group_name), and C(rule_desc).
    type: list
    elements: dict
    required: true
  tags:
    description: The tags of the group; empty wants none.
    type: dict
    default: {}
  egress:
    description: The outbound rules, in the shape of O(rules); null leaves them alone.
    type: list
    elements: dict
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Set the rules of the groups that differ
  amazon.aws.ec2_security_group:
    name: "{{ item.name }}"
    description: "{{ item.description }}"
    vpc_id: "{{ my_vpc_id }}"
    rules: "{{ item.rules }}"
    tags: "{{ item.tags }}"
    purge_tags: true
  loop: "{{ my_groups }}"
  when: my_groups_read.security_groups | hybridcloud.aws.security_group_differences(item.name, item.rules, item.tags) | length > 0
"""

RETURN = r"""
_value:
  description:
    - What would change; empty when nothing would. V(missing) (no group of that name; nothing else is compared),
      V(tags), V(rules), V(egress).
  type: list
  elements: str
  sample: [rules]
"""


def _by_name(groups):
    return {group.get("group_name"): group for group in groups or []}


def current_rule_lines(permissions):
    """The sorted lines of the permissions read (ip_permissions or ip_permissions_egress of a group)."""
    lines = []
    for permission in permissions or []:
        head = [permission.get("ip_protocol"), permission.get("from_port", ""), permission.get("to_port", "")]
        for source in permission.get("ip_ranges", []):
            lines.append("|".join(str(part) for part in [*head, source.get("cidr_ip"), source.get("description", "")]))
        for source in permission.get("user_id_group_pairs", []):
            lines.append("|".join(str(part) for part in [*head, source.get("group_id"), source.get("description", "")]))
        for source in permission.get("ipv6_ranges", []) + permission.get("prefix_list_ids", []):
            lines.append(f"unmanaged|{source}")
    return sorted(lines)


def wanted_rule_lines(rules, groups_by_name):
    """The sorted lines of the rules as amazon.aws.ec2_security_group takes them, group names resolved to ids."""
    lines = []
    for rule in rules or []:
        port_ranges = [(int(port), int(port)) for port in rule["ports"]] if "ports" in rule else [(rule.get("from_port"), rule.get("to_port"))]
        if "cidr_ip" in rule:
            sources = [rule["cidr_ip"]] if isinstance(rule["cidr_ip"], str) else rule["cidr_ip"]
        else:
            sources = [groups_by_name.get(rule.get("group_name"), {}).get("group_id", "missing")]
        for low, high in port_ranges:
            for source in sources:
                lines.append("|".join(str(part) for part in (rule.get("proto"), low, high, source, rule.get("rule_desc", ""))))
    return sorted(lines)


def security_group_differences(groups, name, rules, tags=None, egress=None):
    """['missing'] or the parts of the group that differ: 'tags', 'rules', 'egress'."""
    by_name = _by_name(groups)
    current = by_name.get(name)
    if not current:
        return ["missing"]
    differences = []
    if current.get("tags") != dict(tags or {}):
        differences.append("tags")
    if current_rule_lines(current.get("ip_permissions")) != wanted_rule_lines(rules, by_name):
        differences.append("rules")
    if egress is not None:
        current_egress = current.get("ip_permissions_egress") or []
        # No outbound rule wanted: any permission read differs (even one without ranges, which gives no line).
        differs = bool(current_egress) if not egress else current_rule_lines(current_egress) != wanted_rule_lines(egress, by_name)
        if differs:
            differences.append("egress")
    return differences


class FilterModule:
    def filters(self):
        return {"security_group_differences": security_group_differences}
