"""Site-to-Site VPN: options, tunnels and telemetry, ModifyVpnTunnelOptions, static routes, VGW route propagation and the
tunnel lab knob."""

from __future__ import annotations

import ipaddress

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def ec2(client):
    return client("ec2")


@pytest.fixture
def network(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=vgw, VpcId=vpc)
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.10", BgpAsn=65000)["CustomerGateway"]["CustomerGatewayId"]
    created = ec2.create_route_table(VpcId=vpc)["RouteTable"]
    assert created["PropagatingVgws"] == []  # AWS answers an empty list, which callers index directly
    table = created["RouteTableId"]
    return {"vpc": vpc, "vgw": vgw, "cgw": cgw, "table": table}


@pytest.fixture
def static_vpn(ec2, network):
    return ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=network["cgw"], VpnGatewayId=network["vgw"], Options={"StaticRoutesOnly": True})[
        "VpnConnection"
    ]["VpnConnectionId"]


def error_code(raised):
    return raised.value.response["Error"]["Code"]


def describe_vpn(ec2, vpn_id):
    return ec2.describe_vpn_connections(VpnConnectionIds=[vpn_id])["VpnConnections"][0]


def route_table(ec2, table_id):
    return ec2.describe_route_tables(RouteTableIds=[table_id])["RouteTables"][0]


def test_vpn_connection_keeps_options_and_reports_two_tunnels(ec2, network):
    created = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=network["cgw"],
        VpnGatewayId=network["vgw"],
        Options={
            "StaticRoutesOnly": True,
            "LocalIpv4NetworkCidr": "192.168.0.0/16",
            "TunnelOptions": [
                {"TunnelInsideCidr": "169.254.10.0/30", "PreSharedKey": "lab_secret.key1", "DPDTimeoutSeconds": 40, "IKEVersions": [{"Value": "ikev2"}]}
            ],
        },
    )["VpnConnection"]

    vpn = describe_vpn(ec2, created["VpnConnectionId"])
    options = vpn["Options"]
    assert options["StaticRoutesOnly"] is True
    assert (options["LocalIpv4NetworkCidr"], options["RemoteIpv4NetworkCidr"], options["TunnelInsideIpVersion"]) == ("192.168.0.0/16", "0.0.0.0/0", "ipv4")
    first, second = options["TunnelOptions"]
    assert (first["TunnelInsideCidr"], first["PreSharedKey"], first["DpdTimeoutSeconds"], first["IkeVersions"]) == (
        "169.254.10.0/30",
        "lab_secret.key1",
        40,
        [{"Value": "ikev2"}],
    )
    inside = ipaddress.ip_network(second["TunnelInsideCidr"])
    assert inside.prefixlen == 30 and inside.subnet_of(ipaddress.ip_network("169.254.0.0/16")) and inside != ipaddress.ip_network("169.254.10.0/30")
    assert len(second["PreSharedKey"]) >= 8

    telemetry = vpn["VgwTelemetry"]
    assert [t["Status"] for t in telemetry] == ["UP", "UP"]
    assert [t["OutsideIpAddress"] for t in telemetry] == [first["OutsideIpAddress"], second["OutsideIpAddress"]]
    assert vpn["Routes"] == []


def test_vpn_connection_without_options_uses_dynamic_routing(ec2, network):
    vpn_id = ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=network["cgw"], VpnGatewayId=network["vgw"])["VpnConnection"]["VpnConnectionId"]
    vpn = describe_vpn(ec2, vpn_id)
    assert vpn["Options"]["StaticRoutesOnly"] is False
    assert len(vpn["Options"]["TunnelOptions"]) == 2
    assert len(vpn["VgwTelemetry"]) == 2


@pytest.mark.parametrize(
    "tunnel",
    [
        {"TunnelInsideCidr": "169.254.10.0/29"},
        {"TunnelInsideCidr": "10.0.0.0/30"},
        {"TunnelInsideCidr": "169.254.169.252/30"},
        {"TunnelInsideCidr": "169.254.2.0/30"},
        {"PreSharedKey": "0startswithzero"},
        {"PreSharedKey": "short"},
        {"DPDTimeoutAction": "explode"},
        {"DPDTimeoutSeconds": 10},
        {"IKEVersions": [{"Value": "ikev3"}]},
        {"Phase2LifetimeSeconds": 7200},
        {"Phase1DHGroupNumbers": [{"Value": 5}]},
    ],
)
def test_tunnel_options_are_validated(ec2, network, tunnel):
    with pytest.raises(ClientError) as raised:
        ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=network["cgw"], VpnGatewayId=network["vgw"], Options={"TunnelOptions": [tunnel]})
    assert error_code(raised) == "InvalidParameterValue"


