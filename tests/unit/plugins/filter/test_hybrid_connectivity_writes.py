"""hybrid_connectivity_writes: which write modules the hybrid_connectivity role must run, from one read of its layer
(hybrid_connectivity_layer_info). The converged layer below is what the role's read returns after its first run with
an ordered LAG, allowed prefixes and tunnel options."""

import copy

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.hybrid_connectivity_writes import FilterModule

writes = FilterModule().filters()["hybrid_connectivity_writes"]

TAGS = {"Project": "hybridcloud", "Environment": "lab"}
GATEWAY_ID = "5f3e0c8e-0000-4000-8000-123456789012"
HALVES = ["10.40.0.0/17", "10.40.128.0/17"]
TUNNELS = [
    {"tunnel_inside_cidr": "169.254.44.0/30", "pre_shared_key": "vaulted_tunnel.key1", "ike_versions": ["ikev2"], "dpd_timeout_action": "restart"},
    {"tunnel_inside_cidr": "169.254.44.4/30", "pre_shared_key": "vaulted_tunnel.key2", "ike_versions": ["ikev2"], "dpd_timeout_action": "restart"},
]


def named(name):
    return {**TAGS, "Name": name}


def tunnel(address, cidr, key):
    return {
        "OutsideIpAddress": address,
        "TunnelInsideCidr": cidr,
        "PreSharedKey": key,
        "IkeVersions": [{"Value": "ikev2"}],
        "DpdTimeoutAction": "restart",
        "DpdTimeoutSeconds": 30,
    }


LAYER = {
    "region": "us-east-1",
    "vpn_gateway": {
        "VpnGatewayId": "vgw-1",
        "State": "available",
        "VpcAttachments": [{"VpcId": "vpc-1", "State": "attached"}],
        "Tags": named("hybridcloud-vgw"),
    },
    "connections": [],
    "lags": [
        {
            "lagId": "dxlag-1",
            "lagName": "hybridcloud-dx",
            "lagState": "available",
            "minimumLinks": 1,
            "tags": named("hybridcloud-dx"),
            "connections": [
                {"connectionId": "dxcon-m1", "lagId": "dxlag-1", "tags": named("hybridcloud-dx")},
                {"connectionId": "dxcon-m2", "lagId": "dxlag-1", "tags": named("hybridcloud-dx")},
            ],
        }
    ],
    "link": {},
    "dx_gateway": {
        "directConnectGatewayId": GATEWAY_ID,
        "directConnectGatewayName": "hybridcloud-dxgw",
        "directConnectGatewayState": "available",
        "tags": named("hybridcloud-dxgw"),
    },
    "dx_gateway_associations": [
        {"associationId": "assoc-1", "associationState": "associated", "allowedPrefixesToDirectConnectGateway": [{"cidr": c} for c in reversed(HALVES)]}
    ],
    "virtual_interfaces": [
        {
            "virtualInterfaceId": "dxvif-1",
            "virtualInterfaceName": "hybridcloud-private-vif",
            "connectionId": "dxlag-1",
            "tags": named("hybridcloud-private-vif"),
        }
    ],
    "customer_gateway": {"CustomerGatewayId": "cgw-1", "IpAddress": "198.51.100.10", "Tags": named("hybridcloud-cgw")},
    "vpn_connections": [
        {
            "VpnConnectionId": "vpn-1",
            "State": "available",
            "Options": {
                "StaticRoutesOnly": True,
                "TunnelOptions": [
                    tunnel("203.0.113.17", "169.254.44.0/30", "vaulted_tunnel.key1"),
                    tunnel("203.0.113.18", "169.254.44.4/30", "vaulted_tunnel.key2"),
                ],
            },
            "Routes": [{"DestinationCidrBlock": "192.168.20.0/24", "State": "available"}, {"DestinationCidrBlock": "192.168.10.0/24", "State": "available"}],
            "Tags": named("hybridcloud-vpn"),
        }
    ],
    "route_tables": [
        {"RouteTableId": "rtb-1", "PropagatingVgws": [{"GatewayId": "vgw-1"}]},
        {"RouteTableId": "rtb-2", "PropagatingVgws": [{"GatewayId": "vgw-other"}, {"GatewayId": "vgw-1"}]},
    ],
}
WANTED = {
    "vpn_gateway": {"vpc_id": "vpc-1", "tags": named("hybridcloud-vgw")},
    "direct_connect": {
        "enabled": True,
        "create": "lag",
        "link_id": "",
        "min_links": 1,
        "allowed_prefixes": HALVES,
        "gateway_tags": named("hybridcloud-dxgw"),
        "virtual_interface_tags": named("hybridcloud-private-vif"),
        "link_tags": named("hybridcloud-dx"),
        "link_purge_tags": True,
        "member_tags": named("hybridcloud-dx"),
    },
    "vpn": {
        "enabled": True,
        "customer_gateway_tags": named("hybridcloud-cgw"),
        "static_only": True,
        "routes": ["192.168.10.0/24", "192.168.20.0/24"],
        "tags": named("hybridcloud-vpn"),
        "tunnels": TUNNELS,
    },
    "route_propagation": {"enabled": True, "route_table_ids": ["rtb-1", "rtb-2"]},
}
IDS = {
    "vpn_gateway_id": "vgw-1",
    "dx_connection_id": "dxlag-1",
    "dx_gateway_id": GATEWAY_ID,
    "virtual_interface_id": "dxvif-1",
    "customer_gateway_id": "cgw-1",
    "vpn_connection_id": "vpn-1",
}
WRITES = (
    "vpn_gateway",
    "connection",
    "lag",
    "dx_gateway",
    "dx_gateway_association",
    "virtual_interface",
    "dx_gateway_tags",
    "virtual_interface_tags",
    "link_tags",
    "lag_connection_tags",
    "customer_gateway",
    "customer_gateway_tags",
    "vpn_connection",
    "vpn_tunnel_options",
    "route_propagation",
)


