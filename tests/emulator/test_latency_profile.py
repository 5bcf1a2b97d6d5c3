"""The latency profile: off by default (every resource ready at once); on, each slow resource answers its real
transitional states until its scaled delay has passed, and botocore's waiters really wait for it."""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError

DELAY = 1.5  # lab seconds per resource in these tests: scale 1 with the real seconds overridden


@pytest.fixture
def latency(lab_api):
    """profile(**seconds) turns the profile on with those lab delays; it is switched off after the test."""

    def turn_on(scale=1.0, **seconds):
        status, answer = lab_api("POST", "/_lab/latency", json={"scale": scale, "seconds": seconds})
        assert status == 200, answer
        return answer

    yield turn_on
    assert lab_api("POST", "/_lab/latency", json={"scale": 0})[0] == 200


@pytest.fixture
def ec2(client):
    return client("ec2")


@pytest.fixture
def vpc(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.20.{n}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for n, zone in enumerate(("us-east-1a", "us-east-1b"))
    ]
    return {"vpc": vpc_id, "subnets": subnets}


def make_nat_gateway(client, vpc):
    ec2 = client("ec2")
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat_id = ec2.create_nat_gateway(SubnetId=vpc["subnets"][0], AllocationId=allocation)["NatGateway"]["NatGatewayId"]
    return lambda: ec2.describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"][0]["State"]


def make_load_balancer(client, vpc):
    elbv2 = client("elbv2")
    arn = elbv2.create_load_balancer(Name="lab-latency", Subnets=vpc["subnets"], Scheme="internal")["LoadBalancers"][0]["LoadBalancerArn"]
    return lambda: elbv2.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0]["State"]["Code"]


def make_db_instance(client, vpc):
    rds = client("rds")
    rds.create_db_instance(
        DBInstanceIdentifier="lab-latency",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="lab",
        MasterUserPassword="lab-password-1",
        AllocatedStorage=20,
        MultiAZ=True,
    )
    return lambda: rds.describe_db_instances(DBInstanceIdentifier="lab-latency")["DBInstances"][0]["DBInstanceStatus"]


def make_vpn_connection(client, vpc):
    ec2 = client("ec2")
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.10", BgpAsn=65010)["CustomerGateway"]["CustomerGatewayId"]
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    vpn_id = ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=cgw, VpnGatewayId=vgw)["VpnConnection"]["VpnConnectionId"]
    return lambda: ec2.describe_vpn_connections(VpnConnectionIds=[vpn_id])["VpnConnections"][0]["State"]


def make_dx_connection(client, vpc):
    dx = client("directconnect")
    connection_id = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="lab-latency")["connectionId"]
    return lambda: dx.describe_connections(connectionId=connection_id)["connections"][0]["connectionState"]


def make_gateway(client, vpc, lab_api):
    status, answer = lab_api("POST", "/_lab/storagegateway/activation-keys", json={"gateway_address": "10.254.0.201", "region": "us-east-1"})
    assert status == 200, answer
    sgw = client("storagegateway")
    arn = sgw.activate_gateway(
        ActivationKey=answer["activation_key"], GatewayName="lab-latency", GatewayTimezone="GMT", GatewayRegion="us-east-1", GatewayType="FILE_S3"
    )["GatewayARN"]

    def state():
        try:
            sgw.list_local_disks(GatewayARN=arn)
            return sgw.describe_gateway_information(GatewayARN=arn)["GatewayState"]
        except ClientError as error:
            return error.response["Error"].get("errorCode") or error.response.get("error", {}).get("errorCode") or error.response["Error"]["Message"]

    return state


RESOURCES = {
    # profile key: (maker, states answered while pending, ready state)
    "nat_gateway": (make_nat_gateway, {"pending"}, "available"),
    "load_balancer": (make_load_balancer, {"provisioning"}, "active"),
    "db_instance": (make_db_instance, {"creating", "backing-up"}, "available"),
    "vpn_connection": (make_vpn_connection, {"pending"}, "available"),
    "dx_connection": (make_dx_connection, {"requested", "pending"}, "available"),
}


