# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Storage Gateway (S3 File Gateway): API calls with retries, lookups by name, waiters, tag updates,
the translation between NFS file share options and the API, and the activation key fetch from the appliance."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import sys
from urllib.error import HTTPError
from urllib.error import URLError
from urllib.parse import parse_qs
from urllib.parse import quote
from urllib.parse import urlparse

from ansible.module_utils.urls import Request

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.hybridcloud.aws.plugins.module_utils import waiting
from ansible_collections.hybridcloud.aws.plugins.module_utils.create_once import create_once
from ansible_collections.hybridcloud.aws.plugins.module_utils.tags import planned_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.tags import sync_tags

# Storage Gateway throttles with ThrottlingException, which AWSRetry does not know as a throttling code.
retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException"])

POLL_SECONDS = 5
# DescribeNFSFileShares takes at most 10 ARNs per call.
DESCRIBE_BATCH = 10
GONE_STATUSES = ("DELETING", "FORCE_DELETING")
REDIRECT_CODES = (301, 302, 303, 307, 308)


class AnsibleStorageGatewayError(AnsibleAWSError):
    pass


def _storage_gateway_error_code(error):
    """Storage Gateway nests its precise reason (GatewayNotFound, ...) under error.errorCode of InvalidGatewayRequestException."""
    response = getattr(error, "response", None)
    if not isinstance(response, dict):
        return None
    return (response.get("error") or {}).get("errorCode")


def is_storage_gateway_error(*error_codes):
    """Like is_boto3_error_code, for the errorCode inside Storage Gateway's InvalidGatewayRequestException."""
    error = sys.exc_info()[1]
    if _storage_gateway_error_code(error) in error_codes:
        return is_boto3_error_code("InvalidGatewayRequestException", error)
    return type("NeverEverRaisedException", (Exception,), {})


class StorageGatewayErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleStorageGatewayError

    @classmethod
    def _is_missing(cls):
        return is_storage_gateway_error("GatewayNotFound")


# ---------------------------------------------------------------- gateways


@StorageGatewayErrorHandler.common_error_handler("list gateways")
@retry
def list_gateways(client):
    return client.get_paginator("list_gateways").paginate().build_full_result().get("Gateways", [])


@StorageGatewayErrorHandler.list_error_handler("describe gateway {gateway_arn}")
@retry
def describe_gateway(client, gateway_arn):
    answer = client.describe_gateway_information(GatewayARN=gateway_arn)
    return {key: value for key, value in answer.items() if key != "ResponseMetadata"}


def find_gateways_by_name(client, gateway_name):
    """Every gateway (ListGateways entry) called gateway_name: names are not unique in AWS."""
    return [gateway for gateway in list_gateways(client) if gateway.get("GatewayName") == gateway_name]


@StorageGatewayErrorHandler.common_error_handler("activate gateway {gateway_name}")
def activate_gateway(client, *, activation_key, gateway_name, gateway_timezone, gateway_region, gateway_type, tags, create_client=None):
    """Activates the gateway; returns its ARN. ActivateGateway has no client token and its activation key works once:
    it is never repeated blindly (create_once). create_client is a client whose botocore does not retry
    (create_once.single_attempt_client); after a failure that may have activated the gateway, the gateway is looked up
    by its name (the caller activates only when no gateway has it)."""
    request = dict(
        ActivationKey=activation_key,
        GatewayName=gateway_name,
        GatewayTimezone=gateway_timezone,
        GatewayRegion=gateway_region,
        GatewayType=gateway_type,
    )
    if tags:
        request["Tags"] = ansible_dict_to_boto3_tag_list(tags)

    def activated():
        found = find_gateways_by_name(client, gateway_name)
        if len(found) > 1:
            arns = ", ".join(gateway["GatewayARN"] for gateway in found)
            raise AnsibleStorageGatewayError(message=f"{len(found)} gateways are called {gateway_name} after an activation failed ({arns})")
        return found[0]["GatewayARN"] if found else None

    return create_once(lambda: (create_client or client).activate_gateway(**request)["GatewayARN"], activated)


@StorageGatewayErrorHandler.common_error_handler("update gateway {gateway_arn}")
@retry
def update_gateway_information(client, gateway_arn, changes):
    """changes: API field names (GatewayName, GatewayTimezone, CloudWatchLogGroupARN) to their new values."""
    client.update_gateway_information(GatewayARN=gateway_arn, **changes)


