# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Application Auto Scaling API calls with retries and error handling (scalable targets, scaling policies, tags),
and the comparison that lets the application_autoscaling_* modules change only what differs and plan it in
check mode without a single write."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict, snake_dict_to_camel_dict
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.hybridcloud.aws.plugins.module_utils.amazon_aws_deferred import is_boto3_error_code, scrub_none_parameters
from ansible_collections.hybridcloud.aws.plugins.module_utils.tags import planned_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.tags import sync_tags as shared_sync_tags

# Application Auto Scaling answers ConcurrentUpdateException while another change to the same target is in flight.
retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ConcurrentUpdateException", "ThrottlingException", "InternalServiceException"])

SUSPENDED_KEYS = ("DynamicScalingInSuspended", "DynamicScalingOutSuspended", "ScheduledScalingSuspended")
POLICY_CONFIGURATION_KEYS = {
    "TargetTrackingScaling": "TargetTrackingScalingPolicyConfiguration",
    "StepScaling": "StepScalingPolicyConfiguration",
}
# Keys of a target tracking configuration of which exactly one may be set.
METRIC_KEYS = ("PredefinedMetricSpecification", "CustomizedMetricSpecification")


class AnsibleApplicationAutoScalingError(AnsibleAWSError):
    pass


class ApplicationAutoScalingErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleApplicationAutoScalingError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ObjectNotFoundException", "ResourceNotFoundException"])


def target_key(params):
    """The three values that name a scalable target, in the API's shape, from module params."""
    return {"ServiceNamespace": params["service_namespace"], "ResourceId": params["resource_id"], "ScalableDimension": params["scalable_dimension"]}


def _timestamp(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


# ---------------------------------------------------------------- scalable targets


@ApplicationAutoScalingErrorHandler.common_error_handler("describe the scalable target {key[ResourceId]}")
@retry
def describe_scalable_target(client, key):
    """The scalable target named by key (ServiceNamespace, ResourceId, ScalableDimension), or None."""
    answer = client.describe_scalable_targets(
        ServiceNamespace=key["ServiceNamespace"], ResourceIds=[key["ResourceId"]], ScalableDimension=key["ScalableDimension"]
    )
    for target in answer.get("ScalableTargets", []):
        if target.get("ResourceId") == key["ResourceId"] and target.get("ScalableDimension") == key["ScalableDimension"]:
            return target
    return None


# DescribeScalableTargets takes at most 50 resource ids per request.
RESOURCE_IDS_PER_REQUEST = 50
# DescribeScalingPolicies takes at most 50 policy names per request.
POLICY_NAMES_PER_REQUEST = 50


def _chunks(items, size):
    items = list(items)
    return [items[start : start + size] for start in range(0, len(items), size)] or [[]]


@ApplicationAutoScalingErrorHandler.list_error_handler("describe the scalable targets of {namespace}", default_value=[])
@retry
def describe_scalable_targets(client, namespace, resource_ids=None, dimension=None):
    """Every scalable target of namespace, or only those of resource_ids (None: all), in few paged calls."""
    request = {"ServiceNamespace": namespace}
    if dimension:
        request["ScalableDimension"] = dimension
    wanted = set(resource_ids) if resource_ids is not None else None
    found = []
    for chunk in _chunks(sorted(wanted), RESOURCE_IDS_PER_REQUEST) if wanted else [None]:
        paged = dict(request, ResourceIds=chunk) if chunk else request
        for page in client.get_paginator("describe_scalable_targets").paginate(**paged):
            found.extend(page.get("ScalableTargets", []))
    return [
        target for target in found if (wanted is None or target.get("ResourceId") in wanted) and (not dimension or target.get("ScalableDimension") == dimension)
    ]


@ApplicationAutoScalingErrorHandler.list_error_handler("describe the scaling policies of {namespace}", default_value=[])
@retry
def describe_scaling_policies(client, namespace, resource_ids=None, dimension=None, policy_names=None):
    """Every scaling policy of namespace, or only those of resource_ids and policy_names (None: all).

    DescribeScalingPolicies filters by one resource id at most: with several, the namespace is read whole (paged)
    and filtered here."""
    request = {"ServiceNamespace": namespace}
    if dimension:
        request["ScalableDimension"] = dimension
    if resource_ids is not None and len(set(resource_ids)) == 1:
        request["ResourceId"] = next(iter(resource_ids))
    wanted_resources = set(resource_ids) if resource_ids is not None else None
    wanted_names = set(policy_names) if policy_names is not None else None
    found = []
    for chunk in _chunks(sorted(wanted_names), POLICY_NAMES_PER_REQUEST) if wanted_names else [None]:
        paged = dict(request, PolicyNames=chunk) if chunk else request
        for page in client.get_paginator("describe_scaling_policies").paginate(**paged):
            found.extend(page.get("ScalingPolicies", []))
    return [
        policy
        for policy in found
        if (wanted_resources is None or policy.get("ResourceId") in wanted_resources)
        and (wanted_names is None or policy.get("PolicyName") in wanted_names)
        and (not dimension or policy.get("ScalableDimension") == dimension)
    ]


@ApplicationAutoScalingErrorHandler.common_error_handler("register the scalable target {key[ResourceId]}")
@retry
def register_scalable_target(client, key, settings, tags=None):
    """Create or update the target; settings: MinCapacity, MaxCapacity, SuspendedState, RoleARN (absent: unchanged)."""
    params = dict(key, **settings)
    if tags:
        params["Tags"] = tags
    return client.register_scalable_target(**params).get("ScalableTargetARN")


@ApplicationAutoScalingErrorHandler.deletion_error_handler("deregister the scalable target {key[ResourceId]}")
@retry
def deregister_scalable_target(client, key):
    client.deregister_scalable_target(**key)
    return True


def suspended_state(target):
    """A target's SuspendedState with every flag present (False when AWS leaves one out)."""
    found = (target or {}).get("SuspendedState") or {}
    return {key: bool(found.get(key, False)) for key in SUSPENDED_KEYS}


def planned_target_settings(current, wanted):
    """The RegisterScalableTarget settings that differ between the current target (None: it does not exist)
    and wanted (API shape; absent keys: keep), and the target's settings after the change."""
    if current is None:
        after = dict(wanted)
        after["SuspendedState"] = dict(suspended_state(None), **wanted.get("SuspendedState", {}))
        return dict(wanted), after
    before = {"MinCapacity": current.get("MinCapacity"), "MaxCapacity": current.get("MaxCapacity"), "SuspendedState": suspended_state(current)}
    if current.get("RoleARN"):
        before["RoleARN"] = current["RoleARN"]
    after = dict(before)
    for key, value in wanted.items():
        after[key] = dict(before["SuspendedState"], **value) if key == "SuspendedState" else value
    changes = {key: after[key] for key in wanted if after[key] != before.get(key)}
    return changes, after


def scalable_target_view_differs(current, min_capacity, max_capacity, tags, purge_tags=True):
    """Whether application_autoscaling_target, given these limits and tags, would change the target current as
    application_autoscaling_info returns it with tags (None: missing); the module's own rules (planned_target_settings,
    planned_tags)."""
    if not current:
        return True
    api_current = {"MinCapacity": current.get("min_capacity"), "MaxCapacity": current.get("max_capacity")}
    changes, _after = planned_target_settings(api_current, {"MinCapacity": min_capacity, "MaxCapacity": max_capacity})
    to_set, to_unset, _tags = planned_tags(current.get("tags") or {}, tags, purge_tags)
    return bool(changes or to_set or to_unset)


# ---------------------------------------------------------------- tags


@ApplicationAutoScalingErrorHandler.common_error_handler("list the tags of {arn}")
@retry
def list_tags(client, arn):
    return client.list_tags_for_resource(ResourceARN=arn).get("Tags") or {}


@ApplicationAutoScalingErrorHandler.common_error_handler("tag {arn}")
@retry
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceARN=arn, Tags=tags)


