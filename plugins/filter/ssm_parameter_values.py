# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ssm_parameter_values
short_description: The plain SSM parameters the on-premises roles read, by full name
version_added: 0.1.0
description:
  - Returns every plain parameter the role C(hybridcloud.aws.systems_manager) writes, full name to value as a
    string - each of O(_input) as V(PREFIX/KEY), leaving out values that are null or empty as strings, then each
    of O(endpoints) as V(PREFIX/endpoints/KEY), all of them.
  - Values become strings as the C(string) filter makes them (V(True) for true, V(8080) for 8080).
positional: prefix, endpoints
options:
  _input:
    description: The parameters, key to value (C(systems_manager_onprem_parameters)).
    type: dict
    required: true
  prefix:
    description: The path every name starts with (C(systems_manager_parameter_prefix)), without a trailing V(/).
    type: str
    required: true
  endpoints:
    description: The endpoint URLs, key to value (C(systems_manager_endpoints)).
    type: dict
    default: {}
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Write the parameters
  amazon.aws.ssm_parameter:
    name: "{{ item.key }}"
    value: "{{ item.value }}"
  loop: >-
    {{ {'docker_mirror': 'https://mirror.example.internal', 'proxy': ''}
       | hybridcloud.aws.ssm_parameter_values('/hybridcloud', {'ecr': 'https://ecr.example.internal'})
       | dict2items }}
"""

RETURN = r"""
_value:
  description: Full parameter name to value; empty when there is nothing to write.
  type: dict
  sample: {"/hybridcloud/docker_mirror": "https://mirror.example.internal", "/hybridcloud/endpoints/ecr": "https://ecr.example.internal"}
"""


def ssm_parameter_values(parameters, prefix, endpoints=None):
    """{prefix/key: str(value)} for the non-empty parameters, then {prefix/endpoints/key: str(value)} for every endpoint."""
    values = {}
    for key, value in (parameters or {}).items():
        if value is not None and len(str(value)) > 0:
            values[f"{prefix}/{key}"] = str(value)
    for key, value in (endpoints or {}).items():
        values[f"{prefix}/endpoints/{key}"] = str(value)
    return values


class FilterModule:
    def filters(self):
        return {"ssm_parameter_values": ssm_parameter_values}
