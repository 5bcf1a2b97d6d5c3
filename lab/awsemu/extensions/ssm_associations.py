"""SSM State Manager associations on moto's SSM backend (moto 5.2 answers none of these calls).

Adds CreateAssociation, DescribeAssociation, UpdateAssociation, DeleteAssociation, ListAssociations,
DescribeEffectiveInstanceAssociations and tags on Association resources, with the checks AWS makes before it accepts
an association:
- the document exists: one of the account's own documents (moto's), or one of the AWS-owned documents every account
  has, of which the lab knows AWS-UpdateSSMAgent, AWS-GatherSoftwareInventory, AWS-RunPatchBaseline and
  AWS-RunShellScript; the parameters must be the document's and within its allowed values (InvalidParameters);
- the schedule is a cron() or rate() expression (InvalidSchedule), the targets use target keys SSM knows
  (InvalidTarget), an S3 output location names an existing bucket (InvalidOutputLocation);
- association names are not unique; UpdateAssociation clears the optional fields a request leaves out, as AWS
  documents, and adds a version; AssociationVersion in an update must be the latest (or $LATEST).
Targets resolve against the hybrid managed instances (mi-, kept by the ssm extension) and the running EC2 instances of
the same account and region: a node must match every target, and one of the values of each. Nothing runs in the lab,
so an association stays Pending; its Overview counts the nodes it currently targets, and
DescribeEffectiveInstanceAssociations lists the associations that apply to a node.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, ClassVar

from moto.core.responses import ActionResult, EmptyResult
from moto.ssm import urls as ssm_urls
from moto.ssm.models import SimpleSystemManagerBackend, ssm_backends
from moto.ssm.responses import SimpleSystemManagerResponse

from awsemu.extensions import paging
from awsemu.extensions._model_constraints import validate
from awsemu.extensions._moto_classes import use_backend_class, use_response_class
from awsemu.extensions.ssm import LabSSMBackend, LabSSMResponse, ResourceIds, hybrid
from awsemu.extensions.ssm_hybrid import SSMError, parse_json_body

_STATE_KEY = "_lab_associations"

# The AWS-owned documents the lab knows: name -> (description, parameters as in the document's content).
_ENABLED = {"type": "String", "default": "Enabled", "allowedValues": ["Enabled", "Disabled"]}
AWS_DOCUMENTS: dict[str, tuple[str, dict[str, dict[str, Any]]]] = {
    "AWS-UpdateSSMAgent": (
        "Update the Amazon SSM Agent to the latest version or a specified version.",
        {"version": {"type": "String", "default": ""}, "allowDowngrade": {"type": "String", "default": "false", "allowedValues": ["true", "false"]}},
    ),
    "AWS-GatherSoftwareInventory": (
        "Software Inventory Policy Document.",
        {
            "applications": _ENABLED,
            "awsComponents": _ENABLED,
            "files": {"type": "String", "default": ""},
            "networkConfig": _ENABLED,
            "billingInfo": _ENABLED,
            "windowsUpdates": _ENABLED,
            "instanceDetailedInformation": _ENABLED,
            "services": _ENABLED,
            "windowsRegistry": {"type": "String", "default": ""},
            "windowsRoles": _ENABLED,
            "customInventory": _ENABLED,
        },
    ),
    "AWS-RunPatchBaseline": (
        "Scans for or installs patches from a patch baseline to a Linux or Windows operating system.",
        {
            "Operation": {"type": "String", "allowedValues": ["Scan", "Install"]},
            "SnapshotId": {"type": "String", "default": ""},
            "InstallOverrideList": {"type": "String", "default": ""},
            "BaselineOverride": {"type": "String", "default": ""},
            "RebootOption": {"type": "String", "default": "RebootIfNeeded", "allowedValues": ["RebootIfNeeded", "NoReboot"]},
        },
    ),
    "AWS-RunShellScript": (
        "Run a shell script or specify the commands to run.",
        {
            "commands": {"type": "StringList"},
            "workingDirectory": {"type": "String", "default": ""},
            "executionTimeout": {"type": "String", "default": "3600"},
        },
    ),
}
# Fields a request sets; UpdateAssociation clears those it leaves out, except the identity of the association.
SETTABLE_FIELDS = (
    "Name",
    "DocumentVersion",
    "InstanceId",
    "Parameters",
    "Targets",
    "ScheduleExpression",
    "OutputLocation",
    "AssociationName",
    "AutomationTargetParameterName",
    "MaxErrors",
    "MaxConcurrency",
    "ComplianceSeverity",
    "SyncCompliance",
    "ApplyOnlyAtCronInterval",
    "CalendarNames",
    "TargetLocations",
    "ScheduleOffset",
    "Duration",
    "TargetMaps",
    "AlarmConfiguration",
    "AssociationDispatchAssumeRole",
)
KEPT_WHEN_OMITTED = ("Name", "AssociationName", "InstanceId", "Targets")
DEFAULTS = {"DocumentVersion": "$DEFAULT", "SyncCompliance": "AUTO", "ApplyOnlyAtCronInterval": False}
SUMMARY_FIELDS = ("Name", "InstanceId", "AssociationId", "AssociationVersion", "DocumentVersion", "Targets", "ScheduleExpression", "AssociationName")
SUMMARY_FIELDS += ("ScheduleOffset", "Duration", "TargetMaps")
LIST_FILTER_KEYS = {"InstanceId", "Name", "AssociationId", "AssociationStatusName", "AssociationName", "LastExecutedBefore", "LastExecutedAfter"}
TARGET_KEY = re.compile(r"^(tag:.+|tag-key|InstanceIds|resource-groups:Name|resource-groups:ResourceTypeFilters|ParameterValues|ResourceGroup)$")
RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
CRON = re.compile(r"^cron\(([^()]+)\)$")
MIN_RATE_MINUTES = 30


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Association:
    association_id: str
    fields: dict[str, Any]
    version: int = 1
    created: datetime = field(default_factory=_now)
    updated: datetime = field(default_factory=_now)
    history: dict[int, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.history[self.version] = dict(self.fields)

    def describe(self, targeted: int, version: int | None = None) -> dict[str, Any]:
        fields = self.history[version or self.version]
        described: dict[str, Any] = {key: value for key, value in fields.items() if value is not None}
        described.update(
            AssociationId=self.association_id,
            AssociationVersion=str(version or self.version),
            Date=self.created,
            LastUpdateAssociationDate=self.updated,
            Status={"Date": self.updated, "Name": "Pending", "Message": f"Associated with {fields['Name']}"},
            Overview={"Status": "Pending", "DetailedStatus": "Pending", "AssociationStatusAggregatedCount": {"Pending": targeted} if targeted else {}},
        )
        return described

    def summary(self, targeted: int) -> dict[str, Any]:
        described = self.describe(targeted)
        summary = {key: described[key] for key in SUMMARY_FIELDS if key in described}
        summary["Overview"] = described["Overview"]
        return summary


class AssociationState:
    """The associations of one SSM backend, in creation order."""

    def __init__(self) -> None:
        self.associations: dict[str, Association] = {}

    def get(self, association_id: str | None) -> Association:
        association = self.associations.get(association_id or "")
        if association is None:
            raise SSMError("AssociationDoesNotExist", "The specified association does not exist.")
        return association


def state_of(backend: SimpleSystemManagerBackend) -> AssociationState:
    """Kept in the backend, so that moto's reset drops it with everything else."""
    state = backend.__dict__.get(_STATE_KEY)
    if state is None:
        state = backend.__dict__.setdefault(_STATE_KEY, AssociationState())
    return state


