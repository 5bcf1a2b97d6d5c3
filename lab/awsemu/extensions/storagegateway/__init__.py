"""Storage Gateway for the lab: S3 File Gateways with NFS file shares (moto has no Storage Gateway at all).

A gateway comes to exist as on AWS:
1. The lab's gateway appliance asks the control plane for an activation key, as a real appliance hands one out on
   http://<ip>/?activationRegion=<region>:
       POST /_lab/storagegateway/activation-keys {"gateway_address": ip, "region": r [, "ttl_seconds": n]}
       -> {"activation_key": k}
   (or in-process: issue_activation_key(ip, region)). A key is single-use, valid 30 minutes, and only in its region.
2. ActivateGateway(ActivationKey=k, GatewayType="FILE_S3", ...) creates the gateway; DescribeGatewayInformation lists
   the appliance address in GatewayNetworkInterfaces, so NFS clients mount <ip>:/<FileShareName>.
3. The appliance learns which shares to export from
       GET /_lab/storagegateway/gateways/<gateway id>/shares
   (the id is the ARN's last part, sgw-...), or through the ordinary boto3 API.
4. An activated gateway has the appliance's local disks: one of 150 GiB (pci-0000:03:00.0-scsi-0:0:0:0, /dev/sdb),
   AVAILABLE in ListLocalDisks until AddCache allocates it as CACHE STORAGE; DescribeCache lists the cache disks.
   More disks: POST /_lab/storagegateway/gateways/<gateway id>/disks {"size_gib": n} -> the new disk.
   A file gateway serves data from its cache, yet the CreateNFSFileShare reference names no cache precondition, and
   file shares are created on gateways without cache in public test suites that run against AWS. So shares are
   accepted without cache by default; POST /_lab/storagegateway/settings {"require_cache_for_file_shares": true}
   makes CreateNFSFileShare refuse a gateway without cache (InvalidGatewayRequestException), for stricter lab runs.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from moto import backend_index

from awsemu import control, snapshots
from awsemu.extensions.storagegateway.models import (
    ACTIVATION_KEY_TTL_SECONDS,
    APPLIANCE_DISK_GIB,
    BUCKET_LOCATION_PATTERN,
    ISSUED_KEYS,
    SERVICE,
    SETTINGS,
    URL_BASE,
    FileShare,
    Gateway,
    StorageGatewayBackend,
    forget_activation_keys,
    issue_activation_key,
    storagegateway_backends,
)


def _issue_key_route(body: Any) -> dict[str, str]:
    if not isinstance(body, dict) or not body.get("gateway_address") or not body.get("region"):
        raise control.LabError(400, 'expected {"gateway_address": "<ip>", "region": "<region>"}')
    try:
        key = issue_activation_key(str(body["gateway_address"]), str(body["region"]), int(body.get("ttl_seconds", ACTIVATION_KEY_TTL_SECONDS)))
    except ValueError as error:
        raise control.LabError(400, str(error)) from error
    return {"activation_key": key}


def _share_for_appliance(share: FileShare) -> dict[str, Any]:
    settings = share.settings
    match = BUCKET_LOCATION_PATTERN.match(settings["LocationARN"])
    return {
        "file_share_arn": share.arn,
        "file_share_id": share.share_id,
        "file_share_name": share.name,
        "path": "/" + share.name,
        "status": share.status,
        "location_arn": settings["LocationARN"],
        "bucket": match.group(2) if match else None,
        "prefix": (match.group(3) or "") if match else "",
        "client_list": settings["ClientList"],
        "squash": settings["Squash"],
        "read_only": settings["ReadOnly"],
        "default_storage_class": settings["DefaultStorageClass"],
        "nfs_file_share_defaults": settings["NFSFileShareDefaults"],
        "refresh_requests": [
            {"notification_id": r.notification_id, "folders": r.folders, "recursive": r.recursive, "requested_at": r.requested_at} for r in share.refreshes
        ],
    }


def _find_gateway(gateway: str) -> tuple[str, str, StorageGatewayBackend, Gateway]:
    """(account, region, backend, gateway) for a gateway id or ARN, in any account and region."""
    for account_id, region, backend in storagegateway_backends.iter_backends():
        for found in backend.gateways.values():
            if gateway in (found.gateway_id, found.arn):
                return account_id, region, backend, found
    raise control.LabError(404, f"no gateway {gateway}")


def _gateway_shares_route(_body: Any, gateway: str) -> dict[str, Any]:
    account_id, region, backend, found = _find_gateway(gateway)
    shares = [share for share in backend.file_shares.values() if share.gateway_arn == found.arn]
    return {
        "gateway_arn": found.arn,
        "gateway_id": found.gateway_id,
        "gateway_address": found.address,
        "account_id": account_id,
        "region": region,
        "cache_disk_ids": [disk.disk_id for disk in found.cache_disks],
        "shares": [_share_for_appliance(share) for share in shares],
    }


def _add_disk_route(body: Any, gateway: str) -> dict[str, Any]:
    size_gib: Any = APPLIANCE_DISK_GIB
    if body is not None:
        size_gib = body.get("size_gib", APPLIANCE_DISK_GIB) if isinstance(body, dict) else None
    if not isinstance(size_gib, int) or isinstance(size_gib, bool) or not 1 <= size_gib <= 64 * 1024:
        raise control.LabError(400, 'expected {"size_gib": 1..65536}')
    _, _, backend, found = _find_gateway(gateway)
    if len(found.disks) >= 16:
        raise control.LabError(400, "the appliance has no free SCSI target left (16 disks)")
    return backend.add_local_disk(found.arn, size_gib).describe()


def _settings_route(body: Any) -> dict[str, Any]:
    if body:
        try:
            SETTINGS.update(body.get("require_cache_for_file_shares", SETTINGS.require_cache_for_file_shares))
        except (AttributeError, ValueError) as error:
            raise control.LabError(400, f"invalid settings: {error}") from error
    return {"require_cache_for_file_shares": SETTINGS.require_cache_for_file_shares}


def install() -> None:
    """Register the service with moto's dispatcher (idempotent)."""
    # moto.backends.get_backend("storagegateway") imports moto.storagegateway and reads storagegateway_backends.
    sys.modules.setdefault(f"moto.{SERVICE}", sys.modules[__name__])
    if not any(name == SERVICE for name, _ in backend_index.backend_url_patterns):
        backend_index.backend_url_patterns.append((SERVICE, re.compile(URL_BASE)))
    control.route("POST", "/_lab/storagegateway/activation-keys", _issue_key_route)
    control.route("GET", "/_lab/storagegateway/gateways/<gateway>/shares", _gateway_shares_route)
    control.route("POST", "/_lab/storagegateway/gateways/<gateway>/disks", _add_disk_route)
    control.route("GET", "/_lab/storagegateway/settings", _settings_route)
    control.route("POST", "/_lab/storagegateway/settings", _settings_route)
    control.on_reset(forget_activation_keys)
    snapshots.keep(ISSUED_KEYS)
    control.on_reset(SETTINGS.reset)
