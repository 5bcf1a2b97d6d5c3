"""hybridcloud.aws.hybrid_connectivity against the emulator: check mode on an empty account, converge verified with
Direct Connect and EC2 reads, a no-op second run, the status check following the emulated link states (Direct
Connect down -> vpn, both down -> none, Direct Connect up -> direct_connect), and input validation."""

import pytest

REGION = "us-east-1"
VPC_CIDR = "10.40.0.0/16"
ONPREM = ["192.168.10.0/24", "192.168.20.0/24"]
CUSTOMER_GATEWAY_IP = "198.51.100.10"
TAGS = {"Project": "hybridcloud", "Environment": "lab"}
# Before the network exists: no VPC id yet, an ordered Direct Connect port and the on-premises VPN device.
EMPTY_ACCOUNT_VARS = {
    "hybrid_connectivity_dx_create": "connection",
    "hybrid_connectivity_dx_location": "EqDC2",
    "hybrid_connectivity_customer_gateway_ip": CUSTOMER_GATEWAY_IP,
    "hybrid_connectivity_onprem_prefixes": ONPREM,
}
FACTS = [
    "hybrid_connectivity_vgw_id",
    "hybrid_connectivity_dx_connection_id",
    "hybrid_connectivity_dx_gateway_id",
    "hybrid_connectivity_virtual_interface_id",
    "hybrid_connectivity_customer_gateway_id",
    "hybrid_connectivity_vpn_connection_id",
]
STATUS = [
    {"name": "status", "ansible.builtin.include_role": {"name": "hybridcloud.aws.hybrid_connectivity", "tasks_from": "status"}},
    {"name": "path", "ansible.builtin.debug": {"msg": "{{ hybrid_connectivity_active_path }}"}},
]
ROLE = [
    {"name": "connectivity", "ansible.builtin.include_role": {"name": "hybridcloud.aws.hybrid_connectivity"}},
    {"name": "facts", "ansible.builtin.debug": {"msg": {fact: f"{{{{ {fact} }}}}" for fact in FACTS}}},
    *STATUS,
]


@pytest.fixture
def ec2(aws):
    return aws("ec2", region=REGION)


@pytest.fixture
def dx(aws):
    return aws("directconnect", region=REGION)


@pytest.fixture
def site(ec2, dx):
    """What the network role and the carrier hand over: a VPC, its private route tables and a Direct Connect port."""
    vpc_id = ec2.create_vpc(CidrBlock=VPC_CIDR)["Vpc"]["VpcId"]
    tables = [ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"] for _ in range(2)]
    connection_id = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="carrier-port")["connectionId"]
    return {
        "hybrid_connectivity_vpc_id": vpc_id,
        "hybrid_connectivity_route_table_ids": tables,
        "hybrid_connectivity_dx_existing_connection_id": connection_id,
        "hybrid_connectivity_onprem_prefixes": ONPREM,
        "hybrid_connectivity_customer_gateway_ip": CUSTOMER_GATEWAY_IP,
        "hybrid_connectivity_dx_vlan": 120,
        "hybrid_connectivity_dx_customer_asn": 65010,
        "hybrid_connectivity_dx_auth_key": "lab-bgp-md5-key",
        "hybrid_connectivity_dx_amazon_address": "169.254.100.1/30",
        "hybrid_connectivity_dx_customer_address": "169.254.100.2/30",
        "hybridcloud_tags": TAGS,
    }


def converge(playbook, extra_vars, tasks=ROLE, check=False):
    result = playbook(tasks, check=check, extra_vars=extra_vars)
    assert result.failed == 0, result.output
    return result


def tags_of(resource):
    return {tag["Key"]: tag["Value"] for tag in resource.get("Tags", [])}


def assert_both_paths_are_built(ec2, dx, site, facts):
    vgw = ec2.describe_vpn_gateways(VpnGatewayIds=[facts["hybrid_connectivity_vgw_id"]])["VpnGateways"][0]
    assert vgw["AmazonSideAsn"] == 64513
    assert [(a["VpcId"], a["State"]) for a in vgw["VpcAttachments"]] == [(site["hybrid_connectivity_vpc_id"], "attached")]
    assert tags_of(vgw) == {**TAGS, "Name": "hybridcloud-vgw"}

    [gateway] = dx.describe_direct_connect_gateways(directConnectGatewayId=facts["hybrid_connectivity_dx_gateway_id"])["directConnectGateways"]
    assert (gateway["directConnectGatewayName"], gateway["amazonSideAsn"]) == ("hybridcloud-dxgw", 64512)
    [association] = dx.describe_direct_connect_gateway_associations(directConnectGatewayId=gateway["directConnectGatewayId"])[
        "directConnectGatewayAssociations"
    ]
    assert association["associatedGateway"]["id"] == vgw["VpnGatewayId"]
    assert association["allowedPrefixesToDirectConnectGateway"] == [{"cidr": VPC_CIDR}]

    [vif] = dx.describe_virtual_interfaces(virtualInterfaceId=facts["hybrid_connectivity_virtual_interface_id"])["virtualInterfaces"]
    assert facts["hybrid_connectivity_dx_connection_id"] == site["hybrid_connectivity_dx_existing_connection_id"] == vif["connectionId"]
    assert (vif["virtualInterfaceType"], vif["virtualInterfaceName"], vif["vlan"], vif["asn"]) == ("private", "hybridcloud-private-vif", 120, 65010)
    assert (vif["directConnectGatewayId"], vif["amazonSideAsn"]) == (gateway["directConnectGatewayId"], 64512)
    [peer] = vif["bgpPeers"]
    assert (peer["amazonAddress"], peer["customerAddress"], peer["authKey"]) == ("169.254.100.1/30", "169.254.100.2/30", "lab-bgp-md5-key")

    [cgw] = ec2.describe_customer_gateways(CustomerGatewayIds=[facts["hybrid_connectivity_customer_gateway_id"]])["CustomerGateways"]
    assert (cgw["IpAddress"], cgw["BgpAsn"]) == (CUSTOMER_GATEWAY_IP, "65010")
    [vpn] = ec2.describe_vpn_connections(VpnConnectionIds=[facts["hybrid_connectivity_vpn_connection_id"]])["VpnConnections"]
    assert (vpn["VpnGatewayId"], vpn["CustomerGatewayId"], vpn["State"]) == (vgw["VpnGatewayId"], cgw["CustomerGatewayId"], "available")
    assert vpn["Options"]["StaticRoutesOnly"] is True
    assert sorted(route["DestinationCidrBlock"] for route in vpn["Routes"]) == ONPREM
    assert tags_of(vpn) == {**TAGS, "Name": "hybridcloud-vpn"}

    for table in ec2.describe_route_tables(RouteTableIds=site["hybrid_connectivity_route_table_ids"])["RouteTables"]:
        assert table["PropagatingVgws"] == [{"GatewayId": vgw["VpnGatewayId"]}]


