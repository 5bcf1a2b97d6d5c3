# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The read replicas of a region's RDS DB instances with their replication state and their latest ReplicaLag: one
DescribeDBInstances listing (every page), then the ReplicaLag metric of all replicas in GetMetricData calls of up to
500 queries each (not one GetMetricStatistics per replica). API calls retried with AWSRetry, errors raised as
AnsibleRDSReplicaLagError."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# CloudWatch answers Throttling, RDS Throttling too; both are in AWSRetry's list already.
retry = AWSRetry.jittered_backoff()

# GetMetricData takes at most 500 MetricDataQueries per call.
MAX_QUERIES = 500
# RDS publishes ReplicaLag every minute: one datapoint per minute, the maximum of what was published in it.
PERIOD_SECONDS = 60
REPLICATION_STATUS_TYPE = "read replication"


class AnsibleRDSReplicaLagError(AnsibleAWSError):
    pass


class RDSReplicaLagErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleRDSReplicaLagError


END_MARGIN = datetime.timedelta(minutes=1)


def utcnow():
    """Now, in UTC (a function of its own so that the unit tests can fix the window)."""
    return datetime.datetime.now(datetime.timezone.utc)


@RDSReplicaLagErrorHandler.common_error_handler("describe the DB instances")
@retry
def describe_db_instances(client):
    paginator = client.get_paginator("describe_db_instances")
    return paginator.paginate().build_full_result()["DBInstances"]


@RDSReplicaLagErrorHandler.common_error_handler("read the ReplicaLag metric")
@retry
def _get_metric_data(client, **params):
    return client.get_metric_data(**params)


def replication_status(instance):
    """The instance's StatusInfos entry of type 'read replication' (None when RDS gives none)."""
    for info in instance.get("StatusInfos") or []:
        if info.get("StatusType") == REPLICATION_STATUS_TYPE:
            return info
    return None


def lag_query(query_id, identifier):
    return {
        "Id": query_id,
        "MetricStat": {
            "Metric": {"Namespace": "AWS/RDS", "MetricName": "ReplicaLag", "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": identifier}]},
            "Period": PERIOD_SECONDS,
            "Stat": "Maximum",
            "Unit": "Seconds",
        },
        "ReturnData": True,
    }


def latest_lags(client, identifiers, window_minutes, now=None):
    """{identifier: (seconds, timestamp)} of the newest ReplicaLag datapoint of each instance in the window; an
    instance without a datapoint is left out. Query ids are r0, r1, ... (GetMetricData wants ^[a-z][a-zA-Z0-9_]*$,
    which an instance identifier with hyphens is not)."""
    now = now or utcnow()
    start = now - datetime.timedelta(minutes=window_minutes)
    # EndTime is exclusive (to the second): a minute beyond now keeps a datapoint stamped in this very second, or by a
    # clock a little ahead of the controller's, in the window.
    end = now + END_MARGIN
    latest = {}
    for first in range(0, len(identifiers), MAX_QUERIES):
        batch = identifiers[first : first + MAX_QUERIES]
        by_id = {f"r{first + index}": identifier for index, identifier in enumerate(batch)}
        params = {
            "MetricDataQueries": [lag_query(query_id, identifier) for query_id, identifier in by_id.items()],
            "StartTime": start,
            "EndTime": end,
            "ScanBy": "TimestampDescending",
        }
        while True:
            answer = _get_metric_data(client, **params)
            # A query's datapoints may be spread over the pages: the newest of all of them wins.
            for result in answer.get("MetricDataResults") or []:
                identifier = by_id.get(result.get("Id"))
                for timestamp, value in zip(result.get("Timestamps") or [], result.get("Values") or []):
                    if identifier is not None and (identifier not in latest or timestamp > latest[identifier][1]):
                        latest[identifier] = (value, timestamp)
            if not answer.get("NextToken"):
                break
            params["NextToken"] = answer["NextToken"]
    return latest


def _iso_utc(timestamp):
    if timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=datetime.timezone.utc)
    return timestamp.astimezone(datetime.timezone.utc).isoformat()


def replica_lags(rds_client, cloudwatch_client, identifiers=None, window_minutes=15, now=None):
    """The read replicas of the region (only those named in identifiers when given; a name that is no instance or
    no replica is left out), sorted by identifier, each with its replication state and latest ReplicaLag."""
    wanted = set(identifiers) if identifiers is not None else None
    replicas = [
        instance
        for instance in describe_db_instances(rds_client)
        if instance.get("ReadReplicaSourceDBInstanceIdentifier") and (wanted is None or instance["DBInstanceIdentifier"] in wanted)
    ]
    replicas.sort(key=lambda instance: instance["DBInstanceIdentifier"])
    lags = latest_lags(cloudwatch_client, [instance["DBInstanceIdentifier"] for instance in replicas], window_minutes, now=now)
    entries = []
    for instance in replicas:
        identifier = instance["DBInstanceIdentifier"]
        status = replication_status(instance) or {}
        lag, measured_at = lags.get(identifier, (None, None))
        entries.append(
            {
                "db_instance_identifier": identifier,
                "db_instance_arn": instance.get("DBInstanceArn"),
                "source": instance["ReadReplicaSourceDBInstanceIdentifier"],
                "replication_status": status.get("Status"),
                "replication_normal": status.get("Normal"),
                "lag_seconds": lag,
                "lag_measured_at": _iso_utc(measured_at) if measured_at is not None else None,
            }
        )
    return entries
