"""Storage Gateway for the lab: activation keys, gateways, disks, NFS file shares and the backend (the package's
docstring says what they do). moto finds the URLs in the sibling urls module, as for its own services."""

from __future__ import annotations

import ipaddress
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.exceptions import ServiceException
from moto.moto_api._internal import mock_random
from moto.utilities.utils import get_partition


SERVICE = "storagegateway"
URL_BASE = r"https?://storagegateway\.(.+)\.amazonaws\.com"
ACTIVATION_KEY_TTL_SECONDS = 30 * 60
MAX_TAGS = 50
SQUASH_VALUES = ("RootSquash", "NoSquash", "AllSquash")
STORAGE_CLASSES = ("S3_STANDARD", "S3_INTELLIGENT_TIERING", "S3_STANDARD_IA", "S3_ONEZONE_IA")
CACHE_STALE_TIMEOUT_RANGE = (300, 2592000)
TIMEZONE_PATTERN = re.compile(r"^GMT(?:[+-](?:[0-9]|1[0-4]):(?:00|30|45))?$")
REGION_PATTERN = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+$")
BUCKET_LOCATION_PATTERN = re.compile(r"^arn:(aws[a-z-]*):s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/(.*))?$")
LOG_GROUP_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[^:]+(?::\*)?$")
DEFAULT_NFS_FILE_SHARE_DEFAULTS = {"FileMode": "0666", "DirectoryMode": "0777", "GroupId": 65534, "OwnerId": 65534}
DISK_AVAILABLE = "AVAILABLE"
DISK_CACHE = "CACHE STORAGE"
APPLIANCE_DISK_GIB = 150


class InvalidGatewayRequestException(ServiceException):
    """AWS's client-side error for Storage Gateway, carrying an operation error code in `error`."""

    code = "InvalidGatewayRequestException"

    def __init__(self, message: str, error_code: str, **details: str) -> None:
        super().__init__(message)
        self.error = {"errorCode": error_code, "errorDetails": details} if details else {"errorCode": error_code}


def _invalid_parameters(message: str, **details: str) -> InvalidGatewayRequestException:
    return InvalidGatewayRequestException(message, "InvalidParameters", **details)


# --- activation keys: handed out by the lab appliance, consumed by ActivateGateway ---------------------------------


@dataclass
class IssuedKey:
    gateway_address: str
    region: str
    expires_at: float


_keys: dict[str, IssuedKey] = {}
_keys_lock = threading.Lock()
ISSUED_KEYS = _keys  # the same dict, named for snapshots.keep()


def _new_activation_key() -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "-".join("".join(mock_random.choice(alphabet) for _ in range(5)) for _ in range(5))


def issue_activation_key(gateway_address: str, region: str, ttl_seconds: int = ACTIVATION_KEY_TTL_SECONDS) -> str:
    """Issue a single-use activation key for the appliance at gateway_address, valid in region only."""
    ipaddress.ip_address(gateway_address)  # raises ValueError for anything but an IP address
    if not REGION_PATTERN.match(region):
        raise ValueError(f"{region!r} is not a region name")
    if ttl_seconds <= 0:
        raise ValueError("ttl_seconds must be positive")
    key = _new_activation_key()
    with _keys_lock:
        _keys[key] = IssuedKey(gateway_address, region, time.time() + ttl_seconds)
    return key


def _consume_activation_key(key: str, region: str) -> IssuedKey:
    with _keys_lock:
        issued = _keys.get(key)
        # Keys live in the region they were issued for: another region's service has never heard of them.
        if issued is None or issued.region != region:
            raise InvalidGatewayRequestException("The specified activation key was not found.", "ActivationKeyNotFound")
        if issued.expires_at < time.time():
            del _keys[key]
            raise InvalidGatewayRequestException("The specified activation key has expired.", "ActivationKeyExpired")
        del _keys[key]
    return issued


def forget_activation_keys() -> None:
    with _keys_lock:
        _keys.clear()


# --- the model ------------------------------------------------------------------------------------------------------


