import datetime

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import ssm_managed_instance as module

INSTANCE_ID = "mi-0123456789abcdef0"
DESCRIBE = {"Filters": [{"Key": "ResourceType", "Values": ["ManagedInstance"]}, {"Key": "InstanceIds", "Values": [INSTANCE_ID]}], "MaxResults": 50}
TAGGED = {"ResourceType": "ManagedInstance", "ResourceId": INSTANCE_ID}
INFO = {
    "InstanceId": INSTANCE_ID,
    "PingStatus": "ConnectionLost",
    "LastPingDateTime": datetime.datetime(2026, 10, 1, tzinfo=datetime.timezone.utc),
    "ResourceType": "ManagedInstance",
    "Name": "onprem-ecs",
}


@pytest.fixture
def ssm(module_run):
    return module_run("ssm")


def expect_instance(ssm, exists=True, tags=None):
    ssm.stubber.add_response("describe_instance_information", {"InstanceInformationList": [INFO] if exists else []}, DESCRIBE)
    if exists:
        tag_list = [{"Key": key, "Value": value} for key, value in (tags or {}).items()]
        ssm.stubber.add_response("list_tags_for_resource", {"TagList": tag_list}, TAGGED)


def test_deregisters_a_registered_instance(ssm):
    expect_instance(ssm, tags={"site": "munich"})
    ssm.stubber.add_response("deregister_managed_instance", {}, {"InstanceId": INSTANCE_ID})
    result = ssm(module.main, {"instance_id": INSTANCE_ID, "state": "absent"}, diff=True)
    assert result["changed"] is True
    assert result["instance"] == {}
    assert result["diff"]["before"]["tags"] == {"site": "munich"}


def test_absent_when_not_registered_is_a_no_op(ssm):
    expect_instance(ssm, exists=False)
    result = ssm(module.main, {"instance_id": INSTANCE_ID, "state": "absent"})
    assert result["changed"] is False


def test_check_mode_does_not_deregister(ssm):
    expect_instance(ssm)
    result = ssm(module.main, {"instance_id": INSTANCE_ID, "state": "absent"}, check_mode=True)
    assert result["changed"] is True


def test_tags_are_added_and_purged(ssm):
    expect_instance(ssm, tags={"site": "munich", "old": "x"})
    ssm.stubber.add_response("remove_tags_from_resource", {}, dict(TAGGED, TagKeys=["old"]))
    ssm.stubber.add_response("add_tags_to_resource", {}, dict(TAGGED, Tags=[{"Key": "patch-group", "Value": "weekend"}]))
    result = ssm(module.main, {"instance_id": INSTANCE_ID, "tags": {"site": "munich", "patch-group": "weekend"}})
    assert result["changed"] is True
    assert result["instance"]["tags"] == {"site": "munich", "patch-group": "weekend"}
    assert result["instance"]["last_ping_date_time"] == "2026-10-01T00:00:00+00:00"


def test_same_tags_are_a_no_op_and_check_mode_writes_nothing(ssm):
    expect_instance(ssm, tags={"site": "munich"})
    assert ssm(module.main, {"instance_id": INSTANCE_ID, "tags": {"site": "munich"}})["changed"] is False
    expect_instance(ssm, tags={"site": "munich"})
    result = ssm(module.main, {"instance_id": INSTANCE_ID, "tags": {"team": "platform"}, "purge_tags": False}, check_mode=True)
    assert result["changed"] is True
    assert result["instance"]["tags"] == {"site": "munich", "team": "platform"}


def test_present_for_an_unknown_instance_fails_clearly(ssm):
    expect_instance(ssm, exists=False)
    result = ssm(module.main, {"instance_id": INSTANCE_ID, "tags": {}})
    assert result["failed"] is True
    assert "managed instance mi-0123456789abcdef0 is not registered" in result["msg"]


def test_throttling_is_retried_and_access_denied_reported(ssm):
    ssm.stubber.add_client_error("describe_instance_information", "ThrottlingException", http_status_code=400)
    expect_instance(ssm)
    ssm.stubber.add_client_error("deregister_managed_instance", "AccessDeniedException", "not authorized", http_status_code=400)
    result = ssm(module.main, {"instance_id": INSTANCE_ID, "state": "absent"})
    assert result["failed"] is True
    assert "Failed to deregister managed instance mi-0123456789abcdef0" in result["msg"]
    assert result["error"]["code"] == "AccessDeniedException"


@pytest.mark.parametrize("instance_id", ["i-0123456789abcdef0", "mi-123", "mi-0123456789ABCDEF0"])
def test_bad_instance_id_fails_before_any_call(ssm, instance_id):
    result = ssm(module.main, {"instance_id": instance_id, "state": "absent"})
    assert result["failed"] is True
    assert "instance_id must be a managed instance id" in result["msg"]
