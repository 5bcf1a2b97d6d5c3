# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping
from copy import deepcopy

from ansible.module_utils.parsing.convert_bool import boolean

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: load_balancer_writes
short_description: Which write modules the role C(hybridcloud.aws.load_balancer) must run, from one read of its layer
version_added: 0.1.0
description:
  - Compares what M(hybridcloud.aws.elbv2_layer_info) read with what the role wants and says, for the ALB and for each
    target group, what differs; an empty list means the write module would change nothing and need not run.
  - C(alb) lists what M(amazon.aws.elb_application_lb) would change, compared as that module compares it - V(missing),
    V(type) (not an application load balancer, which the module refuses), V(subnets) and V(security_groups) (as sets),
    V(deletion_protection), V(idle_timeout) and V(access_logs) (the attributes, access logs only when
    O(wanted.access_logs_bucket) is set), V(tags) (exactly, the tags plus C(Name)), V(listeners) (added, changed or
    removed, by port) and V(rules) (added, moved, changed or removed on a listener), with the module's own listener and
    rule comparison. A listener or rule that forwards to a target group that does not exist yet differs.
  - C(target_groups) maps each wanted target group's name to what M(community.aws.elb_target_group) would change,
    compared as that module compares it - V(missing), V(port), V(protocol) or V(vpc_id) (which the module refuses to
    change), V(health_check) (protocol, interval, timeout, thresholds and, for HTTP and HTTPS health checks, path and
    the set of response codes), V(deregistration_delay), V(targets) (the set of registered target ids, for entries
    with C(targets)) and V(tags) (exactly, the tags plus C(Name)).
  - C(target_group_settings) maps each wanted target group's name to the options the role hands
    M(community.aws.elb_target_group), the entry's values over the role's defaults (HTTP, instance targets, health
    check path V(/), interval 15, timeout 5, thresholds 3, codes V(200-399), deregistration delay 30).
positional: wanted
options:
  _input:
    description: What M(hybridcloud.aws.elbv2_layer_info) returned (with its details).
    type: dict
    required: true
  wanted:
    description: What the role wants.
    type: dict
    required: true
    suboptions:
      subnets:
        description: The ALB's subnet ids.
        type: list
        elements: str
      security_groups:
        description: The ALB's security group ids.
        type: list
        elements: str
      listeners:
        description:
          - The listeners as the role hands them to M(amazon.aws.elb_application_lb) (C(Protocol), C(Port),
            C(SslPolicy), C(Certificates), C(DefaultActions), C(Rules)); actions may name target groups by
            C(TargetGroupName).
        type: list
        elements: dict
      deletion_protection:
        description: Whether deletion protection is on.
        type: bool
      idle_timeout:
        description: The idle timeout in seconds.
        type: int
      access_logs_bucket:
        description: The access logs' bucket; empty when the role leaves access logs alone.
        type: str
      access_logs_prefix:
        description: The access logs' prefix in the bucket.
        type: str
      name:
        description: The ALB's name (its C(Name) tag).
        type: str
      tags:
        description: The tags of every resource; each also gets C(Name), its own name.
        type: dict
      vpc_id:
        description: The VPC of the target groups.
        type: str
      target_groups:
        description:
          - The target groups as the role's C(load_balancer_target_groups) gives them (C(name), C(port) and optionally
            C(target_type), C(protocol), C(health_check), C(deregistration_delay), C(targets)).
        type: list
        elements: dict
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Decide which writes the load balancer layer needs
  ansible.builtin.set_fact:
    load_balancer_writes: "{{ load_balancer_layer | hybridcloud.aws.load_balancer_writes(load_balancer_wanted) }}"
"""

RETURN = r"""
_value:
  description: What differs.
  type: dict
  contains:
    alb:
      description: What differs on the ALB (empty when nothing does).
      type: list
      elements: str
    target_groups:
      description: For each wanted target group's name, what differs (empty when nothing does).
      type: dict
    target_group_settings:
      description: For each wanted target group's name, the options of M(community.aws.elb_target_group) but C(name).
      type: dict
  sample:
    alb: [rules]
    target_groups: {orders: [], onprem-billing: [targets, tags]}
    target_group_settings:
      orders:
        target_type: instance
        protocol: HTTP
        port: 8080
        vpc_id: vpc-0123456789abcdef0
        health_check_protocol: HTTP
        health_check_path: /health
        health_check_interval: 15
        health_check_timeout: 5
        healthy_threshold_count: 3
        unhealthy_threshold_count: 3
        successful_response_codes: "200"
        deregistration_delay_timeout: 30
        modify_targets: false
        targets: null
        tags: {Name: orders}
