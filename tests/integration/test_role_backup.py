"""hybridcloud.aws.backup against the emulator: check mode on an empty account, converge verified with Backup and IAM
reads (KMS vaults in two regions, daily/weekly/monthly rules with cross-region copies, tag-based selection, service
role), a no-op second run (bad input in test_bad_input_aws_network_data.py); one read of the layer (hybridcloud.aws.backup_layer_info), write
modules only where something differs."""

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


# The modules that write; on a converged layer none of them may run.
WRITE_MODULES = {
    "amazon.aws.iam_role",
    "amazon.aws.backup_vault",
    "hybridcloud.aws.backup_vault_lock",
    "hybridcloud.aws.backup_vault_policy",
    "amazon.aws.backup_plan",
    "amazon.aws.backup_selection",
}
# AWS calls of the no-op run (with both KMS keys) before the layer was read once, measured: 39 (14 of them the two
# kms_key_info reads; 7 write-module runs: the role, both vaults, both locks, both policies), check mode alike.
NO_OP_CALLS_BEFORE = 39


def write_modules_run(result):
    """The write modules whose tasks ran (were not skipped), once per loop item that ran."""
    ran = []
    for task in result.tasks:
        if task["action"] not in WRITE_MODULES:
            continue
        items = task["result"].get("results", [task["result"]])
        ran += [task["action"] for item in items if not item.get("skipped") and "skip_reason" not in item]
    return sorted(ran)


PLAN_TASK = "hybridcloud.aws.backup : Ensure the backup plans"
SELECTION_TASK = "hybridcloud.aws.backup : Ensure every plan selects the tagged resources"
# A second plan next to the default one, so that the drift tests show that only the drifted plan is written.
FILES_PLAN = {
    "name": "files",
    "selection_tags": {"Backup": "files"},
    "rules": [{"name": "nightly", "schedule": "cron(0 1 ? * * *)", "delete_after_days": 14}],
}
TWO_PLANS = [
    {
        "name": "hybridcloud",
        "selection_tags": {"Backup": "hybridcloud"},
        "rules": [
            {"name": "daily", "schedule": "cron(0 3 ? * * *)", "delete_after_days": 35},
            {"name": "weekly", "schedule": "cron(0 4 ? * SUN *)", "move_to_cold_storage_after_days": 30, "delete_after_days": 180},
        ],
    },
    FILES_PLAN,
]


def converge(playbook, check=False, **extra):
    result = playbook(ROLE, check=check, extra_vars={**EXTRA_VARS, **extra})
    assert result.failed == 0, result.output
    return result


def item_outcomes(result, task_name):
    """Plan name -> 'changed', 'ok' or 'skipped' for each item of a looped task."""
    items = result.task(task_name)["result"]["results"]
    return {item["item"]["name"]: "skipped" if item.get("skipped") or "skip_reason" in item else "changed" if item.get("changed") else "ok" for item in items}


def plan_ids(backup):
    return {entry["BackupPlanName"]: entry["BackupPlanId"] for entry in backup.list_backup_plans()["BackupPlansList"]}


def selection_of_id(backup, plan_id):
    [listed] = backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
    return listed["SelectionId"]


