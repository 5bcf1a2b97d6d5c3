"""hybridcloud.aws.backup_restore_job against the botocore Stubber: the start with its idempotency token, the wait,
tagging what the job created (RDS, S3), a failed job, check mode, no wait, a throttled start retried with the same
token, and the timeout."""

import json
from datetime import datetime, timezone
from unittest import mock

import boto3
import pytest
from ansible.module_utils.basic import AnsibleModule
from botocore.stub import Stubber

from ansible_collections.hybridcloud.aws.plugins.module_utils.backup_restore import idempotency_token
from ansible_collections.hybridcloud.aws.plugins.modules import backup_restore_job as module
from ansible_collections.hybridcloud.aws.tests.unit.ansible_compat import patch_module_args

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

POINT = "arn:aws:rds:us-east-1:123456789012:snapshot:awsbackup:copyjob-0a1b2c3d"
BUCKET_POINT = "arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45"
ROLE = "arn:aws:iam::123456789012:role/hybridcloud-backup"
DB_ARN = "arn:aws:rds:us-east-1:123456789012:db:hcdrill-d1-postgres-abcdef"
RDS_ARGS = {
    "recovery_point_arn": POINT,
    "resource_type": "RDS",
    "iam_role_arn": ROLE,
    "metadata": {"DBInstanceIdentifier": "hcdrill-d1-postgres-abcdef", "Port": 5432},
    "tags": {"hybridcloud:dr-drill": "d1"},
}
METADATA = {"DBInstanceIdentifier": "hcdrill-d1-postgres-abcdef", "Port": "5432"}
TOKEN = idempotency_token(POINT, METADATA, "RDS")
CREATED = datetime(2026, 12, 3, 17, 0, 5, tzinfo=timezone.utc)


@pytest.fixture
def clients():
    made = {name: boto3.client(name, region_name="us-east-1", aws_access_key_id="unit", aws_secret_access_key="unit") for name in ("backup", "rds", "s3")}
    return made, {name: Stubber(client) for name, client in made.items()}


def run(clients, capsys, args, check_mode=False):
    made, stubbers = clients
    args = dict(args, region="us-east-1", _ansible_check_mode=check_mode)
    with (
        patch_module_args(args),
        mock.patch.object(AnsibleAWSModule, "client", side_effect=lambda name, **kw: made[name]),
        mock.patch("time.sleep"),
    ):
        for stubber in stubbers.values():
            stubber.activate()
        with pytest.raises(SystemExit) as exit_info:
            module.main()
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()
    result = json.loads(capsys.readouterr().out)
    result["rc"] = exit_info.value.code
    return result


def job(status, **more):
    answer = {"RestoreJobId": "J1", "RecoveryPointArn": POINT, "Status": status, "CreationDate": CREATED, "ResourceType": "RDS"}
    return dict(answer, **more)


def expect_start(backup, token=TOKEN, point=POINT, metadata=None, resource_type="RDS"):
    params = {"RecoveryPointArn": point, "Metadata": metadata or METADATA, "IamRoleArn": ROLE, "ResourceType": resource_type, "IdempotencyToken": token}
    backup.add_response("start_restore_job", {"RestoreJobId": "J1"}, params)


