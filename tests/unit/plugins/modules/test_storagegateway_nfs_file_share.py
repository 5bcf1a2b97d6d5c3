import pytest

from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import file_share_client_token
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import nfs_file_share_create_request
from ansible_collections.hybridcloud.aws.plugins.modules import storagegateway_nfs_file_share as module

GATEWAY = "arn:aws:storagegateway:us-east-1:123456789012:gateway/sgw-12A3456B"
SHARE = "arn:aws:storagegateway:us-east-1:123456789012:share/share-1A2B3C4D"
NEW_SHARE = "arn:aws:storagegateway:us-east-1:123456789012:share/share-5E6F7G8H"
OTHER = "arn:aws:storagegateway:us-east-1:123456789012:share/share-9Z9Z9Z9Z"
BUCKET = "arn:aws:s3:::acme-file-gateway/backups/"
ROLE = "arn:aws:iam::123456789012:role/file-gateway-s3-access"
KMS = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DEFAULTS = {"FileMode": "0666", "DirectoryMode": "0777", "GroupId": 65534, "OwnerId": 65534}
INFO = {
    "FileShareARN": SHARE,
    "FileShareId": "share-1A2B3C4D",
    "FileShareStatus": "AVAILABLE",
    "GatewayARN": GATEWAY,
    "FileShareName": "backups",
    "Path": "/backups",
    "LocationARN": BUCKET,
    "Role": ROLE,
    "ClientList": ["10.30.4.0/24", "10.20.0.0/16"],
    "Squash": "RootSquash",
    "DefaultStorageClass": "S3_INTELLIGENT_TIERING",
    "EncryptionType": "SseS3",
    "KMSEncrypted": False,
    "ObjectACL": "bucket-owner-full-control",
    "ReadOnly": False,
    "GuessMIMETypeEnabled": True,
    "RequesterPays": False,
    "NFSFileShareDefaults": DEFAULTS,
    "NotificationPolicy": "{}",
    "Tags": [{"Key": "site", "Value": "dc1"}],
}
ARGS = {
    "gateway_arn": GATEWAY,
    "file_share_name": "backups",
    "location_arn": BUCKET,
    "role_arn": ROLE,
    "client_list": ["10.20.0.0/16", "10.30.4.0/24"],
    "tags": {"site": "dc1"},
}
GATEWAY_INFO = {"GatewayARN": GATEWAY, "GatewayNetworkInterfaces": [{"Ipv4Address": "10.20.0.15"}]}


@pytest.fixture
def sgw(module_run):
    return module_run("storagegateway")


def expect_listed(sgw, *infos, share_type="NFS"):
    listed = [{"FileShareType": share_type, "FileShareARN": info["FileShareARN"], "GatewayARN": GATEWAY} for info in infos]
    sgw.stubber.add_response("list_file_shares", {"FileShareInfoList": listed}, {"GatewayARN": GATEWAY})
    if infos and share_type == "NFS":
        sgw.stubber.add_response("describe_nfs_file_shares", {"NFSFileShareInfoList": list(infos)}, {"FileShareARNList": [i["FileShareARN"] for i in infos]})


def expect_described(sgw, info, arn=SHARE):
    sgw.stubber.add_response("describe_nfs_file_shares", {"NFSFileShareInfoList": [info]}, {"FileShareARNList": [arn]})


def expect_gateway_ip(sgw):
    sgw.stubber.add_response("describe_gateway_information", GATEWAY_INFO, {"GatewayARN": GATEWAY})


