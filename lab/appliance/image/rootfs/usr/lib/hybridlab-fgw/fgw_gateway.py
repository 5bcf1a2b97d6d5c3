"""Which NFS file shares this appliance serves: those of the gateways activated with its address.

Uses the ordinary Storage Gateway API (ListGateways, DescribeGatewayInformation, ListFileShares,
DescribeNFSFileShares), SigV4-signed, like any client of the service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lab_aws
from fgw_settings import ADDRESS, ENDPOINT

TARGET_PREFIX = "StorageGateway_20130630."
LOCATION_PATTERN = re.compile(r"^arn:[a-z-]+:s3:::([^/]+)(?:/(.*))?$")
DESCRIBE_BATCH = 10  # DescribeNFSFileShares takes at most 10 ARNs


@dataclass
class Share:
    arn: str
    share_id: str
    name: str
    region: str
    bucket: str
    prefix: str
    client_list: list[str]
    squash: str
    read_only: bool
    settings: dict = field(default_factory=dict)

    @property
    def bucket_region(self) -> str:
        return self.settings.get("BucketRegion") or self.region


class Gateways:
    def __init__(self, credentials: lab_aws.Credentials):
        self.credentials = credentials
        self._addresses: dict[str, list[str]] = {}  # gateway ARN -> its addresses (they never change)

    def _call(self, region: str, operation: str, payload: dict) -> dict:
        return lab_aws.json_call(ENDPOINT, TARGET_PREFIX + operation, payload, service="storagegateway", region=region, credentials=self.credentials)

    def _paged(self, region: str, operation: str, payload: dict, items: str, next_marker: str) -> list[dict]:
        found, marker = [], None
        while True:
            answer = self._call(region, operation, {**payload, **({"Marker": marker} if marker else {})})
            found.extend(answer.get(items, []))
            marker = answer.get(next_marker)
            if not marker:
                return found

    def _is_mine(self, region: str, gateway_arn: str) -> bool:
        if gateway_arn not in self._addresses:
            info = self._call(region, "DescribeGatewayInformation", {"GatewayARN": gateway_arn})
            self._addresses[gateway_arn] = [nic.get("Ipv4Address") for nic in info.get("GatewayNetworkInterfaces", [])]
        return ADDRESS in self._addresses[gateway_arn]

    def shares(self, regions: list[str]) -> list[Share]:
        """Every NFS file share of this appliance's gateways in regions; raises on any API failure."""
        shares = []
        for region in regions:
            for gateway in self._paged(region, "ListGateways", {}, "Gateways", "Marker"):
                if not self._is_mine(region, gateway["GatewayARN"]):
                    continue
                listed = self._paged(region, "ListFileShares", {"GatewayARN": gateway["GatewayARN"]}, "FileShareInfoList", "NextMarker")
                arns = [item["FileShareARN"] for item in listed if item.get("FileShareType", "NFS") == "NFS"]
                for start in range(0, len(arns), DESCRIBE_BATCH):
                    answer = self._call(region, "DescribeNFSFileShares", {"FileShareARNList": arns[start : start + DESCRIBE_BATCH]})
                    shares.extend(_share(region, info) for info in answer.get("NFSFileShareInfoList", []))
        return [share for share in shares if share is not None]


def _share(region: str, info: dict) -> Share | None:
    match = LOCATION_PATTERN.match(info.get("LocationARN", ""))
    if not match:
        return None  # access point locations are not served by the lab appliance
    return Share(
        arn=info["FileShareARN"],
        share_id=info["FileShareId"],
        name=info.get("FileShareName") or match.group(1),
        region=region,
        bucket=match.group(1),
        prefix=match.group(2) or "",
        client_list=list(info.get("ClientList") or ["0.0.0.0/0"]),
        squash=info.get("Squash", "RootSquash"),
        read_only=bool(info.get("ReadOnly")),
        settings=info,
    )
