"""hybridcloud.aws.file_gateway against the emulator: check mode on an empty account, converge verified with S3, IAM
and Storage Gateway reads (private KMS bucket with Intelligent-Tiering archive tiers and lifecycle, least-privilege
gateway role, activated gateway with its cache disk allocated before the shares, NFS shares restricted to on-premises
networks), a no-op second run (bad input in test_bad_input_aws_network_data.py). Without a disaster recovery strategy (none, the default) the
bucket is not replicated and no call of the replication is made (test_role_file_gateway_replication.py converges
with one)."""

import json
from collections import Counter

import pytest

BUCKET = "hybridcloud-files-lab"
BUCKET_ARN = f"arn:aws:s3:::{BUCKET}"
APPLIANCE = "10.254.0.200"
ONPREM = ["192.168.10.0/24", "192.168.11.0/24"]
MEDIA_CLIENTS = ["192.168.30.0/24"]
TAGS = {"Project": "hybridcloud", "Environment": "lab"}
FACTS = [
    "file_gateway_arn",
    "file_gateway_address",
    "file_gateway_bucket_name",
    "file_gateway_role_arn",
    "file_gateway_shares",
    "file_gateway_allocated_cache_disk_ids",
]
APPLIANCE_DISK = "pci-0000:03:00.0-scsi-0:0:0:0"
ROLE = [
    {"name": "file gateway", "ansible.builtin.include_role": {"name": "hybridcloud.aws.file_gateway"}},
    {"name": "facts", "ansible.builtin.debug": {"msg": {fact: f"{{{{ {fact} }}}}" for fact in FACTS}}},
]
SHARES = [{"name": "data"}, {"name": "media", "squash": "AllSquash", "read_only": True, "client_cidrs": MEDIA_CLIENTS}]
# The S3, IAM, KMS and STS calls of the no-op second run, as they were before the bucket could be replicated (commit
# 45a3c1a): with strategy none the replication adds none.
NO_OP_CALLS_WITHOUT_REPLICATION = {
    "iam": {"GetRole": 2, "GetRolePolicy": 1, "ListAccountAliases": 1, "ListAttachedRolePolicies": 2, "ListInstanceProfilesForRole": 1, "ListRolePolicies": 3},
    "kms": {"DescribeKey": 1, "GetKeyPolicy": 1, "GetKeyRotationStatus": 1, "ListAliases": 1, "ListGrants": 1, "ListKeyPolicies": 1, "ListResourceTags": 1},
    "s3": {
        "GetBucketAccelerateConfiguration": 1,
        "GetBucketAcl": 1,
        "GetBucketEncryption": 2,
        "GetBucketIntelligentTieringConfiguration": 1,
        "GetBucketLifecycleConfiguration": 2,
        "GetBucketLogging": 1,
        "GetBucketOwnershipControls": 1,
        "GetBucketPolicy": 1,
        "GetBucketRequestPayment": 1,
        "GetBucketTagging": 1,
        "GetBucketVersioning": 1,
        "GetObjectLockConfiguration": 1,
        "GetPublicAccessBlock": 1,
        "HeadBucket": 1,
        "ListBucketInventoryConfigurations": 1,
    },
    "sts": {"GetCallerIdentity": 1},
}
REPLICATION_OPERATIONS = {"GetBucketReplication", "PutBucketReplication", "DeleteBucketReplication"}
EXTRA_VARS = {"file_gateway_bucket_name": BUCKET, "network_onprem_cidrs": ONPREM, "file_gateway_nfs_shares": SHARES, "hybridcloud_tags": TAGS}


@pytest.fixture
def activation_key(lab_api):
    status, answer = lab_api("POST", "/_lab/storagegateway/activation-keys", json={"gateway_address": APPLIANCE, "region": "us-east-1"})
    assert status == 200, answer
    return answer["activation_key"]


@pytest.fixture
def shares_need_a_cache(lab_api):
    """The strict lab setting: a share on a gateway without cache is refused, so created shares prove the cache came first."""
    assert lab_api("POST", "/_lab/storagegateway/settings", json={"require_cache_for_file_shares": True})[0] == 200


@pytest.fixture
def kms_key(aws):
    return aws("kms").create_key(Description="file gateway")["KeyMetadata"]["Arn"]


def converge(playbook, check=False, **extra):
    result = playbook(ROLE, check=check, extra_vars={**EXTRA_VARS, **extra})
    assert result.failed == 0, result.output
    return result


def document(value):
    return json.loads(value) if isinstance(value, str) else value