# Documents -------------------------------------------------------------------------------------------------------
def _document(backend: SimpleSystemManagerBackend, name: str, version: str | None) -> tuple[dict[str, Any], str]:
    """The parameters and content of the named document at a version ($DEFAULT, $LATEST or a number)."""
    documents = backend._documents.get(name)
    if documents is not None:
        if version in (None, "$DEFAULT"):
            document = documents.get_default_version()
        elif version == "$LATEST":
            document = documents.get_latest_version()
        else:
            document = documents.find_by_version(version)
        if document is None:
            raise SSMError("InvalidDocumentVersion", f"The document version {version} is not valid or does not exist.")
        return dict((document.content_json or {}).get("parameters") or {}), document.content
    if name in AWS_DOCUMENTS:
        if version not in (None, "$DEFAULT", "$LATEST", "1"):
            raise SSMError("InvalidDocumentVersion", f"The document version {version} is not valid or does not exist.")
        description, parameters = AWS_DOCUMENTS[name]
        return parameters, json.dumps({"schemaVersion": "2.2", "description": description, "parameters": parameters})
    raise SSMError("InvalidDocument", f"Document with name {name} does not exist.")


def _check_parameters(document_name: str, spec: dict[str, dict[str, Any]], given: dict[str, list[str]]) -> None:
    for name, values in given.items():
        if name not in spec:
            raise SSMError("InvalidParameters", f"Parameter {name} is not defined in document {document_name}.")
        allowed = spec[name].get("allowedValues")
        if allowed and any(value not in allowed for value in values):
            raise SSMError("InvalidParameters", f"Parameter {name} of document {document_name} must be one of {', '.join(allowed)}.")
    missing = [name for name, definition in spec.items() if "default" not in definition and name not in given]
    if missing:
        raise SSMError("InvalidParameters", f"Document {document_name} requires parameter(s) {', '.join(sorted(missing))}.")


