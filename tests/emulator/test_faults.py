"""Deterministic fault rules (every N-th call, seeded chance, a cap) and "applied, then failed" answers."""

from __future__ import annotations

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})


def outcomes(call, count):
    """Call `count` times: the 1-based numbers of the calls that failed, with their error codes."""
    failed = {}
    for number in range(1, count + 1):
        try:
            call()
        except ClientError as error:
            failed[number] = error.response["Error"]["Code"]
    return failed


def test_every_third_call_fails_exactly(client, lab_api):
    lab_api("POST", "/_lab/faults", json={"rules": [{"service": "ssm", "operation": "DescribeParameters", "error": "ThrottlingException", "every": 3}]})
    ssm = client("ssm", config=NO_RETRIES)
    assert outcomes(ssm.describe_parameters, 10) == dict.fromkeys([3, 6, 9], "ThrottlingException")
    rule = lab_api("GET", "/_lab/faults")[1]["rules"][0]
    assert (rule["matched"], rule["failed"]) == (10, 3)


def test_offset_shifts_the_failing_calls_and_times_caps_them(client, lab_api):
    rule = {"service": "ec2", "operation": "DescribeVpcs", "error": "RequestLimitExceeded", "every": 3, "offset": 1, "times": 2}
    lab_api("POST", "/_lab/faults", json={"rules": [rule]})
    assert outcomes(client("ec2", config=NO_RETRIES).describe_vpcs, 9) == dict.fromkeys([1, 4], "RequestLimitExceeded")


def test_a_seeded_rule_fails_the_same_calls_in_every_run(client, lab_api):
    rule = {"service": "ecs", "error": "ThrottlingException", "rate": 0.3, "seed": 42}
    ecs = client("ecs", config=NO_RETRIES)
    runs = []
    for _ in range(2):
        lab_api("POST", "/_lab/faults", json={"rules": [rule]})  # posting the rule again restarts its sequence
        runs.append(outcomes(ecs.list_clusters, 30))
    assert runs[0] == runs[1]
    assert 3 <= len(runs[0]) <= 18  # about 30 %: the seed gives a fixed, non-trivial pattern
    lab_api("POST", "/_lab/faults", json={"rules": [dict(rule, seed=43)]})
    assert outcomes(ecs.list_clusters, 30) != runs[0]


def test_applied_then_failed_create_vpc_leaves_exactly_one_vpc(client, lab_api):
    ec2 = client("ec2", config=NO_RETRIES)
    before = {vpc["VpcId"] for vpc in ec2.describe_vpcs()["Vpcs"]}
    lab_api("POST", "/_lab/faults", json={"rules": [{"service": "ec2", "operation": "CreateVpc", "mode": "applied"}]})

    with pytest.raises(ClientError) as raised:
        ec2.create_vpc(CidrBlock="10.42.0.0/16")
    assert raised.value.response["Error"]["Code"] == "InternalError"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500

    created = [vpc for vpc in ec2.describe_vpcs()["Vpcs"] if vpc["VpcId"] not in before]
    assert [vpc["CidrBlock"] for vpc in created] == ["10.42.0.0/16"]
    log = lab_api("GET", "/_lab/requests")[1]["requests"]
    assert [(r["operation"], r["status"], r["mutating"]) for r in log if r["operation"] == "CreateVpc"] == [("CreateVpc", 500, True)]


def test_botocore_retries_an_applied_then_failed_create_into_a_duplicate(client, lab_api):
    """Why non-idempotent creates must not be retried blindly: botocore's own retry makes a second VPC."""
    ec2 = client("ec2", config=Config(retries={"mode": "standard", "total_max_attempts": 2}))
    before = len(ec2.describe_vpcs()["Vpcs"])
    lab_api("POST", "/_lab/faults", json={"rules": [{"service": "ec2", "operation": "CreateVpc", "mode": "applied", "every": 1, "times": 1}]})
    ec2.create_vpc(CidrBlock="10.43.0.0/16")
    assert len(ec2.describe_vpcs()["Vpcs"]) == before + 2


def test_applied_mode_answers_the_given_error(client, lab_api):
    rule = {"service": "ssm", "operation": "PutParameter", "mode": "applied", "error": "ServiceUnavailable", "status": 503}
    lab_api("POST", "/_lab/faults", json={"rules": [rule]})
    ssm = client("ssm", config=NO_RETRIES)
    with pytest.raises(ClientError) as raised:
        ssm.put_parameter(Name="/lab/applied", Value="1", Type="String")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    lab_api("DELETE", "/_lab/faults")
    assert ssm.get_parameter(Name="/lab/applied")["Parameter"]["Value"] == "1"


@pytest.mark.parametrize(
    "rule",
    [
        {"service": "s3", "error": "X", "every": 0},
        {"service": "s3", "error": "X", "every": "2"},
        {"service": "s3", "error": "X", "every": 2, "rate": 0.5},
        {"service": "s3", "error": "X", "every": 2, "seed": 1},
        {"service": "s3", "error": "X", "offset": 1},
        {"service": "s3", "error": "X", "every": 2, "offset": 2},
        {"service": "s3", "error": "X", "times": 0},
        {"service": "s3", "error": "X", "seed": -1},
        {"service": "s3", "mode": "after"},
    ],
)
def test_invalid_deterministic_rules_are_refused(lab_api, rule):
    status, answer = lab_api("POST", "/_lab/faults", json={"rules": [rule]})
    assert status == 400, answer
    assert lab_api("GET", "/_lab/faults")[1] == {"rules": []}
