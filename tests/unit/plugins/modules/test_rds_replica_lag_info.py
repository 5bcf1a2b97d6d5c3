"""hybridcloud.aws.rds_replica_lag_info against the botocore Stubber (RDS and CloudWatch): every DescribeDBInstances
page, only replicas, the replication entry of StatusInfos, one GetMetricData for all replicas (batches of 500,
NextToken followed, the newest datapoint wins), the window, and errors."""

import json
from datetime import datetime, timedelta, timezone
from unittest import mock

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils import rds_replica_lag
from ansible_collections.hybridcloud.aws.plugins.modules import rds_replica_lag_info as module
from ansible_collections.hybridcloud.aws.tests.unit.ansible_compat import patch_module_args

NOW = datetime(2026, 12, 4, 15, 0, 30, tzinfo=timezone.utc)
SOURCE_ARN = "arn:aws:rds:us-east-1:123456789012:db:hybridcloud-postgres"
REPLICATING = [{"StatusType": "read replication", "Normal": True, "Status": "replicating"}]


def instance(identifier, source=None, status_infos=None):
    described = {"DBInstanceIdentifier": identifier, "DBInstanceArn": f"arn:aws:rds:us-west-2:123456789012:db:{identifier}"}
    if source:
        described["ReadReplicaSourceDBInstanceIdentifier"] = source
    if status_infos is not None:
        described["StatusInfos"] = status_infos
    return described


def query(query_id, identifier):
    return {
        "Id": query_id,
        "MetricStat": {
            "Metric": {"Namespace": "AWS/RDS", "MetricName": "ReplicaLag", "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": identifier}]},
            "Period": 60,
            "Stat": "Maximum",
            "Unit": "Seconds",
        },
        "ReturnData": True,
    }


def metric_params(identifiers, first=0, window=15, token=None):
    params = {
        "MetricDataQueries": [query(f"r{first + index}", identifier) for index, identifier in enumerate(identifiers)],
        "StartTime": NOW - timedelta(minutes=window),
        "EndTime": NOW + timedelta(minutes=1),
        "ScanBy": "TimestampDescending",
    }
    if token:
        params["NextToken"] = token
    return params


def result(query_id, points):
    """A MetricDataResults entry; points: [(minute of 14:xx UTC, value)], newest first as ScanBy asks."""
    return {
        "Id": query_id,
        "Label": "ReplicaLag",
        "Timestamps": [datetime(2026, 12, 4, 14, minute, tzinfo=timezone.utc) for minute, value in points],
        "Values": [value for minute, value in points],
        "StatusCode": "Complete",
    }


@pytest.fixture
def stubs():
    made = {name: boto3.client(name, region_name="us-west-2", aws_access_key_id="unit", aws_secret_access_key="unit") for name in ("rds", "cloudwatch")}
    return made, {name: Stubber(client) for name, client in made.items()}


@pytest.fixture
def run(stubs, capsys):
    made, stubbers = stubs

    def call(args=None):
        args = dict(args or {}, region="us-west-2", _ansible_check_mode=True)
        with (
            patch_module_args(args),
            mock.patch.object(AnsibleAWSModule, "client", side_effect=lambda name, **kw: made[name]),
            mock.patch.object(rds_replica_lag, "utcnow", return_value=NOW),
            mock.patch("time.sleep"),
        ):
            for stubber in stubbers.values():
                stubber.activate()
            with pytest.raises(SystemExit) as exit_info:
                module.main()
        for stubber in stubbers.values():
            stubber.assert_no_pending_responses()
            stubber.deactivate()
        answer = json.loads(capsys.readouterr().out)
        answer["rc"] = exit_info.value.code
        return answer

    return call


def test_every_page_only_replicas_one_metric_call(stubs, run):
    rds, cloudwatch = stubs[1]["rds"], stubs[1]["cloudwatch"]
    rds.add_response("describe_db_instances", {"DBInstances": [instance("standalone"), instance("pg-dr-b", SOURCE_ARN, REPLICATING)], "Marker": "m"}, {})
    rds.add_response("describe_db_instances", {"DBInstances": [instance("pg-dr-a", "pg-local", [])]}, {"Marker": "m"})
    cloudwatch.add_response(
        "get_metric_data",
        {"MetricDataResults": [result("r0", []), result("r1", [(58, 42.5), (57, 80.0)])]},
        metric_params(["pg-dr-a", "pg-dr-b"]),
    )
    answer = run()
    assert (answer["rc"], answer["changed"]) == (0, False)
    assert answer["replicas"] == [
        {
            "db_instance_identifier": "pg-dr-a",
            "db_instance_arn": "arn:aws:rds:us-west-2:123456789012:db:pg-dr-a",
            "source": "pg-local",
            "replication_status": None,
            "replication_normal": None,
            "lag_seconds": None,
            "lag_measured_at": None,
        },
        {
            "db_instance_identifier": "pg-dr-b",
            "db_instance_arn": "arn:aws:rds:us-west-2:123456789012:db:pg-dr-b",
            "source": SOURCE_ARN,
            "replication_status": "replicating",
            "replication_normal": True,
            "lag_seconds": 42.5,
            "lag_measured_at": "2026-12-04T14:58:00+00:00",
        },
    ]