def test_creates_share_with_every_field(sgw):
    expect_listed(sgw)
    request = {
        "GatewayARN": GATEWAY,
        "FileShareName": "backups",
        "LocationARN": BUCKET,
        "Role": ROLE,
        "ClientList": ["10.20.0.0/16", "10.30.4.0/24"],
        "Squash": "AllSquash",
        "DefaultStorageClass": "S3_STANDARD_IA",
        "ObjectACL": "private",
        "ReadOnly": True,
        "GuessMIMETypeEnabled": False,
        "RequesterPays": True,
        "AuditDestinationARN": "arn:aws:logs:us-east-1:123456789012:log-group:audit",
        "BucketRegion": "us-east-1",
        "VPCEndpointDNSName": "bucket.vpce-0abc-1234.s3.us-east-1.vpce.amazonaws.com",
        "EncryptionType": "SseKms",
        "KMSKey": KMS,
        "NotificationPolicy": '{"Upload":{"SettlingTimeInSeconds":60}}',
        "CacheAttributes": {"CacheStaleTimeoutInSeconds": 300},
        "NFSFileShareDefaults": {"FileMode": "0640", "DirectoryMode": "0750", "GroupId": 1000, "OwnerId": 1000},
        "Tags": [{"Key": "site", "Value": "dc1"}],
    }
    request["ClientToken"] = file_share_client_token(request)
    sgw.stubber.add_response("create_nfs_file_share", {"FileShareARN": SHARE}, request)
    created = dict(INFO, FileShareStatus="CREATING", Squash="AllSquash", EncryptionType="SseKms", KMSKey=KMS)
    expect_described(sgw, created)
    expect_gateway_ip(sgw)
    args = dict(
        ARGS,
        squash="AllSquash",
        default_storage_class="S3_STANDARD_IA",
        encryption_type="SseKms",
        kms_key=KMS,
        object_acl="private",
        read_only=True,
        guess_mime_type_enabled=False,
        requester_pays=True,
        cache_stale_timeout=300,
        nfs_file_share_defaults={"file_mode": "0640", "directory_mode": "0750", "group_id": 1000, "owner_id": 1000},
        notification_policy={"Upload": {"SettlingTimeInSeconds": 60}},
        audit_destination_arn="arn:aws:logs:us-east-1:123456789012:log-group:audit",
        bucket_region="us-east-1",
        vpc_endpoint_dns_name="bucket.vpce-0abc-1234.s3.us-east-1.vpce.amazonaws.com",
    )
    result = sgw(module.main, args, diff=True)
    assert result["changed"] is True
    assert result["file_share_arn"] == SHARE
    assert result["file_share_id"] == "share-1A2B3C4D"
    assert result["status"] == "CREATING"
    assert result["path"] == "/backups"
    assert result["nfs_path"] == "10.20.0.15:/backups"
    assert result["file_share"]["encryption_type"] == "SseKms"
    assert result["diff"]["before"] == {}


def test_client_token_is_deterministic_and_follows_the_request():
    wanted = {"file_share_name": "backups", "location_arn": BUCKET, "role_arn": ROLE, "client_list": ["10.0.0.0/8"], "squash": "RootSquash"}
    token = nfs_file_share_create_request(GATEWAY, wanted)["ClientToken"]
    assert token == nfs_file_share_create_request(GATEWAY, dict(wanted))["ClientToken"]
    assert token != nfs_file_share_create_request(GATEWAY, dict(wanted, location_arn="arn:aws:s3:::other-bucket"))["ClientToken"]
    assert token != nfs_file_share_create_request(GATEWAY, dict(wanted, squash="NoSquash"))["ClientToken"]
    assert token != nfs_file_share_create_request(GATEWAY, dict(wanted, file_share_name="other"))["ClientToken"]
    assert 5 <= len(token) <= 100
    assert nfs_file_share_create_request(GATEWAY, wanted, "my-own-token")["ClientToken"] == "my-own-token"


def test_create_waits_until_available(sgw):
    expect_listed(sgw)
    sgw.stubber.add_response("create_nfs_file_share", {"FileShareARN": SHARE})
    expect_described(sgw, dict(INFO, FileShareStatus="CREATING"))
    expect_described(sgw, INFO)
    expect_described(sgw, INFO)
    expect_gateway_ip(sgw)
    result = sgw(module.main, dict(ARGS, wait=True))
    assert result["status"] == "AVAILABLE"
    assert result["waited"] == [
        {
            "what": f"file share {SHARE} to be AVAILABLE",
            "seconds": 5.0,
            "polls": 2,
            "states": [{"state": "CREATING", "seconds": 0.0, "polls": 1}, {"state": "AVAILABLE", "seconds": 5.0, "polls": 1}],
        }
    ]


