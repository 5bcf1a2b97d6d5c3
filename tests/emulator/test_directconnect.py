"""Direct Connect: AWS-shaped connection and LAG ids, gateways, gateway associations and their allowed prefixes,
private/transit virtual interfaces with BGP, UpdateLag, tags by ARN, lab knobs."""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def dx(client):
    return client("directconnect")


@pytest.fixture
def connection(dx):
    return dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="lab-dx")["connectionId"]


@pytest.fixture
def dx_gateway(dx):
    return dx.create_direct_connect_gateway(directConnectGatewayName="lab-dxgw", amazonSideAsn=64601)["directConnectGateway"]["directConnectGatewayId"]


@pytest.fixture
def attached_vgw(client):
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    vgw = ec2.create_vpn_gateway(Type="ipsec.1", AmazonSideAsn=64700)["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=vgw, VpcId=vpc)
    return vgw


def error_code(raised):
    return raised.value.response["Error"]["Code"]


def private_vif(**overrides):
    return {"virtualInterfaceName": "lab-private", "vlan": 101, "asn": 65010, **overrides}


# gateways ---------------------------------------------------------------------------------------------------------
def test_gateway_lifecycle_is_global_to_the_account(client, dx):
    created = dx.create_direct_connect_gateway(directConnectGatewayName="lab-dxgw", amazonSideAsn=64601, tags=[{"key": "env", "value": "lab"}])[
        "directConnectGateway"
    ]
    gateway_id = created["directConnectGatewayId"]
    assert (created["directConnectGatewayName"], created["amazonSideAsn"], created["directConnectGatewayState"]) == ("lab-dxgw", 64601, "available")
    assert created["ownerAccount"] == "123456789012"

    [seen] = client("directconnect", region="eu-west-1").describe_direct_connect_gateways(directConnectGatewayId=gateway_id)["directConnectGateways"]
    assert seen["tags"] == [{"key": "env", "value": "lab"}]
    assert dx.create_direct_connect_gateway(directConnectGatewayName="second")["directConnectGateway"]["amazonSideAsn"] == 64512

    assert dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)["directConnectGateway"]["directConnectGatewayState"] == "deleting"
    assert [g["directConnectGatewayName"] for g in dx.describe_direct_connect_gateways()["directConnectGateways"]] == ["second"]
    with pytest.raises(ClientError) as raised:
        dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)
    assert error_code(raised) == "DirectConnectClientException"


def test_gateway_amazon_asn_must_be_private(dx):
    with pytest.raises(ClientError) as raised:
        dx.create_direct_connect_gateway(directConnectGatewayName="bad", amazonSideAsn=7224)
    assert error_code(raised) == "DirectConnectClientException"
    assert dx.describe_direct_connect_gateways()["directConnectGateways"] == []


def test_describe_gateways_pages(dx):
    for n in range(3):
        dx.create_direct_connect_gateway(directConnectGatewayName=f"gw-{n}")
    first = dx.describe_direct_connect_gateways(maxResults=2)
    second = dx.describe_direct_connect_gateways(maxResults=2, nextToken=first["nextToken"])
    names = [g["directConnectGatewayName"] for g in first["directConnectGateways"] + second["directConnectGateways"]]
    assert names == ["gw-0", "gw-1", "gw-2"]
    assert "nextToken" not in second


# associations -----------------------------------------------------------------------------------------------------
def test_association_lifecycle_with_a_virtual_private_gateway(dx, dx_gateway, attached_vgw):
    created = dx.create_direct_connect_gateway_association(directConnectGatewayId=dx_gateway, virtualGatewayId=attached_vgw)["directConnectGatewayAssociation"]
    assert created["associationState"] == "associating"
    assert created["associatedGateway"] == {"id": attached_vgw, "type": "virtualPrivateGateway", "ownerAccount": "123456789012", "region": "us-east-1"}
    assert created["allowedPrefixesToDirectConnectGateway"] == [{"cidr": "10.20.0.0/16"}]

    def states():
        found = dx.describe_direct_connect_gateway_associations(directConnectGatewayId=dx_gateway)["directConnectGatewayAssociations"]
        return [a["associationState"] for a in found]

    # As on AWS, a caller polling right after creation sees the transitional state first.
    assert states() == ["associating"]
    assert states() == ["associated"]
    by_vgw = dx.describe_direct_connect_gateway_associations(virtualGatewayId=attached_vgw)["directConnectGatewayAssociations"]
    assert by_vgw[0]["associationId"] == created["associationId"]

    with pytest.raises(ClientError) as raised:
        dx.create_direct_connect_gateway_association(directConnectGatewayId=dx_gateway, virtualGatewayId=attached_vgw)
    assert error_code(raised) == "DirectConnectClientException"
    with pytest.raises(ClientError) as raised:
        dx.delete_direct_connect_gateway(directConnectGatewayId=dx_gateway)
    assert error_code(raised) == "DirectConnectClientException"

    deleted = dx.delete_direct_connect_gateway_association(associationId=created["associationId"])["directConnectGatewayAssociation"]
    assert deleted["associationState"] == "disassociating"
    assert states() == ["disassociating"]
    assert states() == []
    dx.delete_direct_connect_gateway(directConnectGatewayId=dx_gateway)


