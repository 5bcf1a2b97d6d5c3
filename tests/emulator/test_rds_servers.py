"""Real PostgreSQL servers behind the emulator's DB instances (lab/awsemu/extensions/rds_servers.py), read with psql:
rows written to an instance are in its server, stream to a read replica in another region, survive the replica's
promotion (which then accepts writes), are in a restore from a snapshot taken before later writes, and nothing is
left running after the instances are deleted."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from support.rds_canaries import psql as run_psql

PASSWORD = "lab-password-1"
SETTINGS = {"Engine": "postgres", "DBInstanceClass": "db.t3.micro", "MasterUsername": "lab", "MasterUserPassword": PASSWORD, "AllocatedStorage": 20}


@pytest.fixture
def servers(lab_api) -> Any:
    status, answer = lab_api("POST", "/_lab/rds/servers", json={"enabled": True})
    assert status == 200, answer

    def listed() -> dict[str, dict[str, Any]]:
        return {f"{server['region']}/{server['identifier']}": server for server in lab_api("GET", "/_lab/rds/servers")[1]["servers"]}

    return listed


def psql(server: dict[str, Any], sql: str, password: str = PASSWORD, timeout: int = 10) -> str:
    return run_psql(server, password, sql, timeout)


def eventually(probe: Any, expected: Any, timeout: float = 30) -> None:
    """Until probe() answers expected; an error meanwhile (a table the replica has not replayed yet) is retried too."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = probe()
        except AssertionError as error:
            found = f"error: {error}"
        if found == expected:
            return
        assert time.monotonic() < deadline, f"still {found!r}, not {expected!r}, after {timeout} s"
        time.sleep(0.2)


def test_an_instance_s_data_is_in_its_server_streams_to_a_replica_and_survives_promotion(client, servers, primary_database) -> None:
    primary = servers()["us-east-1/lab-db"]
    assert (primary["role"], primary["user"]) == ("primary", "lab")
    psql(primary, "create table canary (id int primary key, note text); insert into canary values (1, 'before the replica')")
    with pytest.raises(AssertionError, match="password authentication failed"):
        psql(primary, "select 1", password="not-the-password")

    client("rds", "us-west-2").create_db_instance_read_replica(
        DBInstanceIdentifier="lab-db-replica", SourceDBInstanceIdentifier=primary_database["DBInstanceArn"], DBInstanceClass="db.t3.micro"
    )
    replica = servers()["us-west-2/lab-db-replica"]
    assert replica["role"] == "replica" and replica["port"] != primary["port"]
    psql(primary, "insert into canary values (2, 'after the replica')")
    eventually(lambda: psql(replica, "select count(*) from canary"), "2")
    with pytest.raises(AssertionError, match="read-only transaction"):
        psql(replica, "insert into canary values (3, 'on the replica')")

    client("rds", "us-west-2").promote_read_replica(DBInstanceIdentifier="lab-db-replica")
    assert servers()["us-west-2/lab-db-replica"]["role"] == "primary"
    eventually(lambda: psql(replica, "select pg_is_in_recovery()"), "f")
    psql(replica, "insert into canary values (3, 'after the promotion')")
    psql(primary, "insert into canary values (4, 'on the old primary, after the promotion')")
    time.sleep(1)
    assert psql(replica, "select string_agg(id::text, ',' order by id) from canary") == "1,2,3"


def test_a_restore_from_a_snapshot_holds_the_data_of_the_snapshot_s_moment(client, servers, primary_database) -> None:
    rds = client("rds", "us-east-1")
    primary = servers()["us-east-1/lab-db"]
    psql(primary, "create table canary (id int); insert into canary values (1)")
    rds.create_db_snapshot(DBInstanceIdentifier="lab-db", DBSnapshotIdentifier="before-the-loss")
    psql(primary, "insert into canary values (2)")

    rds.restore_db_instance_from_db_snapshot(DBInstanceIdentifier="lab-db-restored", DBSnapshotIdentifier="before-the-loss")

    restored = servers()["us-east-1/lab-db-restored"]
    assert restored["port"] != primary["port"]
    assert psql(restored, "select string_agg(id::text, ',' order by id) from canary") == "1"
    assert psql(primary, "select count(*) from canary") == "2"


