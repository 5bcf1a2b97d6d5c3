"""backup_layer_info: one read of the backup layer across STS, AWS Backup (two regions), KMS and IAM, each call
validated against botocore's model (the calls run one after the other here, so that each Stubber sees them in order)."""

import datetime
import json
from unittest import mock

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hybridcloud.aws.plugins.filter.backup_writes import FilterModule
from ansible_collections.hybridcloud.aws.plugins.module_utils import backup_layer
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import deny_delete_policy
from ansible_collections.hybridcloud.aws.plugins.modules import backup_layer_info
from ansible_collections.hybridcloud.aws.tests.unit.ansible_compat import patch_module_args

ACCOUNT = "123456789012"
ARGS = {
    "vault": "hybridcloud",
    "dr_vault": "hybridcloud-dr",
    "dr_region": "us-west-2",
    "backup_plan_names": ["hybridcloud", "absent"],
    "service_role": "hybridcloud-backup",
    "kms_key_ids": [f"arn:aws:kms:us-east-1:{ACCOUNT}:key/primary"],
    "dr_kms_key_ids": [f"arn:aws:kms:us-west-2:{ACCOUNT}:key/dr"],
}
VAULT_ARN = f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:hybridcloud"
DR_VAULT_ARN = f"arn:aws:backup:us-west-2:{ACCOUNT}:backup-vault:hybridcloud-dr"
PLAN_ARN = f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-plan:p1"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/hybridcloud-backup"
TAGS = {"Project": "hybridcloud"}
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "backup.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
NOW = datetime.datetime(2026, 12, 4, tzinfo=datetime.timezone.utc)
CLIENTS = ("sts", "backup", "kms", "iam", "dr_backup", "dr_kms")


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    monkeypatch.setattr(backup_layer, "MAX_WORKERS", 1)


@pytest.fixture
def stubbers():
    regions = {name: "us-west-2" if name.startswith("dr_") else "us-east-1" for name in CLIENTS}
    clients = {name: boto3.client(name.replace("dr_", ""), region_name=regions[name], aws_access_key_id="u", aws_secret_access_key="u") for name in CLIENTS}
    return clients, {name: Stubber(client) for name, client in clients.items()}


def run(capsys, clients, stubs, args=None, all_answered=True):
    def client(service, *args, **kwargs):
        return clients[("dr_" if kwargs.get("region") == "us-west-2" else "") + service]

    with (
        patch_module_args(dict(args or ARGS, _ansible_check_mode=False, _ansible_diff=False, region="us-east-1")),
        stubs["sts"],
        stubs["backup"],
        stubs["kms"],
        stubs["iam"],
        stubs["dr_backup"],
        stubs["dr_kms"],
        mock.patch.object(AnsibleAWSModule, "client", side_effect=client),
        pytest.raises(SystemExit) as exit_info,
    ):
        backup_layer_info.main()
    result = json.loads(capsys.readouterr().out)
    result["rc"] = exit_info.value.code
    for stub in stubs.values() if all_answered else ():
        stub.assert_no_pending_responses()
    return result


def expect_caller(stubs):
    stubs["sts"].add_response("get_caller_identity", {"Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:user/deployer", "UserId": "AIDA"})


def expect_vault(stub, name, arn, lock=None, policy=None):
    stub.add_response(
        "describe_backup_vault",
        {"BackupVaultName": name, "BackupVaultArn": arn, "EncryptionKeyArn": "arn:aws:kms:k", "NumberOfRecoveryPoints": 0, **(lock or {})},
        {"BackupVaultName": name},
    )
    stub.add_response("list_tags", {"Tags": TAGS}, {"ResourceArn": arn})
    if policy is None:
        stub.add_client_error("get_backup_vault_access_policy", "ResourceNotFoundException", expected_params={"BackupVaultName": name})
    else:
        stub.add_response("get_backup_vault_access_policy", {"BackupVaultName": name, "Policy": json.dumps(policy)}, {"BackupVaultName": name})


def expect_role(stubs):
    role = {"Path": "/", "RoleName": "hybridcloud-backup", "RoleId": "AROAEXAMPLEEXAMPLE123", "Arn": ROLE_ARN, "CreateDate": NOW}
    role.update(Description="backup", AssumeRolePolicyDocument=json.dumps(TRUST), Tags=[{"Key": "Project", "Value": "hybridcloud"}])
    stubs["iam"].add_response("get_role", {"Role": role}, {"RoleName": "hybridcloud-backup"})
    stubs["iam"].add_response(
        "list_attached_role_policies",
        {"AttachedPolicies": [{"PolicyName": "B", "PolicyArn": "arn:aws:iam::aws:policy/B"}, {"PolicyName": "A", "PolicyArn": "arn:aws:iam::aws:policy/A"}]},
        {"RoleName": "hybridcloud-backup"},
    )