def test_starts_waits_and_tags_the_restored_db_instance(clients, capsys):
    stub = clients[1]
    expect_start(stub["backup"])
    for status, more in (("PENDING", {}), ("RUNNING", {"PercentDone": "40"}), ("RUNNING", {"PercentDone": "40"})):
        stub["backup"].add_response("describe_restore_job", job(status, **more), {"RestoreJobId": "J1"})
    done = job("COMPLETED", CompletionDate=datetime(2026, 12, 3, 17, 11, 45, tzinfo=timezone.utc), CreatedResourceArn=DB_ARN, PercentDone="100")
    stub["backup"].add_response("describe_restore_job", done, {"RestoreJobId": "J1"})
    stub["rds"].add_response("add_tags_to_resource", {}, {"ResourceName": DB_ARN, "Tags": [{"Key": "hybridcloud:dr-drill", "Value": "d1"}]})
    with mock.patch.object(AnsibleModule, "log") as log:
        result = run(clients, capsys, RDS_ARGS)
    # Polled every 15 s until the job ended; polls that saw the same are one entry; every poll logged.
    what = "restore job J1 to end"
    assert result["waited"] == [
        {
            "what": what,
            "seconds": 45.0,
            "polls": 4,
            "states": [
                {"state": "PENDING", "seconds": 0.0, "polls": 1},
                {"state": "RUNNING (40% done)", "seconds": 15.0, "polls": 2},
                {"state": "COMPLETED (100% done)", "seconds": 45.0, "polls": 1},
            ],
        }
    ]
    assert [call.args[0] for call in log.call_args_list if "waiting for" in call.args[0]] == [
        f"hybridcloud.aws: waiting for {what}: poll 1 after 0 s: PENDING",
        f"hybridcloud.aws: waiting for {what}: poll 2 after 15 s: RUNNING (40% done)",
        f"hybridcloud.aws: waiting for {what}: poll 3 after 30 s: RUNNING (40% done)",
        f"hybridcloud.aws: waiting for {what}: poll 4 after 45 s: COMPLETED (100% done)",
    ]
    assert (result["rc"], result["changed"], result["restore_job_id"], result["idempotency_token"]) == (0, True, "J1", TOKEN)
    assert result["restore_job"]["status"] == "COMPLETED"
    assert result["restore_job"]["created_resource_arn"] == DB_ARN
    assert (result["restore_job"]["creation_date"], result["restore_job"]["completion_date"]) == ("2026-12-03T17:00:05+00:00", "2026-12-03T17:11:45+00:00")


@pytest.mark.parametrize(("current", "merged"), [(None, [{"Key": "hybridcloud:dr-drill", "Value": "d1"}]), ([{"Key": "a", "Value": "1"}], None)])
def test_the_restored_bucket_is_tagged_keeping_its_tags(clients, capsys, current, merged):
    stub = clients[1]
    metadata = {"DestinationBucketName": "hcdrill-d1-files-abcdef", "NewBucket": "true"}
    expect_start(stub["backup"], idempotency_token(BUCKET_POINT, metadata, "S3"), BUCKET_POINT, metadata, "S3")
    stub["backup"].add_response(
        "describe_restore_job",
        dict(job("COMPLETED", CreatedResourceArn="arn:aws:s3:::hcdrill-d1-files-abcdef"), RecoveryPointArn=BUCKET_POINT),
        {"RestoreJobId": "J1"},
    )
    if current is None:
        stub["s3"].add_client_error("get_bucket_tagging", "NoSuchTagSet", http_status_code=404, expected_params={"Bucket": "hcdrill-d1-files-abcdef"})
    else:
        stub["s3"].add_response("get_bucket_tagging", {"TagSet": current}, {"Bucket": "hcdrill-d1-files-abcdef"})
    tag_set = merged or [{"Key": "a", "Value": "1"}, {"Key": "hybridcloud:dr-drill", "Value": "d1"}]
    stub["s3"].add_response("put_bucket_tagging", {}, {"Bucket": "hcdrill-d1-files-abcdef", "Tagging": {"TagSet": tag_set}})
    args = dict(RDS_ARGS, recovery_point_arn=BUCKET_POINT, resource_type="S3", metadata=metadata)
    result = run(clients, capsys, args)
    assert (result["rc"], result["restore_job"]["created_resource_arn"]) == (0, "arn:aws:s3:::hcdrill-d1-files-abcdef")


