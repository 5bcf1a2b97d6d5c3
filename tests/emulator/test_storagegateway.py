"""Storage Gateway: appliance activation keys, file gateways, local disks and cache, NFS file shares with AWS's
validation, tags, lab routes."""

from __future__ import annotations

import json
import time

import pytest
from botocore.exceptions import ClientError

APPLIANCE = "10.254.0.200"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "storagegateway.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


@pytest.fixture
def sgw(client):
    return client("storagegateway")


@pytest.fixture
def issue_key(lab_api):
    def issue(address=APPLIANCE, region="us-east-1", **extra):
        status, answer = lab_api("POST", "/_lab/storagegateway/activation-keys", json={"gateway_address": address, "region": region, **extra})
        assert status == 200, answer
        return answer["activation_key"]

    return issue


@pytest.fixture
def gateway(sgw, issue_key):
    return sgw.activate_gateway(ActivationKey=issue_key(), GatewayName="lab-fgw", GatewayTimezone="GMT", GatewayRegion="us-east-1", GatewayType="FILE_S3")[
        "GatewayARN"
    ]


@pytest.fixture
def bucket(client):
    client("s3").create_bucket(Bucket="lab-share-bucket")
    return "arn:aws:s3:::lab-share-bucket"


@pytest.fixture
def role(client):
    return client("iam").create_role(RoleName="LabFileGatewayRole", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]


@pytest.fixture
def share_target(gateway, role, bucket):
    return {"gateway": gateway, "role": role, "bucket": bucket}


def gateway_error(raised):
    """(exception code, operation error code) of an InvalidGatewayRequestException, as AWS sends both."""
    response = raised.value.response
    return response["Error"]["Code"], response.get("error", {}).get("errorCode")


def share_args(gateway, role, bucket, **overrides):
    return {"ClientToken": "lab-token-1", "GatewayARN": gateway, "Role": role, "LocationARN": bucket, **overrides}


# activation ------------------------------------------------------------------------------------------------------
def test_activated_gateway_is_described_with_the_appliance_address(sgw, issue_key):
    key = issue_key()
    arn = sgw.activate_gateway(
        ActivationKey=key,
        GatewayName="lab-fgw",
        GatewayTimezone="GMT+1:00",
        GatewayRegion="us-east-1",
        GatewayType="FILE_S3",
        Tags=[{"Key": "env", "Value": "lab"}],
    )["GatewayARN"]

    info = sgw.describe_gateway_information(GatewayARN=arn)
    assert arn.startswith("arn:aws:storagegateway:us-east-1:123456789012:gateway/sgw-")
    assert info["GatewayId"] == arn.rsplit("/", 1)[1]
    assert info["GatewayName"] == "lab-fgw"
    assert info["GatewayTimezone"] == "GMT+1:00"
    assert info["GatewayState"] == "RUNNING"
    assert info["GatewayType"] == "FILE_S3"
    assert info["GatewayNetworkInterfaces"][0]["Ipv4Address"] == APPLIANCE
    assert info["Tags"] == [{"Key": "env", "Value": "lab"}]
    [listed] = sgw.list_gateways()["Gateways"]
    assert (listed["GatewayARN"], listed["GatewayOperationalState"], listed["GatewayType"]) == (arn, "ACTIVE", "FILE_S3")


def test_activation_keys_are_single_use(sgw, issue_key):
    key = issue_key()
    sgw.activate_gateway(ActivationKey=key, GatewayName="first", GatewayTimezone="GMT", GatewayRegion="us-east-1", GatewayType="FILE_S3")
    with pytest.raises(ClientError) as raised:
        sgw.activate_gateway(ActivationKey=key, GatewayName="second", GatewayTimezone="GMT", GatewayRegion="us-east-1", GatewayType="FILE_S3")
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "ActivationKeyNotFound")
    assert [g["GatewayName"] for g in sgw.list_gateways()["Gateways"]] == ["first"]


