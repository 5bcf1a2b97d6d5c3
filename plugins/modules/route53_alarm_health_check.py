#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: route53_alarm_health_check
version_added: 0.2.0
short_description: Manage Route 53 health checks that follow a CloudWatch alarm
description:
  - Creates, updates and deletes a Route 53 health check of type C(CLOUDWATCH_METRIC), identified by its C(Name) tag
    (I(name)). The health check is healthy while the alarm is C(OK), unhealthy while it is in C(ALARM), and follows
    I(insufficient_data_health_status) while the alarm has insufficient data.
  - This is the health check that suits private endpoints (an internal ALB, a private database), which Route 53's
    checkers on the internet cannot reach; failover, weighted and latency records of a private hosted zone use it.
  - A new health check gets a caller reference naming I(name) (C(hybridcloud:<name>:<random>)), so a health check
    whose creation succeeded but whose tagging failed is found again on the next run instead of being created twice.
  - The alarm must be a CloudWatch alarm on a single metric, with a standard period, in I(alarm_region); AWS refuses
    other alarms.
  - M(amazon.aws.route53_health_check) has no C(CLOUDWATCH_METRIC) type, hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  name:
    description:
      - The health check's C(Name) tag, which identifies it (at most 255 characters).
      - The module fails when more than one C(CLOUDWATCH_METRIC) health check carries this name.
    required: true
    type: str
  state:
    description: Whether the health check should exist.
    choices: [present, absent]
    default: present
    type: str
  alarm_region:
    description: Region of the CloudWatch alarm. Required with I(state=present).
    type: str
  alarm_name:
    description: Name of the CloudWatch alarm. Required with I(state=present).
    type: str
  insufficient_data_health_status:
    description: The health check's status while the alarm has insufficient data.
    choices: [Healthy, Unhealthy, LastKnownStatus]
    default: LastKnownStatus
    type: str
  inverted:
    description: Whether Route 53 inverts the status (healthy while the alarm is in C(ALARM)).
    default: false
    type: bool
  disabled:
    description: A disabled health check is considered healthy by Route 53.
    default: false
    type: bool
  tags:
    description:
      - Tags of the health check besides C(Name) (which is always I(name)).
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description: Remove tags not given in I(tags) (never C(Name)).
    default: true
    type: bool
notes:
  - Supports C(check_mode) and C(diff).
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
"""

EXAMPLES = r"""
- name: A CloudWatch alarm on the internal ALB's healthy hosts
  amazon.aws.cloudwatch_metric_alarm:
    region: us-east-1
    name: hybridcloud-orders-healthy
    namespace: AWS/ApplicationELB
    metric_name: HealthyHostCount
    statistic: Minimum
    comparison: LessThanThreshold
    threshold: 1
    period: 60
    evaluation_periods: 1
    dimensions:
      LoadBalancer: app/hybridcloud-internal/50dc6c495c0c9188
      TargetGroup: targetgroup/orders/73e2d6bc24d8a067
    state: present

- name: A health check that follows it
  hybridcloud.aws.route53_alarm_health_check:
    name: hybridcloud-us-east-1
    alarm_region: us-east-1
    alarm_name: hybridcloud-orders-healthy
    insufficient_data_health_status: Unhealthy
    tags:
      Project: hybridcloud
  register: health_check

- name: Remove it
  hybridcloud.aws.route53_alarm_health_check:
    name: hybridcloud-us-east-1
    state: absent
"""

RETURN = r"""
health_check_id:
  description: Id of the health check; empty when there is none (after I(state=absent), or in check mode before a create).
  returned: always
  type: str
  sample: 0e1c8a5f-4b1d-4a8e-9d53-2b39e4a5c6f1