def layer(**changes):
    result = copy.deepcopy(LAYER)
    result.update(changes)
    return result


def wanted(part=None, **changes):
    result = copy.deepcopy(WANTED)
    if part:
        result[part].update(changes)
    return result


def differing(result):
    """Only the writes that differ."""
    return {key: result[key] for key in WRITES if result[key]}


def test_a_converged_layer_needs_no_write_and_hands_the_ids_on():
    result = writes(LAYER, WANTED)
    assert differing(result) == {}
    assert {key: result[key] for key in IDS} == IDS
    assert set(result) == set(WRITES) | set(IDS)


def test_an_empty_account_needs_every_write():
    result = writes({"region": "us-east-1"}, WANTED)
    assert differing(result) == {
        "vpn_gateway": ["missing"],
        "lag": ["missing"],
        "dx_gateway": ["missing"],
        "dx_gateway_association": ["missing"],
        "virtual_interface": ["missing"],
        "dx_gateway_tags": ["tags"],
        "virtual_interface_tags": ["tags"],
        "link_tags": ["tags"],
        "customer_gateway": ["missing"],
        "customer_gateway_tags": ["tags"],
        "vpn_connection": ["missing"],
        "vpn_tunnel_options": ["missing"],
        "route_propagation": ["rtb-1", "rtb-2"],
    }
    assert {result[key] for key in IDS} == {""}


@pytest.mark.parametrize("disabled", [False, "False"])
def test_disabled_paths_need_nothing_and_have_no_ids(disabled):
    """The role's templated booleans may arrive as strings (ansible-core 2.17)."""
    result = writes({}, wanted("direct_connect", enabled=disabled) | {"vpn": {"enabled": disabled}, "route_propagation": {"enabled": disabled}})
    assert differing(result) == {"vpn_gateway": ["missing"]}
    assert [result[key] for key in IDS if key != "vpn_gateway_id"] == [""] * 5


