"""AWS Backup selections and plan updates on moto's own Backup backend, and DescribeBackupVault answering a missing
vault as AWS does.

Adds CreateBackupSelection, GetBackupSelection, ListBackupSelections and DeleteBackupSelection (moto routes
/backup/plans/{id}/selections/ to BackupResponse already; it only lacks the methods). A plan with selections cannot
be deleted, as in AWS. Adds UpdateBackupPlan (the plan document is replaced, with a new version id and new rule
ids, as in AWS) and lets a deleted plan's name be used again (moto counts deleted plans as existing).
DescribeBackupVault on a vault that does not exist answers AccessDeniedException (403), which is what AWS answers
and what amazon.aws.backup_vault expects before it creates the vault.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from moto.backup.exceptions import AlreadyExistsException, ResourceNotFoundException
from moto.backup import urls as backup_urls
from moto.backup.models import BackupBackend, Plan, backup_backends
from moto.backup.responses import BackupResponse
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult, EmptyResult

from awsemu.extensions import paging
from awsemu.extensions._moto_classes import urls_of, use_backend_class, use_response_class

SELECTION_NAME = re.compile(r"^[a-zA-Z0-9\-_.]{1,50}$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
CONDITION_OPERATORS = ("StringEquals", "StringNotEquals", "StringLike", "StringNotLike")
_STATE_KEY = "_lab_backup_selections"


class InvalidParameterValue(JsonRESTError):
    code = 400

    def __init__(self, message: str):
        super().__init__("InvalidParameterValueException", message)


class MissingParameterValue(JsonRESTError):
    code = 400

    def __init__(self, message: str):
        super().__init__("MissingParameterValueException", message)


class InvalidRequest(JsonRESTError):
    code = 400

    def __init__(self, message: str):
        super().__init__("InvalidRequestException", message)


class AccessDenied(JsonRESTError):
    code = 403

    def __init__(self, message: str):
        super().__init__("AccessDeniedException", message)


@dataclass
class Selection:
    selection_id: str
    backup_plan_id: str
    document: dict[str, Any]
    creator_request_id: str | None
    creation_date: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def describe(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "BackupSelection": self.document,
            "SelectionId": self.selection_id,
            "BackupPlanId": self.backup_plan_id,
            "CreationDate": self.creation_date,
        }
        if self.creator_request_id:
            result["CreatorRequestId"] = self.creator_request_id
        return result

    def list_entry(self) -> dict[str, Any]:
        entry = {
            "SelectionId": self.selection_id,
            "SelectionName": self.document["SelectionName"],
            "BackupPlanId": self.backup_plan_id,
            "CreationDate": self.creation_date,
            "IamRoleArn": self.document["IamRoleArn"],
        }
        if self.creator_request_id:
            entry["CreatorRequestId"] = self.creator_request_id
        return entry


def selections(backend: BackupBackend) -> dict[str, dict[str, Selection]]:
    """Selections by plan id, then selection id; stored in the backend so moto's reset drops them."""
    return backend.__dict__.setdefault(_STATE_KEY, {})


def _live_plans(backend: BackupBackend) -> list[Any]:
    return [plan for plan in backend.plans.values() if plan.deletion_date is None]


def _live_plan(backend: BackupBackend, plan_id: str) -> bool:
    plan = backend.plans.get(plan_id)
    return plan is not None and plan.deletion_date is None


