"""hybridcloud.aws.backup_vault_lock and backup_vault_policy against the emulator: check mode writes nothing, the lock
and the policy are read back with DescribeBackupVault and GetBackupVaultAccessPolicy, a second run is a no-op, a
compliance lock is set only when asked for, and removal works."""

import json

import pytest

VAULT = "lab-guarded"
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyRecoveryPointDeletion",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
            "Resource": "*",
        }
    ],
}


@pytest.fixture
def backup(aws):
    client = aws("backup")
    client.create_backup_vault(BackupVaultName=VAULT)
    return client


def lock_task(**options):
    return [{"name": "lock", "hybridcloud.aws.backup_vault_lock": {"backup_vault_name": VAULT, **options}}]


def policy_task(**options):
    return [{"name": "policy", "hybridcloud.aws.backup_vault_policy": {"backup_vault_name": VAULT, **options}}]


def test_lock_check_mode_converge_and_no_op(backup, playbook):
    check = playbook(lock_task(min_retention_days=7, max_retention_days=400), check=True, diff=True)
    assert check.failed == 0, check.output
    assert check.task("lock")["changed"] is True and check.mutating_calls == []
    assert not backup.describe_backup_vault(BackupVaultName=VAULT).get("Locked")

    first = playbook(lock_task(min_retention_days=7, max_retention_days=400))
    assert first.changed == 1, first.output
    assert [call["operation"] for call in first.mutating_calls] == ["PutBackupVaultLockConfiguration"]
    vault = backup.describe_backup_vault(BackupVaultName=VAULT)
    assert (vault["Locked"], vault["MinRetentionDays"], vault["MaxRetentionDays"], "LockDate" in vault) == (True, 7, 400, False)
    assert first.task("lock")["result"]["vault_lock"]["mode"] == "governance"

    second = playbook(lock_task(min_retention_days=7, max_retention_days=400))
    assert second.changed == 0 and second.mutating_calls == [], second.output

    removed = playbook(lock_task(state="absent"))
    assert removed.changed == 1, removed.output
    assert not backup.describe_backup_vault(BackupVaultName=VAULT).get("Locked")


def test_compliance_lock_only_with_changeable_for_days(backup, playbook):
    result = playbook(lock_task(min_retention_days=7, changeable_for_days=3))
    assert result.changed == 1, result.output
    vault = backup.describe_backup_vault(BackupVaultName=VAULT)
    assert vault["Locked"] is True and (vault["LockDate"] - vault["CreationDate"]).days >= 2
    assert result.task("lock")["result"]["vault_lock"]["mode"] == "compliance"
    again = playbook(lock_task(min_retention_days=7, changeable_for_days=3))
    assert again.changed == 0 and again.mutating_calls == [], again.output


def test_lock_on_a_missing_vault_fails(aws, playbook):
    result = playbook([{"name": "lock", "hybridcloud.aws.backup_vault_lock": {"backup_vault_name": "lab-none", "min_retention_days": 7}}])
    assert result.failed == 1
    assert "does not exist" in result.task("lock")["result"]["msg"]
    assert result.mutating_calls == []


def test_policy_check_mode_converge_no_op_and_removal(backup, playbook):
    check = playbook(policy_task(policy=POLICY), check=True)
    assert check.failed == 0, check.output
    assert check.task("policy")["changed"] is True and check.mutating_calls == []

    first = playbook(policy_task(policy=POLICY))
    assert first.changed == 1, first.output
    assert [call["operation"] for call in first.mutating_calls] == ["PutBackupVaultAccessPolicy"]
    assert json.loads(backup.get_backup_vault_access_policy(BackupVaultName=VAULT)["Policy"]) == POLICY

    # The same policy as indented JSON text with its keys in another order is no change.
    reordered = {"Statement": [dict(reversed(list(POLICY["Statement"][0].items())))], "Version": "2012-10-17"}
    second = playbook(policy_task(policy=json.dumps(reordered, indent=2)))
    assert second.changed == 0 and second.mutating_calls == [], second.output

    removed = playbook(policy_task(state="absent"))
    assert removed.changed == 1, removed.output
    assert [call["operation"] for call in removed.mutating_calls] == ["DeleteBackupVaultAccessPolicy"]
    with pytest.raises(backup.exceptions.ResourceNotFoundException):
        backup.get_backup_vault_access_policy(BackupVaultName=VAULT)