def test_activation_keys_are_bound_to_their_region(client, sgw, issue_key):
    key = issue_key(region="eu-west-1")
    with pytest.raises(ClientError) as raised:
        sgw.activate_gateway(ActivationKey=key, GatewayName="gw", GatewayTimezone="GMT", GatewayRegion="us-east-1", GatewayType="FILE_S3")
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "ActivationKeyNotFound")
    with pytest.raises(ClientError) as raised:
        sgw.activate_gateway(ActivationKey=key, GatewayName="gw", GatewayTimezone="GMT", GatewayRegion="eu-west-1", GatewayType="FILE_S3")
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "RegionInvalid")

    eu = client("storagegateway", region="eu-west-1")
    eu.activate_gateway(ActivationKey=key, GatewayName="gw", GatewayTimezone="GMT", GatewayRegion="eu-west-1", GatewayType="FILE_S3")
    assert len(eu.list_gateways()["Gateways"]) == 1
    assert sgw.list_gateways()["Gateways"] == []


def test_expired_and_unknown_keys_are_refused(sgw, issue_key):
    expiring = issue_key(ttl_seconds=1)
    time.sleep(1.2)
    with pytest.raises(ClientError) as raised:
        sgw.activate_gateway(ActivationKey=expiring, GatewayName="gw", GatewayTimezone="GMT", GatewayRegion="us-east-1", GatewayType="FILE_S3")
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "ActivationKeyExpired")
    with pytest.raises(ClientError) as raised:
        sgw.activate_gateway(
            ActivationKey="AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", GatewayName="gw", GatewayTimezone="GMT", GatewayRegion="us-east-1", GatewayType="FILE_S3"
        )
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "ActivationKeyNotFound")


def test_only_file_gateways_are_activated_and_the_key_survives_a_refusal(sgw, issue_key):
    key = issue_key()
    for kwargs in ({"GatewayType": "STORED"}, {}):
        with pytest.raises(ClientError) as raised:
            sgw.activate_gateway(ActivationKey=key, GatewayName="gw", GatewayTimezone="GMT", GatewayRegion="us-east-1", **kwargs)
        assert gateway_error(raised) == ("InvalidGatewayRequestException", "NotSupported")
    with pytest.raises(ClientError) as raised:
        sgw.activate_gateway(ActivationKey=key, GatewayName="gw", GatewayTimezone="CET", GatewayRegion="us-east-1", GatewayType="FILE_S3")
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "InvalidParameters")
    sgw.activate_gateway(ActivationKey=key, GatewayName="gw", GatewayTimezone="GMT", GatewayRegion="us-east-1", GatewayType="FILE_S3")


def test_model_constraints_answer_validation_exception(sgw, issue_key):
    with pytest.raises(ClientError) as raised:
        sgw.activate_gateway(ActivationKey=issue_key(), GatewayName="bad/name", GatewayTimezone="GMT", GatewayRegion="us-east-1", GatewayType="FILE_S3")
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert "gatewayName" in raised.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    "body", [{"gateway_address": "not-an-ip", "region": "us-east-1"}, {"gateway_address": APPLIANCE, "region": "nowhere"}, {"region": "us-east-1"}]
)
def test_key_route_refuses_bad_requests(lab_api, body):
    status, answer = lab_api("POST", "/_lab/storagegateway/activation-keys", json=body)
    assert status == 400
    assert answer["error"]


# gateway lifecycle ------------------------------------------------------------------------------------------------
def test_update_gateway_information(sgw, gateway):
    log_group = "arn:aws:logs:us-east-1:123456789012:log-group:/lab/sgw"
    answer = sgw.update_gateway_information(GatewayARN=gateway, GatewayName="renamed", GatewayTimezone="GMT-5:00", CloudWatchLogGroupARN=log_group)
    assert answer["GatewayName"] == "renamed"
    info = sgw.describe_gateway_information(GatewayARN=gateway)
    assert (info["GatewayName"], info["GatewayTimezone"], info["CloudWatchLogGroupARN"]) == ("renamed", "GMT-5:00", log_group)

    with pytest.raises(ClientError) as raised:
        sgw.update_gateway_information(GatewayARN=gateway, CloudWatchLogGroupARN="arn:aws:s3:::not-a-log-group")
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "InvalidParameters")
    assert sgw.describe_gateway_information(GatewayARN=gateway)["CloudWatchLogGroupARN"] == log_group


