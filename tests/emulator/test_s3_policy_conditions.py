"""S3 bucket policies with conditions (lab/awsemu/extensions/s3_policy_conditions.py) and the emulator's TLS listener.

The emulator is started here by lab/emulator.sh, as `make lab` starts it (plain HTTP and HTTPS, the lab's certificate
authority in its state folder), on ports of its own. A bucket with the file_gateway role's policy (deny every request
without TLS) refuses object requests over plain HTTP and serves them over HTTPS; a deny whose condition names a key
the request does not carry does not apply; a deny without a condition still denies.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

REPO = Path(__file__).resolve().parents[2]
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def endpoints(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    state = tmp_path_factory.mktemp("emulator-tls")
    http_port, tls_port = free_port(), free_port()
    env = {**os.environ, "LAB_STATE_DIR": str(state), "LAB_EMULATOR_PORT": str(http_port), "LAB_EMULATOR_TLS_PORT": str(tls_port), "LAB_PYTHON": sys.executable}
    env.pop("LAB_EMULATOR_EXTRA_HOSTS", None)
    started = subprocess.run(["bash", str(REPO / "lab/emulator.sh"), "start"], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        yield {"http": f"http://127.0.0.1:{http_port}", "https": f"https://127.0.0.1:{tls_port}", "ca": str(state / "tls/ca.pem")}
    finally:
        subprocess.run(["bash", str(REPO / "lab/emulator.sh"), "stop"], env=env, capture_output=True, timeout=60, check=False)


@pytest.fixture(scope="module")
def s3(endpoints: dict[str, str]) -> Callable[[str], Any]:
    """s3("http") or s3("https"): a client over that listener (HTTPS verified against the lab's CA)."""
    return lambda scheme: boto3.client("s3", endpoint_url=endpoints[scheme], verify=endpoints["ca"] if scheme == "https" else None, **CREDENTIALS)


def deny_statement(sid: str, bucket: str, condition: dict[str, Any] | None = None) -> dict[str, Any]:
    statement = {"Sid": sid, "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}
    return {**statement, "Condition": condition} if condition else statement


def bucket_with(s3: Callable[[str], Any], name: str, *statements: dict[str, Any]) -> str:
    s3("https").create_bucket(Bucket=name)
    s3("https").put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))
    return name


def status_of(call: Callable[[], Any]) -> int:
    try:
        return call()["ResponseMetadata"]["HTTPStatusCode"]
    except ClientError as error:
        return error.response["ResponseMetadata"]["HTTPStatusCode"]


def test_deny_insecure_transport_refuses_plain_http_and_serves_tls(s3: Callable[[str], Any]) -> None:
    bucket = bucket_with(s3, "tls-only", deny_statement("DenyInsecureTransport", "tls-only", {"Bool": {"aws:SecureTransport": "false"}}))
    http, https = s3("http"), s3("https")
    assert status_of(lambda: http.put_object(Bucket=bucket, Key="a.txt", Body=b"plain")) == 403
    assert status_of(lambda: https.put_object(Bucket=bucket, Key="a.txt", Body=b"over tls")) == 200
    assert https.get_object(Bucket=bucket, Key="a.txt")["Body"].read() == b"over tls"
    assert status_of(lambda: http.head_object(Bucket=bucket, Key="a.txt")) == 403
    assert status_of(lambda: http.get_object(Bucket=bucket, Key="a.txt")) == 403
    # The plain HTTP write was refused: the object holds what came over TLS.
    assert https.head_object(Bucket=bucket, Key="a.txt")["ContentLength"] == len(b"over tls")


def test_a_condition_on_a_key_the_request_lacks_does_not_apply_unless_if_exists(s3: Callable[[str], Any]) -> None:
    absent = bucket_with(s3, "absent-key", deny_statement("OnlyFromVpce", "absent-key", {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}))
    assert status_of(lambda: s3("https").put_object(Bucket=absent, Key="k", Body=b"1")) == 200
    if_exists = bucket_with(s3, "if-exists", deny_statement("OnlyFromVpce", "if-exists", {"StringNotEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b3c4d"}}))
    assert status_of(lambda: s3("https").put_object(Bucket=if_exists, Key="k", Body=b"1")) == 403
    null = bucket_with(s3, "null-key", deny_statement("NoVpce", "null-key", {"Null": {"aws:SourceVpce": "true"}}))
    assert status_of(lambda: s3("https").put_object(Bucket=null, Key="k", Body=b"1")) == 403


def test_a_deny_without_a_condition_denies_over_tls_too(s3: Callable[[str], Any]) -> None:
    bucket = bucket_with(s3, "deny-all", deny_statement("DenyAll", "deny-all"))
    assert status_of(lambda: s3("https").put_object(Bucket=bucket, Key="k", Body=b"1")) == 403


def test_the_tls_listener_presents_a_certificate_of_the_lab_ca(endpoints: dict[str, str]) -> None:
    untrusted = boto3.client("s3", endpoint_url=endpoints["https"], **CREDENTIALS)
    with pytest.raises(Exception, match="CERTIFICATE_VERIFY_FAILED"):
        untrusted.list_buckets()
    assert "Buckets" in boto3.client("s3", endpoint_url=endpoints["https"], verify=endpoints["ca"], **CREDENTIALS).list_buckets()


@pytest.mark.parametrize(
    ("block", "holds"),
    [
        ({"Bool": {"aws:SecureTransport": "false"}}, False),
        ({"Bool": {"aws:SecureTransport": ["false", "true"]}}, True),
        ({"StringLike": {"aws:SecureTransport": "t?u*"}}, True),
        ({"StringLike": {"aws:SecureTransport": "[t]rue"}}, False),  # no character classes in IAM's wildcards
        ({"StringNotEquals": {"aws:SecureTransport": ["false", "maybe"]}}, True),
        ({"StringNotEquals": {"aws:SourceVpc": "vpc-1"}}, False),  # a key the request lacks
        ({"StringNotEqualsIfExists": {"aws:SourceVpc": "vpc-1"}}, True),
        ({"ForAllValues:StringEquals": {"aws:TagKeys": "a"}}, True),
        ({"ForAnyValue:StringEquals": {"aws:TagKeys": "a"}}, False),
        ({"Null": {"aws:SourceVpc": "true", "aws:SecureTransport": "false"}}, True),
        ({"Null": {"aws:SourceVpc": "false"}}, False),
        ({"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:SourceVpc": "vpc-1"}}, False),  # every operator
        ({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, True),  # not judged here: the statement stays in
    ],
)
def test_condition_blocks_follow_iam_rules(block: dict[str, Any], holds: bool) -> None:
    from awsemu.extensions.s3_policy_conditions import condition_holds

    assert condition_holds(block, {"aws:SecureTransport": "true"}) is holds
