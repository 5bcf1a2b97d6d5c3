import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import directconnect_gateway_association as module

GATEWAY_ID = "5f3e0c8e-0000-4000-8000-123456789012"
VGW = "vgw-0123456789abcdef0"
ASSOCIATION_ID = "0d8fd6b1-8d8e-4b44-a7c4-1f2e3d4c5b6a"
ARGS = {"direct_connect_gateway_id": GATEWAY_ID, "associated_gateway_id": VGW, "allowed_prefixes": ["10.40.128.0/17", "10.40.0.0/17"]}
BY_PAIR = {"directConnectGatewayId": GATEWAY_ID, "associatedGatewayId": VGW}
BY_ID = {"directConnectGatewayId": GATEWAY_ID, "associationId": ASSOCIATION_ID}


def association(state="associated", prefixes=("10.40.0.0/16",)):
    return {
        "directConnectGatewayId": GATEWAY_ID,
        "directConnectGatewayOwnerAccount": "123456789012",
        "associationState": state,
        "associatedGateway": {"id": VGW, "type": "virtualPrivateGateway", "ownerAccount": "123456789012", "region": "us-east-1"},
        "associationId": ASSOCIATION_ID,
        "allowedPrefixesToDirectConnectGateway": [{"cidr": cidr} for cidr in prefixes],
        "virtualGatewayId": VGW,
    }


HALVES = ("10.40.0.0/17", "10.40.128.0/17")


@pytest.fixture
def dx(module_run):
    return module_run("directconnect")


def expect_find(dx, *found):
    dx.stubber.add_response("describe_direct_connect_gateway_associations", {"directConnectGatewayAssociations": list(found)}, BY_PAIR)


def expect_poll(dx, found):
    dx.stubber.add_response("describe_direct_connect_gateway_associations", {"directConnectGatewayAssociations": [found]}, BY_ID)


def expect_update(dx, add, remove, answer):
    params = {"associationId": ASSOCIATION_ID}
    if add:
        params["addAllowedPrefixesToDirectConnectGateway"] = [{"cidr": cidr} for cidr in add]
    if remove:
        params["removeAllowedPrefixesToDirectConnectGateway"] = [{"cidr": cidr} for cidr in remove]
    dx.stubber.add_response("update_direct_connect_gateway_association", {"directConnectGatewayAssociation": answer}, params)


def test_replaces_the_default_prefix_in_one_call_and_waits(dx):
    expect_find(dx, association())
    expect_update(dx, HALVES, ["10.40.0.0/16"], association("updating", HALVES))
    expect_poll(dx, association("updating", HALVES))
    expect_poll(dx, association("associated", HALVES))
    result = dx(module.main, ARGS, diff=True)
    assert (result["changed"], result["association_state"], result["association_id"]) == (True, "associated", ASSOCIATION_ID)
    assert result["waited"] == [
        {
            "what": f"Direct Connect gateway association {ASSOCIATION_ID} to be associated",
            "seconds": 2.0,
            "polls": 2,
            "states": [{"state": "updating", "seconds": 0.0, "polls": 1}, {"state": "associated", "seconds": 2.0, "polls": 1}],
        }
    ]
    assert result["allowed_prefixes"] == list(HALVES)
    assert (result["added_prefixes"], result["removed_prefixes"]) == (list(HALVES), ["10.40.0.0/16"])
    assert result["diff"] == {"before": {"allowed_prefixes": ["10.40.0.0/16"]}, "after": {"allowed_prefixes": list(HALVES)}}
    assert result["association"]["associated_gateway"]["id"] == VGW


def test_same_prefixes_in_another_order_are_a_no_op(dx):
    expect_find(dx, association(prefixes=tuple(reversed(HALVES))))
    result = dx(module.main, ARGS)
    assert (result["changed"], result["allowed_prefixes"]) == (False, list(HALVES))


def test_check_mode_plans_without_updating(dx):
    expect_find(dx, association())
    result = dx(module.main, ARGS, check_mode=True)
    assert (result["changed"], result["allowed_prefixes"], result["removed_prefixes"]) == (True, list(HALVES), ["10.40.0.0/16"])


def test_waits_for_a_new_association_before_updating_and_skips_gone_ones(dx):
    expect_find(dx, association("disassociating", ("10.0.0.0/8",)), association("associating"))
    expect_poll(dx, association("associating"))
    expect_poll(dx, association("associated"))
    expect_update(dx, ["10.40.0.0/17"], [], association("updating", ("10.40.0.0/16", "10.40.0.0/17")))
    result = dx(module.main, dict(ARGS, allowed_prefixes=["10.40.0.0/16", "10.40.0.0/17"], wait=False))
    assert (result["changed"], result["association_state"], result["removed_prefixes"]) == (True, "updating", [])


def test_missing_association_fails_with_advice(dx):
    expect_find(dx, association("disassociated"))
    result = dx(module.main, ARGS)
    assert result["failed"] is True
    assert "community.aws.directconnect_gateway" in result["msg"]


def test_wait_timeout_fails_with_the_state(dx):
    expect_find(dx, association())
    expect_update(dx, HALVES, ["10.40.0.0/16"], association("updating", HALVES))
    expect_poll(dx, association("updating", HALVES))
    result = dx(module.main, dict(ARGS, wait_timeout=1))
    assert result["failed"] is True
    assert "still updating after 1 seconds" in result["msg"]
    assert result["waited"][0]["states"] == [{"state": "updating", "seconds": 0.0, "polls": 1}]


def test_polls_less_often_as_the_wait_goes_on(dx):
    expect_find(dx, association())
    expect_update(dx, HALVES, ["10.40.0.0/16"], association("updating", HALVES))
    for _poll in range(5):
        expect_poll(dx, association("updating", HALVES))
    expect_poll(dx, association("associated", HALVES))
    result = dx(module.main, ARGS)
    # Sleeps of 2, 4, 8, 15 and 15 seconds between the polls.
    assert [(state["state"], state["seconds"], state["polls"]) for state in result["waited"][0]["states"]] == [("updating", 0.0, 5), ("associated", 44.0, 1)]


def test_an_association_that_goes_away_fails_the_wait(dx):
    expect_find(dx, association())
    expect_update(dx, HALVES, ["10.40.0.0/16"], association("updating", HALVES))
    expect_poll(dx, association("disassociating", HALVES))
    result = dx(module.main, ARGS)
    assert result["failed"] is True
    assert result["msg"] == f"Direct Connect gateway association {ASSOCIATION_ID} is disassociating"
    assert result["waited"][0]["states"] == [{"state": "disassociating", "seconds": 0.0, "polls": 1}]


@pytest.mark.parametrize(
    ("prefixes", "message"),
    [
        (["10.40.0.1/16"], "host bits"),
        (["vpc"], "is not an IP address or CIDR"),
        ([], "at least one CIDR"),
        (["0.0.0.0/0"], "allowed_prefixes: '0.0.0.0/0' is broader than /8"),
        (["0.0.0.0/1", "128.0.0.0/1"], "allowed_prefixes: '0.0.0.0/1' is broader than /8"),
        (["::/0"], "allowed_prefixes: '::/0' is broader than /32"),
    ],
)
def test_bad_prefixes_fail_before_any_call(dx, prefixes, message):
    result = dx(module.main, dict(ARGS, allowed_prefixes=prefixes))
    assert result["failed"] is True
    assert message in result["msg"]
