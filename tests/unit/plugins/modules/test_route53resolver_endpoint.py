from unittest import mock

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.hybridcloud.aws.plugins.module_utils import route53resolver as utils
from ansible_collections.hybridcloud.aws.plugins.modules import route53resolver_endpoint as module

NAME = "hybridcloud-inbound"
ENDPOINT_ID = "rslvr-in-0123456789abcdef0"
ARN = f"arn:aws:route53resolver:us-east-1:123456789012:resolver-endpoint/{ENDPOINT_ID}"
SG = "sg-0123456789abcdef0"
S1, S2, S3 = "subnet-00000000000000001", "subnet-00000000000000002", "subnet-00000000000000003"
ZONES = {S1: "us-east-1a", S2: "us-east-1b", S3: "us-east-1c"}
ARGS = {"name": NAME, "direction": "inbound", "subnet_ids": [S1, S2], "security_group_ids": [SG]}
BY_NAME = {"Filters": [{"Name": "Name", "Values": [NAME]}]}
BY_CREATOR = {"Filters": [{"Name": "CreatorRequestId", "Values": [f"hybridcloud-aws-{NAME}"]}]}
ID = {"ResolverEndpointId": ENDPOINT_ID}


def endpoint(**changes):
    answer = {
        "Id": ENDPOINT_ID,
        "Arn": ARN,
        "Name": NAME,
        "CreatorRequestId": f"hybridcloud-aws-{NAME}",
        "Direction": "INBOUND",
        "SecurityGroupIds": [SG],
        "IpAddressCount": 2,
        "HostVPCId": "vpc-0123456789abcdef0",
        "Status": "OPERATIONAL",
        "Protocols": ["Do53"],
    }
    answer.update(changes)
    return answer


def address(number, subnet_id, ip):
    return {"IpId": f"rni-{number:017d}", "SubnetId": subnet_id, "Ip": ip, "Status": "ATTACHED"}


A1, A2, A3 = address(1, S1, "10.40.0.4"), address(2, S2, "10.40.16.4"), address(3, S3, "10.40.32.4")


@pytest.fixture
def resolver(module_run):
    return module_run("route53resolver")


@pytest.fixture(autouse=True)
def zones():
    with mock.patch.object(module, "subnet_zones", side_effect=lambda _ec2, ids: {i: ZONES[i] for i in ids if i in ZONES}) as lookup:
        yield lookup


def expect_list(resolver, query, *endpoints):
    resolver.stubber.add_response("list_resolver_endpoints", {"ResolverEndpoints": list(endpoints)}, query)


def expect_details(resolver, addresses, tags=None):
    resolver.stubber.add_response("list_resolver_endpoint_ip_addresses", {"IpAddresses": addresses}, ID)
    resolver.stubber.add_response("list_tags_for_resource", {"Tags": tags or []}, {"ResourceArn": ARN})


def expect_existing(resolver, current=None, addresses=(A1, A2), tags=None):
    expect_list(resolver, BY_NAME, current or endpoint())
    expect_details(resolver, list(addresses), tags)


def expect_get(resolver, answer):
    resolver.stubber.add_response("get_resolver_endpoint", {"ResolverEndpoint": answer}, ID)


def test_creates_missing_endpoint_with_a_request_id_derived_from_the_name(resolver, zones):
    expect_list(resolver, BY_NAME)
    expect_list(resolver, BY_CREATOR)
    created = endpoint(Status="CREATING")
    resolver.stubber.add_response(
        "create_resolver_endpoint",
        {"ResolverEndpoint": created},
        {
            "CreatorRequestId": f"hybridcloud-aws-{NAME}",
            "Name": NAME,
            "Direction": "INBOUND",
            "SecurityGroupIds": [SG],
            "IpAddresses": [{"SubnetId": S1}, {"SubnetId": S2}],
            "Protocols": ["Do53"],
            "Tags": [{"Key": "Project", "Value": "hybridcloud"}],
        },
    )
    expect_get(resolver, created)
    expect_get(resolver, endpoint())
    expect_details(resolver, [A2, A1], [{"Key": "Project", "Value": "hybridcloud"}])
    result = resolver(module.main, dict(ARGS, tags={"Project": "hybridcloud"}), diff=True)
    assert result["changed"] is True
    found = result["resolver_endpoint"]
    assert (found["id"], found["status"], found["host_vpc_id"], found["direction"]) == (ENDPOINT_ID, "OPERATIONAL", "vpc-0123456789abcdef0", "INBOUND")
    assert [(a["subnet_id"], a["ip"]) for a in found["ip_addresses"]] == [(S1, "10.40.0.4"), (S2, "10.40.16.4")]
    assert found["tags"] == {"Project": "hybridcloud"}
    assert result["diff"]["before"] == {}
    assert zones.call_args.args[1] == [S1, S2]


