from unittest import mock

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import storagegateway_gateway as module

ARN = "arn:aws:storagegateway:us-east-1:123456789012:gateway/sgw-12A3456B"
OTHER_ARN = "arn:aws:storagegateway:us-east-1:123456789012:gateway/sgw-99Z9999Z"
LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/storagegateway/dc1"
LISTED = {"GatewayARN": ARN, "GatewayId": "sgw-12A3456B", "GatewayName": "dc1-fgw", "GatewayType": "FILE_S3", "GatewayOperationalState": "ACTIVE"}
DESCRIBED = {
    "GatewayARN": ARN,
    "GatewayId": "sgw-12A3456B",
    "GatewayName": "dc1-fgw",
    "GatewayTimezone": "GMT",
    "GatewayState": "RUNNING",
    "GatewayType": "FILE_S3",
    "GatewayNetworkInterfaces": [{"Ipv4Address": "10.20.0.15", "MacAddress": "52:54:00:12:34:56"}],
    "Tags": [{"Key": "site", "Value": "dc1"}],
}
NEW = {"gateway_name": "dc1-fgw", "gateway_address": "10.20.0.15", "tags": {"site": "dc1"}}


@pytest.fixture
def sgw(module_run):
    return module_run("storagegateway")


@pytest.fixture
def fetch_key():
    with mock.patch.object(module, "fetch_activation_key", return_value="AB12C-DE34F-GH56I-JK78L-MN90O") as fetch:
        yield fetch


def expect_listed(sgw, *gateways):
    sgw.stubber.add_response("list_gateways", {"Gateways": list(gateways)}, {})


def expect_described(sgw, described=None, arn=ARN):
    sgw.stubber.add_response("describe_gateway_information", described or DESCRIBED, {"GatewayARN": arn})


def expect_existing(sgw, described=None):
    expect_listed(sgw, LISTED)
    expect_described(sgw, described)


def test_activates_with_key_fetched_from_appliance(sgw, fetch_key):
    expect_listed(sgw)
    sgw.stubber.add_response(
        "activate_gateway",
        {"GatewayARN": ARN},
        {
            "ActivationKey": "AB12C-DE34F-GH56I-JK78L-MN90O",
            "GatewayName": "dc1-fgw",
            "GatewayTimezone": "GMT+1:00",
            "GatewayRegion": "us-east-1",
            "GatewayType": "FILE_S3",
            "Tags": [{"Key": "site", "Value": "dc1"}],
        },
    )
    expect_described(sgw, dict(DESCRIBED, GatewayTimezone="GMT+1:00"))
    sgw.stubber.add_response("update_gateway_information", {"GatewayARN": ARN}, {"GatewayARN": ARN, "CloudWatchLogGroupARN": LOG_GROUP})
    expect_described(sgw, dict(DESCRIBED, GatewayTimezone="GMT+1:00", CloudWatchLogGroupARN=LOG_GROUP))
    result = sgw(module.main, dict(NEW, gateway_timezone="GMT+1:00", cloudwatch_log_group_arn=LOG_GROUP), diff=True)
    fetch_key.assert_called_once_with("10.20.0.15", "us-east-1", 30)
    assert result["changed"] is True
    assert result["gateway_arn"] == ARN
    assert result["gateway_id"] == "sgw-12A3456B"
    assert result["gateway_state"] == "RUNNING"
    assert result["gateway_type"] == "FILE_S3"
    assert result["gateway_network_interfaces"][0]["ipv4_address"] == "10.20.0.15"
    assert result["cloudwatch_log_group_arn"] == LOG_GROUP
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["gateway_timezone"] == "GMT+1:00"
    assert "AB12C" not in str(result)


def test_activates_with_given_key_in_given_region_without_fetching(sgw, fetch_key):
    expect_listed(sgw)
    sgw.stubber.add_response(
        "activate_gateway",
        {"GatewayARN": ARN},
        {"ActivationKey": "KEY12-KEY34", "GatewayName": "dc1-fgw", "GatewayTimezone": "GMT", "GatewayRegion": "eu-west-1", "GatewayType": "FILE_S3"},
    )
    expect_described(sgw, dict(DESCRIBED, Tags=[]))
    expect_described(sgw, dict(DESCRIBED, Tags=[]))
    result = sgw(module.main, {"gateway_name": "dc1-fgw", "activation_key": "KEY12-KEY34", "gateway_region": "eu-west-1"})
    fetch_key.assert_not_called()
    assert result["changed"] is True
    assert result["tags"] == {}


