"""hybridcloud.aws.file_gateway with a disaster recovery strategy (pilot_light, DR region us-west-2) against a private
emulator: the file share's bucket replicated to a replica bucket in the DR region. One module-scoped converge on an
empty account, shared by the tests: check mode first (no mutating call), then the converge, read back with S3 and IAM
calls in both regions (the replica bucket versioned, encrypted with the DR region's key, private and tiered as the
source; the least-privilege replication role; the source's replication configuration), an object put into the source
arriving in the replica (the emulator replicates asynchronously), and a second run with no change and no mutating
call. The input of the replication is checked before any AWS call. Strategy none (no replication call at all) is
asserted in test_role_file_gateway.py, whose converge runs without a strategy."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from integration.conftest import playbook_runner
from integration.test_role_file_gateway import BUCKET, BUCKET_ARN, ONPREM, TAGS, document
from support.iam_actions import deployer_policy, missing_actions

PRIMARY, DR = "us-east-1", "us-west-2"
REPLICA = f"{BUCKET}-dr"
REPLICA_ARN = f"arn:aws:s3:::{REPLICA}"
REPLICATION_ROLE = "hybridcloud-file-gateway-replication"
APPLIANCE = "10.254.0.210"
FACTS = ["file_gateway_bucket_name", "file_gateway_replica_bucket_arn", "file_gateway_replication_role_arn", "file_gateway_role_arn"]
ROLE = [
    {"name": "file gateway", "ansible.builtin.include_role": {"name": "hybridcloud.aws.file_gateway"}},
    {"name": "facts", "ansible.builtin.debug": {"msg": {fact: f"{{{{ {fact} }}}}" for fact in FACTS}}},
]
EXTRA_VARS = {
    "aws_region": PRIMARY,
    "hybridcloud_dr_strategy": "pilot_light",
    "hybridcloud_dr_region": DR,
    "file_gateway_bucket_name": BUCKET,
    "network_onprem_cidrs": ONPREM,
    "hybridcloud_tags": TAGS,
}
TASK = "hybridcloud.aws.file_gateway : "
REPLICATION_TASKS = [
    "Ensure the replica bucket in the DR region",
    "Find out whether the replica bucket exists",
    "Ensure the replica's Intelligent-Tiering archive configuration",
    "Ensure the replica's lifecycle rule",
    "Ensure the role S3 assumes to replicate",
    "Ensure the replication role may replicate the bucket and nothing else",
    "Replicate the bucket to the DR region",
]
CANARY = "data/canary.txt"


@pytest.fixture(autouse=True)
def reset_emulator() -> None:
    """Overrides the suite's reset before each test: the tests read one converge (reset once, below)."""


