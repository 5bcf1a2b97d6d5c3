"""hybridcloud.aws.hybrid_connectivity against the emulator: check mode on an empty account, converge verified with
Direct Connect and EC2 reads (tags on every resource included), a no-op second run that reads the layer once and runs
no write module (hybridcloud.aws.hybrid_connectivity_layer_info, hybridcloud.aws.hybrid_connectivity_writes), hand-made
drift predicted in check mode and repaired by exactly the writes that differ, the status check (by name, as verify.yml
runs it) following the emulated link states (Direct Connect down -> vpn, both down -> none, Direct Connect up ->
direct_connect), an ordered LAG with the association's allowed prefixes and the VPN tunnels' options, an ordered
connection with its virtual interface, (bad input in test_bad_input_aws_network_data.py)."""

import collections

import pytest

REGION = "us-east-1"
VPC_CIDR = "10.40.0.0/16"
ONPREM = ["192.168.10.0/24", "192.168.20.0/24"]
CUSTOMER_GATEWAY_IP = "198.51.100.10"
HALVES = ["10.40.0.0/17", "10.40.128.0/17"]
PSK1, PSK2 = "vaulted_tunnel.key1", "vaulted_tunnel.key2"
TUNNELS = [
    {"tunnel_inside_cidr": "169.254.44.0/30", "pre_shared_key": PSK1, "ike_versions": ["ikev2"], "dpd_timeout_action": "restart"},
    {"tunnel_inside_cidr": "169.254.44.4/30", "pre_shared_key": PSK2, "ike_versions": ["ikev2"], "dpd_timeout_action": "restart"},
]
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
# The status check as playbooks/verify.yml and playbooks/report.yml run it: no ids handed on,
# the role's names only.
STATUS_BY_NAME = [
    {"name": "status", "ansible.builtin.include_role": {"name": "hybridcloud.aws.hybrid_connectivity", "tasks_from": "status"}},
    {"name": "report", "ansible.builtin.debug": {"msg": "{{ hybrid_connectivity_path_report }}"}},
]
ROLE = [
    {"name": "connectivity", "ansible.builtin.include_role": {"name": "hybridcloud.aws.hybrid_connectivity"}},
    {"name": "facts", "ansible.builtin.debug": {"msg": {fact: f"{{{{ {fact} }}}}" for fact in FACTS}}},
    *STATUS,
]
# The role and its facts, without the status check's reads: what the no-op's call count is measured on.
ROLE_ONLY = ROLE[:2]


# The modules that write; on a converged layer none of them may run.
WRITE_MODULES = {
    "amazon.aws.ec2_vpc_vgw",
    "community.aws.directconnect_connection",
    "community.aws.directconnect_link_aggregation_group",
    "community.aws.directconnect_gateway",
    "hybridcloud.aws.directconnect_gateway_association",
    "community.aws.directconnect_virtual_interface",
    "hybridcloud.aws.resource_tags",
    "community.aws.ec2_customer_gateway",
    "amazon.aws.ec2_tag",
    "amazon.aws.ec2_vpc_vpn",
    "hybridcloud.aws.ec2_vpn_tunnel_options",
    "amazon.aws.ec2_vpc_route_table",
}
# AWS calls of the role's no-op run before the layer was read once, measured with the role alone (the status check
# left out): 20 with a given connection (8 write-module runs: ec2_vpc_vgw, directconnect_gateway,
# directconnect_virtual_interface, 3 resource_tags, ec2_customer_gateway, ec2_vpc_vpn), 27 with an ordered LAG, allowed
# prefixes and tunnel options (13 write-module runs). After: 8, all reads, in check mode too.
NO_OP_CALLS_BEFORE = {"connection": 20, "lag": 27}
WRITES_DECIDED = "hybridcloud.aws.hybrid_connectivity : Decide which writes are needed"


def write_modules_run(result):
    """The write modules whose tasks ran (were not skipped), once per loop item that ran."""
    ran = []
    for task in result.tasks:
        if task["action"] not in WRITE_MODULES:
            continue
        items = task["result"].get("results", [task["result"]])
        ran += [task["action"] for item in items if not item.get("skipped") and "skip_reason" not in item]
    return sorted(ran)


