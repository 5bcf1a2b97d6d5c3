"""EC2's client tokens: a repeated request with the same token answers the first request's answer and makes nothing
new (also after an "applied, then failed" fault dropped that answer), the same token with other parameters is
IdempotentParameterMismatch, and requests without a token (or with new ones) each create."""

from __future__ import annotations

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture
def ec2(client):
    return client("ec2", config=NO_RETRIES)


@pytest.fixture
def vpc_id(ec2):
    return ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]


def tables(ec2, vpc_id):
    return [table["RouteTableId"] for table in ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"]]


def test_a_repeated_token_answers_the_first_table(ec2, vpc_id):
    before = tables(ec2, vpc_id)
    first = ec2.create_route_table(VpcId=vpc_id, ClientToken="token-1")["RouteTable"]["RouteTableId"]
    assert ec2.create_route_table(VpcId=vpc_id, ClientToken="token-1")["RouteTable"]["RouteTableId"] == first
    other = ec2.create_route_table(VpcId=vpc_id, ClientToken="token-2")["RouteTable"]["RouteTableId"]
    assert sorted(tables(ec2, vpc_id)) == sorted([*before, first, other])


def test_the_same_token_with_other_parameters_is_refused(ec2, vpc_id):
    other_vpc = ec2.create_vpc(CidrBlock="10.41.0.0/16")["Vpc"]["VpcId"]
    ec2.create_route_table(VpcId=vpc_id, ClientToken="token-1")
    with pytest.raises(ClientError) as raised:
        ec2.create_route_table(VpcId=other_vpc, ClientToken="token-1")
    assert raised.value.response["Error"]["Code"] == "IdempotentParameterMismatch"
    assert len(tables(ec2, other_vpc)) == 1  # the main table only


def test_the_repeat_of_a_create_whose_answer_was_lost_finds_what_it_made(ec2, vpc_id, lab_api):
    before = tables(ec2, vpc_id)
    rule = {"service": "ec2", "operation": "CreateRouteTable", "mode": "applied", "every": 1, "times": 1}
    assert lab_api("POST", "/_lab/faults", json={"rules": [rule]})[0] == 200
    with pytest.raises(ClientError) as raised:
        ec2.create_route_table(VpcId=vpc_id, ClientToken="lost-answer")
    assert raised.value.response["Error"]["Code"] == "InternalError"
    made = ec2.create_route_table(VpcId=vpc_id, ClientToken="lost-answer")["RouteTable"]["RouteTableId"]
    assert sorted(tables(ec2, vpc_id)) == sorted([*before, made])


def test_botocore_fills_in_a_new_token_for_each_call(client, vpc_id):
    """Without a token from the caller, botocore generates one per call (the same one for its own retries): two calls,
    two tables, as on AWS."""
    ec2 = client("ec2")
    before = tables(ec2, vpc_id)
    ec2.create_route_table(VpcId=vpc_id)
    ec2.create_route_table(VpcId=vpc_id)
    assert len(tables(ec2, vpc_id)) == len(before) + 2


def test_a_client_token_the_model_does_not_mark_counts_too(ec2, vpc_id):
    """CreateVpcEndpoint's ClientToken has no idempotencyToken trait in botocore's model (botocore does not fill it in),
    but AWS documents it as one: a caller's repeat with the same token answers the first endpoint."""
    settings = {"VpcId": vpc_id, "ServiceName": "com.amazonaws.us-east-1.s3", "VpcEndpointType": "Gateway", "ClientToken": "endpoint-1"}
    first = ec2.create_vpc_endpoint(**settings)["VpcEndpoint"]["VpcEndpointId"]
    assert ec2.create_vpc_endpoint(**settings)["VpcEndpoint"]["VpcEndpointId"] == first
    assert [endpoint["VpcEndpointId"] for endpoint in ec2.describe_vpc_endpoints()["VpcEndpoints"]] == [first]