def test_identical_endpoint_is_a_no_op_of_three_reads(resolver, zones):
    expect_existing(resolver, tags=[{"Key": "Project", "Value": "hybridcloud"}])
    result = resolver(module.main, dict(ARGS, tags={"Project": "hybridcloud"}))
    assert result["changed"] is False
    assert result["resolver_endpoint"]["protocols"] == ["Do53"]
    assert result["resolver_endpoint"]["arn"] == ARN
    zones.assert_not_called()


def test_endpoint_still_being_created_is_awaited_without_changes(resolver):
    expect_existing(resolver, endpoint(Status="CREATING"))
    expect_get(resolver, endpoint())
    result = resolver(module.main, ARGS)
    assert result["changed"] is False
    assert result["resolver_endpoint"]["status"] == "OPERATIONAL"


def test_missing_protocols_in_the_answer_mean_do53(resolver):
    current = endpoint()
    del current["Protocols"]
    expect_existing(resolver, current)
    assert resolver(module.main, ARGS)["changed"] is False


def test_endpoint_renamed_outside_ansible_is_found_by_its_request_id_and_renamed_back(resolver):
    renamed = endpoint(Name="someone-renamed-it")
    expect_list(resolver, BY_NAME)
    expect_list(resolver, BY_CREATOR, renamed)
    expect_details(resolver, [A1, A2])
    resolver.stubber.add_response("update_resolver_endpoint", {"ResolverEndpoint": endpoint()}, dict(ID, Name=NAME))
    expect_get(resolver, endpoint())
    expect_details(resolver, [A1, A2])
    result = resolver(module.main, ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["name"] == "someone-renamed-it"
    assert result["resolver_endpoint"]["name"] == NAME


def test_protocols_are_updated_in_place(resolver):
    expect_existing(resolver)
    resolver.stubber.add_response("update_resolver_endpoint", {"ResolverEndpoint": endpoint(Protocols=["Do53", "DoH"])}, dict(ID, Protocols=["Do53", "DoH"]))
    expect_get(resolver, endpoint(Protocols=["Do53", "DoH"]))
    expect_details(resolver, [A1, A2])
    result = resolver(module.main, dict(ARGS, protocols=["Do53", "DoH"]))
    assert result["changed"] is True
    assert result["resolver_endpoint"]["protocols"] == ["Do53", "DoH"]


def test_inbound_do53_cannot_switch_straight_to_doh(resolver):
    expect_existing(resolver)
    result = resolver(module.main, dict(ARGS, protocols=["DoH"]))
    assert result["failed"] is True
    assert "Add it next to Do53 first" in result["msg"]


def test_subnet_change_adds_first_waits_between_changes_then_removes(resolver, zones):
    expect_existing(resolver)
    resolver.stubber.add_response(
        "associate_resolver_endpoint_ip_address", {"ResolverEndpoint": endpoint(Status="UPDATING")}, dict(ID, IpAddress={"SubnetId": S3})
    )
    expect_get(resolver, endpoint(Status="UPDATING"))
    expect_get(resolver, endpoint())
    removal = {"IpId": A2["IpId"], "SubnetId": S2, "Ip": A2["Ip"]}
    resolver.stubber.add_response("disassociate_resolver_endpoint_ip_address", {"ResolverEndpoint": endpoint(Status="UPDATING")}, dict(ID, IpAddress=removal))
    expect_get(resolver, endpoint())
    expect_details(resolver, [A1, A3])
    result = resolver(module.main, dict(ARGS, subnet_ids=[S1, S3]), diff=True)
    assert result["changed"] is True
    assert [a["subnet_id"] for a in result["resolver_endpoint"]["ip_addresses"]] == [S1, S3]
    assert result["diff"]["after"]["ip_addresses"] == [f"{S1} 10.40.0.4", f"{S3} 10.40.32.4"]
    assert zones.call_args.args[1] == [S1, S3]
    # One wait between the two changes, one after the last.
    assert [(wait["what"], [(s["state"], s["seconds"]) for s in wait["states"]]) for wait in result["waited"]] == [
        (f"Resolver endpoint {ENDPOINT_ID} to be OPERATIONAL", [("UPDATING", 0.0), ("OPERATIONAL", 10.0)]),
        (f"Resolver endpoint {ENDPOINT_ID} to be OPERATIONAL", [("OPERATIONAL", 0.0)]),
    ]


def test_second_address_in_a_wanted_subnet_is_removed(resolver):
    extra = address(4, S1, "10.40.0.9")
    expect_existing(resolver, addresses=(A1, extra, A2))
    resolver.stubber.add_response(
        "disassociate_resolver_endpoint_ip_address",
        {"ResolverEndpoint": endpoint()},
        dict(ID, IpAddress={"IpId": extra["IpId"], "SubnetId": S1, "Ip": "10.40.0.9"}),
    )
    expect_get(resolver, endpoint())
    expect_details(resolver, [A1, A2])
    assert resolver(module.main, ARGS)["changed"] is True


def test_exact_addresses_replace_the_ones_that_differ(resolver):
    expect_existing(resolver)
    resolver.stubber.add_response(
        "associate_resolver_endpoint_ip_address", {"ResolverEndpoint": endpoint()}, dict(ID, IpAddress={"SubnetId": S1, "Ip": "10.40.0.53"})
    )
    expect_get(resolver, endpoint())
    resolver.stubber.add_response(
        "disassociate_resolver_endpoint_ip_address", {"ResolverEndpoint": endpoint()}, dict(ID, IpAddress={"IpId": A1["IpId"], "SubnetId": S1, "Ip": A1["Ip"]})
    )
    expect_get(resolver, endpoint())
    expect_details(resolver, [address(5, S1, "10.40.0.53"), A2])
    args = {
        "name": NAME,
        "direction": "inbound",
        "security_group_ids": [SG],
        "ip_addresses": [{"subnet_id": S1, "ip": "10.40.0.53"}, {"subnet_id": S2, "ip": "10.40.16.4"}],
    }
    result = resolver(module.main, args)
    assert result["changed"] is True
    assert [a["ip"] for a in result["resolver_endpoint"]["ip_addresses"]] == ["10.40.0.53", "10.40.16.4"]


def test_tags_are_added_and_purged(resolver):
    expect_existing(resolver, tags=[{"Key": "old", "Value": "1"}, {"Key": "Project", "Value": "x"}])
    resolver.stubber.add_response("untag_resource", {}, {"ResourceArn": ARN, "TagKeys": ["old"]})
    resolver.stubber.add_response("tag_resource", {}, {"ResourceArn": ARN, "Tags": [{"Key": "Project", "Value": "hybridcloud"}]})
    result = resolver(module.main, dict(ARGS, tags={"Project": "hybridcloud"}))
    assert result["changed"] is True
    assert result["resolver_endpoint"]["tags"] == {"Project": "hybridcloud"}


def test_tags_are_left_alone_without_the_option(resolver):
    expect_existing(resolver, tags=[{"Key": "owner", "Value": "network-team"}])
    result = resolver(module.main, ARGS)
    assert result["changed"] is False
    assert result["resolver_endpoint"]["tags"] == {"owner": "network-team"}


def test_check_mode_create_plans_without_writing(resolver, zones):
    expect_list(resolver, BY_NAME)
    expect_list(resolver, BY_CREATOR)
    result = resolver(module.main, ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["resolver_endpoint"]["ip_addresses"] == [{"subnet_id": S1, "ip": None}, {"subnet_id": S2, "ip": None}]
    assert result["diff"]["after"]["ip_addresses"] == [f"{S1} (assigned by AWS)", f"{S2} (assigned by AWS)"]
    zones.assert_called_once()


def test_check_mode_update_plans_without_writing(resolver):
    expect_existing(resolver)
    result = resolver(module.main, dict(ARGS, subnet_ids=[S1, S3], protocols=["Do53", "DoH"], tags={"a": "b"}), check_mode=True)
    assert result["changed"] is True
    planned = result["resolver_endpoint"]
    assert [(a["subnet_id"], a["ip"]) for a in planned["ip_addresses"]] == [(S1, "10.40.0.4"), (S3, None)]
    assert (planned["protocols"], planned["tags"]) == (["Do53", "DoH"], {"a": "b"})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"direction": "outbound"}, "AWS cannot change the direction"),
        ({"security_group_ids": ["sg-0fffffffffffffff0"]}, "AWS cannot change the security groups"),
    ],
)
def test_unchangeable_settings_fail_clearly(resolver, args, message):
    expect_existing(resolver)
    result = resolver(module.main, dict(ARGS, **args))
    assert result["failed"] is True
    assert message in result["msg"]
    assert ENDPOINT_ID in result["msg"]


