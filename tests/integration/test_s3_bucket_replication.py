"""hybridcloud.aws.s3_bucket_replication against the emulator: an unversioned source is refused, check mode writes
nothing, the configuration is read back with GetBucketReplication, an object put into the source really appears in
the destination bucket in the other region (the emulator copies asynchronously), the second run is a no-op, absent
deletes it."""

import time

SOURCE, DESTINATION = "hybridlab-files", "hybridlab-files-dr"
ROLE = "arn:aws:iam::123456789012:role/hybridlab-s3-replication"
RULES = [{"id": "dr", "destination_bucket": DESTINATION, "storage_class": "STANDARD_IA"}]


def replication_task(**options):
    return [{"name": "replication", "hybridcloud.aws.s3_bucket_replication": {"bucket_name": SOURCE, **options}}]


def make_buckets(aws, versioned=True):
    east, west = aws("s3"), aws("s3", region="us-west-2")
    east.create_bucket(Bucket=SOURCE)
    west.create_bucket(Bucket=DESTINATION, CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    west.put_bucket_versioning(Bucket=DESTINATION, VersioningConfiguration={"Status": "Enabled"})
    if versioned:
        east.put_bucket_versioning(Bucket=SOURCE, VersioningConfiguration={"Status": "Enabled"})
    return east, west


def wait_for_replica(west, key, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listed = west.list_objects_v2(Bucket=DESTINATION).get("Contents", [])
        if any(item["Key"] == key for item in listed):
            return west.get_object(Bucket=DESTINATION, Key=key)
        time.sleep(0.1)
    raise AssertionError(f"{key} did not reach {DESTINATION} within {timeout} s")


def test_an_unversioned_source_is_refused_and_nothing_is_written(playbook, aws, mutating_calls):
    make_buckets(aws, versioned=False)
    calls_before = len(mutating_calls())
    for check in (True, False):
        result = playbook(replication_task(role_arn=ROLE, rules=RULES), check=check)
        assert result.failed == 1
        assert f"bucket {SOURCE} is not versioned (versioning: never enabled)" in result.output
    assert len(mutating_calls()) == calls_before
    assert "ReplicationConfiguration" not in str(aws("s3").list_buckets())


def test_check_mode_apply_read_back_objects_copied_and_no_op(playbook, aws, lab_api):
    east, west = make_buckets(aws)
    planned = playbook(replication_task(role_arn=ROLE, rules=RULES), check=True, diff=True)
    assert planned.failed == 0, planned.output
    assert planned.task("replication")["changed"] is True
    assert planned.mutating_calls == []

    first = playbook(replication_task(role_arn=ROLE, rules=RULES))
    assert first.failed == 0, first.output
    assert [call["operation"] for call in first.mutating_calls] == ["PutBucketReplication"]
    stored = east.get_bucket_replication(Bucket=SOURCE)["ReplicationConfiguration"]
    assert stored["Role"] == ROLE
    [rule] = stored["Rules"]
    assert (rule["ID"], rule["Status"], rule["Priority"]) == ("dr", "Enabled", 1)
    assert rule["Destination"] == {"Bucket": f"arn:aws:s3:::{DESTINATION}", "StorageClass": "STANDARD_IA"}

    for run in (playbook(replication_task(role_arn=ROLE, rules=RULES)), playbook(replication_task(role_arn=ROLE, rules=RULES), check=True)):
        assert (run.failed, run.changed, run.mutating_calls) == (0, 0, [])

    assert lab_api("POST", "/_lab/s3/replication", {"delay_seconds": 0.2})[0] == 200
    put = east.put_object(Bucket=SOURCE, Key="share/canary.txt", Body=b"written before the outage", Metadata={"canary": "1"})
    replica = wait_for_replica(west, "share/canary.txt")
    assert replica["Body"].read() == b"written before the outage"
    assert (replica["VersionId"], replica["ReplicationStatus"], replica["StorageClass"]) == (put["VersionId"], "REPLICA", "STANDARD_IA")


def test_a_changed_rule_is_written_and_absent_deletes(playbook, aws):
    east, _ = make_buckets(aws)
    assert playbook(replication_task(role_arn=ROLE, rules=RULES)).failed == 0
    changed = playbook(replication_task(role_arn=ROLE, rules=[{"id": "dr", "prefix": "share/", "destination_bucket": f"arn:aws:s3:::{DESTINATION}"}]))
    assert (changed.failed, changed.changed) == (0, 1), changed.output
    [rule] = east.get_bucket_replication(Bucket=SOURCE)["ReplicationConfiguration"]["Rules"]
    assert rule["Filter"] == {"Prefix": "share/"}
    assert "StorageClass" not in rule["Destination"]
    again = playbook(replication_task(role_arn=ROLE, rules=[{"id": "dr", "prefix": "share/", "destination_bucket": DESTINATION}]))
    assert (again.failed, again.changed, again.mutating_calls) == (0, 0, [])

    removed = playbook(replication_task(state="absent"))
    assert removed.failed == 0, removed.output
    assert [call["operation"] for call in removed.mutating_calls] == ["DeleteBucketReplication"]
    try:
        east.get_bucket_replication(Bucket=SOURCE)
        raise AssertionError("the replication configuration is still there")
    except east.exceptions.ClientError as error:
        assert error.response["Error"]["Code"] == "ReplicationConfigurationNotFoundError"