def test_named_identifiers_only_and_absent_when_not_a_replica(stubs, run):
    rds, cloudwatch = stubs[1]["rds"], stubs[1]["cloudwatch"]
    broken = [{"StatusType": "read replication", "Normal": False, "Status": "error", "Message": "stopped"}]
    rds.add_response(
        "describe_db_instances",
        {"DBInstances": [instance("standalone"), instance("pg-dr", SOURCE_ARN, broken), instance("other-dr", SOURCE_ARN, REPLICATING)]},
        {},
    )
    cloudwatch.add_response("get_metric_data", {"MetricDataResults": [result("r0", [(59, 3.0)])]}, metric_params(["pg-dr"], window=60))
    answer = run({"db_instance_identifiers": ["pg-dr", "standalone", "missing"], "window_minutes": 60})
    assert answer["rc"] == 0
    [replica] = answer["replicas"]
    assert (replica["db_instance_identifier"], replica["replication_status"], replica["replication_normal"]) == ("pg-dr", "error", False)
    assert (replica["lag_seconds"], replica["lag_measured_at"]) == (3.0, "2026-12-04T14:59:00+00:00")


def test_no_replica_no_metric_call(stubs, run):
    stubs[1]["rds"].add_response("describe_db_instances", {"DBInstances": [instance("standalone")]}, {})
    answer = run()
    assert (answer["rc"], answer["replicas"]) == (0, [])


def test_next_token_followed_and_the_newest_datapoint_wins(stubs, run):
    rds, cloudwatch = stubs[1]["rds"], stubs[1]["cloudwatch"]
    rds.add_response("describe_db_instances", {"DBInstances": [instance("pg-dr", SOURCE_ARN, REPLICATING)]}, {})
    cloudwatch.add_response("get_metric_data", {"MetricDataResults": [result("r0", [(50, 9.0)])], "NextToken": "t"}, metric_params(["pg-dr"]))
    # A datapoint in another zone (the same instant as 14:55 UTC) on the second page is newer than the first page's.
    later = result("r0", [])
    later["Timestamps"], later["Values"] = [datetime(2026, 12, 4, 16, 55, tzinfo=timezone(timedelta(hours=2)))], [1.5]
    cloudwatch.add_response("get_metric_data", {"MetricDataResults": [later]}, metric_params(["pg-dr"], token="t"))
    [replica] = run()["replicas"]
    assert (replica["lag_seconds"], replica["lag_measured_at"]) == (1.5, "2026-12-04T14:55:00+00:00")


def test_more_than_500_replicas_are_read_in_batches_of_500(stubs, run):
    rds, cloudwatch = stubs[1]["rds"], stubs[1]["cloudwatch"]
    names = [f"pg-dr-{number:03d}" for number in range(501)]
    rds.add_response("describe_db_instances", {"DBInstances": [instance(name, SOURCE_ARN, REPLICATING) for name in names]}, {})
    cloudwatch.add_response("get_metric_data", {"MetricDataResults": [result("r499", [(58, 7.0)])]}, metric_params(names[:500]))
    cloudwatch.add_response("get_metric_data", {"MetricDataResults": [result("r500", [(59, 8.0)])]}, metric_params(names[500:], first=500))
    replicas = run()["replicas"]
    assert len(replicas) == 501
    assert [(r["db_instance_identifier"], r["lag_seconds"]) for r in replicas if r["lag_seconds"] is not None] == [("pg-dr-499", 7.0), ("pg-dr-500", 8.0)]


@pytest.mark.parametrize("window", [0, 1441])
def test_a_window_out_of_range_fails_before_any_call(run, window):
    answer = run({"window_minutes": window})
    assert answer["rc"] == 1
    assert answer["msg"] == f"window_minutes must be between 1 and 1440, got {window}"


def test_a_throttled_metric_read_is_retried(stubs, run):
    rds, cloudwatch = stubs[1]["rds"], stubs[1]["cloudwatch"]
    rds.add_response("describe_db_instances", {"DBInstances": [instance("pg-dr", SOURCE_ARN, REPLICATING)]}, {})
    cloudwatch.add_client_error("get_metric_data", "Throttling", http_status_code=400, expected_params=metric_params(["pg-dr"]))
    cloudwatch.add_response("get_metric_data", {"MetricDataResults": [result("r0", [(58, 0.0)])]}, metric_params(["pg-dr"]))
    [replica] = run()["replicas"]
    assert replica["lag_seconds"] == 0.0


@pytest.mark.parametrize(
    ("service", "operation", "message"),
    [("rds", "describe_db_instances", "Failed to describe the DB instances"), ("cloudwatch", "get_metric_data", "Failed to read the ReplicaLag metric")],
)
def test_errors_fail(stubs, run, service, operation, message):
    rds = stubs[1]["rds"]
    if service == "cloudwatch":
        rds.add_response("describe_db_instances", {"DBInstances": [instance("pg-dr", SOURCE_ARN, REPLICATING)]}, {})
    stubs[1][service].add_client_error(operation, "AccessDenied", http_status_code=403)
    answer = run()
    assert answer["rc"] == 1
    assert message in answer["msg"]
