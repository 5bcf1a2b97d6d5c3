"""hybrid_connectivity_layer_info: one read of the hybrid connectivity layer across EC2 and Direct Connect, each call
validated against botocore's model (the calls run one after the other here, so that each Stubber sees them in order)."""

import json
from unittest import mock

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hybridcloud.aws.plugins.module_utils import hybrid_connectivity_layer
from ansible_collections.hybridcloud.aws.plugins.modules import hybrid_connectivity_layer_info
from ansible_collections.hybridcloud.aws.tests.unit.ansible_compat import patch_module_args

ACCOUNT = "123456789012"
GATEWAY_ID = "5f3e0c8e-0000-4000-8000-123456789012"
ARGS = {
    "vpn_gateway": "hybridcloud-vgw",
    "dx_gateway": "hybridcloud-dxgw",
    "virtual_interface": "hybridcloud-private-vif",
    "link_id": "dxcon-carrier1",
    "customer_gateway_ip": "198.51.100.10",
    "route_table_ids": ["rtb-1", "rtb-2"],
}
VGW_FILTERS = [
    {"Name": "type", "Values": ["ipsec.1"]},
    {"Name": "tag:Name", "Values": ["hybridcloud-vgw"]},
    {"Name": "state", "Values": ["pending", "available"]},
]
CGW_FILTERS = [{"Name": "state", "Values": ["available"]}, {"Name": "ip-address", "Values": ["198.51.100.10"]}]
TUNNELS = [
    {"OutsideIpAddress": "203.0.113.17", "TunnelInsideCidr": "169.254.44.0/30", "PreSharedKey": "vaulted_tunnel.key1"},
    {"OutsideIpAddress": "203.0.113.18", "TunnelInsideCidr": "169.254.44.4/30", "PreSharedKey": "vaulted_tunnel.key2"},
]


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    monkeypatch.setattr(hybrid_connectivity_layer, "MAX_WORKERS", 1)


@pytest.fixture
def stubbers():
    clients = {
        service: boto3.client(service, region_name="us-east-1", aws_access_key_id="unit", aws_secret_access_key="unit") for service in ("ec2", "directconnect")
    }
    return clients, {service: Stubber(client) for service, client in clients.items()}


def run(capsys, clients, stubs, args=None, all_answered=True):
    with (
        patch_module_args(dict(args or ARGS, _ansible_check_mode=False, _ansible_diff=False, region="us-east-1")),
        stubs["ec2"],
        stubs["directconnect"],
        mock.patch.object(AnsibleAWSModule, "client", side_effect=lambda service, *a, **k: clients[service]) as client,
        pytest.raises(SystemExit) as exit_info,
    ):
        hybrid_connectivity_layer_info.main()
    result = json.loads(capsys.readouterr().out)
    result["rc"] = exit_info.value.code
    result["clients"] = sorted(call.args[0] for call in client.call_args_list)
    for stub in stubs.values() if all_answered else ():
        stub.assert_no_pending_responses()
    return result


def vpn_gateway(gateway_id, vpc_id="vpc-1"):
    return {
        "VpnGatewayId": gateway_id,
        "State": "available",
        "Type": "ipsec.1",
        "AmazonSideAsn": 64513,
        "VpcAttachments": [{"VpcId": vpc_id, "State": "attached"}],
        "Tags": [{"Key": "Name", "Value": "hybridcloud-vgw"}, {"Key": "Project", "Value": "hybridcloud"}],
    }


def interface(interface_id, name, state="available", connection_id="dxcon-carrier1"):
    return {
        "ownerAccount": ACCOUNT,
        "virtualInterfaceId": interface_id,
        "virtualInterfaceName": name,
        "virtualInterfaceType": "private",
        "virtualInterfaceState": state,
        "connectionId": connection_id,
        "directConnectGatewayId": GATEWAY_ID,
        "region": "us-east-1",
        "authKey": "lab-bgp-md5-key",
        "customerRouterConfig": "<config>lab-bgp-md5-key</config>",
        "bgpPeers": [{"bgpPeerId": "dxpeer-1", "authKey": "lab-bgp-md5-key", "bgpStatus": "up"}],
        "tags": [{"key": "Name", "value": name}],
    }


