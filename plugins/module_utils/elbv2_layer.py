# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One read of the load balancer layer (the role hybridcloud.aws.load_balancer): the ALB by name and the target groups
by name, side by side; then, side by side, the ALB's attributes, its listeners with their rules, each target group's
attributes and (where the role manages them) registered targets, and the tags of all of them in DescribeTags calls of
up to 20 ARNs.

The ALB's listeners and rules are kept as the ELBv2 API answers them (CamelCase): that is the form
amazon.aws.elb_application_lb compares (module_utils.elbv2), so the filter hybridcloud.aws.load_balancer_writes can
hand them to the same comparison. Attributes are keyed as the write modules key them (dots replaced by underscores)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.hybridcloud.aws.plugins.module_utils.side_by_side import SideBySide

# ELBv2 throttles with Throttling (AWSRetry's default codes) and answers a just-changed resource with
# ...NotFound for a moment only on writes, so reads need no extra codes.
retry = AWSRetry.jittered_backoff()

# Threads for the independent calls; 1 runs them one after the other (the unit tests do, for botocore's Stubber).
MAX_WORKERS = 8

# DescribeTags takes at most 20 resource ARNs; DescribeTargetGroups at most 20 names a call (AWS's quotas).
TAGS_BATCH = 20
NAMES_BATCH = 20


class AnsibleElbv2LayerError(AnsibleAWSError):
    pass


class Elbv2LayerErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleElbv2LayerError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["LoadBalancerNotFound", "TargetGroupNotFound", "ListenerNotFound"])


@Elbv2LayerErrorHandler.list_error_handler("describe load balancer {name}")
@retry
def describe_load_balancer(client, name):
    """The ALB of this name as DescribeLoadBalancers answers it; None when there is none (LoadBalancerNotFound)."""
    found = client.describe_load_balancers(Names=[name]).get("LoadBalancers") or []
    return found[0] if found else None


@Elbv2LayerErrorHandler.common_error_handler("describe the target groups")
@retry
def describe_target_groups(client, names):
    """The target groups of these names that exist, by name. One call for up to 20 names while all of them exist; when
    one is missing (DescribeTargetGroups then fails as a whole) the account's target groups are listed instead."""
    found = {}
    try:
        for start in range(0, len(names), NAMES_BATCH):
            answer = client.describe_target_groups(Names=names[start : start + NAMES_BATCH])
            found.update((group["TargetGroupName"], group) for group in answer.get("TargetGroups") or [])
        return found
    except is_boto3_error_code("TargetGroupNotFound"):
        wanted = set(names)
        paginator = client.get_paginator("describe_target_groups")
        for page in paginator.paginate():
            found.update((group["TargetGroupName"], group) for group in page.get("TargetGroups") or [] if group["TargetGroupName"] in wanted)
        return found


@Elbv2LayerErrorHandler.common_error_handler("describe the tags of {arns}")
@retry
def describe_tags(client, arns):
    """{arn: tags as a dict} for up to 20 ARNs (one DescribeTags call)."""
    answer = client.describe_tags(ResourceArns=arns)
    return {item["ResourceArn"]: boto3_tag_list_to_ansible_dict(item.get("Tags") or []) for item in answer.get("TagDescriptions") or []}


def attributes_dict(attributes):
    """{key: value} with the dots of the keys replaced by underscores, as elb_application_lb and elb_target_group key
    them (access_logs.s3.enabled -> access_logs_s3_enabled)."""
    return {item["Key"].replace(".", "_"): item["Value"] for item in attributes or []}


@Elbv2LayerErrorHandler.common_error_handler("describe the attributes of load balancer {arn}")
@retry
def load_balancer_attributes(client, arn):
    return attributes_dict(client.describe_load_balancer_attributes(LoadBalancerArn=arn).get("Attributes"))


@Elbv2LayerErrorHandler.common_error_handler("describe the attributes of target group {arn}")
@retry
def target_group_attributes(client, arn):
    return attributes_dict(client.describe_target_group_attributes(TargetGroupArn=arn).get("Attributes"))


@Elbv2LayerErrorHandler.common_error_handler("describe the listeners of load balancer {arn}")
@retry
def describe_listeners(client, arn):
    paginator = client.get_paginator("describe_listeners")
    return paginator.paginate(LoadBalancerArn=arn).build_full_result().get("Listeners") or []


@Elbv2LayerErrorHandler.common_error_handler("describe the rules of listener {arn}")
@retry
def describe_rules(client, arn):
    paginator = client.get_paginator("describe_rules")
    return paginator.paginate(ListenerArn=arn).build_full_result().get("Rules") or []