@ApplicationAutoScalingErrorHandler.common_error_handler("untag {arn}")
@retry
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceARN=arn, TagKeys=keys)


def sync_tags(client, arn, current, wanted, purge, *, check_mode):
    """Make the tags of arn match wanted (None: leave them); returns (changed, resulting tags)."""
    return shared_sync_tags(
        current,
        wanted,
        purge,
        tag=lambda tags: tag_resource(client, arn, tags),
        untag=lambda keys: untag_resource(client, arn, keys),
        check_mode=check_mode,
    )


def scalable_target_result(target, tags):
    """A scalable target as modules return it: snake_case, tags as a dict; {} when there is none."""
    if not target:
        return {}
    result = camel_dict_to_snake_dict({key: value for key, value in target.items() if key not in ("CreationTime", "SuspendedState")})
    result["suspended_state"] = camel_dict_to_snake_dict(suspended_state(target))
    if target.get("CreationTime"):
        result["creation_time"] = _timestamp(target["CreationTime"])
    result["tags"] = dict(tags or {})
    return result


# ---------------------------------------------------------------- scaling policies


@ApplicationAutoScalingErrorHandler.common_error_handler("describe scaling policy {name} of {key[ResourceId]}")
@retry
def describe_scaling_policy(client, key, name):
    """The scaling policy called name on the target named by key, or None."""
    answer = client.describe_scaling_policies(PolicyNames=[name], **key)
    for policy in answer.get("ScalingPolicies", []):
        if policy.get("PolicyName") == name and policy.get("ResourceId") == key["ResourceId"]:
            return policy
    return None