def expect_everything(stubs, pre_shared_keys=False):
    ec2, dx = stubs["ec2"], stubs["directconnect"]
    # Two gateways of the name: ec2_vpc_vgw takes the lowest id.
    ec2.add_response("describe_vpn_gateways", {"VpnGateways": [vpn_gateway("vgw-2"), vpn_gateway("vgw-1")]}, {"Filters": VGW_FILTERS})
    ec2.add_response(
        "describe_customer_gateways",
        {
            "CustomerGateways": [
                {
                    "CustomerGatewayId": "cgw-1",
                    "IpAddress": "198.51.100.10",
                    "BgpAsn": "65010",
                    "State": "available",
                    "Type": "ipsec.1",
                    "Tags": [{"Key": "Name", "Value": "hybridcloud-cgw"}],
                }
            ]
        },
        {"Filters": CGW_FILTERS},
    )
    ec2.add_response(
        "describe_route_tables",
        {
            "RouteTables": [
                {"RouteTableId": "rtb-1", "VpcId": "vpc-1", "PropagatingVgws": [{"GatewayId": "vgw-1"}], "Routes": [{"GatewayId": "local"}]},
                {"RouteTableId": "rtb-2", "VpcId": "vpc-1", "PropagatingVgws": []},
            ]
        },
        {"Filters": [{"Name": "route-table-id", "Values": ["rtb-1", "rtb-2"]}]},
    )
    dx.add_response(
        "describe_direct_connect_gateways",
        {
            "directConnectGateways": [
                {"directConnectGatewayId": "other", "directConnectGatewayName": "someone-else", "directConnectGatewayState": "available"},
                {
                    "directConnectGatewayId": GATEWAY_ID,
                    "directConnectGatewayName": "hybridcloud-dxgw",
                    "amazonSideAsn": 64512,
                    "ownerAccount": ACCOUNT,
                    "directConnectGatewayState": "available",
                    "tags": [{"key": "Name", "value": "hybridcloud-dxgw"}],
                },
            ]
        },
        {},
    )
    dx.add_response(
        "describe_virtual_interfaces",
        {
            "virtualInterfaces": [
                interface("dxvif-old", "hybridcloud-private-vif", state="deleted"),
                interface("dxvif-other", "someone-else"),
                interface("dxvif-1", "hybridcloud-private-vif"),
            ]
        },
        {},
    )
    dx.add_response(
        "describe_connections",
        {
            "connections": [
                {
                    "ownerAccount": ACCOUNT,
                    "connectionId": "dxcon-carrier1",
                    "connectionName": "carrier-port",
                    "connectionState": "available",
                    "region": "us-east-1",
                    "location": "EqDC2",
                    "bandwidth": "1Gbps",
                    "tags": [{"key": "Carrier", "value": "EqDC2"}],
                }
            ]
        },
        {"connectionId": "dxcon-carrier1"},
    )
    dx.add_response(
        "describe_direct_connect_gateway_associations",
        {
            "directConnectGatewayAssociations": [
                {
                    "directConnectGatewayId": GATEWAY_ID,
                    "associationId": "assoc-1",
                    "associationState": "associated",
                    "associatedGateway": {"id": "vgw-1", "type": "virtualPrivateGateway", "ownerAccount": ACCOUNT, "region": "us-east-1"},
                    "allowedPrefixesToDirectConnectGateway": [{"cidr": "10.40.0.0/16"}],
                }
            ]
        },
        {"directConnectGatewayId": GATEWAY_ID, "associatedGatewayId": "vgw-1"},
    )
    ec2.add_response(
        "describe_vpn_connections",
        {
            "VpnConnections": [
                {"VpnConnectionId": "vpn-old", "State": "deleted", "CustomerGatewayId": "cgw-1", "VpnGatewayId": "vgw-1", "Type": "ipsec.1"},
                {
                    "VpnConnectionId": "vpn-1",
                    "State": "available",
                    "CustomerGatewayId": "cgw-1",
                    "VpnGatewayId": "vgw-1",
                    "Type": "ipsec.1",
                    "CustomerGatewayConfiguration": "<vpn_connection>vaulted_tunnel.key1</vpn_connection>",
                    "Options": {"StaticRoutesOnly": True, "TunnelOptions": TUNNELS},
                    "Routes": [{"DestinationCidrBlock": "192.168.10.0/24", "State": "available"}],
                    "Tags": [{"Key": "Name", "Value": "hybridcloud-vpn"}],
                },
            ]
        },
        {"Filters": [{"Name": "vpn-gateway-id", "Values": ["vgw-1"]}, {"Name": "customer-gateway-id", "Values": ["cgw-1"]}]},
    )