def test_a_failed_job_fails_the_task_with_the_job_and_tags_nothing(clients, capsys):
    stub = clients[1]
    expect_start(stub["backup"])
    stub["backup"].add_response("describe_restore_job", job("FAILED", StatusMessage="DB instance already exists"), {"RestoreJobId": "J1"})
    result = run(clients, capsys, RDS_ARGS)
    assert result["rc"] == 1 and result["failed"] is True
    assert result["msg"] == "Restore job J1 FAILED: DB instance already exists"
    assert result["restore_job"]["status_message"] == "DB instance already exists"
    assert result["waited"] == [{"what": "restore job J1 to end", "seconds": 0.0, "polls": 1, "states": [{"state": "FAILED", "seconds": 0.0, "polls": 1}]}]


def test_check_mode_makes_no_call(clients, capsys):
    result = run(clients, capsys, RDS_ARGS, check_mode=True)
    assert (result["rc"], result["changed"], result["restore_job_id"], result["restore_job"]) == (0, True, None, {})
    assert "waited" not in result


def test_without_waiting_reads_the_job_once_and_does_not_tag(clients, capsys):
    stub = clients[1]
    expect_start(stub["backup"], token="mine")
    stub["backup"].add_response("describe_restore_job", job("RUNNING"), {"RestoreJobId": "J1"})
    result = run(clients, capsys, dict(RDS_ARGS, wait=False, idempotency_token="mine"))
    assert (result["rc"], result["restore_job"]["status"], result["idempotency_token"]) == (0, "RUNNING", "mine")
    assert "waited" not in result


def test_a_throttled_start_is_retried_with_the_same_token(clients, capsys):
    stub = clients[1]
    params = {"RecoveryPointArn": POINT, "Metadata": METADATA, "IamRoleArn": ROLE, "ResourceType": "RDS", "IdempotencyToken": TOKEN}
    stub["backup"].add_client_error("start_restore_job", "ThrottlingException", http_status_code=400, expected_params=params)
    expect_start(stub["backup"])
    stub["backup"].add_response("describe_restore_job", job("COMPLETED", CreatedResourceArn=DB_ARN), {"RestoreJobId": "J1"})
    result = run(clients, capsys, dict(RDS_ARGS, tags=None))
    assert (result["rc"], result["restore_job"]["status"]) == (0, "COMPLETED")


def test_a_job_still_running_at_the_timeout_fails(clients, capsys):
    stub = clients[1]
    expect_start(stub["backup"])
    stub["backup"].add_response("describe_restore_job", job("RUNNING", PercentDone="40"), {"RestoreJobId": "J1"})
    with mock.patch("ansible_collections.hybridcloud.aws.plugins.module_utils.waiting.time.monotonic", side_effect=[0.0, 100.0]):
        result = run(clients, capsys, dict(RDS_ARGS, wait_timeout=60))
    assert result["rc"] == 1
    assert "Timeout after 60 s waiting for restore job J1 (status RUNNING, 40% done)" in result["msg"]
    # The clock read 100 s at the first answer (a slow DescribeRestoreJob): one poll, 100 s into the wait.
    assert result["waited"] == [
        {"what": "restore job J1 to end", "seconds": 100.0, "polls": 1, "states": [{"state": "RUNNING (40% done)", "seconds": 100.0, "polls": 1}]}
    ]


def test_an_error_while_waiting_fails_with_what_the_wait_saw(clients, capsys):
    stub = clients[1]
    expect_start(stub["backup"])
    stub["backup"].add_response("describe_restore_job", job("RUNNING"), {"RestoreJobId": "J1"})
    stub["backup"].add_client_error("describe_restore_job", "AccessDeniedException", "not authorized", http_status_code=400)
    result = run(clients, capsys, RDS_ARGS)
    assert result["rc"] == 1
    assert result["msg"].startswith("Failed to describe restore job J1")
    assert result["waited"] == [{"what": "restore job J1 to end", "seconds": 0.0, "polls": 1, "states": [{"state": "RUNNING", "seconds": 0.0, "polls": 1}]}]
