#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: posture_info
version_added: 0.1.0
short_description: Read the security facts of a hybrid cloud that no amazon.aws info module returns
description:
  - Reads, for a security audit (playbook C(hybridcloud.aws.audit)), what the amazon.aws and community.aws info
    modules do not return, in the shapes the filter P(hybridcloud.aws.posture_findings#filter) takes.
  - The flow logs of the VPCs O(vpc_ids) (one paged C(DescribeFlowLogs)).
  - The hybrid activations named O(activation_name) (C(DescribeActivations) filtered by default instance name).
  - The SSM parameter O(code_parameter) that holds the activation code, its KMS key and the key's policy
    (C(DescribeParameters), C(DescribeKey), C(GetKeyPolicy); the value is never read).
  - Every identity policy document of the roles O(role_names) and of the activations' roles (C(GetRole),
    C(ListRolePolicies), C(GetRolePolicy), C(ListAttachedRolePolicies), C(GetPolicy), C(GetPolicyVersion)).
  - The access policies of the AWS Backup vaults O(backup_vaults) (C(GetBackupVaultAccessPolicy), each in its
    region).
  - Makes no change. The account and partition come from C(GetCallerIdentity).
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  vpc_ids:
    description: VPCs whose flow logs to read; empty reads none.
    type: list
    elements: str
    default: []
  activation_name:
    description: Default instance name of the activations to read; empty reads none.
    type: str
    default: ""
  code_parameter:
    description: Name of the SecureString parameter that holds the activation code; empty reads none.
    type: str
    default: ""
  role_names:
    description:
      - IAM roles whose identity policies to read (inline and attached, the attached ones at their default version).
      - The roles of the activations found are added. A role that does not exist is left out.
    type: list
    elements: str
    default: []
  backup_vaults:
    description: AWS Backup vaults whose access policy to read; empty reads none.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the vault.
        type: str
        required: true
      region:
        description: Region of the vault; the module's region when not given.
        type: str
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
- name: Read what the audit needs beyond the upstream info modules
  hybridcloud.aws.posture_info:
    vpc_ids: [vpc-0123456789abcdef0]
    activation_name: hybridcloud-onprem
    code_parameter: /hybridcloud/ssm/activation
    role_names: [hybridcloud-ecs-instance]
    backup_vaults:
      - name: hybridcloud
      - name: hybridcloud-dr
        region: eu-central-1
  register: posture
"""

RETURN = r"""
backup_vault_policies:
  description: The access policies of O(backup_vaults), in their order.
  returned: always
  type: list
  elements: dict
  contains:
    backup_vault_name:
      description: Name of the vault.
      type: str
    region:
      description: Region of the vault.
      type: str
    policy:
      description: The access policy; null when the vault has none (or does not exist).
      type: dict
flow_logs:
  description: The flow logs of O(vpc_ids).
  returned: always
  type: list
  elements: dict
  contains:
    flow_log_id:
      description: Identifier of the flow log.
      type: str
    resource_id:
      description: The VPC it logs.
      type: str
    flow_log_status:
      description: C(ACTIVE) when it logs.
      type: str
    traffic_type:
      description: C(ACCEPT), C(REJECT) or C(ALL).
      type: str
    log_destination_type:
      description: C(cloud-watch-logs), C(s3) or C(kinesis-data-firehose).
      type: str
activations:
  description: The activations named O(activation_name) (the code is never returned; AWS does not return it).
  returned: always
  type: list
  elements: dict
  contains:
    activation_id:
      description: Identifier of the activation.
      type: str
    default_instance_name:
      description: Default instance name.
      type: str
    iam_role:
      description: Role the registered instances assume.
      type: str
    registration_limit:
      description: How many instances may register.
      type: int
    registrations_count:
      description: How many have registered.
      type: int
    created_date:
      description: Creation time, ISO 8601 in UTC.
      type: str
    expiration_date:
      description: Expiry time, ISO 8601 in UTC.
      type: str
    expired:
      description: Whether the activation has expired.
      type: bool
activation_code:
  description: The code parameter and its key; empty when O(code_parameter) is empty or the parameter does not exist.
  returned: always
  type: dict
  contains:
    parameter_arn:
      description: ARN of the parameter.
      type: str
    parameter_type:
      description: C(SecureString) for a protected code.
      type: str
    key_arn:
      description: ARN of its KMS key.
      type: str
    key_manager:
      description: C(CUSTOMER) or C(AWS) (an AWS managed key such as C(aws/ssm)).
      type: str
    key_policy:
      description: The key's default key policy, as a document.
      type: dict
    account_id:
      description: Account of the caller.
      type: str
    partition:
      description: Partition of the caller.
      type: str
roles:
  description: The roles found, with every identity policy document.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Role name.
      type: str
    arn:
      description: Role ARN.
      type: str
    documents:
      description: Inline policies, then attached policies at their default version.
      type: list
      elements: dict
