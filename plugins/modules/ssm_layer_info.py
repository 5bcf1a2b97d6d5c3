#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ssm_layer_info
version_added: 0.1.0
short_description: Read the caller, an IAM service role and a KMS key in one step
description:
  - Reads the caller's account, partition and ARN (and, for an assumed-role session, the role's ARN with its path),
    the IAM role O(service_role_name) with its managed policies and the inline policies O(service_role_policy_names),
    and the KMS key O(kms_key_id) with its key policy, rotation status and tags; the independent reads run side by
    side in a few threads.
  - Returns them as the role C(hybridcloud.aws.systems_manager) compares them (filter
    C(hybridcloud.aws.ssm_layer_writes)), so that the role runs M(amazon.aws.iam_role), M(amazon.aws.iam_policy) and
    M(amazon.aws.kms_key) only where something differs.
  - A role or key that does not exist is not an error; RV(service_role) or RV(kms_key) is then empty.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  service_role_name:
    description: The IAM role to read.
    type: str
  service_role_policy_names:
    description: The inline policies of O(service_role_name) to read (each one GetRolePolicy call).
    type: list
    elements: str
    default: []
  kms_key_id:
    description: The KMS key to read, by id, ARN or C(alias/...).
    type: str
  kms_key_details:
    description: Also read the key's policy, rotation status and tags (not needed for a key the role only uses).
    type: bool
    default: true
notes:
  - Needs C(sts:GetCallerIdentity); C(iam:GetRole) (also for the caller's role), C(iam:ListAttachedRolePolicies),
    C(iam:GetRolePolicy); C(kms:DescribeKey), C(kms:GetKeyPolicy), C(kms:GetKeyRotationStatus), C(kms:ListResourceTags).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the systems manager layer's IAM and KMS resources once
  hybridcloud.aws.ssm_layer_info:
    service_role_name: hybridcloud-onprem-ssm
    service_role_policy_names: [hybridcloud-onprem-agents]
    kms_key_id: alias/hybridcloud/activation-code
  register: layer
"""

RETURN = r"""
caller:
  description: The credentials in use.
  returned: always
  type: dict
  contains:
    account:
      description: The account id.
      type: str
    partition:
      description: The partition.
      type: str
    arn:
      description: The caller's ARN.
      type: str
    role_name:
      description: The role of an assumed-role session; empty otherwise.
      type: str
  sample: {account: "123456789012", partition: aws, arn: "arn:aws:sts::123456789012:assumed-role/deployer/s", role_name: deployer}
caller_role:
  description: The caller's role (C(role_name), C(arn) with its path); empty when the caller is no assumed-role session.
  returned: always
  type: dict
  sample: {role_name: deployer, arn: "arn:aws:iam::123456789012:role/ops/deployer"}
service_role:
  description:
    - The role of O(service_role_name) (C(role_name), C(arn), C(path), C(description), C(assume_role_policy_document),
      C(tags) as a dict, C(attached_policy_arns), C(inline_policies) by name, null for one that does not exist);
      empty when it was not asked for or does not exist.
  returned: always
  type: dict
  sample: {role_name: hybridcloud-onprem-ssm, arn: "arn:aws:iam::123456789012:role/hybridcloud-onprem-ssm", attached_policy_arns: [], inline_policies: {}}
kms_key:
  description:
    - The key of O(kms_key_id) (C(key_id), C(key_arn), C(key_state), C(description), C(key_manager) and, with
      O(kms_key_details), C(policy), C(enable_key_rotation), C(tags) as a dict); empty when it was not asked for or does not exist.
  returned: always
  type: dict
  sample: {key_id: 1234abcd, key_arn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd", key_state: Enabled, enable_key_rotation: true, tags: {}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm_layer import read_layer


def main():
    argument_spec = dict(
        service_role_name=dict(type="str"),
        service_role_policy_names=dict(type="list", elements="str", default=[]),
        kms_key_id=dict(type="str"),
        kms_key_details=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    clients = {service: module.client(service) for service in ("sts", "iam", "kms")}
    try:
        layer = read_layer(
            clients,
            service_role_name=params["service_role_name"],
            role_policy_names=params["service_role_policy_names"],
            kms_key_id=params["kms_key_id"],
            kms_key_details=params["kms_key_details"],
        )
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, **layer)


if __name__ == "__main__":
    main()
