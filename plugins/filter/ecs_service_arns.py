# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

DOCUMENTATION = r"""
name: ecs_service_arns
short_description: Service name to ARN from the registered results of ECS service loops
version_added: 0.1.0
description:
  - Takes the registered results of looped M(community.aws.ecs_service) and M(hybridcloud.aws.ecs_external_service)
    tasks, whose items carry a C(name), and returns each service's ARN by that name.
  - The ARN is the result's C(service.serviceArn) (community.aws.ecs_service) or, where that key is missing,
    C(service.service_arn) (hybridcloud.aws.ecs_external_service).
  - Skipped items and services without an ARN (those check mode would create) are left out; a later result with
    the same name wins.
  - The role C(hybridcloud.aws.ecs_services) hands its services on with it.
options:
  _input:
    description:
      - The registered loop results (each a mapping with C(results)); a result without C(results), for example a
        task skipped as a whole, adds nothing.
    type: list
    elements: dict
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Hand the services on
  ansible.builtin.set_fact:
    my_service_arns: "{{ [my_ec2_services | default({}), my_external_services | default({})] | hybridcloud.aws.ecs_service_arns }}"
"""

RETURN = r"""
_value:
  description: Service name to service ARN; empty when no service has an ARN.
  type: dict
  sample: {"web": "arn:aws:ecs:eu-west-1:123456789012:service/hybridcloud/web"}
"""


def _service_arn(result):
    service = result.get("service")
    if not isinstance(service, Mapping):
        return ""
    if "serviceArn" in service:
        return service["serviceArn"]
    return service.get("service_arn", "")


def ecs_service_arns(registered):
    """{item name: service ARN} over the results of every registered loop, leaving out results without an ARN."""
    found = {}
    for loop in registered or []:
        for result in (loop or {}).get("results") or []:
            arn = _service_arn(result)
            if arn:
                found[result["item"]["name"]] = arn
    return found


class FilterModule:
    def filters(self):
        return {"ecs_service_arns": ecs_service_arns}
