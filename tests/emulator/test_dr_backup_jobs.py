"""AWS Backup jobs for RDS: a backup job makes a recovery point (an RDS snapshot), a copy job copies it to the DR
region's vault, a restore job there creates the DB instance; a copy to a region down fails."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

PRIMARY, DR = "us-east-1", "us-west-2"
ROLE = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"


@pytest.fixture
def recovery_point(client, primary_database):
    database = primary_database
    backup = client("backup", PRIMARY)
    backup.create_backup_vault(BackupVaultName="lab-vault")
    client("backup", DR).create_backup_vault(BackupVaultName="lab-vault-dr")
    started = backup.start_backup_job(BackupVaultName="lab-vault", ResourceArn=database["DBInstanceArn"], IamRoleArn=ROLE, IdempotencyToken="lab-1")
    return backup, database, started


def test_backup_job_creates_an_rds_snapshot_recovery_point(client, recovery_point):
    backup, database, started = recovery_point
    job = backup.describe_backup_job(BackupJobId=started["BackupJobId"])
    assert (job["State"], job["ResourceArn"], job["RecoveryPointArn"], job["ResourceType"]) == (
        "COMPLETED",
        database["DBInstanceArn"],
        started["RecoveryPointArn"],
        "RDS",
    )
    [snapshot] = client("rds", PRIMARY).describe_db_snapshots(DBInstanceIdentifier="lab-db", SnapshotType="awsbackup")["DBSnapshots"]
    assert snapshot["DBSnapshotArn"] == started["RecoveryPointArn"]
    [point] = backup.list_recovery_points_by_backup_vault(BackupVaultName="lab-vault", ByResourceArn=database["DBInstanceArn"])["RecoveryPoints"]
    assert (point["RecoveryPointArn"], point["Status"]) == (started["RecoveryPointArn"], "COMPLETED")
    assert backup.describe_recovery_point(BackupVaultName="lab-vault", RecoveryPointArn=started["RecoveryPointArn"])["ResourceArn"] == database["DBInstanceArn"]
    assert [v["NumberOfRecoveryPoints"] for v in backup.list_backup_vaults()["BackupVaultList"]] == [1]
    again = backup.start_backup_job(BackupVaultName="lab-vault", ResourceArn=database["DBInstanceArn"], IamRoleArn=ROLE, IdempotencyToken="lab-1")
    assert again["BackupJobId"] == started["BackupJobId"]
    with pytest.raises(ClientError) as raised:
        backup.describe_backup_job(BackupJobId="NO-SUCH-JOB")
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_copy_to_the_dr_vault_then_restore_there(client, lab_api, recovery_point):
    backup, _, started = recovery_point
    dr_backup = client("backup", DR)
    dr_vault = dr_backup.describe_backup_vault(BackupVaultName="lab-vault-dr")["BackupVaultArn"]
    copy_id = backup.start_copy_job(
        RecoveryPointArn=started["RecoveryPointArn"], SourceBackupVaultName="lab-vault", DestinationBackupVaultArn=dr_vault, IamRoleArn=ROLE
    )["CopyJobId"]
    copy = backup.describe_copy_job(CopyJobId=copy_id)["CopyJob"]
    assert copy["State"] == "COMPLETED"
    assert copy["DestinationRecoveryPointArn"].startswith(f"arn:aws:rds:{DR}:123456789012:snapshot:awsbackup:copyjob-")

    assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": True})[0] == 200  # the restore needs only the DR region
    [point] = dr_backup.list_recovery_points_by_backup_vault(BackupVaultName="lab-vault-dr")["RecoveryPoints"]
    assert point["RecoveryPointArn"] == copy["DestinationRecoveryPointArn"]
    restore_id = dr_backup.start_restore_job(
        RecoveryPointArn=point["RecoveryPointArn"],
        Metadata={"DBInstanceIdentifier": "lab-db-restored", "DBInstanceClass": "db.t3.small"},
        IamRoleArn=ROLE,
        ResourceType="RDS",
    )["RestoreJobId"]
    restore = dr_backup.describe_restore_job(RestoreJobId=restore_id)
    assert (restore["Status"], restore["CreatedResourceArn"]) == ("COMPLETED", f"arn:aws:rds:{DR}:123456789012:db:lab-db-restored")
    restored = client("rds", DR).describe_db_instances(DBInstanceIdentifier="lab-db-restored")["DBInstances"][0]
    assert (restored["Engine"], restored["DBInstanceClass"], restored["AvailabilityZone"]) == ("postgres", "db.t3.small", "us-west-2a")


def test_copy_to_a_region_down_fails(client, lab_api, recovery_point):
    backup, _, started = recovery_point
    dr_vault = client("backup", DR).describe_backup_vault(BackupVaultName="lab-vault-dr")["BackupVaultArn"]
    assert lab_api("POST", f"/_lab/regions/{DR}/outage", {"down": True})[0] == 200
    copy_id = backup.start_copy_job(
        RecoveryPointArn=started["RecoveryPointArn"], SourceBackupVaultName="lab-vault", DestinationBackupVaultArn=dr_vault, IamRoleArn=ROLE
    )["CopyJobId"]
    copy = backup.describe_copy_job(CopyJobId=copy_id)["CopyJob"]
    assert (copy["State"], "DestinationRecoveryPointArn" in copy) == ("FAILED", False)
    assert DR in copy["StatusMessage"]


def test_s3_bucket_backup_copied_and_restored_into_a_new_bucket_in_the_dr_region(client, lab_api):
    s3 = client("s3", PRIMARY)
    s3.create_bucket(Bucket="lab-share")
    s3.put_object(Bucket="lab-share", Key="canary/1", Body=b"before", Metadata={"canary": "1"})
    backup, dr_backup = client("backup", PRIMARY), client("backup", DR)
    backup.create_backup_vault(BackupVaultName="lab-vault")
    dr_vault = dr_backup.create_backup_vault(BackupVaultName="lab-vault-dr")["BackupVaultArn"]
    started = backup.start_backup_job(BackupVaultName="lab-vault", ResourceArn="arn:aws:s3:::lab-share", IamRoleArn=ROLE)
    s3.put_object(Bucket="lab-share", Key="canary/2", Body=b"after the backup")
    assert backup.describe_backup_job(BackupJobId=started["BackupJobId"])["ResourceType"] == "S3"
    copy_id = backup.start_copy_job(
        RecoveryPointArn=started["RecoveryPointArn"], SourceBackupVaultName="lab-vault", DestinationBackupVaultArn=dr_vault, IamRoleArn=ROLE
    )["CopyJobId"]
    copied = backup.describe_copy_job(CopyJobId=copy_id)["CopyJob"]["DestinationRecoveryPointArn"]

    assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": True})[0] == 200
    restore_id = dr_backup.start_restore_job(
        RecoveryPointArn=copied, Metadata={"DestinationBucketName": "lab-share-restored", "NewBucket": "true"}, IamRoleArn=ROLE, ResourceType="S3"
    )["RestoreJobId"]
    restore = dr_backup.describe_restore_job(RestoreJobId=restore_id)
    assert (restore["Status"], restore["CreatedResourceArn"]) == ("COMPLETED", "arn:aws:s3:::lab-share-restored")
    dr_s3 = client("s3", DR)
    assert [o["Key"] for o in dr_s3.list_objects_v2(Bucket="lab-share-restored")["Contents"]] == ["canary/1"]
    restored = dr_s3.get_object(Bucket="lab-share-restored", Key="canary/1")
    assert (restored["Body"].read(), restored["Metadata"]) == (b"before", {"canary": "1"})
    assert dr_s3.get_bucket_location(Bucket="lab-share-restored")["LocationConstraint"] == DR


def test_a_restore_takes_rds_defaults_not_the_source_instances_network_or_deletion_protection(client):
    """As RDS restores a snapshot: without DBSubnetGroupName into the region's default VPC (its "default" DB subnet
    group) and without deletion protection, whatever the source had; with DBSubnetGroupName into that group. (moto's
    own restore copies the source's subnet group, absent in the DR region, and its deletion protection.)"""
    ec2, rds = client("ec2", PRIMARY), client("rds", PRIMARY)
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.60.{i}.0/24", AvailabilityZone=f"{PRIMARY}{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))
    ]
    rds.create_db_subnet_group(DBSubnetGroupName="lab-private", DBSubnetGroupDescription="private", SubnetIds=subnets)
    database = rds.create_db_instance(
        DBInstanceIdentifier="lab-protected",
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        MasterUsername="lab",
        MasterUserPassword="lab-password-1",
        AllocatedStorage=20,
        DBSubnetGroupName="lab-private",
        DeletionProtection=True,
    )["DBInstance"]
    backup, dr_backup = client("backup", PRIMARY), client("backup", DR)
    backup.create_backup_vault(BackupVaultName="lab-vault")
    dr_vault = dr_backup.create_backup_vault(BackupVaultName="lab-vault-dr")["BackupVaultArn"]
    point = backup.start_backup_job(BackupVaultName="lab-vault", ResourceArn=database["DBInstanceArn"], IamRoleArn=ROLE)["RecoveryPointArn"]
    copy_id = backup.start_copy_job(RecoveryPointArn=point, SourceBackupVaultName="lab-vault", DestinationBackupVaultArn=dr_vault, IamRoleArn=ROLE)["CopyJobId"]
    copied = backup.describe_copy_job(CopyJobId=copy_id)["CopyJob"]["DestinationRecoveryPointArn"]

    dr_ec2, dr_rds = client("ec2", DR), client("rds", DR)
    dr_vpc = dr_ec2.create_vpc(CidrBlock="10.61.0.0/16")["Vpc"]["VpcId"]
    dr_subnets = [
        dr_ec2.create_subnet(VpcId=dr_vpc, CidrBlock=f"10.61.{i}.0/24", AvailabilityZone=f"{DR}{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))
    ]
    dr_rds.create_db_subnet_group(DBSubnetGroupName="lab-dr-private", DBSubnetGroupDescription="DR private", SubnetIds=dr_subnets)
    restored = {}
    for name, extra in (("lab-default-vpc", {}), ("lab-dr-network", {"DBSubnetGroupName": "lab-dr-private"})):
        job_id = dr_backup.start_restore_job(RecoveryPointArn=copied, Metadata={"DBInstanceIdentifier": name, **extra}, IamRoleArn=ROLE, ResourceType="RDS")[
            "RestoreJobId"
        ]
        assert dr_backup.describe_restore_job(RestoreJobId=job_id)["Status"] == "COMPLETED"
        restored[name] = dr_rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]
    default_vpc = dr_ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    assert (restored["lab-default-vpc"]["DBSubnetGroup"]["DBSubnetGroupName"], restored["lab-default-vpc"]["DBSubnetGroup"]["VpcId"]) == (
        "default",
        default_vpc,
    )
    assert (restored["lab-dr-network"]["DBSubnetGroup"]["DBSubnetGroupName"], restored["lab-dr-network"]["DBSubnetGroup"]["VpcId"]) == (
        "lab-dr-private",
        dr_vpc,
    )
    for name, instance in restored.items():
        assert instance["DeletionProtection"] is False, name
        dr_rds.delete_db_instance(DBInstanceIdentifier=name, SkipFinalSnapshot=True)
    assert rds.describe_db_instances(DBInstanceIdentifier="lab-protected")["DBInstances"][0]["DeletionProtection"] is True