def test_existing_gateway_is_neither_fetched_nor_activated(sgw, fetch_key):
    expect_existing(sgw)
    result = sgw(module.main, NEW)
    fetch_key.assert_not_called()
    assert result["changed"] is False
    assert result["gateway_arn"] == ARN
    assert result["tags"] == {"site": "dc1"}


def test_updates_timezone_log_group_and_tags(sgw, fetch_key):
    expect_existing(sgw, dict(DESCRIBED, Tags=[{"Key": "site", "Value": "dc1"}, {"Key": "old", "Value": "x"}]))
    sgw.stubber.add_response(
        "update_gateway_information",
        {"GatewayARN": ARN},
        {"GatewayARN": ARN, "GatewayTimezone": "GMT-5:00", "CloudWatchLogGroupARN": LOG_GROUP},
    )
    sgw.stubber.add_response("remove_tags_from_resource", {"ResourceARN": ARN}, {"ResourceARN": ARN, "TagKeys": ["old"]})
    sgw.stubber.add_response("add_tags_to_resource", {"ResourceARN": ARN}, {"ResourceARN": ARN, "Tags": [{"Key": "site", "Value": "dc2"}]})
    expect_described(sgw, dict(DESCRIBED, GatewayTimezone="GMT-5:00", CloudWatchLogGroupARN=LOG_GROUP, Tags=[{"Key": "site", "Value": "dc2"}]))
    args = dict(NEW, gateway_timezone="GMT-5:00", cloudwatch_log_group_arn=LOG_GROUP, tags={"site": "dc2"})
    result = sgw(module.main, args, diff=True)
    fetch_key.assert_not_called()
    assert result["changed"] is True
    assert result["gateway_timezone"] == "GMT-5:00"
    assert result["tags"] == {"site": "dc2"}
    assert result["diff"]["before"]["tags"] == {"site": "dc1", "old": "x"}
    assert result["diff"]["after"]["cloudwatch_log_group_arn"] == LOG_GROUP


def test_tags_are_kept_without_purge(sgw):
    expect_existing(sgw)
    sgw.stubber.add_response("add_tags_to_resource", {"ResourceARN": ARN}, {"ResourceARN": ARN, "Tags": [{"Key": "env", "Value": "lab"}]})
    expect_described(sgw, dict(DESCRIBED, Tags=[{"Key": "site", "Value": "dc1"}, {"Key": "env", "Value": "lab"}]))
    result = sgw(module.main, {"gateway_name": "dc1-fgw", "tags": {"env": "lab"}, "purge_tags": False})
    assert result["changed"] is True
    assert result["tags"] == {"site": "dc1", "env": "lab"}


def test_renames_gateway_found_by_arn(sgw):
    expect_described(sgw)
    sgw.stubber.add_response("update_gateway_information", {"GatewayARN": ARN}, {"GatewayARN": ARN, "GatewayName": "dc1-primary"})
    expect_described(sgw, dict(DESCRIBED, GatewayName="dc1-primary"))
    result = sgw(module.main, {"gateway_arn": ARN, "gateway_name": "dc1-primary"})
    assert result["changed"] is True
    assert result["gateway_name"] == "dc1-primary"


def test_check_mode_activation_fetches_no_key_and_activates_nothing(sgw, fetch_key):
    expect_listed(sgw)
    result = sgw(module.main, dict(NEW, cloudwatch_log_group_arn=LOG_GROUP), check_mode=True, diff=True)
    fetch_key.assert_not_called()
    assert result["changed"] is True
    assert result["gateway_arn"] is None
    assert result["gateway_name"] == "dc1-fgw"
    assert result["tags"] == {"site": "dc1"}
    assert result["diff"]["after"]["cloudwatch_log_group_arn"] == LOG_GROUP


def test_check_mode_update_writes_nothing(sgw):
    expect_existing(sgw)
    result = sgw(module.main, dict(NEW, gateway_timezone="GMT+5:30", tags={}), check_mode=True)
    assert result["changed"] is True
    assert result["gateway_timezone"] == "GMT+5:30"
    assert result["tags"] == {}


