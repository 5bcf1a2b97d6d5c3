# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One read of the ECS services layer (the role hybridcloud.aws.ecs_services), everything by name and side by side:
the services (DescribeServices in batches of 10, with their tags), the latest ACTIVE revision of each task definition
family (DescribeTaskDefinition with its tags, one per family: ECS has no batch read of task definitions), the IAM
roles (GetRole, ListAttachedRolePolicies and GetRolePolicy of each named inline policy), the Application Auto Scaling
targets (one DescribeScalableTargets for all, then ListTagsForResource per target) and policies (one
DescribeScalingPolicies), and the CloudWatch alarms (DescribeAlarms, 100 names a call).

Each part is returned in the form its write module compares: services as ECS answers them (camelCase, tags as a dict,
events left out), task definitions as hybridcloud.aws.ecs_task_definition_info returns them (a comparable view as
hybridcloud.aws.ecs_external_task_definition compares), roles as hybridcloud.aws.ecs_cluster_layer_info returns them,
scaling as hybridcloud.aws.application_autoscaling_info returns it (with tags), and alarms without the keys
amazon.aws.cloudwatch_metric_alarm leaves out of its comparison."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.hybridcloud.aws.plugins.module_utils.amazon_aws_deferred import is_boto3_error_code, is_boto3_error_message, normalize_boto3_result
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import (
    describe_scalable_targets,
    describe_scaling_policies,
    list_tags,
    scalable_target_result,
    scaling_policy_result,
)
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import ecs_tags_to_dict, normalize_task_definition
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs_cluster_layer import attached_policy_arns, get_role, get_role_policy, normalised_role
from ansible_collections.hybridcloud.aws.plugins.module_utils.side_by_side import SideBySide

# ECS throttles with ThrottlingException and fails transiently with ServerException; AWSRetry knows neither.
retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException", "ServerException"])

# Threads for the independent calls; 1 runs them one after the other (the unit tests do, for botocore's Stubber).
MAX_WORKERS = 8
# DescribeServices takes at most 10 services, DescribeAlarms at most 100 alarm names.
SERVICES_PER_REQUEST = 10
ALARMS_PER_REQUEST = 100
SCALABLE_DIMENSION = "ecs:service:DesiredCount"

# The keys amazon.aws.cloudwatch_metric_alarm leaves out when it compares an alarm with what it would put.
ALARM_UNCOMPARED = (
    "ActionsEnabled",
    "StateValue",
    "StateReason",
    "StateReasonData",
    "StateUpdatedTimestamp",
    "StateTransitionedTimestamp",
    "AlarmArn",
    "AlarmConfigurationUpdatedTimestamp",
    "Metrics",
)


class AnsibleEcsServicesLayerError(AnsibleAWSError):
    pass


class EcsServicesLayerErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleEcsServicesLayerError

    @classmethod
    def _is_missing(cls):
        # A cluster that does not exist (yet) has no services.
        return is_boto3_error_code(["ClusterNotFoundException"])


def _chunks(items, size):
    items = list(items)
    return [items[start : start + size] for start in range(0, len(items), size)]


@EcsServicesLayerErrorHandler.list_error_handler("describe services of cluster {cluster}", default_value=[])
@retry
def describe_services(client, cluster, names):
    """The services of these names (at most 10) that exist; INACTIVE (deleted) ones are left out."""
    answer = client.describe_services(cluster=cluster, services=names, include=["TAGS"])
    return [service for service in answer.get("services") or [] if service.get("status") != "INACTIVE"]


@EcsServicesLayerErrorHandler.common_error_handler("describe task definition {family}")
@retry
def describe_latest_task_definition(client, family):
    """The family's latest ACTIVE revision (or the revision family:revision or ARN) with its tags, or None (ECS answers a
    family without one with an error)."""
    try:
        answer = client.describe_task_definition(taskDefinition=family, include=["TAGS"])
    except is_boto3_error_message("Unable to describe task definition"):
        return None
    definition = answer.get("taskDefinition") or {}
    if definition.get("status") != "ACTIVE":
        return None
    return dict(definition, tags=answer.get("tags") or [])