@StorageGatewayErrorHandler.deletion_error_handler("delete gateway {gateway_arn}")
@retry
def delete_gateway(client, gateway_arn):
    client.delete_gateway(GatewayARN=gateway_arn)
    return True


def wait_for_gateway_running(client, gateway_arn, timeout, *, progress=None):
    """Poll until the gateway answers with GatewayState RUNNING; a gateway that is not connected yet is waited for.
    progress: a waiting.Waits that records the wait. (botocore has no Storage Gateway waiters.)"""

    def gateway_state():
        try:
            return (describe_gateway(client, gateway_arn) or {}).get("GatewayState")
        except AnsibleStorageGatewayError as e:
            if _storage_gateway_error_code(e.exception) != "GatewayNotConnected":
                raise
            return "not connected"

    waiting.wait_until(
        gateway_state,
        lambda state: state == "RUNNING",
        timeout,
        delay=POLL_SECONDS,
        error=AnsibleStorageGatewayError,
        timed_out=lambda state: f"Timeout waiting for gateway {gateway_arn} to be RUNNING (last state: {state})",
        progress=progress,
        what=f"gateway {gateway_arn} to be RUNNING",
        state=str,
    )


def gateway_ip_address(gateway):
    """The first IPv4 address of a DescribeGatewayInformation answer, or None."""
    for interface in (gateway or {}).get("GatewayNetworkInterfaces") or []:
        if interface.get("Ipv4Address"):
            return interface["Ipv4Address"]
    return None


def find_gateway_ip_address(client, gateway_arn):
    """The gateway's first IPv4 address; None while the gateway is not connected."""
    try:
        return gateway_ip_address(describe_gateway(client, gateway_arn))
    except AnsibleStorageGatewayError as e:
        if _storage_gateway_error_code(e.exception) == "GatewayNotConnected":
            return None
        raise


# ---------------------------------------------------------------- local disks and cache

DISK_AVAILABLE = "AVAILABLE"
DISK_CACHE = "CACHE STORAGE"


@StorageGatewayErrorHandler.common_error_handler("list the local disks of gateway {gateway_arn}")
@retry
def list_local_disks(client, gateway_arn):
    return client.list_local_disks(GatewayARN=gateway_arn).get("Disks", [])


@StorageGatewayErrorHandler.common_error_handler("describe the cache of gateway {gateway_arn}")
@retry
def describe_cache_disk_ids(client, gateway_arn):
    return list(client.describe_cache(GatewayARN=gateway_arn).get("DiskIds") or [])


@StorageGatewayErrorHandler.common_error_handler("allocate disks {disk_ids} as cache of gateway {gateway_arn}")
@retry
def add_cache(client, gateway_arn, disk_ids):
    client.add_cache(GatewayARN=gateway_arn, DiskIds=list(disk_ids))


def _disk_known_as(disk, disk_id):
    # A gateway may relabel a disk (its DiskId becomes a UUID) when it allocates it: the path and node still name it.
    return disk_id in (disk.get("DiskId"), disk.get("DiskPath"), disk.get("DiskNode"))


def cache_disks_to_add(disks, cache_disk_ids, wanted_disk_ids=None):
    """The DiskIds to allocate as cache (ListLocalDisks entries `disks`, DescribeCache's `cache_disk_ids`).

    wanted_disk_ids None means automatic: every AVAILABLE disk, but only while the gateway has no cache at all.
    Otherwise the wanted disks (by DiskId, DiskPath or DiskNode) that are not cache yet; a wanted disk that does not
    exist or is allocated to something else than cache is an error."""
    if wanted_disk_ids is None:
        if cache_disk_ids:
            return []
        available = [disk["DiskId"] for disk in disks if disk.get("DiskAllocationType") == DISK_AVAILABLE]
        if not available:
            raise AnsibleStorageGatewayError(message="The gateway has no cache and no local disk is AVAILABLE to allocate as cache")
        return available
    to_add = []
    for wanted in wanted_disk_ids:
        disk = next((disk for disk in disks if _disk_known_as(disk, wanted)), None)
        if disk is None:
            if wanted in cache_disk_ids:
                continue
            known = ", ".join(disk.get("DiskId", "?") for disk in disks) or "none"
            raise AnsibleStorageGatewayError(message=f"The gateway has no local disk {wanted} (its disks: {known})")
        if disk.get("DiskAllocationType") == DISK_CACHE or disk.get("DiskId") in cache_disk_ids:
            continue
        if disk.get("DiskAllocationType") != DISK_AVAILABLE:
            raise AnsibleStorageGatewayError(
                message=f"Local disk {wanted} is allocated as {disk.get('DiskAllocationType')}; only AVAILABLE disks can become cache"
            )
        if disk["DiskId"] not in to_add:
            to_add.append(disk["DiskId"])
    return to_add