def normalise_selection(raw: Any) -> dict[str, Any]:
    """Validate a BackupSelection document and fill the defaults AWS returns (empty lists and conditions)."""
    if not isinstance(raw, dict):
        raise MissingParameterValue("BackupSelection is required.")
    for required in ("SelectionName", "IamRoleArn"):
        if not raw.get(required):
            raise MissingParameterValue(f"{required} is required.")
    if not SELECTION_NAME.match(raw["SelectionName"]):
        raise InvalidParameterValue("SelectionName must be 1 to 50 alphanumeric, '-', '_' or '.' characters.")
    if not ROLE_ARN.match(raw["IamRoleArn"]):
        raise InvalidParameterValue(f"Invalid ARN: {raw['IamRoleArn']} is not an IAM role ARN.")
    for key in ("Resources", "NotResources"):
        values = raw.get(key) or []
        if not isinstance(values, list) or not all(isinstance(value, str) and (value == "*" or value.startswith("arn:")) for value in values):
            raise InvalidParameterValue(f"{key} must be a list of resource ARNs or '*'.")
    tags = raw.get("ListOfTags") or []
    for tag in tags:
        if tag.get("ConditionType") != "STRINGEQUALS" or not tag.get("ConditionKey"):
            raise InvalidParameterValue("ListOfTags conditions need ConditionType STRINGEQUALS and a ConditionKey.")
    conditions = raw.get("Conditions") or {}
    if set(conditions) - set(CONDITION_OPERATORS):
        raise InvalidParameterValue(f"Conditions may only hold {', '.join(CONDITION_OPERATORS)}.")
    for operator in CONDITION_OPERATORS:
        for condition in conditions.get(operator) or []:
            if not condition.get("ConditionKey", "").startswith("aws:ResourceTag/"):
                raise InvalidParameterValue("Condition keys must have the form aws:ResourceTag/<key>.")
    if not (raw.get("Resources") or tags or any(conditions.get(op) for op in CONDITION_OPERATORS)):
        raise InvalidParameterValue("A backup selection needs Resources, ListOfTags or Conditions.")
    return {
        "SelectionName": raw["SelectionName"],
        "IamRoleArn": raw["IamRoleArn"],
        "Resources": list(raw.get("Resources") or []),
        "ListOfTags": [dict(tag) for tag in tags],
        "NotResources": list(raw.get("NotResources") or []),
        "Conditions": {operator: [dict(c) for c in conditions.get(operator) or []] for operator in CONDITION_OPERATORS},
    }


def _find(backend: BackupBackend, plan_id: str, selection_id: str) -> Selection:
    selection = selections(backend).get(plan_id, {}).get(selection_id)
    if selection is None or not _live_plan(backend, plan_id):
        raise ResourceNotFoundException(f"Failed reading backup selection {selection_id} of plan {plan_id}")
    return selection


# Responses ------------------------------------------------------------------------------------------------------
def create_backup_selection(self: BackupResponse) -> ActionResult:
    plan_id = self.uri_match["backupPlanId"]
    params = json.loads(self.body or "{}")
    backend = self.backup_backend
    if not _live_plan(backend, plan_id):
        raise InvalidParameterValue(f"Invalid backup plan id: {plan_id}")
    document = normalise_selection(params.get("BackupSelection"))
    request_id = params.get("CreatorRequestId")
    plan_selections = selections(backend).setdefault(plan_id, {})
    existing = next((s for s in plan_selections.values() if request_id and s.creator_request_id == request_id), None)
    selection = existing or Selection(str(uuid.uuid4()), plan_id, document, request_id)
    plan_selections[selection.selection_id] = selection
    return ActionResult({"SelectionId": selection.selection_id, "BackupPlanId": plan_id, "CreationDate": selection.creation_date})


def get_backup_selection(self: BackupResponse) -> ActionResult:
    return ActionResult(_find(self.backup_backend, self.uri_match["backupPlanId"], self.uri_match["selectionId"]).describe())


def list_backup_selections(self: BackupResponse) -> ActionResult:
    plan_id = self.uri_match["backupPlanId"]
    backend = self.backup_backend
    if not _live_plan(backend, plan_id):
        raise ResourceNotFoundException(f"Failed reading Backup plan {plan_id}")
    query = self._get_params()
    max_results = int(query.get("maxResults") or 1000)
    if not 1 <= max_results <= 1000:
        raise InvalidParameterValue("MaxResults must be between 1 and 1000.")
    listed = sorted(selections(backend).get(plan_id, {}).values(), key=lambda s: (s.creation_date, s.selection_id))
    page, token = paging.page(listed, max_results, query.get("nextToken"), lambda: InvalidParameterValue("The NextToken is not valid."))
    result: dict[str, Any] = {"BackupSelectionsList": [selection.list_entry() for selection in page]}
    if token:
        result["NextToken"] = token
    return ActionResult(result)


