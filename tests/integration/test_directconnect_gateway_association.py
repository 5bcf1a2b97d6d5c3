"""hybridcloud.aws.directconnect_gateway_association against the emulator, after community.aws.directconnect_gateway
created the association: check mode changes nothing (no mutating call), a real run replaces the allowed prefixes in one
call and waits for the association (read back with DescribeDirectConnectGatewayAssociations), a second run is a no-op,
and a missing association or a bad prefix fails without a change."""

import pytest

VPC_CIDR = "10.60.0.0/16"
HALVES = ["10.60.0.0/17", "10.60.128.0/17"]


@pytest.fixture
def dx(aws):
    return aws("directconnect")


@pytest.fixture
def vgw(aws):
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock=VPC_CIDR)["Vpc"]["VpcId"]
    vgw_id = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=vgw_id, VpcId=vpc)
    return vgw_id


ASSOCIATE = {
    "name": "dxgw",
    "community.aws.directconnect_gateway": {"name": "lab-dxgw", "amazon_asn": "64512", "virtual_gateway_id": "{{ vgw }}"},
    "register": "dxgw",
}


def prefixes_task(prefixes, **extra):
    options = {
        "direct_connect_gateway_id": "{{ dxgw.direct_connect_gateway_id }}",
        "associated_gateway_id": "{{ vgw }}",
        "allowed_prefixes": prefixes,
        **extra,
    }
    return {"name": "prefixes", "hybridcloud.aws.directconnect_gateway_association": options}


def association(dx, vgw):
    [found] = dx.describe_direct_connect_gateway_associations(virtualGatewayId=vgw)["directConnectGatewayAssociations"]
    return found["associationState"], sorted(prefix["cidr"] for prefix in found["allowedPrefixesToDirectConnectGateway"])


def test_prefixes_after_the_upstream_association(dx, vgw, playbook, mutating_calls):
    created = playbook([ASSOCIATE], extra_vars={"vgw": vgw})
    assert created.failed == 0, created.output
    calls_before = len(mutating_calls())

    # The upstream module has no check mode (skipped): the check run names the gateway itself.
    dxgw = {"direct_connect_gateway_id": created.task("dxgw")["result"]["direct_connect_gateway_id"]}
    planned = playbook([prefixes_task(HALVES)], check=True, diff=True, extra_vars={"vgw": vgw, "dxgw": dxgw})
    assert planned.failed == 0, planned.output
    result = planned.task("prefixes")["result"]
    assert (result["changed"], result["added_prefixes"], result["removed_prefixes"]) == (True, HALVES, [VPC_CIDR])
    assert result["diff"] == {"before": {"allowed_prefixes": [VPC_CIDR]}, "after": {"allowed_prefixes": HALVES}}
    assert len(mutating_calls()) == calls_before
    assert association(dx, vgw)[1] == [VPC_CIDR]

    first = playbook([ASSOCIATE, prefixes_task(HALVES)], extra_vars={"vgw": vgw})
    assert first.failed == 0, first.output
    assert (first.task("prefixes")["result"]["association_state"], first.task("prefixes")["result"]["allowed_prefixes"]) == ("associated", HALVES)
    assert [call["operation"] for call in first.mutating_calls] == ["UpdateDirectConnectGatewayAssociation"]
    assert association(dx, vgw) == ("associated", HALVES)

    second = playbook([ASSOCIATE, prefixes_task(list(reversed(HALVES)))], extra_vars={"vgw": vgw})
    assert (second.failed, second.changed, second.mutating_calls) == (0, 0, [])

    back = playbook([ASSOCIATE, prefixes_task([VPC_CIDR])], extra_vars={"vgw": vgw})
    assert (back.failed, back.changed) == (0, 1)
    assert association(dx, vgw) == ("associated", [VPC_CIDR])


def test_new_association_is_waited_for_before_the_update(dx, vgw, playbook):
    # The association is still associating when the prefixes task runs right after it.
    result = playbook([ASSOCIATE, prefixes_task(HALVES)], extra_vars={"vgw": vgw})
    assert result.failed == 0, result.output
    assert association(dx, vgw) == ("associated", HALVES)


@pytest.mark.parametrize(
    ("prefixes", "message"),
    [(["10.60.0.1/17"], "host bits set"), (["everything"], "allowed_prefixes: everything is not an IP address or CIDR")],
)
def test_bad_prefix_fails_without_a_change(dx, vgw, playbook, prefixes, message):
    assert playbook([ASSOCIATE], extra_vars={"vgw": vgw}).failed == 0
    result = playbook([ASSOCIATE, prefixes_task(prefixes)], extra_vars={"vgw": vgw})
    assert result.failed == 1
    assert message in result.output
    assert result.mutating_calls == []
    assert association(dx, vgw)[1] == [VPC_CIDR]


def test_missing_association_fails_with_advice(dx, vgw, playbook):
    gateway = dx.create_direct_connect_gateway(directConnectGatewayName="alone")["directConnectGateway"]["directConnectGatewayId"]
    task = prefixes_task(HALVES)
    task["hybridcloud.aws.directconnect_gateway_association"]["direct_connect_gateway_id"] = gateway
    result = playbook([task], extra_vars={"vgw": vgw})
    assert result.failed == 1
    assert "is not associated with" in result.output
    assert result.mutating_calls == []