health_check:
  description: The health check as Route 53 answers it (GetHealthCheck's HealthCheck, snake_case), with its tags.
  returned: when it exists (in check mode, as it is before the change)
  type: dict
  contains:
    id:
      description: Id of the health check.
      type: str
    caller_reference:
      description: The caller reference the module gave it.
      type: str
      sample: hybridcloud:hybridcloud-us-east-1:5f8a9c0e1b2d
    health_check_config:
      description: Its configuration (type, alarm identifier, insufficient data status, inverted, disabled).
      type: dict
      sample: {"type": "CLOUDWATCH_METRIC", "alarm_identifier": {"region": "us-east-1", "name": "hybridcloud-orders-healthy"}}
    health_check_version:
      description: Version of the configuration.
      type: int
    tags:
      description: Tags of the health check.
      type: dict
      sample: {"Name": "hybridcloud-us-east-1", "Project": "hybridcloud"}
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils import route53_health
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53_health import AnsibleRoute53HealthError


def _view(check, tags):
    if check is None:
        return {}
    view = camel_dict_to_snake_dict(check)
    view["tags"] = dict(tags)
    return view


def _settings(module):
    params = module.params
    return {
        "alarm_region": params["alarm_region"],
        "alarm_name": params["alarm_name"],
        "insufficient": params["insufficient_data_health_status"],
        "inverted": params["inverted"],
        "disabled": params["disabled"],
    }


def _tag_changes(current, wanted, purge):
    add = {key: value for key, value in wanted.items() if current.get(key) != value}
    remove = [key for key in current if key not in wanted and key != "Name"] if purge else []
    return add, remove


def ensure_present(module, client, check, tags):
    name = module.params["name"]
    wanted_tags = dict(module.params["tags"] or {}, Name=name)
    settings = _settings(module)
    if check is None:
        if module.check_mode:
            return True, None, {}
        check = route53_health.create(client, route53_health.caller_reference(name), **settings)
        route53_health.change_tags(client, check["Id"], wanted_tags, [])
        return True, check, wanted_tags
    changed = False
    changes = route53_health.config_differences(check, **settings)
    if changes:
        changed = True
        if not module.check_mode:
            check = route53_health.update(client, check, changes)
    if module.params["tags"] is None:
        add, remove = ({"Name": name}, []) if tags.get("Name") != name else ({}, [])
    else:
        add, remove = _tag_changes(tags, wanted_tags, module.params["purge_tags"])
    if add or remove:
        changed = True
        if not module.check_mode:
            route53_health.change_tags(client, check["Id"], add, remove)
    after_tags = {key: value for key, value in dict(tags, **add).items() if key not in remove}
    return changed, check, after_tags


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        alarm_region=dict(type="str"),
        alarm_name=dict(type="str"),
        insufficient_data_health_status=dict(type="str", default="LastKnownStatus", choices=["Healthy", "Unhealthy", "LastKnownStatus"]),
        inverted=dict(type="bool", default=False),
        disabled=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, required_if=[("state", "present", ["alarm_region", "alarm_name"])], supports_check_mode=True)
    name = module.params["name"]
    if len(name) > 255:
        module.fail_json(msg=f"name must be at most 255 characters, got {len(name)}")
    client = module.client("route53", retry_decorator=route53_health.retry)

    try:
        found, tags_by_id = route53_health.find(client, name)
        if len(found) > 1:
            module.fail_json(msg=f"{len(found)} CLOUDWATCH_METRIC health checks are named {name}: {', '.join(sorted(c['Id'] for c in found))}")
        check = found[0] if found else None
        tags = tags_by_id.get(check["Id"], {}) if check else {}
        before = _view(check, tags)
        if module.params["state"] == "absent":
            changed = check is not None
            if changed and not module.check_mode:
                route53_health.delete(client, check["Id"])
            after_check, after_tags = (check, tags) if module.check_mode else (None, {})
            after = {} if changed else before
        else:
            changed, after_check, after_tags = ensure_present(module, client, check, tags)
            after = _view(after_check, after_tags)
            if changed and module.check_mode:
                settings = _settings(module)
                config = {"type": "CLOUDWATCH_METRIC", "alarm_identifier": {"region": settings["alarm_region"], "name": settings["alarm_name"]}}
                config.update(insufficient_data_health_status=settings["insufficient"], inverted=settings["inverted"], disabled=settings["disabled"])
                after = dict(before or {}, health_check_config=dict((before or {}).get("health_check_config", {}), **config), tags=after_tags or {"Name": name})
    except AnsibleRoute53HealthError as e:
        module.fail_json_aws_error(e)

    result = {"changed": changed, "health_check_id": after_check["Id"] if after_check is not None else ""}
    if after_check is not None:
        result["health_check"] = _view(after_check, after_tags) if not module.check_mode else before
    module.exit_json(diff={"before": before, "after": after}, **result)


if __name__ == "__main__":
    main()