def test_identical_share_is_a_no_op(sgw):
    expect_listed(sgw, INFO)
    expect_gateway_ip(sgw)
    result = sgw(module.main, ARGS)
    assert result["changed"] is False
    assert result["file_share"]["client_list"] == ["10.20.0.0/16", "10.30.4.0/24"]
    assert result["nfs_path"] == "10.20.0.15:/backups"


def test_updates_only_what_differs(sgw):
    expect_listed(sgw, INFO)
    changes = {
        "FileShareARN": SHARE,
        "ClientList": ["10.20.0.0/16"],
        "Squash": "NoSquash",
        "ReadOnly": True,
        "CacheAttributes": {"CacheStaleTimeoutInSeconds": 0},
        "NotificationPolicy": '{"Upload":{"SettlingTimeInSeconds":120}}',
        # Only file_mode is given: the other fields keep their current values.
        "NFSFileShareDefaults": dict(DEFAULTS, FileMode="0644"),
    }
    sgw.stubber.add_response("update_nfs_file_share", {"FileShareARN": SHARE}, changes)
    updated = dict(INFO, ClientList=["10.20.0.0/16"], Squash="NoSquash", ReadOnly=True, NFSFileShareDefaults=dict(DEFAULTS, FileMode="0644"))
    expect_described(sgw, updated)
    expect_gateway_ip(sgw)
    args = dict(
        ARGS,
        client_list=["10.20.0.0/16"],
        squash="NoSquash",
        read_only=True,
        cache_stale_timeout=0,
        notification_policy='{"Upload": {"SettlingTimeInSeconds": 120}}',
        nfs_file_share_defaults={"file_mode": "0644"},
    )
    result = sgw(module.main, args, diff=True)
    assert result["changed"] is True
    assert result["file_share"]["squash"] == "NoSquash"
    assert result["diff"]["before"]["squash"] == "RootSquash"
    assert result["diff"]["after"]["nfs_file_share_defaults"]["file_mode"] == "0644"


def test_switching_to_kms_sends_type_and_key(sgw):
    expect_listed(sgw, INFO)
    sgw.stubber.add_response("update_nfs_file_share", {"FileShareARN": SHARE}, {"FileShareARN": SHARE, "EncryptionType": "DsseKms", "KMSKey": KMS})
    expect_described(sgw, dict(INFO, EncryptionType="DsseKms", KMSKey=KMS))
    expect_gateway_ip(sgw)
    result = sgw(module.main, dict(ARGS, encryption_type="DsseKms", kms_key=KMS))
    assert result["changed"] is True
    assert result["file_share"]["kms_key"] == KMS


def test_updates_tags_only(sgw):
    expect_listed(sgw, INFO)
    sgw.stubber.add_response("remove_tags_from_resource", {"ResourceARN": SHARE}, {"ResourceARN": SHARE, "TagKeys": ["site"]})
    sgw.stubber.add_response("add_tags_to_resource", {"ResourceARN": SHARE}, {"ResourceARN": SHARE, "Tags": [{"Key": "env", "Value": "lab"}]})
    expect_described(sgw, dict(INFO, Tags=[{"Key": "env", "Value": "lab"}]))
    expect_gateway_ip(sgw)
    result = sgw(module.main, dict(ARGS, tags={"env": "lab"}))
    assert result["changed"] is True
    assert result["file_share"]["tags"] == {"env": "lab"}


def test_immutable_change_fails_without_recreate(sgw):
    expect_listed(sgw, INFO)
    result = sgw(module.main, dict(ARGS, location_arn="arn:aws:s3:::acme-file-gateway-v2/backups/"))
    assert result["failed"] is True
    assert "cannot change in place: location_arn" in result["msg"]
    assert "recreate=true" in result["msg"]


