# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Backup plans and selections: whether amazon.aws.backup_plan / backup_selection would change what
amazon.aws.backup_plan_info / backup_selection_info read, compared as those modules compare.

Both sides are pruned of null and empty members first: AWS leaves unset fields out where the modules send them
empty (a rule without copies, a selection without NotResources or conditions), which changes nothing."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.parsing.convert_bool import boolean

# amazon.aws.backup_plan's defaults for the rule options a caller may leave out (it sends them all).
RULE_DEFAULTS = {
    "schedule_expression": "cron(0 5 ? * * *)",
    "start_window_minutes": 480,
    "completion_window_minutes": 10080,
    "schedule_expression_timezone": "Etc/UTC",
    "enable_continuous_backup": False,
}
# Options the module turns into int (its argument spec), wherever they occur in a rule.
INT_OPTIONS = ("start_window_minutes", "completion_window_minutes", "delete_after_days", "move_to_cold_storage_after_days")
# What amazon.aws.backup_selection compares (and replaces) of a selection.
SELECTION_FIELDS = ("iam_role_arn", "resources", "list_of_tags", "not_resources", "conditions")
CONDITION_LISTS = ("string_equals", "string_like", "string_not_equals", "string_not_like")


def pruned(value):
    """value with null, empty-list and empty-dict members left out, recursively (False and 0 stay)."""
    if isinstance(value, dict):
        items = ((key, pruned(member)) for key, member in value.items())
        return {key: member for key, member in items if member is not None and member not in ([], {})}
    if isinstance(value, (list, tuple)):
        return [pruned(member) for member in value]
    return value


def _as_module_types(value):
    """A wanted rule's values as the module's argument spec converts them (ints, bool)."""
    if isinstance(value, dict):
        converted = {}
        for key, member in value.items():
            if member is not None and key in INT_OPTIONS:
                converted[key] = int(member)
            elif member is not None and key == "enable_continuous_backup":
                converted[key] = boolean(member)
            else:
                converted[key] = _as_module_types(member)
        return converted
    if isinstance(value, (list, tuple)):
        return [_as_module_types(member) for member in value]
    return value


def wanted_rules(rules):
    """The rules as amazon.aws.backup_plan sends them: its defaults filled in, its types applied, pruned."""
    return [pruned(_as_module_types(dict(RULE_DEFAULTS, **{key: value for key, value in rule.items() if value is not None}))) for rule in rules]


def current_rules(plan):
    """The rules of a backup_plan_info entry without their ids, pruned."""
    rules = (plan.get("backup_plan") or {}).get("rules") or []
    return [pruned({key: value for key, value in rule.items() if key != "rule_id"}) for rule in rules]


def _text_dict(tags):
    return {str(key): str(value) for key, value in (tags or {}).items()}


def backup_plan_differences(current, rules, tags):
    """What amazon.aws.backup_plan with these rules and tags (purge_tags, its default) would change on current (a
    backup_plan_info entry, None when the plan is missing): a list of 'missing', 'rule NAME' (added, removed or
    changed), 'rule order', 'advanced_backup_settings', 'tags'. Empty: the module would change nothing."""
    if not current:
        return ["missing"]
    differences = []
    have, want = current_rules(current), wanted_rules(rules)
    if have != want:
        have_by_name = {rule.get("rule_name"): rule for rule in have}
        want_by_name = {rule.get("rule_name"): rule for rule in want}
        for name in dict.fromkeys(list(have_by_name) + list(want_by_name)):
            if have_by_name.get(name) != want_by_name.get(name):
                differences.append(f"rule {name}")
        if not differences:
            differences.append("rule order")
    if pruned((current.get("backup_plan") or {}).get("advanced_backup_settings")):
        differences.append("advanced_backup_settings")
    if _text_dict(current.get("tags")) != _text_dict(tags):
        differences.append("tags")
    return differences


def _condition_texts(selection):
    """A selection's conditions and tag conditions with their keys and values as text (the module's types)."""
    selection = dict(selection)
    conditions = selection.get("conditions") or {}
    selection["conditions"] = {name: [{key: str(value) for key, value in entry.items()} for entry in conditions.get(name) or []] for name in CONDITION_LISTS}
    selection["list_of_tags"] = [{key: str(value) for key, value in entry.items()} for entry in selection.get("list_of_tags") or []]
    return selection


def backup_selection_differences(current, wanted):
    """What amazon.aws.backup_selection with the wanted options (iam_role_arn, resources, conditions, list_of_tags,
    not_resources, snake_case as the module takes them) would change on current (a backup_selection_info entry,
    None when the selection is missing): a list of 'missing' or the differing option names. The module replaces
    a differing selection as a whole."""
    if not current:
        return ["missing"]
    have = pruned(_condition_texts({field: current.get(field) for field in SELECTION_FIELDS}))
    want = pruned(_condition_texts({field: wanted.get(field) for field in SELECTION_FIELDS}))
    return [field for field in SELECTION_FIELDS if have.get(field) != want.get(field)]