def selection_of(backup, plan_id):
    return backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_of_id(backup, plan_id))["BackupSelection"]


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
    account = aws("sts").get_caller_identity()["Account"]
    assert [statement["Condition"] for statement in trust["Statement"]] == [{"StringEquals": {"aws:SourceAccount": account}}]
    attached = sorted(policy["PolicyName"] for policy in iam.list_attached_role_policies(RoleName="hybridcloud-backup")["AttachedPolicies"])
    assert attached == sorted(
        [
            "AWSBackupServiceRolePolicyForBackup",
            "AWSBackupServiceRolePolicyForRestores",
            "AWSBackupServiceRolePolicyForS3Backup",
            "AWSBackupServiceRolePolicyForS3Restore",
        ]
    )

    # Both vaults locked in governance mode (no LockDate) at the role's default minimum, and denying every principal
    # the deletion of recovery points.
    for client, name in ((backup, "hybridcloud"), (aws("backup", region=DR_REGION), "hybridcloud-dr")):
        locked = client.describe_backup_vault(BackupVaultName=name)
        assert (locked["Locked"], locked["MinRetentionDays"], "MaxRetentionDays" in locked, "LockDate" in locked) == (True, 7, False, False)
        policy = json.loads(client.get_backup_vault_access_policy(BackupVaultName=name)["Policy"])
        assert policy["Statement"] == [
            {
                "Sid": "DenyRecoveryPointDeletion",
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
                "Resource": "*",
            }
        ]

    calls_after_first = len(mutating_calls())
    second = converge(playbook, backup_kms_key_arn=kms_keys[REGION], backup_dr_kms_key_arn=kms_keys[DR_REGION])
    assert second.changed == 0, [task["name"] for task in second.tasks if task["changed"]]
    assert len(mutating_calls()) == calls_after_first
    assert second.task("facts")["result"]["msg"] == facts
    # Read wide, write only what differs: the converged plan and selection make no call of the write modules.
    assert item_outcomes(second, PLAN_TASK) == {"hybridcloud": "skipped"}
    assert item_outcomes(second, SELECTION_TASK) == {"hybridcloud": "skipped"}

    # Check mode on the converged site predicts nothing and hands on the same facts (the plan's real id).
    check = converge(playbook, check=True, backup_kms_key_arn=kms_keys[REGION], backup_dr_kms_key_arn=kms_keys[DR_REGION])
    assert check.changed == 0, [task["name"] for task in check.tasks if task["changed"]]
    assert check.mutating_calls == []
    assert check.task("facts")["result"]["msg"] == facts

    # One read, no write module run, fewer AWS calls than before (all reads; each resource read once); check mode alike.
    for no_op in (second, check):
        assert write_modules_run(no_op) == []
        operations = [call["operation"] for call in no_op.api_calls]
        assert len(operations) < NO_OP_CALLS_BEFORE, operations
        assert no_op.mutating_calls == []
        counts = {operation: operations.count(operation) for operation in ("DescribeBackupVault", "ListBackupPlans", "GetBackupPlan", "GetRole", "DescribeKey")}
        assert counts == {"DescribeBackupVault": 2, "ListBackupPlans": 1, "GetBackupPlan": 1, "GetRole": 1, "DescribeKey": 2}, operations


def test_tag_and_selection_drift_found_in_check_mode_and_repaired(playbook, backup):
    """A tag removed from one plan and another plan's selection narrowed out of band: check mode reports exactly those
    two (and writes nothing), the run repairs exactly those, the next run changes nothing."""
    converge(playbook, backup_plans=TWO_PLANS)
    ids = plan_ids(backup)
    plan_arn = backup.get_backup_plan(BackupPlanId=ids["hybridcloud"])["BackupPlanArn"]
    backup.untag_resource(ResourceArn=plan_arn, TagKeyList=["Environment"])
    backup.tag_resource(ResourceArn=plan_arn, Tags={"Owner": "someone"})
    selection = selection_of(backup, ids["files"])
    backup.delete_backup_selection(BackupPlanId=ids["files"], SelectionId=selection_of_id(backup, ids["files"]))
    backup.create_backup_selection(
        BackupPlanId=ids["files"],
        BackupSelection={
            "SelectionName": "files-tagged",
            "IamRoleArn": selection["IamRoleArn"],
            "Resources": RESOURCE_ARNS[:1],
            "Conditions": selection["Conditions"],
        },
    )

    check = converge(playbook, check=True, backup_plans=TWO_PLANS)
    assert check.mutating_calls == []
    assert item_outcomes(check, PLAN_TASK) == {"hybridcloud": "changed", "files": "skipped"}
    assert item_outcomes(check, SELECTION_TASK) == {"hybridcloud": "skipped", "files": "changed"}
    assert check.changed == 2, [task["name"] for task in check.tasks if task["changed"]]
    assert check.task("facts")["result"]["msg"]["backup_plan_ids"] == ids
    assert backup.list_tags(ResourceArn=plan_arn)["Tags"] == {"Project": "hybridcloud", "Owner": "someone"}

    repair = converge(playbook, backup_plans=TWO_PLANS)
    assert item_outcomes(repair, PLAN_TASK) == {"hybridcloud": "changed", "files": "skipped"}
    assert item_outcomes(repair, SELECTION_TASK) == {"hybridcloud": "skipped", "files": "changed"}
    assert plan_ids(backup) == ids
    assert backup.list_tags(ResourceArn=plan_arn)["Tags"] == TAGS
    assert selection_of(backup, ids["files"])["Resources"] == RESOURCE_ARNS
    assert selection_of(backup, ids["files"])["Conditions"]["StringEquals"] == [{"ConditionKey": "aws:ResourceTag/Backup", "ConditionValue": "files"}]
    assert repair.task("facts")["result"]["msg"]["backup_plan_ids"] == ids

    again = converge(playbook, backup_plans=TWO_PLANS)
    assert again.changed == 0, [task["name"] for task in again.tasks if task["changed"]]
    assert again.mutating_calls == []


