"""hybridcloud.aws.resource_tags against the emulator: Direct Connect connections, LAGs, virtual interfaces and gateways
and ECR repositories tagged by ARN. Check mode changes nothing (no mutating call), a real run is read back with
DescribeTags / ListTagsForResource and the describe calls, a second run is a no-op, purge removes what is no longer
wanted, purge_tags false keeps it, and ARNs the module cannot serve fail clearly."""

import pytest

ACCOUNT = "123456789012"
REGION = "us-east-1"
TAGS = {"Project": "hybridcloud", "Environment": "lab"}


@pytest.fixture
def dx(aws):
    return aws("directconnect", region=REGION)


@pytest.fixture
def resources(aws, dx):
    """One of each resource the module tags, each already carrying a tag set elsewhere (Owner)."""
    owner = [{"key": "Owner", "value": "carrier"}]
    connection = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="port", tags=owner)["connectionId"]
    lag = dx.create_lag(numberOfConnections=2, location="EqDC2", connectionsBandwidth="10Gbps", lagName="bundle", tags=owner)["lagId"]
    gateway = dx.create_direct_connect_gateway(directConnectGatewayName="dxgw", tags=owner)["directConnectGateway"]["directConnectGatewayId"]
    vif = dx.create_private_virtual_interface(
        connectionId=connection,
        newPrivateVirtualInterface={"virtualInterfaceName": "vif", "vlan": 101, "asn": 65010, "directConnectGatewayId": gateway, "tags": owner},
    )["virtualInterfaceId"]
    repository = aws("ecr", region=REGION).create_repository(repositoryName="team/api", tags=[{"Key": "Owner", "Value": "carrier"}])["repository"]
    return {
        "dxcon": (f"arn:aws:directconnect:{REGION}:{ACCOUNT}:dxcon/{connection}", connection),
        "dxlag": (f"arn:aws:directconnect:{REGION}:{ACCOUNT}:dxlag/{lag}", lag),
        "dx-gateway": (f"arn:aws:directconnect::{ACCOUNT}:dx-gateway/{gateway}", gateway),
        "dxvif": (f"arn:aws:directconnect:{REGION}:{ACCOUNT}:dxvif/{vif}", vif),
        "ecr": (repository["repositoryArn"], repository["repositoryName"]),
    }


def everywhere(resources, tags):
    return {kind: dict(tags) for kind in resources}


def tag_tasks(arns, tags, purge=True):
    return [
        {
            "name": "tags",
            "hybridcloud.aws.resource_tags": {"resource_arn": "{{ item }}", "tags": tags, "purge_tags": purge},
            "loop": arns,
        }
    ]


def current_tags(aws, dx, resources):
    """Every resource's tags, as the services' own describe calls show them."""
    as_dict = lambda tags, key="key", value="value": {tag[key]: tag[value] for tag in tags}  # noqa: E731
    connection, lag, gateway, vif = (resources[kind][1] for kind in ("dxcon", "dxlag", "dx-gateway", "dxvif"))
    found = {
        "dxcon": as_dict(dx.describe_connections(connectionId=connection)["connections"][0]["tags"]),
        "dxlag": as_dict(dx.describe_lags(lagId=lag)["lags"][0]["tags"]),
        "dx-gateway": as_dict(dx.describe_direct_connect_gateways(directConnectGatewayId=gateway)["directConnectGateways"][0]["tags"]),
        "dxvif": as_dict(dx.describe_virtual_interfaces(virtualInterfaceId=vif)["virtualInterfaces"][0]["tags"]),
        "ecr": as_dict(aws("ecr", region=REGION).list_tags_for_resource(resourceArn=resources["ecr"][0])["tags"], "Key", "Value"),
    }
    # DescribeTags agrees with the describe calls.
    described = dx.describe_tags(resourceArns=[resources[kind][0] for kind in ("dxcon", "dxlag", "dx-gateway", "dxvif")])["resourceTags"]
    by_arn = {entry["resourceArn"]: as_dict(entry["tags"]) for entry in described}
    assert {kind: by_arn[resources[kind][0]] for kind in ("dxcon", "dxlag", "dx-gateway", "dxvif")} == {k: v for k, v in found.items() if k != "ecr"}
    return found


def test_check_mode_converge_no_op_and_purge(aws, dx, playbook, mutating_calls, resources):
    arns = [arn for arn, _id in resources.values()]
    calls_before = len(mutating_calls())

    planned = playbook(tag_tasks(arns, TAGS), check=True, diff=True)
    assert planned.failed == 0, planned.output
    assert planned.changed == 1
    results = planned.task("tags")["result"]["results"]
    assert [r["tags"] for r in results] == [TAGS] * len(arns)
    assert [r["removed_tags"] for r in results] == [["Owner"]] * len(arns)
    assert len(mutating_calls()) == calls_before
    assert current_tags(aws, dx, resources) == everywhere(resources, {"Owner": "carrier"})

    first = playbook(tag_tasks(arns, TAGS))
    assert first.failed == 0, first.output
    assert [r["changed"] for r in first.task("tags")["result"]["results"]] == [True] * len(arns)
    assert current_tags(aws, dx, resources) == everywhere(resources, TAGS)

    second = playbook(tag_tasks(arns, TAGS))
    assert (second.failed, second.changed, second.mutating_calls) == (0, 0, [])

    kept = playbook(tag_tasks(arns, {"CostCenter": "net"}, purge=False))
    assert (kept.failed, kept.changed) == (0, 1)
    assert current_tags(aws, dx, resources) == everywhere(resources, {**TAGS, "CostCenter": "net"})

    purged = playbook(tag_tasks(arns, {"Project": "hybridcloud", "Environment": "production"}))
    assert purged.failed == 0, purged.output
    assert current_tags(aws, dx, resources) == everywhere(resources, {"Project": "hybridcloud", "Environment": "production"})
    assert {call["operation"] for call in purged.mutating_calls} == {"TagResource", "UntagResource"}


@pytest.mark.parametrize(
    ("arn", "message"),
    [
        (f"arn:aws:directconnect:{REGION}:{ACCOUNT}:dxcon/dxcon-00000000", "does not exist"),
        (f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/missing", "ECR resource arn:aws:ecr:us-east-1:123456789012:repository/missing does not exist"),
        (f"arn:aws:ec2:{REGION}:{ACCOUNT}:customer-gateway/cgw-0123456789abcdef0", "amazon.aws.ec2_tag"),
    ],
)
def test_arns_it_cannot_serve_fail_without_mutating(playbook, arn, message):
    result = playbook(tag_tasks([arn], TAGS))
    assert result.failed == 1
    assert message in result.output
    assert result.mutating_calls == []