def test_modify_tunnel_options_changes_one_tunnel_and_passes_through_modifying(ec2, static_vpn):
    before = describe_vpn(ec2, static_vpn)
    first, second = before["Options"]["TunnelOptions"]
    answer = ec2.modify_vpn_tunnel_options(
        VpnConnectionId=static_vpn,
        VpnTunnelOutsideIpAddress=second["OutsideIpAddress"],
        TunnelOptions={
            "TunnelInsideCidr": "169.254.20.4/30",
            "PreSharedKey": "lab_tunnel.key2",
            "IKEVersions": [{"Value": "ikev2"}],
            "DPDTimeoutAction": "restart",
            "DPDTimeoutSeconds": 40,
            "Phase1EncryptionAlgorithms": [{"Value": "AES256"}],
        },
    )["VpnConnection"]
    assert answer["State"] == "modifying"
    changed = answer["Options"]["TunnelOptions"][1]
    assert (changed["OutsideIpAddress"], changed["TunnelInsideCidr"], changed["PreSharedKey"]) == (
        second["OutsideIpAddress"],
        "169.254.20.4/30",
        "lab_tunnel.key2",
    )
    assert (changed["IkeVersions"], changed["DpdTimeoutAction"], changed["DpdTimeoutSeconds"]) == ([{"Value": "ikev2"}], "restart", 40)
    assert changed["Phase1EncryptionAlgorithms"] == [{"Value": "AES256"}]
    assert answer["Options"]["TunnelOptions"][0] == first

    # Only one change at a time: the connection refuses another until it is available again.
    with pytest.raises(ClientError) as raised:
        ec2.modify_vpn_tunnel_options(VpnConnectionId=static_vpn, VpnTunnelOutsideIpAddress=first["OutsideIpAddress"], TunnelOptions={"DPDTimeoutSeconds": 45})
    assert error_code(raised) == "IncorrectState"
    assert describe_vpn(ec2, static_vpn)["State"] == "modifying"
    after = describe_vpn(ec2, static_vpn)
    assert after["State"] == "available"
    assert after["Options"]["TunnelOptions"] == answer["Options"]["TunnelOptions"]
    assert after["VgwTelemetry"] == before["VgwTelemetry"]


@pytest.mark.parametrize(
    ("outside", "options", "code"),
    [
        ("203.0.113.255", {"DPDTimeoutSeconds": 40}, "InvalidParameterValue"),
        ("FIRST", {"TunnelInsideCidr": "SECOND_CIDR"}, "InvalidParameterValue"),
        ("FIRST", {"TunnelInsideCidr": "169.254.5.0/30"}, "InvalidParameterValue"),
        ("FIRST", {"PreSharedKey": "0zero-start"}, "InvalidParameterValue"),
        ("FIRST", {"StartupAction": "later"}, "InvalidParameterValue"),
    ],
)
def test_modify_tunnel_options_is_validated(ec2, static_vpn, outside, options, code):
    before = describe_vpn(ec2, static_vpn)
    first, second = before["Options"]["TunnelOptions"]
    outside = first["OutsideIpAddress"] if outside == "FIRST" else outside
    options = {key: second["TunnelInsideCidr"] if value == "SECOND_CIDR" else value for key, value in options.items()}
    with pytest.raises(ClientError) as raised:
        ec2.modify_vpn_tunnel_options(VpnConnectionId=static_vpn, VpnTunnelOutsideIpAddress=outside, TunnelOptions=options)
    assert error_code(raised) == code
    assert describe_vpn(ec2, static_vpn) == before


def test_static_route_lifecycle(ec2, static_vpn):
    ec2.create_vpn_connection_route(VpnConnectionId=static_vpn, DestinationCidrBlock="192.168.10.0/24")
    ec2.create_vpn_connection_route(VpnConnectionId=static_vpn, DestinationCidrBlock="192.168.20.0/24")
    assert describe_vpn(ec2, static_vpn)["Routes"] == [
        {"DestinationCidrBlock": "192.168.10.0/24", "Source": "Static", "State": "available"},
        {"DestinationCidrBlock": "192.168.20.0/24", "Source": "Static", "State": "available"},
    ]
    with pytest.raises(ClientError) as raised:
        ec2.create_vpn_connection_route(VpnConnectionId=static_vpn, DestinationCidrBlock="192.168.10.0/24")
    assert error_code(raised) == "RouteAlreadyExists"

    ec2.delete_vpn_connection_route(VpnConnectionId=static_vpn, DestinationCidrBlock="192.168.10.0/24")
    assert [r["DestinationCidrBlock"] for r in describe_vpn(ec2, static_vpn)["Routes"]] == ["192.168.20.0/24"]
    with pytest.raises(ClientError) as raised:
        ec2.delete_vpn_connection_route(VpnConnectionId=static_vpn, DestinationCidrBlock="192.168.10.0/24")
    assert error_code(raised) == "InvalidRoute.NotFound"
    with pytest.raises(ClientError) as raised:
        ec2.create_vpn_connection_route(VpnConnectionId="vpn-00000000000000000", DestinationCidrBlock="192.168.30.0/24")
    assert error_code(raised) == "InvalidVpnConnectionID.NotFound"
    with pytest.raises(ClientError) as raised:
        ec2.create_vpn_connection_route(VpnConnectionId=static_vpn, DestinationCidrBlock="192.168.300.0/24")
    assert error_code(raised) == "InvalidParameterValue"


