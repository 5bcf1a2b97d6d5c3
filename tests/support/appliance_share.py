"""A file gateway activated on the lab's appliance with one NFS share, as the lab tests (tests/lab) need it:
the activation key comes from the appliance's handshake, the bucket and role are made for the share and removed
with it."""

from __future__ import annotations

import http.client
import json
import urllib.parse
import uuid
from collections.abc import Callable
from typing import Any

APPLIANCE_ADDRESS = "10.254.0.201"
GATEWAY_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "storagegateway.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def activation_key(region: str) -> str:
    """GET /?activationRegion=R on the appliance answers a redirect carrying the key, as the real appliance does."""
    connection = http.client.HTTPConnection(APPLIANCE_ADDRESS, 80, timeout=15)
    connection.request("GET", f"/?activationRegion={region}")
    answer = connection.getresponse()
    assert answer.status == 302
    return urllib.parse.parse_qs(urllib.parse.urlsplit(answer.getheader("Location", "")).query)["activationKey"][0]


def create(aws: Callable[[str], Any], region: str, label: str, prefix: str, client_cidr: str, **share_options: Any) -> dict[str, str]:
    """Activates a gateway and creates a bucket, a role and a RootSquash share exported to client_cidr only."""
    sgw, s3, iam = aws("storagegateway"), aws("s3"), aws("iam")
    gateway = sgw.activate_gateway(
        ActivationKey=activation_key(region), GatewayName=unique(label), GatewayTimezone="GMT", GatewayRegion=region, GatewayType="FILE_S3"
    )["GatewayARN"]
    bucket, role, name = unique(f"{label}-fgw"), unique(f"{label}-sgw"), unique(f"{label}-share")
    s3.create_bucket(Bucket=bucket)
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(GATEWAY_TRUST))["Role"]["Arn"]
    share = sgw.create_nfs_file_share(
        ClientToken=unique("token"),
        GatewayARN=gateway,
        Role=role_arn,
        LocationARN=f"arn:aws:s3:::{bucket}/{prefix}/",
        FileShareName=name,
        ClientList=[client_cidr],
        Squash="RootSquash",
        **share_options,
    )["FileShareARN"]
    return {"gateway": gateway, "share": share, "bucket": bucket, "name": name, "role": role}


def delete(aws: Callable[[str], Any], made: dict[str, str]) -> None:
    sgw, s3 = aws("storagegateway"), aws("s3")
    sgw.delete_file_share(FileShareARN=made["share"])
    sgw.delete_gateway(GatewayARN=made["gateway"])
    for item in s3.list_objects_v2(Bucket=made["bucket"]).get("Contents", []):
        s3.delete_object(Bucket=made["bucket"], Key=item["Key"])
    s3.delete_bucket(Bucket=made["bucket"])
    aws("iam").delete_role(RoleName=made["role"])