def test_deletes_gateway(sgw):
    expect_existing(sgw)
    sgw.stubber.add_response("delete_gateway", {"GatewayARN": ARN}, {"GatewayARN": ARN})
    result = sgw(module.main, {"gateway_name": "dc1-fgw", "state": "absent"}, diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"] == {}
    assert result["diff"]["before"]["gateway_name"] == "dc1-fgw"


def test_check_mode_delete_does_not_delete(sgw):
    expect_existing(sgw)
    result = sgw(module.main, {"gateway_name": "dc1-fgw", "state": "absent"}, check_mode=True)
    assert result["changed"] is True


def test_absent_when_missing_is_a_no_op(sgw):
    expect_listed(sgw)
    result = sgw(module.main, {"gateway_name": "dc1-fgw", "state": "absent"})
    assert result["changed"] is False


def test_absent_by_unknown_arn_is_a_no_op(sgw):
    sgw.stubber.add_client_error(
        "describe_gateway_information",
        "InvalidGatewayRequestException",
        "The specified gateway was not found.",
        expected_params={"GatewayARN": ARN},
        modeled_fields={"error": {"errorCode": "GatewayNotFound"}},
    )
    result = sgw(module.main, {"gateway_arn": ARN, "state": "absent"})
    assert result["changed"] is False


def test_wait_waits_until_gateway_is_connected_and_running(sgw):
    expect_existing(sgw)
    sgw.stubber.add_client_error(
        "describe_gateway_information",
        "InvalidGatewayRequestException",
        "The specified gateway is not connected.",
        expected_params={"GatewayARN": ARN},
        modeled_fields={"error": {"errorCode": "GatewayNotConnected"}},
    )
    expect_described(sgw, dict(DESCRIBED, GatewayState="SHUTDOWN"))
    expect_described(sgw)
    expect_described(sgw)
    result = sgw(module.main, {"gateway_name": "dc1-fgw", "wait": True})
    assert result["changed"] is False
    assert result["gateway_state"] == "RUNNING"
    assert [(state["state"], state["seconds"]) for state in result["waited"][0]["states"]] == [("not connected", 0.0), ("SHUTDOWN", 5.0), ("RUNNING", 10.0)]


def test_wait_times_out_clearly(sgw):
    expect_existing(sgw)
    expect_described(sgw, dict(DESCRIBED, GatewayState="SHUTDOWN"))
    result = sgw(module.main, {"gateway_name": "dc1-fgw", "wait": True, "wait_timeout": 0})
    assert result["failed"] is True
    assert "Timeout waiting for gateway" in result["msg"]
    assert "SHUTDOWN" in result["msg"]
    assert result["waited"] == [
        {"what": f"gateway {ARN} to be RUNNING", "seconds": 0.0, "polls": 1, "states": [{"state": "SHUTDOWN", "seconds": 0.0, "polls": 1}]}
    ]


def test_several_gateways_with_the_name_fail(sgw):
    expect_listed(sgw, LISTED, dict(LISTED, GatewayARN=OTHER_ARN, GatewayId="sgw-99Z9999Z"))
    result = sgw(module.main, NEW)
    assert result["failed"] is True
    assert "2 gateways are called dc1-fgw" in result["msg"]
    assert "give gateway_arn" in result["msg"]


def test_gateway_of_another_type_is_refused(sgw):
    expect_existing(sgw, dict(DESCRIBED, GatewayType="CACHED"))
    result = sgw(module.main, {"gateway_name": "dc1-fgw", "state": "absent"})
    assert result["failed"] is True
    assert "is a CACHED gateway" in result["msg"]


def test_missing_gateway_without_key_or_address_fails(sgw):
    expect_listed(sgw)
    result = sgw(module.main, {"gateway_name": "dc1-fgw"})
    assert result["failed"] is True
    assert "give activation_key or gateway_address" in result["msg"]


def test_unreachable_appliance_is_reported(sgw):
    expect_listed(sgw)
    error = module.AnsibleStorageGatewayError(message="Could not reach the gateway at 10.20.0.15 to get an activation key: timed out")
    with mock.patch.object(module, "fetch_activation_key", side_effect=error):
        result = sgw(module.main, NEW)
    assert result["failed"] is True
    assert "Could not reach the gateway at 10.20.0.15" in result["msg"]


def test_throttling_is_retried(sgw):
    sgw.stubber.add_client_error("list_gateways", "ThrottlingException", "Rate exceeded", http_status_code=400, expected_params={})
    expect_existing(sgw)
    result = sgw(module.main, NEW)
    assert result["changed"] is False


def test_access_denied_is_reported_clearly(sgw):
    sgw.stubber.add_client_error("list_gateways", "AccessDeniedException", "not authorized", http_status_code=400, expected_params={})
    result = sgw(module.main, NEW)
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to list gateways")
    assert result["error"]["code"] == "AccessDeniedException"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"gateway_timezone": "UTC+1"}, "gateway_timezone must look like GMT"),
        ({"gateway_timezone": "GMT+15:00"}, "gateway_timezone must look like GMT"),
        ({"gateway_timezone": "GMT+01:00"}, "gateway_timezone must look like GMT"),
        ({"gateway_name": "a/b"}, "gateway_name must be 2 to 255 characters"),
        ({"gateway_name": "x"}, "gateway_name must be 2 to 255 characters"),
        ({"activation_key": "K", "gateway_address": "10.0.0.1"}, "mutually exclusive"),
        ({"cache_disk_ids": ["d"], "allocate_cache": "auto"}, "mutually exclusive"),
        ({"cache_disk_ids": [" "]}, "cache_disk_ids must not contain empty disk ids"),
    ],
)
def test_bad_input_fails_before_any_call(sgw, args, message):
    result = sgw(module.main, dict(NEW, **args))
    assert result["failed"] is True
    assert message in result["msg"]