def test_deletes_and_waits_until_gone(resolver):
    expect_existing(resolver)
    resolver.stubber.add_response("delete_resolver_endpoint", {"ResolverEndpoint": endpoint(Status="DELETING")}, ID)
    expect_get(resolver, endpoint(Status="DELETING"))
    resolver.stubber.add_client_error("get_resolver_endpoint", "ResourceNotFoundException", http_status_code=404, expected_params=ID)
    result = resolver(module.main, {"name": NAME, "state": "absent"}, diff=True)
    assert result["changed"] is True
    assert result["resolver_endpoint"] == {}
    assert result["waited"] == [
        {
            "what": f"Resolver endpoint {ENDPOINT_ID} to be deleted",
            "seconds": 10.0,
            "polls": 2,
            "states": [{"state": "DELETING", "seconds": 0.0, "polls": 1}, {"state": "deleted", "seconds": 10.0, "polls": 1}],
        }
    ]
    assert result["diff"]["before"]["name"] == NAME


def test_absent_looks_only_for_the_name(resolver):
    expect_list(resolver, BY_NAME)
    result = resolver(module.main, {"name": NAME, "state": "absent"})
    assert result["changed"] is False


def test_endpoint_being_deleted_counts_as_absent(resolver):
    expect_list(resolver, BY_NAME, endpoint(Status="DELETING"))
    assert resolver(module.main, {"name": NAME, "state": "absent"})["changed"] is False


