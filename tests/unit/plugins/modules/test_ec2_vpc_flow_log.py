import pytest
from botocore.stub import ANY

from ansible_collections.hybridcloud.aws.plugins.modules import ec2_vpc_flow_log as module

VPC = "vpc-0123456789abcdef0"
ROLE = "arn:aws:iam::123456789012:role/hybridcloud-vpc-flow-logs"
GROUP = "/hybridcloud/vpc-flow-logs"
GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/hybridcloud/vpc-flow-logs"
BUCKET_ARN = "arn:aws:s3:::acme-flow-logs/hybridcloud/"
ARGS = {"resource_id": VPC, "name": "hybridcloud", "log_group_name": GROUP, "deliver_logs_permission_arn": ROLE, "tags": {"Project": "hc"}}
DESCRIBE = {"Filters": [{"Name": "resource-id", "Values": [VPC]}]}
TAGS = [{"Key": "Name", "Value": "hybridcloud"}, {"Key": "Project", "Value": "hc"}]


def flow_log(flow_log_id="fl-0000000000000000a", **overrides):
    found = {
        "FlowLogId": flow_log_id,
        "ResourceId": VPC,
        "TrafficType": "ALL",
        "LogDestinationType": "cloud-watch-logs",
        "LogGroupName": GROUP,
        "LogDestination": GROUP_ARN + ":*",
        "DeliverLogsPermissionArn": ROLE,
        "MaxAggregationInterval": 600,
        "LogFormat": "${version} ${account-id} ${interface-id}",
        "FlowLogStatus": "ACTIVE",
        "DeliverLogsStatus": "SUCCESS",
        "Tags": TAGS,
    }
    found.update(overrides)
    return found


@pytest.fixture
def ec2(module_run):
    return module_run("ec2")


def expect_flow_logs(ec2, *flow_logs):
    ec2.stubber.add_response("describe_flow_logs", {"FlowLogs": list(flow_logs)}, DESCRIBE)


def expect_create(ec2, answer, **request):
    wanted = {
        "ResourceIds": [VPC],
        "ResourceType": "VPC",
        "ClientToken": ANY,
        "TrafficType": "ALL",
        "LogDestinationType": "cloud-watch-logs",
        "LogGroupName": GROUP,
        "DeliverLogsPermissionArn": ROLE,
        "MaxAggregationInterval": 600,
        "TagSpecifications": [{"ResourceType": "vpc-flow-log", "Tags": TAGS}],
    }
    wanted.update(request)
    ec2.stubber.add_response("create_flow_logs", answer, {key: value for key, value in wanted.items() if value is not None})


def expect_read_back(ec2, found):
    ec2.stubber.add_response("describe_flow_logs", {"FlowLogs": [found]}, {"FlowLogIds": [found["FlowLogId"]]})


def test_creates_a_missing_flow_log_and_reads_it_back(ec2):
    expect_flow_logs(ec2)
    expect_create(ec2, {"FlowLogIds": ["fl-0000000000000000a"], "Unsuccessful": []})
    expect_read_back(ec2, flow_log())
    result = ec2(module.main, ARGS, diff=True)
    assert result["changed"] is True and result["recreated"] is False
    assert result["flow_log"]["flow_log_id"] == "fl-0000000000000000a"
    assert result["flow_log"]["log_destination"] == GROUP_ARN
    assert result["flow_log"]["tags"] == {"Name": "hybridcloud", "Project": "hc"}
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["log_group_name"] == GROUP


