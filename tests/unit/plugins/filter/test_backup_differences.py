"""backup_plan_differences / backup_selection_differences: what amazon.aws.backup_plan / backup_selection would change
on what their _info modules read. The converged shapes below are what backup_plan_info and backup_selection_info
returned from the emulator after the backup role's first run."""

import copy

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.backup_plan_differences import FilterModule as PlanFilters
from ansible_collections.hybridcloud.aws.plugins.filter.backup_selection_differences import FilterModule as SelectionFilters

plan_differences = PlanFilters().filters()["backup_plan_differences"]
selection_differences = SelectionFilters().filters()["backup_selection_differences"]

DR_VAULT = "arn:aws:backup:us-west-2:123456789012:backup-vault:hybridcloud-dr"
TAGS = {"Project": "hybridcloud", "Environment": "lab"}


def wanted_rule(name, schedule, delete, cold=None, copy_to_dr=True):
    """A rule as roles/backup/vars/main.yml builds it for amazon.aws.backup_plan."""
    lifecycle = {"delete_after_days": delete, **({"move_to_cold_storage_after_days": cold} if cold is not None else {})}
    return {
        "rule_name": name,
        "target_backup_vault_name": "hybridcloud",
        "schedule_expression": schedule,
        "start_window_minutes": 480,
        "completion_window_minutes": 10080,
        "lifecycle": lifecycle,
        "copy_actions": [{"destination_backup_vault_arn": DR_VAULT, "lifecycle": dict(lifecycle)}] if copy_to_dr else [],
    }


def read_rule(name, schedule, delete, cold=None, rule_id="id"):
    """A rule as amazon.aws.backup_plan_info returns it."""
    lifecycle = {"delete_after_days": delete, **({"move_to_cold_storage_after_days": cold} if cold is not None else {})}
    return {
        "completion_window_minutes": 10080,
        "copy_actions": [{"destination_backup_vault_arn": DR_VAULT, "lifecycle": dict(lifecycle)}],
        "enable_continuous_backup": False,
        "lifecycle": lifecycle,
        "rule_id": rule_id,
        "rule_name": name,
        "schedule_expression": schedule,
        "schedule_expression_timezone": "Etc/UTC",
        "start_window_minutes": 480,
        "target_backup_vault_name": "hybridcloud",
    }


RULES = [
    wanted_rule("daily", "cron(0 3 ? * * *)", 35),
    wanted_rule("weekly", "cron(0 4 ? * SUN *)", 180, 30),
    wanted_rule("monthly", "cron(0 5 1 * ? *)", 400, 30),
]
PLAN = {
    "backup_plan": {
        "advanced_backup_settings": [],
        "backup_plan_name": "hybridcloud",
        "rules": [
            read_rule("daily", "cron(0 3 ? * * *)", 35, rule_id="d98de3ea"),
            read_rule("weekly", "cron(0 4 ? * SUN *)", 180, 30, rule_id="be4880af"),
            read_rule("monthly", "cron(0 5 1 * ? *)", 400, 30, rule_id="5d5b71bb"),
        ],
    },
    "backup_plan_arn": "arn:aws:backup:us-east-1:123456789012:backup-plan:95127467",
    "backup_plan_id": "95127467",
    "backup_plan_name": "hybridcloud",
    "tags": dict(TAGS),
    "version_id": "hAxx",
}


def drifted(change):
    plan = copy.deepcopy(PLAN)
    change(plan)
    return plan


def rule(plan, name):
    return next(each for each in plan["backup_plan"]["rules"] if each["rule_name"] == name)


def test_missing_plan():
    assert plan_differences(None, RULES, TAGS) == ["missing"]


def test_converged_plan_has_no_differences():
    assert plan_differences(PLAN, RULES, TAGS) == []


def test_wanted_values_are_taken_as_the_module_converts_them():
    rules = copy.deepcopy(RULES)
    rules[0]["lifecycle"]["delete_after_days"] = "35"
    rules[1]["start_window_minutes"] = "480"
    assert plan_differences(PLAN, rules, {"Project": "hybridcloud", "Environment": "lab"}) == []


