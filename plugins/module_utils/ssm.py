# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""SSM hybrid activations and managed instances: API calls with retries, and the translation of the
API's answers into the snake_case dicts the modules return."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
from collections.abc import Mapping

from ansible.module_utils.parsing.convert_bool import boolean
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list, boto3_tag_list_to_ansible_dict
from ansible_collections.hybridcloud.aws.plugins.module_utils.amazon_aws_deferred import is_boto3_error_code
from ansible_collections.hybridcloud.aws.plugins.module_utils.create_once import create_once

# SSM throttles with ThrottlingException (AWSRetry only knows "Throttling") and answers TooManyUpdates
# when writes to one resource come too fast; InternalServerError is SSM's transient 500.
retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException", "TooManyUpdates", "InternalServerError"])

MISSING_CODES = ["InvalidActivation", "InvalidActivationId", "ParameterNotFound", "InvalidResourceId", "InvalidInstanceId"]
# DescribeInstanceInformation accepts at most 50 results per page.
PAGE_SIZE = 50


class AnsibleSSMError(AnsibleAWSError):
    pass


class SSMErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleSSMError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(MISSING_CODES)


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def to_utc(value):
    """A timezone-aware UTC datetime from an API datetime (naive ones are UTC) or an ISO 8601 string."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        text = str(value).strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        value = datetime.datetime.fromisoformat(text)
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc)


def iso_date(value):
    """ISO 8601 text in UTC to the second, or None."""
    moment = to_utc(value)
    return moment.replace(microsecond=0).isoformat() if moment else None


# --- activations -----------------------------------------------------------------------------------


@SSMErrorHandler.list_error_handler("describe activations named {default_instance_name}", default_value=[])
@retry
def describe_activations(client, default_instance_name):
    """Every activation whose DefaultInstanceName is exactly default_instance_name (the API filters by it)."""
    paginator = client.get_paginator("describe_activations")
    pages = paginator.paginate(Filters=[{"FilterKey": "DefaultInstanceName", "FilterValues": [default_instance_name]}])
    found = pages.build_full_result().get("ActivationList", [])
    # The filter is documented as exact, but a stricter check costs nothing and guards against prefix matching.
    return [activation for activation in found if activation.get("DefaultInstanceName") == default_instance_name]


def _made_by(activation, params):
    """Whether an activation carries exactly what a CreateActivation request asked for (the expiration to the second)."""
    return (
        matches_identity(activation, params["DefaultInstanceName"], params["Description"])
        and activation.get("IamRole") == params["IamRole"]
        and activation.get("RegistrationLimit") == params["RegistrationLimit"]
        and to_utc(activation.get("ExpirationDate")).replace(microsecond=0) == to_utc(params["ExpirationDate"]).replace(microsecond=0)
    )


@SSMErrorHandler.common_error_handler("create activation for {iam_role}")
def create_activation(client, *, iam_role, registration_limit, expiration_date, default_instance_name, description, tags, create_client=None):
    """Creates an activation; returns the API answer {ActivationId, ActivationCode}. The code exists only here.

    CreateActivation has no client token and is never repeated blindly (create_once): create_client is a client
    whose botocore does not retry (create_once.single_attempt_client). After a failure that may have created the
    activation, its code is lost with the answer, so the activation the request made (found by DescribeActivations
    with every requested field, the expiration to the second) is deleted before the create is tried again: one
    activation remains, and its code is the one returned."""
    params = {
        "IamRole": iam_role,
        "RegistrationLimit": registration_limit,
        "ExpirationDate": expiration_date,
        "DefaultInstanceName": default_instance_name,
        "Description": description,
    }
    if tags:
        params["Tags"] = ansible_dict_to_boto3_tag_list(tags)

    def delete_unusable():
        for activation in describe_activations(client, default_instance_name):
            if _made_by(activation, params):
                delete_activation(client, activation["ActivationId"])

    return create_once(lambda: (create_client or client).create_activation(**params), delete_unusable)


@SSMErrorHandler.deletion_error_handler("delete activation {activation_id}")
@retry
def delete_activation(client, activation_id):
    client.delete_activation(ActivationId=activation_id)
    return True


def matches_identity(activation, default_instance_name, description):
    """The identity rule of ssm_activation: same DefaultInstanceName and same Description (missing == empty)."""
    return activation.get("DefaultInstanceName") == default_instance_name and (activation.get("Description") or "") == (description or "")


def normalize_activation(activation):
    """The user-facing view of a DescribeActivations entry (or None)."""
    if not activation:
        return None
    return {
        "activation_id": activation.get("ActivationId"),
        "default_instance_name": activation.get("DefaultInstanceName"),
        "description": activation.get("Description") or "",
        "iam_role": activation.get("IamRole"),
        "registration_limit": activation.get("RegistrationLimit"),
        "registrations_count": activation.get("RegistrationsCount", 0),
        "expiration_date": iso_date(activation.get("ExpirationDate")),
        "expired": bool(activation.get("Expired", False)),
        "created_date": iso_date(activation.get("CreatedDate")),
        "tags": boto3_tag_list_to_ansible_dict(activation.get("Tags") or []),
    }


# --- the parameter that keeps an activation's code -------------------------------------------------


@SSMErrorHandler.list_error_handler("read parameter {name}")
@retry
def get_secure_parameter(client, name):
    """The decrypted value of a parameter, or None when it does not exist."""
    return client.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]


@SSMErrorHandler.list_error_handler("look up parameter {name}", default_value=False)
@retry
def parameter_exists(client, name):
    """Whether a parameter exists, without decrypting it."""
    client.get_parameter(Name=name, WithDecryption=False)
    return True


@SSMErrorHandler.common_error_handler("write parameter {name}")
@retry
def put_secure_parameter(client, name, value, description, kms_key_id=None):
    params = {"Name": name, "Value": value, "Type": "SecureString", "Overwrite": True, "Description": description}
    if kms_key_id:
        params["KeyId"] = kms_key_id
    client.put_parameter(**params)


@SSMErrorHandler.deletion_error_handler("delete parameter {name}")
@retry
def delete_parameter(client, name):
    client.delete_parameter(Name=name)
    return True


# --- plain parameters, read many at once ---------------------------------------------------------

# DescribeParameters takes at most 50 values in one filter; GetParameters at most 10 names.
DESCRIBE_NAMES_LIMIT = 50
GET_NAMES_LIMIT = 10


def chunks(items, size):
    return [items[start : start + size] for start in range(0, len(items), size)]


@SSMErrorHandler.list_error_handler("describe parameters", default_value=[])
@retry
def describe_parameters_named(client, names):
    """The metadata (type, description, tier, version; no value) of those of the names that exist."""
    paginator = client.get_paginator("describe_parameters")
    pages = paginator.paginate(ParameterFilters=[{"Key": "Name", "Option": "Equals", "Values": names}], MaxResults=50)
    return pages.build_full_result().get("Parameters", [])


@SSMErrorHandler.list_error_handler("read parameters", default_value=[])
@retry
def get_parameters(client, names):
    """The current values of those of the names that exist (SecureString values stay encrypted)."""
    return client.get_parameters(Names=names, WithDecryption=False).get("Parameters", [])


@SSMErrorHandler.list_error_handler("list tags of parameter {name}", default_value={})
@retry
def list_parameter_tags(client, name):
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(ResourceType="Parameter", ResourceId=name).get("TagList", []))


def read_parameters(client, names, include_tags=False):
    """name -> snake_case view of each existing parameter of names (metadata, value unless SecureString, tags on
    request): ceil(n/50) DescribeParameters + ceil(n/10) GetParameters calls (+ one ListTagsForResource each)."""
    unique = sorted(set(names))
    described = {}
    for part in chunks(unique, DESCRIBE_NAMES_LIMIT):
        for parameter in describe_parameters_named(client, part):
            described[parameter["Name"]] = parameter
    values = {}
    for part in chunks(sorted(described), GET_NAMES_LIMIT):
        for parameter in get_parameters(client, part):
            values[parameter["Name"]] = parameter
    found = {}
    for name, metadata in sorted(described.items()):
        current = values.get(name)
        if current is None:
            # deleted between the two reads
            continue
        view = {
            "name": name,
            "type": current.get("Type", metadata.get("Type")),
            "description": metadata.get("Description"),
            "tier": metadata.get("Tier"),
            "data_type": current.get("DataType", metadata.get("DataType")),
            "version": current.get("Version", metadata.get("Version")),
            "arn": current.get("ARN"),
            "last_modified_date": iso_date(metadata.get("LastModifiedDate")),
        }
        if view["type"] != "SecureString":
            view["value"] = current.get("Value")
        if include_tags:
            view["tags"] = list_parameter_tags(client, name)
        found[name] = view
    return found


# --- managed instances -----------------------------------------------------------------------------


def instance_filters(instance_ids=None, activation_ids=None, ping_status=None, tags=None):
    """DescribeInstanceInformation Filters for the given criteria; managed (mi-) instances only."""
    filters = [{"Key": "ResourceType", "Values": ["ManagedInstance"]}]
    for key, values in (("InstanceIds", instance_ids), ("ActivationIds", activation_ids), ("PingStatus", ping_status)):
        if values:
            filters.append({"Key": key, "Values": list(values)})
    for tag_key, tag_value in sorted((tags or {}).items()):
        filters.append({"Key": "tag:" + tag_key, "Values": [str(tag_value)]})
    return filters


@SSMErrorHandler.list_error_handler("describe managed instances", default_value=[])
@retry
def describe_instance_information(client, filters):
    paginator = client.get_paginator("describe_instance_information")
    pages = paginator.paginate(Filters=filters, PaginationConfig={"PageSize": PAGE_SIZE})
    return pages.build_full_result().get("InstanceInformationList", [])


@SSMErrorHandler.list_error_handler("list tags of managed instance {instance_id}", default_value={})
@retry
def list_instance_tags(client, instance_id):
    answer = client.list_tags_for_resource(ResourceType="ManagedInstance", ResourceId=instance_id)
    return boto3_tag_list_to_ansible_dict(answer.get("TagList") or [])


@SSMErrorHandler.deletion_error_handler("deregister managed instance {instance_id}")
@retry
def deregister_managed_instance(client, instance_id):
    client.deregister_managed_instance(InstanceId=instance_id)
    return True


@SSMErrorHandler.common_error_handler("tag managed instance {instance_id}")
@retry
def add_instance_tags(client, instance_id, tags):
    client.add_tags_to_resource(ResourceType="ManagedInstance", ResourceId=instance_id, Tags=ansible_dict_to_boto3_tag_list(tags))


@SSMErrorHandler.common_error_handler("untag managed instance {instance_id}")
@retry
def remove_instance_tags(client, instance_id, tag_keys):
    client.remove_tags_from_resource(ResourceType="ManagedInstance", ResourceId=instance_id, TagKeys=list(tag_keys))


INSTANCE_FIELDS = {
    "instance_id": "InstanceId",
    "name": "Name",
    "computer_name": "ComputerName",
    "ping_status": "PingStatus",
    "activation_id": "ActivationId",
    "iam_role": "IamRole",
    "resource_type": "ResourceType",
    "platform_type": "PlatformType",
    "platform_name": "PlatformName",
    "platform_version": "PlatformVersion",
    "ip_address": "IPAddress",
    "agent_version": "AgentVersion",
    "is_latest_version": "IsLatestVersion",
    "association_status": "AssociationStatus",
    "source_id": "SourceId",
    "source_type": "SourceType",
}
INSTANCE_DATES = {
    "registration_date": "RegistrationDate",
    "last_ping_date_time": "LastPingDateTime",
    "last_association_execution_date": "LastAssociationExecutionDate",
    "last_successful_association_execution_date": "LastSuccessfulAssociationExecutionDate",
}


def is_managed_instance(info):
    """True for hybrid (mi-) managed instances, which is what the info module lists."""
    return info.get("ResourceType") == "ManagedInstance" or str(info.get("InstanceId", "")).startswith("mi-")


def normalize_instance(info):
    """The user-facing view of a DescribeInstanceInformation entry, dates as ISO 8601 text in UTC."""
    result = {field: info.get(api_field) for field, api_field in INSTANCE_FIELDS.items()}
    result.update({field: iso_date(info.get(api_field)) for field, api_field in INSTANCE_DATES.items()})
    return result


def last_ping_older_than(info, days, now=None):
    """True when the instance never pinged or pinged last more than `days` days before now."""
    last_ping = to_utc(info.get("LastPingDateTime"))
    if last_ping is None:
        return True
    return last_ping < (now or utc_now()) - datetime.timedelta(days=days)


# --- State Manager associations --------------------------------------------------------------------

ASSOCIATION_MISSING_CODES = ["AssociationDoesNotExist", "InvalidResourceId"]
# Option name -> AssociationDescription field, for the fields that map one to one.
ASSOCIATION_FIELDS = {
    "name": "AssociationName",
    "document_name": "Name",
    "document_version": "DocumentVersion",
    "schedule_expression": "ScheduleExpression",
    "max_concurrency": "MaxConcurrency",
    "max_errors": "MaxErrors",
    "compliance_severity": "ComplianceSeverity",
    "apply_only_at_cron_interval": "ApplyOnlyAtCronInterval",
    "sync_compliance": "SyncCompliance",
}
# What AWS stores for the fields a request leaves out; an association that omits them reads as these values.
ASSOCIATION_DEFAULTS = {"document_version": "$DEFAULT", "apply_only_at_cron_interval": False, "sync_compliance": "AUTO"}
# UpdateAssociation clears every optional field a request leaves out, so an update carries these on unchanged.
ASSOCIATION_CARRIED_FIELDS = (
    "AutomationTargetParameterName",
    "CalendarNames",
    "TargetLocations",
    "ScheduleOffset",
    "Duration",
    "TargetMaps",
    "AlarmConfiguration",
    "AssociationDispatchAssumeRole",
)
OUTPUT_LOCATION_FIELDS = {"s3_bucket_name": "OutputS3BucketName", "s3_key_prefix": "OutputS3KeyPrefix", "s3_region": "OutputS3Region"}
ASSOCIATION_DATES = {"created_date": "Date", "last_update_association_date": "LastUpdateAssociationDate", "last_execution_date": "LastExecutionDate"}


class SSMAssociationErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleSSMError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(ASSOCIATION_MISSING_CODES)


@SSMAssociationErrorHandler.list_error_handler("list associations named {association_name}", default_value=[])
@retry
def list_associations_by_name(client, association_name):
    """Every association (ListAssociations entry) called association_name: names are not unique in SSM."""
    paginator = client.get_paginator("list_associations")
    pages = paginator.paginate(AssociationFilterList=[{"key": "AssociationName", "value": association_name}])
    found = pages.build_full_result().get("Associations", [])
    return [association for association in found if association.get("AssociationName") == association_name]


@SSMAssociationErrorHandler.list_error_handler("list associations", default_value=[])
@retry
def list_associations_named(client, names):
    """Every association (ListAssociations entry) whose name is one of names, from one paged read of the account's
    associations (ListAssociations filters by one name per request)."""
    wanted = set(names)
    found = []
    for page in client.get_paginator("list_associations").paginate(PaginationConfig={"PageSize": 50}):
        found.extend(association for association in page.get("Associations", []) if association.get("AssociationName") in wanted)
    return found


@SSMAssociationErrorHandler.list_error_handler("describe association {association_id}")
@retry
def describe_association(client, association_id):
    """The AssociationDescription of the latest version, or None when the association does not exist."""
    return client.describe_association(AssociationId=association_id)["AssociationDescription"]


@SSMAssociationErrorHandler.common_error_handler("create association {request[AssociationName]}")
def create_association(client, request, create_client=None):
    """Creates the association; returns its AssociationDescription.

    CreateAssociation has no client token and association names are not unique, so the create is never repeated
    blindly (create_once): create_client is a client whose botocore does not retry (create_once.single_attempt_client).
    After a failure that may have created it (a 5xx, a lost answer), the association is looked up by its name (the
    caller found none before the create) and the one found is the create's answer."""

    def made():
        found = list_associations_by_name(client, request["AssociationName"])
        return describe_association(client, found[0]["AssociationId"]) if found else None

    return create_once(lambda: (create_client or client).create_association(**request)["AssociationDescription"], made)