def assert_bucket_is_private_encrypted_and_tiered(s3, kms_key):
    assert s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    [encryption] = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"]
    assert encryption["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms_key}
    assert encryption["BucketKeyEnabled"] is True
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    assert s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    [deny] = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])["Statement"]
    assert (deny["Effect"], deny["Condition"]) == ("Deny", {"Bool": {"aws:SecureTransport": "false"}})
    assert {tag["Key"]: tag["Value"] for tag in s3.get_bucket_tagging(Bucket=BUCKET)["TagSet"]} == TAGS

    [tiering] = s3.list_bucket_intelligent_tiering_configurations(Bucket=BUCKET)["IntelligentTieringConfigurationList"]
    assert (tiering["Id"], tiering["Status"]) == ("archive", "Enabled")
    assert sorted((tier["AccessTier"], tier["Days"]) for tier in tiering["Tierings"]) == [("ARCHIVE_ACCESS", 90), ("DEEP_ARCHIVE_ACCESS", 180)]

    [rule] = s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    assert (rule["ID"], rule["Status"]) == ("intelligent-tiering", "Enabled")
    assert rule["Transitions"] == [{"Days": 0, "StorageClass": "INTELLIGENT_TIERING"}]
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30
    assert rule["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}


def assert_gateway_role_is_least_privilege(iam, role_arn, kms_key):
    role = iam.get_role(RoleName="hybridcloud-file-gateway")["Role"]
    assert role["Arn"] == role_arn
    [trust] = document(role["AssumeRolePolicyDocument"])["Statement"]
    assert trust["Principal"] == {"Service": "storagegateway.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    assert iam.list_attached_role_policies(RoleName="hybridcloud-file-gateway")["AttachedPolicies"] == []
    assert iam.list_role_policies(RoleName="hybridcloud-file-gateway")["PolicyNames"] == ["bucket-access"]
    policy = document(iam.get_role_policy(RoleName="hybridcloud-file-gateway", PolicyName="bucket-access")["PolicyDocument"])
    resources = {statement["Sid"]: statement["Resource"] for statement in policy["Statement"]}
    assert resources == {"Bucket": BUCKET_ARN, "Objects": f"{BUCKET_ARN}/*", "Key": kms_key}
    assert all(statement["Effect"] == "Allow" and "*" not in statement["Action"] for statement in policy["Statement"])


def test_check_mode_on_empty_account_mutates_nothing(playbook, mutating_calls, aws):
    result = converge(playbook, check=True, file_gateway_appliance_address=APPLIANCE)
    facts = result.task("facts")["result"]["msg"]
    assert (facts["file_gateway_arn"], facts["file_gateway_shares"], facts["file_gateway_allocated_cache_disk_ids"]) == ("", {}, [])
    assert aws("s3").list_buckets()["Buckets"] == []
    assert aws("storagegateway").list_gateways()["Gateways"] == []
    assert mutating_calls() == []


@pytest.mark.usefixtures("shares_need_a_cache")
def test_converge_verify_and_no_op_rerun(playbook, mutating_calls, aws, activation_key, kms_key):
    first = converge(playbook, file_gateway_activation_key=activation_key, file_gateway_kms_key_arn=kms_key)
    facts = first.task("facts")["result"]["msg"]
    assert facts["file_gateway_bucket_name"] == BUCKET
    assert_bucket_is_private_encrypted_and_tiered(aws("s3"), kms_key)
    assert_gateway_role_is_least_privilege(aws("iam"), facts["file_gateway_role_arn"], kms_key)

    sgw = aws("storagegateway")
    [gateway] = sgw.list_gateways()["Gateways"]
    assert (gateway["GatewayARN"], gateway["GatewayName"], gateway["GatewayType"]) == (facts["file_gateway_arn"], "hybridcloud-file-gateway", "FILE_S3")
    assert facts["file_gateway_address"] == APPLIANCE
    cache = sgw.describe_cache(GatewayARN=gateway["GatewayARN"])
    assert (cache["DiskIds"], cache["CacheAllocatedInBytes"]) == ([APPLIANCE_DISK], 150 * 1024**3)
    assert [disk["DiskAllocationType"] for disk in sgw.list_local_disks(GatewayARN=gateway["GatewayARN"])["Disks"]] == ["CACHE STORAGE"]
    assert facts["file_gateway_allocated_cache_disk_ids"] == [APPLIANCE_DISK]

    listed = sgw.list_file_shares(GatewayARN=gateway["GatewayARN"])["FileShareInfoList"]
    shares = {
        share["FileShareName"]: share for share in sgw.describe_nfs_file_shares(FileShareARNList=[s["FileShareARN"] for s in listed])["NFSFileShareInfoList"]
    }
    assert sorted(shares) == ["data", "media"]
    data, media = shares["data"], shares["media"]
    assert sorted(data["ClientList"]) == sorted(ONPREM) and data["Squash"] == "RootSquash" and data["ReadOnly"] is False
    assert sorted(media["ClientList"]) == MEDIA_CLIENTS and media["Squash"] == "AllSquash" and media["ReadOnly"] is True
    for name, share in shares.items():
        assert share["LocationARN"] == f"{BUCKET_ARN}/{name}/"
        assert share["Role"] == facts["file_gateway_role_arn"]
        assert share["DefaultStorageClass"] == "S3_INTELLIGENT_TIERING"
        assert (share["EncryptionType"], share["KMSKey"]) == ("SseKms", kms_key)
    assert facts["file_gateway_shares"] == {name: {"arn": share["FileShareARN"], "nfs_path": f"{APPLIANCE}:/{name}"} for name, share in shares.items()}

    # The activation key was single-use: the second run finds the gateway by name and changes nothing.
    calls_after_first = len(mutating_calls())
    second = converge(playbook, file_gateway_activation_key=activation_key, file_gateway_kms_key_arn=kms_key)
    assert second.changed == 0, [task["name"] for task in second.tasks if task["changed"]]
    assert len(mutating_calls()) == calls_after_first
    assert second.task("facts")["result"]["msg"] == facts

    # Strategy none: no replica bucket, no replication role, no replication call, no call beyond those of before.
    assert [bucket["Name"] for bucket in aws("s3").list_buckets()["Buckets"]] == [BUCKET]
    assert [role["RoleName"] for role in aws("iam").list_roles()["Roles"]] == ["hybridcloud-file-gateway"]
    assert not REPLICATION_OPERATIONS & {call["operation"] for call in first.api_calls + second.api_calls}
    calls = Counter((call["service"], call["operation"]) for call in second.api_calls if call["service"] in NO_OP_CALLS_WITHOUT_REPLICATION)
    assert calls == Counter({(service, operation): count for service, counts in NO_OP_CALLS_WITHOUT_REPLICATION.items() for operation, count in counts.items()})
