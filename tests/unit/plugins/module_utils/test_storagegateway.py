import http.server
import re
import threading
from typing import ClassVar

import pytest

from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import AnsibleStorageGatewayError
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import create_only_differences
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import fetch_activation_key
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import nfs_file_share_update
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import nfs_path
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import normalize_nfs_file_share
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import wanted_nfs_file_share

INFO = {
    "FileShareName": "backups",
    "LocationARN": "arn:aws:s3:::bucket/",
    "Role": "arn:aws:iam::123456789012:role/gw",
    "ClientList": ["10.1.0.0/16", "10.0.0.0/16"],
    "Squash": "RootSquash",
    "DefaultStorageClass": "S3_STANDARD",
    "KMSEncrypted": True,
    "KMSKey": "arn:aws:kms:us-east-1:123456789012:key/k",
    "NFSFileShareDefaults": {"FileMode": "0666", "DirectoryMode": "0777", "GroupId": 65534, "OwnerId": 65534},
    "NotificationPolicy": '{ "Upload": {"SettlingTimeInSeconds": 60} }',
    "Tags": [{"Key": "a", "Value": "1"}],
}


class Appliance(http.server.BaseHTTPRequestHandler):
    """Answers like a gateway appliance; the test sets `answer` to (status, location or None)."""

    answer = (302, None)
    seen: ClassVar[list] = []

    def do_GET(self):
        Appliance.seen.append(self.path)
        status, location = Appliance.answer
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def appliance():
    server = http.server.HTTPServer(("127.0.0.1", 0), Appliance)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    Appliance.seen = []
    yield f"127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_key_comes_from_the_redirect_which_is_not_followed(appliance):
    # The target is unreachable on purpose: following it would fail the test.
    Appliance.answer = (302, "http://127.0.0.1:9/?activationKey=AB12C-DE34F-GH56I&gatewayType=FILE_S3")
    assert fetch_activation_key(appliance, "eu-west-1", 5) == "AB12C-DE34F-GH56I"
    assert Appliance.seen == ["/?activationRegion=eu-west-1"]


def test_redirect_without_key_is_an_error(appliance):
    Appliance.answer = (302, "https://console.aws.amazon.com/storagegateway/?errorCode=InvalidRegion")
    with pytest.raises(AnsibleStorageGatewayError, match="redirected without an activationKey"):
        fetch_activation_key(appliance, "eu-west-1", 5)


def test_plain_answer_is_an_error(appliance):
    Appliance.answer = (200, None)
    with pytest.raises(AnsibleStorageGatewayError, match="answered HTTP 200 instead of a redirect"):
        fetch_activation_key(appliance, "eu-west-1", 5)


def test_error_answer_is_an_error(appliance):
    Appliance.answer = (500, None)
    with pytest.raises(AnsibleStorageGatewayError, match="answered HTTP 500 instead of a redirect"):
        fetch_activation_key(appliance, "eu-west-1", 5)


def test_unreachable_appliance_is_an_error():
    with pytest.raises(AnsibleStorageGatewayError, match=re.escape("Could not reach the gateway at 127.0.0.1:9")):
        fetch_activation_key("127.0.0.1:9", "eu-west-1", 2)


def test_normalize_reads_old_kms_flag_sorts_clients_and_compacts_policy():
    share = normalize_nfs_file_share(INFO)
    assert share["encryption_type"] == "SseKms"
    assert share["client_list"] == ["10.0.0.0/16", "10.1.0.0/16"]
    assert share["notification_policy"] == '{"Upload":{"SettlingTimeInSeconds":60}}'
    assert share["audit_destination_arn"] == ""
    assert share["tags"] == {"a": "1"}
    assert share["nfs_file_share_defaults"] == {"file_mode": "0666", "directory_mode": "0777", "group_id": 65534, "owner_id": 65534}


def test_unset_options_keep_current_values():
    current = normalize_nfs_file_share(INFO)
    params = {"client_list": ["10.1.0.0/16", "10.0.0.0/16"], "squash": "RootSquash", "purge_tags": True}
    assert nfs_file_share_update(current, wanted_nfs_file_share(current, params)) == {}


def test_switching_to_sse_s3_drops_the_key():
    current = normalize_nfs_file_share(INFO)
    wanted = wanted_nfs_file_share(current, {"encryption_type": "SseS3"})
    assert nfs_file_share_update(current, wanted) == {"EncryptionType": "SseS3"}


def test_create_only_differences_name_every_fixed_field():
    current = normalize_nfs_file_share(INFO)
    wanted = wanted_nfs_file_share(current, {"role_arn": "arn:aws:iam::123456789012:role/other", "bucket_region": "eu-west-1"})
    assert set(create_only_differences(current, wanted)) == {"role_arn", "bucket_region"}


@pytest.mark.parametrize(
    ("gateway_ip", "info", "expected"),
    [
        ("10.0.0.5", {"Path": "/backups"}, "10.0.0.5:/backups"),
        ("10.0.0.5", {}, "10.0.0.5:/backups"),
        ("10.0.0.5", {"Path": "exports"}, "10.0.0.5:/exports"),
        (None, {"Path": "/backups"}, None),
    ],
)
def test_nfs_path(gateway_ip, info, expected):
    assert nfs_path(gateway_ip, info, "backups") == expected
