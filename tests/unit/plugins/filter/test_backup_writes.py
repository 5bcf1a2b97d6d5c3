"""backup_writes: which write modules the backup role must run, from one read of its layer (backup_layer_info). The
converged layer below is what the role's read returns after its first run (plans and selections in the shapes
backup_plan_info and backup_selection_info return)."""

import copy

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.backup_plan_rules import backup_plan_rules
from ansible_collections.hybridcloud.aws.plugins.filter.backup_writes import FilterModule
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import deny_delete_policy

writes = FilterModule().filters()["backup_writes"]

ACCOUNT = "123456789012"
DR_VAULT_ARN = f"arn:aws:backup:us-west-2:{ACCOUNT}:backup-vault:hybridcloud-dr"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/hybridcloud-backup"
TAGS = {"Project": "hybridcloud", "Environment": "lab"}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "backup.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
        }
    ],
}
POLICIES = ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup", "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup"]
DAILY = {"name": "daily", "schedule": "cron(0 3 ? * * *)", "delete_after_days": 35}
NIGHTLY = {"name": "nightly", "schedule": "cron(0 1 ? * * *)", "delete_after_days": 14}
PLANS = [
    {"name": "hybridcloud", "selection_tags": {"Backup": "hybridcloud"}, "rules": [DAILY]},
    {"name": "files", "selection_tags": {"Backup": "files", "Tier": 1}, "rules": [NIGHTLY]},
]
RESOURCES = ["arn:aws:rds:*:*:db:*", "arn:aws:s3:::*"]
LOCK = {"min_retention_days": 7, "max_retention_days": None, "changeable_for_days": None}
WANTED = {
    "service_role": {"description": "Role AWS Backup assumes", "assume_role_policy_document": TRUST, "managed_policies": POLICIES, "tags": TAGS},
    "vault": {"tags": TAGS, "lock": LOCK, "policy": deny_delete_policy()},
    "dr_vault": {"tags": TAGS, "lock": LOCK, "policy": deny_delete_policy()},
    "plans": PLANS,
    "plan_rules": backup_plan_rules(PLANS, "hybridcloud", DR_VAULT_ARN),
    "plan_tags": TAGS,
    "selection": {"iam_role_arn": ROLE_ARN, "resources": RESOURCES},
}
NOTHING = {
    "service_role": [],
    "vault": [],
    "dr_vault": [],
    "vault_lock": [],
    "dr_vault_lock": [],
    "vault_policy": [],
    "dr_vault_policy": [],
    "plans": {"hybridcloud": [], "files": []},
    "selections": {"hybridcloud": [], "files": []},
}


def read_vault(name, region):
    return {
        "backup_vault_name": name,
        "backup_vault_arn": f"arn:aws:backup:{region}:{ACCOUNT}:backup-vault:{name}",
        "encryption_key_arn": f"arn:aws:kms:{region}:{ACCOUNT}:key/k",
        "tags": dict(TAGS),
        "locked": True,
        "min_retention_days": 7,
        "lock": {"locked": True, "mode": "governance", "min_retention_days": 7, "max_retention_days": None, "lock_date": None},
        # As GetBackupVaultAccessPolicy answers it: one action as listed, keys in another order.
        "access_policy": {
            "Statement": [
                {
                    "Resource": "*",
                    "Action": ["backup:UpdateRecoveryPointLifecycle", "backup:DeleteRecoveryPoint"],
                    "Principal": {"AWS": "*"},
                    "Effect": "Deny",
                    "Sid": "DenyRecoveryPointDeletion",
                }
            ],
            "Version": "2012-10-17",
        },
    }


def read_plan(plan, plan_id):
    """A plan as backup_layer_info returns it: backup_plan_info's shape, the rules as AWS answers them."""
    rules = []
    for rule in backup_plan_rules([plan], "hybridcloud", DR_VAULT_ARN)[plan["name"]]:
        rules.append({**rule, "rule_id": f"{plan_id}-{rule['rule_name']}", "schedule_expression_timezone": "Etc/UTC", "enable_continuous_backup": False})
    conditions = [{"condition_key": f"aws:ResourceTag/{key}", "condition_value": str(value)} for key, value in plan["selection_tags"].items()]
    return {
        "backup_plan_name": plan["name"],
        "backup_plan_id": plan_id,
        "backup_plan_arn": f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-plan:{plan_id}",
        "backup_plan": {"backup_plan_name": plan["name"], "rules": rules},
        "tags": dict(TAGS),
        "selections": [
            {
                "backup_plan_id": plan_id,
                "selection_id": f"{plan_id}-selection",
                "selection_name": f"{plan['name']}-tagged",
                "iam_role_arn": ROLE_ARN,
                "resources": list(RESOURCES),
                "list_of_tags": [],
                "not_resources": [],
                "conditions": {"string_equals": conditions, "string_like": [], "string_not_equals": [], "string_not_like": []},
            }
        ],
    }