def test_check_mode_creates_nothing(ec2):
    expect_flow_logs(ec2)
    result = ec2(module.main, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["flow_log"]["flow_log_id"] is None
    assert result["flow_log"]["tags"] == {"Name": "hybridcloud", "Project": "hc"}


def test_identical_flow_log_is_a_no_op(ec2):
    expect_flow_logs(ec2, flow_log())
    result = ec2(module.main, ARGS)
    assert result["changed"] is False
    assert result["flow_log"]["flow_log_status"] == "ACTIVE"


def test_flow_log_of_another_name_is_left_alone(ec2):
    other = flow_log("fl-0000000000000000b", Tags=[{"Key": "Name", "Value": "audit"}], LogGroupName="/audit", TrafficType="REJECT")
    expect_flow_logs(ec2, other)
    expect_create(ec2, {"FlowLogIds": ["fl-0000000000000000a"], "Unsuccessful": []})
    expect_read_back(ec2, flow_log())
    result = ec2(module.main, ARGS)
    assert result["changed"] is True and result["recreated"] is False


def test_only_tags_differ_updates_them_in_place(ec2):
    expect_flow_logs(ec2, flow_log(Tags=[{"Key": "Name", "Value": "hybridcloud"}, {"Key": "Old", "Value": "x"}]))
    ec2.stubber.add_response("delete_tags", {}, {"Resources": ["fl-0000000000000000a"], "Tags": [{"Key": "Old"}]})
    ec2.stubber.add_response("create_tags", {}, {"Resources": ["fl-0000000000000000a"], "Tags": [{"Key": "Project", "Value": "hc"}]})
    expect_read_back(ec2, flow_log())
    result = ec2(module.main, ARGS)
    assert result["changed"] is True and result["recreated"] is False
    assert result["flow_log"]["tags"] == {"Name": "hybridcloud", "Project": "hc"}


@pytest.mark.parametrize(
    ("option", "value", "stored"),
    [
        ("traffic_type", "REJECT", {"TrafficType": "REJECT"}),
        ("max_aggregation_interval", 60, {"MaxAggregationInterval": 60}),
        ("log_group_name", "/other", {"LogGroupName": "/other"}),
        ("deliver_logs_permission_arn", ROLE + "-2", {"DeliverLogsPermissionArn": ROLE + "-2"}),
        ("log_format", "${srcaddr} ${dstaddr}", {"LogFormat": "${srcaddr} ${dstaddr}"}),
    ],
)
def test_a_changed_setting_deletes_and_recreates(ec2, option, value, stored):
    expect_flow_logs(ec2, flow_log())
    ec2.stubber.add_response("delete_flow_logs", {"Unsuccessful": []}, {"FlowLogIds": ["fl-0000000000000000a"]})
    request_member = module.SETTINGS[option]
    expect_create(ec2, {"FlowLogIds": ["fl-0000000000000000c"], "Unsuccessful": []}, **{request_member: value})
    expect_read_back(ec2, flow_log("fl-0000000000000000c", **stored))
    result = ec2(module.main, dict(ARGS, **{option: value}), diff=True)
    assert result["changed"] is True and result["recreated"] is True
    assert result["flow_log"]["flow_log_id"] == "fl-0000000000000000c"
    assert result["diff"]["before"][option] != result["diff"]["after"][option] == value


def test_check_mode_recreation_calls_nothing_that_mutates(ec2):
    expect_flow_logs(ec2, flow_log())
    result = ec2(module.main, dict(ARGS, traffic_type="ACCEPT"), check_mode=True)
    assert result["changed"] is True and result["recreated"] is True
    assert result["flow_log"]["traffic_type"] == "ACCEPT"


def test_unsuccessful_creation_fails_with_aws_reason(ec2):
    expect_flow_logs(ec2)
    unsuccessful = [{"ResourceId": VPC, "Error": {"Code": "400", "Message": "Access Denied for LogDestination"}}]
    expect_create(ec2, {"FlowLogIds": [], "Unsuccessful": unsuccessful})
    result = ec2(module.main, ARGS)
    assert result["failed"] is True
    assert "Failed to create a flow log" in result["msg"] and "Access Denied for LogDestination" in result["msg"]


def test_s3_flow_log_identified_by_destination(ec2):
    s3_log = flow_log(LogDestinationType="s3", LogDestination=BUCKET_ARN, LogGroupName=None, DeliverLogsPermissionArn=None, Tags=[])
    del s3_log["LogGroupName"], s3_log["DeliverLogsPermissionArn"]
    expect_flow_logs(ec2, s3_log)
    result = ec2(module.main, {"resource_id": VPC, "log_destination_type": "s3", "log_destination": BUCKET_ARN})
    assert result["changed"] is False
    assert result["flow_log"]["log_destination"] == BUCKET_ARN


def test_absent_deletes_every_match_and_then_is_a_no_op(ec2):
    expect_flow_logs(ec2, flow_log(), flow_log("fl-0000000000000000b"))
    ec2.stubber.add_response("delete_flow_logs", {"Unsuccessful": []}, {"FlowLogIds": ["fl-0000000000000000a"]})
    ec2.stubber.add_response("delete_flow_logs", {"Unsuccessful": []}, {"FlowLogIds": ["fl-0000000000000000b"]})
    assert ec2(module.main, {"resource_id": VPC, "name": "hybridcloud", "state": "absent"})["changed"] is True
    expect_flow_logs(ec2)
    assert ec2(module.main, {"resource_id": VPC, "name": "hybridcloud", "state": "absent"})["changed"] is False


def test_two_matches_fail_instead_of_guessing(ec2):
    expect_flow_logs(ec2, flow_log(), flow_log("fl-0000000000000000b"))
    result = ec2(module.main, ARGS)
    assert result["failed"] is True
    assert "fl-0000000000000000a, fl-0000000000000000b" in result["msg"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"resource_id": VPC, "log_group_name": GROUP}, "needs deliver_logs_permission_arn"),
        ({"resource_id": VPC, "deliver_logs_permission_arn": ROLE}, "needs log_group_name or log_destination"),
        ({"resource_id": VPC, "log_destination_type": "s3"}, "needs log_destination"),
        ({"resource_id": VPC, "log_destination_type": "s3", "log_destination": BUCKET_ARN, "deliver_logs_permission_arn": ROLE}, "uses the bucket policy"),
        ({"resource_id": VPC, "state": "absent"}, "to identify the flow log"),
    ],
)
def test_bad_options_fail_before_any_call(ec2, args, message):
    result = ec2(module.main, args)
    assert result["failed"] is True
    assert message in result["msg"]


def test_recreation_without_tags_keeps_the_old_tags(ec2):
    expect_flow_logs(ec2, flow_log())
    ec2.stubber.add_response("delete_flow_logs", {"Unsuccessful": []}, {"FlowLogIds": ["fl-0000000000000000a"]})
    expect_create(ec2, {"FlowLogIds": ["fl-0000000000000000c"], "Unsuccessful": []}, TrafficType="ACCEPT")
    expect_read_back(ec2, flow_log("fl-0000000000000000c", TrafficType="ACCEPT"))
    args = {key: value for key, value in ARGS.items() if key != "tags"}
    result = ec2(module.main, dict(args, traffic_type="ACCEPT"))
    assert result["recreated"] is True
    assert result["flow_log"]["tags"] == {"Name": "hybridcloud", "Project": "hc"}
