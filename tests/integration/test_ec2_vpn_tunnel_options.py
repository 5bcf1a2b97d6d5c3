"""hybridcloud.aws.ec2_vpn_tunnel_options against the emulator: check mode changes nothing (no mutating call), a real
run sets both tunnels one at a time (read back with DescribeVpnConnections), the keys never reach the output, a second
run is a no-op, options not given keep their values, and bad input fails without a change."""

import pytest

KEY1, KEY2 = "vaulted_tunnel.key1", "vaulted_tunnel.key2"
TUNNELS = [
    {"tunnel_inside_cidr": "169.254.44.0/30", "pre_shared_key": KEY1, "ike_versions": ["ikev2"], "dpd_timeout_action": "restart"},
    {"tunnel_inside_cidr": "169.254.44.4/30", "pre_shared_key": KEY2, "ike_versions": ["ikev2"], "dpd_timeout_action": "restart"},
]


@pytest.fixture
def ec2(aws):
    return aws("ec2")


@pytest.fixture
def vpn_id(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=vgw, VpcId=vpc)
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.20", BgpAsn=65020)["CustomerGateway"]["CustomerGatewayId"]
    return ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=cgw, VpnGatewayId=vgw, Options={"StaticRoutesOnly": True})["VpnConnection"][
        "VpnConnectionId"
    ]


def tunnel_task(vpn_id, tunnels, **extra):
    return [{"name": "tunnels", "hybridcloud.aws.ec2_vpn_tunnel_options": {"vpn_connection_id": vpn_id, "tunnels": tunnels, **extra}}]


def described(ec2, vpn_id):
    return ec2.describe_vpn_connections(VpnConnectionIds=[vpn_id])["VpnConnections"][0]


def test_check_mode_converge_no_op(ec2, vpn_id, playbook, mutating_calls):
    before = described(ec2, vpn_id)
    generated_keys = [tunnel["PreSharedKey"] for tunnel in before["Options"]["TunnelOptions"]]
    calls_before = len(mutating_calls())

    planned = playbook(tunnel_task(vpn_id, TUNNELS), check=True, diff=True)
    assert planned.failed == 0, planned.output
    result = planned.task("tunnels")["result"]
    assert (result["changed"], len(result["changed_tunnels"])) == (True, 2)
    assert [t["tunnel_inside_cidr"] for t in result["tunnels"]] == ["169.254.44.0/30", "169.254.44.4/30"]
    assert len(mutating_calls()) == calls_before
    assert described(ec2, vpn_id)["Options"] == before["Options"]

    first = playbook(tunnel_task(vpn_id, TUNNELS), diff=True)
    assert first.failed == 0, first.output
    assert first.task("tunnels")["result"]["state"] == "available"
    # botocore's vpn_connection_available waiter between the two changes and after the last: each saw the connection
    # modifying, then available (the emulator settles a change on the describe after the one that saw it modifying).
    waited = first.task("tunnels")["result"]["waited"]
    assert [[state["state"] for state in wait["states"]] for wait in waited] == [["modifying", "available"]] * 2
    assert [call["operation"] for call in first.mutating_calls] == ["ModifyVpnTunnelOptions", "ModifyVpnTunnelOptions"]
    after = described(ec2, vpn_id)
    assert after["State"] == "available"
    tunnels = after["Options"]["TunnelOptions"]
    assert [(t["OutsideIpAddress"], t["TunnelInsideCidr"], t["PreSharedKey"]) for t in tunnels] == [
        (before["Options"]["TunnelOptions"][0]["OutsideIpAddress"], "169.254.44.0/30", KEY1),
        (before["Options"]["TunnelOptions"][1]["OutsideIpAddress"], "169.254.44.4/30", KEY2),
    ]
    assert [(t["IkeVersions"], t["DpdTimeoutAction"]) for t in tunnels] == [([{"Value": "ikev2"}], "restart")] * 2
    for secret in [KEY1, KEY2, *generated_keys]:
        assert secret not in planned.output
        assert secret not in first.output

    second = playbook(tunnel_task(vpn_id, TUNNELS))
    assert (second.failed, second.changed, second.mutating_calls) == (0, 0, [])

    # One option of the second tunnel, named by its outside address; everything else stays.
    address = tunnels[1]["OutsideIpAddress"]
    third = playbook(tunnel_task(vpn_id, [{"outside_ip_address": address, "dpd_timeout_seconds": 45}]))
    assert (third.failed, third.changed) == (0, 1)
    assert third.task("tunnels")["result"]["changed_tunnels"] == [address]
    tunnels_now = described(ec2, vpn_id)["Options"]["TunnelOptions"]
    assert tunnels_now[1] == {**tunnels[1], "DpdTimeoutSeconds": 45}
    assert tunnels_now[0] == tunnels[0]


@pytest.mark.parametrize(
    ("tunnels", "message"),
    [
        ([{"tunnel_inside_cidr": "169.254.1.0/30"}], "is reserved"),
        ([{"pre_shared_key": "0zero-start"}], "pre-shared key must be"),
        ([{"outside_ip_address": "192.0.2.1", "startup_action": "start"}], "has no tunnel with outside IP address 192.0.2.1"),
    ],
)
def test_bad_input_fails_without_a_change(ec2, vpn_id, playbook, tunnels, message):
    before = described(ec2, vpn_id)
    result = playbook(tunnel_task(vpn_id, tunnels))
    assert result.failed == 1
    assert message in result.output
    assert result.mutating_calls == [] or all(call["status"] >= 400 for call in result.mutating_calls)
    assert described(ec2, vpn_id)["Options"] == before["Options"]
    assert "0zero-start" not in result.output


def test_missing_connection_fails_clearly(playbook):
    result = playbook(tunnel_task("vpn-00000000000000000", [{"startup_action": "start"}]))
    assert result.failed == 1
    assert "VPN connection vpn-00000000000000000 does not exist" in result.output