@EcsServicesLayerErrorHandler.common_error_handler("describe alarms {names}")
@retry
def describe_alarms(client, names):
    paginator = client.get_paginator("describe_alarms")
    return paginator.paginate(AlarmNames=names, AlarmTypes=["MetricAlarm"]).build_full_result().get("MetricAlarms") or []


def normalised_service(service):
    """The service as ECS answers it (camelCase, the form both service modules compare), tags as a dict, no events."""
    result = normalize_boto3_result({key: value for key, value in service.items() if key not in ("events", "tags")})
    result["tags"] = ecs_tags_to_dict(service.get("tags"))
    return result


def normalised_task_definition(definition):
    """As hybridcloud.aws.ecs_task_definition_info returns a revision, with its tags as a dict."""
    return {
        "family": definition["family"],
        "task_definition_arn": definition["taskDefinitionArn"],
        "revision": definition.get("revision"),
        "compatibilities": definition.get("compatibilities") or [],
        "comparable": normalize_task_definition(definition),
        "tags": ecs_tags_to_dict(definition.get("tags")),
    }


def comparable_metric_alarm(alarm):
    """The alarm as amazon.aws.cloudwatch_metric_alarm compares it with the parameters it would put: without the
    state, timestamps and ARN, TreatMissingData 'missing' when absent, no empty Dimensions."""
    result = {key: value for key, value in alarm.items() if key not in ALARM_UNCOMPARED}
    result.setdefault("TreatMissingData", "missing")
    if not result.get("Dimensions"):
        result.pop("Dimensions", None)
    return normalize_boto3_result(result)


def metric_alarm_params(options):
    """The PutMetricAlarm parameters amazon.aws.cloudwatch_metric_alarm builds from these options (its option names,
    its defaults and types; dimensions from a dict into a list in the dict's order; None values dropped): what it
    compares with comparable_metric_alarm of the alarm that exists."""
    params = {
        "AlarmName": options.get("name"),
        "MetricName": options.get("metric_name"),
        "Namespace": options.get("namespace"),
        "Statistic": options.get("statistic"),
        "ComparisonOperator": options.get("comparison"),
        "Threshold": float(options["threshold"]) if options.get("threshold") is not None else None,
        "Period": int(options["period"]) if options.get("period") is not None else None,
        "EvaluateLowSampleCountPercentile": options.get("evaluate_low_sample_count_percentile"),
        "DatapointsToAlarm": int(options["datapoints_to_alarm"]) if options.get("datapoints_to_alarm") is not None else None,
        "EvaluationPeriods": int(options["evaluation_periods"]) if options.get("evaluation_periods") is not None else None,
        "AlarmDescription": options.get("description"),
        "Dimensions": [{"Name": key, "Value": value} for key, value in options["dimensions"].items()] if options.get("dimensions") else None,
        "AlarmActions": list(options.get("alarm_actions") or []),
        "InsufficientDataActions": list(options.get("insufficient_data_actions") or []),
        "OKActions": list(options.get("ok_actions") or []),
        "TreatMissingData": options.get("treat_missing_data") or "missing",
    }
    if options.get("unit"):
        params["Unit"] = options["unit"]
    if options.get("extended_statistic"):
        params["ExtendedStatistic"] = options["extended_statistic"]
    return {key: value for key, value in params.items() if value is not None}


def metric_alarm_differences(current, options):
    """The parameters in which the alarm that exists (comparable_metric_alarm; None: there is none) differs from what
    amazon.aws.cloudwatch_metric_alarm would put for options; ["missing"] when there is none, [] when the module would
    not write."""
    if not current:
        return ["missing"]
    params = metric_alarm_params(options)
    return sorted(key for key in set(current) | set(params) if current.get(key) != params.get(key))