# The files plan as AWS holds it after its rule's retention was cut to 7 days: the drift is made by converging with
# that rule first, so the plan in AWS is one the role itself wrote.
TWO_PLANS_FILES_DRIFTED = [TWO_PLANS[0], {**FILES_PLAN, "rules": [{**FILES_PLAN["rules"][0], "delete_after_days": 7}]}]


def test_rule_drift_found_in_check_mode(playbook, backup):
    """A plan whose rule differs from the wanted one in AWS: check mode reports that plan only, writes nothing and
    hands on the plan ids."""
    converge(playbook, backup_plans=TWO_PLANS_FILES_DRIFTED)
    ids = plan_ids(backup)
    [rule] = backup.get_backup_plan(BackupPlanId=ids["files"])["BackupPlan"]["Rules"]
    assert rule["Lifecycle"] == {"DeleteAfterDays": 7} and rule["CopyActions"][0]["Lifecycle"] == {"DeleteAfterDays": 7}

    check = converge(playbook, check=True, backup_plans=TWO_PLANS)
    assert check.mutating_calls == []
    assert item_outcomes(check, PLAN_TASK) == {"hybridcloud": "skipped", "files": "changed"}
    assert item_outcomes(check, SELECTION_TASK) == {"hybridcloud": "skipped", "files": "skipped"}
    assert check.changed == 1, [task["name"] for task in check.tasks if task["changed"]]
    assert check.task("facts")["result"]["msg"]["backup_plan_ids"] == ids


def test_rule_drift_repaired(playbook, backup):
    converge(playbook, backup_plans=TWO_PLANS_FILES_DRIFTED)
    ids = plan_ids(backup)
    repair = playbook(ROLE, extra_vars={**EXTRA_VARS, "backup_plans": TWO_PLANS})
    assert repair.failed == 0, repair.output
    [rule] = backup.get_backup_plan(BackupPlanId=ids["files"])["BackupPlan"]["Rules"]
    assert rule["Lifecycle"] == {"DeleteAfterDays": 14} and rule["CopyActions"][0]["Lifecycle"] == {"DeleteAfterDays": 14}
    assert converge(playbook, backup_plans=TWO_PLANS).changed == 0


def test_check_mode_with_a_plan_to_create_skips_its_selection(playbook, backup):
    """Vaults exist, the plan does not (deleted out of band): check mode predicts the plan, hands on a null id for it
    and skips its selection instead of failing on the missing plan; nothing is written."""
    converge(playbook)
    [plan_id] = plan_ids(backup).values()
    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=selection_of_id(backup, plan_id))
    backup.delete_backup_plan(BackupPlanId=plan_id)

    check = converge(playbook, check=True)
    assert check.mutating_calls == []
    assert item_outcomes(check, PLAN_TASK) == {"hybridcloud": "changed"}
    assert item_outcomes(check, SELECTION_TASK) == {"hybridcloud": "skipped"}
    assert check.task("facts")["result"]["msg"]["backup_plan_ids"] == {"hybridcloud": None}
    assert backup.list_backup_plans()["BackupPlansList"] == []