def test_delete_gateway_removes_it_and_its_shares(sgw, gateway, role, bucket):
    sgw.create_nfs_file_share(**share_args(gateway, role, bucket))
    assert sgw.delete_gateway(GatewayARN=gateway)["GatewayARN"] == gateway
    assert sgw.list_gateways()["Gateways"] == []
    assert sgw.list_file_shares()["FileShareInfoList"] == []
    with pytest.raises(ClientError) as raised:
        sgw.describe_gateway_information(GatewayARN=gateway)
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "GatewayNotFound")


def test_list_gateways_pages_with_markers(sgw, issue_key):
    for n in range(3):
        sgw.activate_gateway(
            ActivationKey=issue_key(address=f"10.254.0.{201 + n}"),
            GatewayName=f"gw-{n}",
            GatewayTimezone="GMT",
            GatewayRegion="us-east-1",
            GatewayType="FILE_S3",
        )
    first = sgw.list_gateways(Limit=2)
    assert [g["GatewayName"] for g in first["Gateways"]] == ["gw-0", "gw-1"]
    second = sgw.list_gateways(Limit=2, Marker=first["Marker"])
    assert [g["GatewayName"] for g in second["Gateways"]] == ["gw-2"]
    assert "Marker" not in second
    pages = sgw.get_paginator("list_gateways").paginate(PaginationConfig={"PageSize": 1})
    assert [g["GatewayName"] for page in pages for g in page["Gateways"]] == ["gw-0", "gw-1", "gw-2"]


# local disks and cache ---------------------------------------------------------------------------------------------
APPLIANCE_DISK = "pci-0000:03:00.0-scsi-0:0:0:0"


def test_the_appliance_disk_is_available_until_it_is_allocated_as_cache(sgw, gateway):
    [disk] = sgw.list_local_disks(GatewayARN=gateway)["Disks"]
    assert (disk["DiskId"], disk["DiskPath"], disk["DiskNode"], disk["DiskStatus"]) == (APPLIANCE_DISK, "/dev/sdb", "SCSI (0:0)", "present")
    assert (disk["DiskSizeInBytes"], disk["DiskAllocationType"]) == (150 * 1024**3, "AVAILABLE")
    cache = sgw.describe_cache(GatewayARN=gateway)
    assert (cache["DiskIds"], cache["CacheAllocatedInBytes"]) == ([], 0)

    assert sgw.add_cache(GatewayARN=gateway, DiskIds=[APPLIANCE_DISK])["GatewayARN"] == gateway
    [disk] = sgw.list_local_disks(GatewayARN=gateway)["Disks"]
    assert disk["DiskAllocationType"] == "CACHE STORAGE"
    cache = sgw.describe_cache(GatewayARN=gateway)
    assert (cache["DiskIds"], cache["CacheAllocatedInBytes"], cache["CacheUsedPercentage"]) == ([APPLIANCE_DISK], 150 * 1024**3, 0.0)


def test_add_cache_refuses_unknown_and_allocated_disks_without_allocating_any(sgw, gateway, lab_api):
    status, added = lab_api("POST", f"/_lab/storagegateway/gateways/{gateway.rsplit('/', 1)[1]}/disks", json={"size_gib": 300})
    assert status == 200, added
    assert (added["DiskId"], added["DiskPath"], added["DiskSizeInBytes"]) == ("pci-0000:03:00.0-scsi-0:0:1:0", "/dev/sdc", 300 * 1024**3)
    with pytest.raises(ClientError) as raised:
        sgw.add_cache(GatewayARN=gateway, DiskIds=[added["DiskId"], "pci-0000:03:00.0-scsi-0:0:9:0"])
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "DiskDoesNotExist")
    assert sgw.describe_cache(GatewayARN=gateway)["DiskIds"] == []

    sgw.add_cache(GatewayARN=gateway, DiskIds=[APPLIANCE_DISK])
    with pytest.raises(ClientError) as raised:
        sgw.add_cache(GatewayARN=gateway, DiskIds=[added["DiskId"], APPLIANCE_DISK])
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "DiskAlreadyAllocated")
    assert [disk["DiskAllocationType"] for disk in sgw.list_local_disks(GatewayARN=gateway)["Disks"]] == ["CACHE STORAGE", "AVAILABLE"]
    with pytest.raises(ClientError) as raised:
        sgw.describe_cache(GatewayARN=gateway.replace(gateway.rsplit("/", 1)[1], "sgw-00000000"))
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "GatewayNotFound")


