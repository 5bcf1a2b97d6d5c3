"""The region outage switch: calls to a region down go unanswered (botocore: ConnectionClosedError after its
retries), other regions and global services (IAM, STS, Route 53) keep answering, reset clears it."""

from __future__ import annotations

import time

import pytest
from botocore.config import Config
from botocore.exceptions import ConnectionClosedError

FAST = Config(retries={"mode": "standard", "total_max_attempts": 3}, connect_timeout=2, read_timeout=5)


@pytest.fixture
def outage(lab_api):
    def switch(region: str, down: bool = True) -> None:
        assert lab_api("POST", f"/_lab/regions/{region}/outage", {"down": down}) == (200, {"region": region, "down": down})

    return switch


def test_region_down_closes_calls_others_and_global_services_answer(client, lab_api, outage):
    ssm_east, ssm_west = client("ssm", "us-east-1", config=FAST), client("ssm", "us-west-2", config=FAST)
    ssm_east.put_parameter(Name="/lab/east", Value="1", Type="String")
    outage("us-east-1")
    assert lab_api("GET", "/_lab/regions") == (200, {"down": ["us-east-1"]})
    assert lab_api("GET", "/_lab/regions/us-east-1/outage") == (200, {"region": "us-east-1", "down": True})

    started = time.monotonic()
    with pytest.raises(ConnectionClosedError):
        ssm_east.get_parameter(Name="/lab/east")
    assert time.monotonic() - started < 5  # three attempts, no read timeout
    with pytest.raises(ConnectionClosedError):
        client("s3", "us-east-1", config=FAST).list_buckets()

    ssm_west.put_parameter(Name="/lab/west", Value="2", Type="String")
    assert ssm_west.get_parameter(Name="/lab/west")["Parameter"]["Value"] == "2"
    assert client("iam", config=FAST).list_roles()["Roles"] == []
    assert client("sts", config=FAST).get_caller_identity()["Account"] == "123456789012"
    assert client("route53", config=FAST).list_hosted_zones()["HostedZones"] == []

    dropped = [(r["service"], r["operation"], r["status"]) for r in lab_api("GET", "/_lab/requests")[1]["requests"] if r["status"] == 0]
    assert dropped == [("ssm", "GetParameter", 0)] * 3 + [("s3", "ListBuckets", 0)] * 3

    outage("us-east-1", down=False)
    assert ssm_east.get_parameter(Name="/lab/east")["Parameter"]["Value"] == "1"  # the data survived the outage
    assert lab_api("GET", "/_lab/regions") == (200, {"down": []})


def test_reset_clears_outages_and_bad_requests_are_refused(lab_api, outage):
    outage("eu-central-1")
    assert lab_api("POST", "/_lab/reset")[0] == 200
    assert lab_api("GET", "/_lab/regions") == (200, {"down": []})
    assert lab_api("POST", "/_lab/regions/not_a_region/outage", {"down": True})[0] == 400
    assert lab_api("POST", "/_lab/regions/us-east-1/outage", {"down": "yes"})[0] == 400
