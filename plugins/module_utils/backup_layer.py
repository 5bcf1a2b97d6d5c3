# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One read of the AWS Backup layer (the role hybridcloud.aws.backup), everything by name and side by side: the
caller's account (GetCallerIdentity), the vault of the module's region and the DR vault of another region (each
DescribeBackupVault with its lock, ListTags, GetBackupVaultAccessPolicy), the KMS keys the vaults are to use
(DescribeKey, each in its region), the backup plans by name (one ListBackupPlans, then per plan GetBackupPlan, ListTags
and ListBackupSelections, then GetBackupSelection of each selection), and the service role (GetRole,
ListAttachedRolePolicies).

Each part is returned in the form its write module compares: a vault as amazon.aws.backup_vault returns it (snake_case,
tags a dict) with its lock as hybridcloud.aws.backup_vault_lock reports it and its access policy as a dict, a plan as
amazon.aws.backup_plan_info returns it (the input of hybridcloud.aws.backup_plan_differences) with its selections as
amazon.aws.backup_selection_info returns them (the input of backup_selection_differences), the role as
hybridcloud.aws.ecs_cluster_layer_info returns one (the input of the role comparison of ecs_cluster_writes)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler

from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import AnsibleBackupError
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import BackupErrorHandler
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import describe_vault
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import get_vault_policy
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import lock_view
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import retry
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs_cluster_layer import attached_policy_arns
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs_cluster_layer import get_role
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs_cluster_layer import normalised_role
from ansible_collections.hybridcloud.aws.plugins.module_utils.side_by_side import SideBySide

# Threads for the independent calls; 1 runs them one after the other (the unit tests do, for botocore's Stubber).
MAX_WORKERS = 8


class KmsKeyErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleBackupError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFoundException")


@BackupErrorHandler.common_error_handler("get the caller identity")
@retry
def caller_identity(client):
    answer = client.get_caller_identity()
    return {"account_id": answer["Account"], "arn": answer["Arn"], "partition": answer["Arn"].split(":")[1]}


@BackupErrorHandler.common_error_handler("list the tags of {arn}")
@retry
def backup_tags(client, arn):
    """The tags of a vault or plan as a dict (ListTags, every page)."""
    tags, params = {}, {"ResourceArn": arn}
    while True:
        answer = client.list_tags(**params)
        tags.update(answer.get("Tags") or {})
        if not answer.get("NextToken"):
            return tags
        params["NextToken"] = answer["NextToken"]


@KmsKeyErrorHandler.list_error_handler("describe KMS key {key_id}")
@retry
def describe_key(client, key_id):
    """The key's metadata; None when there is no such key."""
    return client.describe_key(KeyId=key_id)["KeyMetadata"]


@BackupErrorHandler.common_error_handler("list the backup plans")
@retry
def list_plans(client):
    return client.get_paginator("list_backup_plans").paginate().build_full_result().get("BackupPlansList") or []


@BackupErrorHandler.list_error_handler("get backup plan {plan_id}")
@retry
def get_plan(client, plan_id):
    answer = client.get_backup_plan(BackupPlanId=plan_id)
    answer.pop("ResponseMetadata", None)
    return answer


@BackupErrorHandler.list_error_handler("list the selections of backup plan {plan_id}")
@retry
def list_selections(client, plan_id):
    return client.get_paginator("list_backup_selections").paginate(BackupPlanId=plan_id).build_full_result().get("BackupSelectionsList") or []


@BackupErrorHandler.list_error_handler("get selection {selection_id} of backup plan {plan_id}")
@retry
def get_selection(client, plan_id, selection_id):
    answer = client.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
    answer.pop("ResponseMetadata", None)
    return answer


def normalised_vault(vault, tags, policy):
    """The vault as amazon.aws.backup_vault returns it (snake_case, tags a dict), with lock (the form
    hybridcloud.aws.backup_vault_lock reports) and access_policy (a dict, None without one); empty when missing."""
    if not vault:
        return {}
    result = camel_dict_to_snake_dict(vault)
    result["tags"] = tags or {}
    result["lock"] = lock_view(vault)
    result["access_policy"] = policy
    return result