@pytest.mark.parametrize(("body", "status"), [({"size_gib": 0}, 400), ({"size_gib": "big"}, 400), (["x"], 400)])
def test_disk_route_refuses_bad_requests(lab_api, gateway, body, status):
    assert lab_api("POST", f"/_lab/storagegateway/gateways/{gateway.rsplit('/', 1)[1]}/disks", json=body)[0] == status
    assert lab_api("POST", "/_lab/storagegateway/gateways/sgw-00000000/disks", json={"size_gib": 150})[0] == 404


def test_shares_need_a_cache_only_when_the_lab_setting_asks_for_it(sgw, gateway, role, bucket, lab_api):
    assert lab_api("GET", "/_lab/storagegateway/settings") == (200, {"require_cache_for_file_shares": False})
    # As the AWS reference reads: no cache precondition.
    sgw.create_nfs_file_share(**share_args(gateway, role, bucket, FileShareName="without-cache"))
    assert lab_api("POST", "/_lab/storagegateway/settings", json={"require_cache_for_file_shares": True})[0] == 200
    with pytest.raises(ClientError) as raised:
        sgw.create_nfs_file_share(**share_args(gateway, role, bucket, ClientToken="lab-token-2", FileShareName="strict"))
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "NotSupported")
    assert "no cache" in raised.value.response["Error"]["Message"]
    sgw.add_cache(GatewayARN=gateway, DiskIds=[APPLIANCE_DISK])
    sgw.create_nfs_file_share(**share_args(gateway, role, bucket, ClientToken="lab-token-2", FileShareName="strict"))
    assert len(sgw.list_file_shares(GatewayARN=gateway)["FileShareInfoList"]) == 2
    assert lab_api("POST", "/_lab/storagegateway/settings", json={"require_cache_for_file_shares": "yes"})[0] == 400
    assert lab_api("POST", "/_lab/reset")[0] == 200
    assert lab_api("GET", "/_lab/storagegateway/settings") == (200, {"require_cache_for_file_shares": False})