def test_recreate_deletes_waits_and_creates_with_a_new_token(sgw):
    new_bucket = "arn:aws:s3:::acme-file-gateway-v2/backups/"
    expect_listed(sgw, INFO)
    sgw.stubber.add_response("delete_file_share", {"FileShareARN": SHARE}, {"FileShareARN": SHARE, "ForceDelete": False})
    sgw.stubber.add_response("list_file_shares", {"FileShareInfoList": [{"FileShareARN": SHARE, "FileShareStatus": "DELETING"}]}, {"GatewayARN": GATEWAY})
    sgw.stubber.add_response("list_file_shares", {"FileShareInfoList": []}, {"GatewayARN": GATEWAY})
    request = {
        "GatewayARN": GATEWAY,
        "FileShareName": "backups",
        "LocationARN": new_bucket,
        "Role": ROLE,
        "ClientList": ["10.20.0.0/16", "10.30.4.0/24"],
        "Squash": "RootSquash",
        "DefaultStorageClass": "S3_INTELLIGENT_TIERING",
        "ObjectACL": "bucket-owner-full-control",
        "ReadOnly": False,
        "GuessMIMETypeEnabled": True,
        "RequesterPays": False,
        "EncryptionType": "SseS3",
        "NotificationPolicy": "{}",
        "NFSFileShareDefaults": DEFAULTS,
        "Tags": [{"Key": "site", "Value": "dc1"}],
    }
    request["ClientToken"] = file_share_client_token(request)
    sgw.stubber.add_response("create_nfs_file_share", {"FileShareARN": NEW_SHARE}, request)
    expect_described(sgw, dict(INFO, FileShareARN=NEW_SHARE, LocationARN=new_bucket), arn=NEW_SHARE)
    expect_gateway_ip(sgw)
    result = sgw(module.main, dict(ARGS, location_arn=new_bucket, recreate=True))
    assert result["changed"] is True
    assert result["file_share_arn"] == NEW_SHARE
    assert result["file_share"]["location_arn"] == new_bucket
    assert result["waited"] == [
        {
            "what": f"file share {SHARE} to be deleted",
            "seconds": 5.0,
            "polls": 2,
            "states": [{"state": "still listed", "seconds": 0.0, "polls": 1}, {"state": "deleted", "seconds": 5.0, "polls": 1}],
        }
    ]