"""

import json
from urllib.parse import unquote

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import AnsibleBackupError
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import get_vault_policy
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import iso_date

retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException"])


class AnsiblePostureError(AnsibleAWSError):
    pass


class PostureErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsiblePostureError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["NoSuchEntity", "ParameterNotFound"])


def _document(value):
    if isinstance(value, str):
        return json.loads(unquote(value))
    return value


@PostureErrorHandler.list_error_handler("read the flow logs of {vpc_ids}", default_value=[])
@retry
def read_flow_logs(ec2, vpc_ids):
    paginator = ec2.get_paginator("describe_flow_logs")
    found = paginator.paginate(Filters=[{"Name": "resource-id", "Values": vpc_ids}]).build_full_result().get("FlowLogs", [])
    keys = ("FlowLogId", "ResourceId", "FlowLogStatus", "TrafficType", "LogDestinationType", "LogDestination", "LogGroupName")
    return [camel_dict_to_snake_dict({key: log[key] for key in keys if key in log}) for log in found]


@PostureErrorHandler.list_error_handler("read the activations named {name}", default_value=[])
@retry
def read_activations(ssm, name):
    paginator = ssm.get_paginator("describe_activations")
    found = paginator.paginate(Filters=[{"FilterKey": "DefaultInstanceName", "FilterValues": [name]}]).build_full_result().get("ActivationList", [])
    results = []
    for activation in found:
        if activation.get("DefaultInstanceName") != name:
            continue
        results.append(
            {
                "activation_id": activation["ActivationId"],
                "default_instance_name": activation.get("DefaultInstanceName"),
                "iam_role": activation.get("IamRole"),
                "registration_limit": activation.get("RegistrationLimit"),
                "registrations_count": activation.get("RegistrationsCount"),
                "created_date": iso_date(activation.get("CreatedDate")),
                "expiration_date": iso_date(activation.get("ExpirationDate")),
                "expired": activation.get("Expired", False),
            }
        )
    return sorted(results, key=lambda activation: activation["activation_id"])


@PostureErrorHandler.list_error_handler("read parameter {name} and its key", default_value={})
@retry
def read_code(ssm, kms, name, identity):
    found = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Option": "Equals", "Values": [name]}]).get("Parameters", [])
    if not found:
        return {}
    parameter = found[0]
    partition = identity["Arn"].split(":")[1]
    arn = "arn:{0}:ssm:{1}:{2}:parameter/{3}".format(partition, ssm.meta.region_name, identity["Account"], name.lstrip("/"))
    result = {"parameter_arn": arn, "parameter_type": parameter.get("Type"), "account_id": identity["Account"], "partition": partition}
    if parameter.get("Type") != "SecureString":
        return result
    key = kms.describe_key(KeyId=parameter.get("KeyId") or "alias/aws/ssm")["KeyMetadata"]
    result.update(key_arn=key["Arn"], key_manager=key.get("KeyManager"))
    result["key_policy"] = _document(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"])
    return result


@PostureErrorHandler.common_error_handler("read the caller's identity")
@retry
def caller_identity(sts):
    return sts.get_caller_identity()


@PostureErrorHandler.list_error_handler("read the policies of role {name}", default_value=None)
@retry
def read_role(iam, name):
    role = iam.get_role(RoleName=name)["Role"]
    documents = []
    for policy_name in iam.get_paginator("list_role_policies").paginate(RoleName=name).build_full_result().get("PolicyNames", []):
        documents.append(_document(iam.get_role_policy(RoleName=name, PolicyName=policy_name)["PolicyDocument"]))
    attached = iam.get_paginator("list_attached_role_policies").paginate(RoleName=name).build_full_result().get("AttachedPolicies", [])
    for policy in attached:
        version = iam.get_policy(PolicyArn=policy["PolicyArn"])["Policy"]["DefaultVersionId"]
        document = iam.get_policy_version(PolicyArn=policy["PolicyArn"], VersionId=version)["PolicyVersion"]["Document"]
        documents.append(_document(document))
    return {"name": name, "arn": role["Arn"], "documents": documents}


def main():
    argument_spec = dict(
        vpc_ids=dict(type="list", elements="str", default=[]),
        activation_name=dict(type="str", default=""),
        code_parameter=dict(type="str", default=""),
        role_names=dict(type="list", elements="str", default=[]),
        backup_vaults=dict(type="list", elements="dict", default=[], options=dict(name=dict(type="str", required=True), region=dict(type="str"))),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    result = {"changed": False, "flow_logs": [], "activations": [], "activation_code": {}, "roles": [], "backup_vault_policies": []}
    try:
        if params["vpc_ids"]:
            result["flow_logs"] = read_flow_logs(module.client("ec2"), params["vpc_ids"])
        if params["activation_name"]:
            result["activations"] = read_activations(module.client("ssm"), params["activation_name"])
        if params["code_parameter"]:
            identity = caller_identity(module.client("sts"))
            result["activation_code"] = read_code(module.client("ssm"), module.client("kms"), params["code_parameter"], identity)
        names = sorted(set(params["role_names"]) | {activation["iam_role"] for activation in result["activations"] if activation.get("iam_role")})
        if names:
            iam = module.client("iam")
            result["roles"] = [role for role in (read_role(iam, name) for name in names) if role]
        for vault in params["backup_vaults"]:
            region = vault["region"] or module.region
            client = module.client("backup", region=region) if vault["region"] else module.client("backup")
            result["backup_vault_policies"].append({"backup_vault_name": vault["name"], "region": region, "policy": get_vault_policy(client, vault["name"])})
    except (AnsiblePostureError, AnsibleBackupError) as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
