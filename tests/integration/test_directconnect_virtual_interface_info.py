"""hybridcloud.aws.directconnect_virtual_interface_info against the emulator: reads by id, connection and name, compared
with DescribeVirtualInterfaces and DescribeTags; follows the interface's state (down, available) and BGP status; keeps
the BGP key out of the output unless asked; an unknown id gives an empty list; never a mutating call, also in check mode."""

import pytest

REGION = "us-east-1"
KEY = "lab-bgp-md5-key"


@pytest.fixture
def dx(aws):
    return aws("directconnect", region=REGION)


@pytest.fixture
def interfaces(dx):
    """Two private interfaces on one port (one tagged) and one on another port."""
    gateway_id = dx.create_direct_connect_gateway(directConnectGatewayName="lab-dxgw", amazonSideAsn=64512)["directConnectGateway"]["directConnectGatewayId"]
    ports = [dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName=f"port-{n}")["connectionId"] for n in (1, 2)]

    def make(port, name, vlan, tags=None):
        new = {
            "virtualInterfaceName": name,
            "vlan": vlan,
            "asn": 65010,
            "authKey": KEY,
            "amazonAddress": "169.254.100.1/30",
            "customerAddress": "169.254.100.2/30",
            "directConnectGatewayId": gateway_id,
        }
        if tags:
            new["tags"] = [{"key": key, "value": value} for key, value in tags.items()]
        return dx.create_private_virtual_interface(connectionId=port, newPrivateVirtualInterface=new)["virtualInterfaceId"]

    return {
        "gateway_id": gateway_id,
        "ports": ports,
        "primary": make(ports[0], "hybridcloud-private-vif", 120, {"Name": "hybridcloud-private-vif", "site": "dc1"}),
        "second": make(ports[0], "backup-vif", 121),
        "other_port": make(ports[1], "hybridcloud-private-vif", 120),
    }


def read(playbook, check=False, **options):
    result = playbook([{"name": "read", "hybridcloud.aws.directconnect_virtual_interface_info": options}], check=check)
    assert result.failed == 0, result.output
    assert result.changed == 0
    assert result.mutating_calls == []
    return result.task("read")["result"]["virtual_interfaces"]


def test_reads_one_interface_as_direct_connect_describes_it(playbook, dx, interfaces):
    [found] = read(playbook, virtual_interface_id=interfaces["primary"])
    [described] = dx.describe_virtual_interfaces(virtualInterfaceId=interfaces["primary"])["virtualInterfaces"]
    expected_arn = f"arn:aws:directconnect:{REGION}:{described['ownerAccount']}:dxvif/{interfaces['primary']}"
    [tagged] = dx.describe_tags(resourceArns=[expected_arn])["resourceTags"]
    assert found["tags"] == {tag["key"]: tag["value"] for tag in tagged["tags"]} == {"Name": "hybridcloud-private-vif", "site": "dc1"}
    assert found["virtual_interface_arn"] == expected_arn
    assert (found["virtual_interface_state"], found["vlan"], found["asn"], found["amazon_side_asn"]) == ("available", 120, 65010, 64512)
    assert (found["connection_id"], found["direct_connect_gateway_id"]) == (interfaces["ports"][0], interfaces["gateway_id"])
    assert [(peer["bgp_status"], peer["amazon_address"]) for peer in found["bgp_peers"]] == [("up", "169.254.100.1/30")]
    assert "auth_key" not in found
    assert KEY not in str(found)


def test_filters_by_connection_and_name_in_check_mode_too(playbook, interfaces):
    on_port = read(playbook, connection_id=interfaces["ports"][0])
    assert sorted(item["virtual_interface_id"] for item in on_port) == sorted([interfaces["primary"], interfaces["second"]])
    by_name = read(playbook, check=True, name="hybridcloud-private-vif")
    assert sorted(item["virtual_interface_id"] for item in by_name) == sorted([interfaces["primary"], interfaces["other_port"]])
    both = read(playbook, connection_id=interfaces["ports"][1], name="hybridcloud-private-vif")
    assert [item["virtual_interface_id"] for item in both] == [interfaces["other_port"]]
    assert [item["tags"] for item in both] == [{}]


def test_follows_the_link_state_and_bgp_status(playbook, lab_api, interfaces):
    vif_id = interfaces["primary"]
    assert lab_api("POST", f"/_lab/directconnect/virtual-interfaces/{vif_id}/state", json={"state": "down"})[0] == 200
    [down] = read(playbook, virtual_interface_id=vif_id)
    assert (down["virtual_interface_state"], [peer["bgp_status"] for peer in down["bgp_peers"]]) == ("down", ["down"])
    assert lab_api("POST", f"/_lab/directconnect/virtual-interfaces/{vif_id}/state", json={"state": "available"})[0] == 200
    [up] = read(playbook, virtual_interface_id=vif_id)
    assert (up["virtual_interface_state"], [peer["bgp_status"] for peer in up["bgp_peers"]]) == ("available", ["up"])


def test_auth_key_only_when_asked_and_unknown_id_is_empty(playbook, interfaces):
    [with_key] = read(playbook, virtual_interface_id=interfaces["primary"], include_auth_key=True)
    assert (with_key["auth_key"], with_key["bgp_peers"][0]["auth_key"]) == (KEY, KEY)
    assert read(playbook, virtual_interface_id="dxvif-ffffffff") == []
