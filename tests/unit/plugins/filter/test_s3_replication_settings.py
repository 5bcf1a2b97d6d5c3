"""s3_replication_settings: the replication role's trust and least-privilege policies and the rule, as data."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.hybridcloud.aws.plugins.filter.s3_replication_settings import FilterModule

settings = FilterModule().filters()["s3_replication_settings"]

ACCOUNT = "123456789012"
SOURCE_KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1111aaaa-0000-4000-8000-000000000001"
REPLICA_KEY = f"arn:aws:kms:us-west-2:{ACCOUNT}:key/2222bbbb-0000-4000-8000-000000000002"
SPEC = {
    "account_id": ACCOUNT,
    "role_name": "files-replication",
    "source_bucket": "acme-files",
    "source_region": "us-east-1",
    "destination_bucket": "acme-files-dr",
    "destination_region": "us-west-2",
    "storage_class": "INTELLIGENT_TIERING",
}


def by_sid(document):
    return {statement["Sid"]: statement for statement in document["Statement"]}


def test_sse_s3_buckets_get_the_s3_permissions_on_the_two_buckets_only():
    result = settings(SPEC)
    assert result["role_arn"] == f"arn:aws:iam::{ACCOUNT}:role/files-replication"
    assert (result["source_bucket_arn"], result["destination_bucket_arn"]) == ("arn:aws:s3:::acme-files", "arn:aws:s3:::acme-files-dr")
    assert result["trust_policy"] == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    statements = by_sid(result["role_policy"])
    assert {sid: (s["Action"], s["Resource"]) for sid, s in statements.items()} == {
        "SourceBucket": (["s3:GetReplicationConfiguration", "s3:ListBucket"], "arn:aws:s3:::acme-files"),
        "SourceObjects": (
            ["s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging"],
            "arn:aws:s3:::acme-files/*",
        ),
        "ReplicaObjects": (["s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"], "arn:aws:s3:::acme-files-dr/*"),
    }
    assert all(s["Effect"] == "Allow" and "Condition" not in s for s in statements.values())
    assert result["rules"] == [
        {
            "id": "dr",
            "status": "enabled",
            "prefix": "",
            "destination_bucket": "arn:aws:s3:::acme-files-dr",
            "delete_marker_replication": True,
            "storage_class": "INTELLIGENT_TIERING",
        }
    ]
    assert result["kms_objects_replicated"] is False


def test_kms_keys_are_used_only_through_s3_in_their_region_for_their_bucket():
    result = settings({**SPEC, "source_kms_key_arn": SOURCE_KEY, "replica_kms_key_arn": REPLICA_KEY})
    statements = by_sid(result["role_policy"])
    assert statements["SourceKey"] == {
        "Sid": "SourceKey",
        "Effect": "Allow",
        "Action": ["kms:Decrypt"],
        "Resource": SOURCE_KEY,
        "Condition": {
            "StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"},
            "StringLike": {"kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::acme-files", "arn:aws:s3:::acme-files/*"]},
        },
    }
    assert statements["ReplicaKey"]["Action"] == ["kms:Encrypt"]
    assert statements["ReplicaKey"]["Resource"] == REPLICA_KEY
    assert statements["ReplicaKey"]["Condition"] == {
        "StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"},
        "StringLike": {"kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::acme-files-dr", "arn:aws:s3:::acme-files-dr/*"]},
    }
    [rule] = result["rules"]
    assert rule["replica_kms_key_id"] == REPLICA_KEY
    assert result["kms_objects_replicated"] is True


def test_without_a_replica_key_no_kms_permission_is_granted():
    """S3 leaves KMS-encrypted objects out without a replica key: the source key's Decrypt would serve nothing."""
    result = settings({**SPEC, "source_kms_key_arn": SOURCE_KEY})
    assert sorted(by_sid(result["role_policy"])) == ["ReplicaObjects", "SourceBucket", "SourceObjects"]
    assert "replica_kms_key_id" not in result["rules"][0]
    assert result["kms_objects_replicated"] is False


def test_partition_rule_options_and_china_endpoints():
    spec = {
        **SPEC,
        "partition": "aws-cn",
        "source_region": "cn-north-1",
        "destination_region": "cn-northwest-1",
        "replica_kms_key_arn": f"arn:aws-cn:kms:cn-northwest-1:{ACCOUNT}:key/abc",
        "rule_id": "files",
        "storage_class": "",
        "delete_marker_replication": False,
    }
    result = settings(spec)
    assert result["role_arn"].startswith("arn:aws-cn:iam::")
    assert by_sid(result["role_policy"])["ReplicaKey"]["Condition"]["StringEquals"] == {"kms:ViaService": "s3.cn-northwest-1.amazonaws.com.cn"}
    [rule] = result["rules"]
    assert (rule["id"], rule["delete_marker_replication"], "storage_class" in rule) == ("files", False, False)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"destination_bucket": "acme-files"}, "destination_bucket: 'acme-files' is the source bucket itself"),
        ({"destination_bucket": "Acme"}, "destination_bucket: 'Acme' must be a bucket name"),
        ({"account_id": "123"}, "account_id: '123' must be a 12-digit account id"),
        ({"destination_region": ""}, "destination_region: '' must be a region name"),
        ({"replica_kms_key_arn": SOURCE_KEY}, f"replica_kms_key_arn: {SOURCE_KEY!r} must be a key in destination_region us-west-2"),
        ({"source_kms_key_arn": "alias/files"}, "source_kms_key_arn: 'alias/files' must be a KMS key ARN"),
        ({"storage_class": "COLD"}, "storage_class: 'COLD' must be one of"),
        ({"role_name": "x" * 65}, "role_name"),
    ],
)
def test_invalid_input_fails_naming_the_key(bad, message):
    with pytest.raises(AnsibleFilterError, match="s3_replication_settings: ") as error:
        settings({**SPEC, **bad})
    assert message in str(error.value)


def test_not_a_dict_fails():
    with pytest.raises(AnsibleFilterError, match="takes a dict"):
        settings("acme-files")
