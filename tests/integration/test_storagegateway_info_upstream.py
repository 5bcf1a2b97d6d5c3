"""Upstream community.aws.storagegateway_info against the emulator: it lists the gateway, its local disks and its
NFS file share as they were made through the API (it failed on plain moto, which has no Storage Gateway)."""

from __future__ import annotations

import json

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "storagegateway.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def test_storagegateway_info_lists_gateway_disks_and_file_shares(aws, lab_api, playbook, mutating_calls):
    sgw = aws("storagegateway")
    aws("s3").create_bucket(Bucket="lab-share-bucket")
    role = aws("iam").create_role(RoleName="LabFileGatewayRole", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    status, answer = lab_api("POST", "/_lab/storagegateway/activation-keys", json={"gateway_address": "10.254.0.200", "region": "us-east-1"})
    assert status == 200, answer
    request = {"GatewayName": "lab-fgw", "GatewayTimezone": "GMT", "GatewayRegion": "us-east-1", "GatewayType": "FILE_S3"}
    gateway = sgw.activate_gateway(ActivationKey=answer["activation_key"], **request)["GatewayARN"]
    # As on a real gateway: the appliance's disk becomes cache before shares serve data.
    sgw.add_cache(GatewayARN=gateway, DiskIds=[disk["DiskId"] for disk in sgw.list_local_disks(GatewayARN=gateway)["Disks"]])
    share = sgw.create_nfs_file_share(
        ClientToken="info-test-1", GatewayARN=gateway, Role=role, LocationARN="arn:aws:s3:::lab-share-bucket", FileShareName="backups"
    )["FileShareARN"]
    lab_api("DELETE", "/_lab/requests")

    result = playbook([{"name": "info", "community.aws.storagegateway_info": {}}])
    assert result.failed == 0, result.output
    assert result.task("info")["changed"] is False
    [listed] = result.task("info")["result"]["gateways"]
    assert (listed["gateway_arn"], listed["gateway_name"], listed["gateway_type"]) == (gateway, "lab-fgw", "FILE_S3")
    assert listed["gateway_operational_state"] == "ACTIVE"
    assert [(s["file_share_arn"], s["file_share_type"], s["file_share_status"]) for s in listed["file_shares"]] == [(share, "NFS", "AVAILABLE")]
    assert listed["local_disks"][0]["disk_allocation_type"] == "CACHE STORAGE"
    assert mutating_calls() == []