def test_check_mode_delete_does_not_call_delete(resolver):
    expect_existing(resolver)
    assert resolver(module.main, {"name": NAME, "state": "absent"}, check_mode=True)["changed"] is True


def test_two_endpoints_with_the_name_fail_clearly(resolver):
    expect_list(resolver, BY_NAME, endpoint(), endpoint(Id="rslvr-in-0fffffffffffffff0"))
    result = resolver(module.main, ARGS)
    assert result["failed"] is True
    assert "2 Resolver endpoints are named hybridcloud-inbound" in result["msg"]


def test_throttling_is_retried(resolver):
    resolver.stubber.add_client_error("list_resolver_endpoints", "ThrottlingException", http_status_code=400, expected_params=BY_NAME)
    expect_existing(resolver)
    assert resolver(module.main, ARGS)["changed"] is False


def test_access_denied_is_reported_clearly(resolver):
    resolver.stubber.add_client_error("list_resolver_endpoints", "AccessDeniedException", "no", http_status_code=403, expected_params=BY_NAME)
    result = resolver(module.main, ARGS)
    assert result["failed"] is True
    assert "Failed to list Resolver endpoints whose Name is hybridcloud-inbound" in result["msg"]
    assert result["error"]["code"] == "AccessDeniedException"


def test_endpoint_needing_action_fails_the_wait(resolver):
    expect_list(resolver, BY_NAME)
    expect_list(resolver, BY_CREATOR)
    resolver.stubber.add_response("create_resolver_endpoint", {"ResolverEndpoint": endpoint(Status="CREATING")})
    expect_get(resolver, endpoint(Status="ACTION_NEEDED", StatusMessage="subnet has no free address"))
    result = resolver(module.main, ARGS)
    assert result["failed"] is True
    assert "is ACTION_NEEDED: subnet has no free address" in result["msg"]
    assert result["waited"][0]["states"] == [{"state": "ACTION_NEEDED", "seconds": 0.0, "polls": 1}]


