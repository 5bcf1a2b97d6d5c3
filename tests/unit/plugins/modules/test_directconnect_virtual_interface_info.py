import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import directconnect_virtual_interface_info as module

ACCOUNT = "123456789012"
KEY = "lab-bgp-md5-key"


def interface(number, name="hybridcloud-private-vif", state="available", bgp_status="up", connection_id="dxcon-fgab1234"):
    vif_id = f"dxvif-{number:08x}"
    return {
        "ownerAccount": ACCOUNT,
        "virtualInterfaceId": vif_id,
        "location": "EqDC2",
        "connectionId": connection_id,
        "virtualInterfaceType": "private",
        "virtualInterfaceName": name,
        "vlan": 100 + number,
        "asn": 65010,
        "asnLong": 65010,
        "amazonSideAsn": 64512,
        "authKey": KEY,
        "amazonAddress": "169.254.100.1/30",
        "customerAddress": "169.254.100.2/30",
        "addressFamily": "ipv4",
        "virtualInterfaceState": state,
        "customerRouterConfig": f"<config>neighbor 169.254.100.1 password {KEY}</config>",
        "mtu": 1500,
        "jumboFrameCapable": True,
        "directConnectGatewayId": "5f294f92-bafb-4011-916d-9b0bexample",
        "routeFilterPrefixes": [],
        "bgpPeers": [
            {
                "bgpPeerId": f"dxpeer-{number:08x}",
                "asn": 65010,
                "authKey": KEY,
                "addressFamily": "ipv4",
                "amazonAddress": "169.254.100.1/30",
                "customerAddress": "169.254.100.2/30",
                "bgpPeerState": "available",
                "bgpStatus": bgp_status,
                "awsDeviceV2": "EqDC2-123h49s71dabc",
            }
        ],
        "region": "us-east-1",
        "awsDeviceV2": "EqDC2-123h49s71dabc",
        "siteLinkEnabled": False,
    }


def arn_of(item):
    return f"arn:aws:directconnect:us-east-1:{ACCOUNT}:dxvif/{item['virtualInterfaceId']}"


@pytest.fixture
def dx(module_run):
    return module_run("directconnect")


def expect_describe(dx, interfaces, next_token=None, **params):
    answer = {"virtualInterfaces": interfaces}
    if next_token:
        answer["nextToken"] = next_token
    dx.stubber.add_response("describe_virtual_interfaces", answer, params)


def expect_tags(dx, tagged):
    """tagged: [(interface, {key: value})] in the order of the request; AWS leaves out the tags of an untagged resource."""
    resource_tags = [{"resourceArn": arn_of(item)} for item, _tags in tagged]
    for resource, (_item, tags) in zip(resource_tags, tagged):
        if tags:
            resource["tags"] = [{"key": key, "value": value} for key, value in tags.items()]
    dx.stubber.add_response("describe_tags", {"resourceTags": resource_tags}, {"resourceArns": [arn_of(item) for item, _tags in tagged]})


def test_reads_one_interface_with_state_bgp_gateway_and_tags_and_no_key(dx):
    vif = interface(1)
    expect_describe(dx, [vif], virtualInterfaceId=vif["virtualInterfaceId"])
    expect_tags(dx, [(vif, {"Name": "hybridcloud-private-vif"})])
    result = dx(module.main, {"virtual_interface_id": vif["virtualInterfaceId"]})
    assert result["changed"] is False
    [found] = result["virtual_interfaces"]
    assert (found["virtual_interface_state"], found["vlan"], found["asn"], found["amazon_side_asn"]) == ("available", 101, 65010, 64512)
    assert found["direct_connect_gateway_id"] == "5f294f92-bafb-4011-916d-9b0bexample"
    assert found["virtual_interface_arn"] == arn_of(vif)
    assert found["tags"] == {"Name": "hybridcloud-private-vif"}
    [peer] = found["bgp_peers"]
    assert (peer["bgp_peer_id"], peer["bgp_status"], peer["bgp_peer_state"]) == ("dxpeer-00000001", "up", "available")
    # The BGP key appears nowhere: not as a field, not inside the router configuration.
    assert "auth_key" not in found
    assert "auth_key" not in peer
    assert "customer_router_config" not in found
    assert KEY not in str(result)


def test_include_auth_key_returns_the_keys(dx):
    vif = interface(1)
    expect_describe(dx, [vif], connectionId="dxcon-fgab1234")
    expect_tags(dx, [(vif, {})])
    result = dx(module.main, {"connection_id": "dxcon-fgab1234", "include_auth_key": True})
    [found] = result["virtual_interfaces"]
    assert found["auth_key"] == KEY
    assert found["bgp_peers"][0]["auth_key"] == KEY


def test_name_filters_and_pages_are_followed(dx):
    first, second, third = interface(1), interface(2, name="other"), interface(3, state="down", bgp_status="down")
    expect_describe(dx, [first, second], next_token="page2")
    expect_describe(dx, [third], nextToken="page2")
    expect_tags(dx, [(first, {"site": "dc1"}), (third, {})])
    result = dx(module.main, {"name": "hybridcloud-private-vif"})
    assert [(item["virtual_interface_id"], item["virtual_interface_state"]) for item in result["virtual_interfaces"]] == [
        ("dxvif-00000001", "available"),
        ("dxvif-00000003", "down"),
    ]
    assert result["virtual_interfaces"][1]["bgp_peers"][0]["bgp_status"] == "down"
    assert [item["tags"] for item in result["virtual_interfaces"]] == [{"site": "dc1"}, {}]


def test_tags_are_read_in_batches_of_20(dx):
    interfaces = [interface(number) for number in range(25)]
    expect_describe(dx, interfaces)
    expect_tags(dx, [(item, {"n": str(index)}) for index, item in enumerate(interfaces[:20])])
    expect_tags(dx, [(item, {"n": str(index + 20)}) for index, item in enumerate(interfaces[20:])])
    result = dx(module.main, {})
    assert [item["tags"]["n"] for item in result["virtual_interfaces"]] == [str(index) for index in range(25)]


def test_unknown_interface_is_an_empty_list_without_a_tags_call(dx):
    dx.stubber.add_client_error(
        "describe_virtual_interfaces",
        "DirectConnectClientException",
        "Virtual interface dxvif-ffffffff does not exist.",
        http_status_code=400,
        expected_params={"virtualInterfaceId": "dxvif-ffffffff"},
    )
    result = dx(module.main, {"virtual_interface_id": "dxvif-ffffffff"})
    assert result["virtual_interfaces"] == []
    assert "failed" not in result


def test_other_client_errors_fail(dx):
    dx.stubber.add_client_error("describe_virtual_interfaces", "DirectConnectClientException", "User is not authorized", http_status_code=400)
    result = dx(module.main, {})
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to describe Direct Connect virtual interfaces")


def test_throttling_is_retried(dx):
    vif = interface(1)
    dx.stubber.add_client_error("describe_virtual_interfaces", "ThrottlingException", "Rate exceeded", http_status_code=400)
    expect_describe(dx, [vif])
    expect_tags(dx, [(vif, {})])
    result = dx(module.main, {})
    assert [item["virtual_interface_id"] for item in result["virtual_interfaces"]] == ["dxvif-00000001"]
