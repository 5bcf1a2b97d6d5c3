"""input_problems for hybridcloud.aws.backup's vault lock and deny-delete policy (input_checks.py): the lock's ranges,
every rule's retention inside them, the exempt principals' ARNs."""

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.input_problems import FilterModule

input_problems = FilterModule().filters()["input_problems"]

BACKUP = {
    "backup_vault_name": "hybridcloud",
    "backup_dr_vault_name": "hybridcloud-dr",
    "backup_kms_key_arn": "",
    "backup_dr_kms_key_arn": "",
    "backup_region": "us-east-1",
    "backup_dr_region": "us-west-2",
    "backup_service_role_name": "hybridcloud-backup",
    "backup_plans": [
        {
            "name": "hybridcloud",
            "selection_tags": {"Backup": "hybridcloud"},
            "rules": [
                {"name": "daily", "schedule": "cron(0 3 ? * * *)", "delete_after_days": 35},
                {"name": "monthly", "schedule": "cron(0 5 1 * ? *)", "delete_after_days": 400},
            ],
        }
    ],
    "backup_vault_lock_enabled": True,
    "backup_vault_lock_min_retention_days": 7,
    "backup_vault_lock_max_retention_days": None,
    "backup_vault_lock_changeable_for_days": None,
    "backup_vault_deny_delete_policy_enabled": True,
    "backup_vault_deny_delete_exempt_principal_arns": [],
}


def test_the_defaults_pass():
    assert input_problems(BACKUP, "backup") == []
    assert input_problems(dict(BACKUP, backup_vault_lock_max_retention_days=400, backup_vault_lock_changeable_for_days=3), "backup") == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"backup_vault_lock_min_retention_days": 36}, "rules[daily].delete_after_days: 35 is below backup_vault_lock_min_retention_days (36)"),
        ({"backup_vault_lock_max_retention_days": 399}, "rules[monthly].delete_after_days: 400 is above backup_vault_lock_max_retention_days (399)"),
        ({"backup_vault_lock_min_retention_days": 0}, "backup_vault_lock_min_retention_days: 0 must be 1 to 36500"),
        ({"backup_vault_lock_min_retention_days": 30, "backup_vault_lock_max_retention_days": 20}, "backup_vault_lock_min_retention_days (30) must be at most"),
        ({"backup_vault_lock_changeable_for_days": 2}, "backup_vault_lock_changeable_for_days: 2 must be 3 to 36500"),
        ({"backup_vault_deny_delete_exempt_principal_arns": ["break-glass"]}, "exempt_principal_arns[0]: 'break-glass' must be an IAM principal ARN"),
    ],
)
def test_each_problem_is_named(changes, problem):
    problems = input_problems(dict(BACKUP, **changes), "backup")
    assert any(problem in found for found in problems), problems


def test_disabled_lock_is_not_checked():
    assert input_problems(dict(BACKUP, backup_vault_lock_enabled=False, backup_vault_lock_min_retention_days=500), "backup") == []


def test_exempt_principal_patterns_pass():
    arns = ["arn:aws:iam::123456789012:role/backup-break-glass", "arn:aws:iam::123456789012:role/admin-*", "arn:aws:sts::123456789012:assumed-role/x/y"]
    assert input_problems(dict(BACKUP, backup_vault_deny_delete_exempt_principal_arns=arns), "backup") == []