def wait_for_replica(west: Any, key: str, timeout: float = 15.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(item["Key"] == key for item in west.list_objects_v2(Bucket=REPLICA).get("Contents", [])):
            return west.get_object(Bucket=REPLICA, Key=key)
        time.sleep(0.1)
    raise AssertionError(f"{key} did not reach {REPLICA} in {DR} within {timeout} s")


@pytest.fixture(scope="module")
def dr(emulator_endpoint: str, lab_api: Callable[..., tuple[int, Any]], aws: Callable[..., Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    for method, path in (("POST", "/_lab/reset"), ("DELETE", "/_lab/faults"), ("DELETE", "/_lab/requests")):
        assert lab_api(method, path)[0] == 200
    playbook = playbook_runner(emulator_endpoint, lab_api, tmp_path_factory.mktemp("replication"))
    source_key = aws("kms", region=PRIMARY).create_key(Description="file share")["KeyMetadata"]["Arn"]
    replica_key = aws("kms", region=DR).create_key(Description="file share replica")["KeyMetadata"]["Arn"]
    status, answer = lab_api("POST", "/_lab/storagegateway/activation-keys", json={"gateway_address": APPLIANCE, "region": PRIMARY})
    assert status == 200, answer
    assert lab_api("POST", "/_lab/s3/replication", json={"delay_seconds": 0.1})[0] == 200
    extra = {
        **EXTRA_VARS,
        "file_gateway_activation_key": answer["activation_key"],
        "file_gateway_kms_key_arn": source_key,
        "file_gateway_replica_kms_key_arn": replica_key,
    }
    runs = {}
    started = time.monotonic()
    for name, check in (("check", True), ("first", False), ("second", False)):
        runs[name] = playbook(ROLE, check=check, extra_vars=extra)
        assert runs[name].failed == 0, runs[name].output
        if name == "check":
            runs["buckets_after_check"] = [bucket["Name"] for bucket in aws("s3").list_buckets()["Buckets"]]
            runs["roles_after_check"] = [role["RoleName"] for role in aws("iam").list_roles()["Roles"]]
    runs["seconds"] = time.monotonic() - started
    east, west = aws("s3", region=PRIMARY), aws("s3", region=DR)
    # The buckets' policies deny every request without TLS, and the emulator answers plain HTTP: they are read here,
    # then removed so that the test can write into the source and read the replica.
    runs["replica_policy"] = json.loads(west.get_bucket_policy(Bucket=REPLICA)["Policy"])
    east.delete_bucket_policy(Bucket=BUCKET)
    west.delete_bucket_policy(Bucket=REPLICA)
    runs["put"] = east.put_object(Bucket=BUCKET, Key=CANARY, Body=b"written on premises", Metadata={"share": "data"})
    runs["replica"] = wait_for_replica(west, CANARY)
    runs["replica_body"] = runs["replica"]["Body"].read()
    # The source turns COMPLETED just after the copy is written.
    deadline = time.monotonic() + 5
    while east.head_object(Bucket=BUCKET, Key=CANARY).get("ReplicationStatus") == "PENDING" and time.monotonic() < deadline:
        time.sleep(0.1)
    runs["source_head"] = east.head_object(Bucket=BUCKET, Key=CANARY)
    runs.update(source_key=source_key, replica_key=replica_key)
    print(f"check mode, converge and second run with pilot_light in {runs['seconds']:.1f} s")
    return runs


def facts(run: Any) -> dict[str, Any]:
    return run.task("facts")["result"]["msg"]


def test_check_mode_on_an_empty_account_plans_without_a_mutating_call(dr: dict[str, Any]) -> None:
    check = dr["check"]
    assert check.mutating_calls == []
    assert (dr["buckets_after_check"], dr["roles_after_check"]) == ([], [])
    assert check.task(TASK + "Ensure the role S3 assumes to replicate")["changed"] is True
    # Nothing to read yet: the source bucket and the replication role do not exist.
    for skipped in ("Replicate the bucket to the DR region", "Ensure the replication role may replicate the bucket and nothing else"):
        assert check.task(TASK + skipped)["result"].get("skipped") is True, skipped
    assert facts(check)["file_gateway_replication_role_arn"] == ""


def test_the_replica_bucket_is_in_the_dr_region_versioned_private_encrypted_and_tiered(dr: dict[str, Any], aws: Callable[..., Any]) -> None:
    west = aws("s3", region=DR)
    assert west.get_bucket_location(Bucket=REPLICA)["LocationConstraint"] == DR
    assert west.get_bucket_versioning(Bucket=REPLICA)["Status"] == "Enabled"
    [encryption] = west.get_bucket_encryption(Bucket=REPLICA)["ServerSideEncryptionConfiguration"]["Rules"]
    assert encryption["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": dr["replica_key"]}
    assert encryption["BucketKeyEnabled"] is True
    assert west.get_public_access_block(Bucket=REPLICA)["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"], True
    )
    assert west.get_bucket_ownership_controls(Bucket=REPLICA)["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    [deny] = dr["replica_policy"]["Statement"]
    assert (deny["Effect"], deny["Condition"], sorted(deny["Resource"])) == (
        "Deny",
        {"Bool": {"aws:SecureTransport": "false"}},
        [REPLICA_ARN, f"{REPLICA_ARN}/*"],
    )
    assert {tag["Key"]: tag["Value"] for tag in west.get_bucket_tagging(Bucket=REPLICA)["TagSet"]} == TAGS

    # The same Intelligent-Tiering archive configuration and lifecycle rule as the source's.
    east = aws("s3", region=PRIMARY)
    for name in ("list_bucket_intelligent_tiering_configurations", "get_bucket_lifecycle_configuration"):
        source, replica = getattr(east, name)(Bucket=BUCKET), getattr(west, name)(Bucket=REPLICA)
        for answer in (source, replica):
            answer.pop("ResponseMetadata")
        assert replica == source, name
    [tiering] = west.list_bucket_intelligent_tiering_configurations(Bucket=REPLICA)["IntelligentTieringConfigurationList"]
    assert sorted((tier["AccessTier"], tier["Days"]) for tier in tiering["Tierings"]) == [("ARCHIVE_ACCESS", 90), ("DEEP_ARCHIVE_ACCESS", 180)]


def test_the_replication_role_is_least_privilege(dr: dict[str, Any], aws: Callable[..., Any]) -> None:
    iam = aws("iam")
    role = iam.get_role(RoleName=REPLICATION_ROLE)["Role"]
    assert role["Arn"] == facts(dr["first"])["file_gateway_replication_role_arn"]
    assert document(role["AssumeRolePolicyDocument"])["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]
    assert {tag["Key"]: tag["Value"] for tag in iam.list_role_tags(RoleName=REPLICATION_ROLE)["Tags"]} == TAGS
    assert iam.list_attached_role_policies(RoleName=REPLICATION_ROLE)["AttachedPolicies"] == []
    assert iam.list_role_policies(RoleName=REPLICATION_ROLE)["PolicyNames"] == ["replication"]
    policy = document(iam.get_role_policy(RoleName=REPLICATION_ROLE, PolicyName="replication")["PolicyDocument"])
    statements = {statement["Sid"]: statement for statement in policy["Statement"]}
    assert {sid: (sorted(s["Action"]), s["Resource"]) for sid, s in statements.items()} == {
        "SourceBucket": (["s3:GetReplicationConfiguration", "s3:ListBucket"], BUCKET_ARN),
        "SourceObjects": (["s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging"], f"{BUCKET_ARN}/*"),
        "ReplicaObjects": (["s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"], f"{REPLICA_ARN}/*"),
        "SourceKey": (["kms:Decrypt"], dr["source_key"]),
        "ReplicaKey": (["kms:Encrypt"], dr["replica_key"]),
    }
    assert statements["SourceKey"]["Condition"]["StringEquals"] == {"kms:ViaService": f"s3.{PRIMARY}.amazonaws.com"}
    assert statements["ReplicaKey"]["Condition"]["StringEquals"] == {"kms:ViaService": f"s3.{DR}.amazonaws.com"}
    assert all(statement["Effect"] == "Allow" for statement in policy["Statement"])


def test_the_source_replicates_the_whole_bucket_to_the_replica(dr: dict[str, Any], aws: Callable[..., Any]) -> None:
    configuration = aws("s3", region=PRIMARY).get_bucket_replication(Bucket=BUCKET)["ReplicationConfiguration"]
    assert configuration["Role"] == facts(dr["first"])["file_gateway_replication_role_arn"]
    assert configuration["Role"] == f"arn:aws:iam::123456789012:role/{REPLICATION_ROLE}"
    [rule] = configuration["Rules"]
    assert (rule["ID"], rule["Status"], rule["Priority"], rule["Filter"]) == ("dr", "Enabled", 1, {"Prefix": ""})
    assert rule["DeleteMarkerReplication"] == {"Status": "Enabled"}
    assert rule["Destination"] == {
        "Bucket": REPLICA_ARN,
        "StorageClass": "INTELLIGENT_TIERING",
        "EncryptionConfiguration": {"ReplicaKmsKeyID": dr["replica_key"]},
    }
    assert rule["SourceSelectionCriteria"] == {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
    assert facts(dr["first"])["file_gateway_replica_bucket_arn"] == REPLICA_ARN


def test_an_object_put_into_the_source_arrives_in_the_replica(dr: dict[str, Any]) -> None:
    replica = dr["replica"]
    assert dr["replica_body"] == b"written on premises"
    assert (replica["VersionId"], replica["ReplicationStatus"], replica["StorageClass"]) == (dr["put"]["VersionId"], "REPLICA", "INTELLIGENT_TIERING")
    assert replica["Metadata"] == {"share": "data"}
    assert dr["source_head"]["ReplicationStatus"] == "COMPLETED"


def test_a_second_run_changes_nothing_and_makes_no_mutating_call(dr: dict[str, Any]) -> None:
    second = dr["second"]
    assert second.changed == 0, [task["name"] for task in second.tasks if task["changed"]]
    assert second.mutating_calls == []
    assert facts(second) == facts(dr["first"])
    ran = {task["name"].removeprefix(TASK) for task in second.tasks if not task["result"].get("skipped")}
    assert set(REPLICATION_TASKS) - {"Find out whether the replica bucket exists"} <= ran


def test_the_deployer_policy_allows_every_call(dr: dict[str, Any]) -> None:
    calls = [(call["service"], call["operation"]) for name in ("check", "first", "second") for call in dr[name].api_calls]
    assert ("s3", "PutBucketReplication") in calls
    assert missing_actions(deployer_policy(), calls) == []


@pytest.mark.parametrize(
    ("bad", "messages"),
    [
        (
            # Every problem at once, before any AWS call.
            {
                "file_gateway_kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/1111aaaa-0000-4000-8000-000000000001",
                "file_gateway_replica_bucket_name": BUCKET,
                "hybridcloud_dr_region": PRIMARY,
            },
            [
                "file_gateway_replica_kms_key_arn: '' is required when file_gateway_kms_key_arn is set",
                f"file_gateway_replica_bucket_name: '{BUCKET}' must name a bucket other than file_gateway_bucket_name",
                "file_gateway_dr_region: 'us-east-1' must name a region other than the primary region (file_gateway_region)",
            ],
        ),
        (
            # The replica's key is read in the DR region.
            {"file_gateway_replica_kms_key_arn": "arn:aws:kms:us-west-2:123456789012:key/2222bbbb-0000-4000-8000-000000000002"},
            [
                "file_gateway_replica_kms_key_arn: arn:aws:kms:us-west-2:123456789012:key/2222bbbb-0000-4000-8000-000000000002 is not an enabled "
                "KMS key of this account and region us-west-2"
            ],
        ),
    ],
    ids=["all-problems-at-once", "replica-key-missing-in-dr-region"],
)
def test_bad_replication_input_fails_before_any_change(playbook: Callable[..., Any], bad: dict[str, Any], messages: list[str]) -> None:
    result = playbook(ROLE, extra_vars={**EXTRA_VARS, **bad})
    assert result.failed == 1
    for message in messages:
        assert message in result.output
    assert result.mutating_calls == []