# NFS file shares ---------------------------------------------------------------------------------------------------
def test_nfs_file_share_lifecycle(sgw, gateway, role, bucket, lab_api):
    sgw.add_cache(GatewayARN=gateway, DiskIds=[APPLIANCE_DISK])  # what a real gateway needs before its shares serve data
    arn = sgw.create_nfs_file_share(
        **share_args(gateway, role, bucket),
        NFSFileShareDefaults={"FileMode": "0644", "DirectoryMode": "0755", "GroupId": 1000, "OwnerId": 1000},
        DefaultStorageClass="S3_INTELLIGENT_TIERING",
        ClientList=["10.254.0.0/26", "192.168.10.5"],
        Squash="NoSquash",
        CacheAttributes={"CacheStaleTimeoutInSeconds": 300},
        FileShareName="projects",
        Tags=[{"Key": "env", "Value": "lab"}],
    )["FileShareARN"]

    [share] = sgw.describe_nfs_file_shares(FileShareARNList=[arn])["NFSFileShareInfoList"]
    assert share["FileShareId"] == arn.rsplit("/", 1)[1]
    assert share["FileShareStatus"] == "AVAILABLE"
    assert (share["GatewayARN"], share["Role"], share["LocationARN"]) == (gateway, role, bucket)
    assert share["Path"] == "/projects"
    assert share["ClientList"] == ["10.254.0.0/26", "192.168.10.5"]
    assert (share["Squash"], share["DefaultStorageClass"], share["ObjectACL"], share["ReadOnly"]) == ("NoSquash", "S3_INTELLIGENT_TIERING", "private", False)
    assert share["NFSFileShareDefaults"] == {"FileMode": "0644", "DirectoryMode": "0755", "GroupId": 1000, "OwnerId": 1000}
    assert share["CacheAttributes"] == {"CacheStaleTimeoutInSeconds": 300}
    assert share["Tags"] == [{"Key": "env", "Value": "lab"}]
    [listed] = sgw.list_file_shares(GatewayARN=gateway)["FileShareInfoList"]
    assert (listed["FileShareARN"], listed["FileShareType"], listed["FileShareStatus"]) == (arn, "NFS", "AVAILABLE")

    sgw.update_nfs_file_share(
        FileShareARN=arn, ClientList=["10.254.0.64/26"], Squash="RootSquash", ReadOnly=True, CacheAttributes={"CacheStaleTimeoutInSeconds": 0}
    )
    [share] = sgw.describe_nfs_file_shares(FileShareARNList=[arn])["NFSFileShareInfoList"]
    assert (share["ClientList"], share["Squash"], share["ReadOnly"]) == (["10.254.0.64/26"], "RootSquash", True)
    assert share["CacheAttributes"] == {"CacheStaleTimeoutInSeconds": 0}
    assert share["DefaultStorageClass"] == "S3_INTELLIGENT_TIERING"

    notification = sgw.refresh_cache(FileShareARN=arn, FolderList=["/reports"], Recursive=False)["NotificationId"]
    status, shares = lab_api("GET", f"/_lab/storagegateway/gateways/{gateway.rsplit('/', 1)[1]}/shares")
    assert status == 200
    assert shares["gateway_address"] == APPLIANCE
    assert shares["cache_disk_ids"] == [APPLIANCE_DISK]
    [exported] = shares["shares"]
    assert (exported["path"], exported["bucket"], exported["client_list"], exported["read_only"]) == ("/projects", "lab-share-bucket", ["10.254.0.64/26"], True)
    assert exported["refresh_requests"] == [
        {"notification_id": notification, "folders": ["/reports"], "recursive": False, "requested_at": exported["refresh_requests"][0]["requested_at"]}
    ]

    assert sgw.delete_file_share(FileShareARN=arn)["FileShareARN"] == arn
    assert sgw.list_file_shares()["FileShareInfoList"] == []
    with pytest.raises(ClientError) as raised:
        sgw.describe_nfs_file_shares(FileShareARNList=[arn])
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "InvalidParameters")


def test_defaults_of_a_minimal_share(sgw, gateway, role, bucket):
    arn = sgw.create_nfs_file_share(**share_args(gateway, role, bucket))["FileShareARN"]
    [share] = sgw.describe_nfs_file_shares(FileShareARNList=[arn])["NFSFileShareInfoList"]
    assert share["Path"] == "/lab-share-bucket"
    assert (share["ClientList"], share["Squash"], share["DefaultStorageClass"]) == (["0.0.0.0/0"], "RootSquash", "S3_STANDARD")
    assert share["NFSFileShareDefaults"] == {"FileMode": "0666", "DirectoryMode": "0777", "GroupId": 65534, "OwnerId": 65534}
    assert (share["EncryptionType"], share["GuessMIMETypeEnabled"], share["RequesterPays"]) == ("SseS3", True, False)


def test_client_token_makes_creation_idempotent(sgw, gateway, role, bucket):
    first = sgw.create_nfs_file_share(**share_args(gateway, role, bucket))["FileShareARN"]
    again = sgw.create_nfs_file_share(**share_args(gateway, role, bucket))["FileShareARN"]
    assert again == first
    assert len(sgw.list_file_shares()["FileShareInfoList"]) == 1
    with pytest.raises(ClientError) as raised:
        sgw.create_nfs_file_share(**share_args(gateway, role, bucket, Squash="AllSquash"))
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "InvalidParameters")


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"ClientList": ["10.0.0.0/33"]}, None),
        ({"ClientList": ["not-an-address"]}, None),
        ({"ClientList": [f"10.0.{n // 250}.{n % 250}" for n in range(101)]}, None),
        ({"Squash": "SquashAll"}, "InvalidParameters"),
        ({"DefaultStorageClass": "GLACIER"}, "InvalidParameters"),
        ({"CacheAttributes": {"CacheStaleTimeoutInSeconds": 299}}, "InvalidParameters"),
        ({"CacheAttributes": {"CacheStaleTimeoutInSeconds": 2592001}}, "InvalidParameters"),
        ({"LocationARN": "arn:aws:s3:::no-such-bucket"}, "InvalidParameters"),
        ({"LocationARN": "arn:aws:s3:::lab-share-bucket/prefix/"}, "InvalidParameters"),
        ({"LocationARN": "arn:aws:s3:::lab-share-bucket/prefix", "FileShareName": "p"}, "InvalidParameters"),
        ({"Role": "arn:aws:iam::123456789012:role/NoSuchRole"}, "InvalidParameters"),
        ({"EncryptionType": "SseKms"}, "InvalidParameters"),
        ({"KMSKey": "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000", "EncryptionType": "SseKms"}, "InvalidParameters"),
        ({"GatewayARN": "arn:aws:storagegateway:us-east-1:123456789012:gateway/sgw-00000000"}, "GatewayNotFound"),
    ],
)
def test_file_share_validation(sgw, share_target, overrides, expected):
    with pytest.raises(ClientError) as raised:
        sgw.create_nfs_file_share(**share_args(**share_target, **overrides))
    if expected is None:  # the API model's own constraints (CIDR pattern, list size) are checked before anything else
        assert raised.value.response["Error"]["Code"] == "ValidationException"
    else:
        assert gateway_error(raised) == ("InvalidGatewayRequestException", expected)
    assert sgw.list_file_shares()["FileShareInfoList"] == []