def test_lock_settings_and_drift_repaired(playbook, backup, aws):
    """A maximum and an exempt principal are applied to both vaults; a policy deleted and a lock removed out of band
    are found by check mode (no write) and put back by the next run."""
    exempt = ["arn:aws:iam::123456789012:role/backup-break-glass"]
    settings = {"backup_vault_lock_max_retention_days": 400, "backup_vault_deny_delete_exempt_principal_arns": exempt}
    converge(playbook, **settings)
    dr = aws("backup", region=DR_REGION)
    for client, name in ((backup, "hybridcloud"), (dr, "hybridcloud-dr")):
        assert client.describe_backup_vault(BackupVaultName=name)["MaxRetentionDays"] == 400
        [statement] = json.loads(client.get_backup_vault_access_policy(BackupVaultName=name)["Policy"])["Statement"]
        assert statement["Condition"] == {"ArnNotLike": {"aws:PrincipalArn": exempt}}

    dr.delete_backup_vault_access_policy(BackupVaultName="hybridcloud-dr")
    backup.delete_backup_vault_lock_configuration(BackupVaultName="hybridcloud")
    check = converge(playbook, check=True, **settings)
    assert check.mutating_calls == []
    assert check.changed == 2, [task["name"] for task in check.tasks if task["changed"]]
    assert not backup.describe_backup_vault(BackupVaultName="hybridcloud").get("Locked")

    repair = converge(playbook, **settings)
    assert sorted(call["operation"] for call in repair.mutating_calls) == ["PutBackupVaultAccessPolicy", "PutBackupVaultLockConfiguration"]
    assert backup.describe_backup_vault(BackupVaultName="hybridcloud")["Locked"] is True
    assert dr.get_backup_vault_access_policy(BackupVaultName="hybridcloud-dr")["Policy"]
    assert converge(playbook, **settings).mutating_calls == []


def test_drift_is_repaired_by_exactly_the_writes_that_differ(playbook, backup, aws):
    """By hand: a tag of the DR vault removed, the service role's description changed, the primary vault's policy
    deleted. Check mode predicts exactly those three writes (and makes none); the run makes exactly those."""
    facts = converge(playbook).task("facts")["result"]["msg"]
    dr, iam = aws("backup", region=DR_REGION), aws("iam")
    dr.untag_resource(ResourceArn=facts["backup_dr_vault_arn"], TagKeyList=["Environment"])
    iam.update_role(RoleName="hybridcloud-backup", Description="changed by hand")
    backup.delete_backup_vault_access_policy(BackupVaultName="hybridcloud")
    expected = ["amazon.aws.backup_vault", "amazon.aws.iam_role", "hybridcloud.aws.backup_vault_policy"]

    planned = converge(playbook, check=True)
    assert planned.mutating_calls == []
    assert write_modules_run(planned) == expected
    assert sorted(task["name"] for task in planned.tasks if task["changed"]) == [
        "hybridcloud.aws.backup : Ensure the AWS Backup service role",
        "hybridcloud.aws.backup : Ensure the deny-delete access policy in the primary region",
        "hybridcloud.aws.backup : Ensure the vault in the DR region",
    ]
    assert dr.list_tags(ResourceArn=facts["backup_dr_vault_arn"])["Tags"] == {"Project": "hybridcloud"}

    repaired = converge(playbook)
    assert write_modules_run(repaired) == expected
    assert dr.list_tags(ResourceArn=facts["backup_dr_vault_arn"])["Tags"] == TAGS
    assert iam.get_role(RoleName="hybridcloud-backup")["Role"]["Description"].startswith("Role AWS Backup assumes")
    [statement] = json.loads(backup.get_backup_vault_access_policy(BackupVaultName="hybridcloud")["Policy"])["Statement"]
    assert statement["Action"] == ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"]
    assert repaired.task("facts")["result"]["msg"] == facts
    assert write_modules_run(converge(playbook)) == []
