"""hybridcloud.aws.rds_replica_lag_info against the emulator: a cross-region replica (source in us-east-1, replica in
us-west-2) whose ReplicaLag the lab sets to 42.5 s is listed with that lag, its normal replication and its source's
ARN; a standalone instance of the same region is not listed; the read is 2 calls and changes nothing."""

SOURCE = "hybridlab-postgres"
REPLICA = "hybridlab-postgres-dr"
STANDALONE = "hybridlab-standalone"
DR = "us-west-2"


def create_instance(rds, identifier):
    return rds.create_db_instance(
        DBInstanceIdentifier=identifier,
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="dbadmin",
        MasterUserPassword="Creation-Password-7f3a",
    )["DBInstance"]


def test_the_lag_the_lab_set_is_read_and_only_replicas_are_listed(aws, lab_api, playbook):
    source_arn = create_instance(aws("rds", region="us-east-1"), SOURCE)["DBInstanceArn"]
    dr_rds = aws("rds", region=DR)
    dr_rds.create_db_instance_read_replica(
        DBInstanceIdentifier=REPLICA, SourceDBInstanceIdentifier=source_arn, DBInstanceClass="db.t3.micro", SourceRegion="us-east-1"
    )
    create_instance(dr_rds, STANDALONE)
    status, answer = lab_api("POST", f"/_lab/rds/{DR}/db-instances/{REPLICA}/replica-lag", json={"seconds": 42.5})
    assert status == 200, answer

    result = playbook([{"name": "lag", "hybridcloud.aws.rds_replica_lag_info": {"region": DR}}], check=True)
    assert result.failed == 0, result.output
    assert result.changed == 0
    replicas = result.task("lag")["result"]["replicas"]
    assert [replica["db_instance_identifier"] for replica in replicas] == [REPLICA]
    [replica] = replicas
    assert replica["lag_seconds"] == 42.5
    assert replica["lag_measured_at"].endswith("+00:00")
    assert (replica["replication_normal"], replica["replication_status"]) == (True, "replicating")
    assert replica["source"] == source_arn
    assert replica["db_instance_arn"] == dr_rds.describe_db_instances(DBInstanceIdentifier=REPLICA)["DBInstances"][0]["DBInstanceArn"]
    assert [call["operation"] for call in result.api_calls] == ["DescribeDBInstances", "GetMetricData"]
    assert result.mutating_calls == []

    # Named: the standalone instance and a name that is no instance are absent, not an error.
    named = playbook([{"name": "lag", "hybridcloud.aws.rds_replica_lag_info": {"region": DR, "db_instance_identifiers": [REPLICA, STANDALONE, "nothing"]}}])
    assert named.failed == 0, named.output
    assert [replica["db_instance_identifier"] for replica in named.task("lag")["result"]["replicas"]] == [REPLICA]