@SSMAssociationErrorHandler.common_error_handler("update association {request[AssociationId]}")
@retry
def update_association(client, request):
    return client.update_association(**request)["AssociationDescription"]


@SSMAssociationErrorHandler.deletion_error_handler("delete association {association_id}")
@retry
def delete_association(client, association_id):
    client.delete_association(AssociationId=association_id)
    return True


@SSMAssociationErrorHandler.list_error_handler("list tags of association {association_id}", default_value={})
@retry
def list_association_tags(client, association_id):
    answer = client.list_tags_for_resource(ResourceType="Association", ResourceId=association_id)
    return boto3_tag_list_to_ansible_dict(answer.get("TagList") or [])


@SSMAssociationErrorHandler.common_error_handler("tag association {association_id}")
@retry
def add_association_tags(client, association_id, tags):
    client.add_tags_to_resource(ResourceType="Association", ResourceId=association_id, Tags=ansible_dict_to_boto3_tag_list(tags))


@SSMAssociationErrorHandler.common_error_handler("untag association {association_id}")
@retry
def remove_association_tags(client, association_id, tag_keys):
    client.remove_tags_from_resource(ResourceType="Association", ResourceId=association_id, TagKeys=list(tag_keys))


def _parameter_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def normalize_association_parameters(parameters):
    """Document parameters as SSM keeps them: name -> list of strings (a single value becomes a one-item list)."""
    normalized = {}
    for name, given in (parameters or {}).items():
        values = given if isinstance(given, (list, tuple)) else [given]
        normalized[str(name)] = [_parameter_value(value) for value in values]
    return normalized


