import datetime
from unittest import mock

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import ssm_managed_instance_info as module

NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.timezone.utc)
ACTIVATION_ID = "11111111-1111-4111-8111-111111111111"
MANAGED_ONLY = {"Key": "ResourceType", "Values": ["ManagedInstance"]}


def instance(instance_id, last_ping_days_ago=0.01, **changes):
    info = {
        "InstanceId": instance_id,
        "PingStatus": "Online",
        "LastPingDateTime": NOW - datetime.timedelta(days=last_ping_days_ago),
        "AgentVersion": "3.3.0.0",
        "IsLatestVersion": True,
        "PlatformType": "Linux",
        "PlatformName": "Debian GNU/Linux",
        "PlatformVersion": "12",
        "ActivationId": ACTIVATION_ID,
        "IamRole": "ECSAnywhereRole",
        "RegistrationDate": NOW - datetime.timedelta(days=30),
        "ResourceType": "ManagedInstance",
        "Name": "onprem-ecs",
        "IPAddress": "10.254.0.201",
        "ComputerName": "onprem-1",
    }
    info.update(changes)
    return info


@pytest.fixture
def ssm(module_run):
    with mock.patch.object(module, "utc_now", return_value=NOW):
        yield module_run("ssm")


def expect_instances(ssm, filters, *instances):
    ssm.stubber.add_response("describe_instance_information", {"InstanceInformationList": list(instances)}, {"Filters": filters, "MaxResults": 50})


def test_lists_managed_instances_with_their_details(ssm):
    expect_instances(ssm, [MANAGED_ONLY], instance("mi-0b"), instance("mi-0a", PingStatus="ConnectionLost"))
    result = ssm(module.main, {})
    assert result["changed"] is False
    assert [item["instance_id"] for item in result["instances"]] == ["mi-0a", "mi-0b"]
    first = result["instances"][0]
    assert first["ping_status"] == "ConnectionLost"
    assert first["activation_id"] == ACTIVATION_ID
    assert first["ip_address"] == "10.254.0.201"
    assert first["platform_name"] == "Debian GNU/Linux"
    assert first["registration_date"] == "2026-10-25T10:00:00+00:00"
    assert "tags" not in first


def test_filters_go_to_the_api(ssm):
    filters = [
        MANAGED_ONLY,
        {"Key": "InstanceIds", "Values": ["mi-0a"]},
        {"Key": "ActivationIds", "Values": [ACTIVATION_ID]},
        {"Key": "PingStatus", "Values": ["Online", "Inactive"]},
        {"Key": "tag:site", "Values": ["munich"]},
    ]
    expect_instances(ssm, filters, instance("mi-0a"))
    args = {"instance_ids": ["mi-0a"], "activation_ids": [ACTIVATION_ID], "ping_status": ["Online", "Inactive"], "tags": {"site": "munich"}}
    result = ssm(module.main, args)
    assert [item["instance_id"] for item in result["instances"]] == ["mi-0a"]


def test_pages_are_followed(ssm):
    ssm.stubber.add_response(
        "describe_instance_information", {"InstanceInformationList": [instance("mi-0a")], "NextToken": "page2"}, {"Filters": [MANAGED_ONLY], "MaxResults": 50}
    )
    ssm.stubber.add_response(
        "describe_instance_information", {"InstanceInformationList": [instance("mi-0b")]}, {"Filters": [MANAGED_ONLY], "MaxResults": 50, "NextToken": "page2"}
    )
    result = ssm(module.main, {})
    assert [item["instance_id"] for item in result["instances"]] == ["mi-0a", "mi-0b"]


def test_ec2_instances_are_left_out(ssm):
    expect_instances(ssm, [MANAGED_ONLY], instance("i-0123456789abcdef0", ResourceType="EC2Instance"), instance("mi-0a"))
    result = ssm(module.main, {})
    assert [item["instance_id"] for item in result["instances"]] == ["mi-0a"]


def test_name_matches_exactly_or_as_pattern(ssm):
    expect_instances(ssm, [MANAGED_ONLY], instance("mi-0a", Name="onprem-ecs"), instance("mi-0b", Name="onprem-nfs"), instance("mi-0c", Name="lab"))
    result = ssm(module.main, {"name": "onprem-*"})
    assert [item["instance_id"] for item in result["instances"]] == ["mi-0a", "mi-0b"]


def test_stale_for_days_keeps_only_silent_instances(ssm):
    never = instance("mi-0c")
    del never["LastPingDateTime"]
    expect_instances(ssm, [MANAGED_ONLY], instance("mi-0a", last_ping_days_ago=20), instance("mi-0b", last_ping_days_ago=2), never)
    result = ssm(module.main, {"stale_for_days": 7})
    assert [item["instance_id"] for item in result["instances"]] == ["mi-0a", "mi-0c"]
    assert result["instances"][1]["last_ping_date_time"] is None


def test_tags_are_read_only_when_asked(ssm):
    expect_instances(ssm, [MANAGED_ONLY], instance("mi-0a"), instance("mi-0b"))
    ssm.stubber.add_response(
        "list_tags_for_resource", {"TagList": [{"Key": "site", "Value": "munich"}]}, {"ResourceType": "ManagedInstance", "ResourceId": "mi-0a"}
    )
    ssm.stubber.add_client_error("list_tags_for_resource", "InvalidResourceId", http_status_code=400)
    result = ssm(module.main, {"include_tags": True})
    assert result["instances"][0]["tags"] == {"site": "munich"}
    # deregistered between the two calls
    assert result["instances"][1]["tags"] == {}


def test_throttling_is_retried(ssm):
    ssm.stubber.add_client_error("describe_instance_information", "ThrottlingException", http_status_code=400)
    expect_instances(ssm, [MANAGED_ONLY], instance("mi-0a"))
    result = ssm(module.main, {})
    assert len(result["instances"]) == 1


def test_access_denied_is_reported_clearly(ssm):
    ssm.stubber.add_client_error("describe_instance_information", "AccessDeniedException", "not authorized", http_status_code=400)
    result = ssm(module.main, {})
    assert result["failed"] is True
    assert "Failed to describe managed instances" in result["msg"]
    assert result["error"]["code"] == "AccessDeniedException"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"stale_for_days": -1}, "stale_for_days must not be negative"),
        ({"ping_status": ["Sleeping"]}, "value of ping_status must be one or more of"),
    ],
)
def test_bad_input_fails_before_any_call(ssm, args, message):
    result = ssm(module.main, args)
    assert result["failed"] is True
    assert message in result["msg"]
