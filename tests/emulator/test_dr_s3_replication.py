"""S3 replication that copies: PENDING on the source, a background worker copies the object to the destination
bucket in another region (REPLICA, same version id and metadata), COMPLETED or FAILED; held while a region is down."""

from __future__ import annotations

import time

import pytest

ROLE = "arn:aws:iam::123456789012:role/lab-s3-replication"


@pytest.fixture
def buckets(client, lab_api):
    east, west = client("s3", "us-east-1"), client("s3", "us-west-2")
    east.create_bucket(Bucket="lab-primary")
    west.create_bucket(Bucket="lab-dr", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    for s3, name in ((east, "lab-primary"), (west, "lab-dr")):
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    rule = {"ID": "dr", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": "data/"}, "DeleteMarkerReplication": {"Status": "Disabled"}}
    east.put_bucket_replication(
        Bucket="lab-primary",
        ReplicationConfiguration={"Role": ROLE, "Rules": [{**rule, "Destination": {"Bucket": "arn:aws:s3:::lab-dr", "StorageClass": "STANDARD_IA"}}]},
    )
    assert lab_api("POST", "/_lab/s3/replication", {"delay_seconds": 0.2})[0] == 200
    return east, west


def status_when_settled(s3, key, bucket="lab-primary", timeout=5.0):
    deadline = time.monotonic() + timeout
    while True:
        status = s3.head_object(Bucket=bucket, Key=key).get("ReplicationStatus")
        if status != "PENDING" or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


def test_new_objects_are_copied_to_the_destination_region(buckets):
    east, west = buckets
    put = east.put_object(Bucket="lab-primary", Key="data/canary-1", Body=b"row 1", ContentType="text/plain", Metadata={"canary": "1"})
    east.put_object(Bucket="lab-primary", Key="logs/not-selected", Body=b"x")
    assert east.head_object(Bucket="lab-primary", Key="data/canary-1")["ReplicationStatus"] == "PENDING"

    assert status_when_settled(east, "data/canary-1") == "COMPLETED"
    copy = west.get_object(Bucket="lab-dr", Key="data/canary-1")
    assert copy["Body"].read() == b"row 1"
    assert (copy["ReplicationStatus"], copy["VersionId"], copy["ContentType"]) == ("REPLICA", put["VersionId"], "text/plain")
    assert (copy["Metadata"], copy["StorageClass"]) == ({"canary": "1"}, "STANDARD_IA")

    assert "ReplicationStatus" not in east.head_object(Bucket="lab-primary", Key="logs/not-selected")
    assert [o["Key"] for o in west.list_objects_v2(Bucket="lab-dr")["Contents"]] == ["data/canary-1"]


def test_objects_stay_pending_while_the_destination_region_is_down(buckets, lab_api):
    east, west = buckets
    assert lab_api("POST", "/_lab/regions/us-west-2/outage", {"down": True})[0] == 200
    east.put_object(Bucket="lab-primary", Key="data/canary-2", Body=b"row 2")
    time.sleep(0.6)
    assert east.head_object(Bucket="lab-primary", Key="data/canary-2")["ReplicationStatus"] == "PENDING"
    assert lab_api("GET", "/_lab/s3/replication")[1]["pending"] == 1

    assert lab_api("POST", "/_lab/regions/us-west-2/outage", {"down": False})[0] == 200
    assert status_when_settled(east, "data/canary-2") == "COMPLETED"
    assert west.get_object(Bucket="lab-dr", Key="data/canary-2")["Body"].read() == b"row 2"
    assert lab_api("GET", "/_lab/s3/replication")[1] == {"delay_seconds": 0.2, "paused": False, "pending": 0, "completed": 1, "failed": 0}


def test_a_missing_destination_fails_and_settings_are_validated(buckets, lab_api):
    east, west = buckets
    for version in west.list_object_versions(Bucket="lab-dr").get("Versions", []):
        west.delete_object(Bucket="lab-dr", Key=version["Key"], VersionId=version["VersionId"])
    west.delete_bucket(Bucket="lab-dr")
    east.put_object(Bucket="lab-primary", Key="data/canary-3", Body=b"row 3")
    assert status_when_settled(east, "data/canary-3") == "FAILED"
    assert lab_api("POST", "/_lab/s3/replication", {"delay_seconds": -1})[0] == 400
    assert lab_api("POST", "/_lab/s3/replication", {"paused": "no"})[0] == 400
    assert lab_api("POST", "/_lab/s3/replication", {"speed": 1})[0] == 400


def test_the_configuration_is_read_back_as_it_was_put(client):
    east = client("s3", "us-east-1")
    east.create_bucket(Bucket="lab-source")
    east.put_bucket_versioning(Bucket="lab-source", VersioningConfiguration={"Status": "Enabled"})
    key = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    rules = [
        {
            "ID": "share",
            "Priority": 2,
            "Status": "Enabled",
            "Filter": {"Prefix": "share/"},
            "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
            "DeleteMarkerReplication": {"Status": "Enabled"},
            "Destination": {"Bucket": "arn:aws:s3:::lab-dr", "StorageClass": "STANDARD_IA", "EncryptionConfiguration": {"ReplicaKmsKeyID": key}},
        },
        {
            "ID": "tagged",
            "Priority": 1,
            "Status": "Disabled",
            "Filter": {"And": {"Prefix": "x/", "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}},
            "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": {"Bucket": "arn:aws:s3:::lab-dr"},
        },
    ]
    east.put_bucket_replication(Bucket="lab-source", ReplicationConfiguration={"Role": ROLE, "Rules": rules})
    assert east.get_bucket_replication(Bucket="lab-source")["ReplicationConfiguration"] == {"Role": ROLE, "Rules": rules}
    east.delete_bucket_replication(Bucket="lab-source")
    with pytest.raises(east.exceptions.ClientError) as raised:
        east.get_bucket_replication(Bucket="lab-source")
    assert raised.value.response["Error"]["Code"] == "ReplicationConfigurationNotFoundError"
