"""Storage Gateway for the lab: the responses, in the API's JSON (the package's docstring)."""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult, BaseResponse

from awsemu.extensions._model_constraints import validate
from awsemu.extensions.storagegateway.models import SERVICE, StorageGatewayBackend, storagegateway_backends


class StorageGatewayResponse(BaseResponse):
    """The JSON 1.1 front end (X-Amz-Target: StorageGateway_20130630.<Operation>)."""

    def __init__(self) -> None:
        super().__init__(service_name=SERVICE)
        self.automated_parameter_parsing = True

    @property
    def backend(self) -> StorageGatewayBackend:
        return storagegateway_backends[self.current_account][self.region]

    def _validated(self) -> dict[str, Any]:
        validate(SERVICE, self._get_action(), self.params)
        return self.params

    def activate_gateway(self) -> ActionResult:
        p = self._validated()
        gateway = self.backend.activate_gateway(
            p["ActivationKey"],
            p["GatewayName"],
            timezone_name=p["GatewayTimezone"],
            gateway_region=p["GatewayRegion"],
            gateway_type=p.get("GatewayType"),
            tags=p.get("Tags") or [],
        )
        return ActionResult({"GatewayARN": gateway.arn})

    def describe_gateway_information(self) -> ActionResult:
        p = self._validated()
        gateway = self.backend.get_gateway(p["GatewayARN"])
        return ActionResult(gateway.info(self.backend.tag_list(gateway.arn)))

    def list_gateways(self) -> ActionResult:
        p = self._validated()
        gateways, marker = self.backend.list_gateways(p.get("Marker"), p.get("Limit"))
        result: dict[str, Any] = {"Gateways": [gateway.summary() for gateway in gateways]}
        if marker:
            result["Marker"] = marker
        return ActionResult(result)

    def update_gateway_information(self) -> ActionResult:
        p = self._validated()
        gateway = self.backend.update_gateway_information(
            p["GatewayARN"], p.get("GatewayName"), p.get("GatewayTimezone"), p.get("CloudWatchLogGroupARN"), p.get("GatewayCapacity")
        )
        return ActionResult({"GatewayARN": gateway.arn, "GatewayName": gateway.name})

    def delete_gateway(self) -> ActionResult:
        p = self._validated()
        return ActionResult({"GatewayARN": self.backend.delete_gateway(p["GatewayARN"]).arn})

    def list_local_disks(self) -> ActionResult:
        p = self._validated()
        gateway = self.backend.get_gateway(p["GatewayARN"])
        return ActionResult({"GatewayARN": gateway.arn, "Disks": [disk.describe() for disk in gateway.disks]})

    def add_cache(self) -> ActionResult:
        p = self._validated()
        return ActionResult({"GatewayARN": self.backend.add_cache(p["GatewayARN"], p["DiskIds"]).arn})

    def describe_cache(self) -> ActionResult:
        p = self._validated()
        gateway = self.backend.get_gateway(p["GatewayARN"])
        cache = gateway.cache_disks
        # Nothing is read or written through the lab's cache, so its usage stays at zero.
        usage = dict.fromkeys(("CacheUsedPercentage", "CacheDirtyPercentage", "CacheHitPercentage", "CacheMissPercentage"), 0.0)
        return ActionResult(
            {"GatewayARN": gateway.arn, "DiskIds": [disk.disk_id for disk in cache], "CacheAllocatedInBytes": sum(disk.size_bytes for disk in cache), **usage}
        )

    def create_nfs_file_share(self) -> ActionResult:
        share = self.backend.create_nfs_file_share(self._validated())
        return ActionResult({"FileShareARN": share.arn})

    def update_nfs_file_share(self) -> ActionResult:
        share = self.backend.update_nfs_file_share(self._validated())
        return ActionResult({"FileShareARN": share.arn})

    def describe_nfs_file_shares(self) -> ActionResult:
        p = self._validated()
        shares = self.backend.describe_nfs_file_shares(p["FileShareARNList"])
        return ActionResult({"NFSFileShareInfoList": [share.info(self.backend.tag_list(share.arn)) for share in shares]})

    def list_file_shares(self) -> ActionResult:
        p = self._validated()
        shares, marker = self.backend.list_file_shares(p.get("GatewayARN"), p.get("Marker"), p.get("Limit"))
        result: dict[str, Any] = {"FileShareInfoList": [share.summary() for share in shares]}
        if p.get("Marker"):
            result["Marker"] = p["Marker"]
        if marker:
            result["NextMarker"] = marker
        return ActionResult(result)

    def delete_file_share(self) -> ActionResult:
        p = self._validated()
        return ActionResult({"FileShareARN": self.backend.delete_file_share(p["FileShareARN"]).arn})

    def refresh_cache(self) -> ActionResult:
        p = self._validated()
        request = self.backend.refresh_cache(p["FileShareARN"], p.get("FolderList"), p.get("Recursive"))
        return ActionResult({"FileShareARN": p["FileShareARN"], "NotificationId": request.notification_id})

    def add_tags_to_resource(self) -> ActionResult:
        p = self._validated()
        self.backend.add_tags(p["ResourceARN"], p["Tags"])
        return ActionResult({"ResourceARN": p["ResourceARN"]})

    def remove_tags_from_resource(self) -> ActionResult:
        p = self._validated()
        self.backend.remove_tags(p["ResourceARN"], p["TagKeys"])
        return ActionResult({"ResourceARN": p["ResourceARN"]})

    def list_tags_for_resource(self) -> ActionResult:
        p = self._validated()
        return ActionResult({"ResourceARN": p["ResourceARN"], "Tags": self.backend.tag_list(p["ResourceARN"])})


# --- lab control plane --------------------------------------------------------------------------------------------