@pytest.mark.parametrize("gateway_only", [True, "True"])
def test_a_second_region_only_joins_the_gateway(gateway_only):
    """The DR region: its own virtual private gateway associated with the primary's Direct Connect gateway; the link
    and the interface are the primary region's and are neither compared nor made here."""
    second = layer(region="us-west-2", connections=[], lags=[], link={}, virtual_interfaces=[], dx_gateway_associations=[])
    result = writes(second, wanted("direct_connect", gateway_only=gateway_only))
    assert differing(result) == {"dx_gateway": ["association"], "dx_gateway_association": ["missing"]}
    assert (result["dx_gateway_id"], result["dx_connection_id"], result["virtual_interface_id"]) == (GATEWAY_ID, "", "")
    # Associated: nothing to write, the VPN and the propagation of this region as usual.
    associated = layer(region="us-west-2", connections=[], lags=[], link={}, virtual_interfaces=[])
    assert differing(writes(associated, wanted("direct_connect", gateway_only=gateway_only))) == {}
    # The same layer without the option asks for the link and the interface the region lacks.
    assert {"lag", "virtual_interface"} <= set(differing(writes(second, WANTED)))


def test_virtual_private_gateway_tags_and_attachment_as_ec2_vpc_vgw_compares_them():
    gateway = copy.deepcopy(LAYER["vpn_gateway"])
    gateway["Tags"] = {**named("hybridcloud-vgw"), "Owner": "someone", "aws:cloudformation:stack-name": "kept"}
    assert writes(layer(vpn_gateway=gateway), WANTED)["vpn_gateway"] == ["tags"]
    gateway = dict(LAYER["vpn_gateway"], VpcAttachments=[{"VpcId": "vpc-2", "State": "attached"}])
    assert writes(layer(vpn_gateway=gateway), WANTED)["vpn_gateway"] == ["vpc_attachment"]
    gateway = dict(LAYER["vpn_gateway"], VpcAttachments=[{"VpcId": "vpc-1", "State": "detached"}])
    assert writes(layer(vpn_gateway=gateway), WANTED)["vpn_gateway"] == ["vpc_attachment"]
    # The ASN cannot change and the module does not compare it.
    assert writes(layer(vpn_gateway=dict(LAYER["vpn_gateway"], AmazonSideAsn=65000)), WANTED)["vpn_gateway"] == []


def test_an_ordered_lag_min_links_and_its_connections_tags():
    lags = copy.deepcopy(LAYER["lags"])
    lags[0]["minimumLinks"] = 2
    lags[0]["connections"][1]["tags"] = {"Name": "hybridcloud-dx"}
    result = writes(layer(lags=lags), WANTED)
    assert differing(result) == {"lag": ["min_links"], "lag_connection_tags": ["dxcon-m2"]}
    # Two LAGs of the name: the module orders another; no LAG is the link yet, the interface is moved onto the new one.
    result = writes(layer(lags=LAYER["lags"] * 2), WANTED)
    assert (result["lag"], result["virtual_interface"], result["dx_connection_id"]) == (["missing"], ["connection"], "")


def test_an_ordered_connection():
    connection = {"connectionId": "dxcon-1", "connectionName": "hybridcloud-dx", "tags": named("hybridcloud-dx")}
    interfaces = [dict(LAYER["virtual_interfaces"][0], connectionId="dxcon-1")]
    converged = layer(lags=[], connections=[connection], virtual_interfaces=interfaces)
    result = writes(converged, wanted("direct_connect", create="connection"))
    assert (differing(result), result["dx_connection_id"]) == ({}, "dxcon-1")
    in_a_lag = layer(lags=[], connections=[dict(connection, lagId="dxlag-9")], virtual_interfaces=interfaces)
    assert differing(writes(in_a_lag, wanted("direct_connect", create="connection"))) == {"connection": ["lag"]}