def normalize_association_targets(targets):
    """Targets in a comparable order: by key, each with its values sorted (values of one key are alternatives)."""
    normalized = [{"key": target.get("key", target.get("Key")), "values": sorted(target.get("values", target.get("Values")) or [])} for target in targets or []]
    return sorted(normalized, key=lambda target: target["key"])


def normalize_output_location(output_location):
    """The S3 output location in option names, from the API shape or from the option (None when there is none)."""
    if not output_location:
        return None
    s3 = output_location.get("S3Location")
    if s3 is not None:
        view = {option: s3.get(field) for option, field in OUTPUT_LOCATION_FIELDS.items()}
    else:
        view = {option: output_location.get(option) for option in OUTPUT_LOCATION_FIELDS}
    view = {option: value for option, value in view.items() if value not in (None, "")}
    return view if view.get("s3_bucket_name") else None


def normalize_association(description, tags=None):
    """A comparable, user-facing view of an AssociationDescription (or None), in the module's option names."""
    if not description:
        return None
    view = {option: description.get(field) for option, field in ASSOCIATION_FIELDS.items()}
    for option, default in ASSOCIATION_DEFAULTS.items():
        if view[option] is None:
            view[option] = default
    view["parameters"] = normalize_association_parameters(description.get("Parameters"))
    view["targets"] = normalize_association_targets(description.get("Targets"))
    view["output_location"] = normalize_output_location(description.get("OutputLocation"))
    view["tags"] = dict(tags or {})
    return view