def _check_schedule(expression: str | None, apply_only_at_cron: bool | None) -> None:
    if expression is None:
        if apply_only_at_cron:
            raise SSMError("InvalidSchedule", "ApplyOnlyAtCronInterval needs a cron schedule expression.")
        return
    rate, cron = RATE.match(expression), CRON.match(expression)
    if rate:
        minutes = int(rate.group(1)) * {"minute": 1, "hour": 60, "day": 1440}[rate.group(2).rstrip("s")]
        if minutes < MIN_RATE_MINUTES:
            raise SSMError("InvalidSchedule", f"Schedule expression {expression} is not valid: the minimum rate is {MIN_RATE_MINUTES} minutes.")
        if apply_only_at_cron:
            raise SSMError("InvalidSchedule", "ApplyOnlyAtCronInterval is not supported for rate expressions.")
    elif not cron or len(cron.group(1).split()) not in (5, 6):
        raise SSMError("InvalidSchedule", f"Schedule expression {expression} is not valid.")


def _check_targets(targets: list[dict[str, Any]] | None) -> None:
    for target in targets or []:
        if not TARGET_KEY.match(target.get("Key") or ""):
            raise SSMError("InvalidTarget", f"Target key {target.get('Key')} is not valid.")
        if not target.get("Values"):
            raise SSMError("InvalidTarget", f"Target {target.get('Key')} needs at least one value.")


def _check_output_location(backend: SimpleSystemManagerBackend, location: dict[str, Any] | None) -> None:
    from moto.s3.exceptions import MissingBucket
    from moto.s3.models import s3_backends

    bucket = ((location or {}).get("S3Location") or {}).get("OutputS3BucketName")
    if not bucket:
        return
    try:
        s3_backends[backend.account_id][backend.partition].get_bucket(bucket)
    except MissingBucket:
        raise SSMError("InvalidOutputLocation", f"The output location bucket {bucket} does not exist.") from None


def _checked_fields(backend: SimpleSystemManagerBackend, fields: dict[str, Any]) -> dict[str, Any]:
    """The association fields with AWS's defaults, after every check AWS makes."""
    fields = {**DEFAULTS, **{key: value for key, value in fields.items() if value is not None}}
    if not fields.get("Targets") and not fields.get("InstanceId"):
        raise SSMError("InvalidTarget", "An association needs Targets or an InstanceId.")
    spec, _ = _document(backend, fields["Name"], fields["DocumentVersion"])
    _check_parameters(fields["Name"], spec, fields.get("Parameters") or {})
    _check_schedule(fields.get("ScheduleExpression"), fields.get("ApplyOnlyAtCronInterval"))
    _check_targets(fields.get("Targets"))
    _check_output_location(backend, fields.get("OutputLocation"))
    return fields


