"""The lab control plane: health, reset, request log, fault injection and extension routes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from awsemu import control

SCRIPT = Path(__file__).resolve().parents[2] / "lab" / "emulator.sh"


def test_health_answers_ok(lab_api):
    assert lab_api("GET", "/_lab/health") == (200, {"status": "ok"})


def test_unknown_lab_path_and_wrong_method_are_refused(lab_api):
    assert lab_api("GET", "/_lab/no-such-knob")[0] == 404
    assert lab_api("PUT", "/_lab/health")[0] == 405


def test_reset_drops_every_resource(client, lab_api):
    s3, ssm, ec2 = client("s3"), client("ssm"), client("ec2")
    s3.create_bucket(Bucket="lab-reset-probe")
    ssm.put_parameter(Name="/lab/probe", Value="1", Type="String")
    vpc_id = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]

    assert lab_api("POST", "/_lab/reset")[0] == 200

    assert s3.list_buckets()["Buckets"] == []
    assert ssm.describe_parameters()["Parameters"] == []
    assert vpc_id not in [vpc["VpcId"] for vpc in ec2.describe_vpcs()["Vpcs"]]


def test_request_log_records_service_operation_status_and_mutating(client, lab_api):
    s3, ssm, ec2 = client("s3"), client("ssm"), client("ec2")
    s3.create_bucket(Bucket="lab-log-probe")
    s3.list_buckets()
    ssm.put_parameter(Name="/lab/log", Value="1", Type="String")
    with pytest.raises(ClientError):
        ssm.get_parameter(Name="/lab/missing")
    ec2.describe_vpcs()

    status, answer = lab_api("GET", "/_lab/requests")
    assert status == 200
    seen = [(r["service"], r["operation"], r["status"], r["mutating"]) for r in answer["requests"]]
    assert seen == [
        ("s3", "CreateBucket", 200, True),
        ("s3", "ListBuckets", 200, False),
        ("ssm", "PutParameter", 200, True),
        ("ssm", "GetParameter", 400, False),
        ("ec2", "DescribeVpcs", 200, False),
    ]
    assert all(isinstance(r["time"], float) for r in answer["requests"])
    assert {r["client"] for r in answer["requests"]} == {"127.0.0.1"}

    assert lab_api("DELETE", "/_lab/requests")[0] == 200
    assert lab_api("GET", "/_lab/requests")[1] == {"requests": []}


def test_faults_are_off_by_default(lab_api):
    assert lab_api("GET", "/_lab/faults") == (200, {"rules": []})


def test_throttling_is_retried_by_boto3_then_surfaced(client, lab_api):
    rule = {"service": "ssm", "operation": "DescribeParameters", "error": "ThrottlingException", "status": 400, "rate": 1.0}
    assert lab_api("POST", "/_lab/faults", json={"rules": [rule]})[0] == 200
    ssm = client("ssm", config=Config(retries={"mode": "standard", "total_max_attempts": 3}))

    with pytest.raises(ClientError) as raised:
        ssm.describe_parameters()
    assert raised.value.response["Error"]["Code"] == "ThrottlingException"
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 2

    log = lab_api("GET", "/_lab/requests")[1]["requests"]
    assert [(r["operation"], r["status"]) for r in log] == [("DescribeParameters", 400)] * 3
    # Other operations of the same service are untouched.
    ssm.put_parameter(Name="/lab/unaffected", Value="1", Type="String")
    assert ssm.get_parameter(Name="/lab/unaffected")["Parameter"]["Value"] == "1"


@pytest.mark.parametrize(
    ("service", "call"),
    [
        ("s3", lambda c: c.list_buckets()),  # rest-xml
        ("ec2", lambda c: c.describe_vpcs()),  # ec2 query
        ("iam", lambda c: c.list_roles()),  # query
        ("ecs", lambda c: c.list_clusters()),  # json
        ("backup", lambda c: c.list_backup_vaults()),  # rest-json
    ],
)
def test_injected_errors_parse_in_every_protocol(client, lab_api, service, call):
    rule = {"service": service, "operation": "*", "error": "InternalError", "status": 500}
    lab_api("POST", "/_lab/faults", json={"rules": [rule]})
    with pytest.raises(ClientError) as raised:
        call(client(service, config=Config(retries={"mode": "standard", "total_max_attempts": 2})))
    assert raised.value.response["Error"]["Code"] == "InternalError"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 1


def test_a_retried_call_succeeds_once_the_fault_is_cleared(client, lab_api):
    lab_api("POST", "/_lab/faults", json={"rules": [{"service": "s3", "error": "SlowDown", "status": 503}]})
    s3 = client("s3", config=Config(retries={"mode": "standard", "total_max_attempts": 1}))
    with pytest.raises(ClientError):
        s3.list_buckets()
    assert lab_api("DELETE", "/_lab/faults") == (200, {"rules": []})
    assert s3.list_buckets()["Buckets"] == []


def test_rate_zero_never_fails(client, lab_api):
    lab_api("POST", "/_lab/faults", json={"rules": [{"service": "*", "error": "ThrottlingException", "rate": 0.0}]})
    assert client("ecs").list_clusters()["clusterArns"] == []


def test_latency_delays_matching_calls_only(client, lab_api):
    ecs = client("ecs")
    ecs.create_cluster(clusterName="lab-latency")
    # 1.5 s: an undelayed call took 0.75 s once on the loaded 2-core machine (a 0.4 s bound failed there).
    lab_api("POST", "/_lab/faults", json={"rules": [{"service": "ecs", "operation": "ListClusters", "error": None, "latency_ms": 1500}]})
    started = time.monotonic()
    assert len(ecs.list_clusters()["clusterArns"]) == 1
    assert time.monotonic() - started >= 1.5
    started = time.monotonic()
    assert ecs.describe_clusters(clusters=["lab-latency"])["clusters"][0]["clusterName"] == "lab-latency"
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize(
    "rules",
    [
        "not-a-list",
        [{"operation": "X"}],
        [{"service": "s3", "rate": 2}],
        [{"service": "s3", "status": 200, "error": "X"}],
        [{"service": "s3", "bogus": 1}],
    ],
)
def test_invalid_fault_rules_are_refused(lab_api, rules):
    status, answer = lab_api("POST", "/_lab/faults", json={"rules": rules})
    assert status == 400
    assert answer["error"]
    assert lab_api("GET", "/_lab/faults")[1] == {"rules": []}


def test_extension_routes_carry_path_parameters_and_errors():
    calls = []

    def knob(body, tunnel_id):
        if body is None:
            raise control.LabError(400, "body required")
        calls.append((tunnel_id, body))
        return 202, {"tunnel": tunnel_id}

    control.route("POST", "/_lab/test/tunnels/<tunnel_id>/state", knob)
    assert control.handle("POST", "/_lab/test/tunnels/t-1/state", b'{"status": "DOWN"}') == (202, {"tunnel": "t-1"})
    assert control.handle("POST", "/_lab/test/tunnels/t-1/state", b"") == (400, {"error": "body required"})
    assert control.handle("GET", "/_lab/test/tunnels/t-1/state", b"") == (405, {"error": "method GET not allowed on /_lab/test/tunnels/t-1/state"})
    assert calls == [("t-1", {"status": "DOWN"})]


def test_launcher_refuses_to_listen_on_every_interface():
    from awsemu.__main__ import parse_args

    assert parse_args(["--port", "1234", "--extra-host", "10.254.0.193"]).extra_host == ["10.254.0.193"]
    for argv in (["--host", "0.0.0.0"], ["--extra-host", "0.0.0.0"], ["--extra-host", "::"], ["--host", "localhost"]):
        with pytest.raises(SystemExit):
            parse_args(argv)


def test_emulator_script_starts_reports_and_stops(tmp_path):
    ports = []
    for _ in range(2):  # plain HTTP and TLS, apart from a running lab's
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            ports.append(probe.getsockname()[1])
    env = dict(os.environ, LAB_STATE_DIR=str(tmp_path), LAB_EMULATOR_PORT=str(ports[0]), LAB_EMULATOR_TLS_PORT=str(ports[1]))
    env.pop("LAB_EMULATOR_EXTRA_HOSTS", None)

    def script(action):
        return subprocess.run(["bash", str(SCRIPT), action], check=False, env=env, capture_output=True, text=True, timeout=60)

    assert script("status").returncode == 3
    started = script("start")
    assert started.returncode == 0, started.stderr
    pid = int((tmp_path / "emulator.pid").read_text())
    try:
        assert script("status").returncode == 0
        exports = dict(line.removeprefix("export ").split("=", 1) for line in script("env").stdout.splitlines())
        assert exports == {
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{env['LAB_EMULATOR_PORT']}",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        s3 = boto3.client("s3", endpoint_url=exports["AWS_ENDPOINT_URL"], region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
        s3.list_buckets()
        logged = [json.loads(line) for line in (tmp_path / "requests.jsonl").read_text().splitlines()]
        assert [(r["service"], r["operation"]) for r in logged] == [("s3", "ListBuckets")]
    finally:
        stopped = script("stop")
    assert stopped.returncode == 0
    assert not Path(f"/proc/{pid}").exists()
    assert not (tmp_path / "emulator.pid").exists()
    assert script("status").returncode == 3