@Elbv2LayerErrorHandler.common_error_handler("describe the targets of target group {arn}")
@retry
def registered_targets(client, arn):
    """The registered targets [{id, port, availability_zone}] (DescribeTargetHealth without Targets lists them all)."""
    answer = client.describe_target_health(TargetGroupArn=arn)
    targets = []
    for description in answer.get("TargetHealthDescriptions") or []:
        target = description["Target"]
        registration = {"id": target["Id"], "port": target.get("Port")}
        if target.get("AvailabilityZone"):
            registration["availability_zone"] = target["AvailabilityZone"]
        targets.append(registration)
    return targets


def normalised_load_balancer(balancer, attributes, tags, listeners):
    """The ALB as the role compares it: DescribeLoadBalancers' answer in snake_case, with subnets (the subnet ids of its
    zones, sorted), attributes, tags as a dict and the listeners (None when not read)."""
    result = camel_dict_to_snake_dict({key: value for key, value in balancer.items() if key != "CreatedTime"})
    result["subnets"] = sorted(zone["SubnetId"] for zone in balancer.get("AvailabilityZones") or [])
    result["security_groups"] = list(balancer.get("SecurityGroups") or [])
    result["attributes"] = attributes
    result["tags"] = tags
    result["listeners"] = listeners
    return result


def normalised_target_group(group, attributes, tags, targets):
    """A target group as the role compares it: DescribeTargetGroups' answer in snake_case (as elb_target_group returns
    it), with attributes, tags as a dict and the registered targets (None when not read)."""
    result = camel_dict_to_snake_dict(group)
    result["attributes"] = attributes
    result["tags"] = tags
    result["targets"] = targets
    return result


def read_tags(client, reads, arns):
    """{arn: tags} of these ARNs, batches of 20 side by side."""
    batches = [reads.start(describe_tags, client, arns[start : start + TAGS_BATCH]) for start in range(0, len(arns), TAGS_BATCH)]
    tags = {}
    for batch in batches:
        tags.update(batch())
    return tags


def read_listeners(client, reads, arn):
    """The ALB's listeners (as the API answers them) sorted by port, each with its Rules (as the API answers them)."""
    listeners = sorted(describe_listeners(client, arn), key=lambda listener: listener["Port"])
    rules = [reads.start(describe_rules, client, listener["ListenerArn"]) for listener in listeners]
    return [dict(listener, Rules=pending()) for listener, pending in zip(listeners, rules)]


def read_layer(client, name, target_groups=None, targets_of=None, details=True):
    """{load_balancer: {} or the ALB, target_groups: {name: group}, target_group_arns: {name: arn},
    missing_target_groups: [names]}.

    details False reads only the ALB and the target groups (two calls): no attributes, tags, listeners, rules or
    targets. targets_of: the names of the target groups whose registered targets are read.

    Raises AnsibleElbv2LayerError with AWS's error."""
    names = list(dict.fromkeys(target_groups or []))
    targets_of = set(targets_of or [])
    with SideBySide(MAX_WORKERS) as reads:
        pending_groups = reads.start(describe_target_groups, client, names) if names else (lambda: {})
        balancer = describe_load_balancer(client, name) or {}
        groups = pending_groups()
        if not details:
            load_balancer = camel_dict_to_snake_dict({k: v for k, v in balancer.items() if k != "CreatedTime"}) if balancer else {}
            found = {group_name: camel_dict_to_snake_dict(group) for group_name, group in groups.items()}
        else:
            arn = balancer.get("LoadBalancerArn")
            pending_attributes = reads.start(load_balancer_attributes, client, arn) if arn else None
            group_attributes = {group_name: reads.start(target_group_attributes, client, group["TargetGroupArn"]) for group_name, group in groups.items()}
            group_targets = {
                group_name: reads.start(registered_targets, client, group["TargetGroupArn"]) for group_name, group in groups.items() if group_name in targets_of
            }
            tags = read_tags(client, reads, ([arn] if arn else []) + [group["TargetGroupArn"] for group in groups.values()])
            listeners = read_listeners(client, reads, arn) if arn else None
            load_balancer = normalised_load_balancer(balancer, pending_attributes(), tags.get(arn, {}), listeners) if arn else {}
            found = {
                group_name: normalised_target_group(
                    group,
                    group_attributes[group_name](),
                    tags.get(group["TargetGroupArn"], {}),
                    group_targets[group_name]() if group_name in group_targets else None,
                )
                for group_name, group in groups.items()
            }
    return {
        "load_balancer": load_balancer,
        "target_groups": found,
        "target_group_arns": {group_name: group["target_group_arn"] for group_name, group in found.items()},
        "missing_target_groups": [group_name for group_name in names if group_name not in found],
    }