def test_route_propagation_follows_the_tunnels(ec2, network, static_vpn, lab_api):
    ec2.create_vpn_connection_route(VpnConnectionId=static_vpn, DestinationCidrBlock="192.168.10.0/24")
    ec2.enable_vgw_route_propagation(RouteTableId=network["table"], GatewayId=network["vgw"])
    ec2.enable_vgw_route_propagation(RouteTableId=network["table"], GatewayId=network["vgw"])

    table = route_table(ec2, network["table"])
    assert table["PropagatingVgws"] == [{"GatewayId": network["vgw"]}]
    propagated = [r for r in table["Routes"] if r.get("Origin") == "EnableVgwRoutePropagation"]
    assert propagated == [{"DestinationCidrBlock": "192.168.10.0/24", "GatewayId": network["vgw"], "Origin": "EnableVgwRoutePropagation", "State": "active"}]
    filtered = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [network["vpc"]]}])["RouteTables"]
    assert any(t.get("PropagatingVgws") for t in filtered)

    status, answer = lab_api("POST", f"/_lab/ec2/vpn-connections/{static_vpn}/tunnels", json={"status": "DOWN"})
    assert status == 200
    assert [t["Status"] for t in answer["vgw_telemetry"]] == ["DOWN", "DOWN"]
    table = route_table(ec2, network["table"])
    assert table["PropagatingVgws"] == [{"GatewayId": network["vgw"]}]
    assert [r for r in table["Routes"] if r.get("Origin") == "EnableVgwRoutePropagation"] == []

    lab_api("POST", f"/_lab/ec2/vpn-connections/{static_vpn}/tunnels", json={"status": "UP"})
    assert any(r.get("Origin") == "EnableVgwRoutePropagation" for r in route_table(ec2, network["table"])["Routes"])

    ec2.disable_vgw_route_propagation(RouteTableId=network["table"], GatewayId=network["vgw"])
    table = route_table(ec2, network["table"])
    assert not table.get("PropagatingVgws")
    assert [r["GatewayId"] for r in table["Routes"]] == ["local"]


def test_propagation_needs_an_attached_gateway_and_an_existing_table(ec2, network):
    detached = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    with pytest.raises(ClientError) as raised:
        ec2.enable_vgw_route_propagation(RouteTableId=network["table"], GatewayId=detached)
    assert error_code(raised) == "Gateway.NotAttached"
    with pytest.raises(ClientError) as raised:
        ec2.enable_vgw_route_propagation(RouteTableId="rtb-00000000000000000", GatewayId=network["vgw"])
    assert error_code(raised) == "InvalidRouteTableID.NotFound"
    with pytest.raises(ClientError) as raised:
        ec2.enable_vgw_route_propagation(RouteTableId=network["table"], GatewayId="vgw-00000000000000000")
    assert error_code(raised) == "InvalidVpnGatewayID.NotFound"
    assert not route_table(ec2, network["table"]).get("PropagatingVgws")


def test_one_tunnel_down_keeps_the_connection_routing(ec2, network, static_vpn, lab_api):
    ec2.create_vpn_connection_route(VpnConnectionId=static_vpn, DestinationCidrBlock="192.168.10.0/24")
    ec2.enable_vgw_route_propagation(RouteTableId=network["table"], GatewayId=network["vgw"])
    first = describe_vpn(ec2, static_vpn)["VgwTelemetry"][0]["OutsideIpAddress"]

    status, _ = lab_api("POST", f"/_lab/ec2/vpn-connections/{static_vpn}/tunnels", json={"status": "DOWN", "outside_ip_address": first})
    assert status == 200
    telemetry = describe_vpn(ec2, static_vpn)["VgwTelemetry"]
    assert [(t["OutsideIpAddress"] == first, t["Status"]) for t in telemetry] == [(True, "DOWN"), (False, "UP")]
    assert telemetry[0]["StatusMessage"]
    assert any(r.get("Origin") == "EnableVgwRoutePropagation" for r in route_table(ec2, network["table"])["Routes"])


@pytest.mark.parametrize(
    ("path_id", "body", "status"),
    [
        ("VPN", {"status": "SIDEWAYS"}, 400),
        ("VPN", {"status": "DOWN", "outside_ip_address": "192.0.2.1"}, 404),
        ("vpn-00000000000000000", {"status": "DOWN"}, 404),
    ],
)
def test_tunnel_knob_refuses_bad_requests(static_vpn, lab_api, path_id, body, status):
    vpn_id = static_vpn if path_id == "VPN" else path_id
    assert lab_api("POST", f"/_lab/ec2/vpn-connections/{vpn_id}/tunnels", json=body)[0] == status