def test_a_renamed_instance_keeps_its_server_whose_password_follows_the_master_secret(client, servers, primary_database) -> None:
    """As a disaster recovery failback does: the writer renamed and given a master secret that RDS manages, its old
    identifier taken again by a replica of it."""
    rds = client("rds", "us-east-1")
    primary = servers()["us-east-1/lab-db"]
    psql(primary, "create table canary (id int); insert into canary values (1)")

    rds.modify_db_instance(DBInstanceIdentifier="lab-db", NewDBInstanceIdentifier="lab-db-stale", ApplyImmediately=True)
    rds.modify_db_instance(DBInstanceIdentifier="lab-db-stale", ManageMasterUserPassword=True, ApplyImmediately=True)
    rds.create_db_instance_read_replica(DBInstanceIdentifier="lab-db", SourceDBInstanceIdentifier="lab-db-stale")

    stale, fresh = servers()["us-east-1/lab-db-stale"], servers()["us-east-1/lab-db"]
    assert stale["port"] == primary["port"] and fresh["data_directory"] != stale["data_directory"]
    [described] = rds.describe_db_instances(DBInstanceIdentifier="lab-db-stale")["DBInstances"]
    secret = client("secretsmanager", "us-east-1").get_secret_value(SecretId=described["MasterUserSecret"]["SecretArn"])["SecretString"]
    assert psql(stale, "select count(*) from canary", password=json.loads(secret)["password"]) == "1"
    with pytest.raises(AssertionError, match="password authentication failed"):
        psql(stale, "select 1")  # the password it was created with
    assert fresh["role"] == "replica"
    eventually(lambda: psql(fresh, "select count(*) from canary", password=json.loads(secret)["password"]), "1")


def test_a_region_outage_freezes_its_servers_while_a_replica_elsewhere_is_promoted(client, servers, lab_api, primary_database) -> None:
    client("rds", "us-west-2").create_db_instance_read_replica(
        DBInstanceIdentifier="lab-db-replica", SourceDBInstanceIdentifier=primary_database["DBInstanceArn"], DBInstanceClass="db.t3.micro"
    )
    primary, replica = servers()["us-east-1/lab-db"], servers()["us-west-2/lab-db-replica"]
    psql(primary, "create table canary (id int); insert into canary values (1)")
    eventually(lambda: psql(replica, "select count(*) from canary"), "1")

    lab_api("POST", "/_lab/regions/us-east-1/outage", json={"down": True})
    assert servers()["us-east-1/lab-db"]["frozen"] is True and servers()["us-west-2/lab-db-replica"]["frozen"] is False
    with pytest.raises(AssertionError, match="timeout expired"):
        psql(primary, "select 1", timeout=2)
    client("rds", "us-west-2").promote_read_replica(DBInstanceIdentifier="lab-db-replica")
    eventually(lambda: psql(replica, "select pg_is_in_recovery()"), "f")
    psql(replica, "insert into canary values (2)")

    lab_api("POST", "/_lab/regions/us-east-1/outage", json={"down": False})
    assert psql(primary, "select count(*) from canary") == "1"
    assert psql(replica, "select count(*) from canary") == "2"


def test_deleting_the_instances_stops_their_servers_and_removes_their_data(client, servers, primary_database) -> None:
    rds = client("rds", "us-east-1")
    primary = servers()["us-east-1/lab-db"]
    data = Path(primary["data_directory"])
    assert (data / "PG_VERSION").exists()

    rds.delete_db_instance(DBInstanceIdentifier="lab-db", SkipFinalSnapshot=True)

    assert servers() == {}
    assert not data.exists()
    with pytest.raises(AssertionError):
        psql(primary, "select 1")


def test_servers_are_off_unless_switched_on(client, lab_api) -> None:
    assert lab_api("GET", "/_lab/rds/servers")[1] == {"enabled": False, "servers": []}
    client("rds", "us-east-1").create_db_instance(DBInstanceIdentifier="no-server", **SETTINGS)
    assert lab_api("GET", "/_lab/rds/servers")[1]["servers"] == []
    assert lab_api("POST", "/_lab/rds/servers", json={"enabled": "yes"})[0] == 400