"""

HEALTH_CHECK_DEFAULTS = {"path": "/", "interval": 15, "timeout": 5, "healthy_threshold": 3, "unhealthy_threshold": 3, "matcher": "200-399"}


def _value(mapping, key, default):
    value = (mapping or {}).get(key)
    return default if value is None else value


def target_group_settings(group, vpc_id, tags):
    """The options the role hands community.aws.elb_target_group for one entry (but name)."""
    # The registrations of an entry's targets, as the role has handed them to elb_target_group so far.
    from ansible_collections.hybridcloud.aws.plugins.filter.target_group_targets import target_group_targets

    health_check = group.get("health_check") or {}
    protocol = _value(group, "protocol", "HTTP")
    return {
        "target_type": _value(group, "target_type", "instance"),
        "protocol": protocol,
        "port": int(group["port"]),
        "vpc_id": vpc_id,
        "health_check_protocol": protocol,
        "health_check_path": _value(health_check, "path", HEALTH_CHECK_DEFAULTS["path"]),
        "health_check_interval": int(_value(health_check, "interval", HEALTH_CHECK_DEFAULTS["interval"])),
        "health_check_timeout": int(_value(health_check, "timeout", HEALTH_CHECK_DEFAULTS["timeout"])),
        "healthy_threshold_count": int(_value(health_check, "healthy_threshold", HEALTH_CHECK_DEFAULTS["healthy_threshold"])),
        "unhealthy_threshold_count": int(_value(health_check, "unhealthy_threshold", HEALTH_CHECK_DEFAULTS["unhealthy_threshold"])),
        "successful_response_codes": str(_value(health_check, "matcher", HEALTH_CHECK_DEFAULTS["matcher"])),
        "deregistration_delay_timeout": int(_value(group, "deregistration_delay", 30)),
        "modify_targets": "targets" in group and group["targets"] is not None,
        "targets": target_group_targets(group) if group.get("targets") is not None else None,
        "tags": dict(tags or {}, Name=group["name"]),
    }


def tags_differ(current, wanted):
    """As elb_application_lb and elb_target_group compare tags with purge_tags."""
    from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

    to_set, to_remove = compare_aws_tags(current or {}, wanted or {}, True)
    return bool(to_set or to_remove)


def health_check_differs(read, settings):
    """As elb_target_group compares an existing group's health check with the options it is given."""
    pairs = [
        ("health_check_protocol", settings["health_check_protocol"].upper()),
        ("health_check_interval_seconds", settings["health_check_interval"]),
        ("health_check_timeout_seconds", settings["health_check_timeout"]),
        ("healthy_threshold_count", settings["healthy_threshold_count"]),
        ("unhealthy_threshold_count", settings["unhealthy_threshold_count"]),
    ]
    if any(read.get(key) != value for key, value in pairs):
        return True
    # Path and response codes are given for HTTP(S) health checks and compared when the group's check is HTTP(S).
    if settings["health_check_protocol"].upper() in ("HTTP", "HTTPS") and read.get("health_check_protocol") in ("HTTP", "HTTPS"):
        if read.get("health_check_path") != settings["health_check_path"]:
            return True
        code_key = "grpc_code" if read.get("protocol_version") == "GRPC" else "http_code"
        current_codes = ((read.get("matcher") or {}).get(code_key) or "").split(",")
        if set(current_codes) != set(settings["successful_response_codes"].split(",")):
            return True
    return False


def target_group_differences(read, settings):
    """What community.aws.elb_target_group would change on one group (read: one entry of elbv2_layer_info's
    target_groups, or None)."""
    if not read:
        return ["missing"]
    differences = []
    # The module refuses to change these (it fails: "Cannot modify ..."), so that the run says so.
    for key, wanted in (("port", settings["port"]), ("protocol", settings["protocol"].upper()), ("vpc_id", settings["vpc_id"])):
        if read.get(key) != wanted:
            differences.append(key)
    if health_check_differs(read, settings):
        differences.append("health_check")
    if (read.get("attributes") or {}).get("deregistration_delay_timeout_seconds") != str(settings["deregistration_delay_timeout"]):
        differences.append("deregistration_delay")
    if settings["modify_targets"]:
        # The module compares the registered target ids only (a registered id with another port is left alone).
        current = read.get("targets")
        wanted_ids = {target["Id"] for target in settings["targets"] or []}
        if current is None or {target["id"] for target in current} != wanted_ids:
            differences.append("targets")
    if tags_differ(read.get("tags"), settings["tags"]):
        differences.append("tags")
    return differences


