"""s3_bucket_replication against botocore's Stubber: read, write only what differs, refuse an unversioned source
bucket (also in check mode), delete, diff, bad options refused before any call."""

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import s3_bucket_replication as module

BUCKET = "acme-files"
ROLE = "arn:aws:iam::123456789012:role/acme-s3-replication"
KEY = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
API_RULE = {
    "ID": "dr",
    "Priority": 1,
    "Status": "Enabled",
    "Filter": {"Prefix": ""},
    "DeleteMarkerReplication": {"Status": "Disabled"},
    "Destination": {"Bucket": "arn:aws:s3:::acme-files-dr", "StorageClass": "STANDARD_IA"},
}
CONFIG = {"Role": ROLE, "Rules": [API_RULE]}
ARGS = {"bucket_name": BUCKET, "role_arn": ROLE, "rules": [{"id": "dr", "destination_bucket": "acme-files-dr", "storage_class": "STANDARD_IA"}]}


@pytest.fixture
def s3(module_run):
    return module_run("s3")


def expect_none(s3):
    s3.stubber.add_client_error("get_bucket_replication", "ReplicationConfigurationNotFoundError", http_status_code=404, expected_params={"Bucket": BUCKET})


def expect_config(s3, configuration):
    s3.stubber.add_response("get_bucket_replication", {"ReplicationConfiguration": configuration}, {"Bucket": BUCKET})


def expect_versioning(s3, status):
    s3.stubber.add_response("get_bucket_versioning", {"Status": status} if status else {}, {"Bucket": BUCKET})


def test_creates_the_configuration_on_a_versioned_bucket(s3):
    expect_none(s3)
    expect_versioning(s3, "Enabled")
    s3.stubber.add_response("put_bucket_replication", {}, {"Bucket": BUCKET, "ReplicationConfiguration": CONFIG})
    result = s3(module.main, ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == {}
    [rule] = result["replication_configuration"]["rules"]
    assert (rule["destination_bucket"], rule["storage_class"], rule["status"], rule["prefix"]) == ("arn:aws:s3:::acme-files-dr", "STANDARD_IA", "enabled", "")


def test_the_same_configuration_is_a_no_op_without_reading_versioning(s3):
    expect_config(s3, CONFIG)
    assert s3(module.main, ARGS)["changed"] is False


def test_a_bucket_name_or_its_arn_and_the_old_prefix_schema_compare_equal(s3):
    old_schema = {"Role": ROLE, "Rules": [dict({k: v for k, v in API_RULE.items() if k != "Filter"}, Prefix="")]}
    expect_config(s3, old_schema)
    args = dict(ARGS, rules=[dict(ARGS["rules"][0], destination_bucket="arn:aws:s3:::acme-files-dr")])
    assert s3(module.main, args)["changed"] is False


@pytest.mark.parametrize("status", [None, "Suspended"])
def test_an_unversioned_source_is_refused_clearly_also_in_check_mode(s3, status):
    expect_none(s3)
    expect_versioning(s3, status)
    result = s3(module.main, ARGS, check_mode=True)
    assert result["failed"] is True
    assert f"bucket {BUCKET} is not versioned (versioning: {status or 'never enabled'})" in result["msg"]


def test_invalid_request_from_aws_is_reported(s3):
    expect_none(s3)
    expect_versioning(s3, "Enabled")
    s3.stubber.add_client_error(
        "put_bucket_replication",
        "InvalidRequest",
        "Destination bucket must have versioning enabled.",
        expected_params={"Bucket": BUCKET, "ReplicationConfiguration": CONFIG},
    )
    result = s3(module.main, ARGS)
    assert result["failed"] is True
    assert "Failed to put the replication configuration of bucket acme-files" in result["msg"]
    assert "Destination bucket must have versioning enabled" in result["msg"]


def test_kms_replica_key_and_changes_are_written(s3):
    expect_config(s3, CONFIG)
    expect_versioning(s3, "Enabled")
    wanted_rule = dict(
        API_RULE,
        Filter={"Prefix": "exports/"},
        Destination={"Bucket": "arn:aws:s3:::acme-files-dr", "EncryptionConfiguration": {"ReplicaKmsKeyID": KEY}},
        SourceSelectionCriteria={"SseKmsEncryptedObjects": {"Status": "Enabled"}},
    )
    s3.stubber.add_response("put_bucket_replication", {}, {"Bucket": BUCKET, "ReplicationConfiguration": {"Role": ROLE, "Rules": [wanted_rule]}})
    args = dict(ARGS, rules=[{"id": "dr", "prefix": "exports/", "destination_bucket": "acme-files-dr", "replica_kms_key_id": KEY}])
    result = s3(module.main, args, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["rules"][0]["storage_class"] == "STANDARD_IA"
    assert result["replication_configuration"]["rules"][0]["replica_kms_key_id"] == KEY


def test_check_mode_writes_nothing(s3):
    expect_none(s3)
    expect_versioning(s3, "Enabled")
    result = s3(module.main, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["replication_configuration"]["role"] == ROLE


def test_absent_deletes_and_then_is_a_no_op(s3):
    expect_config(s3, CONFIG)
    s3.stubber.add_response("delete_bucket_replication", {}, {"Bucket": BUCKET})
    result = s3(module.main, {"bucket_name": BUCKET, "state": "absent"})
    assert (result["changed"], result["replication_configuration"]) == (True, {})
    expect_none(s3)
    assert s3(module.main, {"bucket_name": BUCKET, "state": "absent"})["changed"] is False


def test_throttling_is_retried(s3):
    s3.stubber.add_client_error("get_bucket_replication", "SlowDown", http_status_code=503, expected_params={"Bucket": BUCKET})
    expect_config(s3, CONFIG)
    assert s3(module.main, ARGS)["changed"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"role_arn": None}, "role_arn: None must be an IAM role ARN"),
        ({"role_arn": "acme-s3-replication"}, "role_arn: 'acme-s3-replication' must be an IAM role ARN"),
        ({"rules": []}, "rules: at least one rule is required"),
        ({"rules": [{"destination_bucket": "Bad_Bucket"}]}, "rules[0].destination_bucket: 'Bad_Bucket' must be a bucket name or ARN"),
        ({"rules": [{"destination_bucket": BUCKET}]}, "is the source bucket itself"),
        ({"rules": [{"destination_bucket": "a-dr", "priority": 2}, {"destination_bucket": "b-dr"}]}, "rules: the priorities [2, 2] are not distinct"),
        ({"rules": [{"destination_bucket": "a-dr", "replica_kms_key_id": "alias/dr"}]}, "rules[0].replica_kms_key_id: 'alias/dr' must be a KMS key ARN"),
    ],
)
def test_bad_options_fail_before_any_call(s3, args, message):
    result = s3(module.main, dict(ARGS, **args))
    assert result["failed"] is True
    assert message in result["msg"]