# ---------------------------------------------------------------- tags (gateways and file shares alike)


@StorageGatewayErrorHandler.common_error_handler("tag {resource_arn}")
@retry
def add_tags(client, resource_arn, tags):
    client.add_tags_to_resource(ResourceARN=resource_arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@StorageGatewayErrorHandler.common_error_handler("untag {resource_arn}")
@retry
def remove_tags(client, resource_arn, tag_keys):
    client.remove_tags_from_resource(ResourceARN=resource_arn, TagKeys=tag_keys)


def ensure_tags(client, resource_arn, current_tags, wanted_tags, *, purge_tags, check_mode):
    """Bring the resource's tags to wanted_tags (None: leave them alone); returns (changed, resulting tags)."""
    return sync_tags(
        current_tags,
        wanted_tags,
        purge_tags,
        tag=lambda tags: add_tags(client, resource_arn, tags),
        untag=lambda keys: remove_tags(client, resource_arn, keys),
        check_mode=check_mode,
    )


def tags_of(resource):
    return boto3_tag_list_to_ansible_dict((resource or {}).get("Tags") or [])


# ---------------------------------------------------------------- NFS file shares


@StorageGatewayErrorHandler.common_error_handler("list file shares of gateway {gateway_arn}")
@retry
def list_file_shares(client, gateway_arn):
    return client.get_paginator("list_file_shares").paginate(GatewayARN=gateway_arn).build_full_result().get("FileShareInfoList", [])


@StorageGatewayErrorHandler.common_error_handler("describe NFS file shares {file_share_arns}")
@retry
def _describe_nfs_file_share_batch(client, file_share_arns):
    return client.describe_nfs_file_shares(FileShareARNList=file_share_arns)["NFSFileShareInfoList"]


def describe_nfs_file_shares(client, file_share_arns):
    shares = []
    for start in range(0, len(file_share_arns), DESCRIBE_BATCH):
        shares.extend(_describe_nfs_file_share_batch(client, file_share_arns[start : start + DESCRIBE_BATCH]))
    return shares


def find_nfs_file_shares(client, gateway_arn, file_share_name):
    """The NFS file shares of the gateway called file_share_name that are not being deleted."""
    arns = [share["FileShareARN"] for share in list_file_shares(client, gateway_arn) if share.get("FileShareType") == "NFS"]
    return [
        share
        for share in describe_nfs_file_shares(client, arns)
        if share.get("FileShareName") == file_share_name and share.get("FileShareStatus") not in GONE_STATUSES
    ]


@StorageGatewayErrorHandler.common_error_handler("create NFS file share {request[FileShareName]}")
@retry
def create_nfs_file_share(client, request):
    return client.create_nfs_file_share(**request)["FileShareARN"]


@StorageGatewayErrorHandler.common_error_handler("update NFS file share {file_share_arn}")
@retry
def update_nfs_file_share(client, file_share_arn, changes):
    client.update_nfs_file_share(FileShareARN=file_share_arn, **changes)


@StorageGatewayErrorHandler.common_error_handler("delete file share {file_share_arn}")
@retry
def delete_file_share(client, file_share_arn, force_delete):
    client.delete_file_share(FileShareARN=file_share_arn, ForceDelete=force_delete)


def describe_nfs_file_share(client, file_share_arn):
    shares = describe_nfs_file_shares(client, [file_share_arn])
    return shares[0] if shares else None


def wait_for_file_share(client, gateway_arn, file_share_arn, timeout, *, gone=False, progress=None):
    """Poll until the share is AVAILABLE, or (gone=True) until the gateway no longer lists it.
    progress: a waiting.Waits that records the wait."""
    goal, done = ("be deleted", "deleted") if gone else ("be AVAILABLE", "AVAILABLE")

    def status():
        if gone:
            return "still listed" if file_share_arn in [share["FileShareARN"] for share in list_file_shares(client, gateway_arn)] else "deleted"
        return (describe_nfs_file_share(client, file_share_arn) or {}).get("FileShareStatus")

    waiting.wait_until(
        status,
        lambda status: status == done,
        timeout,
        delay=POLL_SECONDS,
        error=AnsibleStorageGatewayError,
        timed_out=lambda status: f"Timeout waiting for file share {file_share_arn} to {goal} (last status: {status})",
        progress=progress,
        what=f"file share {file_share_arn} to {goal}",
        state=str,
    )


def file_share_client_token(request):
    """A ClientToken derived from the whole CreateNFSFileShare request (gateway and name included): a retried create
    carries the same token and never makes a second share, while a different request (a recreate with a new location,
    or new settings after the share was deleted) never reuses a token AWS already saw with other parameters."""
    canonical = json.dumps({key: value for key, value in request.items() if key != "ClientToken"}, sort_keys=True, separators=(",", ":"))
    return f"ansible-{hashlib.sha256(canonical.encode('utf-8')).hexdigest()[:40]}"


def normalize_notification_policy(policy):
    if policy is None:
        return None
    return json.dumps(json.loads(policy), sort_keys=True, separators=(",", ":"))


# Options that map one to one onto NFSFileShareInfo fields and UpdateNFSFileShare arguments.
UPDATABLE_FIELDS = {
    "client_list": "ClientList",
    "squash": "Squash",
    "default_storage_class": "DefaultStorageClass",
    "object_acl": "ObjectACL",
    "read_only": "ReadOnly",
    "guess_mime_type_enabled": "GuessMIMETypeEnabled",
    "requester_pays": "RequesterPays",
    "audit_destination_arn": "AuditDestinationARN",
}
# Fixed when the share is created: UpdateNFSFileShare has no argument for them.
CREATE_ONLY_FIELDS = {
    "location_arn": "LocationARN",
    "role_arn": "Role",
    "bucket_region": "BucketRegion",
    "vpc_endpoint_dns_name": "VPCEndpointDNSName",
}
DEFAULTS_FIELDS = {"file_mode": "FileMode", "directory_mode": "DirectoryMode", "group_id": "GroupId", "owner_id": "OwnerId"}


def normalize_nfs_file_share(info):
    """A comparable, user-facing view of an NFSFileShareInfo (or None), in the module's option names."""
    if not info:
        return None
    share = {option: info.get(field) for option, field in {**UPDATABLE_FIELDS, **CREATE_ONLY_FIELDS}.items()}
    share["client_list"] = sorted(info.get("ClientList") or [])
    share["audit_destination_arn"] = info.get("AuditDestinationARN") or ""
    share["file_share_name"] = info.get("FileShareName")
    share["encryption_type"] = info.get("EncryptionType") or ("SseKms" if info.get("KMSEncrypted") else "SseS3")
    share["kms_key"] = info.get("KMSKey") or None
    share["cache_stale_timeout"] = (info.get("CacheAttributes") or {}).get("CacheStaleTimeoutInSeconds")
    share["notification_policy"] = normalize_notification_policy(info.get("NotificationPolicy"))
    defaults = info.get("NFSFileShareDefaults") or {}
    share["nfs_file_share_defaults"] = {option: defaults.get(field) for option, field in DEFAULTS_FIELDS.items()}
    share["tags"] = tags_of(info)
    return share


def wanted_nfs_file_share(current, params):
    """The share as it should be: the current one (or nothing) overlaid with every option the user set."""
    wanted = dict(current or {})
    for option in (*UPDATABLE_FIELDS, *CREATE_ONLY_FIELDS, "file_share_name", "encryption_type", "kms_key", "cache_stale_timeout"):
        if params.get(option) is not None:
            wanted[option] = params[option]
    if params.get("client_list") is not None:
        wanted["client_list"] = sorted(params["client_list"])
    if params.get("encryption_type") == "SseS3":
        wanted["kms_key"] = None
    if params.get("notification_policy") is not None:
        wanted["notification_policy"] = normalize_notification_policy(params["notification_policy"])
    given_defaults = {key: value for key, value in (params.get("nfs_file_share_defaults") or {}).items() if value is not None}
    wanted["nfs_file_share_defaults"] = dict(wanted.get("nfs_file_share_defaults") or {}, **given_defaults)
    wanted["tags"] = planned_tags(wanted.get("tags") or {}, params.get("tags"), params.get("purge_tags", True))[2]
    return wanted


def create_only_differences(current, wanted):
    """Options that differ but cannot be changed in place, as {option: (current, wanted)}."""
    return {option: (current.get(option), wanted.get(option)) for option in CREATE_ONLY_FIELDS if wanted.get(option) != current.get(option)}


def _defaults_request(defaults):
    return {field: defaults[option] for option, field in DEFAULTS_FIELDS.items() if defaults.get(option) is not None}


def nfs_file_share_update(current, wanted):
    """UpdateNFSFileShare arguments for what differs (fields left out stay as they are), or {} when nothing does."""
    changes = {field: wanted[option] for option, field in UPDATABLE_FIELDS.items() if wanted.get(option) != current.get(option)}
    if (wanted["encryption_type"], wanted.get("kms_key")) != (current["encryption_type"], current.get("kms_key")):
        changes["EncryptionType"] = wanted["encryption_type"]
        if wanted.get("kms_key"):
            changes["KMSKey"] = wanted["kms_key"]
    if wanted.get("cache_stale_timeout") != current.get("cache_stale_timeout"):
        changes["CacheAttributes"] = {"CacheStaleTimeoutInSeconds": wanted["cache_stale_timeout"]}
    if wanted.get("notification_policy") != current.get("notification_policy"):
        changes["NotificationPolicy"] = wanted["notification_policy"]
    if wanted["nfs_file_share_defaults"] != current["nfs_file_share_defaults"]:
        # The structure is replaced as a whole, so the fields the user did not set keep their current values.
        changes["NFSFileShareDefaults"] = _defaults_request(wanted["nfs_file_share_defaults"])
    return changes


def nfs_file_share_create_request(gateway_arn, wanted, client_token=None):
    """The CreateNFSFileShare request for the wanted share; the ClientToken is derived from it unless given."""
    request = {"GatewayARN": gateway_arn, "FileShareName": wanted["file_share_name"]}
    for option, field in {**UPDATABLE_FIELDS, **CREATE_ONLY_FIELDS}.items():
        if wanted.get(option) not in (None, ""):
            request[field] = wanted[option]
    for option, field in {"encryption_type": "EncryptionType", "kms_key": "KMSKey", "notification_policy": "NotificationPolicy"}.items():
        if wanted.get(option) is not None:
            request[field] = wanted[option]
    if wanted.get("cache_stale_timeout") is not None:
        request["CacheAttributes"] = {"CacheStaleTimeoutInSeconds": wanted["cache_stale_timeout"]}
    defaults = _defaults_request(wanted.get("nfs_file_share_defaults") or {})
    if defaults:
        request["NFSFileShareDefaults"] = defaults
    if wanted.get("tags"):
        request["Tags"] = ansible_dict_to_boto3_tag_list(wanted["tags"])
    request["ClientToken"] = client_token or file_share_client_token(request)
    return request


def nfs_path(gateway_ip, share_info, file_share_name):
    """What an NFS client mounts: <gateway ip>:<path the gateway exports>, or None while the gateway has no address."""
    if not gateway_ip:
        return None
    path = (share_info or {}).get("Path") or f"/{file_share_name}"
    return f"{gateway_ip}:{path if path.startswith('/') else '/' + path}"


# ---------------------------------------------------------------- activation key from the appliance


def _http_host(address):
    """An address as it goes into a URL: a bare IPv6 address needs brackets, host and host:port stay as they are."""
    if address.count(":") > 1 and not address.startswith("["):
        return f"[{address}]"
    return address


def _redirect_target(gateway_address, url, timeout):
    """The Location of the appliance's redirect; anything but a redirect is an error."""
    try:
        answer = Request().open("GET", url, follow_redirects="none", timeout=timeout)
        status = answer.getcode()
    except HTTPError as e:
        if e.code in REDIRECT_CODES:
            return e.headers.get("Location") or ""
        status = e.code
    except (URLError, OSError) as e:
        raise AnsibleStorageGatewayError(message=f"Could not reach the gateway at {gateway_address} to get an activation key: {e}") from e
    raise AnsibleStorageGatewayError(message=f"The gateway at {gateway_address} answered HTTP {status} instead of a redirect with an activation key")


def fetch_activation_key(gateway_address, gateway_region, timeout):
    """Ask the appliance for an activation key the way the console does.

    The appliance answers GET /?activationRegion=REGION with a redirect whose query carries activationKey; the
    redirect is never followed (its target is the AWS console)."""
    url = f"http://{_http_host(gateway_address)}/?activationRegion={quote(gateway_region)}"
    location = _redirect_target(gateway_address, url, timeout)
    keys = parse_qs(urlparse(location).query).get("activationKey")
    if not keys or not keys[0]:
        raise AnsibleStorageGatewayError(
            message=f"The gateway at {gateway_address} redirected without an activationKey (is it already activated, or is the region wrong?)"
        )
    return keys[0]