class _UnknownTargetGroup(Exception):
    """An action forwards to a target group by a name that has no target group yet."""


def _with_arns(actions, arns):
    """The actions with each TargetGroupName replaced by its ARN, as elb_application_lb looks them up."""
    resolved = []
    for action in actions or []:
        copied = deepcopy(action)
        name = copied.pop("TargetGroupName", None)
        if name:
            if name not in arns:
                raise _UnknownTargetGroup(name)
            copied["TargetGroupArn"] = arns[name]
        resolved.append(copied)
    return resolved


def _prepared_listener(listener, arns):
    """A listener as elb_application_lb prepares its option (None values dropped, the port an integer, default actions by
    ARN)."""
    prepared = {key: deepcopy(value) for key, value in listener.items() if value is not None}
    prepared["Port"] = int(prepared["Port"])
    prepared["DefaultActions"] = _with_arns(prepared.get("DefaultActions"), arns)
    return prepared


def listener_differences(current_listeners, wanted_listeners, arns):
    """[listeners] and/or [rules] where elb_application_lb (purge_listeners and purge_rules on) would change something."""
    from ansible_collections.hybridcloud.aws.plugins.module_utils.amazon_aws_deferred import group_listeners, group_rules

    current_listeners = deepcopy(current_listeners or [])
    try:
        wanted = [_prepared_listener(listener, arns) for listener in wanted_listeners or []]
        to_add, to_modify, to_delete = group_listeners([{k: v for k, v in item.items() if k != "Rules"} for item in current_listeners], wanted)
        if to_add or to_modify or to_delete:
            return ["listeners"]
        rules_by_port = {listener["Port"]: listener.get("Rules") or [] for listener in current_listeners}
        for listener in wanted:
            if "Rules" not in listener:
                continue
            rules = [dict(deepcopy(rule), Actions=_with_arns(rule.get("Actions"), arns)) for rule in listener["Rules"]]
            if any(group_rules(rules_by_port.get(listener["Port"], []), rules)):
                return ["rules"]
    except _UnknownTargetGroup:
        return ["listeners"]
    return []


def alb_differences(read, wanted, arns):
    """What amazon.aws.elb_application_lb would change on the ALB (read: elbv2_layer_info's load_balancer, or {})."""
    if not read:
        return ["missing"]
    differences = []
    if read.get("type", "application") != "application":
        differences.append("type")
    if set(read.get("subnets") or []) != set(wanted.get("subnets") or []):
        differences.append("subnets")
    if set(read.get("security_groups") or []) != set(wanted.get("security_groups") or []):
        differences.append("security_groups")
    attributes = read.get("attributes") or {}
    if attributes.get("deletion_protection_enabled") != str(boolean(wanted.get("deletion_protection") or False)).lower():
        differences.append("deletion_protection")
    if wanted.get("idle_timeout") is not None and attributes.get("idle_timeout_timeout_seconds") != str(wanted["idle_timeout"]):
        differences.append("idle_timeout")
    bucket = wanted.get("access_logs_bucket")
    if bucket and (
        attributes.get("access_logs_s3_enabled") != "true"
        or attributes.get("access_logs_s3_bucket") != bucket
        or attributes.get("access_logs_s3_prefix") != (wanted.get("access_logs_prefix") or "")
    ):
        differences.append("access_logs")
    if tags_differ(read.get("tags"), dict(wanted.get("tags") or {}, Name=wanted.get("name"))):
        differences.append("tags")
    return differences + listener_differences(read.get("listeners"), wanted.get("listeners"), arns)


def _plain(value):
    """The value as plain dicts and lists. Ansible hands a filter lazily templated containers, which deepcopy (used here
    and by amazon.aws's comparison) cannot copy outside the templating of their values."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def load_balancer_writes(layer, wanted):
    layer = _plain(layer or {})
    wanted = _plain(wanted or {})
    groups = layer.get("target_groups") or {}
    arns = layer.get("target_group_arns") or {}
    result = {"alb": alb_differences(layer.get("load_balancer") or {}, wanted, arns), "target_groups": {}, "target_group_settings": {}}
    for group in wanted.get("target_groups") or []:
        settings = target_group_settings(group, wanted.get("vpc_id"), wanted.get("tags"))
        result["target_group_settings"][group["name"]] = settings
        result["target_groups"][group["name"]] = target_group_differences(groups.get(group["name"]), settings)
    return result


class FilterModule:
    def filters(self):
        return {"load_balancer_writes": load_balancer_writes}
