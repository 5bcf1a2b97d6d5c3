"""hybridcloud.aws.storagegateway_nfs_file_share against the emulator: check mode, create with every field,
idempotence, update in place, a change that needs recreate, and delete, each verified with Storage Gateway API reads."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

APPLIANCE = "10.254.0.200"
BUCKET = "arn:aws:s3:::lab-share-bucket/backups/"
OTHER_BUCKET = "arn:aws:s3:::lab-share-bucket-v2/"
AUDIT = "arn:aws:logs:us-east-1:123456789012:log-group:/storagegateway/audit"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "storagegateway.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


@pytest.fixture
def sgw(aws):
    return aws("storagegateway")


@pytest.fixture
def lab(sgw, aws, lab_api):
    """An activated gateway at APPLIANCE, its buckets and the role it assumes."""
    aws("s3").create_bucket(Bucket="lab-share-bucket")
    aws("s3").create_bucket(Bucket="lab-share-bucket-v2")
    status, answer = lab_api("POST", "/_lab/storagegateway/activation-keys", json={"gateway_address": APPLIANCE, "region": "us-east-1"})
    assert status == 200, answer
    request = {"GatewayName": "lab-fgw", "GatewayTimezone": "GMT", "GatewayRegion": "us-east-1", "GatewayType": "FILE_S3"}
    gateway = sgw.activate_gateway(ActivationKey=answer["activation_key"], **request)["GatewayARN"]
    role = aws("iam").create_role(RoleName="LabFileGatewayRole", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    lab_api("DELETE", "/_lab/requests")  # the set-up is not the module's doing
    return SimpleNamespace(gateway=gateway, role=role)


def task(name, **options):
    return [{"name": name, "hybridcloud.aws.storagegateway_nfs_file_share": options}]


def shares(sgw, gateway):
    arns = [share["FileShareARN"] for share in sgw.list_file_shares(GatewayARN=gateway)["FileShareInfoList"]]
    return sgw.describe_nfs_file_shares(FileShareARNList=arns)["NFSFileShareInfoList"] if arns else []


def test_check_mode_creates_nothing(sgw, lab, playbook, mutating_calls):
    gateway, role = lab.gateway, lab.role
    options = {"gateway_arn": gateway, "file_share_name": "backups", "location_arn": BUCKET, "role_arn": role, "client_list": ["10.254.0.0/24"]}
    result = playbook(task("share", **options), check=True)
    assert result.failed == 0, result.output
    assert result.task("share")["changed"] is True
    assert result.task("share")["result"]["nfs_path"] == f"{APPLIANCE}:/backups"
    assert shares(sgw, gateway) == []
    assert mutating_calls() == []


def test_create_with_every_field_then_second_run_is_a_no_op(sgw, lab, aws, playbook, mutating_calls):
    gateway, role = lab.gateway, lab.role
    kms_key = aws("kms").create_key(Description="file gateway")["KeyMetadata"]["Arn"]
    options = {
        "gateway_arn": gateway,
        "file_share_name": "backups",
        "location_arn": BUCKET,
        "role_arn": role,
        "client_list": ["10.254.0.0/24", "10.30.0.0/16"],
        "squash": "AllSquash",
        "default_storage_class": "S3_STANDARD_IA",
        "encryption_type": "SseKms",
        "kms_key": kms_key,
        "object_acl": "bucket-owner-full-control",
        "read_only": False,
        "guess_mime_type_enabled": False,
        "requester_pays": False,
        "cache_stale_timeout": 300,
        "nfs_file_share_defaults": {"file_mode": "0640", "directory_mode": "0750", "owner_id": 1000, "group_id": 1000},
        "notification_policy": {"Upload": {"SettlingTimeInSeconds": 60}},
        "audit_destination_arn": AUDIT,
        "bucket_region": "us-east-1",
        "tags": {"env": "lab"},
        "wait": True,
    }
    first = playbook(task("share", **options))
    assert first.failed == 0, first.output
    assert first.changed == 1

    [stored] = shares(sgw, gateway)
    assert (stored["FileShareName"], stored["LocationARN"], stored["Role"]) == ("backups", BUCKET, role)
    assert sorted(stored["ClientList"]) == ["10.254.0.0/24", "10.30.0.0/16"]
    assert (stored["Squash"], stored["DefaultStorageClass"], stored["ObjectACL"]) == ("AllSquash", "S3_STANDARD_IA", "bucket-owner-full-control")
    assert (stored["EncryptionType"], stored["KMSKey"]) == ("SseKms", kms_key)
    assert (stored["ReadOnly"], stored["GuessMIMETypeEnabled"], stored["RequesterPays"]) == (False, False, False)
    assert stored["CacheAttributes"] == {"CacheStaleTimeoutInSeconds": 300}
    assert stored["NFSFileShareDefaults"] == {"FileMode": "0640", "DirectoryMode": "0750", "GroupId": 1000, "OwnerId": 1000}
    assert json.loads(stored["NotificationPolicy"]) == {"Upload": {"SettlingTimeInSeconds": 60}}
    assert (stored["AuditDestinationARN"], stored["BucketRegion"]) == (AUDIT, "us-east-1")
    assert stored["Tags"] == [{"Key": "env", "Value": "lab"}]
    returned = first.task("share")["result"]
    assert (returned["file_share_arn"], returned["file_share_id"]) == (stored["FileShareARN"], stored["FileShareId"])
    assert (returned["status"], returned["path"]) == ("AVAILABLE", "/backups")
    assert returned["nfs_path"] == f"{APPLIANCE}:/backups"

    calls_after_create = len(mutating_calls())
    second = playbook(task("share", **options))
    assert second.failed == 0, second.output
    assert second.changed == 0
    assert len(mutating_calls()) == calls_after_create


def test_update_in_place_recreate_and_delete(sgw, lab, playbook):
    gateway, role = lab.gateway, lab.role
    base = {"gateway_arn": gateway, "file_share_name": "backups", "role_arn": role}
    created = playbook(
        task("create", **base, location_arn=BUCKET, client_list=["10.254.0.0/24"], tags={"env": "lab"})
        + task(
            "update",
            **base,
            location_arn=BUCKET,
            client_list=["10.254.0.0/24", "10.40.0.0/16"],
            squash="NoSquash",
            read_only=True,
            nfs_file_share_defaults={"file_mode": "0644"},
            tags={"env": "prod"},
        )
    )
    assert created.failed == 0, created.output
    assert (created.task("create")["changed"], created.task("update")["changed"]) == (True, True)
    [stored] = shares(sgw, gateway)
    original_arn = stored["FileShareARN"]
    assert created.task("update")["result"]["file_share_arn"] == original_arn
    assert sorted(stored["ClientList"]) == ["10.254.0.0/24", "10.40.0.0/16"]
    assert (stored["Squash"], stored["ReadOnly"]) == ("NoSquash", True)
    assert stored["NFSFileShareDefaults"]["FileMode"] == "0644"
    assert stored["Tags"] == [{"Key": "env", "Value": "prod"}]

    moved = {**base, "location_arn": OTHER_BUCKET, "client_list": ["10.254.0.0/24"]}
    refused = playbook(task("move", **moved))
    assert refused.failed == 1
    assert "cannot change in place: location_arn" in refused.task("move")["result"]["msg"]
    assert [share["FileShareARN"] for share in shares(sgw, gateway)] == [original_arn]

    recreated = playbook(task("move", **moved, recreate=True))
    assert recreated.failed == 0, recreated.output
    [stored] = shares(sgw, gateway)
    assert stored["FileShareARN"] != original_arn
    assert stored["LocationARN"] == OTHER_BUCKET
    # The settings not given are carried over to the new share.
    assert (stored["Squash"], stored["ReadOnly"], stored["Tags"]) == ("RootSquash", True, [{"Key": "env", "Value": "prod"}])

    deleted = playbook(task("delete", **base, state="absent") + task("again", **base, state="absent"))
    assert deleted.failed == 0, deleted.output
    assert (deleted.task("delete")["changed"], deleted.task("again")["changed"]) == (True, False)
    assert shares(sgw, gateway) == []
