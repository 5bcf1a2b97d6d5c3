# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Route 53 health checks of type CLOUDWATCH_METRIC (module route53_alarm_health_check): found by their Name tag
(or, after a create whose tagging failed, by the caller reference the module gives them), compared, created, updated,
tagged and deleted; and the record sets of a hosted zone, listed and changed in one batch (module route53_record_sets).
Every call is retried on throttling."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import uuid

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["Throttling", "ThrottlingException", "PriorRequestNotComplete"])
CALLER_PREFIX = "hybridcloud:"


class AnsibleRoute53HealthError(AnsibleAWSError):
    pass


class Route53HealthErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleRoute53HealthError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NoSuchHealthCheck")


def caller_reference(name):
    """A new caller reference naming the health check (a caller reference can never be used twice)."""
    return "{0}{1}:{2}".format(CALLER_PREFIX, name, uuid.uuid4().hex[:12])[:64]


def _named_by_reference(check, name):
    reference = check.get("CallerReference", "")
    return reference.startswith("{0}{1}:".format(CALLER_PREFIX, name)[:51])


@Route53HealthErrorHandler.list_error_handler("list the health checks", [])
@retry
def list_health_checks(client):
    return client.get_paginator("list_health_checks").paginate().build_full_result()["HealthChecks"]


@Route53HealthErrorHandler.list_error_handler("list the health checks' tags", {})
@retry
def tags_of(client, check_ids):
    """{health check id: {key: value}} of the given health checks (ListTagsForResources, 10 at a time)."""
    tags = {}
    for start in range(0, len(check_ids), 10):
        answer = client.list_tags_for_resources(ResourceType="healthcheck", ResourceIds=check_ids[start : start + 10])
        for item in answer["ResourceTagSets"]:
            tags[item["ResourceId"]] = {tag["Key"]: tag.get("Value", "") for tag in item.get("Tags", [])}
    return tags


def find(client, name):
    """(the CLOUDWATCH_METRIC health checks tagged Name=name or created for it, their tags by id)."""
    checks = [check for check in list_health_checks(client) if check["HealthCheckConfig"]["Type"] == "CLOUDWATCH_METRIC"]
    tags = tags_of(client, [check["Id"] for check in checks]) if checks else {}
    found = [check for check in checks if tags.get(check["Id"], {}).get("Name") == name or _named_by_reference(check, name)]
    return found, tags


def config_differences(check, *, alarm_region, alarm_name, insufficient, inverted, disabled):
    """The UpdateHealthCheck parameters that would change the health check, {} when none."""
    config = check["HealthCheckConfig"]
    changes = {}
    if config.get("AlarmIdentifier") != {"Region": alarm_region, "Name": alarm_name}:
        changes["AlarmIdentifier"] = {"Region": alarm_region, "Name": alarm_name}
    if config.get("InsufficientDataHealthStatus") != insufficient:
        changes["InsufficientDataHealthStatus"] = insufficient
    if bool(config.get("Inverted")) != inverted:
        changes["Inverted"] = inverted
    if bool(config.get("Disabled")) != disabled:
        changes["Disabled"] = disabled
    return changes


@Route53HealthErrorHandler.common_error_handler("create the health check")
@retry
def create(client, reference, *, alarm_region, alarm_name, insufficient, inverted, disabled):
    config = {
        "Type": "CLOUDWATCH_METRIC",
        "AlarmIdentifier": {"Region": alarm_region, "Name": alarm_name},
        "InsufficientDataHealthStatus": insufficient,
        "Inverted": inverted,
        "Disabled": disabled,
    }
    return client.create_health_check(CallerReference=reference, HealthCheckConfig=config)["HealthCheck"]


@Route53HealthErrorHandler.common_error_handler("update the health check")
@retry
def update(client, check, changes):
    params = dict(changes, HealthCheckId=check["Id"], HealthCheckVersion=check["HealthCheckVersion"])
    return client.update_health_check(**params)["HealthCheck"]


@Route53HealthErrorHandler.common_error_handler("tag the health check")
@retry
def change_tags(client, check_id, add, remove):
    params = {"ResourceType": "healthcheck", "ResourceId": check_id}
    if add:
        params["AddTags"] = [{"Key": key, "Value": value} for key, value in sorted(add.items())]
    if remove:
        params["RemoveTagKeys"] = sorted(remove)
    client.change_tags_for_resource(**params)


@Route53HealthErrorHandler.deletion_error_handler("delete the health check")
@retry
def delete(client, check_id):
    client.delete_health_check(HealthCheckId=check_id)
    return True


# ---------------------------------------------------------------- record sets (module route53_record_sets)


@Route53HealthErrorHandler.common_error_handler("list the record sets of hosted zone {zone_id}")
@retry
def list_record_sets(client, zone_id):
    return client.get_paginator("list_resource_record_sets").paginate(HostedZoneId=zone_id).build_full_result()["ResourceRecordSets"]


@Route53HealthErrorHandler.common_error_handler("change the record sets of hosted zone {zone_id}")
@retry
def change_record_sets(client, zone_id, changes, comment):
    batch = {"Changes": changes, "Comment": comment}
    return client.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch=batch)["ChangeInfo"]
