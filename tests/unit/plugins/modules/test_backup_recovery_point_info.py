"""hybridcloud.aws.backup_recovery_point_info against the botocore Stubber: every page, newest first, dates as ISO
texts, the filters sent, and a vault that does not exist."""

from datetime import datetime, timezone

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import backup_recovery_point_info as module

VAULT = "hybridcloud-dr"
VAULT_ARN = f"arn:aws:backup:us-east-1:123456789012:backup-vault:{VAULT}"
DB = "arn:aws:rds:eu-central-1:123456789012:db:hybridcloud-postgres"


@pytest.fixture
def backup(module_run):
    return module_run("backup")


def point(arn, day):
    return {
        "RecoveryPointArn": arn,
        "BackupVaultName": VAULT,
        "BackupVaultArn": VAULT_ARN,
        "ResourceArn": DB,
        "ResourceType": "RDS",
        "Status": "COMPLETED",
        "CreationDate": datetime(2026, 12, day, 3, 0, tzinfo=timezone.utc),
    }


def test_every_page_newest_first_with_iso_dates(backup):
    backup.stubber.add_response("list_recovery_points_by_backup_vault", {"RecoveryPoints": [point("rp-1", 1)], "NextToken": "t"}, {"BackupVaultName": VAULT})
    backup.stubber.add_response(
        "list_recovery_points_by_backup_vault", {"RecoveryPoints": [point("rp-3", 3), point("rp-2", 2)]}, {"BackupVaultName": VAULT, "NextToken": "t"}
    )
    result = backup(module.main, {"backup_vault_name": VAULT})
    assert (result["changed"], result["vault_found"]) == (False, True)
    assert [p["recovery_point_arn"] for p in result["recovery_points"]] == ["rp-3", "rp-2", "rp-1"]
    assert result["recovery_points"][0]["creation_date"] == "2026-12-03T03:00:00+00:00"
    assert result["recovery_points"][0]["resource_type"] == "RDS"


def test_filters_are_sent(backup):
    backup.stubber.add_response(
        "list_recovery_points_by_backup_vault", {"RecoveryPoints": []}, {"BackupVaultName": VAULT, "ByResourceArn": DB, "ByResourceType": "RDS"}
    )
    result = backup(module.main, {"backup_vault_name": VAULT, "resource_arn": DB, "resource_type": "RDS"}, check_mode=True)
    assert (result["vault_found"], result["recovery_points"]) == (True, [])


def test_a_vault_that_does_not_exist_gives_nothing(backup):
    backup.stubber.add_client_error("list_recovery_points_by_backup_vault", "AccessDeniedException", http_status_code=403)
    result = backup(module.main, {"backup_vault_name": VAULT})
    assert (result["rc"], result["vault_found"], result["recovery_points"]) == (0, False, [])


def test_other_errors_fail(backup):
    backup.stubber.add_client_error("list_recovery_points_by_backup_vault", "InvalidParameterValueException", http_status_code=400)
    result = backup(module.main, {"backup_vault_name": VAULT})
    assert result["rc"] == 1
    assert "Failed to list the recovery points of backup vault hybridcloud-dr" in result["msg"]
