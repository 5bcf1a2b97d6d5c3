from unittest import mock

import pytest

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hybridcloud.aws.plugins.modules import ec2_vpn_tunnel_options as module

VPN_ID = "vpn-0123456789abcdef0"
IP1, IP2 = "203.0.113.10", "203.0.113.20"
KEY1, KEY2 = "awsGenerated.key.one", "awsGenerated.key.two"
NEW_KEY = "vaulted_key.1"
DESCRIBE = {"VpnConnectionIds": [VPN_ID]}


def tunnel(ip, cidr, key, **extra):
    return {"OutsideIpAddress": ip, "TunnelInsideCidr": cidr, "PreSharedKey": key, **extra}


T1 = tunnel(IP1, "169.254.100.0/30", KEY1, IkeVersions=[{"Value": "ikev1"}, {"Value": "ikev2"}], DpdTimeoutAction="clear")
T2 = tunnel(IP2, "169.254.200.0/30", KEY2, IkeVersions=[{"Value": "ikev1"}, {"Value": "ikev2"}], DpdTimeoutAction="clear")


def vpn(state="available", tunnels=(T1, T2)):
    return {
        "VpnConnectionId": VPN_ID,
        "State": state,
        "Type": "ipsec.1",
        "CustomerGatewayId": "cgw-0123456789abcdef0",
        "VpnGatewayId": "vgw-0123456789abcdef0",
        "Options": {"StaticRoutesOnly": True, "TunnelOptions": [dict(t) for t in tunnels]},
    }


@pytest.fixture
def ec2(module_run):
    return module_run("ec2")


def expect_describe(ec2, answer):
    ec2.stubber.add_response("describe_vpn_connections", {"VpnConnections": [answer] if answer else []}, DESCRIBE)


def expect_modify(ec2, ip, options, answer):
    ec2.stubber.add_response(
        "modify_vpn_tunnel_options", {"VpnConnection": answer}, {"VpnConnectionId": VPN_ID, "VpnTunnelOutsideIpAddress": ip, "TunnelOptions": options}
    )


def test_sets_both_tunnels_one_at_a_time_and_waits_between(ec2):
    first = tunnel(IP1, "169.254.44.0/30", NEW_KEY, IkeVersions=[{"Value": "ikev2"}], DpdTimeoutAction="clear")
    second = tunnel(IP2, "169.254.44.4/30", KEY2, IkeVersions=[{"Value": "ikev2"}], DpdTimeoutAction="clear")
    expect_describe(ec2, vpn())
    first_changes = {"TunnelInsideCidr": "169.254.44.0/30", "PreSharedKey": NEW_KEY, "IKEVersions": [{"Value": "ikev2"}]}
    expect_modify(ec2, IP1, first_changes, vpn("modifying", (first, T2)))
    expect_describe(ec2, vpn("modifying", (first, T2)))
    expect_describe(ec2, vpn("available", (first, T2)))
    expect_modify(ec2, IP2, {"TunnelInsideCidr": "169.254.44.4/30", "IKEVersions": [{"Value": "ikev2"}]}, vpn("modifying", (first, second)))
    expect_describe(ec2, vpn("available", (first, second)))
    args = {
        "vpn_connection_id": VPN_ID,
        "tunnels": [
            {"tunnel_inside_cidr": "169.254.44.0/30", "pre_shared_key": NEW_KEY, "ike_versions": ["ikev2"]},
            {"tunnel_inside_cidr": "169.254.44.4/30", "ike_versions": ["ikev2"]},
        ],
    }
    with mock.patch.object(AnsibleModule, "log") as log:
        result = ec2(module.main, args, diff=True)
    assert (result["changed"], result["state"], result["changed_tunnels"]) == (True, "available", [IP1, IP2])
    # botocore's vpn_connection_available waiter, polling every 5 s; every poll recorded and logged.
    what = f"VPN connection {VPN_ID} to be available"
    assert result["waited"] == [
        {
            "what": what,
            "seconds": 5.0,
            "polls": 2,
            "states": [{"state": "modifying", "seconds": 0.0, "polls": 1}, {"state": "available", "seconds": 5.0, "polls": 1}],
        },
        {"what": what, "seconds": 0.0, "polls": 1, "states": [{"state": "available", "seconds": 0.0, "polls": 1}]},
    ]
    assert [call.args[0] for call in log.call_args_list if "waiting for" in call.args[0]] == [
        f"hybridcloud.aws: waiting for {what}: poll 1 after 0 s: modifying",
        f"hybridcloud.aws: waiting for {what}: poll 2 after 5 s: available",
        f"hybridcloud.aws: waiting for {what}: poll 1 after 0 s: available",
    ]
    assert [(t["outside_ip_address"], t["tunnel_inside_cidr"], t["ike_versions"]) for t in result["tunnels"]] == [
        (IP1, "169.254.44.0/30", ["ikev2"]),
        (IP2, "169.254.44.4/30", ["ikev2"]),
    ]
    assert result["diff"]["before"]["tunnels"][IP1]["pre_shared_key"] == "(hidden)"
    assert result["diff"]["after"]["tunnels"][IP1]["pre_shared_key"] == "(hidden, changed)"
    for secret in (KEY1, KEY2, NEW_KEY):
        assert secret not in str(result)


