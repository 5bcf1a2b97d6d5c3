#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ecr_layer_info
version_added: 0.1.0
short_description: Read ECR repositories, their lifecycle policies and tags, and the registry in one step
description:
  - Reads the ECR repositories named O(names) with one C(DescribeRepositories) call (up to 100 names a call; when one
    of them does not exist ECR fails the whole call, and the registry's repositories are then listed instead), then
    each repository's lifecycle policy and tags, side by side in a few threads.
  - With O(registry), also the registry's id (the account) and its replication configuration (one C(DescribeRegistry)
    call).
  - Returns every repository as the role C(hybridcloud.aws.container_registry) compares it (filter
    C(hybridcloud.aws.container_registry_writes)), so that the role runs a write module only where something differs.
  - A repository that does not exist is not an error; it is listed in RV(missing).
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  names:
    description: The names of the repositories to read.
    type: list
    elements: str
    default: []
  registry:
    description: Also read the registry's id and replication configuration.
    type: bool
    default: true
notes:
  - Needs C(ecr:DescribeRepositories), C(ecr:GetLifecyclePolicy), C(ecr:ListTagsForResource) and, with O(registry),
    C(ecr:DescribeRegistry).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the registry layer once
  hybridcloud.aws.ecr_layer_info:
    names: [orders, team/api]
  register: registry

- name: Create the repositories that are missing
  community.aws.ecs_ecr:
    name: "{{ item }}"
  loop: "{{ registry.missing }}"
"""

RETURN = r"""
registry_id:
  description: The registry's id (the account); empty when O(registry) is false.
  returned: always
  type: str
  sample: "123456789012"
replication_configuration:
  description:
    - The registry's replication configuration, each rule's destinations and filters sorted (their order means nothing
      to ECR); no rules when O(registry) is false.
  returned: always
  type: dict
  sample:
    rules:
      - destinations: [{region: us-west-2, registry_id: "123456789012"}]
        repository_filters: [{filter: orders, filter_type: PREFIX_MATCH}]
        delete_replication: false
repositories:
  description: The repositories of O(names) that exist, by name.
  returned: always
  type: dict
  sample:
    orders:
      repository_name: orders
      repository_arn: "arn:aws:ecr:us-east-1:123456789012:repository/orders"
      repository_uri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/orders
      registry_id: "123456789012"
      image_tag_mutability: IMMUTABLE
      scan_on_push: true
      encryption_configuration: {encryption_type: KMS, kms_key: "arn:aws:kms:us-east-1:123456789012:key/1"}
      lifecycle_policy: {rules: []}
      tags: {Project: hybridcloud}
missing:
  description: The names of O(names) that have no repository, in the order given.
  returned: always
  type: list
  elements: str
  sample: [team/api]
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.ecr_layer import read_layer


def main():
    argument_spec = dict(
        names=dict(type="list", elements="str", default=[]),
        registry=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("ecr")
    try:
        layer = read_layer(client, module.params["names"], registry=module.params["registry"])
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, region=module.region, **layer)


if __name__ == "__main__":
    main()