def expect_key(stub, arn, state="Enabled"):
    metadata = {"KeyId": arn.rsplit("/", 1)[1], "Arn": arn, "KeyState": state, "Enabled": state == "Enabled"}
    stub.add_response("describe_key", {"KeyMetadata": metadata}, {"KeyId": arn})


def expect_plans(stub):
    stub.add_response(
        "list_backup_plans",
        {
            "BackupPlansList": [
                {"BackupPlanName": "hybridcloud", "BackupPlanId": "p1", "BackupPlanArn": PLAN_ARN},
                {"BackupPlanName": "someone-elses", "BackupPlanId": "p9", "BackupPlanArn": PLAN_ARN + "9"},
            ]
        },
        {},
    )
    rule = {
        "RuleName": "daily",
        "TargetBackupVaultName": "hybridcloud",
        "ScheduleExpression": "cron(0 3 ? * * *)",
        "StartWindowMinutes": 480,
        "CompletionWindowMinutes": 10080,
        "Lifecycle": {"DeleteAfterDays": 35},
        "RuleId": "r1",
        "CopyActions": [{"DestinationBackupVaultArn": DR_VAULT_ARN, "Lifecycle": {"DeleteAfterDays": 35}}],
        "ScheduleExpressionTimezone": "Etc/UTC",
    }
    stub.add_response(
        "get_backup_plan",
        {"BackupPlan": {"BackupPlanName": "hybridcloud", "Rules": [rule]}, "BackupPlanId": "p1", "BackupPlanArn": PLAN_ARN, "VersionId": "v1"},
        {"BackupPlanId": "p1"},
    )
    stub.add_response("list_tags", {"Tags": TAGS}, {"ResourceArn": PLAN_ARN})
    stub.add_response(
        "list_backup_selections",
        {"BackupSelectionsList": [{"SelectionId": "s1", "SelectionName": "hybridcloud-tagged", "BackupPlanId": "p1", "IamRoleArn": ROLE_ARN}]},
        {"BackupPlanId": "p1"},
    )
    stub.add_response(
        "get_backup_selection",
        {
            "BackupSelection": {
                "SelectionName": "hybridcloud-tagged",
                "IamRoleArn": ROLE_ARN,
                "Resources": ["arn:aws:s3:::*"],
                "Conditions": {"StringEquals": [{"ConditionKey": "aws:ResourceTag/Backup", "ConditionValue": "hybridcloud"}]},
            },
            "SelectionId": "s1",
            "BackupPlanId": "p1",
        },
        {"BackupPlanId": "p1", "SelectionId": "s1"},
    )