CONVERGED = {
    "account": {"account_id": ACCOUNT, "partition": "aws", "arn": f"arn:aws:iam::{ACCOUNT}:user/deployer"},
    "vault": read_vault("hybridcloud", "us-east-1"),
    "dr_vault": read_vault("hybridcloud-dr", "us-west-2"),
    "backup_plans": [read_plan(PLANS[0], "p1"), read_plan(PLANS[1], "p2")],
    "service_role": {
        "arn": ROLE_ARN,
        "role_name": "hybridcloud-backup",
        "description": "Role AWS Backup assumes",
        # IAM answers a single statement's action as given; the account id as a string.
        "assume_role_policy_document": copy.deepcopy(TRUST),
        "tags": dict(TAGS),
        "managed_policy_arns": sorted(POLICIES),
        "inline_policies": {},
    },
    "kms_keys": [],
}

EMPTY = {"account": CONVERGED["account"], "vault": {}, "dr_vault": {}, "backup_plans": [], "service_role": {}, "kms_keys": []}


def layer(**changes):
    read = copy.deepcopy(CONVERGED)
    read.update(changes)
    return read


def test_converged_layer_needs_no_write():
    assert writes(CONVERGED, WANTED) == NOTHING


def test_empty_account_needs_every_write():
    assert writes(EMPTY, WANTED) == {
        "service_role": ["missing"],
        "vault": ["missing"],
        "dr_vault": ["missing"],
        "vault_lock": ["lock"],
        "dr_vault_lock": ["lock"],
        "vault_policy": ["policy"],
        "dr_vault_policy": ["policy"],
        "plans": {"hybridcloud": ["missing", "dr_vault"], "files": ["missing", "dr_vault"]},
        "selections": {"hybridcloud": ["missing"], "files": ["missing"]},
    }


def test_a_dr_vault_written_in_this_run_rewrites_the_plans_that_copy_to_it():
    result = writes(layer(dr_vault={}), WANTED)
    assert (result["dr_vault"], result["dr_vault_lock"], result["dr_vault_policy"]) == (["missing"], ["lock"], ["policy"])
    assert result["plans"] == {"hybridcloud": ["dr_vault"], "files": ["dr_vault"]}
    assert (result["vault"], result["selections"]) == ([], {"hybridcloud": [], "files": []})


@pytest.mark.parametrize(
    ("tags", "expected"),
    [({**TAGS, "Owner": "someone"}, ["tags"]), ({"Project": "hybridcloud"}, ["tags"]), ({**TAGS, "Environment": "prod"}, ["tags"]), (dict(TAGS), [])],
)
def test_vault_tags_compared_exactly(tags, expected):
    read = layer()
    read["dr_vault"]["tags"] = tags
    result = writes(read, WANTED)
    assert (result["vault"], result["dr_vault"]) == ([], expected)


def test_vault_tags_compared_as_text():
    wanted = copy.deepcopy(WANTED)
    wanted["vault"]["tags"] = {**TAGS, "Tier": 1}
    read = layer()
    read["vault"]["tags"]["Tier"] = "1"
    assert writes(read, wanted)["vault"] == []


@pytest.mark.parametrize(
    ("lock", "expected"),
    [
        ({"locked": False, "mode": None, "min_retention_days": None, "max_retention_days": None, "lock_date": None}, ["lock"]),
        ({"locked": True, "mode": "governance", "min_retention_days": 3, "max_retention_days": None, "lock_date": None}, ["min_retention_days"]),
        ({"locked": True, "mode": "governance", "min_retention_days": 7, "max_retention_days": 400, "lock_date": None}, ["max_retention_days"]),
        ({"locked": True, "mode": "compliance", "min_retention_days": 7, "max_retention_days": None, "lock_date": "2026-12-09T00:00:00+00:00"}, ["mode"]),
    ],
)
def test_lock_compared_as_backup_vault_lock_compares(lock, expected):
    read = layer()
    read["vault"]["lock"] = lock
    result = writes(read, WANTED)
    assert (result["vault_lock"], result["dr_vault_lock"]) == (expected, [])


