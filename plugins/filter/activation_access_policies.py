# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: activation_access_policies
short_description: The IAM and KMS policies that keep the SSM activation code to the deploying principal
version_added: 0.1.0
description:
  - Builds, from one description of the activation path, the key policy of the customer managed KMS key that encrypts
    the activation code parameter and the identity policies of the roles that must never read it.
  - The key policy lets the account (its root) administer the key but not use it, and the deploying principal (the
    caller of sts:GetCallerIdentity; a role session is named by its role) administer and use it. No statement lets an
    IAM policy grant C(kms:Decrypt), C(kms:Encrypt) or C(kms:CreateGrant), so no other principal can decrypt the code.
  - The on-premises managed-instance role gets what the SSM agent needs (C(AmazonSSMManagedInstanceCore) without
    C(ssm:GetParameter) and C(ssm:GetParameters)) and, when O(_input.ecs_cluster) is set, what the ECS Anywhere agent
    needs, registration and task state changes limited to that cluster.
  - The ECS container instances' role gets the same SSM agent permissions.
  - Both documents end with explicit denies on the code parameters (any region and account) and on decrypting them
    (with O(_input.key_arn), and with any key through the C(PARAMETER_ARN) encryption context of a SecureString), so
    they hold even when someone attaches C(AmazonSSMManagedInstanceCore) to those roles.
options:
  _input:
    description: The activation path.
    type: dict
    required: true
    suboptions:
      partition:
        description: AWS partition.
        type: str
        default: aws
      account_id:
        description: Account id; without it RV(_value.key_policy) and RV(_value.onprem_role_policy) are null.
        type: str
      region:
        description: Region of the ECS cluster.
        type: str
      caller_arn:
        description: The ARN sts:GetCallerIdentity returned to the deploying principal.
        type: str
      caller_role_arn:
        description: The ARN of the caller's role (with its path) when the caller is a role session.
        type: str
      code_parameters:
        description: Names (or patterns with C(*)) of the SSM parameters that hold activation codes.
        type: list
        elements: str
        required: true
      key_arn:
        description: ARN of the key that encrypts the code; empty before the key exists.
        type: str
      ecs_cluster:
        description: Name of the cluster the on-premises hosts join; empty grants no ECS permissions.
        type: str
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Read the deploying principal
  amazon.aws.aws_caller_info:
  register: caller

- name: Build the documents
  ansible.builtin.set_fact:
    access: >-
      {{ {'account_id': caller.account, 'region': 'eu-central-1', 'caller_arn': caller.arn,
          'code_parameters': ['/hybridcloud/ssm/activation'], 'key_arn': key.key_arn, 'ecs_cluster': 'hybridcloud'}
         | hybridcloud.aws.activation_access_policies }}
"""

RETURN = r"""
_value:
  description: The documents, as dicts (pass them to the modules as they are).
  type: dict
  contains:
    deploying_principal:
      description: The principal the key policy names.
      type: str
      sample: arn:aws:iam::123456789012:role/deploy
    key_policy:
      description: Key policy of the code's KMS key.
      type: dict
    onprem_role_policy:
      description: Inline policy of the on-premises managed-instance role (allows and denies).
      type: dict
    instance_role_policy:
      description: Inline policy of the ECS container instances' role (SSM agent, denies).
      type: dict
"""


def _policies(spec):
    if not isinstance(spec, dict):
        raise AnsibleFilterError(f"activation_access_policies takes a dict, got {type(spec).__name__}")
    from ansible_collections.hybridcloud.aws.plugins.module_utils.activation_access import ActivationAccessError, activation_access_policies

    try:
        return activation_access_policies(spec)
    except (ActivationAccessError, KeyError) as e:
        raise AnsibleFilterError(f"activation_access_policies: {e}") from e


class FilterModule:
    def filters(self):
        return {"activation_access_policies": _policies}