def read_role(client, reads, name, policy_names):
    """Starts the reads of a role; returns a callable giving it normalised ({} when there is none)."""
    role = reads.start(get_role, client, name)
    managed = reads.start(attached_policy_arns, client, name)
    inline = {policy_name: reads.start(get_role_policy, client, name, policy_name) for policy_name in policy_names}

    def result():
        found = role()
        policies = {policy_name: document() for policy_name, document in inline.items()}
        return normalised_role(found, managed() or [], {key: value for key, value in policies.items() if value is not None})

    return result


def read_scaling(client, reads, resource_ids):
    """The scalable targets (with tags) and scaling policies of resource_ids, as application_autoscaling_info
    returns them: one DescribeScalableTargets and one DescribeScalingPolicies, then the targets' tags side by side."""
    if not resource_ids:
        return [], []
    policies = reads.start(describe_scaling_policies, client, "ecs", resource_ids, SCALABLE_DIMENSION)
    targets = sorted(describe_scalable_targets(client, "ecs", resource_ids, SCALABLE_DIMENSION), key=lambda found: found.get("ResourceId", ""))
    tags = [reads.start(list_tags, client, target["ScalableTargetARN"]) if target.get("ScalableTargetARN") else (lambda: {}) for target in targets]
    ordered = sorted(policies(), key=lambda found: (found.get("ResourceId", ""), found.get("PolicyName", "")))
    return [scalable_target_result(target, target_tags()) for target, target_tags in zip(targets, tags)], [scaling_policy_result(p) for p in ordered]


def read_layer(clients, names):
    """{services, task_definitions, running_task_definitions, roles, scalable_targets, scaling_policies, alarms}.

    clients: {ecs, iam, application-autoscaling, cloudwatch}; names: {cluster, services (names, also the task
    definition families), roles ({role name: [inline policy names to read]}), scaled_services (names of the
    services whose scaling to read), alarms (names)}. Something that does not exist is left out (roles: {}).

    Raises AnsibleEcsServicesLayerError (or the application_autoscaling / IAM errors) with AWS's error."""
    ecs, iam = clients["ecs"], clients["iam"]
    cluster = names["cluster"]
    cluster_name = cluster.split("/")[-1]
    services = list(dict.fromkeys(names.get("services") or []))
    with SideBySide(MAX_WORKERS) as reads:
        service_batches = [reads.start(describe_services, ecs, cluster, batch) for batch in _chunks(services, SERVICES_PER_REQUEST)]
        definitions = [reads.start(describe_latest_task_definition, ecs, family) for family in services]
        roles = {name: read_role(iam, reads, name, policy_names or []) for name, policy_names in (names.get("roles") or {}).items()}
        alarm_names = list(dict.fromkeys(names.get("alarms") or []))
        alarm_batches = [reads.start(describe_alarms, clients["cloudwatch"], batch) for batch in _chunks(alarm_names, ALARMS_PER_REQUEST)]
        # The targets' tags need their ARNs: read after them, side by side, while the others run.
        resource_ids = ["service/%s/%s" % (cluster_name, name) for name in dict.fromkeys(names.get("scaled_services") or [])]
        targets, policies = read_scaling(clients["application-autoscaling"], reads, resource_ids)
        found_services = [service for batch in service_batches for service in batch() or []]
        latest = [definition() for definition in definitions if definition() is not None]
        # A service that runs another revision than its family's latest: that revision too (side by side; none on a
        # converged layer), since community.aws.ecs_taskdefinition reuses any ACTIVE revision that matches.
        latest_arns = {definition["taskDefinitionArn"] for definition in latest}
        running_arns = [arn for arn in dict.fromkeys(service.get("taskDefinition") for service in found_services) if arn and arn not in latest_arns]
        running = [reads.start(describe_latest_task_definition, ecs, arn) for arn in running_arns]
        return {
            "services": [normalised_service(service) for service in found_services],
            "task_definitions": [normalised_task_definition(definition) for definition in latest],
            "running_task_definitions": [normalised_task_definition(definition()) for definition in running if definition() is not None],
            "roles": {name: role() for name, role in roles.items()},
            "scalable_targets": targets,
            "scaling_policies": policies,
            "alarms": {alarm["AlarmName"]: comparable_metric_alarm(alarm) for batch in alarm_batches for alarm in batch()},
        }
