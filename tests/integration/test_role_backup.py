"""hybridcloud.aws.backup against the emulator: check mode on an empty account, converge verified with Backup and IAM
reads (KMS vaults in two regions, daily/weekly/monthly rules with cross-region copies, tag-based selection, service
role), a no-op second run and input validation."""

import json

import pytest

REGION = "us-east-1"
DR_REGION = "us-west-2"
TAGS = {"Project": "hybridcloud", "Environment": "lab"}
FACTS = ["backup_vault_arn", "backup_dr_vault_arn", "backup_plan_ids", "backup_service_role_arn"]
ROLE = [
    {"name": "backup", "ansible.builtin.include_role": {"name": "hybridcloud.aws.backup"}},
    {"name": "facts", "ansible.builtin.debug": {"msg": {fact: f"{{{{ {fact} }}}}" for fact in FACTS}}},
]
EXTRA_VARS = {"backup_dr_region": DR_REGION, "aws_region": REGION, "hybridcloud_tags": TAGS}
RESOURCE_ARNS = [
    "arn:aws:rds:*:*:db:*",
    "arn:aws:s3:::*",
    "arn:aws:ec2:*:*:volume/*",
    "arn:aws:ec2:*:*:instance/*",
    "arn:aws:storagegateway:*:*:gateway/*",
]


@pytest.fixture
def backup(aws):
    return aws("backup", region=REGION)


@pytest.fixture
def kms_keys(aws):
    return {region: aws("kms", region=region).create_key(Description=f"backup {region}")["KeyMetadata"]["Arn"] for region in (REGION, DR_REGION)}


def converge(playbook, check=False, **extra):
    result = playbook(ROLE, check=check, extra_vars={**EXTRA_VARS, **extra})
    assert result.failed == 0, result.output
    return result


def test_check_mode_on_empty_account_mutates_nothing(playbook, mutating_calls, backup, aws):
    result = converge(playbook, check=True)
    assert result.task("facts")["result"]["msg"]["backup_plan_ids"] == {}
    assert backup.list_backup_vaults()["BackupVaultList"] == []
    assert aws("backup", region=DR_REGION).list_backup_vaults()["BackupVaultList"] == []
    assert backup.list_backup_plans()["BackupPlansList"] == []
    assert mutating_calls() == []


def test_converge_verify_and_no_op_rerun(playbook, mutating_calls, backup, aws, kms_keys):
    first = converge(playbook, backup_kms_key_arn=kms_keys[REGION], backup_dr_kms_key_arn=kms_keys[DR_REGION])
    facts = first.task("facts")["result"]["msg"]

    vault = backup.describe_backup_vault(BackupVaultName="hybridcloud")
    dr_vault = aws("backup", region=DR_REGION).describe_backup_vault(BackupVaultName="hybridcloud-dr")
    assert facts["backup_vault_arn"] == vault["BackupVaultArn"] and f":{REGION}:" in vault["BackupVaultArn"]
    assert facts["backup_dr_vault_arn"] == dr_vault["BackupVaultArn"] and f":{DR_REGION}:" in dr_vault["BackupVaultArn"]
    assert (vault["EncryptionKeyArn"], dr_vault["EncryptionKeyArn"]) == (kms_keys[REGION], kms_keys[DR_REGION])
    assert backup.list_tags(ResourceArn=vault["BackupVaultArn"])["Tags"] == TAGS

    [plan_entry] = backup.list_backup_plans()["BackupPlansList"]
    assert facts["backup_plan_ids"] == {"hybridcloud": plan_entry["BackupPlanId"]}
    rules = {rule["RuleName"]: rule for rule in backup.get_backup_plan(BackupPlanId=plan_entry["BackupPlanId"])["BackupPlan"]["Rules"]}
    assert sorted(rules) == ["daily", "monthly", "weekly"]
    assert rules["daily"]["Lifecycle"] == {"DeleteAfterDays": 35}
    assert rules["weekly"]["Lifecycle"] == {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 180}
    assert rules["monthly"]["ScheduleExpression"] == "cron(0 5 1 * ? *)"
    for rule in rules.values():
        assert rule["TargetBackupVaultName"] == "hybridcloud"
        assert [copy["DestinationBackupVaultArn"] for copy in rule["CopyActions"]] == [dr_vault["BackupVaultArn"]]
        assert rule["CopyActions"][0]["Lifecycle"] == rule["Lifecycle"]

    [listed] = backup.list_backup_selections(BackupPlanId=plan_entry["BackupPlanId"])["BackupSelectionsList"]
    selection = backup.get_backup_selection(BackupPlanId=plan_entry["BackupPlanId"], SelectionId=listed["SelectionId"])["BackupSelection"]
    assert selection["SelectionName"] == "hybridcloud-tagged"
    assert selection["Resources"] == RESOURCE_ARNS
    assert selection["Conditions"]["StringEquals"] == [{"ConditionKey": "aws:ResourceTag/Backup", "ConditionValue": "hybridcloud"}]
    assert selection["IamRoleArn"] == facts["backup_service_role_arn"]

    iam = aws("iam")
    role = iam.get_role(RoleName="hybridcloud-backup")["Role"]
    assert role["Arn"] == facts["backup_service_role_arn"]
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    assert [statement["Principal"] for statement in trust["Statement"]] == [{"Service": "backup.amazonaws.com"}]
    attached = sorted(policy["PolicyName"] for policy in iam.list_attached_role_policies(RoleName="hybridcloud-backup")["AttachedPolicies"])
    assert attached == sorted(
        [
            "AWSBackupServiceRolePolicyForBackup",
            "AWSBackupServiceRolePolicyForRestores",
            "AWSBackupServiceRolePolicyForS3Backup",
            "AWSBackupServiceRolePolicyForS3Restore",
        ]
    )

    calls_after_first = len(mutating_calls())
    second = converge(playbook, backup_kms_key_arn=kms_keys[REGION], backup_dr_kms_key_arn=kms_keys[DR_REGION])
    assert second.changed == 0, [task["name"] for task in second.tasks if task["changed"]]
    assert len(mutating_calls()) == calls_after_first
    assert second.task("facts")["result"]["msg"] == facts


@pytest.mark.parametrize(
    ("bad_vars", "message"),
    [
        ({"backup_dr_region": REGION}, "must name a region other than the primary one"),
        (
            {
                "backup_plans": [
                    {
                        "name": "p",
                        "selection_tags": {"Backup": "p"},
                        "rules": [{"name": "r", "schedule": "rate(1 day)", "delete_after_days": 60, "move_to_cold_storage_after_days": 7}],
                    }
                ]
            },
            "Offending rules: ['r']",
        ),
        ({"backup_plans": [{"name": "p", "rules": []}]}, "missing required arguments: selection_tags"),
    ],
)
def test_bad_input_fails_before_any_aws_call(playbook, mutating_calls, bad_vars, message):
    result = playbook(ROLE, extra_vars={**EXTRA_VARS, **bad_vars})
    assert result.failed == 1
    assert message in result.output
    assert mutating_calls() == []