@ApplicationAutoScalingErrorHandler.common_error_handler("put scaling policy {name} on {key[ResourceId]}")
@retry
def put_scaling_policy(client, key, name, policy_type, configuration):
    params = dict(key, PolicyName=name, PolicyType=policy_type)
    params[POLICY_CONFIGURATION_KEYS[policy_type]] = configuration
    return client.put_scaling_policy(**params)


@ApplicationAutoScalingErrorHandler.deletion_error_handler("delete scaling policy {name} of {key[ResourceId]}")
@retry
def delete_scaling_policy(client, key, name):
    client.delete_scaling_policy(PolicyName=name, **key)
    return True


def policy_configuration(policy):
    """The policy's configuration of its own type (TargetTracking... or StepScaling...), or {}."""
    if not policy:
        return {}
    return policy.get(POLICY_CONFIGURATION_KEYS.get(policy.get("PolicyType"), ""), None) or {}


def planned_policy_configuration(current, policy_type, wanted):
    """The configuration to put, and whether it differs from the current policy (None: there is none).

    Options the user left out keep their current value (AWS's defaults on creation), so a task that sets only
    target_value does not reset the cooldowns; lists (StepAdjustments, metric dimensions) are replaced whole.
    A policy of another type is replaced by wanted as it is."""
    if current is None or current.get("PolicyType") != policy_type:
        return dict(wanted), True
    before = policy_configuration(current)
    merged = dict(before)
    if any(key in wanted for key in METRIC_KEYS):
        for key in METRIC_KEYS:
            merged.pop(key, None)
    merged.update(wanted)
    return merged, merged != before


def target_tracking_configuration(options):
    """The target tracking options in the API's shape; unset options are absent."""
    configuration = {"TargetValue": options["target_value"]}
    for option, key in (("scale_out_cooldown", "ScaleOutCooldown"), ("scale_in_cooldown", "ScaleInCooldown"), ("disable_scale_in", "DisableScaleIn")):
        if options.get(option) is not None:
            configuration[key] = options[option]
    predefined = options.get("predefined_metric_specification")
    if predefined:
        configuration["PredefinedMetricSpecification"] = {"PredefinedMetricType": predefined["predefined_metric_type"]}
        if predefined.get("resource_label"):
            configuration["PredefinedMetricSpecification"]["ResourceLabel"] = predefined["resource_label"]
    customized = options.get("customized_metric_specification")
    if customized:
        configuration["CustomizedMetricSpecification"] = snake_dict_to_camel_dict(scrub_none_parameters(customized), capitalize_first=True)
    return configuration


def step_scaling_configuration(options):
    """The step scaling options in the API's shape; unset options are absent."""
    configuration = {}
    for option, key in (
        ("adjustment_type", "AdjustmentType"),
        ("min_adjustment_magnitude", "MinAdjustmentMagnitude"),
        ("cooldown", "Cooldown"),
        ("metric_aggregation_type", "MetricAggregationType"),
    ):
        if options.get(option) is not None:
            configuration[key] = options[option]
    if options.get("step_adjustments") is not None:
        configuration["StepAdjustments"] = [
            snake_dict_to_camel_dict(scrub_none_parameters(step), capitalize_first=True) for step in options["step_adjustments"]
        ]
    return configuration


def option_configuration(policy_type, options):
    """A policy configuration given in the option names of application_autoscaling_scaling_policy (its
    target_tracking_scaling_policy_configuration or step_scaling_policy_configuration), in the API's shape."""
    if policy_type == "TargetTrackingScaling":
        return target_tracking_configuration(options)
    return step_scaling_configuration(options)


def policy_view_differs(current, policy_type, options):
    """Whether application_autoscaling_scaling_policy, given policy_type and options (its configuration option of that
    type), would change the policy current, as application_autoscaling_info returns it (None: missing).

    The module's own rule (planned_policy_configuration): wanted options merged over the current configuration,
    a metric specification replacing the other kind, another type replaced whole."""
    if not current:
        return True
    view_key = POLICY_CONFIGURATION_KEYS.get(current.get("policy_type"), "")
    view = current.get(_SNAKE_CONFIGURATION_KEYS.get(view_key, ""), None) or {}
    api_current = {"PolicyType": current.get("policy_type")}
    if view_key:
        api_current[view_key] = snake_dict_to_camel_dict(view, capitalize_first=True)
    return planned_policy_configuration(api_current, policy_type, option_configuration(policy_type, options))[1]


_SNAKE_CONFIGURATION_KEYS = {
    "TargetTrackingScalingPolicyConfiguration": "target_tracking_scaling_policy_configuration",
    "StepScalingPolicyConfiguration": "step_scaling_policy_configuration",
}


def scaling_policy_result(policy):
    """A scaling policy as modules return it: snake_case (CloudWatch dimension names and values untouched)."""
    if not policy:
        return {}
    result = camel_dict_to_snake_dict({key: value for key, value in policy.items() if key != "CreationTime"})
    if policy.get("CreationTime"):
        result["creation_time"] = _timestamp(policy["CreationTime"])
    return result