def test_a_given_link_keeps_the_tags_others_gave_it():
    link = {"connectionId": "dxcon-carrier1", "tags": {**TAGS, "Carrier": "EqDC2"}}
    interfaces = [dict(LAYER["virtual_interfaces"][0], connectionId="dxcon-carrier1")]
    given = wanted("direct_connect", create="none", link_id="dxcon-carrier1", link_tags=TAGS, link_purge_tags=False)
    result = writes(layer(lags=[], link=link, virtual_interfaces=interfaces), given)
    assert (differing(result), result["dx_connection_id"]) == ({}, "dxcon-carrier1")
    link = {"connectionId": "dxcon-carrier1", "tags": {"Carrier": "EqDC2"}}
    assert differing(writes(layer(lags=[], link=link, virtual_interfaces=interfaces), given)) == {"link_tags": ["tags"]}


def test_the_direct_connect_gateway_and_its_association():
    deleted = dict(LAYER["dx_gateway"], directConnectGatewayState="deleted")
    result = writes(layer(dx_gateway=deleted), WANTED)
    assert differing(result) == {"dx_gateway": ["missing"], "dx_gateway_association": ["missing"], "dx_gateway_tags": ["tags"]}
    assert result["dx_gateway_id"] == ""
    # community.aws.directconnect_gateway counts an association in any state; the prefixes need a live one.
    gone = [dict(LAYER["dx_gateway_associations"][0], associationState="disassociated")]
    assert differing(writes(layer(dx_gateway_associations=gone), WANTED)) == {"dx_gateway_association": ["missing"]}
    assert differing(writes(layer(dx_gateway_associations=[]), WANTED)) == {"dx_gateway": ["association"], "dx_gateway_association": ["missing"]}
    # A virtual private gateway that does not exist yet has no association either.
    result = writes(layer(vpn_gateway={}), WANTED)
    assert (result["dx_gateway"], result["dx_gateway_association"]) == (["association"], ["missing"])


@pytest.mark.parametrize(
    ("prefixes", "differs"),
    [
        (HALVES, []),
        ([*reversed(HALVES), " 10.40.0.0/17"], []),
        (["10.40.0.0/17"], ["allowed_prefixes"]),
        (["10.40.0.0/16"], ["allowed_prefixes"]),
        (["10.40.0.1/17"], ["allowed_prefixes"]),  # host bits: the module refuses it, so it must run and say so
        ([], []),  # empty: the association's prefixes are left alone
    ],
)
def test_allowed_prefixes_as_the_association_module_normalises_them(prefixes, differs):
    assert writes(LAYER, wanted("direct_connect", allowed_prefixes=prefixes))["dx_gateway_association"] == differs


def test_the_virtual_interface_as_the_upstream_module_matches_it():
    mine = LAYER["virtual_interfaces"][0]
    other = dict(mine, virtualInterfaceId="dxvif-2", connectionId="dxcon-other")
    result = writes(layer(virtual_interfaces=[other, mine]), WANTED)
    assert (differing(result), result["virtual_interface_id"]) == ({}, "dxvif-1")
    assert differing(writes(layer(virtual_interfaces=[other]), WANTED)) == {"virtual_interface": ["connection"]}
    result = writes(layer(virtual_interfaces=[mine, dict(mine, virtualInterfaceId="dxvif-2")]), WANTED)
    assert (result["virtual_interface"], result["virtual_interface_id"]) == (["ambiguous"], "")
    # Several of the name and none on the link: the module makes a new one.
    assert writes(layer(virtual_interfaces=[other, dict(other, virtualInterfaceId="dxvif-3")]), WANTED)["virtual_interface"] == ["missing"]
    untagged = dict(mine, tags={"Name": "hybridcloud-private-vif"})
    assert differing(writes(layer(virtual_interfaces=[untagged]), WANTED)) == {"virtual_interface_tags": ["tags"]}


