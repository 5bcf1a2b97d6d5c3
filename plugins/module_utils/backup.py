# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Backup plans and selections: whether amazon.aws.backup_plan / backup_selection would change what
amazon.aws.backup_plan_info / backup_selection_info read, compared as those modules compare.

Both sides are pruned of null and empty members first: AWS leaves unset fields out where the modules send them
empty (a rule without copies, a selection without NotResources or conditions), which changes nothing."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import fnmatch
import json

from ansible.module_utils.parsing.convert_bool import boolean
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.hybridcloud.aws.plugins.module_utils.amazon_aws_deferred import is_boto3_error_code

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


# ---------------------------------------------------------------- vault locks and vault access policies
# The API calls of hybridcloud.aws.backup_vault_lock and backup_vault_policy, and what they and the posture check
# decide.

# What a deny-delete vault access policy denies every principal: the two calls that destroy or shorten the life of a
# recovery point. AWS Backup's own lifecycle still deletes expired points (it makes no such call).
DENY_DELETE_ACTIONS = ("backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle")
DENY_DELETE_SID = "DenyRecoveryPointDeletion"


def deny_delete_policy(exempt_principal_arns=None, actions=DENY_DELETE_ACTIONS):
    """A vault access policy that denies actions (DENY_DELETE_ACTIONS) on every recovery point of the vault to every
    principal, except the principals whose ARN matches one of exempt_principal_arns (aws:PrincipalArn, ArnNotLike;
    none by default)."""
    statement = {
        "Sid": DENY_DELETE_SID,
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": sorted(actions),
        "Resource": "*",
    }
    if exempt_principal_arns:
        statement["Condition"] = {"ArnNotLike": {"aws:PrincipalArn": sorted(exempt_principal_arns)}}
    return {"Version": "2012-10-17", "Statement": [statement]}


def _as_list(value):
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def policy_denied_actions(policy):
    """The actions of DENY_DELETE_ACTIONS that policy (a JSON text or dict, None: no policy) denies to every principal
    without a condition: a Deny statement with Principal "*" or {"AWS": "*"}, the action named or matched by a
    wildcard (backup:*, backup:Delete*), on Resource "*". A statement with a condition protects only from the principals
    it matches and does not count here (the role's exemptions are reported by the caller)."""
    if not policy:
        return []
    document = json.loads(policy) if isinstance(policy, str) else policy
    denied = set()
    for statement in _as_list(document.get("Statement")):
        if not isinstance(statement, dict) or statement.get("Effect") != "Deny" or statement.get("Condition"):
            continue
        principal = statement.get("Principal")
        if principal != "*" and not (isinstance(principal, dict) and "*" in _as_list(principal.get("AWS"))):
            continue
        if "*" not in _as_list(statement.get("Resource")):
            continue
        for pattern in _as_list(statement.get("Action")):
            denied.update(action for action in DENY_DELETE_ACTIONS if fnmatch.fnmatchcase(action.lower(), pattern.lower()))
    return sorted(denied)


def lock_immutable(vault, now=None):
    """Whether the vault's lock (a DescribeBackupVault answer) can no longer change: compliance mode (a LockDate) and
    its grace time over. A datetime LockDate as botocore gives it, or epoch seconds."""
    lock_date = vault.get("LockDate")
    if not vault.get("Locked") or lock_date is None:
        return False
    if not isinstance(lock_date, datetime.datetime):
        lock_date = datetime.datetime.fromtimestamp(float(lock_date), tz=datetime.timezone.utc)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return now >= lock_date


def lock_view(vault):
    """The lock of a DescribeBackupVault answer as the module reports it (snake_case; LockDate as ISO text)."""
    if not vault or not vault.get("Locked"):
        return {"locked": False, "min_retention_days": None, "max_retention_days": None, "lock_date": None, "mode": None}
    lock_date = vault.get("LockDate")
    if isinstance(lock_date, datetime.datetime):
        lock_date = lock_date.isoformat()
    return {
        "locked": True,
        "min_retention_days": vault.get("MinRetentionDays"),
        "max_retention_days": vault.get("MaxRetentionDays"),
        "lock_date": lock_date,
        "mode": "compliance" if vault.get("LockDate") is not None else "governance",
    }