def update_backup_plan(self: BackupResponse) -> ActionResult:
    plan_id = self.uri_match["backupPlanId"]
    backend = self.backup_backend
    if not _live_plan(backend, plan_id):
        raise ResourceNotFoundException(msg="Failed reading Backup plan with provided version")
    document = json.loads(self.body or "{}").get("BackupPlan")
    if not isinstance(document, dict) or not document.get("BackupPlanName") or not document.get("Rules"):
        raise MissingParameterValue("BackupPlan with a BackupPlanName and Rules is required.")
    plan = backend.plans[plan_id]
    if any(other.backup_plan["BackupPlanName"] == document["BackupPlanName"] for other in _live_plans(backend) if other is not plan):
        raise AlreadyExistsException(msg="Backup plan with the same plan document already exists")
    # A new Plan fills the rule defaults and ids and draws a new version id, as creating one does.
    replacement = Plan(backup_plan=document, creator_request_id=plan.creator_request_id, backend=backend)
    plan.backup_plan = replacement.backup_plan
    plan.advanced_backup_settings = replacement.advanced_backup_settings
    plan.version_id = replacement.version_id
    return ActionResult(
        {
            "BackupPlanId": plan.backup_plan_id,
            "BackupPlanArn": plan.backup_plan_arn,
            "CreationDate": plan.creation_date,
            "VersionId": plan.version_id,
            "AdvancedBackupSettings": plan.advanced_backup_settings,
        }
    )


def delete_backup_selection(self: BackupResponse) -> EmptyResult:
    plan_id, selection_id = self.uri_match["backupPlanId"], self.uri_match["selectionId"]
    backend = self.backup_backend
    _find(backend, plan_id, selection_id)
    del selections(backend)[plan_id][selection_id]
    return EmptyResult()


# Backend behaviour moto gets wrong ------------------------------------------------------------------------------
class LabBackupBackend(BackupBackend):
    _url_module = property(lambda self: urls_of(BackupBackend))

    def describe_backup_vault(self, backup_vault_name: str) -> Any:
        if backup_vault_name not in self.vaults:
            raise AccessDenied("Insufficient privileges to perform this action.")
        return super().describe_backup_vault(backup_vault_name)

    def delete_backup_plan(self, backup_plan_id: str) -> Any:
        if selections(self).get(backup_plan_id):
            raise InvalidRequest("Related backup plan selections must be deleted prior to backup plan deletion.")
        return super().delete_backup_plan(backup_plan_id)

    def create_backup_plan(self, backup_plan: dict[str, Any], backup_plan_tags: dict[str, str], creator_request_id: str) -> Any:
        # moto refuses the name of a deleted plan; AWS only compares with the plans that exist.
        deleted = {plan_id: plan for plan_id, plan in self.plans.items() if plan.deletion_date is not None}
        for plan_id in deleted:
            del self.plans[plan_id]
        try:
            return super().create_backup_plan(backup_plan, backup_plan_tags, creator_request_id)
        finally:
            self.plans.update(deleted)


class LabBackupResponse(BackupResponse):
    """moto's Backup answers, with plan updates and backup selections answered here."""

    update_backup_plan = update_backup_plan
    create_backup_selection = create_backup_selection
    get_backup_selection = get_backup_selection
    list_backup_selections = list_backup_selections
    delete_backup_selection = delete_backup_selection


def install() -> None:
    use_backend_class(backup_backends, LabBackupBackend)
    use_response_class(backup_urls, LabBackupResponse)
