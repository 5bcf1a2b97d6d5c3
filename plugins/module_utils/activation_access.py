# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Who may read the SSM activation code: the IAM and KMS policy documents of the activation path.

The activation code lets any machine register as a managed instance (and, through the on-premises role, join the
ECS cluster as an external instance). Only the principal that deploys the hybrid cloud reads it; the controller
hands it to the on-premises hosts over SSH. This module builds, as plain data:

- the key policy of the customer managed KMS key that encrypts the code parameter: the account (its root, which
  lets IAM administrators manage the key) may administer the key but not use it; the deploying principal may
  administer and use it. No statement lets IAM policies grant kms:Decrypt, kms:Encrypt or kms:CreateGrant;
- the identity policy of the on-premises managed-instance role: what the SSM agent and (when a cluster is named)
  the ECS Anywhere agent need, ECS registration limited to the one cluster, without ssm:GetParameter*;
- the identity policy of the ECS container instances' SSM agent (Session Manager, State Manager), likewise
  without parameter reads;
- explicit denies on the code parameter (any region, any account) and on decrypting it (its key, and any key
  through the encryption context SSM binds to a SecureString, PARAMETER_ARN), which also hold when someone
  attaches AmazonSSMManagedInstanceCore to one of these roles.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

POLICY_VERSION = "2012-10-17"

# AmazonSSMManagedInstanceCore without ssm:GetParameter and ssm:GetParameters (granted there on every parameter).
SSM_AGENT_ACTIONS = [
    "ssm:DescribeAssociation",
    "ssm:GetDeployablePatchSnapshotForInstance",
    "ssm:GetDocument",
    "ssm:DescribeDocument",
    "ssm:GetManifest",
    "ssm:ListAssociations",
    "ssm:ListInstanceAssociations",
    "ssm:PutInventory",
    "ssm:PutComplianceItems",
    "ssm:PutConfigurePackageResult",
    "ssm:UpdateAssociationStatus",
    "ssm:UpdateInstanceAssociationStatus",
    "ssm:UpdateInstanceInformation",
]
SSM_MESSAGES_ACTIONS = [
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
]
EC2_MESSAGES_ACTIONS = [
    "ec2messages:AcknowledgeMessage",
    "ec2messages:DeleteMessage",
    "ec2messages:FailMessage",
    "ec2messages:GetEndpoint",
    "ec2messages:GetMessages",
    "ec2messages:SendReply",
]

# Every way to read, rewrite or remove the code parameter.
PARAMETER_ACTIONS = [
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParameterHistory",
    "ssm:GetParametersByPath",
    "ssm:PutParameter",
    "ssm:DeleteParameter",
    "ssm:DeleteParameters",
    "ssm:LabelParameterVersion",
]
# Every way to get at the plaintext with the key: decrypt, re-encrypt under a key of one's own, grant oneself use.
KEY_USE_DENIED_ACTIONS = ["kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:CreateGrant"]

# Key administration without any use of the key and without kms:CreateGrant (a grant could allow Decrypt).
KEY_ADMIN_ACTIONS = [
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:CreateAlias",
    "kms:UpdateAlias",
    "kms:DeleteAlias",
    "kms:UpdateKeyDescription",
    "kms:EnableKey",
    "kms:DisableKey",
    "kms:EnableKeyRotation",
    "kms:DisableKeyRotation",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
]
# What SSM does with the key on behalf of the deploying principal (PutParameter, GetParameter WithDecryption).
KEY_USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]

_CALLER = re.compile(r"^arn:(?P<partition>[^:]+):(?P<service>iam|sts)::(?P<account>\d{12}):(?P<kind>[^/]+)(?:/(?P<rest>.*))?$")


class ActivationAccessError(ValueError):
    pass


def deploying_principal(caller_arn, role_arn=None):
    """The principal to name in a key policy for the caller of sts:GetCallerIdentity.

    A role session (arn:...:sts::ACCOUNT:assumed-role/NAME/SESSION) becomes its role: role_arn when given (the ARN
    iam:GetRole returns, with the role's path), else arn:...:iam::ACCOUNT:role/NAME. A session ARN would admit only
    that one session, and the next run (AWX, another session name) could not read the code any more.
    Users, the root and federated users are named as they are."""
    match = _CALLER.match(caller_arn or "")
    if not match:
        raise ActivationAccessError(f"not an IAM or STS principal ARN: {caller_arn!r}")
    if match.group("service") == "sts" and match.group("kind") == "assumed-role":
        if role_arn:
            return role_arn
        name = (match.group("rest") or "").split("/")[0]
        return f"arn:{match.group('partition')}:iam::{match.group('account')}:role/{name}"
    return caller_arn


def assumed_role_name(caller_arn):
    """NAME of an assumed-role session ARN, else an empty string."""
    match = _CALLER.match(caller_arn or "")
    if match and match.group("service") == "sts" and match.group("kind") == "assumed-role":
        return (match.group("rest") or "").split("/")[0]
    return ""


def parameter_arn(partition, name, region="*", account_id="*"):
    """The ARN of an SSM parameter (a name that starts with / keeps it once: parameter/a/b)."""
    return f"arn:{partition}:ssm:{region}:{account_id}:parameter/{name.lstrip('/')}"


def key_policy(partition, account_id, deployer_arn):
    root = f"arn:{partition}:iam::{account_id}:root"
    statements = [
        {
            "Sid": "AccountAdministersTheKeyButCannotUseIt",
            "Effect": "Allow",
            "Principal": {"AWS": root},
            "Action": list(KEY_ADMIN_ACTIONS),
            "Resource": "*",
        },
        {
            "Sid": "DeployingPrincipalAdministersAndUsesTheKey",
            "Effect": "Allow",
            "Principal": {"AWS": deployer_arn},
            "Action": sorted(set(KEY_ADMIN_ACTIONS + KEY_USE_ACTIONS)),
            "Resource": "*",
        },
    ]
    return {"Version": POLICY_VERSION, "Statement": statements}