def assert_read_once_and_nothing_written(result, calls_before):
    """A run of the role alone (ROLE_ONLY) on a converged layer: one read, no write module, no mutating call, fewer AWS
    calls than before, each resource read once."""
    assert write_modules_run(result) == []
    assert result.mutating_calls == []
    operations = collections.Counter(call["operation"] for call in result.api_calls)
    assert sum(operations.values()) < calls_before, operations
    assert set(operations.values()) == {1}, operations


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
    connection_id = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="carrier-port", tags=[{"key": "Carrier", "value": "EqDC2"}])[
        "connectionId"
    ]
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


def dx_tags_of(resource):
    return {tag["key"]: tag["value"] for tag in resource.get("tags", [])}


def assert_both_paths_are_built(ec2, dx, site, facts):
    vgw = ec2.describe_vpn_gateways(VpnGatewayIds=[facts["hybrid_connectivity_vgw_id"]])["VpnGateways"][0]
    assert vgw["AmazonSideAsn"] == 64513
    assert [(a["VpcId"], a["State"]) for a in vgw["VpcAttachments"]] == [(site["hybrid_connectivity_vpc_id"], "attached")]
    assert tags_of(vgw) == {**TAGS, "Name": "hybridcloud-vgw"}

    [gateway] = dx.describe_direct_connect_gateways(directConnectGatewayId=facts["hybrid_connectivity_dx_gateway_id"])["directConnectGateways"]
    assert (gateway["directConnectGatewayName"], gateway["amazonSideAsn"]) == ("hybridcloud-dxgw", 64512)
    assert dx_tags_of(gateway) == {**TAGS, "Name": "hybridcloud-dxgw"}
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
    assert dx_tags_of(vif) == {**TAGS, "Name": "hybridcloud-private-vif"}
    # The carrier's connection (not ordered by the role) gets the role's tags and keeps its own, without a Name.
    [connection] = dx.describe_connections(connectionId=vif["connectionId"])["connections"]
    assert dx_tags_of(connection) == {**TAGS, "Carrier": "EqDC2"}

    [cgw] = ec2.describe_customer_gateways(CustomerGatewayIds=[facts["hybrid_connectivity_customer_gateway_id"]])["CustomerGateways"]
    assert (cgw["IpAddress"], cgw["BgpAsn"]) == (CUSTOMER_GATEWAY_IP, "65010")
    assert tags_of(cgw) == {**TAGS, "Name": "hybridcloud-cgw"}
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

    second = converge(playbook, site, tasks=ROLE_ONLY)
    assert second.changed == 0, [task["name"] for task in second.tasks if task["changed"]]
    assert_read_once_and_nothing_written(second, NO_OP_CALLS_BEFORE["connection"])
    assert second.task("facts")["result"]["msg"] == facts

    # Drift made by hand: check mode predicts exactly the writes that differ (and makes none), the run makes exactly those.
    vif_id, vpn_id = facts["hybrid_connectivity_virtual_interface_id"], facts["hybrid_connectivity_vpn_connection_id"]
    vgw_id = facts["hybrid_connectivity_vgw_id"]
    [vif] = dx.describe_virtual_interfaces(virtualInterfaceId=vif_id)["virtualInterfaces"]
    ec2.delete_tags(Resources=[vgw_id], Tags=[{"Key": "Environment"}])
    dx.untag_resource(resourceArn=f"arn:aws:directconnect:{REGION}:{vif['ownerAccount']}:dxvif/{vif_id}", tagKeys=["Project"])
    ec2.delete_vpn_connection_route(VpnConnectionId=vpn_id, DestinationCidrBlock=ONPREM[1])
    ec2.disable_vgw_route_propagation(RouteTableId=site["hybrid_connectivity_route_table_ids"][1], GatewayId=vgw_id)
    ec2.create_tags(Resources=[facts["hybrid_connectivity_customer_gateway_id"]], Tags=[{"Key": "Project", "Value": "someone-else"}])
    expected = sorted(
        ["amazon.aws.ec2_vpc_vgw", "hybridcloud.aws.resource_tags", "amazon.aws.ec2_vpc_vpn", "amazon.aws.ec2_vpc_route_table", "amazon.aws.ec2_tag"]
    )
    planned = converge(playbook, site, tasks=ROLE_ONLY, check=True)
    assert planned.mutating_calls == []
    assert write_modules_run(planned) == expected
    writes = planned.task(WRITES_DECIDED)["result"]["ansible_facts"]["hybrid_connectivity_writes"]
    assert {key: value for key, value in writes.items() if value and not key.endswith("_id")} == {
        "vpn_gateway": ["tags"],
        "virtual_interface_tags": ["tags"],
        "vpn_connection": ["routes"],
        "route_propagation": [site["hybrid_connectivity_route_table_ids"][1]],
        "customer_gateway_tags": ["tags"],
    }
    repaired = converge(playbook, site, tasks=ROLE_ONLY)
    assert write_modules_run(repaired) == expected
    assert repaired.task("facts")["result"]["msg"] == facts
    assert_both_paths_are_built(ec2, dx, site, facts)

    # The status check as playbooks/verify.yml and playbooks/report.yml run it: no ids, the role's names only.
    def path_now():
        result = converge(playbook, site, tasks=STATUS_BY_NAME)
        assert result.mutating_calls == []
        report = result.task("report")["result"]["msg"]
        assert (report["direct_connect"]["virtual_interface_id"], report["vpn"]["vpn_connection_id"]) == (vif_id, vpn_id)
        # The run says it in one line, naming both paths.
        assert report["summary"].startswith(f"Active path to on-premises: {report['active_path']} (Direct Connect {vif_id} ")
        assert f"; VPN {vpn_id} available" in report["summary"] and report["summary"] in result.output
        return report["active_path"]

    assert lab_api("POST", f"/_lab/directconnect/virtual-interfaces/{vif_id}/state", json={"state": "down"})[0] == 200
    assert path_now() == "vpn"
    # The VPN's static routes carry the on-premises prefixes into every private route table while a tunnel is up.
    assert onprem_routes_via_vgw(ec2, site, vgw_id) == [ONPREM, ONPREM]

    assert lab_api("POST", f"/_lab/ec2/vpn-connections/{vpn_id}/tunnels", json={"status": "DOWN"})[0] == 200
    assert path_now() == "none"
    assert onprem_routes_via_vgw(ec2, site, vgw_id) == [[], []]

    assert lab_api("POST", f"/_lab/directconnect/virtual-interfaces/{vif_id}/state", json={"state": "available"})[0] == 200
    assert path_now() == "direct_connect"