def _now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _random_suffix(length: int = 8) -> str:
    return "".join(mock_random.choice("0123456789ABCDEF") for _ in range(length))


def _mac_for(address: str) -> str:
    packed = ipaddress.ip_address(address).packed[-4:]
    return ":".join(f"{byte:02x}" for byte in (0x02, 0x00, *packed))


@dataclass
class LocalDisk:
    """A disk of the appliance, the way ListLocalDisks reports it."""

    disk_id: str
    path: str
    node: str
    size_bytes: int
    allocation: str = DISK_AVAILABLE

    @classmethod
    def numbered(cls, number: int, size_gib: int) -> LocalDisk:
        # The appliance's first data disk is SCSI target 0 behind the PCI controller 03:00.0, seen as /dev/sdb.
        return cls(f"pci-0000:03:00.0-scsi-0:0:{number}:0", f"/dev/sd{chr(ord('b') + number)}", f"SCSI (0:{number})", size_gib * 1024**3)

    def describe(self) -> dict[str, Any]:
        return {
            "DiskId": self.disk_id,
            "DiskPath": self.path,
            "DiskNode": self.node,
            "DiskStatus": "present",
            "DiskSizeInBytes": self.size_bytes,
            "DiskAllocationType": self.allocation,
            "DiskAttributeList": [],
        }


