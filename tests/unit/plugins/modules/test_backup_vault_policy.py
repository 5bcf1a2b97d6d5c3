"""hybridcloud.aws.backup_vault_policy against the botocore Stubber: policies compared as policies, put, delete,
check mode and a missing vault."""

import json
from datetime import datetime, timezone

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import backup_vault_policy as module

NAME = "hybridcloud"
ARN = f"arn:aws:backup:us-east-1:123456789012:backup-vault:{NAME}"
VAULT = {"BackupVaultName": NAME, "BackupVaultArn": ARN, "CreationDate": datetime(2026, 1, 1, tzinfo=timezone.utc)}
BY_NAME = {"BackupVaultName": NAME}
POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": ["backup:DeleteRecoveryPoint"], "Resource": "*"}],
}


@pytest.fixture
def backup(module_run):
    return module_run("backup")


def expect_vault(backup):
    backup.stubber.add_response("describe_backup_vault", VAULT, BY_NAME)


def expect_policy(backup, policy):
    if policy is None:
        backup.stubber.add_client_error("get_backup_vault_access_policy", "ResourceNotFoundException", expected_params=BY_NAME)
    else:
        backup.stubber.add_response("get_backup_vault_access_policy", {"BackupVaultName": NAME, "BackupVaultArn": ARN, "Policy": policy}, BY_NAME)


def test_puts_a_missing_policy(backup):
    expect_vault(backup)
    expect_policy(backup, None)
    backup.stubber.add_response("put_backup_vault_access_policy", {}, {"BackupVaultName": NAME, "Policy": json.dumps(POLICY, sort_keys=True)})
    expect_policy(backup, json.dumps(POLICY))
    result = backup(module.main, {"backup_vault_name": NAME, "policy": POLICY}, diff=True)
    assert result["changed"] is True
    assert result["policy"] == POLICY
    assert result["diff"] == {"before": {}, "after": POLICY}


def test_same_policy_in_another_form_is_a_no_op(backup):
    """Key order, formatting and a single action as a string instead of a list: no change."""
    stored = '{"Statement":[{"Resource":"*","Action":"backup:DeleteRecoveryPoint","Principal":{"AWS":"*"},"Effect":"Deny"}],"Version":"2012-10-17"}'
    expect_vault(backup)
    expect_policy(backup, stored)
    result = backup(module.main, {"backup_vault_name": NAME, "policy": json.dumps(POLICY, indent=2)})
    assert result["changed"] is False


def test_different_policy_is_replaced(backup):
    other = {"Version": "2012-10-17", "Statement": [dict(POLICY["Statement"][0], Action="backup:UpdateRecoveryPointLifecycle")]}
    expect_vault(backup)
    expect_policy(backup, json.dumps(other))
    backup.stubber.add_response("put_backup_vault_access_policy", {}, {"BackupVaultName": NAME, "Policy": json.dumps(POLICY, sort_keys=True)})
    expect_policy(backup, json.dumps(POLICY))
    result = backup(module.main, {"backup_vault_name": NAME, "policy": POLICY}, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == other


def test_check_mode_makes_no_write(backup):
    expect_vault(backup)
    expect_policy(backup, None)
    result = backup(module.main, {"backup_vault_name": NAME, "policy": POLICY}, check_mode=True)
    assert result["changed"] is True and result["policy"] == POLICY


def test_absent_deletes_the_policy(backup):
    expect_vault(backup)
    expect_policy(backup, json.dumps(POLICY))
    backup.stubber.add_response("delete_backup_vault_access_policy", {}, BY_NAME)
    expect_policy(backup, None)
    result = backup(module.main, {"backup_vault_name": NAME, "state": "absent"})
    assert result["changed"] is True and result["policy"] is None


def test_absent_without_policy_is_a_no_op(backup):
    expect_vault(backup)
    expect_policy(backup, None)
    assert backup(module.main, {"backup_vault_name": NAME, "state": "absent"})["changed"] is False


def test_missing_vault_fails(backup):
    backup.stubber.add_client_error("describe_backup_vault", "AccessDeniedException", http_status_code=403, expected_params=BY_NAME)
    result = backup(module.main, {"backup_vault_name": NAME, "policy": POLICY})
    assert result["failed"] is True and "does not exist" in result["msg"]


@pytest.mark.parametrize("policy", ["not json", json.dumps({"Version": "2012-10-17"})])
def test_bad_policy_fails_before_any_call(backup, policy):
    result = backup(module.main, {"backup_vault_name": NAME, "policy": policy})
    assert result["failed"] is True and "policy" in result["msg"]