def test_reads_every_resource_once_as_its_write_module_finds_it(capsys, stubbers):
    clients, stubs = stubbers
    expect_everything(stubs)
    result = run(capsys, clients, stubs)
    assert (result["changed"], result["region"]) == (False, "us-east-1")
    assert result["vpn_gateway"]["VpnGatewayId"] == "vgw-1"
    assert result["vpn_gateway"]["Tags"] == {"Name": "hybridcloud-vgw", "Project": "hybridcloud"}
    assert result["dx_gateway"]["directConnectGatewayId"] == GATEWAY_ID
    assert result["dx_gateway"]["tags"] == {"Name": "hybridcloud-dxgw"}
    assert [a["associationId"] for a in result["dx_gateway_associations"]] == ["assoc-1"]
    assert [(i["virtualInterfaceId"], i["tags"]) for i in result["virtual_interfaces"]] == [("dxvif-1", {"Name": "hybridcloud-private-vif"})]
    assert (result["link"]["connectionId"], result["link"]["tags"]) == ("dxcon-carrier1", {"Carrier": "EqDC2"})
    assert (result["connections"], result["lags"]) == ([], [])
    assert (result["customer_gateway"]["CustomerGatewayId"], result["customer_gateway"]["Tags"]) == ("cgw-1", {"Name": "hybridcloud-cgw"})
    [vpn] = result["vpn_connections"]
    assert (vpn["VpnConnectionId"], vpn["Tags"], vpn["Options"]["StaticRoutesOnly"]) == ("vpn-1", {"Name": "hybridcloud-vpn"}, True)
    assert [t["PreSharedKey"] for t in vpn["Options"]["TunnelOptions"]] == ["(hidden)", "(hidden)"]
    assert result["route_tables"] == [
        {"RouteTableId": "rtb-1", "VpcId": "vpc-1", "PropagatingVgws": [{"GatewayId": "vgw-1"}]},
        {"RouteTableId": "rtb-2", "VpcId": "vpc-1", "PropagatingVgws": []},
    ]
    # No secret in the answer: the BGP key, the router and device configurations, the tunnels' keys.
    shown = json.dumps(result)
    for secret in ("lab-bgp-md5-key", "vaulted_tunnel.key1", "vaulted_tunnel.key2", "customerRouterConfig", "CustomerGatewayConfiguration"):
        assert secret not in shown


def test_the_tunnels_keys_only_when_asked(capsys, stubbers):
    clients, stubs = stubbers
    expect_everything(stubs)
    result = run(capsys, clients, stubs, args=dict(ARGS, pre_shared_keys=True))
    [vpn] = result["vpn_connections"]
    assert [t["PreSharedKey"] for t in vpn["Options"]["TunnelOptions"]] == ["vaulted_tunnel.key1", "vaulted_tunnel.key2"]
    assert "CustomerGatewayConfiguration" not in vpn