def test_gateway_name_or_arn_is_required(sgw):
    result = sgw(module.main, {"gateway_address": "10.20.0.15"})
    assert result["failed"] is True
    assert "one of the following is required: gateway_name, gateway_arn" in result["msg"]


# cache disks ------------------------------------------------------------------------------------------------------
DISK = "pci-0000:03:00.0-scsi-0:0:0:0"
SECOND_DISK = "pci-0000:03:00.0-scsi-0:0:1:0"


def disk(disk_id=DISK, allocation="AVAILABLE", path="/dev/sdb", node="SCSI (0:0)"):
    return {"DiskId": disk_id, "DiskPath": path, "DiskNode": node, "DiskStatus": "present", "DiskSizeInBytes": 150 * 1024**3, "DiskAllocationType": allocation}


def expect_cache(sgw, disk_ids):
    sgw.stubber.add_response("describe_cache", {"GatewayARN": ARN, "DiskIds": list(disk_ids)}, {"GatewayARN": ARN})


def expect_disks(sgw, *disks):
    sgw.stubber.add_response("list_local_disks", {"GatewayARN": ARN, "Disks": list(disks)}, {"GatewayARN": ARN})


def expect_add_cache(sgw, disk_ids):
    sgw.stubber.add_response("add_cache", {"GatewayARN": ARN}, {"GatewayARN": ARN, "DiskIds": list(disk_ids)})


def test_activation_waits_for_the_gateway_then_allocates_every_available_disk(sgw, fetch_key):
    expect_listed(sgw)
    sgw.stubber.add_response(
        "activate_gateway",
        {"GatewayARN": ARN},
        {
            "ActivationKey": "AB12C-DE34F-GH56I-JK78L-MN90O",
            "GatewayName": "dc1-fgw",
            "GatewayTimezone": "GMT",
            "GatewayRegion": "us-east-1",
            "GatewayType": "FILE_S3",
            "Tags": [{"Key": "site", "Value": "dc1"}],
        },
    )
    expect_described(sgw)  # the wait: ListLocalDisks needs a connected gateway
    expect_described(sgw)
    expect_cache(sgw, [])
    expect_disks(sgw, disk(), disk(SECOND_DISK, path="/dev/sdc", node="SCSI (0:1)"), disk("pci-0000:03:00.0-scsi-0:0:2:0", allocation="UPLOAD BUFFER"))
    expect_add_cache(sgw, [DISK, SECOND_DISK])
    expect_cache(sgw, [DISK, SECOND_DISK])
    expect_described(sgw)
    result = sgw(module.main, dict(NEW, allocate_cache="auto"), diff=True)
    assert result["changed"] is True
    assert result["cache_disk_ids"] == [DISK, SECOND_DISK]
    assert result["diff"]["after"]["cache_disk_ids"] == [DISK, SECOND_DISK]


def test_auto_leaves_a_gateway_that_has_a_cache_alone(sgw):
    expect_existing(sgw)
    expect_cache(sgw, [DISK])
    expect_disks(sgw, disk(allocation="CACHE STORAGE"), disk(SECOND_DISK, path="/dev/sdc", node="SCSI (0:1)"))
    result = sgw(module.main, dict(NEW, allocate_cache="auto"), diff=True)
    assert result["changed"] is False
    assert result["cache_disk_ids"] == [DISK]
    assert result["diff"]["before"]["cache_disk_ids"] == [DISK]


def test_auto_without_an_available_disk_fails_clearly(sgw):
    expect_existing(sgw)
    expect_cache(sgw, [])
    expect_disks(sgw, disk(allocation="UPLOAD BUFFER"))
    result = sgw(module.main, dict(NEW, allocate_cache="auto"))
    assert result["failed"] is True
    assert "no local disk is AVAILABLE" in result["msg"]