def test_wait_times_out(resolver):
    expect_list(resolver, BY_NAME)
    expect_list(resolver, BY_CREATOR)
    resolver.stubber.add_response("create_resolver_endpoint", {"ResolverEndpoint": endpoint(Status="CREATING")})
    for _attempt in range(3):
        expect_get(resolver, endpoint(Status="CREATING"))
    result = resolver(module.main, dict(ARGS, wait_timeout=20))
    assert result["failed"] is True
    assert "Timeout after 20 seconds waiting for Resolver endpoint" in result["msg"]
    assert (result["waited"][0]["seconds"], result["waited"][0]["states"]) == (20.0, [{"state": "CREATING", "seconds": 0.0, "polls": 3}])


def test_without_wait_the_creation_is_not_awaited(resolver):
    expect_list(resolver, BY_NAME)
    expect_list(resolver, BY_CREATOR)
    resolver.stubber.add_response("create_resolver_endpoint", {"ResolverEndpoint": endpoint(Status="CREATING")})
    expect_get(resolver, endpoint(Status="CREATING"))
    expect_details(resolver, [A1, A2])
    result = resolver(module.main, dict(ARGS, wait=False))
    assert result["resolver_endpoint"]["status"] == "CREATING"
    assert "waited" not in result


@pytest.mark.parametrize(
    ("zones_found", "message"),
    [
        ({S1: "us-east-1a", S2: "us-east-1a"}, "must span at least two availability zones"),
        ({S1: "us-east-1a"}, f"These subnets do not exist: {S2}"),
    ],
)
def test_zone_problems_fail_before_creating(resolver, zones, zones_found, message):
    zones.side_effect = None
    zones.return_value = zones_found
    expect_list(resolver, BY_NAME)
    expect_list(resolver, BY_CREATOR)
    result = resolver(module.main, ARGS)
    assert result["failed"] is True
    assert message in result["msg"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"name": "12345"}, "not only digits"),
        ({"name": "bad/name"}, "name must be 1 to 64"),
        ({"subnet_ids": [S1, S1]}, f"list each subnet once (repeated: {S1})"),
        ({"subnet_ids": [S1]}, "at least two subnets"),
        ({"subnet_ids": None, "ip_addresses": [{"subnet_id": S1, "ip": "10.40.0.5"}]}, "at least two addresses"),
        ({"subnet_ids": None, "ip_addresses": [{"subnet_id": S1, "ip": "10.40.0"}, {"subnet_id": S2, "ip": "10.40.16.5"}]}, "is not an IPv4 address"),
        ({"subnet_ids": None, "ip_addresses": [{"subnet_id": S1, "ip": "10.40.0.5"}, {"subnet_id": S1, "ip": "10.40.0.5"}]}, "more than once"),
        ({"protocols": ["DoH", "DoH-FIPS"]}, "are not valid for an inbound endpoint"),
        ({"direction": "outbound", "protocols": ["DoH-FIPS"]}, "are not valid for an outbound endpoint"),
        ({"security_group_ids": [f"sg-{n:017d}" for n in range(11)]}, "1 to 10 security groups"),
        ({"direction": None}, "state is present but all of the following are missing: direction"),
        ({"ip_addresses": [{"subnet_id": S1, "ip": "10.40.0.5"}, {"subnet_id": S2, "ip": "10.40.16.5"}]}, "mutually exclusive"),
    ],
)
def test_bad_input_fails_before_any_call(resolver, args, message):
    result = resolver(module.main, {key: value for key, value in dict(ARGS, **args).items() if value is not None})
    assert result["failed"] is True
    assert message in result["msg"]


def test_subnet_zones_reads_ec2():
    ec2 = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="unit", aws_secret_access_key="unit")
    with Stubber(ec2) as stubber:
        stubber.add_response(
            "describe_subnets",
            {"Subnets": [{"SubnetId": S1, "AvailabilityZone": "us-east-1a"}, {"SubnetId": S2, "AvailabilityZone": "us-east-1b"}]},
            {"SubnetIds": [S1, S2]},
        )
        assert utils.subnet_zones(ec2, [S1, S2]) == {S1: "us-east-1a", S2: "us-east-1b"}


def test_plan_keeps_one_address_per_wanted_subnet_deterministically():
    later = address(6, S1, "10.40.0.99")
    to_add, to_remove = utils.plan_ip_changes([later, A1, A2], wanted_subnets=[S1, S2, S3])
    assert to_add == [{"SubnetId": S3}]
    assert to_remove == [{"IpId": later["IpId"], "SubnetId": S1, "Ip": "10.40.0.99"}]