# Targets ---------------------------------------------------------------------------------------------------------
def _nodes(backend: SimpleSystemManagerBackend) -> Iterator[tuple[str, dict[str, str]]]:
    """(node id, tags) of every node SSM could run an association on: mi- instances and running EC2 instances."""
    from moto.ec2.models import ec2_backends

    for instance_id in hybrid(backend).instances:
        yield instance_id, dict(backend._resource_tags["ManagedInstance"].get(instance_id, {}))
    ec2 = ec2_backends[backend.account_id][backend.region_name]
    for instance in ec2.all_instances():
        if instance.state == "running":
            yield instance.id, dict(ec2.tags.get(instance.id, {}))


def _matches(targets: list[dict[str, Any]], instance_id: str, tags: dict[str, str]) -> bool:
    for target in targets:
        key, values = target["Key"], set(target["Values"])
        if key.startswith("tag:"):
            matched = tags.get(key[len("tag:") :]) in values
        elif key == "tag-key":
            matched = bool(values & set(tags))
        elif key == "InstanceIds":
            matched = "*" in values or instance_id in values
        else:  # resource groups and parameter values select nothing the lab models
            matched = False
        if not matched:
            return False
    return True


def _applies_to(association: Association, instance_id: str, tags: dict[str, str]) -> bool:
    if association.fields.get("InstanceId"):
        return association.fields["InstanceId"] == instance_id
    return _matches(association.fields.get("Targets") or [], instance_id, tags)


def _targeted(backend: SimpleSystemManagerBackend, association: Association) -> int:
    return sum(1 for instance_id, tags in _nodes(backend) if _applies_to(association, instance_id, tags))


# Responses -------------------------------------------------------------------------------------------------------
def _invalid_token() -> SSMError:
    return SSMError("InvalidNextToken", "The NextToken is not valid.")


def _request(self: SimpleSystemManagerResponse, operation: str) -> dict[str, Any]:
    params = parse_json_body(self.body)
    validate("ssm", operation, params)
    return params


def _find(backend: SimpleSystemManagerBackend, params: dict[str, Any]) -> Association:
    """By AssociationId, or (the older way) by document Name and InstanceId."""
    state = state_of(backend)
    if params.get("AssociationId"):
        return state.get(params["AssociationId"])
    for association in state.associations.values():
        if params.get("Name") and association.fields.get("Name") == params["Name"] and association.fields.get("InstanceId") == params.get("InstanceId"):
            return association
    raise SSMError("AssociationDoesNotExist", "The specified association does not exist.")


def create_association(self: SimpleSystemManagerResponse) -> ActionResult:
    params = _request(self, "CreateAssociation")
    backend = self.ssm_backend
    fields = _checked_fields(backend, {key: params.get(key) for key in SETTABLE_FIELDS})
    association = Association(str(uuid.uuid4()), fields)
    state_of(backend).associations[association.association_id] = association
    tags = {tag["Key"]: tag["Value"] for tag in params.get("Tags") or []}
    if tags:
        backend.add_tags_to_resource("Association", association.association_id, tags)
    return ActionResult({"AssociationDescription": association.describe(_targeted(backend, association))})


def describe_association(self: SimpleSystemManagerResponse) -> ActionResult:
    params = _request(self, "DescribeAssociation")
    backend = self.ssm_backend
    association = _find(backend, params)
    version = params.get("AssociationVersion")
    if version and version != "$LATEST":
        if not version.isdigit() or int(version) not in association.history:
            raise SSMError("InvalidAssociationVersion", f"The association version {version} does not exist.")
        return ActionResult({"AssociationDescription": association.describe(_targeted(backend, association), int(version))})
    return ActionResult({"AssociationDescription": association.describe(_targeted(backend, association))})