def test_ordered_lag_allowed_prefixes_tunnel_options_and_retagging(playbook, ec2, dx, site):
    ordered = {
        **site,
        "hybrid_connectivity_dx_existing_connection_id": "",
        "hybrid_connectivity_dx_create": "lag",
        "hybrid_connectivity_dx_location": "EqDC2",
        "hybrid_connectivity_allowed_prefixes": HALVES,
        "hybrid_connectivity_vpn_tunnels": TUNNELS,
    }
    first = converge(playbook, ordered)
    facts = first.task("facts")["result"]["msg"]

    [lag] = dx.describe_lags(lagId=facts["hybrid_connectivity_dx_connection_id"])["lags"]
    assert (lag["lagName"], dx_tags_of(lag)) == ("hybridcloud-dx", {**TAGS, "Name": "hybridcloud-dx"})
    assert [dx_tags_of(member) for member in lag["connections"]] == [{**TAGS, "Name": "hybridcloud-dx"}] * 2
    [association] = dx.describe_direct_connect_gateway_associations(directConnectGatewayId=facts["hybrid_connectivity_dx_gateway_id"])[
        "directConnectGatewayAssociations"
    ]
    assert association["associationState"] == "associated"
    assert sorted(prefix["cidr"] for prefix in association["allowedPrefixesToDirectConnectGateway"]) == HALVES

    [vpn] = ec2.describe_vpn_connections(VpnConnectionIds=[facts["hybrid_connectivity_vpn_connection_id"]])["VpnConnections"]
    tunnels = vpn["Options"]["TunnelOptions"]
    assert [(t["TunnelInsideCidr"], t["PreSharedKey"], t["IkeVersions"]) for t in tunnels] == [
        ("169.254.44.0/30", PSK1, [{"Value": "ikev2"}]),
        ("169.254.44.4/30", PSK2, [{"Value": "ikev2"}]),
    ]
    assert [t["DpdTimeoutAction"] for t in tunnels] == ["restart", "restart"]
    for secret in (PSK1, PSK2):
        assert secret not in first.output

    # Check mode on the converged layer makes the same one read as the no-op run, and neither writes.
    check = converge(playbook, ordered, tasks=ROLE_ONLY, check=True)
    assert check.changed == 0
    assert_read_once_and_nothing_written(check, NO_OP_CALLS_BEFORE["lag"])
    second = converge(playbook, ordered, tasks=ROLE_ONLY)
    assert second.changed == 0
    assert_read_once_and_nothing_written(second, NO_OP_CALLS_BEFORE["lag"])
    assert sorted(call["operation"] for call in check.api_calls) == sorted(call["operation"] for call in second.api_calls)

    # New common tags land on every resource; keys no longer wanted go (purge), the carrier-free ones included. With
    # them, drift made by hand on the association's allowed prefixes and a tunnel's options: check mode predicts
    # exactly the writes that differ, the run makes exactly those.
    [association] = dx.describe_direct_connect_gateway_associations(directConnectGatewayId=facts["hybrid_connectivity_dx_gateway_id"])[
        "directConnectGatewayAssociations"
    ]
    dx.update_direct_connect_gateway_association(associationId=association["associationId"], removeAllowedPrefixesToDirectConnectGateway=[{"cidr": HALVES[1]}])
    ec2.modify_vpn_tunnel_options(
        VpnConnectionId=facts["hybrid_connectivity_vpn_connection_id"],
        VpnTunnelOutsideIpAddress=tunnels[1]["OutsideIpAddress"],
        TunnelOptions={"DPDTimeoutAction": "clear"},
    )
    retagged = {"Project": "hybridcloud", "Owner": "network-team"}
    expected = sorted(
        ["amazon.aws.ec2_vpc_vgw", "amazon.aws.ec2_tag", "amazon.aws.ec2_vpc_vpn"]
        + ["hybridcloud.aws.resource_tags"] * 5  # the Direct Connect gateway, the interface, the LAG and its two connections
        + ["hybridcloud.aws.directconnect_gateway_association", "hybridcloud.aws.ec2_vpn_tunnel_options"]
    )
    planned = converge(playbook, {**ordered, "hybridcloud_tags": retagged}, check=True)
    assert planned.mutating_calls == []
    assert write_modules_run(planned) == expected
    assert planned.task(WRITES_DECIDED)["result"]["ansible_facts"]["hybrid_connectivity_writes"]["vpn_tunnel_options"] == [tunnels[1]["OutsideIpAddress"]]
    assert planned.task("hybridcloud.aws.hybrid_connectivity : Tag the customer gateway")["changed"]
    # The no-op second run compared the customer gateway's tags and did not call ec2_tag for them.
    assert "skip_reason" in second.task("hybridcloud.aws.hybrid_connectivity : Tag the customer gateway")["result"]
    third = converge(playbook, {**ordered, "hybridcloud_tags": retagged})
    assert write_modules_run(third) == expected
    assert {call["operation"] for call in third.mutating_calls} <= {
        "TagResource",
        "UntagResource",
        "CreateTags",
        "DeleteTags",
        "UpdateDirectConnectGatewayAssociation",
        "ModifyVpnTunnelOptions",
    }
    [association] = dx.describe_direct_connect_gateway_associations(directConnectGatewayId=facts["hybrid_connectivity_dx_gateway_id"])[
        "directConnectGatewayAssociations"
    ]
    assert sorted(prefix["cidr"] for prefix in association["allowedPrefixesToDirectConnectGateway"]) == HALVES
    [vpn] = ec2.describe_vpn_connections(VpnConnectionIds=[facts["hybrid_connectivity_vpn_connection_id"]])["VpnConnections"]
    assert [t["DpdTimeoutAction"] for t in vpn["Options"]["TunnelOptions"]] == ["restart", "restart"]
    [lag] = dx.describe_lags(lagId=facts["hybrid_connectivity_dx_connection_id"])["lags"]
    assert dx_tags_of(lag) == {**retagged, "Name": "hybridcloud-dx"}
    [gateway] = dx.describe_direct_connect_gateways(directConnectGatewayId=facts["hybrid_connectivity_dx_gateway_id"])["directConnectGateways"]
    assert dx_tags_of(gateway) == {**retagged, "Name": "hybridcloud-dxgw"}
    [vif] = dx.describe_virtual_interfaces(virtualInterfaceId=facts["hybrid_connectivity_virtual_interface_id"])["virtualInterfaces"]
    assert dx_tags_of(vif) == {**retagged, "Name": "hybridcloud-private-vif"}
    [cgw] = ec2.describe_customer_gateways(CustomerGatewayIds=[facts["hybrid_connectivity_customer_gateway_id"]])["CustomerGateways"]
    assert tags_of(cgw) == {**retagged, "Name": "hybridcloud-cgw"}


