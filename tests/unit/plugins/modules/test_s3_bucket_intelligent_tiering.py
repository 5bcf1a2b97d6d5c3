import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import s3_bucket_intelligent_tiering as module

BUCKET = "acme-file-gateway"
CONFIG = {
    "Id": "archive",
    "Status": "Enabled",
    "Tierings": [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}, {"Days": 180, "AccessTier": "DEEP_ARCHIVE_ACCESS"}],
}
ARGS = {"bucket_name": BUCKET, "id": "archive", "archive_access_days": 90, "deep_archive_access_days": 180}
GET = {"Bucket": BUCKET, "Id": "archive"}


@pytest.fixture
def s3(module_run):
    return module_run("s3")


def expect_missing(s3):
    s3.stubber.add_client_error("get_bucket_intelligent_tiering_configuration", "NoSuchConfiguration", http_status_code=404, expected_params=GET)


def expect_existing(s3, configuration):
    s3.stubber.add_response("get_bucket_intelligent_tiering_configuration", {"IntelligentTieringConfiguration": configuration}, GET)


def test_creates_missing_configuration(s3):
    expect_missing(s3)
    s3.stubber.add_response("put_bucket_intelligent_tiering_configuration", {}, {"Bucket": BUCKET, "Id": "archive", "IntelligentTieringConfiguration": CONFIG})
    result = s3(module.main, ARGS, diff=True)
    assert result["changed"] is True
    assert result["intelligent_tiering_configuration"]["archive_access_days"] == 90
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["deep_archive_access_days"] == 180


def test_existing_identical_configuration_is_a_no_op(s3):
    expect_existing(s3, CONFIG)
    result = s3(module.main, ARGS)
    assert result["changed"] is False
    assert result["intelligent_tiering_configuration"]["status"] == "enabled"


def test_filter_order_from_api_does_not_cause_change(s3):
    configuration = dict(
        CONFIG,
        Filter={"And": {"Prefix": "exports/", "Tags": [{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}]}},
    )
    expect_existing(s3, configuration)
    result = s3(module.main, dict(ARGS, prefix="exports/", filter_tags={"a": "1", "b": "2"}))
    assert result["changed"] is False


def test_updates_changed_days_and_filter(s3):
    expect_existing(s3, CONFIG)
    wanted = dict(CONFIG, Tierings=[{"Days": 365, "AccessTier": "DEEP_ARCHIVE_ACCESS"}], Filter={"Tag": {"Key": "retention", "Value": "cold"}})
    s3.stubber.add_response("put_bucket_intelligent_tiering_configuration", {}, {"Bucket": BUCKET, "Id": "archive", "IntelligentTieringConfiguration": wanted})
    args = {"bucket_name": BUCKET, "id": "archive", "deep_archive_access_days": 365, "filter_tags": {"retention": "cold"}}
    result = s3(module.main, args, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["archive_access_days"] == 90
    assert result["diff"]["after"]["archive_access_days"] is None
    assert result["intelligent_tiering_configuration"]["filter_tags"] == {"retention": "cold"}


def test_check_mode_reports_change_without_writing(s3):
    expect_missing(s3)
    result = s3(module.main, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["intelligent_tiering_configuration"]["id"] == "archive"


def test_deletes_existing_configuration(s3):
    expect_existing(s3, CONFIG)
    s3.stubber.add_response("delete_bucket_intelligent_tiering_configuration", {}, GET)
    result = s3(module.main, {"bucket_name": BUCKET, "id": "archive", "state": "absent"})
    assert result["changed"] is True
    assert result["intelligent_tiering_configuration"] == {}


def test_absent_when_missing_is_a_no_op(s3):
    expect_missing(s3)
    result = s3(module.main, {"bucket_name": BUCKET, "id": "archive", "state": "absent"})
    assert result["changed"] is False


def test_check_mode_delete_does_not_call_delete(s3):
    expect_existing(s3, CONFIG)
    result = s3(module.main, {"bucket_name": BUCKET, "id": "archive", "state": "absent"}, check_mode=True)
    assert result["changed"] is True


def test_throttling_is_retried(s3):
    s3.stubber.add_client_error("get_bucket_intelligent_tiering_configuration", "SlowDown", http_status_code=503, expected_params=GET)
    expect_existing(s3, CONFIG)
    result = s3(module.main, ARGS)
    assert result["changed"] is False


def test_access_denied_is_reported_clearly(s3):
    s3.stubber.add_client_error("get_bucket_intelligent_tiering_configuration", "AccessDenied", "Access Denied", http_status_code=403, expected_params=GET)
    result = s3(module.main, ARGS)
    assert result["failed"] is True
    assert "Failed to get Intelligent-Tiering configuration archive of bucket acme-file-gateway" in result["msg"]
    assert result["error"]["code"] == "AccessDenied"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"archive_access_days": 30}, "archive_access_days must be between 90 and 730, got 30"),
        ({"deep_archive_access_days": 800}, "deep_archive_access_days must be between 180 and 730, got 800"),
        ({"archive_access_days": 200, "deep_archive_access_days": 190}, "deep_archive_access_days must be greater than archive_access_days"),
        ({"archive_access_days": None, "deep_archive_access_days": None}, "state=present needs archive_access_days"),
        ({"id": "x" * 65}, "id must be at most 64 characters long"),
    ],
)
def test_bad_input_fails_before_any_call(s3, args, message):
    result = s3(module.main, dict(ARGS, **args))
    assert result["failed"] is True
    assert message in result["msg"]