def test_matching_options_are_a_no_op_in_any_list_order(ec2):
    expect_describe(ec2, vpn())
    args = {"vpn_connection_id": VPN_ID, "tunnels": [{"ike_versions": ["ikev2", "ikev1"], "pre_shared_key": KEY1}, {"dpd_timeout_action": "clear"}]}
    result = ec2(module.main, args)
    assert (result["changed"], result["changed_tunnels"]) == (False, [])
    assert "waited" not in result
    assert KEY1 not in str(result)


def test_options_not_given_keep_their_values(ec2):
    expect_describe(ec2, vpn())
    changed = dict(T2, DpdTimeoutSeconds=40)
    expect_modify(ec2, IP2, {"DPDTimeoutSeconds": 40}, vpn("modifying", (T1, changed)))
    expect_describe(ec2, vpn("available", (T1, changed)))
    result = ec2(module.main, {"vpn_connection_id": VPN_ID, "tunnels": [{"outside_ip_address": IP2, "dpd_timeout_seconds": 40}]})
    assert (result["changed"], result["changed_tunnels"]) == (True, [IP2])
    assert [t["dpd_timeout_seconds"] for t in result["tunnels"]] == [None, 40]
    assert result["tunnels"][1]["tunnel_inside_cidr"] == "169.254.200.0/30"


def test_check_mode_plans_without_modifying(ec2):
    expect_describe(ec2, vpn())
    args = {"vpn_connection_id": VPN_ID, "tunnels": [{"tunnel_inside_cidr": "169.254.44.0/30", "phase1_dh_group_numbers": [20, 14]}]}
    result = ec2(module.main, args, check_mode=True, diff=True)
    assert (result["changed"], result["changed_tunnels"], result["state"]) == (True, [IP1], "available")
    assert result["tunnels"][0]["tunnel_inside_cidr"] == "169.254.44.0/30"
    assert result["tunnels"][0]["phase1_dh_group_numbers"] == ["14", "20"]
    assert result["diff"]["before"]["tunnels"][IP1]["tunnel_inside_cidr"] == "169.254.100.0/30"


def test_waits_for_a_pending_connection_before_the_first_change(ec2):
    expect_describe(ec2, vpn("pending"))
    expect_describe(ec2, vpn("pending"))
    expect_describe(ec2, vpn("available"))
    changed = dict(T1, StartupAction="start")
    expect_modify(ec2, IP1, {"StartupAction": "start"}, vpn("modifying", (changed, T2)))
    result = ec2(module.main, {"vpn_connection_id": VPN_ID, "tunnels": [{"startup_action": "start"}], "wait": False})
    assert (result["changed"], result["state"]) == (True, "modifying")


def test_wait_timeout_fails_with_the_state(ec2):
    expect_describe(ec2, vpn())
    expect_modify(ec2, IP1, {"StartupAction": "start"}, vpn("modifying"))
    expect_describe(ec2, vpn("modifying"))
    # A timeout shorter than the first poll delay gives up after one look.
    result = ec2(module.main, {"vpn_connection_id": VPN_ID, "tunnels": [{"startup_action": "start"}], "wait_timeout": 1})
    assert result["failed"] is True
    assert "still modifying after 1 seconds" in result["msg"]
    assert result["waited"][0]["states"] == [{"state": "modifying", "seconds": 0.0, "polls": 1}]


@pytest.mark.parametrize("gone", ["deleting", None])
def test_a_connection_deleted_during_the_wait_fails_clearly(ec2, gone):
    expect_describe(ec2, vpn())
    expect_modify(ec2, IP1, {"StartupAction": "start"}, vpn("modifying"))
    expect_describe(ec2, vpn("modifying"))
    if gone:
        expect_describe(ec2, vpn(gone))
    else:
        ec2.stubber.add_client_error("describe_vpn_connections", "InvalidVpnConnectionID.NotFound", "gone", expected_params=DESCRIBE)
    result = ec2(module.main, {"vpn_connection_id": VPN_ID, "tunnels": [{"startup_action": "start"}]})
    assert result["failed"] is True
    assert result["msg"] == f"VPN connection {VPN_ID} was deleted while waiting for it to be available"
    assert [state["state"] for state in result["waited"][0]["states"]] == ["modifying", gone or "InvalidVpnConnectionID.NotFound"]


@pytest.mark.parametrize(
    ("connection", "tunnels", "message"),
    [
        (None, [{"startup_action": "start"}], "does not exist"),
        (vpn("deleted"), [{"startup_action": "start"}], "does not exist"),
        (vpn(), [{"outside_ip_address": "198.51.100.1", "startup_action": "start"}], "has no tunnel with outside IP address 198.51.100.1"),
        (vpn(), [{"startup_action": "start"}, {"outside_ip_address": IP1}], "Two tunnels entries name the tunnel 203.0.113.10"),
        (dict(vpn(), PreSharedKeyArn="arn:aws:secretsmanager:us-east-1:123456789012:secret:psk"), [{"pre_shared_key": NEW_KEY}], "Secrets Manager"),
    ],
)
def test_refuses_what_it_cannot_do_without_modifying(ec2, connection, tunnels, message):
    expect_describe(ec2, connection)
    result = ec2(module.main, {"vpn_connection_id": VPN_ID, "tunnels": tunnels})
    assert result["failed"] is True
    assert message in result["msg"]
    assert NEW_KEY not in str(result)


def test_more_than_two_tunnels_fail_before_any_call(ec2):
    result = ec2(module.main, {"vpn_connection_id": VPN_ID, "tunnels": [{}, {}, {}]})
    assert result["failed"] is True
    assert "has 2 tunnels" in result["msg"]
