"""module_utils/backup.py: the deny-delete vault access policy, what a policy denies every principal, and the vault
lock decisions (differences, immutability)."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import DENY_DELETE_ACTIONS
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import deny_delete_policy
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import lock_differences
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import lock_immutable
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import policy_denied_actions

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)


def deny(action, principal=None, **extra):
    statement = {"Effect": "Deny", "Principal": principal or {"AWS": "*"}, "Action": action, "Resource": "*", **extra}
    return {"Version": "2012-10-17", "Statement": [statement]}


def test_deny_delete_policy_denies_both_actions_to_everyone():
    policy = deny_delete_policy()
    [statement] = policy["Statement"]
    assert statement["Principal"] == {"AWS": "*"} and "Condition" not in statement
    assert policy_denied_actions(policy) == sorted(DENY_DELETE_ACTIONS)
    assert policy_denied_actions(json.dumps(policy)) == sorted(DENY_DELETE_ACTIONS)


def test_exemptions_become_a_condition_that_does_not_count_as_full_protection():
    policy = deny_delete_policy(["arn:aws:iam::123456789012:role/break-glass"])
    assert policy["Statement"][0]["Condition"] == {"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::123456789012:role/break-glass"]}}
    assert policy_denied_actions(policy) == []


@pytest.mark.parametrize(
    ("policy", "denied"),
    [
        (None, []),
        (deny("backup:*"), sorted(DENY_DELETE_ACTIONS)),
        (deny("backup:Delete*"), ["backup:DeleteRecoveryPoint"]),
        (deny("backup:deleterecoverypoint", principal="*"), ["backup:DeleteRecoveryPoint"]),
        (deny("backup:DeleteRecoveryPoint", principal={"AWS": "arn:aws:iam::123456789012:root"}), []),
        ({"Statement": [dict(deny("backup:*")["Statement"][0], Effect="Allow")]}, []),
        ({"Statement": [dict(deny("backup:*")["Statement"][0], Resource="arn:aws:backup:us-east-1:1:recovery-point:x")]}, []),
    ],
)
def test_policy_denied_actions(policy, denied):
    assert policy_denied_actions(policy) == denied


def test_lock_differences():
    unlocked = {"BackupVaultName": "v"}
    governance = {"Locked": True, "MinRetentionDays": 7}
    compliance = dict(governance, LockDate=NOW)
    assert lock_differences(unlocked, 7, None, None) == ["lock"]
    assert lock_differences(governance, 7, None, None) == []
    assert lock_differences(governance, 14, 400, None) == ["min_retention_days", "max_retention_days"]
    assert lock_differences(governance, 7, None, 3) == ["mode"]
    assert lock_differences(compliance, 7, None, 30) == []
    assert lock_differences(compliance, 7, None, None) == ["mode"]


def test_lock_immutable_after_the_lock_date_only():
    assert lock_immutable({"Locked": True, "LockDate": NOW}, now=NOW + timedelta(seconds=1))
    assert not lock_immutable({"Locked": True, "LockDate": NOW}, now=NOW - timedelta(seconds=1))
    assert lock_immutable({"Locked": True, "LockDate": NOW.timestamp()}, now=NOW)
    assert not lock_immutable({"Locked": True}, now=NOW)
    assert not lock_immutable({"Locked": False, "LockDate": NOW}, now=NOW)


def test_the_filter_builds_the_same_policy():
    from ansible_collections.hybridcloud.aws.plugins.filter.backup_vault_deny_delete_policy import FilterModule

    build = FilterModule().filters()["backup_vault_deny_delete_policy"]
    assert build(None) == build([]) == deny_delete_policy()
    assert build(["arn:aws:iam::123456789012:role/x"]) == deny_delete_policy(["arn:aws:iam::123456789012:role/x"])