def test_reads_every_resource_once_in_the_form_the_writes_compare(capsys, stubbers):
    clients, stubs = stubbers
    expect_caller(stubs)
    expect_vault(stubs["backup"], "hybridcloud", VAULT_ARN, lock={"Locked": True, "MinRetentionDays": 7}, policy=deny_delete_policy())
    expect_vault(stubs["dr_backup"], "hybridcloud-dr", DR_VAULT_ARN, lock={"Locked": True, "MinRetentionDays": 7, "MaxRetentionDays": 400, "LockDate": NOW})
    expect_role(stubs)
    expect_key(stubs["kms"], ARGS["kms_key_ids"][0])
    expect_key(stubs["dr_kms"], ARGS["dr_kms_key_ids"][0], state="PendingDeletion")
    expect_plans(stubs["backup"])
    result = run(capsys, clients, stubs)

    assert result["rc"] == 0 and result["changed"] is False, result
    assert result["account"] == {"account_id": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/deployer", "partition": "aws"}
    vault, dr_vault = result["vault"], result["dr_vault"]
    assert (vault["backup_vault_arn"], vault["encryption_key_arn"], vault["tags"]) == (VAULT_ARN, "arn:aws:kms:k", TAGS)
    assert vault["lock"] == {"locked": True, "mode": "governance", "min_retention_days": 7, "max_retention_days": None, "lock_date": None}
    assert vault["access_policy"] == deny_delete_policy()
    assert dr_vault["lock"] == {"locked": True, "mode": "compliance", "min_retention_days": 7, "max_retention_days": 400, "lock_date": NOW.isoformat()}
    assert dr_vault["access_policy"] is None

    [plan] = result["backup_plans"]
    assert (plan["backup_plan_name"], plan["backup_plan_id"], plan["backup_plan_arn"], plan["tags"]) == ("hybridcloud", "p1", PLAN_ARN, TAGS)
    [rule] = plan["backup_plan"]["rules"]
    assert rule["copy_actions"] == [{"destination_backup_vault_arn": DR_VAULT_ARN, "lifecycle": {"delete_after_days": 35}}]
    [selection] = plan["selections"]
    assert (selection["selection_name"], selection["selection_id"], selection["iam_role_arn"]) == ("hybridcloud-tagged", "s1", ROLE_ARN)
    assert selection["conditions"] == {"string_equals": [{"condition_key": "aws:ResourceTag/Backup", "condition_value": "hybridcloud"}]}

    role = result["service_role"]
    assert (role["arn"], role["description"], role["assume_role_policy_document"], role["tags"]) == (ROLE_ARN, "backup", TRUST, TAGS)
    assert role["managed_policy_arns"] == ["arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B"]
    assert [(key["key_id"], key["key_state"], key["enabled"], key["dr_region"]) for key in result["kms_keys"]] == [
        (ARGS["kms_key_ids"][0], "Enabled", True, False),
        (ARGS["dr_kms_key_ids"][0], "PendingDeletion", False, True),
    ]
    # The read is what the role's decision takes: the DR vault lacks only its policy (lock wanted at 7, max 400,
    # compliance mode asked for again: no change).
    lock = {"min_retention_days": 7, "max_retention_days": 400, "changeable_for_days": 3}
    wanted = {
        "service_role": {"description": "backup", "assume_role_policy_document": TRUST, "managed_policies": role["managed_policy_arns"], "tags": TAGS},
        "vault": {"tags": TAGS, "lock": dict(lock, max_retention_days=None, changeable_for_days=None), "policy": deny_delete_policy()},
        "dr_vault": {"tags": TAGS, "lock": lock, "policy": deny_delete_policy()},
        "plans": [],
        "plan_rules": {},
    }
    decided = FilterModule().filters()["backup_writes"](result, wanted)
    assert [decided[key] for key in ("service_role", "vault", "dr_vault", "vault_lock", "dr_vault_lock", "vault_policy", "dr_vault_policy")] == [
        [],
        [],
        [],
        [],
        [],
        [],
        ["policy"],
    ]


def test_nothing_there_yet_is_no_error_and_every_entry_is_empty(capsys, stubbers):
    clients, stubs = stubbers
    expect_caller(stubs)
    # AWS answers a vault that does not exist with AccessDeniedException.
    stubs["backup"].add_client_error("describe_backup_vault", "AccessDeniedException", expected_params={"BackupVaultName": "hybridcloud"})
    stubs["dr_backup"].add_client_error("describe_backup_vault", "ResourceNotFoundException", expected_params={"BackupVaultName": "hybridcloud-dr"})
    stubs["iam"].add_client_error("get_role", "NoSuchEntity", expected_params={"RoleName": "hybridcloud-backup"})
    stubs["iam"].add_client_error("list_attached_role_policies", "NoSuchEntity", expected_params={"RoleName": "hybridcloud-backup"})
    stubs["kms"].add_client_error("describe_key", "NotFoundException", expected_params={"KeyId": ARGS["kms_key_ids"][0]})
    expect_key(stubs["dr_kms"], ARGS["dr_kms_key_ids"][0])
    stubs["backup"].add_response("list_backup_plans", {"BackupPlansList": []}, {})
    result = run(capsys, clients, stubs)
    assert result["rc"] == 0, result
    assert (result["vault"], result["dr_vault"], result["backup_plans"], result["service_role"]) == ({}, {}, [], {})
    assert [(key["key_state"], key["arn"]) for key in result["kms_keys"]] == [(None, None), ("Enabled", ARGS["dr_kms_key_ids"][0])]


def test_only_what_is_asked_is_read(capsys, stubbers):
    """No DR vault, plan, role or key asked for: one caller identity, one vault, one (empty) plan list."""
    clients, stubs = stubbers
    expect_caller(stubs)
    expect_vault(stubs["backup"], "hybridcloud", VAULT_ARN)
    stubs["backup"].add_response("list_backup_plans", {"BackupPlansList": []}, {})
    result = run(capsys, clients, stubs, args={"vault": "hybridcloud"})
    assert result["rc"] == 0, result
    assert (result["dr_vault"], result["service_role"], result["kms_keys"]) == ({}, {}, [])
    assert result["vault"]["lock"]["locked"] is False


def test_dr_region_required_with_a_dr_vault(capsys, stubbers):
    clients, stubs = stubbers
    result = run(capsys, clients, stubs, args={"vault": "hybridcloud", "dr_vault": "hybridcloud-dr"})
    assert result["failed"] is True and "dr_region is required" in result["msg"]


def test_an_aws_error_fails_with_its_message(capsys, stubbers):
    clients, stubs = stubbers
    stubs["sts"].add_client_error("get_caller_identity", "AccessDenied", "not allowed")
    result = run(capsys, clients, stubs, args={"vault": "hybridcloud"}, all_answered=False)
    assert result["failed"] is True
    assert "not allowed" in result["msg"]