def test_explicit_disks_are_added_by_path_and_relabelled_ids_are_read_back(sgw):
    expect_existing(sgw)
    expect_cache(sgw, [DISK])
    expect_disks(sgw, disk(allocation="CACHE STORAGE"), disk(SECOND_DISK, path="/dev/sdc", node="SCSI (0:1)"))
    expect_add_cache(sgw, [SECOND_DISK])
    expect_cache(sgw, [DISK, "a3c0e5b2-0000-4000-8000-000000000001"])
    result = sgw(module.main, dict(NEW, cache_disk_ids=[DISK, "/dev/sdc"]))
    assert result["changed"] is True
    assert result["cache_disk_ids"] == [DISK, "a3c0e5b2-0000-4000-8000-000000000001"]


def test_explicit_disks_already_in_the_cache_are_a_no_op_even_when_relabelled(sgw):
    relabelled = "a3c0e5b2-0000-4000-8000-000000000001"
    expect_existing(sgw)
    expect_cache(sgw, [relabelled])
    expect_disks(sgw, disk(relabelled, allocation="CACHE STORAGE"))
    result = sgw(module.main, dict(NEW, cache_disk_ids=["/dev/sdb"]))
    assert result["changed"] is False


def test_check_mode_reports_the_cache_it_would_allocate(sgw):
    expect_existing(sgw)
    expect_cache(sgw, [])
    expect_disks(sgw, disk())
    result = sgw(module.main, dict(NEW, cache_disk_ids=[DISK]), check_mode=True)
    assert result["changed"] is True
    assert result["cache_disk_ids"] == [DISK]


def test_check_mode_activation_reads_no_disks(sgw, fetch_key):
    expect_listed(sgw)
    result = sgw(module.main, dict(NEW, cache_disk_ids=[DISK]), check_mode=True)
    assert result["changed"] is True
    assert result["cache_disk_ids"] == [DISK]


@pytest.mark.parametrize(
    ("disks", "message"),
    [
        ([disk()], "The gateway has no local disk pci-0000:03:00.0-scsi-0:0:7:0 (its disks: pci-0000:03:00.0-scsi-0:0:0:0)"),
        ([disk("pci-0000:03:00.0-scsi-0:0:7:0", allocation="UPLOAD BUFFER")], "is allocated as UPLOAD BUFFER"),
    ],
)
def test_unknown_or_otherwise_allocated_disks_fail_clearly(sgw, disks, message):
    expect_existing(sgw)
    expect_cache(sgw, [])
    expect_disks(sgw, *disks)
    result = sgw(module.main, dict(NEW, cache_disk_ids=["pci-0000:03:00.0-scsi-0:0:7:0"]))
    assert result["failed"] is True
    assert message in result["msg"]


def test_add_cache_refused_by_aws_is_reported(sgw):
    expect_existing(sgw)
    expect_cache(sgw, [])
    expect_disks(sgw, disk())
    sgw.stubber.add_client_error(
        "add_cache",
        "InvalidGatewayRequestException",
        "The specified gateway is not connected.",
        expected_params={"GatewayARN": ARN, "DiskIds": [DISK]},
        modeled_fields={"error": {"errorCode": "GatewayNotConnected"}},
    )
    result = sgw(module.main, dict(NEW, allocate_cache="auto"))
    assert result["failed"] is True
    assert f"Failed to allocate disks ['{DISK}'] as cache of gateway {ARN}" in result["msg"]


def test_without_a_cache_option_no_disk_is_read(sgw):
    expect_existing(sgw)
    result = sgw(module.main, NEW)
    assert "cache_disk_ids" not in result


def test_an_activation_that_may_have_happened_is_found_by_name_not_repeated(sgw, fetch_key):
    """A 500 on ActivateGateway that activated the gateway: ListGateways finds it, the one-time key is not sent again."""
    expect_listed(sgw)
    sgw.stubber.add_client_error("activate_gateway", "InternalServerError", http_status_code=500)
    expect_listed(sgw, LISTED)
    expect_described(sgw)
    expect_described(sgw)
    result = sgw(module.main, NEW)
    assert fetch_key.call_count == 1
    assert (result["changed"], result["gateway_arn"]) == (True, ARN)


def test_an_activation_that_did_not_happen_is_tried_again(sgw, fetch_key):
    expect_listed(sgw)
    sgw.stubber.add_client_error("activate_gateway", "InternalServerError", http_status_code=500)
    expect_listed(sgw)
    sgw.stubber.add_response("activate_gateway", {"GatewayARN": ARN}, None)
    expect_described(sgw)
    expect_described(sgw)
    assert sgw(module.main, NEW)["gateway_arn"] == ARN