def association_request_fields(view):
    """CreateAssociation / UpdateAssociation fields for a view in option names; options that are None are left out."""
    request = {field: view[option] for option, field in ASSOCIATION_FIELDS.items() if view.get(option) is not None}
    if view.get("parameters"):
        request["Parameters"] = view["parameters"]
    if view.get("targets"):
        request["Targets"] = [{"Key": target["key"], "Values": list(target["values"])} for target in view["targets"]]
    if view.get("output_location"):
        request["OutputLocation"] = {"S3Location": {OUTPUT_LOCATION_FIELDS[option]: value for option, value in view["output_location"].items()}}
    return request


def association_update_request(description, wanted):
    """The UpdateAssociation request that turns the association into `wanted` (a full view): every field is sent,
    because SSM clears optional fields left out; the version pins the update to the association as it was read."""
    request = {field: description[field] for field in ASSOCIATION_CARRIED_FIELDS if description.get(field) is not None}
    request.update(association_request_fields(wanted))
    request.update(AssociationId=description["AssociationId"], AssociationVersion=description["AssociationVersion"])
    return request


def association_status(description):
    """The association's overall status (Pending, Success or Failed), or None."""
    if not description:
        return None
    return (description.get("Overview") or {}).get("Status") or (description.get("Status") or {}).get("Name")