def test_association_allowed_prefixes_are_updated_through_updating(dx, dx_gateway, attached_vgw):
    association_id = dx.create_direct_connect_gateway_association(directConnectGatewayId=dx_gateway, virtualGatewayId=attached_vgw)[
        "directConnectGatewayAssociation"
    ]["associationId"]

    def described():
        [found] = dx.describe_direct_connect_gateway_associations(associationId=association_id)["directConnectGatewayAssociations"]
        return found["associationState"], [prefix["cidr"] for prefix in found["allowedPrefixesToDirectConnectGateway"]]

    # Still associating: AWS refuses an update until the association has settled.
    with pytest.raises(ClientError) as raised:
        dx.update_direct_connect_gateway_association(associationId=association_id, addAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.20.0.0/17"}])
    assert error_code(raised) == "DirectConnectClientException"
    assert described() == ("associating", ["10.20.0.0/16"])
    assert described() == ("associated", ["10.20.0.0/16"])

    updated = dx.update_direct_connect_gateway_association(
        associationId=association_id,
        addAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.20.0.0/17"}, {"cidr": "10.20.128.0/17"}],
        removeAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.20.0.0/16"}],
    )["directConnectGatewayAssociation"]
    assert updated["associationState"] == "updating"
    assert described() == ("updating", ["10.20.0.0/17", "10.20.128.0/17"])
    assert described() == ("associated", ["10.20.0.0/17", "10.20.128.0/17"])

    for bad in (
        {"removeAllowedPrefixesToDirectConnectGateway": [{"cidr": "10.99.0.0/16"}]},
        {"addAllowedPrefixesToDirectConnectGateway": [{"cidr": "not-a-cidr"}]},
    ):
        with pytest.raises(ClientError) as raised:
            dx.update_direct_connect_gateway_association(associationId=association_id, **bad)
        assert error_code(raised) == "DirectConnectClientException"
    with pytest.raises(ClientError) as raised:
        dx.update_direct_connect_gateway_association(associationId="00000000-0000-0000-0000-000000000000")
    assert error_code(raised) == "DirectConnectClientException"
    assert described() == ("associated", ["10.20.0.0/17", "10.20.128.0/17"])


def test_association_with_a_transit_gateway_needs_allowed_prefixes(client, dx, dx_gateway):
    tgw = client("ec2").create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    with pytest.raises(ClientError) as raised:
        dx.create_direct_connect_gateway_association(directConnectGatewayId=dx_gateway, gatewayId=tgw)
    assert error_code(raised) == "DirectConnectClientException"
    created = dx.create_direct_connect_gateway_association(
        directConnectGatewayId=dx_gateway, gatewayId=tgw, addAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.0.0.0/8"}]
    )["directConnectGatewayAssociation"]
    assert created["associatedGateway"]["type"] == "transitGateway"
    assert created["allowedPrefixesToDirectConnectGateway"] == [{"cidr": "10.0.0.0/8"}]
    assert "virtualGatewayId" not in created


def test_association_refuses_missing_and_unattached_gateways(client, dx, dx_gateway, attached_vgw):
    detached = client("ec2").create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    for gateway_id, vgw in ((dx_gateway, detached), (dx_gateway, "vgw-00000000000000000"), ("00000000-0000-0000-0000-000000000000", attached_vgw)):
        with pytest.raises(ClientError) as raised:
            dx.create_direct_connect_gateway_association(directConnectGatewayId=gateway_id, virtualGatewayId=vgw)
        assert error_code(raised) == "DirectConnectClientException"
    assert dx.describe_direct_connect_gateway_associations(directConnectGatewayId=dx_gateway)["directConnectGatewayAssociations"] == []


# virtual interfaces ---------------------------------------------------------------------------------------------------
def test_private_interface_to_a_dx_gateway_carries_a_bgp_peer(dx, connection, dx_gateway):
    created = dx.create_private_virtual_interface(
        connectionId=connection, newPrivateVirtualInterface=private_vif(directConnectGatewayId=dx_gateway, tags=[{"key": "env", "value": "lab"}])
    )
    vif_id = created["virtualInterfaceId"]
    assert vif_id.startswith("dxvif-")
    assert (created["virtualInterfaceType"], created["virtualInterfaceState"], created["connectionId"]) == ("private", "available", connection)
    assert (created["vlan"], created["asn"], created["amazonSideAsn"], created["mtu"]) == (101, 65010, 64601, 1500)
    assert created["directConnectGatewayId"] == dx_gateway
    assert created["amazonAddress"].startswith("169.254.") and created["amazonAddress"].endswith("/30")
    [peer] = created["bgpPeers"]
    assert (peer["asn"], peer["bgpPeerState"], peer["bgpStatus"]) == (65010, "available", "up")
    assert (peer["amazonAddress"], peer["customerAddress"], peer["authKey"]) == (created["amazonAddress"], created["customerAddress"], created["authKey"])

    [described] = dx.describe_virtual_interfaces(connectionId=connection)["virtualInterfaces"]
    assert described["virtualInterfaceId"] == vif_id
    assert described["tags"] == [{"key": "env", "value": "lab"}]
    assert dx.describe_virtual_interfaces(virtualInterfaceId=vif_id)["virtualInterfaces"][0]["virtualInterfaceName"] == "lab-private"


def test_private_interface_to_a_vgw_and_transit_interface_on_a_lag(dx, connection, dx_gateway, attached_vgw):
    to_vgw = dx.create_private_virtual_interface(
        connectionId=connection,
        newPrivateVirtualInterface=private_vif(virtualGatewayId=attached_vgw, mtu=9001, amazonAddress="169.254.100.1/30", customerAddress="169.254.100.2/30"),
    )
    assert (to_vgw["virtualGatewayId"], to_vgw["amazonSideAsn"], to_vgw["mtu"]) == (attached_vgw, 64700, 9001)
    assert (to_vgw["amazonAddress"], to_vgw["customerAddress"]) == ("169.254.100.1/30", "169.254.100.2/30")

    lag = dx.create_lag(numberOfConnections=2, location="EqDC2", connectionsBandwidth="10Gbps", lagName="lab-lag")["lagId"]
    transit = dx.create_transit_virtual_interface(
        connectionId=lag,
        newTransitVirtualInterface={"virtualInterfaceName": "lab-transit", "vlan": 300, "asn": 65020, "mtu": 8500, "directConnectGatewayId": dx_gateway},
    )["virtualInterface"]
    assert (transit["virtualInterfaceType"], transit["connectionId"], transit["mtu"], transit["amazonSideAsn"]) == ("transit", lag, 8500, 64601)
    assert {v["virtualInterfaceId"] for v in dx.describe_virtual_interfaces()["virtualInterfaces"]} == {
        to_vgw["virtualInterfaceId"],
        transit["virtualInterfaceId"],
    }


@pytest.mark.parametrize(
    "new",
    [
        private_vif(vlan=4095, directConnectGatewayId="DXGW"),
        private_vif(mtu=8500, directConnectGatewayId="DXGW"),
        private_vif(),
        private_vif(directConnectGatewayId="DXGW", virtualGatewayId="vgw-00000000000000000"),
        private_vif(virtualGatewayId="vgw-00000000000000000"),
        private_vif(directConnectGatewayId="00000000-0000-0000-0000-000000000000"),
        private_vif(directConnectGatewayId="DXGW", amazonAddress="169.254.1.1/30"),
        private_vif(directConnectGatewayId="DXGW", asn=None),
    ],
)
def test_private_interface_validation(dx, connection, dx_gateway, new):
    new = {k: (dx_gateway if v == "DXGW" else v) for k, v in new.items() if v is not None}
    with pytest.raises(ClientError) as raised:
        dx.create_private_virtual_interface(connectionId=connection, newPrivateVirtualInterface=new)
    assert error_code(raised) == "DirectConnectClientException"
    assert dx.describe_virtual_interfaces()["virtualInterfaces"] == []


def test_vlans_are_unique_per_connection_and_connections_must_exist(dx, connection, dx_gateway):
    dx.create_private_virtual_interface(connectionId=connection, newPrivateVirtualInterface=private_vif(directConnectGatewayId=dx_gateway))
    for connection_id in (connection, "dxcon-00000000"):
        with pytest.raises(ClientError) as raised:
            dx.create_private_virtual_interface(connectionId=connection_id, newPrivateVirtualInterface=private_vif(directConnectGatewayId=dx_gateway))
        assert error_code(raised) == "DirectConnectClientException"
    with pytest.raises(ClientError) as raised:
        dx.create_transit_virtual_interface(connectionId=connection, newTransitVirtualInterface={"virtualInterfaceName": "t", "vlan": 7, "asn": 65020})
    assert error_code(raised) == "DirectConnectClientException"


def test_lab_state_knob_drives_interface_and_bgp_status(dx, connection, dx_gateway, lab_api):
    vif_id = dx.create_private_virtual_interface(connectionId=connection, newPrivateVirtualInterface=private_vif(directConnectGatewayId=dx_gateway))[
        "virtualInterfaceId"
    ]

    def state():
        [vif] = dx.describe_virtual_interfaces(virtualInterfaceId=vif_id)["virtualInterfaces"]
        return vif["virtualInterfaceState"], [peer["bgpStatus"] for peer in vif["bgpPeers"]]

    status, answer = lab_api("POST", f"/_lab/directconnect/virtual-interfaces/{vif_id}/state", json={"state": "down"})
    assert (status, answer["virtualInterfaceState"]) == (200, "down")
    assert state() == ("down", ["down"])
    lab_api("POST", f"/_lab/directconnect/virtual-interfaces/{vif_id}/state", json={"state": "available"})
    assert state() == ("available", ["up"])

    assert lab_api("POST", f"/_lab/directconnect/virtual-interfaces/{vif_id}/state", json={"state": "sideways"})[0] == 400
    assert lab_api("POST", "/_lab/directconnect/virtual-interfaces/dxvif-00000000/state", json={"state": "down"})[0] == 404


def test_deleted_interfaces_stay_listed_as_deleted_and_free_their_vlan(dx, connection, dx_gateway, lab_api):
    vif_id = dx.create_private_virtual_interface(connectionId=connection, newPrivateVirtualInterface=private_vif(directConnectGatewayId=dx_gateway))[
        "virtualInterfaceId"
    ]
    assert dx.delete_virtual_interface(virtualInterfaceId=vif_id)["virtualInterfaceState"] == "deleting"
    [vif] = dx.describe_virtual_interfaces(virtualInterfaceId=vif_id)["virtualInterfaces"]
    assert vif["virtualInterfaceState"] == "deleted"
    assert vif["bgpPeers"][0]["bgpPeerState"] == "deleted"
    assert lab_api("POST", f"/_lab/directconnect/virtual-interfaces/{vif_id}/state", json={"state": "available"})[0] == 409
    dx.create_private_virtual_interface(connectionId=connection, newPrivateVirtualInterface=private_vif(directConnectGatewayId=dx_gateway))
    # The gateway still has a live interface, so it cannot go.
    with pytest.raises(ClientError) as raised:
        dx.delete_direct_connect_gateway(directConnectGatewayId=dx_gateway)
    assert error_code(raised) == "DirectConnectClientException"
    with pytest.raises(ClientError) as raised:
        dx.describe_virtual_interfaces(virtualInterfaceId="dxvif-00000000")
    assert error_code(raised) == "DirectConnectClientException"


# LAGs and tags --------------------------------------------------------------------------------------------------------
def test_update_lag(dx):
    lag = dx.create_lag(numberOfConnections=2, location="EqDC2", connectionsBandwidth="10Gbps", lagName="lab-lag")["lagId"]
    updated = dx.update_lag(lagId=lag, lagName="renamed", minimumLinks=1, encryptionMode="should_encrypt")
    assert (updated["lagName"], updated["minimumLinks"], updated["encryptionMode"]) == ("renamed", 1, "should_encrypt")
    [described] = dx.describe_lags(lagId=lag)["lags"]
    assert (described["lagName"], described["minimumLinks"]) == ("renamed", 1)

    with pytest.raises(ClientError) as raised:
        dx.update_lag(lagId=lag, minimumLinks=3)
    assert error_code(raised) == "DirectConnectClientException"
    with pytest.raises(ClientError) as raised:
        dx.update_lag(lagId="dxlag-00000000", lagName="x")
    assert error_code(raised) == "LagNotFound"
    assert dx.describe_lags(lagId=lag)["lags"][0]["minimumLinks"] == 1


def test_tags_on_interfaces_and_gateways(client, dx, connection, dx_gateway):
    vif_id = dx.create_private_virtual_interface(connectionId=connection, newPrivateVirtualInterface=private_vif(directConnectGatewayId=dx_gateway))[
        "virtualInterfaceId"
    ]
    vif_arn = f"arn:aws:directconnect:us-east-1:123456789012:dxvif/{vif_id}"
    gateway_arn = f"arn:aws:directconnect::123456789012:dx-gateway/{dx_gateway}"
    for arn in (vif_arn, gateway_arn):
        dx.tag_resource(resourceArn=arn, tags=[{"key": "team", "value": "net"}, {"key": "tier", "value": "1"}])
        dx.untag_resource(resourceArn=arn, tagKeys=["tier"])
    described = client("directconnect", region="eu-west-1").describe_tags(resourceArns=[gateway_arn])["resourceTags"]
    assert described == [{"resourceArn": gateway_arn, "tags": [{"key": "team", "value": "net"}]}]
    assert dx.describe_virtual_interfaces(virtualInterfaceId=vif_id)["virtualInterfaces"][0]["tags"] == [{"key": "team", "value": "net"}]
    with pytest.raises(ClientError) as raised:
        dx.create_direct_connect_gateway(directConnectGatewayName="dup", tags=[{"key": "a", "value": "1"}, {"key": "a", "value": "2"}])
    assert error_code(raised) == "DuplicateTagKeysException"


def test_connections_and_lags_have_aws_ids_and_are_tagged_by_arn(dx):
    connection = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="port", tags=[{"key": "env", "value": "lab"}])
    lag = dx.create_lag(numberOfConnections=2, location="EqDC2", connectionsBandwidth="10Gbps", lagName="bundle", tags=[{"key": "env", "value": "lab"}])
    assert re.fullmatch(r"dxcon-[a-z0-9]{8}", connection["connectionId"])
    assert re.fullmatch(r"dxlag-[a-z0-9]{8}", lag["lagId"])
    assert {member["lagId"] for member in lag["connections"]} == {lag["lagId"]}
    connection_arn = f"arn:aws:directconnect:us-east-1:123456789012:dxcon/{connection['connectionId']}"
    lag_arn = f"arn:aws:directconnect:us-east-1:123456789012:dxlag/{lag['lagId']}"

    for arn in (connection_arn, lag_arn):
        dx.tag_resource(resourceArn=arn, tags=[{"key": "team", "value": "net"}])
        dx.untag_resource(resourceArn=arn, tagKeys=["env"])
    tags = {found["resourceArn"]: found["tags"] for found in dx.describe_tags(resourceArns=[connection_arn, lag_arn])["resourceTags"]}
    assert tags == {connection_arn: [{"key": "team", "value": "net"}], lag_arn: [{"key": "team", "value": "net"}]}
    # The describe calls show the same tags, as on AWS.
    assert dx.describe_connections(connectionId=connection["connectionId"])["connections"][0]["tags"] == [{"key": "team", "value": "net"}]
    assert dx.describe_lags(lagId=lag["lagId"])["lags"][0]["tags"] == [{"key": "team", "value": "net"}]


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-00000000",
        "arn:aws:directconnect:us-east-1:123456789012:dxvif/dxvif-00000000",
        "arn:aws:directconnect::123456789012:dx-gateway/00000000-0000-0000-0000-000000000000",
        "arn:aws:directconnect:eu-west-1:123456789012:dxcon/CONNECTION",
        "arn:aws:directconnect:us-east-1:210987654321:dxcon/CONNECTION",
        "dxcon/CONNECTION",
    ],
)
def test_tagging_an_arn_that_names_no_resource_fails(dx, connection, arn):
    arn = arn.replace("CONNECTION", connection)
    for call in (
        lambda: dx.tag_resource(resourceArn=arn, tags=[{"key": "a", "value": "1"}]),
        lambda: dx.untag_resource(resourceArn=arn, tagKeys=["a"]),
        lambda: dx.describe_tags(resourceArns=[arn]),
    ):
        with pytest.raises(ClientError) as raised:
            call()
        assert error_code(raised) == "DirectConnectClientException"


def test_tag_limits(dx, connection):
    arn = f"arn:aws:directconnect:us-east-1:123456789012:dxcon/{connection}"
    with pytest.raises(ClientError) as raised:
        dx.tag_resource(resourceArn=arn, tags=[{"key": "a", "value": "1"}, {"key": "a", "value": "2"}])
    assert error_code(raised) == "DuplicateTagKeysException"
    dx.tag_resource(resourceArn=arn, tags=[{"key": f"k{n}", "value": "v"} for n in range(50)])
    with pytest.raises(ClientError) as raised:
        dx.tag_resource(resourceArn=arn, tags=[{"key": "one-too-many", "value": "v"}])
    assert error_code(raised) == "TooManyTagsException"
    # Overwriting an existing key is not a new tag.
    dx.tag_resource(resourceArn=arn, tags=[{"key": "k0", "value": "changed"}])
    [found] = dx.describe_tags(resourceArns=[arn])["resourceTags"]
    assert len(found["tags"]) == 50
    assert {"key": "k0", "value": "changed"} in found["tags"]