def test_the_customer_gateway_and_its_tags():
    renamed = dict(LAYER["customer_gateway"], Tags={**TAGS, "Name": "old-name"})
    # The Name is one of the tags ec2_tag writes; the customer gateway module runs only to create.
    assert differing(writes(layer(customer_gateway=renamed), WANTED)) == {"customer_gateway_tags": ["tags"]}
    result = writes(layer(customer_gateway={}, vpn_connections=[]), WANTED)
    assert differing(result) == {
        "customer_gateway": ["missing"],
        "customer_gateway_tags": ["tags"],
        "vpn_connection": ["missing"],
        "vpn_tunnel_options": ["missing"],
    }


def test_the_vpn_connection_as_ec2_vpc_vpn_compares_it():
    vpn = LAYER["vpn_connections"][0]
    one_route = dict(vpn, Routes=vpn["Routes"][:1])
    assert differing(writes(layer(vpn_connections=[one_route]), WANTED)) == {"vpn_connection": ["routes"]}
    extra = dict(vpn, Routes=[*vpn["Routes"], {"DestinationCidrBlock": "10.9.0.0/16"}])
    assert differing(writes(layer(vpn_connections=[extra]), WANTED)) == {"vpn_connection": ["routes"]}
    # BGP routing wants no static routes: those there are purged.
    assert writes(LAYER, wanted("vpn", static_only=False, routes=[]))["vpn_connection"] == ["static_only", "routes"]
    retagged = dict(vpn, Tags={"Name": "hybridcloud-vpn"})
    assert differing(writes(layer(vpn_connections=[retagged]), WANTED)) == {"vpn_connection": ["tags"]}
    result = writes(layer(vpn_connections=[vpn, dict(vpn, VpnConnectionId="vpn-2")]), WANTED)
    assert (result["vpn_connection"], result["vpn_connection_id"], result["vpn_tunnel_options"]) == (["ambiguous"], "", ["missing"])


def test_the_tunnels_as_ec2_vpn_tunnel_options_compares_them():
    assert writes(LAYER, wanted("vpn", tunnels=[]))["vpn_tunnel_options"] == []
    changed = copy.deepcopy(TUNNELS)
    changed[1]["pre_shared_key"] = "another_key"
    assert writes(LAYER, wanted("vpn", tunnels=changed))["vpn_tunnel_options"] == ["203.0.113.18"]
    # Integers as the role's templates may hand them over, an entry named by its outside address, unset options.
    by_address = [{"outside_ip_address": "203.0.113.18", "dpd_timeout_seconds": "30", "startup_action": None}]
    assert writes(LAYER, wanted("vpn", tunnels=by_address))["vpn_tunnel_options"] == []
    by_address[0]["ike_versions"] = ["ikev1", "ikev2"]
    assert writes(LAYER, wanted("vpn", tunnels=by_address))["vpn_tunnel_options"] == ["203.0.113.18"]
    # Entries that name no tunnel: the module runs and says why it cannot.
    unknown = [{"outside_ip_address": "192.0.2.1"}, {}, {}]
    assert writes(LAYER, wanted("vpn", tunnels=unknown))["vpn_tunnel_options"] == ["tunnel 1", "tunnel 3"]
    twice = [{}, {"outside_ip_address": "203.0.113.17"}]
    assert writes(LAYER, wanted("vpn", tunnels=twice))["vpn_tunnel_options"] == ["tunnel 2"]


def test_route_propagation_only_where_the_gateway_does_not_propagate():
    tables = [LAYER["route_tables"][0], {"RouteTableId": "rtb-2", "PropagatingVgws": [{"GatewayId": "vgw-other"}]}]
    assert differing(writes(layer(route_tables=tables), WANTED)) == {"route_propagation": ["rtb-2"]}
    # A table that was not found is written (the module then says it does not exist).
    assert writes(layer(route_tables=tables[:1]), WANTED)["route_propagation"] == ["rtb-2"]
    assert writes(layer(vpn_gateway={}), WANTED)["route_propagation"] == ["rtb-1", "rtb-2"]
    assert writes(layer(route_tables=[]), wanted("route_propagation", enabled=False))["route_propagation"] == []