def test_ordered_connection_gets_its_virtual_interface(playbook, ec2, dx, site):
    """The lab inventory's path: the role orders the port (dx_create: connection) and puts the private virtual interface
    on it, attached to the Direct Connect gateway that is associated with the virtual private gateway."""
    ordered = {
        **site,
        "hybrid_connectivity_dx_existing_connection_id": "",
        "hybrid_connectivity_dx_create": "connection",
        "hybrid_connectivity_dx_location": "EqDC2",
    }
    result = converge(playbook, ordered)
    facts = result.task("facts")["result"]["msg"]
    assert result.task("path")["result"]["msg"] == "direct_connect"

    [connection] = dx.describe_connections(connectionId=facts["hybrid_connectivity_dx_connection_id"])["connections"]
    assert connection["connectionId"].startswith("dxcon-") and connection["connectionId"] != site["hybrid_connectivity_dx_existing_connection_id"]
    assert (connection["connectionName"], connection["location"], connection["bandwidth"]) == ("hybridcloud-dx", "EqDC2", "1Gbps")
    assert dx_tags_of(connection) == {**TAGS, "Name": "hybridcloud-dx"}
    [vif] = dx.describe_virtual_interfaces(connectionId=connection["connectionId"])["virtualInterfaces"]
    assert vif["virtualInterfaceId"] == facts["hybrid_connectivity_virtual_interface_id"]
    assert (vif["virtualInterfaceType"], vif["virtualInterfaceName"], vif["vlan"], vif["virtualInterfaceState"]) == (
        "private",
        "hybridcloud-private-vif",
        120,
        "available",
    )
    assert vif["directConnectGatewayId"] == facts["hybrid_connectivity_dx_gateway_id"]
    [association] = dx.describe_direct_connect_gateway_associations(directConnectGatewayId=vif["directConnectGatewayId"])["directConnectGatewayAssociations"]
    assert association["associatedGateway"]["id"] == facts["hybrid_connectivity_vgw_id"]
    [vgw] = ec2.describe_vpn_gateways(VpnGatewayIds=[facts["hybrid_connectivity_vgw_id"]])["VpnGateways"]
    assert [(a["VpcId"], a["State"]) for a in vgw["VpcAttachments"]] == [(site["hybrid_connectivity_vpc_id"], "attached")]


def test_a_refused_virtual_interface_shows_aws_error_with_the_bgp_key_masked(playbook, lab_api, site):
    """The task carrying the BGP key runs with no_log, which used to hide why it failed (the run ended with AWS's
    message censored); the rescue reports it. The key stays masked where the error echoes it (as validation errors
    echo request values): the upstream module declares the key no_log, and the rescue's failure_message masks the
    role's secrets again for modules that do not. A ValidationException, which the upstream module does not retry
    (it retries DirectConnectClientException)."""
    echoed = f"Value '{site['hybrid_connectivity_dx_auth_key']}' at 'authKey' failed to satisfy constraint"
    rule = {"service": "directconnect", "operation": "CreatePrivateVirtualInterface", "error": "ValidationException", "message": echoed}
    assert lab_api("POST", "/_lab/faults", json={"rules": [rule]})[0] == 200
    result = playbook(ROLE, extra_vars=site)
    assert result.failed == 1
    assert "Value '********' at 'authKey' failed to satisfy constraint" in result.output
    assert "lab-bgp-md5-key" not in result.output