class CacheSettings:
    """Lab knob: whether CreateNFSFileShare refuses a gateway without cache (off, as the AWS reference reads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.require_cache_for_file_shares = False

    def reset(self) -> None:
        with self._lock:
            self.require_cache_for_file_shares = False

    def update(self, require_cache_for_file_shares: Any) -> None:
        if not isinstance(require_cache_for_file_shares, bool):
            raise ValueError("require_cache_for_file_shares must be true or false")
        with self._lock:
            self.require_cache_for_file_shares = require_cache_for_file_shares


SETTINGS = CacheSettings()


@dataclass
class Gateway:
    arn: str
    gateway_id: str
    name: str
    timezone: str
    region: str
    address: str
    gateway_type: str = "FILE_S3"
    state: str = "RUNNING"
    log_group_arn: str | None = None
    capacity: str = "Small"
    activated_at: str = field(default_factory=_now_iso)
    disks: list[LocalDisk] = field(default_factory=lambda: [LocalDisk.numbered(0, APPLIANCE_DISK_GIB)])

    @property
    def cache_disks(self) -> list[LocalDisk]:
        return [disk for disk in self.disks if disk.allocation == DISK_CACHE]

    def info(self, tags: list[dict[str, str]]) -> dict[str, Any]:
        described: dict[str, Any] = {
            "GatewayARN": self.arn,
            "GatewayId": self.gateway_id,
            "GatewayName": self.name,
            "GatewayTimezone": self.timezone,
            "GatewayState": self.state,
            "GatewayNetworkInterfaces": [{"Ipv4Address": self.address, "MacAddress": _mac_for(self.address)}],
            "GatewayType": self.gateway_type,
            "LastSoftwareUpdate": self.activated_at,
            "Tags": tags,
            "HostEnvironment": "OTHER",
            "EndpointType": "STANDARD",
            "GatewayCapacity": self.capacity,
            "SupportedGatewayCapacities": ["Small", "Medium", "Large"],
            "SoftwareVersion": "2.0.0",
        }
        if self.log_group_arn:
            described["CloudWatchLogGroupARN"] = self.log_group_arn
        return described

    def summary(self) -> dict[str, Any]:
        return {
            "GatewayId": self.gateway_id,
            "GatewayARN": self.arn,
            "GatewayType": self.gateway_type,
            "GatewayOperationalState": "ACTIVE" if self.state == "RUNNING" else "SHUTDOWN",
            "GatewayName": self.name,
            "HostEnvironment": "OTHER",
            "SoftwareVersion": "2.0.0",
        }


@dataclass
class RefreshRequest:
    notification_id: str
    folders: list[str]
    recursive: bool
    requested_at: str = field(default_factory=_now_iso)


@dataclass
class FileShare:
    arn: str
    share_id: str
    gateway_arn: str
    settings: dict[str, Any]
    status: str = "AVAILABLE"
    refreshes: list[RefreshRequest] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.settings["FileShareName"]

    def info(self, tags: list[dict[str, str]]) -> dict[str, Any]:
        return {
            **self.settings,
            "FileShareARN": self.arn,
            "FileShareId": self.share_id,
            "FileShareStatus": self.status,
            "GatewayARN": self.gateway_arn,
            "Path": "/" + self.name,
            "Tags": tags,
        }

    def summary(self) -> dict[str, Any]:
        return {"FileShareType": "NFS", "FileShareARN": self.arn, "FileShareId": self.share_id, "FileShareStatus": self.status, "GatewayARN": self.gateway_arn}


# Settings a CreateNFSFileShare request may carry, with AWS's defaults for those it may leave out.
SHARE_SETTINGS_DEFAULTS: dict[str, Any] = {
    "NFSFileShareDefaults": None,
    "EncryptionType": "SseS3",
    "KMSEncrypted": False,
    "KMSKey": None,
    "Role": None,
    "LocationARN": None,
    "DefaultStorageClass": "S3_STANDARD",
    "ObjectACL": "private",
    "ClientList": ["0.0.0.0/0"],
    "Squash": "RootSquash",
    "ReadOnly": False,
    "GuessMIMETypeEnabled": True,
    "RequesterPays": False,
    "FileShareName": None,
    "CacheAttributes": None,
    "NotificationPolicy": "{}",
    "VPCEndpointDNSName": None,
    "BucketRegion": None,
    "AuditDestinationARN": None,
}
UPDATABLE_SETTINGS = (
    "EncryptionType",
    "KMSEncrypted",
    "KMSKey",
    "NFSFileShareDefaults",
    "DefaultStorageClass",
    "ObjectACL",
    "ClientList",
    "Squash",
    "ReadOnly",
    "GuessMIMETypeEnabled",
    "RequesterPays",
    "FileShareName",
    "CacheAttributes",
    "NotificationPolicy",
    "AuditDestinationARN",
)


def _page(items: list[Any], marker: str | None, limit: int | None, key: Any) -> tuple[list[Any], str | None]:
    """Marker-based paging as Storage Gateway does it; the marker is the key of the first item not yet returned."""
    start = 0
    if marker:
        keys = [key(item) for item in items]
        if marker not in keys:
            raise _invalid_parameters("The specified marker is not valid.", Marker=marker)
        start = keys.index(marker)
    end = len(items) if not limit else start + limit
    return items[start:end], (key(items[end]) if end < len(items) else None)


class StorageGatewayBackend(BaseBackend):
    """Gateways, NFS file shares and their tags, per account and region."""

    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.gateways: dict[str, Gateway] = {}
        self.file_shares: dict[str, FileShare] = {}
        self.tags: dict[str, dict[str, str]] = {}
        self.client_tokens: dict[str, tuple[str, str]] = {}

    def _arn(self, resource: str) -> str:
        return f"arn:{get_partition(self.region_name)}:storagegateway:{self.region_name}:{self.account_id}:{resource}"

    # gateways

    def activate_gateway(
        self, key: str, name: str, *, timezone_name: str, gateway_region: str, gateway_type: str | None, tags: list[dict[str, str]]
    ) -> Gateway:
        if gateway_region != self.region_name:
            raise InvalidGatewayRequestException(
                f"The gateway region {gateway_region} does not match the region of the endpoint ({self.region_name}).",
                "RegionInvalid",
                GatewayRegion=gateway_region,
            )
        gateway_type = gateway_type or "STORED"
        if gateway_type != "FILE_S3":
            raise InvalidGatewayRequestException(f"Gateway type {gateway_type} is not supported by this gateway appliance; use FILE_S3.", "NotSupported")
        _check_timezone(timezone_name)
        self._check_tags(tags)
        issued = _consume_activation_key(key, self.region_name)
        gateway_id = f"sgw-{_random_suffix()}"
        gateway = Gateway(self._arn(f"gateway/{gateway_id}"), gateway_id, name, timezone_name, self.region_name, issued.gateway_address)
        self.gateways[gateway.arn] = gateway
        self.tags[gateway.arn] = {tag["Key"]: tag["Value"] for tag in tags}
        return gateway

    def get_gateway(self, arn: str) -> Gateway:
        gateway = self.gateways.get(arn)
        if gateway is None:
            raise InvalidGatewayRequestException("The specified gateway was not found.", "GatewayNotFound", GatewayARN=arn)
        return gateway

    def list_gateways(self, marker: str | None, limit: int | None) -> tuple[list[Gateway], str | None]:
        return _page(list(self.gateways.values()), marker, limit, key=lambda gateway: gateway.arn)

    def update_gateway_information(self, arn: str, name: str | None, timezone_name: str | None, log_group_arn: str | None, capacity: str | None) -> Gateway:
        gateway = self.get_gateway(arn)
        if timezone_name is not None:
            _check_timezone(timezone_name)
        if log_group_arn and not LOG_GROUP_ARN_PATTERN.match(log_group_arn):
            raise _invalid_parameters("The specified CloudWatch log group ARN is not valid.", CloudWatchLogGroupARN=log_group_arn)
        if name is not None:
            gateway.name = name
        if timezone_name is not None:
            gateway.timezone = timezone_name
        if log_group_arn is not None:
            gateway.log_group_arn = log_group_arn or None  # an empty string switches logging off
        if capacity is not None:
            gateway.capacity = capacity
        return gateway

    def delete_gateway(self, arn: str) -> Gateway:
        gateway = self.get_gateway(arn)
        for share in [share for share in self.file_shares.values() if share.gateway_arn == arn]:
            self._drop_share(share)
        del self.gateways[arn]
        self.tags.pop(arn, None)
        return gateway

    # local disks and cache

    def add_cache(self, arn: str, disk_ids: list[str]) -> Gateway:
        gateway = self.get_gateway(arn)
        disks = {disk.disk_id: disk for disk in gateway.disks}
        for disk_id in disk_ids:  # every disk is checked before any is allocated
            if disk_id not in disks:
                raise InvalidGatewayRequestException("The specified disk does not exist.", "DiskDoesNotExist", DiskId=disk_id)
            if disks[disk_id].allocation != DISK_AVAILABLE:
                raise InvalidGatewayRequestException(f"The disk is already allocated as {disks[disk_id].allocation}.", "DiskAlreadyAllocated", DiskId=disk_id)
        for disk_id in disk_ids:
            disks[disk_id].allocation = DISK_CACHE
        return gateway

    def add_local_disk(self, arn: str, size_gib: int) -> LocalDisk:
        gateway = self.get_gateway(arn)
        disk = LocalDisk.numbered(len(gateway.disks), size_gib)
        gateway.disks.append(disk)
        return disk

    # NFS file shares

    def create_nfs_file_share(self, params: dict[str, Any]) -> FileShare:
        gateway = self.get_gateway(params["GatewayARN"])
        if SETTINGS.require_cache_for_file_shares and not gateway.cache_disks:
            raise InvalidGatewayRequestException(
                "The gateway has no cache: allocate a local disk as cache (AddCache) before creating file shares.", "NotSupported", GatewayARN=gateway.arn
            )
        token = params["ClientToken"]
        fingerprint = json.dumps({k: v for k, v in params.items() if k != "ClientToken"}, sort_keys=True, default=str)
        if token in self.client_tokens:
            seen_fingerprint, share_arn = self.client_tokens[token]
            if seen_fingerprint != fingerprint:
                raise _invalid_parameters("The ClientToken was already used for a request with different parameters.", ClientToken=token)
            if share_arn in self.file_shares:
                return self.file_shares[share_arn]
        settings = {name: params.get(name, default) for name, default in SHARE_SETTINGS_DEFAULTS.items()}
        settings["NFSFileShareDefaults"] = {**DEFAULT_NFS_FILE_SHARE_DEFAULTS, **(params.get("NFSFileShareDefaults") or {})}
        bucket, prefix = self._check_location(settings["LocationARN"])
        if prefix and not params.get("FileShareName"):
            raise _invalid_parameters("FileShareName must be set when the LocationARN has a prefix.", LocationARN=settings["LocationARN"])
        settings["FileShareName"] = params.get("FileShareName") or bucket
        self._check_role(settings["Role"])
        self._check_share_settings(settings)
        self._check_share_name_free(gateway.arn, settings["FileShareName"], exclude=None)
        self._check_tags(params.get("Tags") or [])
        share_id = f"share-{_random_suffix()}"
        share = FileShare(self._arn(f"share/{share_id}"), share_id, gateway.arn, {k: v for k, v in settings.items() if v is not None})
        self.file_shares[share.arn] = share
        self.tags[share.arn] = {tag["Key"]: tag["Value"] for tag in params.get("Tags") or []}
        self.client_tokens[token] = (fingerprint, share.arn)
        return share

    def get_file_share(self, arn: str) -> FileShare:
        share = self.file_shares.get(arn)
        if share is None:
            raise _invalid_parameters("The specified file share was not found.", FileShareARN=arn)
        return share

    def update_nfs_file_share(self, params: dict[str, Any]) -> FileShare:
        share = self.get_file_share(params["FileShareARN"])
        settings = dict(share.settings)
        for name in UPDATABLE_SETTINGS:
            if params.get(name) is not None:
                settings[name] = params[name]
        if params.get("NFSFileShareDefaults") is not None:
            settings["NFSFileShareDefaults"] = {**share.settings["NFSFileShareDefaults"], **params["NFSFileShareDefaults"]}
        self._check_share_settings(settings)
        self._check_share_name_free(share.gateway_arn, settings["FileShareName"], exclude=share.arn)
        share.settings = {k: v for k, v in settings.items() if v is not None}
        return share

    def describe_nfs_file_shares(self, arns: list[str]) -> list[FileShare]:
        return [self.get_file_share(arn) for arn in arns]

    def list_file_shares(self, gateway_arn: str | None, marker: str | None, limit: int | None) -> tuple[list[FileShare], str | None]:
        if gateway_arn:
            self.get_gateway(gateway_arn)
        shares = [share for share in self.file_shares.values() if not gateway_arn or share.gateway_arn == gateway_arn]
        return _page(shares, marker, limit, key=lambda share: share.arn)

    def delete_file_share(self, arn: str) -> FileShare:
        share = self.get_file_share(arn)
        self._drop_share(share)
        return share

    def refresh_cache(self, arn: str, folders: list[str] | None, recursive: bool | None) -> RefreshRequest:
        share = self.get_file_share(arn)
        request = RefreshRequest(str(mock_random.uuid4()), folders or ["/"], True if recursive is None else recursive)
        share.refreshes.append(request)
        return request

    def _drop_share(self, share: FileShare) -> None:
        del self.file_shares[share.arn]
        self.tags.pop(share.arn, None)
        self.client_tokens = {token: seen for token, seen in self.client_tokens.items() if seen[1] != share.arn}

    # checks AWS makes before it accepts a file share

    def _check_location(self, location_arn: str) -> tuple[str, str]:
        from moto.s3.exceptions import MissingBucket
        from moto.s3.models import s3_backends

        match = BUCKET_LOCATION_PATTERN.match(location_arn)
        if not match:
            raise _invalid_parameters("The LocationARN must be the ARN of an S3 bucket, optionally followed by a prefix.", LocationARN=location_arn)
        partition, bucket, prefix = match.group(1), match.group(2), match.group(3) or ""
        if prefix and not prefix.endswith("/"):
            raise _invalid_parameters("The prefix in the LocationARN must end with a forward slash (/).", LocationARN=location_arn)
        try:
            s3_backends[self.account_id][partition].get_bucket(bucket)
        except MissingBucket:
            raise _invalid_parameters(f"The specified S3 bucket {bucket} does not exist.", LocationARN=location_arn) from None
        return bucket, prefix

    def _check_role(self, role_arn: str) -> None:
        from moto.iam.models import iam_backends

        account = role_arn.split(":")[4]
        try:
            iam_backends[account][get_partition(self.region_name)].get_role_by_arn(role_arn)
        except Exception:  # moto's IAM raises its own NotFoundException
            raise _invalid_parameters(f"The specified IAM role {role_arn} does not exist.", Role=role_arn) from None

    def _check_share_settings(self, settings: dict[str, Any]) -> None:
        for client in settings["ClientList"]:
            try:
                ipaddress.ip_network(client, strict=False)
            except ValueError:
                raise _invalid_parameters(f"The client list entry {client} is not a valid IP address or CIDR block.", ClientList=client) from None
        if settings["Squash"] not in SQUASH_VALUES:
            raise _invalid_parameters(f"Squash must be one of {', '.join(SQUASH_VALUES)}.", Squash=settings["Squash"])
        if settings["DefaultStorageClass"] not in STORAGE_CLASSES:
            raise _invalid_parameters(f"DefaultStorageClass must be one of {', '.join(STORAGE_CLASSES)}.", DefaultStorageClass=settings["DefaultStorageClass"])
        timeout = (settings.get("CacheAttributes") or {}).get("CacheStaleTimeoutInSeconds")
        low, high = CACHE_STALE_TIMEOUT_RANGE
        if timeout is not None and timeout != 0 and not low <= timeout <= high:
            raise _invalid_parameters(f"CacheStaleTimeoutInSeconds must be 0 or between {low} and {high}.", CacheStaleTimeoutInSeconds=str(timeout))
        needs_key = settings["EncryptionType"] in ("SseKms", "DsseKms") or settings["KMSEncrypted"]
        if needs_key and not settings.get("KMSKey"):
            raise _invalid_parameters("A KMSKey is required for KMS encryption.", EncryptionType=settings["EncryptionType"])
        if settings.get("KMSKey"):
            self._check_kms_key(settings["KMSKey"])

    def _check_kms_key(self, key: str) -> None:
        from moto.kms.models import kms_backends

        try:
            kms_backends[self.account_id][self.region_name].describe_key(key)
        except Exception:  # moto's KMS raises NotFoundException
            raise _invalid_parameters(f"The specified KMS key {key} does not exist.", KMSKey=key) from None

    def _check_share_name_free(self, gateway_arn: str, name: str, exclude: str | None) -> None:
        for share in self.file_shares.values():
            if share.gateway_arn == gateway_arn and share.name == name and share.arn != exclude:
                raise _invalid_parameters(f"A file share named {name} already exists on this gateway.", FileShareName=name)

    # tags

    def _check_tags(self, tags: list[dict[str, str]], existing: dict[str, str] | None = None) -> None:
        keys = set(existing or {}) | {tag["Key"] for tag in tags}
        if len(keys) > MAX_TAGS:
            raise _invalid_parameters(f"A resource can have at most {MAX_TAGS} tags.")

    def _tagged(self, arn: str) -> dict[str, str]:
        if arn not in self.tags:
            raise _invalid_parameters("The specified resource was not found.", ResourceARN=arn)
        return self.tags[arn]

    def tag_list(self, arn: str) -> list[dict[str, str]]:
        return [{"Key": key, "Value": value} for key, value in self._tagged(arn).items()]

    def add_tags(self, arn: str, tags: list[dict[str, str]]) -> None:
        current = self._tagged(arn)
        self._check_tags(tags, current)
        current.update({tag["Key"]: tag["Value"] for tag in tags})

    def remove_tags(self, arn: str, keys: list[str]) -> None:
        current = self._tagged(arn)
        for key in keys:
            current.pop(key, None)


def _check_timezone(name: str) -> None:
    if not TIMEZONE_PATTERN.match(name):
        raise _invalid_parameters(f"The gateway time zone {name} is not valid; use GMT or GMT+hr:mm / GMT-hr:mm.", GatewayTimezone=name)


storagegateway_backends = BackendDict(StorageGatewayBackend, SERVICE)