def onprem_routes_via_vgw(ec2, site, vgw_id):
    """Per route table, the on-premises prefixes it has learned from the virtual private gateway."""
    tables = ec2.describe_route_tables(RouteTableIds=site["hybrid_connectivity_route_table_ids"])["RouteTables"]
    return [sorted(r["DestinationCidrBlock"] for r in table["Routes"] if r.get("GatewayId") == vgw_id) for table in tables]


def test_check_mode_on_empty_account_mutates_nothing(playbook, mutating_calls, ec2):
    result = converge(playbook, EMPTY_ACCOUNT_VARS, check=True)
    assert result.task("facts")["result"]["msg"] == dict.fromkeys(FACTS, "")
    assert result.task("path")["result"]["msg"] == "none"
    assert ec2.describe_vpn_gateways()["VpnGateways"] == []
    assert mutating_calls() == []


def test_converge_no_op_rerun_and_failover_reporting(playbook, ec2, dx, lab_api, site):
    first = converge(playbook, site)
    facts = first.task("facts")["result"]["msg"]
    assert_both_paths_are_built(ec2, dx, site, facts)
    assert first.task("path")["result"]["msg"] == "direct_connect"
    # Secrets never reach the output: neither the BGP key nor the tunnels' pre-shared keys.
    vpn = ec2.describe_vpn_connections(VpnConnectionIds=[facts["hybrid_connectivity_vpn_connection_id"]])["VpnConnections"][0]
    for secret in ["lab-bgp-md5-key", *(tunnel["PreSharedKey"] for tunnel in vpn["Options"]["TunnelOptions"])]:
        assert secret not in first.output

    second = converge(playbook, site)
    assert second.changed == 0, [task["name"] for task in second.tasks if task["changed"]]
    assert second.mutating_calls == []
    assert second.task("facts")["result"]["msg"] == facts

    def path_now():
        result = converge(playbook, {**site, **facts}, tasks=STATUS)
        assert result.mutating_calls == []
        return result.task("path")["result"]["msg"]

    vif_id, vpn_id = facts["hybrid_connectivity_virtual_interface_id"], facts["hybrid_connectivity_vpn_connection_id"]
    vgw_id = facts["hybrid_connectivity_vgw_id"]
    assert lab_api("POST", f"/_lab/directconnect/virtual-interfaces/{vif_id}/state", json={"state": "down"})[0] == 200
    assert path_now() == "vpn"
    # The VPN's static routes carry the on-premises prefixes into every private route table while a tunnel is up.
    assert onprem_routes_via_vgw(ec2, site, vgw_id) == [ONPREM, ONPREM]

    assert lab_api("POST", f"/_lab/ec2/vpn-connections/{vpn_id}/tunnels", json={"status": "DOWN"})[0] == 200
    assert path_now() == "none"
    assert onprem_routes_via_vgw(ec2, site, vgw_id) == [[], []]

    assert lab_api("POST", f"/_lab/directconnect/virtual-interfaces/{vif_id}/state", json={"state": "available"})[0] == 200
    assert path_now() == "direct_connect"


@pytest.mark.parametrize(
    ("bad_vars", "message"),
    [
        ({"hybrid_connectivity_dx_create": "port"}, "hybrid_connectivity_dx_create"),
        ({"hybrid_connectivity_dx_gateway_asn": 7224}, "must be private ASNs"),
        ({"hybrid_connectivity_onprem_prefixes": ["0.0.0.0/0"]}, "none of them /0"),
        ({"hybrid_connectivity_dx_amazon_address": "169.254.100.1/30", "hybrid_connectivity_dx_customer_address": ""}, "both BGP peer addresses"),
        ({"hybrid_connectivity_customer_gateway_ip": "vpn.example.org"}, "hybrid_connectivity_customer_gateway_ip"),
    ],
)
def test_bad_input_fails_before_any_aws_call(playbook, site, bad_vars, message):
    result = playbook(ROLE, extra_vars={**site, **bad_vars})
    assert result.failed == 1
    assert message in result.output
    assert result.mutating_calls == []
