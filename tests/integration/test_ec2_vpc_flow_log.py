"""hybridcloud.aws.ec2_vpc_flow_log against the emulator: check mode, create, idempotence, tag update in place, a
changed setting deleting and re-creating the flow log, S3 delivery, delete; each verified with describe_flow_logs."""

import pytest

ROLE = "arn:aws:iam::123456789012:role/hybridcloud-vpc-flow-logs"
GROUP = "/hybridcloud/vpc-flow-logs"
BUCKET = "hybridlab-flow-logs"


@pytest.fixture
def ec2(aws):
    return aws("ec2")


@pytest.fixture
def vpc_id(ec2, aws):
    aws("logs").create_log_group(logGroupName=GROUP)
    return ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]


def flow_log_task(vpc_id, **options):
    args = {"resource_id": vpc_id, "name": "hybridcloud", "log_group_name": GROUP, "deliver_logs_permission_arn": ROLE, **options}
    return [{"name": "flow log", "hybridcloud.aws.ec2_vpc_flow_log": args}]


def flow_logs(ec2, vpc_id):
    return ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])["FlowLogs"]


def tags_of(flow_log):
    return {tag["Key"]: tag["Value"] for tag in flow_log.get("Tags", [])}


def test_check_mode_creates_nothing(ec2, vpc_id, playbook):
    result = playbook(flow_log_task(vpc_id, tags={"Project": "hc"}), check=True)
    assert result.failed == 0, result.output
    assert result.task("flow log")["changed"] is True
    assert flow_logs(ec2, vpc_id) == []
    assert result.mutating_calls == []


def test_create_then_no_op_then_tags_in_place_then_recreate_then_delete(ec2, vpc_id, playbook):
    created = playbook(flow_log_task(vpc_id, tags={"Project": "hc"}))
    assert created.failed == 0, created.output
    assert [call["operation"] for call in created.mutating_calls] == ["CreateFlowLogs"]
    (stored,) = flow_logs(ec2, vpc_id)
    assert (stored["FlowLogStatus"], stored["LogDestinationType"], stored["LogGroupName"]) == ("ACTIVE", "cloud-watch-logs", GROUP)
    assert (stored["TrafficType"], stored["MaxAggregationInterval"], stored["DeliverLogsPermissionArn"]) == ("ALL", 600, ROLE)
    assert tags_of(stored) == {"Name": "hybridcloud", "Project": "hc"}
    assert created.task("flow log")["result"]["flow_log"]["flow_log_id"] == stored["FlowLogId"]

    again = playbook(flow_log_task(vpc_id, tags={"Project": "hc"}))
    assert again.changed == 0, again.output
    assert again.mutating_calls == []

    retagged = playbook(flow_log_task(vpc_id, tags={"Project": "other"}))
    assert retagged.changed == 1, retagged.output
    (same,) = flow_logs(ec2, vpc_id)
    assert same["FlowLogId"] == stored["FlowLogId"]
    assert tags_of(same) == {"Name": "hybridcloud", "Project": "other"}
    assert {call["operation"] for call in retagged.mutating_calls} <= {"CreateTags", "DeleteTags"}

    # AWS cannot change the traffic type in place: the module deletes the flow log and creates a new one.
    recreated = playbook(flow_log_task(vpc_id, traffic_type="REJECT"), diff=True)
    assert recreated.changed == 1, recreated.output
    assert recreated.task("flow log")["result"]["recreated"] is True
    assert [call["operation"] for call in recreated.mutating_calls] == ["DeleteFlowLogs", "CreateFlowLogs"]
    (new,) = flow_logs(ec2, vpc_id)
    assert new["FlowLogId"] != stored["FlowLogId"]
    assert new["TrafficType"] == "REJECT"
    assert tags_of(new) == {"Name": "hybridcloud", "Project": "other"}

    deleted = playbook(flow_log_task(vpc_id, state="absent"))
    assert deleted.changed == 1, deleted.output
    assert flow_logs(ec2, vpc_id) == []
    assert playbook(flow_log_task(vpc_id, state="absent")).changed == 0


def test_s3_destination_identified_by_its_arn(ec2, vpc_id, aws, playbook):
    aws("s3").create_bucket(Bucket=BUCKET)
    task = [
        {
            "name": "flow log",
            "hybridcloud.aws.ec2_vpc_flow_log": {
                "resource_id": vpc_id,
                "log_destination_type": "s3",
                "log_destination": f"arn:aws:s3:::{BUCKET}",
                "max_aggregation_interval": 60,
            },
        }
    ]
    first = playbook(task)
    assert first.changed == 1, first.output
    (stored,) = flow_logs(ec2, vpc_id)
    assert (stored["LogDestinationType"], stored["LogDestination"], stored["MaxAggregationInterval"]) == ("s3", f"arn:aws:s3:::{BUCKET}", 60)
    second = playbook(task)
    assert second.changed == 0, second.output
    assert second.mutating_calls == []


def test_missing_bucket_is_reported_with_aws_reason(ec2, vpc_id, playbook):
    task = [
        {
            "name": "flow log",
            "hybridcloud.aws.ec2_vpc_flow_log": {"resource_id": vpc_id, "log_destination_type": "s3", "log_destination": "arn:aws:s3:::no-such-bucket-here"},
        }
    ]
    result = playbook(task)
    assert result.failed == 1
    assert "Failed to create a flow log" in result.task("flow log")["result"]["msg"]
    assert flow_logs(ec2, vpc_id) == []