def test_check_mode_create_writes_nothing(sgw):
    expect_listed(sgw)
    expect_gateway_ip(sgw)
    result = sgw(module.main, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["file_share_arn"] is None
    assert result["nfs_path"] == "10.20.0.15:/backups"


def test_check_mode_update_and_recreate_write_nothing(sgw):
    expect_listed(sgw, INFO)
    expect_gateway_ip(sgw)
    args = dict(ARGS, squash="NoSquash", location_arn="arn:aws:s3:::other-bucket", recreate=True, tags={})
    result = sgw(module.main, args, check_mode=True)
    assert result["changed"] is True
    assert result["file_share"]["squash"] == "NoSquash"


def test_deletes_share(sgw):
    expect_listed(sgw, INFO)
    sgw.stubber.add_response("delete_file_share", {"FileShareARN": SHARE}, {"FileShareARN": SHARE, "ForceDelete": True})
    result = sgw(module.main, {"gateway_arn": GATEWAY, "file_share_name": "backups", "state": "absent", "force_delete": True})
    assert result["changed"] is True
    assert result["diff"]["before"]["location_arn"] == BUCKET


def test_check_mode_delete_does_not_delete(sgw):
    expect_listed(sgw, INFO)
    result = sgw(module.main, {"gateway_arn": GATEWAY, "file_share_name": "backups", "state": "absent"}, check_mode=True)
    assert result["changed"] is True


def test_shares_being_deleted_and_smb_shares_are_not_the_share(sgw):
    expect_listed(sgw, dict(INFO, FileShareStatus="DELETING"))
    result = sgw(module.main, {"gateway_arn": GATEWAY, "file_share_name": "backups", "state": "absent"})
    assert result["changed"] is False
    expect_listed(sgw, INFO, share_type="SMB")
    result = sgw(module.main, {"gateway_arn": GATEWAY, "file_share_name": "backups", "state": "absent"})
    assert result["changed"] is False


def test_several_shares_with_the_name_fail(sgw):
    expect_listed(sgw, INFO, dict(INFO, FileShareARN=OTHER))
    result = sgw(module.main, ARGS)
    assert result["failed"] is True
    assert "2 NFS file shares of gateway" in result["msg"]


def test_nfs_path_is_null_while_gateway_is_not_connected(sgw):
    expect_listed(sgw, INFO)
    sgw.stubber.add_client_error(
        "describe_gateway_information",
        "InvalidGatewayRequestException",
        "not connected",
        expected_params={"GatewayARN": GATEWAY},
        modeled_fields={"error": {"errorCode": "GatewayNotConnected"}},
    )
    result = sgw(module.main, ARGS)
    assert result["changed"] is False
    assert result["nfs_path"] is None


def test_throttling_is_retried(sgw):
    sgw.stubber.add_client_error("list_file_shares", "ThrottlingException", "Rate exceeded", expected_params={"GatewayARN": GATEWAY})
    expect_listed(sgw, INFO)
    expect_gateway_ip(sgw)
    result = sgw(module.main, ARGS)
    assert result["changed"] is False


def test_access_denied_is_reported_clearly(sgw):
    sgw.stubber.add_client_error("list_file_shares", "AccessDeniedException", "not authorized", expected_params={"GatewayARN": GATEWAY})
    result = sgw(module.main, ARGS)
    assert result["failed"] is True
    assert result["msg"].startswith(f"Failed to list file shares of gateway {GATEWAY}")
    assert result["error"]["code"] == "AccessDeniedException"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"client_list": []}, "client_list must have 1 to 100 entries, got 0"),
        ({"client_list": [f"10.0.{i}.0/24" for i in range(101)]}, "client_list must have 1 to 100 entries, got 101"),
        ({"client_list": ["10.0.0.1/16"]}, "client_list: '10.0.0.1/16' has host bits set; the network is 10.0.0.0/16"),
        ({"client_list": ["everyone"]}, "client_list: 'everyone' is not an IP address or CIDR"),
        ({"client_list": ["0.0.0.0/0"]}, "client_list: '0.0.0.0/0' is broader than /8"),
        ({"client_list": ["0.0.0.0/1", "128.0.0.0/1"]}, "client_list: '128.0.0.0/1' is broader than /8"),
        ({"client_list": ["10.0.0.0/8"], "min_client_prefix": 16}, "client_list: '10.0.0.0/8' is broader than /16"),
        ({"cache_stale_timeout": 100}, "cache_stale_timeout must be 0 or between 300 and 2592000, got 100"),
        ({"cache_stale_timeout": 2592001}, "cache_stale_timeout must be 0 or between 300 and 2592000"),
        ({"nfs_file_share_defaults": {"file_mode": "420"}}, "nfs_file_share_defaults.file_mode must be four octal digits"),
        ({"nfs_file_share_defaults": {"owner_id": -1}}, "nfs_file_share_defaults.owner_id must be between 0 and 4294967294"),
        ({"location_arn": "acme-file-gateway"}, "location_arn must be a bucket ARN"),
        ({"location_arn": "arn:aws:s3:::bucket/prefix"}, "the prefix of location_arn must end with '/'"),
        ({"role_arn": "file-gateway-role"}, "role_arn must be an IAM role ARN"),
        ({"kms_key": KMS}, "kms_key needs encryption_type SseKms or DsseKms"),
        ({"encryption_type": "SseKms"}, "encryption_type is SseKms but all of the following are missing: kms_key"),
        ({"notification_policy": "not json"}, "notification_policy must be a JSON object"),
        ({"client_token": "abc"}, "client_token must be 5 to 100 characters long"),
        ({"role_arn": None}, "state=present needs role_arn"),
    ],
)
def test_bad_input_fails_before_any_call(sgw, args, message):
    result = sgw(module.main, dict(ARGS, **args))
    assert result["failed"] is True
    assert message in result["msg"]


def test_access_point_location_is_accepted(sgw):
    access_point = "arn:aws:s3:us-east-1:123456789012:accesspoint/file-gateway"
    expect_listed(sgw, dict(INFO, LocationARN=access_point))
    expect_gateway_ip(sgw)
    result = sgw(module.main, dict(ARGS, location_arn=access_point))
    assert result["changed"] is False
