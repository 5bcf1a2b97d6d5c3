"""hybridcloud.aws.route53resolver_endpoint against the emulator: check mode, create, a no-op second run, in-place
changes (addresses, protocols, tags, a name changed outside Ansible), refusals and deletion, each read back through
the Route 53 Resolver and EC2 APIs."""

import ipaddress

import pytest

NAME = "lab-inbound"
ZONES = ("us-east-1a", "us-east-1b", "us-east-1c")
CIDRS = ("10.40.0.0/20", "10.40.16.0/20", "10.40.32.0/20")


@pytest.fixture
def network(aws, lab_api):
    ec2 = aws("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"] for cidr, zone in zip(CIDRS, ZONES)]
    group = ec2.create_security_group(GroupName="lab-dns", Description="dns", VpcId=vpc_id)["GroupId"]
    lab_api("DELETE", "/_lab/requests")  # the setup's own calls are not the module's
    return {"vpc": vpc_id, "subnets": subnets, "group": group}


@pytest.fixture
def resolver(aws):
    return aws("route53resolver")


def endpoint_task(network, **options):
    settings = {"name": NAME, "direction": "inbound", "subnet_ids": network["subnets"][:2], "security_group_ids": [network["group"]], **options}
    settings = {key: value for key, value in settings.items() if value is not None}  # None: leave the option out
    return [{"name": "endpoint", "hybridcloud.aws.route53resolver_endpoint": settings, "register": "endpoint"}]


def run(playbook, tasks, **kwargs):
    result = playbook(tasks, **kwargs)
    assert result.failed == 0, result.output
    return result


def stored(resolver):
    """(endpoint, {subnet_id: [ip, ...]}, tags) as the API reads them back, or None."""
    found = resolver.list_resolver_endpoints(Filters=[{"Name": "Name", "Values": [NAME]}])["ResolverEndpoints"]
    if not found:
        return None
    endpoint = found[0]
    addresses = {}
    for address in resolver.list_resolver_endpoint_ip_addresses(ResolverEndpointId=endpoint["Id"])["IpAddresses"]:
        addresses.setdefault(address["SubnetId"], []).append(address["Ip"])
    tags = {tag["Key"]: tag["Value"] for tag in resolver.list_tags_for_resource(ResourceArn=endpoint["Arn"])["Tags"]}
    return endpoint, addresses, tags


def interfaces_of(aws, endpoint_id):
    interfaces = aws("ec2").describe_network_interfaces()["NetworkInterfaces"]
    return [interface for interface in interfaces if endpoint_id in interface.get("Description", "")]


def test_check_mode_creates_nothing(network, playbook, resolver):
    result = run(playbook, endpoint_task(network), check=True)
    task = result.task("endpoint")
    assert task["changed"] is True
    planned = task["result"]["resolver_endpoint"]
    assert [(address["subnet_id"], address["ip"]) for address in planned["ip_addresses"]] == [(subnet, None) for subnet in sorted(network["subnets"][:2])]
    assert stored(resolver) is None
    assert result.mutating_calls == []


def test_create_then_second_run_is_a_no_op(network, playbook, resolver, aws):
    first = run(playbook, endpoint_task(network, tags={"Project": "hybridcloud"}))
    assert first.changed == 1
    endpoint, addresses, tags = stored(resolver)
    returned = first.task("endpoint")["result"]["resolver_endpoint"]
    assert returned["id"] == endpoint["Id"]
    assert (endpoint["Direction"], endpoint["HostVPCId"], endpoint["Status"]) == ("INBOUND", network["vpc"], "OPERATIONAL")
    assert endpoint["CreatorRequestId"] == f"hybridcloud-aws-{NAME}"
    assert endpoint["Protocols"] == ["Do53"]
    assert endpoint["SecurityGroupIds"] == [network["group"]]
    assert tags == {"Project": "hybridcloud"}
    # One address in each subnet, inside that subnet's range, each on a network interface with the endpoint's group.
    assert sorted(addresses) == sorted(network["subnets"][:2])
    for subnet_id, cidr in zip(network["subnets"][:2], CIDRS):
        assert len(addresses[subnet_id]) == 1
        assert ipaddress.ip_address(addresses[subnet_id][0]) in ipaddress.ip_network(cidr)
    assert sorted(address["ip"] for address in returned["ip_addresses"]) == sorted(ip for ips in addresses.values() for ip in ips)
    interfaces = interfaces_of(aws, endpoint["Id"])
    assert sorted(interface["PrivateIpAddress"] for interface in interfaces) == sorted(ip for ips in addresses.values() for ip in ips)
    assert all([group["GroupId"] for group in interface["Groups"]] == [network["group"]] for interface in interfaces)

    second = run(playbook, endpoint_task(network, tags={"Project": "hybridcloud"}))
    assert second.changed == 0
    assert second.mutating_calls == []
    assert [call["operation"] for call in second.api_calls] == ["ListResolverEndpoints", "ListResolverEndpointIpAddresses", "ListTagsForResource"]


