"""RDS cross-region read replicas: the replica in its own region, its replication status, ReplicaLag in CloudWatch
as the lab sets it, and PromoteReadReplica while the source's region is down."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError

PRIMARY, DR = "us-east-1", "us-west-2"


@pytest.fixture
def replica(client, primary_database):
    source = primary_database
    created = client("rds", DR).create_db_instance_read_replica(
        DBInstanceIdentifier="lab-db-dr", SourceDBInstanceIdentifier=source["DBInstanceArn"], DBInstanceClass="db.t3.micro"
    )["DBInstance"]
    return source, created


def describe(client, region, identifier):
    return client("rds", region).describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]


def test_cross_region_replica_lives_in_its_region_and_reports_replication(client, replica):
    source, created = replica
    assert created["ReadReplicaSourceDBInstanceIdentifier"] == source["DBInstanceArn"]
    assert created["AvailabilityZone"] == "us-west-2a"
    assert created["StatusInfos"] == [{"StatusType": "read replication", "Normal": True, "Status": "replicating"}]
    assert describe(client, PRIMARY, "lab-db")["ReadReplicaDBInstanceIdentifiers"] == [created["DBInstanceArn"]]
    assert "StatusInfos" not in describe(client, PRIMARY, "lab-db")


def test_replica_lag_is_the_cloudwatch_metric_the_lab_sets(client, lab_api, replica):
    path = f"/_lab/rds/{DR}/db-instances/lab-db-dr/replica-lag"
    assert lab_api("GET", path) == (200, {"seconds": 0.0})
    assert lab_api("POST", path, {"seconds": 42.5}) == (200, {"seconds": 42.5})
    assert lab_api("GET", path) == (200, {"seconds": 42.5})
    now = datetime.now(timezone.utc)
    answer = client("cloudwatch", DR).get_metric_statistics(
        Namespace="AWS/RDS",
        MetricName="ReplicaLag",
        Dimensions=[{"Name": "DBInstanceIdentifier", "Value": "lab-db-dr"}],
        StartTime=now - timedelta(minutes=5),
        EndTime=now + timedelta(minutes=1),
        Period=60,
        Statistics=["Maximum"],
    )
    assert max(point["Maximum"] for point in answer["Datapoints"]) == 42.5
    assert lab_api("POST", path, {"seconds": -1})[0] == 400
    assert lab_api("POST", f"/_lab/rds/{PRIMARY}/db-instances/lab-db/replica-lag", {"seconds": 1})[0] == 400
    assert lab_api("POST", f"/_lab/rds/{DR}/db-instances/lab-missing/replica-lag", {"seconds": 1})[0] == 404


def test_promotion_works_with_the_source_region_down(client, lab_api, replica):
    source, created = replica
    assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": True})[0] == 200
    [info] = describe(client, DR, "lab-db-dr")["StatusInfos"]
    assert (info["Normal"], info["Status"]) == (False, "error")

    promoted = client("rds", DR).promote_read_replica(DBInstanceIdentifier="lab-db-dr", BackupRetentionPeriod=7)["DBInstance"]
    assert promoted["DBInstanceArn"] == created["DBInstanceArn"]
    assert "ReadReplicaSourceDBInstanceIdentifier" not in promoted
    assert "StatusInfos" not in promoted
    read = describe(client, DR, "lab-db-dr")
    assert (read["DBInstanceStatus"], read["BackupRetentionPeriod"]) == ("available", 7)

    assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": False})[0] == 200
    after = describe(client, PRIMARY, "lab-db")
    assert (after["DBInstanceArn"], after.get("ReadReplicaDBInstanceIdentifiers", [])) == (source["DBInstanceArn"], [])
    with pytest.raises(ClientError) as raised:
        client("rds", DR).promote_read_replica(DBInstanceIdentifier="lab-db-dr")
    assert raised.value.response["Error"]["Code"] == "InvalidDBInstanceState"
    assert raised.value.response["Error"]["Message"] == "DB Instance is not a read replica."


def test_cross_region_replica_takes_a_subnet_group_of_its_own_region(client, primary_database):
    ec2 = client("ec2", DR)
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.50.{i}.0/24", AvailabilityZone=f"{DR}{zone}")["Subnet"]["SubnetId"] for i, zone in enumerate("ab")]
    client("rds", DR).create_db_subnet_group(DBSubnetGroupName="dr-group", DBSubnetGroupDescription="DR", SubnetIds=subnets)
    created = client("rds", DR).create_db_instance_read_replica(
        DBInstanceIdentifier="lab-db-dr", SourceDBInstanceIdentifier=primary_database["DBInstanceArn"], DBSubnetGroupName="dr-group"
    )["DBInstance"]
    assert (created["DBSubnetGroup"]["DBSubnetGroupName"], created["DBSubnetGroup"]["VpcId"]) == ("dr-group", vpc)
    # A group of that name only in the source's region does not do.
    client("rds", PRIMARY).create_db_subnet_group(
        DBSubnetGroupName="primary-only",
        DBSubnetGroupDescription="primary",
        SubnetIds=[
            client("ec2", PRIMARY).create_subnet(VpcId=client("ec2", PRIMARY).create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"], CidrBlock="10.40.0.0/24")[
                "Subnet"
            ]["SubnetId"]
        ],
    )
    with pytest.raises(ClientError, match="DBSubnetGroupNotFoundFault"):
        client("rds", DR).create_db_instance_read_replica(
            DBInstanceIdentifier="lab-db-dr2", SourceDBInstanceIdentifier=primary_database["DBInstanceArn"], DBSubnetGroupName="primary-only"
        )


def test_cross_region_replica_exports_the_logs_it_asks_for(client, primary_database):
    created = client("rds", DR).create_db_instance_read_replica(
        DBInstanceIdentifier="lab-db-dr", SourceDBInstanceIdentifier=primary_database["DBInstanceArn"], EnableCloudwatchLogsExports=["postgresql"]
    )["DBInstance"]
    assert created["EnabledCloudwatchLogsExports"] == ["postgresql"]
    assert describe(client, PRIMARY, "lab-db").get("EnabledCloudwatchLogsExports", []) == []


def test_every_instance_and_replica_is_an_instance_of_its_own(client, replica):
    """Own DbiResourceId (AWS's format) and creation time: the failback tells its instances apart by them."""
    source, created = replica
    other = client("rds", PRIMARY).create_db_instance(
        DBInstanceIdentifier="lab-db-2",
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        MasterUsername="lab",
        MasterUserPassword="lab-password-1",
        AllocatedStorage=20,
    )["DBInstance"]
    ids = [source["DbiResourceId"], created["DbiResourceId"], other["DbiResourceId"]]
    assert len(set(ids)) == 3 and all(len(value) == 29 and value.startswith("db-") and value[3:].isalnum() and value[3:].isupper() for value in ids)
    assert describe(client, DR, "lab-db-dr")["DbiResourceId"] == created["DbiResourceId"]
    assert created["InstanceCreateTime"] > source["InstanceCreateTime"]


def test_a_replica_of_an_instance_with_a_managed_secret_has_none_of_its_own(client, primary_database):
    rds = client("rds", PRIMARY)
    source = rds.modify_db_instance(DBInstanceIdentifier="lab-db", ManageMasterUserPassword=True, ApplyImmediately=True)["DBInstance"]
    assert ":secretsmanager:us-east-1:" in source["MasterUserSecret"]["SecretArn"]
    created = client("rds", DR).create_db_instance_read_replica(
        DBInstanceIdentifier="lab-db-dr", SourceDBInstanceIdentifier=source["DBInstanceArn"], DBInstanceClass="db.t3.micro"
    )["DBInstance"]
    assert "MasterUserSecret" not in created and "MasterUserSecret" not in describe(client, DR, "lab-db-dr")
    assert ":secretsmanager:us-east-1:" in describe(client, PRIMARY, "lab-db")["MasterUserSecret"]["SecretArn"]