def test_file_share_names_are_unique_per_gateway_and_prefixes_need_one(sgw, gateway, role, bucket):
    sgw.create_nfs_file_share(**share_args(gateway, role, bucket, FileShareName="data"))
    with pytest.raises(ClientError) as raised:
        sgw.create_nfs_file_share(**share_args(gateway, role, bucket, ClientToken="lab-token-2", FileShareName="data"))
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "InvalidParameters")
    arn = sgw.create_nfs_file_share(**share_args(gateway, role, bucket + "/team/", ClientToken="lab-token-3", FileShareName="team"))["FileShareARN"]
    assert sgw.describe_nfs_file_shares(FileShareARNList=[arn])["NFSFileShareInfoList"][0]["Path"] == "/team"


def test_kms_encrypted_share_with_an_existing_key(client, sgw, gateway, role, bucket):
    key = client("kms").create_key()["KeyMetadata"]["Arn"]
    arn = sgw.create_nfs_file_share(**share_args(gateway, role, bucket, EncryptionType="SseKms", KMSKey=key))["FileShareARN"]
    share = sgw.describe_nfs_file_shares(FileShareARNList=[arn])["NFSFileShareInfoList"][0]
    assert (share["EncryptionType"], share["KMSKey"]) == ("SseKms", key)


# tags and lab routes ------------------------------------------------------------------------------------------------
def test_tags_on_gateways_and_shares(sgw, gateway, role, bucket):
    share = sgw.create_nfs_file_share(**share_args(gateway, role, bucket))["FileShareARN"]
    for arn in (gateway, share):
        sgw.add_tags_to_resource(ResourceARN=arn, Tags=[{"Key": "team", "Value": "infra"}, {"Key": "tier", "Value": "1"}])
        sgw.remove_tags_from_resource(ResourceARN=arn, TagKeys=["tier"])
        assert sgw.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "infra"}]
    with pytest.raises(ClientError) as raised:
        sgw.list_tags_for_resource(ResourceARN="arn:aws:storagegateway:us-east-1:123456789012:share/share-00000000")
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "InvalidParameters")


def test_shares_route_answers_404_for_unknown_gateways(lab_api):
    status, answer = lab_api("GET", "/_lab/storagegateway/gateways/sgw-00000000/shares")
    assert status == 404
    assert "sgw-00000000" in answer["error"]


def test_reset_forgets_gateways_and_issued_keys(sgw, issue_key, gateway, lab_api):
    key = issue_key()
    assert lab_api("POST", "/_lab/reset")[0] == 200
    assert sgw.list_gateways()["Gateways"] == []
    with pytest.raises(ClientError) as raised:
        sgw.activate_gateway(ActivationKey=key, GatewayName="gw", GatewayTimezone="GMT", GatewayRegion="us-east-1", GatewayType="FILE_S3")
    assert gateway_error(raised) == ("InvalidGatewayRequestException", "ActivationKeyNotFound")
