"""AWS Backup vault access policies (extensions/backup_vault_policy.py) and vault locks (moto's own) as botocore's
backup model and AWS's documented errors describe them."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "backup:DeleteRecoveryPoint", "Resource": "*"}],
}


@pytest.fixture
def backup(client):
    return client("backup")


def error_of(raised):
    return raised.value.response["Error"]["Code"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_policy_put_get_delete(backup):
    vault_arn = backup.create_backup_vault(BackupVaultName="lab-vault")["BackupVaultArn"]
    with pytest.raises(ClientError) as raised:
        backup.get_backup_vault_access_policy(BackupVaultName="lab-vault")
    assert error_of(raised) == ("ResourceNotFoundException", 400)

    backup.put_backup_vault_access_policy(BackupVaultName="lab-vault", Policy=json.dumps(POLICY))
    answer = backup.get_backup_vault_access_policy(BackupVaultName="lab-vault")
    assert (answer["BackupVaultName"], answer["BackupVaultArn"], json.loads(answer["Policy"])) == ("lab-vault", vault_arn, POLICY)

    backup.delete_backup_vault_access_policy(BackupVaultName="lab-vault")
    with pytest.raises(ClientError) as raised:
        backup.get_backup_vault_access_policy(BackupVaultName="lab-vault")
    assert error_of(raised) == ("ResourceNotFoundException", 400)
    with pytest.raises(ClientError) as raised:
        backup.delete_backup_vault_access_policy(BackupVaultName="lab-vault")
    assert error_of(raised) == ("ResourceNotFoundException", 400)


def test_policy_of_a_missing_vault_and_bad_policies(backup):
    for call in (
        lambda: backup.put_backup_vault_access_policy(BackupVaultName="lab-none", Policy=json.dumps(POLICY)),
        lambda: backup.get_backup_vault_access_policy(BackupVaultName="lab-none"),
        lambda: backup.delete_backup_vault_access_policy(BackupVaultName="lab-none"),
    ):
        with pytest.raises(ClientError) as raised:
            call()
        assert error_of(raised) == ("ResourceNotFoundException", 400)

    backup.create_backup_vault(BackupVaultName="lab-vault")
    for bad in ("not json", json.dumps({"Version": "2012-10-17"})):
        with pytest.raises(ClientError) as raised:
            backup.put_backup_vault_access_policy(BackupVaultName="lab-vault", Policy=bad)
        assert error_of(raised) == ("InvalidParameterValueException", 400)
    with pytest.raises(ClientError) as raised:
        backup.put_backup_vault_access_policy(BackupVaultName="lab-vault")
    assert error_of(raised) == ("MissingParameterValueException", 400)


def test_deleting_the_vault_drops_its_policy(backup):
    backup.create_backup_vault(BackupVaultName="lab-vault")
    backup.put_backup_vault_access_policy(BackupVaultName="lab-vault", Policy=json.dumps(POLICY))
    backup.delete_backup_vault(BackupVaultName="lab-vault")
    backup.create_backup_vault(BackupVaultName="lab-vault")
    with pytest.raises(ClientError) as raised:
        backup.get_backup_vault_access_policy(BackupVaultName="lab-vault")
    assert error_of(raised) == ("ResourceNotFoundException", 400)


def test_vault_lock_is_described(backup):
    """DescribeBackupVault reports a governance lock (no LockDate) and a compliance lock (LockDate after the grace
    time), and a governance lock can be removed."""
    backup.create_backup_vault(BackupVaultName="lab-vault")
    assert backup.describe_backup_vault(BackupVaultName="lab-vault").get("Locked") in (None, False)
    backup.put_backup_vault_lock_configuration(BackupVaultName="lab-vault", MinRetentionDays=7, MaxRetentionDays=400)
    vault = backup.describe_backup_vault(BackupVaultName="lab-vault")
    assert (vault["Locked"], vault["MinRetentionDays"], vault["MaxRetentionDays"], "LockDate" in vault) == (True, 7, 400, False)
    backup.delete_backup_vault_lock_configuration(BackupVaultName="lab-vault")
    assert backup.describe_backup_vault(BackupVaultName="lab-vault").get("Locked") in (None, False)

    backup.put_backup_vault_lock_configuration(BackupVaultName="lab-vault", MinRetentionDays=7, ChangeableForDays=3)
    vault = backup.describe_backup_vault(BackupVaultName="lab-vault")
    assert vault["Locked"] is True and (vault["LockDate"] - vault["CreationDate"]).days >= 2
