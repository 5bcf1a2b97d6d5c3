# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""VPC flow logs: EC2 API calls with retries and error handling, and the comparison of a flow log with the wanted
settings. AWS cannot modify a flow log's settings in place (only its tags): a flow log whose settings differ is
deleted and created again.

CreateFlowLogs and DeleteFlowLogs report per-resource failures in their Unsuccessful list instead of raising an
error; both are turned into AnsibleFlowLogError here."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list, boto3_tag_list_to_ansible_dict
from ansible_collections.hybridcloud.aws.plugins.module_utils.amazon_aws_deferred import is_boto3_error_code

retry = AWSRetry.jittered_backoff()

# Module option -> DescribeFlowLogs FlowLog member. Each one is a setting AWS cannot change in place.
SETTINGS = {
    "resource_id": "ResourceId",
    "traffic_type": "TrafficType",
    "log_destination_type": "LogDestinationType",
    "log_group_name": "LogGroupName",
    "log_destination": "LogDestination",
    "deliver_logs_permission_arn": "DeliverLogsPermissionArn",
    "max_aggregation_interval": "MaxAggregationInterval",
    "log_format": "LogFormat",
}


class AnsibleFlowLogError(AnsibleAWSError):
    pass


class FlowLogErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleFlowLogError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("InvalidFlowLogId.NotFound")


def _unsuccessful_message(action, unsuccessful):
    reasons = "; ".join(
        "{0}: {1} ({2})".format(item.get("ResourceId", "?"), item.get("Error", {}).get("Message", ""), item.get("Error", {}).get("Code", ""))
        for item in unsuccessful
    )
    return "Failed to {0}: {1}".format(action, reasons)


@FlowLogErrorHandler.list_error_handler("describe the flow logs of {resource_id}", default_value=[])
@retry
def describe_flow_logs(client, resource_id):
    """Every flow log of the resource (VPC, subnet or network interface id)."""
    paginator = client.get_paginator("describe_flow_logs")
    return paginator.paginate(Filters=[{"Name": "resource-id", "Values": [resource_id]}]).build_full_result().get("FlowLogs", [])


@FlowLogErrorHandler.list_error_handler("describe flow log {flow_log_id}")
@retry
def describe_flow_log(client, flow_log_id):
    """The flow log, or None when it does not exist."""
    found = client.describe_flow_logs(FlowLogIds=[flow_log_id]).get("FlowLogs") or []
    return found[0] if found else None


@FlowLogErrorHandler.common_error_handler("create a flow log for {request[ResourceIds]}")
@retry
def create_flow_log(client, request):
    """Create one flow log from a CreateFlowLogs request (with its ClientToken, so a retried call creates it once).
    Returns its id; raises AnsibleFlowLogError with AWS's reasons when the request lists it as unsuccessful."""
    answer = client.create_flow_logs(**request)
    if answer.get("Unsuccessful"):
        raise AnsibleFlowLogError(message=_unsuccessful_message("create a flow log", answer["Unsuccessful"]))
    if len(answer.get("FlowLogIds") or []) != 1:
        raise AnsibleFlowLogError(message="Failed to create a flow log: AWS answered with flow log ids {0}".format(answer.get("FlowLogIds")))
    return answer["FlowLogIds"][0]


@FlowLogErrorHandler.deletion_error_handler("delete flow log {flow_log_id}")
@retry
def delete_flow_log(client, flow_log_id):
    """Delete the flow log; False when it was already gone."""
    answer = client.delete_flow_logs(FlowLogIds=[flow_log_id])
    unsuccessful = answer.get("Unsuccessful") or []
    if any(item.get("Error", {}).get("Code") == "InvalidFlowLogId.NotFound" for item in unsuccessful):
        return False
    if unsuccessful:
        raise AnsibleFlowLogError(message=_unsuccessful_message("delete flow log {0}".format(flow_log_id), unsuccessful))
    return True


@FlowLogErrorHandler.common_error_handler("tag flow log {flow_log_id}")
@retry
def tag_flow_log(client, flow_log_id, tags):
    client.create_tags(Resources=[flow_log_id], Tags=ansible_dict_to_boto3_tag_list(dict(sorted(tags.items()))))


@FlowLogErrorHandler.common_error_handler("untag flow log {flow_log_id}")
@retry
def untag_flow_log(client, flow_log_id, keys):
    client.delete_tags(Resources=[flow_log_id], Tags=[{"Key": key} for key in sorted(keys)])


def _arn(value):
    """A destination ARN as compared: CloudWatch Logs answers a log group's ARN with or without the ':*' suffix."""
    return value[:-2] if value and value.endswith(":*") else value


def flow_log_view(flow_log):
    """A comparable, user-facing view of a DescribeFlowLogs FlowLog (or None)."""
    if not flow_log:
        return None
    view = {option: flow_log.get(member) for option, member in SETTINGS.items()}
    view["log_destination"] = _arn(view["log_destination"])
    view.update(
        flow_log_id=flow_log.get("FlowLogId"),
        flow_log_status=flow_log.get("FlowLogStatus"),
        deliver_logs_status=flow_log.get("DeliverLogsStatus"),
        deliver_logs_error_message=flow_log.get("DeliverLogsErrorMessage"),
        tags=boto3_tag_list_to_ansible_dict(flow_log.get("Tags") or []),
    )
    return view


def setting_differences(view, wanted):
    """The settings (option names, sorted) in which the flow log differs from wanted; a wanted value of None is not
    compared (AWS's default or a destination given the other way)."""
    differences = []
    for option in SETTINGS:
        value = wanted.get(option)
        if value is None:
            continue
        current = view.get(option)
        if option == "log_destination":
            value = _arn(value)
        if current != value:
            differences.append(option)
    return differences


def identified(flow_logs, wanted, name):
    """The flow logs of the resource that the module manages: those tagged Name=name when a name is given, otherwise
    those that deliver to the wanted destination (the log group name or destination ARN)."""
    views = [flow_log_view(flow_log) for flow_log in flow_logs]
    if name:
        return [view for view in views if view["tags"].get("Name") == name]
    found = []
    for view in views:
        if view["log_destination_type"] != wanted["log_destination_type"]:
            continue
        same_group = bool(wanted.get("log_group_name")) and view["log_group_name"] == wanted["log_group_name"]
        same_arn = bool(wanted.get("log_destination")) and view["log_destination"] == _arn(wanted["log_destination"])
        if same_group or same_arn:
            found.append(view)
    return found


def create_request(wanted, resource_type, tags, client_token):
    """The CreateFlowLogs request for wanted (module options; None leaves a member out)."""
    request = {"ResourceIds": [wanted["resource_id"]], "ResourceType": resource_type, "ClientToken": client_token}
    for option, member in SETTINGS.items():
        if option != "resource_id" and wanted.get(option) is not None:
            request[member] = wanted[option]
    if tags:
        request["TagSpecifications"] = [{"ResourceType": "vpc-flow-log", "Tags": ansible_dict_to_boto3_tag_list(dict(sorted(tags.items())))}]
    return request