def normalised_plan(plan, tags, selections):
    """The plan as amazon.aws.backup_plan_info returns it (snake_case, tags a dict, backup_plan_name on top), with
    its selections as amazon.aws.backup_selection_info returns them (the selection's fields on top)."""
    result = camel_dict_to_snake_dict(plan)
    result["tags"] = tags or {}
    result["backup_plan_name"] = result["backup_plan"]["backup_plan_name"]
    flattened = []
    for selection in selections:
        entry = {key: value for key, value in selection.items() if key != "BackupSelection"}
        entry.update(selection.get("BackupSelection") or {})
        flattened.append(camel_dict_to_snake_dict(entry))
    result["selections"] = flattened
    return result


def normalised_key(key_id, metadata):
    """What the role needs of a KMS key: its ARN and state; key_state None when there is no such key."""
    metadata = metadata or {}
    return {"key_id": key_id, "arn": metadata.get("Arn"), "key_state": metadata.get("KeyState"), "enabled": bool(metadata.get("Enabled"))}


def read_vault(client, reads, name):
    vault = describe_vault(client, name)
    if not vault:
        return {}
    tags = reads.start(backup_tags, client, vault["BackupVaultArn"])
    policy = reads.start(get_vault_policy, client, name)
    return normalised_vault(vault, tags(), policy())


def read_plan(client, reads, listed):
    plan = reads.start(get_plan, client, listed["BackupPlanId"])
    tags = reads.start(backup_tags, client, listed["BackupPlanArn"])
    selections = [reads.start(get_selection, client, listed["BackupPlanId"], entry["SelectionId"]) for entry in list_selections(client, listed["BackupPlanId"])]
    if plan() is None:
        # Deleted between the list and the read: as if it had not been listed.
        return None
    return normalised_plan(plan(), tags(), [selection() for selection in selections if selection() is not None])


def read_plans(client, reads, names):
    """The plans named (in the order of names) that exist; each plan's reads run side by side with the others'."""
    listed = {entry["BackupPlanName"]: entry for entry in list_plans(client) if entry.get("BackupPlanName") in names}
    plans = [reads.start(read_plan, client, reads, listed[name]) for name in names if name in listed]
    return [plan for plan in (answer() for answer in plans) if plan is not None]


def read_layer(clients, names):
    """{account, vault, dr_vault, backup_plans, service_role, kms_keys}, a resource that does not exist empty.
    clients: {sts, backup, dr_backup, kms, dr_kms, iam} (dr_* in the DR region; only with names' dr_vault); names:
    {vault, dr_vault (may be empty), plans (names), service_role (may be empty), kms_keys, dr_kms_keys (key ids or
    ARNs to describe in the module's and the DR region)}.

    Raises AnsibleBackupError (or another AnsibleAWSError) with AWS's error."""
    dr = bool(names.get("dr_vault"))
    role_name = names.get("service_role")
    # A pool big enough that the nested reads (a plan's selections inside a plan's read) never wait for a thread
    # their own caller holds.
    workers = MAX_WORKERS if MAX_WORKERS == 1 else MAX_WORKERS + 2 * len(names.get("plans") or [])
    with SideBySide(workers) as reads:
        account = reads.start(caller_identity, clients["sts"])
        vault = reads.start(read_vault, clients["backup"], reads, names["vault"])
        dr_vault = reads.start(read_vault, clients["dr_backup"], reads, names["dr_vault"]) if dr else (lambda: {})
        role = reads.start(get_role, clients["iam"], role_name) if role_name else (lambda: None)
        managed = reads.start(attached_policy_arns, clients["iam"], role_name) if role_name else (lambda: [])
        keys = [(key_id, False, reads.start(describe_key, clients["kms"], key_id)) for key_id in names.get("kms_keys") or [] if key_id]
        keys += [(key_id, True, reads.start(describe_key, clients["dr_kms"], key_id)) for key_id in names.get("dr_kms_keys") or [] if key_id]
        plans = read_plans(clients["backup"], reads, list(names.get("plans") or []))
        return {
            "account": account(),
            "vault": vault(),
            "dr_vault": dr_vault(),
            "backup_plans": plans,
            "service_role": normalised_role(role(), managed() or [], {}),
            "kms_keys": [dict(normalised_key(key_id, answer()), dr_region=in_dr) for key_id, in_dr, answer in keys],
        }
