"""Snapshots of the emulator's state (lab/awsemu/snapshots.py): saved, restored as often as needed, each restore a copy."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

WEB = {"ServiceNamespace": "ecs", "ResourceId": "service/lab/web", "ScalableDimension": "ecs:service:DesiredCount"}


def build_account(client) -> dict:
    """Resources of several services and two regions, a versioned bucket with two versions of a key, and the lab's own
    tag store (Application Auto Scaling target tags)."""
    ec2 = client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.61.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.61.1.0/24")["Subnet"]["SubnetId"]
    s3 = client("s3")
    s3.create_bucket(Bucket="lab-snapshot-probe")
    s3.put_bucket_versioning(Bucket="lab-snapshot-probe", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="lab-snapshot-probe", Key="a.txt", Body=b"zero")
    s3.put_object(Bucket="lab-snapshot-probe", Key="a.txt", Body=b"first")
    client("ssm").put_parameter(Name="/lab/snapshot", Value="v1", Type="SecureString")
    ecs = client("ecs")
    ecs.create_cluster(clusterName="lab")
    ecs.register_task_definition(family="web", containerDefinitions=[{"name": "web", "image": "web:1", "memory": 128}])
    ecs.create_service(cluster="lab", serviceName="web", taskDefinition="web", desiredCount=0)
    target_arn = client("application-autoscaling").register_scalable_target(**WEB, MinCapacity=1, MaxCapacity=4, Tags={"team": "web"})["ScalableTargetARN"]
    client("ec2", "us-west-2").create_vpc(CidrBlock="10.62.0.0/16")
    return {"vpc_id": vpc_id, "subnet_id": subnet_id, "target_arn": target_arn}


def read_account(client, target_arn: str) -> dict:
    ec2 = client("ec2")
    return {
        "vpcs": sorted(vpc["CidrBlock"] for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc["IsDefault"]),
        "subnets": sorted(subnet["CidrBlock"] for subnet in ec2.describe_subnets()["Subnets"] if not subnet["DefaultForAz"]),
        "west_vpcs": sorted(vpc["CidrBlock"] for vpc in client("ec2", "us-west-2").describe_vpcs()["Vpcs"] if not vpc["IsDefault"]),
        "object": client("s3").get_object(Bucket="lab-snapshot-probe", Key="a.txt")["Body"].read(),
        "versions": len(client("s3").list_object_versions(Bucket="lab-snapshot-probe")["Versions"]),
        "parameter": client("ssm").get_parameter(Name="/lab/snapshot", WithDecryption=True)["Parameter"]["Value"],
        "desired": [service["desiredCount"] for service in client("ecs").describe_services(cluster="lab", services=["web"])["services"]],
        "target_tags": client("application-autoscaling").list_tags_for_resource(ResourceARN=target_arn)["Tags"],
    }


def test_a_restore_brings_back_the_saved_account_every_time(client, lab_api):
    made = build_account(client)
    saved = read_account(client, made["target_arn"])
    status, answer = lab_api("POST", "/_lab/snapshots/converged")
    assert status == 200, answer
    assert answer["backends"] >= 5

    for round_ in range(2):  # each restore is a copy: what a test did after the first one is gone in the second
        ec2, s3, ssm = client("ec2"), client("s3"), client("ssm")
        ec2.delete_subnet(SubnetId=made["subnet_id"])
        ec2.create_vpc(CidrBlock=f"10.7{round_}.0.0/16")
        s3.put_object(Bucket="lab-snapshot-probe", Key="a.txt", Body=b"changed")
        ssm.put_parameter(Name="/lab/snapshot", Value="v2", Type="SecureString", Overwrite=True)
        client("application-autoscaling").untag_resource(ResourceARN=made["target_arn"], TagKeys=["team"])
        client("ecs").update_service(cluster="lab", service="web", desiredCount=3)
        assert read_account(client, made["target_arn"]) != saved

        assert lab_api("POST", "/_lab/snapshots/converged/restore") == (200, {"restored": "converged"})
        assert read_account(client, made["target_arn"]) == saved


def test_a_restore_drops_what_was_made_after_the_snapshot_and_keeps_working_ids(client, lab_api):
    made = build_account(client)
    assert lab_api("POST", "/_lab/snapshots/converged")[0] == 200
    client("s3").create_bucket(Bucket="lab-snapshot-later")

    assert lab_api("POST", "/_lab/snapshots/converged/restore")[0] == 200

    assert "lab-snapshot-later" not in [bucket["Name"] for bucket in client("s3").list_buckets()["Buckets"]]
    # The restored resources answer writes by their old ids, and new ones do not clash with them.
    ec2 = client("ec2")
    ec2.create_tags(Resources=[made["vpc_id"]], Tags=[{"Key": "after", "Value": "restore"}])
    assert {"Key": "after", "Value": "restore"} in ec2.describe_vpcs(VpcIds=[made["vpc_id"]])["Vpcs"][0]["Tags"]
    other = ec2.create_subnet(VpcId=made["vpc_id"], CidrBlock="10.61.2.0/24")["Subnet"]["SubnetId"]
    assert other != made["subnet_id"]


def test_a_reset_keeps_snapshots_and_unknown_names_are_refused(client, lab_api):
    client("ssm").put_parameter(Name="/lab/snapshot", Value="v1", Type="String")
    assert lab_api("POST", "/_lab/snapshots/one")[0] == 200
    assert lab_api("POST", "/_lab/reset")[0] == 200
    with pytest.raises(ClientError):
        client("ssm").get_parameter(Name="/lab/snapshot")

    assert "one" in lab_api("GET", "/_lab/snapshots")[1]["snapshots"]
    assert lab_api("POST", "/_lab/snapshots/one/restore")[0] == 200
    assert client("ssm").get_parameter(Name="/lab/snapshot")["Parameter"]["Value"] == "v1"

    assert lab_api("POST", "/_lab/snapshots/none/restore")[0] == 404
    assert lab_api("DELETE", "/_lab/snapshots/one") == (200, {"deleted": "one"})
    assert lab_api("DELETE", "/_lab/snapshots/one")[0] == 404
    assert "one" not in lab_api("GET", "/_lab/snapshots")[1]["snapshots"]