def test_an_ordered_lag_and_connection_are_read_by_name(capsys, stubbers):
    clients, stubs = stubbers
    dx = stubs["directconnect"]
    stubs["ec2"].add_response("describe_vpn_gateways", {"VpnGateways": []}, {"Filters": VGW_FILTERS})
    dx.add_response(
        "describe_connections",
        {
            "connections": [
                {"connectionId": "dxcon-a", "connectionName": "hybridcloud-dx", "connectionState": "deleted"},
                {"connectionId": "dxcon-b", "connectionName": "hybridcloud-dx", "connectionState": "requested", "tags": [{"key": "Name", "value": "x"}]},
                {"connectionId": "dxcon-c", "connectionName": "carrier-port", "connectionState": "available"},
            ]
        },
        {},
    )
    member = {"connectionId": "dxcon-m1", "connectionName": "hybridcloud-dx", "connectionState": "requested", "tags": [{"key": "Name", "value": "m"}]}
    dx.add_response(
        "describe_lags",
        {
            "lags": [
                {"lagId": "dxlag-old", "lagName": "hybridcloud-dx", "lagState": "deleted"},
                {"lagId": "dxlag-1", "lagName": "hybridcloud-dx", "lagState": "pending", "minimumLinks": 1, "connections": [member]},
            ]
        },
        {},
    )
    result = run(capsys, clients, stubs, args={"vpn_gateway": "hybridcloud-vgw", "connection": "hybridcloud-dx", "lag": "hybridcloud-dx"})
    assert [(c["connectionId"], c["tags"]) for c in result["connections"]] == [("dxcon-b", {"Name": "x"})]
    [lag] = result["lags"]
    assert (lag["lagId"], lag["tags"], [(m["connectionId"], m["tags"]) for m in lag["connections"]]) == ("dxlag-1", {}, [("dxcon-m1", {"Name": "m"})])
    # Nothing asked of the VPN, the gateway or the interface: no call for them.
    assert (result["vpn_gateway"], result["dx_gateway"], result["vpn_connections"]) == ({}, {}, [])


def test_nothing_there_yet_is_no_error_and_reads_nothing_that_needs_it(capsys, stubbers):
    """Without the virtual private gateway neither the association nor the VPN connection can exist: they are not read.
    A given link that does not exist is empty (Direct Connect answers a client error naming it)."""
    clients, stubs = stubbers
    ec2, dx = stubs["ec2"], stubs["directconnect"]
    ec2.add_response("describe_vpn_gateways", {"VpnGateways": []}, {"Filters": VGW_FILTERS})
    ec2.add_response("describe_customer_gateways", {"CustomerGateways": []}, {"Filters": CGW_FILTERS})
    ec2.add_response("describe_route_tables", {"RouteTables": []}, {"Filters": [{"Name": "route-table-id", "Values": ["rtb-1", "rtb-2"]}]})
    dx.add_response("describe_direct_connect_gateways", {"directConnectGateways": []}, {})
    dx.add_response("describe_virtual_interfaces", {"virtualInterfaces": []}, {})
    dx.add_client_error(
        "describe_connections",
        "DirectConnectClientException",
        "Connection dxcon-carrier1 does not exist in region us-east-1.",
        expected_params={"connectionId": "dxcon-carrier1"},
    )
    result = run(capsys, clients, stubs)
    assert result["rc"] == 0
    for entry in ("vpn_gateway", "link", "dx_gateway", "customer_gateway"):
        assert result[entry] == {}, entry
    for entry in ("connections", "lags", "dx_gateway_associations", "virtual_interfaces", "vpn_connections", "route_tables"):
        assert result[entry] == [], entry


def test_without_direct_connect_no_direct_connect_client(capsys, stubbers):
    clients, stubs = stubbers
    stubs["ec2"].add_response("describe_vpn_gateways", {"VpnGateways": [vpn_gateway("vgw-1")]}, {"Filters": VGW_FILTERS})
    stubs["ec2"].add_response("describe_customer_gateways", {"CustomerGateways": []}, {"Filters": CGW_FILTERS})
    result = run(capsys, clients, stubs, args={"vpn_gateway": "hybridcloud-vgw", "customer_gateway_ip": "198.51.100.10"})
    assert result["clients"] == ["ec2"]
    assert (result["vpn_gateway"]["VpnGatewayId"], result["vpn_connections"]) == ("vgw-1", [])


def test_an_aws_error_fails_with_its_message(capsys, stubbers):
    clients, stubs = stubbers
    stubs["ec2"].add_client_error("describe_vpn_gateways", "UnauthorizedOperation", "not allowed")
    result = run(capsys, clients, stubs, args={"vpn_gateway": "hybridcloud-vgw"}, all_answered=False)
    assert result["failed"] is True
    assert "not allowed" in result["msg"]