def lock_differences(vault, min_retention_days, max_retention_days, changeable_for_days):
    """What PutBackupVaultLockConfiguration with these values would change on the vault's lock (a DescribeBackupVault
    answer): lock_view_differences of its lock_view."""
    return lock_view_differences(lock_view(vault), min_retention_days, max_retention_days, changeable_for_days)


def lock_view_differences(view, min_retention_days, max_retention_days, changeable_for_days):
    """What PutBackupVaultLockConfiguration with these values would change on a lock as lock_view gives it (the form
    hybridcloud.aws.backup_layer_info returns too): a list of 'lock' (no lock yet), 'min_retention_days',
    'max_retention_days', 'mode' (governance <-> compliance). A compliance lock asked for again within its grace time
    is not a difference (a put would only move its LockDate)."""
    view = view or lock_view(None)
    if not view.get("locked"):
        return ["lock"]
    differences = []
    if view.get("min_retention_days") != min_retention_days:
        differences.append("min_retention_days")
    if view.get("max_retention_days") != max_retention_days:
        differences.append("max_retention_days")
    if (view.get("mode") == "compliance") != (changeable_for_days is not None):
        differences.append("mode")
    return differences


def vault_policy_differs(current, wanted):
    """Whether PutBackupVaultAccessPolicy of wanted (a dict) would change current (a dict, None without a policy):
    compared as a policy, not as text (amazon.aws's compare_policies), so that key order, a single action given as a
    string and the JSON formatting are no difference."""
    return current is None or bool(compare_policies(current, wanted))


# ---------------------------------------------------------------- API calls (retried, errors as AnsibleBackupError)

retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException", "ServiceUnavailableException"])


class AnsibleBackupError(AnsibleAWSError):
    pass


class BackupErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleBackupError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


class BackupVaultErrorHandler(BackupErrorHandler):
    """DescribeBackupVault answers AccessDeniedException for a vault that does not exist (and ResourceNotFoundException
    in some partitions): both read as a missing vault."""

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ResourceNotFoundException", "AccessDeniedException"])


@BackupVaultErrorHandler.list_error_handler("describe backup vault {vault_name}")
@retry
def describe_vault(client, vault_name):
    """The DescribeBackupVault answer (without ResponseMetadata), None when the vault does not exist."""
    answer = client.describe_backup_vault(BackupVaultName=vault_name)
    answer.pop("ResponseMetadata", None)
    return answer


@BackupErrorHandler.common_error_handler("put the vault lock of backup vault {vault_name}")
@retry
def put_vault_lock(client, vault_name, min_retention_days, max_retention_days, changeable_for_days):
    params = {"BackupVaultName": vault_name, "MinRetentionDays": min_retention_days}
    if max_retention_days is not None:
        params["MaxRetentionDays"] = max_retention_days
    if changeable_for_days is not None:
        params["ChangeableForDays"] = changeable_for_days
    client.put_backup_vault_lock_configuration(**params)


@BackupErrorHandler.common_error_handler("delete the vault lock of backup vault {vault_name}")
@retry
def delete_vault_lock(client, vault_name):
    client.delete_backup_vault_lock_configuration(BackupVaultName=vault_name)


@BackupErrorHandler.list_error_handler("get the access policy of backup vault {vault_name}")
@retry
def get_vault_policy(client, vault_name):
    """The vault's access policy as a dict, None when it has none (or the vault does not exist)."""
    return json.loads(client.get_backup_vault_access_policy(BackupVaultName=vault_name)["Policy"])


@BackupErrorHandler.common_error_handler("put the access policy of backup vault {vault_name}")
@retry
def put_vault_policy(client, vault_name, policy):
    client.put_backup_vault_access_policy(BackupVaultName=vault_name, Policy=json.dumps(policy, sort_keys=True))


@BackupErrorHandler.deletion_error_handler("delete the access policy of backup vault {vault_name}")
@retry
def delete_vault_policy(client, vault_name):
    client.delete_backup_vault_access_policy(BackupVaultName=vault_name)
    return True