def association_result(description, view):
    """The association as the module returns it: the view plus identifiers, status and dates."""
    if not description:
        return dict(view or {})
    result = dict(view or {})
    result.update(
        association_id=description.get("AssociationId"),
        association_version=description.get("AssociationVersion"),
        status=association_status(description),
        detailed_status=(description.get("Overview") or {}).get("DetailedStatus"),
    )
    result.update({option: iso_date(description.get(field)) for option, field in ASSOCIATION_DATES.items()})
    return result


def _plain(value):
    """Templated containers (a filter's arguments) as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def association_differences(found, association, default_targets, tags):
    """What ssm_association would change for one entry of a role's association list (option names of the role:
    name, document, document_version, parameters, targets, schedule, apply_only_at_cron_interval, max_concurrency,
    max_errors, compliance_severity, state), given the associations ssm_association_info read with that name (found)
    and the tags the module is given (purged). Normalized as the module normalizes (normalize_association_parameters,
    normalize_association_targets); options the entry leaves out are not compared, as the module keeps them.

    Returns a list: empty when nothing would change; "missing", "duplicates" (several share the name), "present" (to be
    removed and exists), or the option names that differ ("tags" included)."""
    found, association, default_targets, tags = _plain(found or []), _plain(association), _plain(default_targets), _plain(tags)
    if association.get("state", "present") == "absent":
        return ["present"] if found else []
    if not found:
        return ["missing"]
    if len(found) > 1:
        return ["duplicates"]
    current = found[0]
    wanted = {
        "document_name": association["document"],
        "parameters": normalize_association_parameters(association.get("parameters") or {}),
        "targets": normalize_association_targets(
            [{"key": target["key"], "values": [str(value) for value in target["values"]]} for target in association.get("targets", default_targets) or []]
        ),
        "schedule_expression": str(association["schedule"]).strip(),
        "apply_only_at_cron_interval": boolean(association.get("apply_only_at_cron_interval", False), strict=False),
        "tags": dict(tags or {}),
    }
    for option in ("document_version", "compliance_severity"):
        if association.get(option) is not None:
            wanted[option] = association[option]
    for option in ("max_concurrency", "max_errors"):
        if association.get(option) is not None:
            wanted[option] = str(association[option])
    return [option for option, value in wanted.items() if current.get(option) != value]