def _make(key, client, vpc, lab_api):
    if key == "gateway":
        return make_gateway(client, vpc, lab_api)
    return RESOURCES[key][0](client, vpc)


@pytest.mark.parametrize("key", [*RESOURCES, "gateway"])
def test_default_profile_answers_ready_at_once(key, client, vpc, lab_api):
    status, profile = lab_api("GET", "/_lab/latency")
    assert status == 200 and profile["enabled"] is False
    state = _make(key, client, vpc, lab_api)
    assert state() == (RESOURCES[key][2] if key in RESOURCES else "RUNNING")


@pytest.mark.parametrize("key", list(RESOURCES))
def test_resource_is_pending_until_its_scaled_delay(key, client, vpc, lab_api, latency):
    latency(**{key: DELAY})
    created = time.monotonic()
    state = _make(key, client, vpc, lab_api)
    _, pending, ready = RESOURCES[key]
    seen = []
    while True:
        answer = state()
        seen.append(answer)
        if answer == ready or time.monotonic() - created > DELAY + 5:
            break
        time.sleep(0.1)
    elapsed = time.monotonic() - created
    assert seen[0] in pending, seen
    assert set(seen[:-1]) <= pending, seen
    assert seen[-1] == ready, seen
    assert DELAY - 0.3 <= elapsed <= DELAY + 2, elapsed


def test_phases_follow_the_share_of_the_delay(client, vpc, lab_api, latency):
    latency(db_instance=2.0)
    state = _make("db_instance", client, vpc, lab_api)
    assert state() == "creating"
    time.sleep(1.85)  # past 85 % of the delay
    assert state() == "backing-up"
    time.sleep(0.4)
    assert state() == "available"


def test_gateway_is_not_connected_until_its_delay(client, vpc, lab_api, latency):
    latency(gateway=DELAY)
    state = make_gateway(client, vpc, lab_api)
    assert state() == "GatewayNotConnected"
    time.sleep(DELAY + 0.2)
    assert state() == "RUNNING"


def test_waiters_really_wait(client, vpc, lab_api, latency):
    latency(nat_gateway=2.0)
    ec2 = client("ec2")
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat_id = ec2.create_nat_gateway(SubnetId=vpc["subnets"][0], AllocationId=allocation)["NatGateway"]["NatGatewayId"]
    started = time.monotonic()
    ec2.get_waiter("nat_gateway_available").wait(NatGatewayIds=[nat_id], WaiterConfig={"Delay": 1, "MaxAttempts": 10})
    assert time.monotonic() - started >= 1.5


def test_turning_the_profile_off_makes_pending_resources_ready(client, vpc, lab_api, latency):
    latency(load_balancer=60)
    state = _make("load_balancer", client, vpc, lab_api)
    assert state() == "provisioning"
    assert lab_api("POST", "/_lab/latency", json={"scale": 0})[0] == 200
    assert state() == "active"


def test_scale_multiplies_real_seconds(lab_api, latency):
    profile = latency(scale=0.02)
    assert profile["enabled"] is True
    assert profile["resources"]["db_instance"]["lab_seconds"] == pytest.approx(18.0)
    assert profile["resources"]["nat_gateway"]["lab_seconds"] == pytest.approx(2.4)


@pytest.mark.parametrize(
    "body", [None, {}, {"scale": -1}, {"scale": "fast"}, {"scale": 1, "seconds": {"unknown": 1}}, {"scale": 1, "seconds": {"nat_gateway": -1}}]
)
def test_bad_profiles_are_refused(lab_api, body):
    status, _ = lab_api("POST", "/_lab/latency", json=body)
    assert status == 400
    assert lab_api("GET", "/_lab/latency")[1]["enabled"] is False