def code_deny_statements(partition, parameters, key_arn=None):
    """Explicit denies: the parameters (names or name patterns with *) in every region and account, and decrypting
    them with any key (SSM binds PARAMETER_ARN into a SecureString's encryption context) or with key_arn at all."""
    arns = [parameter_arn(partition, name) for name in parameters]
    statements = [
        {"Sid": "NoActivationCodeParameter", "Effect": "Deny", "Action": list(PARAMETER_ACTIONS), "Resource": arns},
        {
            "Sid": "NoActivationCodeDecryption",
            "Effect": "Deny",
            "Action": list(KEY_USE_DENIED_ACTIONS),
            "Resource": "*",
            "Condition": {"StringLike": {"kms:EncryptionContext:PARAMETER_ARN": arns}},
        },
    ]
    if key_arn:
        statements.append({"Sid": "NoActivationCodeKey", "Effect": "Deny", "Action": list(KEY_USE_DENIED_ACTIONS), "Resource": key_arn})
    return statements


def ssm_agent_statements():
    return [
        {"Sid": "SsmAgent", "Effect": "Allow", "Action": list(SSM_AGENT_ACTIONS), "Resource": "*"},
        {"Sid": "SsmAgentSessions", "Effect": "Allow", "Action": list(SSM_MESSAGES_ACTIONS + EC2_MESSAGES_ACTIONS), "Resource": "*"},
    ]


def ecs_anywhere_statements(partition, region, account_id, cluster):
    """What the ECS agent of an external instance needs, registration and task traffic limited to one cluster."""
    cluster_arn = f"arn:{partition}:ecs:{region}:{account_id}:cluster/{cluster}"
    instances = f"arn:{partition}:ecs:{region}:{account_id}:container-instance/{cluster}/*"
    return [
        # DiscoverPollEndpoint and ecr:GetAuthorizationToken have no resource-level permissions.
        {"Sid": "EcsAgentDiscovery", "Effect": "Allow", "Action": ["ecs:DiscoverPollEndpoint", "ecr:GetAuthorizationToken"], "Resource": "*"},
        {
            "Sid": "EcsAgentRegistrationInTheCluster",
            "Effect": "Allow",
            "Action": [
                "ecs:RegisterContainerInstance",
                "ecs:DeregisterContainerInstance",
                "ecs:SubmitAttachmentStateChanges",
                "ecs:SubmitContainerStateChange",
                "ecs:SubmitTaskStateChange",
            ],
            "Resource": cluster_arn,
        },
        {
            "Sid": "EcsAgentInstancesOfTheCluster",
            "Effect": "Allow",
            "Action": ["ecs:Poll", "ecs:StartTelemetrySession", "ecs:UpdateContainerInstancesState", "ecs:ListTagsForResource"],
            "Resource": instances,
        },
        {
            "Sid": "EcsAgentTagsItsRegistration",
            "Effect": "Allow",
            "Action": "ecs:TagResource",
            "Resource": instances,
            "Condition": {"StringEquals": {"ecs:CreateAction": "RegisterContainerInstance"}},
        },
        {
            "Sid": "EcsAgentPullsImagesOfTheAccount",
            "Effect": "Allow",
            "Action": ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
            "Resource": f"arn:{partition}:ecr:{region}:{account_id}:repository/*",
        },
        {
            "Sid": "EcsAgentLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"arn:{partition}:logs:{region}:{account_id}:log-group:*",
        },
    ]


def activation_access_policies(spec):
    """Every document of the activation path from one description of it (a dict):

    partition (default aws), account_id, region, caller_arn (sts:GetCallerIdentity), caller_role_arn (optional:
    the ARN of the caller's role, with its path, when the caller is a role session), code_parameters (names or
    patterns the roles must not read), key_arn (the code's key; may be empty before it exists, check mode),
    ecs_cluster (the cluster the on-premises hosts join; empty: no ECS permissions).

    Returns {deploying_principal, key_policy, onprem_role_policy, instance_role_policy}; the documents that need
    what the spec lacks (an account for the key policy and the ECS statements) are None."""
    partition = spec.get("partition") or "aws"
    parameters = list(spec.get("code_parameters") or [])
    if not parameters:
        raise ActivationAccessError("code_parameters must name at least one parameter")
    for name in parameters:
        if not re.match(r"^/?[A-Za-z0-9_.\-/*]+$", name):
            raise ActivationAccessError(f"not an SSM parameter name or pattern: {name!r}")
    account_id = spec.get("account_id") or ""
    deployer = deploying_principal(spec["caller_arn"], spec.get("caller_role_arn")) if spec.get("caller_arn") else None
    denies = code_deny_statements(partition, parameters, spec.get("key_arn") or None)

    onprem = None
    if account_id:
        statements = ssm_agent_statements()
        if spec.get("ecs_cluster"):
            statements += ecs_anywhere_statements(partition, spec.get("region") or "*", account_id, spec["ecs_cluster"])
        onprem = {"Version": POLICY_VERSION, "Statement": statements + denies}
    return {
        "deploying_principal": deployer,
        "key_policy": key_policy(partition, account_id, deployer) if account_id and deployer else None,
        "onprem_role_policy": onprem,
        "instance_role_policy": {"Version": POLICY_VERSION, "Statement": ssm_agent_statements() + denies},
    }
