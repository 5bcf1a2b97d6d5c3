"""Canary rows in the real PostgreSQL servers that the lab's emulator runs behind its DB instances
(lab/awsemu/extensions/rds_servers.py, on in the lab): written and read with psql as an application would, with the
master user's password read from the instance's RDS-managed secret (a read replica's from its source's), so that a
disaster recovery test counts the rows a failover lost (RPO) instead of assuming them."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from typing import Any

from support.lab_site import EMULATOR, lab_aws, lab_get

TABLE = "dr_canary"


def server(region: str, identifier: str) -> dict[str, Any]:
    """The lab's server of a DB instance (host, port, role), from the emulator's /_lab/rds/servers."""
    for found in lab_get(EMULATOR, "/_lab/rds/servers")["servers"]:
        if (found["region"], found["identifier"]) == (region, identifier):
            return found
    raise AssertionError(f"no PostgreSQL server behind {identifier} in {region}: is LAB_RDS_SERVERS on in the lab?")


def password(region: str, identifier: str) -> str:
    """The master user's password: the instance's managed secret, or for a read replica its source's."""
    [database] = lab_aws("rds", region).describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"]
    if "MasterUserSecret" not in database:
        source = database.get("ReadReplicaSourceDBInstanceIdentifier", "")
        assert source.startswith("arn:"), f"{identifier} has neither a master secret nor a source"
        parts = source.split(":")
        return password(parts[3], parts[6])
    arn = database["MasterUserSecret"]["SecretArn"]
    secret = lab_aws("secretsmanager", arn.split(":")[3]).get_secret_value(SecretId=arn)["SecretString"]
    return json.loads(secret)["password"]


def psql(server: dict[str, Any], password: str, statement: str, timeout: int = 10, where: str = "") -> str:
    """STATEMENT run with psql on a server of GET /_lab/rds/servers as its master user; its output. An error fails with
    psql's message (prefixed with where)."""
    conninfo = f"host={server['host']} port={server['port']} user={server['user']} password={password} dbname=postgres connect_timeout={timeout}"
    command = [shutil.which("psql") or "psql", conninfo, "-AtXqc", statement]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout + 50, check=False)
    if result.returncode != 0:
        raise AssertionError(f"{where}: {result.stderr.strip()}" if where else result.stderr.strip())
    return result.stdout.strip()


class Canary:
    """psql against one DB instance's server, as its master user."""

    def __init__(self, region: str, identifier: str, secret_from: tuple[str, str] | None = None) -> None:
        self.where = f"{identifier} in {region}"
        self.server = server(region, identifier)
        self.password = password(*(secret_from or (region, identifier)))

    def sql(self, statement: str, timeout: int = 10) -> str:
        return psql(self.server, self.password, statement, timeout, where=self.where)

    def write(self, note: str) -> None:
        self.sql(f"create table if not exists {TABLE} (id serial primary key, note text not null, written_at timestamptz not null default now())")
        self.sql(f"insert into {TABLE} (note) values ('{note}')")

    def notes(self) -> list[str]:
        exists = self.sql(f"select count(*) from pg_tables where tablename = '{TABLE}'") == "1"
        return self.sql(f"select coalesce(string_agg(note, '|' order by id), '') from {TABLE}").split("|") if exists else []

    def wait_for(self, notes: list[str], timeout: float = 60) -> None:
        """Until the server holds these notes (a replica replaying its source's writes)."""
        deadline = time.monotonic() + timeout
        while (found := self.notes()) != notes:
            assert time.monotonic() < deadline, f"{self.where} holds {found}, not {notes}, after {timeout} s"
            time.sleep(0.2)