def test_module_defaults_fill_options_left_out():
    rules = [{key: value for key, value in each.items() if key not in ("start_window_minutes", "completion_window_minutes")} for each in RULES]
    assert plan_differences(PLAN, rules, TAGS) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda plan: rule(plan, "daily")["lifecycle"].update(delete_after_days=7), ["rule daily"]),
        (lambda plan: rule(plan, "weekly")["lifecycle"].pop("move_to_cold_storage_after_days"), ["rule weekly"]),
        (lambda plan: rule(plan, "monthly")["copy_actions"][0]["lifecycle"].update(delete_after_days=90), ["rule monthly"]),
        (lambda plan: rule(plan, "monthly")["copy_actions"][0].update(destination_backup_vault_arn=DR_VAULT + "-old"), ["rule monthly"]),
        (lambda plan: rule(plan, "daily").update(copy_actions=[]), ["rule daily"]),
        (lambda plan: rule(plan, "daily").update(schedule_expression="cron(0 1 ? * * *)"), ["rule daily"]),
        (lambda plan: rule(plan, "daily").update(schedule_expression_timezone="Europe/Berlin"), ["rule daily"]),
        (lambda plan: rule(plan, "weekly").update(start_window_minutes=60), ["rule weekly"]),
        (lambda plan: rule(plan, "weekly").update(completion_window_minutes=120), ["rule weekly"]),
        (lambda plan: rule(plan, "weekly").update(target_backup_vault_name="other"), ["rule weekly"]),
        (lambda plan: rule(plan, "weekly").update(enable_continuous_backup=True), ["rule weekly"]),
        (lambda plan: rule(plan, "weekly").update(recovery_point_tags={"a": "b"}), ["rule weekly"]),
        (lambda plan: plan["backup_plan"]["rules"].pop(), ["rule monthly"]),
        (lambda plan: plan["backup_plan"]["rules"].append(read_rule("hourly", "rate(1 hour)", 1)), ["rule hourly"]),
        (lambda plan: plan["backup_plan"]["rules"].reverse(), ["rule order"]),
        (lambda plan: plan["backup_plan"].update(advanced_backup_settings=[{"resource_type": "EC2"}]), ["advanced_backup_settings"]),
        (lambda plan: plan["tags"].pop("Environment"), ["tags"]),
        (lambda plan: plan["tags"].update(Owner="someone"), ["tags"]),
        (lambda plan: plan["tags"].update(Environment="prod"), ["tags"]),
        (lambda plan: (rule(plan, "daily")["lifecycle"].update(delete_after_days=7), plan.update(tags={})), ["rule daily", "tags"]),
    ],
)
def test_each_drift_is_found(change, expected):
    assert plan_differences(drifted(change), RULES, TAGS) == expected


def test_empty_members_count_as_absent():
    rules = [wanted_rule("daily", "cron(0 3 ? * * *)", 35, copy_to_dr=False)]
    read = read_rule("daily", "cron(0 3 ? * * *)", 35)
    del read["copy_actions"]
    plan = {"backup_plan": {"rules": [read]}, "tags": {}}
    assert plan_differences(plan, rules, None) == []
    assert plan_differences(plan, rules, {}) == []


SELECTION_WANTED = {
    "iam_role_arn": "arn:aws:iam::123456789012:role/hybridcloud-backup",
    "resources": ["arn:aws:rds:*:*:db:*", "arn:aws:s3:::*"],
    "conditions": {"string_equals": [{"condition_key": "aws:ResourceTag/Backup", "condition_value": "hybridcloud"}]},
}
SELECTION = {
    "backup_plan_id": "95127467",
    "conditions": {
        "string_equals": [{"condition_key": "aws:ResourceTag/Backup", "condition_value": "hybridcloud"}],
        "string_like": [],
        "string_not_equals": [],
        "string_not_like": [],
    },
    "iam_role_arn": "arn:aws:iam::123456789012:role/hybridcloud-backup",
    "list_of_tags": [],
    "not_resources": [],
    "resources": ["arn:aws:rds:*:*:db:*", "arn:aws:s3:::*"],
    "selection_id": "28602add",
    "selection_name": "hybridcloud-tagged",
}


def test_missing_selection():
    assert selection_differences(None, SELECTION_WANTED) == ["missing"]


def test_converged_selection_has_no_differences():
    assert selection_differences(SELECTION, SELECTION_WANTED) == []


def test_selection_conditions_all_empty_count_as_none():
    current = dict(SELECTION, conditions={name: [] for name in ("string_equals", "string_like", "string_not_equals", "string_not_like")})
    assert selection_differences(current, {key: value for key, value in SELECTION_WANTED.items() if key != "conditions"}) == []


def test_selection_condition_values_compare_as_text():
    current = copy.deepcopy(SELECTION)
    current["conditions"]["string_equals"][0]["condition_value"] = "1"
    wanted = copy.deepcopy(SELECTION_WANTED)
    wanted["conditions"]["string_equals"][0]["condition_value"] = 1
    assert selection_differences(current, wanted) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda selection: selection.update(iam_role_arn="arn:aws:iam::123456789012:role/other"), ["iam_role_arn"]),
        (lambda selection: selection["resources"].pop(), ["resources"]),
        (lambda selection: selection["resources"].reverse(), ["resources"]),
        (lambda selection: selection.update(not_resources=["arn:aws:s3:::logs"]), ["not_resources"]),
        (lambda selection: selection.update(list_of_tags=[{"condition_type": "STRINGEQUALS", "condition_key": "a", "condition_value": "b"}]), ["list_of_tags"]),
        (lambda selection: selection["conditions"]["string_equals"][0].update(condition_value="other"), ["conditions"]),
        (lambda selection: selection["conditions"]["string_like"].append({"condition_key": "aws:ResourceTag/x", "condition_value": "*"}), ["conditions"]),
        (lambda selection: selection["conditions"].update(string_equals=[]), ["conditions"]),
    ],
)
def test_each_selection_drift_is_found(change, expected):
    current = copy.deepcopy(SELECTION)
    change(current)
    assert selection_differences(current, SELECTION_WANTED) == expected