def update_association(self: SimpleSystemManagerResponse) -> ActionResult:
    params = _request(self, "UpdateAssociation")
    backend = self.ssm_backend
    association = state_of(backend).get(params["AssociationId"])
    version = params.get("AssociationVersion")
    if version not in (None, "$LATEST", str(association.version)):
        raise SSMError("InvalidAssociationVersion", f"The association version {version} is not the latest version ({association.version}).")
    # As AWS documents: optional fields the request leaves out are cleared, not kept.
    fields = {key: params.get(key) for key in SETTABLE_FIELDS}
    for key in KEPT_WHEN_OMITTED:
        if fields[key] is None:
            fields[key] = association.fields.get(key)
    association.fields = _checked_fields(backend, fields)
    association.version += 1
    association.updated = _now()
    association.history[association.version] = dict(association.fields)
    return ActionResult({"AssociationDescription": association.describe(_targeted(backend, association))})


def delete_association(self: SimpleSystemManagerResponse) -> ActionResult:
    params = _request(self, "DeleteAssociation")
    backend = self.ssm_backend
    association = _find(backend, params)
    del state_of(backend).associations[association.association_id]
    backend._resource_tags["Association"].pop(association.association_id, None)
    return EmptyResult()


def _listed(association: Association, key: str, value: str) -> bool:
    fields = association.fields
    if key == "AssociationId":
        return association.association_id == value
    if key in ("Name", "AssociationName"):
        return fields.get(key) == value
    if key == "InstanceId":
        return fields.get("InstanceId") == value or any(value in target["Values"] for target in fields.get("Targets") or [] if target["Key"] == "InstanceIds")
    if key == "AssociationStatusName":
        return value == "Pending"
    return False  # LastExecutedBefore/After: nothing has run in the lab


def list_associations(self: SimpleSystemManagerResponse) -> ActionResult:
    params = _request(self, "ListAssociations")
    backend = self.ssm_backend
    filters = params.get("AssociationFilterList") or []
    for item in filters:
        if item.get("key") not in LIST_FILTER_KEYS:
            raise SSMError("InvalidFilterKey", f"The filter key {item.get('key')} is not valid.")
    found = [
        association.summary(_targeted(backend, association))
        for association in state_of(backend).associations.values()
        if all(_listed(association, item["key"], item["value"]) for item in filters)
    ]
    items, token = paging.page(found, params.get("MaxResults") or 50, params.get("NextToken"), _invalid_token)
    result: dict[str, Any] = {"Associations": items}
    if token:
        result["NextToken"] = token
    return ActionResult(result)


def describe_effective_instance_associations(self: SimpleSystemManagerResponse) -> ActionResult:
    params = _request(self, "DescribeEffectiveInstanceAssociations")
    backend = self.ssm_backend
    instance_id = params["InstanceId"]
    tags = dict(_nodes(backend)).get(instance_id)
    if tags is None:
        raise SSMError("InvalidInstanceId", f"Instance Id {instance_id} is not valid.")
    effective = []
    for association in state_of(backend).associations.values():
        if _applies_to(association, instance_id, tags):
            _, content = _document(backend, association.fields["Name"], association.fields["DocumentVersion"])
            effective.append(
                {"AssociationId": association.association_id, "InstanceId": instance_id, "Content": content, "AssociationVersion": str(association.version)}
            )
    items, token = paging.page(effective, params.get("MaxResults") or 5, params.get("NextToken"), _invalid_token)
    result: dict[str, Any] = {"Associations": items}
    if token:
        result["NextToken"] = token
    return ActionResult(result)


# Tags on Association resources, which moto's SSM does not know ----------------------------------------------------
class LabSSMAssociationsBackend(LabSSMBackend):
    lab_resource_ids: ClassVar[ResourceIds] = {**LabSSMBackend.lab_resource_ids, "Association": lambda backend: state_of(backend).associations}


class LabSSMAssociationsResponse(LabSSMResponse):
    """The lab's SSM answers (extensions/ssm.py), with State Manager associations answered here."""

    create_association = create_association
    describe_association = describe_association
    update_association = update_association
    delete_association = delete_association
    list_associations = list_associations
    describe_effective_instance_associations = describe_effective_instance_associations


def install() -> None:
    use_backend_class(ssm_backends, LabSSMAssociationsBackend)
    use_response_class(ssm_urls, LabSSMAssociationsResponse)
