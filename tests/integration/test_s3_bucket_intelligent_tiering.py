"""hybridcloud.aws.s3_bucket_intelligent_tiering against the emulator: check mode, create, idempotence,
update, delete, each verified with S3 API reads."""

import pytest

BUCKET = "hybridlab-tiering"


def tiering_task(**options):
    return [{"name": "tiering", "hybridcloud.aws.s3_bucket_intelligent_tiering": {"bucket_name": BUCKET, "id": "archive", **options}}]


@pytest.fixture
def s3(aws):
    client = aws("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


def configurations(s3):
    return s3.list_bucket_intelligent_tiering_configurations(Bucket=BUCKET).get("IntelligentTieringConfigurationList", [])


def test_check_mode_on_empty_bucket_changes_nothing(s3, playbook):
    result = playbook(tiering_task(archive_access_days=90), check=True)
    assert result.failed == 0, result.output
    assert result.task("tiering")["changed"] is True
    assert configurations(s3) == []
    assert result.mutating_calls == []


def test_create_is_stored_and_second_run_is_a_no_op(s3, playbook):
    first = playbook(tiering_task(archive_access_days=90, deep_archive_access_days=180, prefix="exports/"))
    assert first.failed == 0, first.output
    assert first.changed == 1

    stored = s3.get_bucket_intelligent_tiering_configuration(Bucket=BUCKET, Id="archive")["IntelligentTieringConfiguration"]
    assert stored["Status"] == "Enabled"
    assert stored["Filter"] == {"Prefix": "exports/"}
    assert sorted((t["AccessTier"], t["Days"]) for t in stored["Tierings"]) == [("ARCHIVE_ACCESS", 90), ("DEEP_ARCHIVE_ACCESS", 180)]

    assert [call["operation"] for call in first.mutating_calls] == ["PutBucketIntelligentTieringConfiguration"]
    second = playbook(tiering_task(archive_access_days=90, deep_archive_access_days=180, prefix="exports/"))
    assert second.failed == 0, second.output
    assert second.changed == 0
    assert second.mutating_calls == []


def test_update_and_delete(s3, playbook):
    assert playbook(tiering_task(archive_access_days=90)).failed == 0
    updated = playbook(tiering_task(deep_archive_access_days=365, filter_tags={"retention": "cold"}, status="disabled"), diff=True)
    assert updated.changed == 1, updated.output
    stored = s3.get_bucket_intelligent_tiering_configuration(Bucket=BUCKET, Id="archive")["IntelligentTieringConfiguration"]
    assert stored["Status"] == "Disabled"
    assert stored["Tierings"] == [{"Days": 365, "AccessTier": "DEEP_ARCHIVE_ACCESS"}]
    assert stored["Filter"] == {"Tag": {"Key": "retention", "Value": "cold"}}

    deleted = playbook(tiering_task(state="absent"))
    assert deleted.changed == 1, deleted.output
    assert configurations(s3) == []
    assert playbook(tiering_task(state="absent")).changed == 0
