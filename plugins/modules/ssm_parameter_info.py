#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ssm_parameter_info
version_added: 0.1.0
short_description: Read many AWS Systems Manager parameters at once
description:
  - Reads the named Systems Manager parameters in a few calls (one DescribeParameters per 50 names, one GetParameters
    per 10 names, and with O(include_tags) one ListTagsForResource per parameter) and returns their type, value,
    description, tier, version and tags.
  - Meant for plays that write many parameters with M(community.aws.ssm_parameter) and want to call it only for the
    parameters that differ from what they want, instead of once per parameter.
  - The values of V(SecureString) parameters are never read or returned (they are not decrypted).
  - Names that do not exist are listed in RV(missing).
  - community.aws and amazon.aws have no module that reads parameters (only the ssm_parameter lookup, which returns
    values without descriptions or tags), hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  names:
    description:
      - Full names of the parameters to read (V(/app/region)).
    type: list
    elements: str
    required: true
  include_tags:
    description:
      - Also return each parameter's tags. This costs one ListTagsForResource call per parameter.
    type: bool
    default: false
notes:
  - Supports C(check_mode); the module changes nothing.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the parameters the play writes, with their tags
  hybridcloud.aws.ssm_parameter_info:
    names: "{{ wanted | list }}"
    include_tags: true
  register: current

- name: Write only the parameters whose value, type, description or tags differ
  community.aws.ssm_parameter:
    name: "{{ item.key }}"
    value: "{{ item.value }}"
    string_type: String
    description: Read by the on-premises hosts
    tags: "{{ tags }}"
  loop: "{{ wanted | dict2items }}"
  when: >-
    current.parameters[item.key] is not defined
    or current.parameters[item.key].value != item.value
    or current.parameters[item.key].type != 'String'
    or current.parameters[item.key].description != 'Read by the on-premises hosts'
    or current.parameters[item.key].tags != tags
"""

RETURN = r"""
parameters:
  description: The parameters that exist, by name.
  returned: always
  type: dict
  sample:
    /app/region:
      name: /app/region
      type: String
      value: eu-west-1
      description: Read by the on-premises hosts
      tier: Standard
      data_type: text
      version: 3
      arn: arn:aws:ssm:eu-west-1:123456789012:parameter/app/region
      last_modified_date: "2026-11-24T10:00:00+00:00"
      tags: {"Project": "app"}
  contains:
    name:
      description: Full name of the parameter.
      type: str
    type:
      description: V(String), V(StringList) or V(SecureString).
      type: str
    value:
      description: Value of the parameter.
      type: str
      returned: when the parameter is not a V(SecureString)
    description:
      description: Description of the parameter, null when it has none.
      type: str
    tier:
      description: V(Standard), V(Advanced) or V(Intelligent-Tiering).
      type: str
    data_type:
      description: Data type of the parameter (V(text), V(aws:ec2:image)).
      type: str
    version:
      description: Version of the parameter.
      type: int
    arn:
      description: ARN of the parameter.
      type: str
    last_modified_date:
      description: When the parameter changed last (ISO 8601, UTC).
      type: str
    tags:
      description: Tags of the parameter.
      type: dict
      returned: when O(include_tags=true)
missing:
  description: The names of O(names) that do not exist, sorted.
  returned: always
  type: list
  elements: str
  sample: ["/app/endpoint"]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import AnsibleSSMError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import read_parameters


def main():
    argument_spec = dict(
        names=dict(type="list", elements="str", required=True),
        include_tags=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    names = module.params["names"]
    if any(not name for name in names):
        module.fail_json(msg="names must not contain empty names")
    client = module.client("ssm")

    parameters = {}
    if names:
        try:
            parameters = read_parameters(client, names, module.params["include_tags"])
        except AnsibleSSMError as e:
            module.fail_json_aws_error(e)

    module.exit_json(changed=False, parameters=parameters, missing=sorted(set(names) - set(parameters)))


if __name__ == "__main__":
    main()
