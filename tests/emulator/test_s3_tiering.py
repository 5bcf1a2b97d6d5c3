"""S3 bucket Intelligent-Tiering configurations: stored, read back, listed, deleted and validated as AWS does."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

BUCKET = "lab-tiering-bucket"


def configuration(config_id="archive", status="Enabled", tierings=None, config_filter=None):
    config = {
        "Id": config_id,
        "Status": status,
        "Tierings": tierings if tierings is not None else [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}, {"Days": 180, "AccessTier": "DEEP_ARCHIVE_ACCESS"}],
    }
    if config_filter is not None:
        config["Filter"] = config_filter
    return config


@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET)
    return s3


def put(s3, config, query_id=None):
    s3.put_bucket_intelligent_tiering_configuration(Bucket=BUCKET, Id=query_id or config["Id"], IntelligentTieringConfiguration=config)


def error_of(raised):
    return raised.value.response["Error"]["Code"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.mark.parametrize(
    "config_filter",
    [
        None,
        {"Prefix": "logs/"},
        {"Tag": {"Key": "class", "Value": "cold"}},
        {"And": {"Prefix": "data/", "Tags": [{"Key": "class", "Value": "cold"}, {"Key": "team", "Value": "ops"}]}},
    ],
)
def test_configuration_is_stored_and_read_back(s3, config_filter):
    config = configuration(config_filter=config_filter)
    put(s3, config)
    stored = s3.get_bucket_intelligent_tiering_configuration(Bucket=BUCKET, Id="archive")["IntelligentTieringConfiguration"]
    assert stored == config


def test_full_lifecycle_create_list_update_delete(s3):
    put(s3, configuration("archive"))
    put(s3, configuration("deep", tierings=[{"Days": 365, "AccessTier": "DEEP_ARCHIVE_ACCESS"}], config_filter={"Prefix": "old/"}))
    listed = s3.list_bucket_intelligent_tiering_configurations(Bucket=BUCKET)
    assert listed["IsTruncated"] is False
    assert [c["Id"] for c in listed["IntelligentTieringConfigurationList"]] == ["archive", "deep"]

    put(s3, configuration("archive", status="Disabled", tierings=[{"Days": 730, "AccessTier": "ARCHIVE_ACCESS"}]))
    updated = s3.get_bucket_intelligent_tiering_configuration(Bucket=BUCKET, Id="archive")["IntelligentTieringConfiguration"]
    assert updated["Status"] == "Disabled"
    assert updated["Tierings"] == [{"Days": 730, "AccessTier": "ARCHIVE_ACCESS"}]

    s3.delete_bucket_intelligent_tiering_configuration(Bucket=BUCKET, Id="archive")
    listed = s3.list_bucket_intelligent_tiering_configurations(Bucket=BUCKET)["IntelligentTieringConfigurationList"]
    assert [c["Id"] for c in listed] == ["deep"]
    with pytest.raises(ClientError) as raised:
        s3.get_bucket_intelligent_tiering_configuration(Bucket=BUCKET, Id="archive")
    assert error_of(raised) == ("NoSuchConfiguration", 404)
    with pytest.raises(ClientError) as raised:
        s3.delete_bucket_intelligent_tiering_configuration(Bucket=BUCKET, Id="archive")
    assert error_of(raised) == ("NoSuchConfiguration", 404)


def test_empty_bucket_lists_nothing_and_configurations_are_per_bucket(client, s3):
    assert s3.list_bucket_intelligent_tiering_configurations(Bucket=BUCKET).get("IntelligentTieringConfigurationList", []) == []
    put(s3, configuration())
    s3.create_bucket(Bucket="lab-other-bucket")
    assert s3.list_bucket_intelligent_tiering_configurations(Bucket="lab-other-bucket").get("IntelligentTieringConfigurationList", []) == []


def test_listing_pages_by_continuation_token(s3):
    ids = [f"cfg-{n:03d}" for n in range(105)]
    for config_id in ids:
        put(s3, configuration(config_id, tierings=[{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}]))
    first = s3.list_bucket_intelligent_tiering_configurations(Bucket=BUCKET)
    assert first["IsTruncated"] is True
    assert len(first["IntelligentTieringConfigurationList"]) == 100
    second = s3.list_bucket_intelligent_tiering_configurations(Bucket=BUCKET, ContinuationToken=first["NextContinuationToken"])
    assert second["IsTruncated"] is False
    assert [c["Id"] for c in first["IntelligentTieringConfigurationList"] + second["IntelligentTieringConfigurationList"]] == ids


@pytest.mark.parametrize(
    ("config", "query_id", "code"),
    [
        (configuration("archive"), "other", "InvalidArgument"),
        (configuration(status="On"), None, "MalformedXML"),
        (configuration(tierings=[]), None, "MalformedXML"),
        (configuration(tierings=[{"Days": 89, "AccessTier": "ARCHIVE_ACCESS"}]), None, "InvalidArgument"),
        (configuration(tierings=[{"Days": 731, "AccessTier": "ARCHIVE_ACCESS"}]), None, "InvalidArgument"),
        (configuration(tierings=[{"Days": 179, "AccessTier": "DEEP_ARCHIVE_ACCESS"}]), None, "InvalidArgument"),
        (configuration(tierings=[{"Days": 731, "AccessTier": "DEEP_ARCHIVE_ACCESS"}]), None, "InvalidArgument"),
        (configuration(tierings=[{"Days": 90, "AccessTier": "GLACIER"}]), None, "MalformedXML"),
        (configuration(tierings=[{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}, {"Days": 100, "AccessTier": "ARCHIVE_ACCESS"}]), None, "InvalidArgument"),
        (configuration(config_filter={"Prefix": "a/", "Tag": {"Key": "k", "Value": "v"}}), None, "MalformedXML"),
        (configuration(config_filter={"And": {}}), None, "MalformedXML"),
    ],
)
def test_invalid_configurations_are_refused_and_nothing_is_stored(s3, config, query_id, code):
    with pytest.raises(ClientError) as raised:
        put(s3, config, query_id)
    assert error_of(raised) == (code, 400)
    assert s3.list_bucket_intelligent_tiering_configurations(Bucket=BUCKET).get("IntelligentTieringConfigurationList", []) == []


def test_boundary_days_are_accepted(s3):
    put(s3, configuration("low", tierings=[{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}, {"Days": 180, "AccessTier": "DEEP_ARCHIVE_ACCESS"}]))
    put(s3, configuration("high", tierings=[{"Days": 730, "AccessTier": "ARCHIVE_ACCESS"}, {"Days": 730, "AccessTier": "DEEP_ARCHIVE_ACCESS"}]))
    assert len(s3.list_bucket_intelligent_tiering_configurations(Bucket=BUCKET)["IntelligentTieringConfigurationList"]) == 2


@pytest.mark.parametrize("operation", ["put", "get", "list", "delete"])
def test_missing_bucket_answers_no_such_bucket(client, operation):
    s3 = client("s3")
    calls = {
        "put": lambda: s3.put_bucket_intelligent_tiering_configuration(
            Bucket="lab-missing-bucket", Id="archive", IntelligentTieringConfiguration=configuration()
        ),
        "get": lambda: s3.get_bucket_intelligent_tiering_configuration(Bucket="lab-missing-bucket", Id="archive"),
        "list": lambda: s3.list_bucket_intelligent_tiering_configurations(Bucket="lab-missing-bucket"),
        "delete": lambda: s3.delete_bucket_intelligent_tiering_configuration(Bucket="lab-missing-bucket", Id="archive"),
    }
    with pytest.raises(ClientError) as raised:
        calls[operation]()
    assert error_of(raised) == ("NoSuchBucket", 404)


def test_deleting_the_bucket_drops_its_configurations(s3):
    put(s3, configuration())
    s3.delete_bucket(Bucket=BUCKET)
    s3.create_bucket(Bucket=BUCKET)
    assert s3.list_bucket_intelligent_tiering_configurations(Bucket=BUCKET).get("IntelligentTieringConfigurationList", []) == []


def test_other_bucket_subresources_still_reach_moto(s3):
    put(s3, configuration())
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"data")
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]] == ["k"]