def test_lock_options_as_the_role_passes_them():
    """Text from the inventory, and the empty values the role omits (default(omit, true)), compare as the module's
    ints and nulls; a compliance lock asked for again is no change."""
    wanted = copy.deepcopy(WANTED)
    wanted["vault"]["lock"] = {"min_retention_days": "7", "max_retention_days": "400", "changeable_for_days": "3"}
    wanted["dr_vault"]["lock"] = {"min_retention_days": 7, "max_retention_days": "", "changeable_for_days": 0}
    read = layer()
    read["vault"]["lock"] = {"locked": True, "mode": "compliance", "min_retention_days": 7, "max_retention_days": 400, "lock_date": "2026-12-09T00:00:00+00:00"}
    result = writes(read, wanted)
    assert (result["vault_lock"], result["dr_vault_lock"]) == ([], [])


def test_no_lock_and_no_policy_wanted_writes_neither():
    wanted = copy.deepcopy(WANTED)
    for key in ("vault", "dr_vault"):
        wanted[key].update(lock=None, policy=None)
    read = layer()
    read["vault"]["lock"] = {"locked": False}
    read["dr_vault"]["access_policy"] = None
    result = writes(read, wanted)
    assert [result[key] for key in ("vault_lock", "dr_vault_lock", "vault_policy", "dr_vault_policy")] == [[], [], [], []]
    # Missing vaults too: nothing to lock or guard.
    result = writes(EMPTY, wanted)
    assert [result[key] for key in ("vault_lock", "dr_vault_lock", "vault_policy", "dr_vault_policy")] == [[], [], [], []]


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (None, ["policy"]),
        (deny_delete_policy(["arn:aws:iam::123456789012:role/break-glass"]), ["policy"]),
        (deny_delete_policy(actions=["backup:DeleteRecoveryPoint"]), ["policy"]),
        (deny_delete_policy(), []),
    ],
)
def test_policy_compared_as_a_policy(policy, expected):
    read = layer()
    read["dr_vault"]["access_policy"] = policy
    result = writes(read, WANTED)
    assert (result["vault_policy"], result["dr_vault_policy"]) == ([], expected)


def test_service_role_compared_as_iam_role_compares():
    read = layer()
    read["service_role"]["description"] = "changed by hand"
    read["service_role"]["managed_policy_arns"] = POLICIES[:1]
    read["service_role"]["tags"] = {"Project": "hybridcloud"}
    assert writes(read, WANTED)["service_role"] == ["description", "managed_policies", "tags"]
    other_account = copy.deepcopy(TRUST)
    other_account["Statement"][0]["Condition"]["StringEquals"]["aws:SourceAccount"] = "210987654321"
    read = layer()
    read["service_role"]["assume_role_policy_document"] = other_account
    assert writes(read, WANTED)["service_role"] == ["assume_role_policy"]
    assert writes(layer(service_role={}), WANTED)["service_role"] == ["missing"]


def test_only_the_plan_that_differs_is_written():
    read = layer()
    read["backup_plans"][1]["backup_plan"]["rules"][0]["lifecycle"] = {"delete_after_days": 7}
    read["backup_plans"][0]["tags"] = {"Project": "hybridcloud", "Owner": "someone"}
    result = writes(read, WANTED)
    assert result["plans"] == {"hybridcloud": ["tags"], "files": ["rule nightly"]}
    assert result["selections"] == {"hybridcloud": [], "files": []}


def test_a_missing_plan_needs_its_plan_and_selection():
    read = layer()
    del read["backup_plans"][0]
    result = writes(read, WANTED)
    assert result["plans"] == {"hybridcloud": ["missing"], "files": []}
    assert result["selections"] == {"hybridcloud": ["missing"], "files": []}


def test_selection_found_by_its_name_and_compared_as_backup_selection_compares():
    read = layer()
    read["backup_plans"][1]["selections"][0]["resources"] = RESOURCES[:1]
    read["backup_plans"][0]["selections"][0]["selection_name"] = "hand-made"
    result = writes(read, WANTED)
    assert result["selections"] == {"hybridcloud": ["missing"], "files": ["resources"]}
    read = layer()
    read["backup_plans"][0]["selections"][0]["conditions"]["string_equals"][0]["condition_value"] = "other"
    read["backup_plans"][1]["selections"][0]["iam_role_arn"] = "arn:aws:iam::123456789012:role/other"
    assert writes(read, WANTED)["selections"] == {"hybridcloud": ["conditions"], "files": ["iam_role_arn"]}


def test_selection_condition_per_selection_tag_as_the_role_sends_it():
    """A plan's selection tags become one StringEquals condition each, values as text (files has Tier: 1)."""
    assert writes(CONVERGED, WANTED)["selections"]["files"] == []
    wanted = copy.deepcopy(WANTED)
    wanted["plans"][1]["selection_tags"] = {"Backup": "files"}
    assert writes(CONVERGED, wanted)["selections"]["files"] == ["conditions"]
