"""hybridcloud.aws.backup_vault_lock against the botocore Stubber: governance and compliance locks, the no-op, the
refusal to touch an immutable lock, check mode and a missing vault."""

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import backup_vault_lock as module

NAME = "hybridcloud"
ARN = f"arn:aws:backup:us-east-1:123456789012:backup-vault:{NAME}"
VAULT = {"BackupVaultName": NAME, "BackupVaultArn": ARN, "CreationDate": datetime(2026, 1, 1, tzinfo=timezone.utc), "NumberOfRecoveryPoints": 0}
DESCRIBE = {"BackupVaultName": NAME}


@pytest.fixture
def backup(module_run):
    return module_run("backup")


def expect_vault(backup, **lock):
    backup.stubber.add_response("describe_backup_vault", dict(VAULT, **lock), DESCRIBE)


def governance(min_days=7, max_days=None):
    lock = {"Locked": True, "MinRetentionDays": min_days}
    return dict(lock, MaxRetentionDays=max_days) if max_days else lock


def test_locks_an_unlocked_vault_in_governance_mode(backup):
    expect_vault(backup)
    backup.stubber.add_response("put_backup_vault_lock_configuration", {}, {"BackupVaultName": NAME, "MinRetentionDays": 7, "MaxRetentionDays": 400})
    expect_vault(backup, **governance(7, 400))
    result = backup(module.main, {"backup_vault_name": NAME, "min_retention_days": 7, "max_retention_days": 400}, diff=True)
    assert result["changed"] is True
    assert result["vault_lock"] == {"locked": True, "mode": "governance", "min_retention_days": 7, "max_retention_days": 400, "lock_date": None}
    assert result["diff"]["before"]["locked"] is False
    assert result["backup_vault_arn"] == ARN


def test_same_lock_is_a_no_op(backup):
    expect_vault(backup, **governance(7))
    result = backup(module.main, {"backup_vault_name": NAME, "min_retention_days": 7})
    assert result["changed"] is False
    assert result["vault_lock"]["min_retention_days"] == 7


def test_compliance_lock_in_its_grace_time_is_not_put_again(backup):
    expect_vault(backup, **governance(7), LockDate=datetime.now(timezone.utc) + timedelta(days=2))
    result = backup(module.main, {"backup_vault_name": NAME, "min_retention_days": 7, "changeable_for_days": 3})
    assert result["changed"] is False
    assert result["vault_lock"]["mode"] == "compliance"


def test_compliance_lock_sends_changeable_for_days(backup):
    expect_vault(backup, **governance(7))
    backup.stubber.add_response("put_backup_vault_lock_configuration", {}, {"BackupVaultName": NAME, "MinRetentionDays": 7, "ChangeableForDays": 3})
    expect_vault(backup, **governance(7), LockDate=datetime.now(timezone.utc) + timedelta(days=3))
    result = backup(module.main, {"backup_vault_name": NAME, "min_retention_days": 7, "changeable_for_days": 3})
    assert result["changed"] is True
    assert result["vault_lock"]["mode"] == "compliance" and result["vault_lock"]["lock_date"]


def test_check_mode_makes_no_write(backup):
    expect_vault(backup)
    result = backup(module.main, {"backup_vault_name": NAME, "min_retention_days": 7}, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["vault_lock"]["locked"] is True
    assert result["diff"]["after"]["min_retention_days"] == 7


def test_immutable_lock_is_refused_without_a_call(backup):
    past = datetime.now(timezone.utc) - timedelta(days=1)
    expect_vault(backup, **governance(7), LockDate=past)
    result = backup(module.main, {"backup_vault_name": NAME, "min_retention_days": 14, "changeable_for_days": 3})
    assert result["failed"] is True
    assert "immutable" in result["msg"]
    expect_vault(backup, **governance(7), LockDate=past)
    result = backup(module.main, {"backup_vault_name": NAME, "state": "absent"})
    assert result["failed"] is True and "immutable" in result["msg"]


def test_immutable_lock_asked_for_as_it_is_is_ok(backup):
    expect_vault(backup, **governance(7), LockDate=datetime.now(timezone.utc) - timedelta(days=1))
    result = backup(module.main, {"backup_vault_name": NAME, "min_retention_days": 7, "changeable_for_days": 3})
    assert result["changed"] is False


def test_removes_a_governance_lock(backup):
    expect_vault(backup, **governance(7))
    backup.stubber.add_response("delete_backup_vault_lock_configuration", {}, DESCRIBE)
    expect_vault(backup)
    result = backup(module.main, {"backup_vault_name": NAME, "state": "absent"})
    assert result["changed"] is True and result["vault_lock"]["locked"] is False


def test_absent_without_lock_is_a_no_op(backup):
    expect_vault(backup, Locked=False)
    assert backup(module.main, {"backup_vault_name": NAME, "state": "absent"})["changed"] is False


def test_missing_vault_fails(backup):
    backup.stubber.add_client_error("describe_backup_vault", "AccessDeniedException", http_status_code=403, expected_params=DESCRIBE)
    result = backup(module.main, {"backup_vault_name": NAME, "min_retention_days": 7})
    assert result["failed"] is True and "does not exist" in result["msg"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"min_retention_days": 0}, "min_retention_days must be between 1 and 36500"),
        ({"min_retention_days": 30, "max_retention_days": 7}, "min_retention_days (30) must be at most max_retention_days (7)"),
        ({"min_retention_days": 7, "changeable_for_days": 2}, "changeable_for_days must be between 3 and 36500"),
        ({}, "min_retention_days"),
    ],
)
def test_bad_input_fails_before_any_call(backup, args, message):
    result = backup(module.main, {"backup_vault_name": NAME, **args})
    assert result["failed"] is True and message in result["msg"]