def test_changes_in_place_and_deletion(network, playbook, resolver, aws):
    run(playbook, endpoint_task(network, tags={"Project": "hybridcloud"}))
    endpoint_id = stored(resolver)[0]["Id"]

    # Move from zones a+b to a+c, serve DoH next to Do53, retag: the same endpoint changes.
    changed = run(playbook, endpoint_task(network, subnet_ids=[network["subnets"][0], network["subnets"][2]], protocols=["Do53", "DoH"], tags={"Tier": "dns"}))
    assert changed.changed == 1
    endpoint, addresses, tags = stored(resolver)
    assert endpoint["Id"] == endpoint_id
    assert sorted(addresses) == sorted([network["subnets"][0], network["subnets"][2]])
    assert endpoint["Protocols"] == ["Do53", "DoH"]
    assert tags == {"Tier": "dns"}
    assert len(interfaces_of(aws, endpoint_id)) == 2

    # Exact addresses: the one that differs is replaced, the other kept.
    kept = addresses[network["subnets"][0]][0]
    exact = [{"subnet_id": network["subnets"][0], "ip": kept}, {"subnet_id": network["subnets"][2], "ip": "10.40.32.53"}]
    run(playbook, endpoint_task(network, subnet_ids=None, ip_addresses=exact, protocols=["Do53", "DoH"]))
    assert stored(resolver)[1] == {network["subnets"][0]: [kept], network["subnets"][2]: ["10.40.32.53"]}

    # Renamed outside Ansible: found through its creation token and renamed back.
    resolver.update_resolver_endpoint(ResolverEndpointId=endpoint_id, Name="renamed-by-hand")
    renamed_back = run(playbook, endpoint_task(network, subnet_ids=None, ip_addresses=exact, protocols=["Do53", "DoH"]))
    assert renamed_back.changed == 1
    assert stored(resolver)[0]["Id"] == endpoint_id

    gone = run(playbook, [{"name": "endpoint", "hybridcloud.aws.route53resolver_endpoint": {"name": NAME, "state": "absent"}}])
    assert gone.changed == 1
    assert stored(resolver) is None
    assert interfaces_of(aws, endpoint_id) == []


def test_changes_aws_cannot_make_are_refused(network, playbook, aws, resolver):
    run(playbook, endpoint_task(network))
    before = stored(resolver)
    same_zone = aws("ec2").create_subnet(VpcId=network["vpc"], CidrBlock="10.40.48.0/20", AvailabilityZone=ZONES[0])["Subnet"]["SubnetId"]
    refusals = {
        "AWS cannot change the direction": {"direction": "outbound"},
        "Add it next to Do53 first": {"protocols": ["DoH"]},
        "must span at least two availability zones": {"subnet_ids": [network["subnets"][0], same_zone]},
    }
    tasks = [dict(endpoint_task(network, **options)[0], name=message, ignore_errors=True) for message, options in refusals.items()]
    refused = playbook(tasks)
    for message in refusals:
        task = refused.task(message)
        assert task["failed"] is True
        assert message in task["result"]["msg"]
    assert refused.mutating_calls == []
    assert stored(resolver) == before
