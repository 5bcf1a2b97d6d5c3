"""Real PostgreSQL servers behind the emulator's PostgreSQL DB instances, so that data is real (disaster recovery: RPO
is counted in rows, not assumed).

Off unless switched on: `LAB_RDS_SERVERS=on` in the emulator's environment, or `POST /_lab/rds/servers
{"enabled": true}` (a reset returns to the environment's choice). Each server is a process with a data directory,
which the integration tests' hundreds of throw-away instances do not need. While on, with the PostgreSQL server of
this machine (Debian's postgresql, /usr/lib/postgresql/<version>/bin; run as the `postgres` user when the emulator
runs as root):

- CreateDBInstance (engine postgres) starts a server of its own: initdb with the master user as its superuser and
  the master password (MasterUserPassword, or the secret RDS manages), password authentication (SCRAM), listening
  on 127.0.0.1 on a port of its own and on TCP only (the emulator itself connects as a client would);
- CreateDBInstanceReadReplica (in the same region or another) starts a streaming standby of the source's server
  (pg_basebackup -R): read-only, replaying the source's writes as they happen;
- PromoteReadReplica promotes the standby (pg_ctl promote): it stops following the source and accepts writes;
- CreateDBSnapshot, and so AWS Backup's backup jobs, take a real base backup of the server (pg_basebackup); a copy
  (CopyDBSnapshot, AWS Backup's copy jobs) shares it; RestoreDBInstanceFromDBSnapshot, and so AWS Backup's restore
  jobs, start a server from it: the restored instance holds the data of the moment of the snapshot;
- ModifyDBInstance: a new identifier keeps the server, a new master password (MasterUserPassword, or the secret RDS
  makes when ManageMasterUserPassword is turned on) becomes the master user's password on a writer;
- DeleteDBInstance stops the server and removes its data directory; a reset and the emulator's exit (control.on_exit:
  the launcher skips atexit) stop them all;
- a region outage (extensions/region_outage.py) freezes the region's servers (SIGSTOP of each server's processes):
  they stop answering mid-sentence, their replicas elsewhere stop receiving; the region back, they go on (SIGCONT).

    GET  /_lab/rds/servers -> {"enabled": bool, "servers": [{"region", "identifier", "host", "port", "role",
                               "user", "data_directory", "frozen"}]}   (role: "primary" or "replica"; no password)
    POST /_lab/rds/servers {"enabled": true|false} -> the same

What it does not do yet: the instance's Endpoint stays RDS's DNS name and the port asked for; the server's own address
is the one listed above (the lab does not resolve RDS names to these servers, nor serve them on the lab network).
Point-in-time restore and the emulator's /_lab/snapshots leave the servers as they are. An instance created while off
has no server.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moto.rds.models import DBInstance, DBSnapshot, rds_backends

from awsemu import control
from awsemu.extensions import region_outage
from awsemu.extensions._moto_classes import use_backend_class
from awsemu.extensions.backup_jobs import LabRDSBackupBackend

HOST = "127.0.0.1"
OWNER = "postgres"
TIMEOUT = 120
NO_BACKUP = object()
_installed = False


class ServerError(Exception):
    """A PostgreSQL command failed; the emulator answers it as an internal error."""


@dataclass
class Server:
    region: str
    identifier: str
    port: int
    user: str
    password: str
    data_directory: Path
    role: str
    frozen: bool = False

    def processes(self) -> list[int]:
        """The postmaster (its pid file's first line) and every process below it (backends, WAL sender/receiver)."""
        try:
            postmaster = int((self.data_directory / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return []
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                children.setdefault(int(stat.read_text().rsplit(")", 1)[1].split()[1]), []).append(int(stat.parent.name))
        found, todo = [postmaster], [postmaster]
        while todo:
            for child in children.get(todo.pop(), []):
                found.append(child)
                todo.append(child)
        return found

    def signal(self, number: int) -> None:
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, number)

    def view(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "identifier": self.identifier,
            "host": HOST,
            "port": self.port,
            "role": self.role,
            "user": self.user,
            "data_directory": str(self.data_directory),
            "frozen": self.frozen,
        }

    def conninfo(self) -> str:
        return f"host={HOST} port={self.port} user={self.user} password={self.password} dbname=postgres"


def _binaries() -> Path | None:
    """The bin directory of the newest PostgreSQL server installed (Debian's layout)."""
    found = [path.parent for path in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    found.sort(key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0)
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Servers:
    """The servers of this emulator, by (account, region, DB instance identifier)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.servers: dict[tuple[str, str, str], Server] = {}
        self.root: Path | None = None
        self.enabled = self.default()

    @staticmethod
    def default() -> bool:
        return os.environ.get("LAB_RDS_SERVERS", "").lower() in ("1", "on", "true", "yes")

    # Commands ---------------------------------------------------------------------------------------------------
    def _run(self, command: list[str], given: str | None = None) -> str:
        """A PostgreSQL program (as OWNER when the emulator is root: initdb and the server refuse to run as root),
        given its standard input (a secret stays off the command line)."""
        program = Path(command[0]).name
        if os.geteuid() == 0:
            command = ["runuser", "-u", OWNER, "--", *command]
        stdin = subprocess.DEVNULL if given is None else None
        result = subprocess.run(command, stdin=stdin, input=given, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        if result.returncode != 0:
            raise ServerError(f"{program}: {(result.stderr or result.stdout)[-800:]}")
        return result.stdout

    def _program(self, name: str) -> str:
        binaries = _binaries()
        if binaries is None:
            raise ServerError("no PostgreSQL server is installed (Debian's postgresql package)")
        return str(binaries / name)

    def _data_directory(self, database: DBInstance) -> Path:
        """A new data directory for the instance: named after it, and unique, since an identifier can be taken again
        once its instance was renamed (a disaster recovery failback keeps the stale writer under another name)."""
        return self._directory(database.region, f"{database.db_instance_identifier}-{uuid.uuid4().hex[:8]}")

    def _directory(self, *parts: str) -> Path:
        """A new directory under the servers' root (made on first use, owned by OWNER when root)."""
        if self.root is None:
            base = os.environ.get("LAB_RDS_SERVERS_DIR") or None
            if base:
                os.makedirs(base, exist_ok=True)
            self.root = Path(tempfile.mkdtemp(prefix="awsemu-rds-servers-", dir=base))
            if os.geteuid() == 0:
                shutil.chown(self.root, OWNER, OWNER)
        path = self.root.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            for parent in [path.parent, *path.parent.parents]:
                if parent == self.root.parent:
                    break
                shutil.chown(parent, OWNER, OWNER)
        return path

    def _serve(self, account: str, server: Server) -> None:
        """Starts the server and files it under its instance."""
        self._start(server)
        with self.lock:
            self.servers[(account, server.region, server.identifier)] = server

    def _start(self, server: Server) -> None:
        # TCP only: a Unix socket's path is limited to 107 bytes, which a data directory's may exceed.
        options = f"-p {server.port} -c listen_addresses={HOST} -c unix_socket_directories='' -c fsync=off"
        log = server.data_directory / "server.log"
        self._run([self._program("pg_ctl"), "-D", str(server.data_directory), "-l", str(log), "-w", "-t", str(TIMEOUT), "-o", options, "start"])

    # Lifecycle --------------------------------------------------------------------------------------------------
    def create(self, account: str, database: DBInstance, password: str) -> None:
        data = self._data_directory(database)
        secret = self._directory(database.region, f".{data.name}.password")
        secret.write_text(password)
        if os.geteuid() == 0:
            shutil.chown(secret, OWNER, OWNER)
        secret.chmod(0o600)
        try:
            self._run(
                [
                    self._program("initdb"),
                    "-D",
                    str(data),
                    "-U",
                    database.master_username,
                    f"--pwfile={secret}",
                    "--auth-local=scram-sha-256",
                    "--auth-host=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync",
                    "--no-instructions",
                ]
            )
        finally:
            secret.unlink()
        self._serve(account, Server(database.region, database.db_instance_identifier, _free_port(), database.master_username, password, data, "primary"))

    def create_replica(self, account: str, replica: DBInstance, source: Server) -> None:
        data = self._data_directory(replica)
        self._run([self._program("pg_basebackup"), "-d", source.conninfo(), "-D", str(data), "-R", "-X", "stream", "-c", "fast", "--no-sync"])
        self._serve(account, Server(replica.region, replica.db_instance_identifier, _free_port(), source.user, source.password, data, "replica"))

    def promote(self, account: str, region: str, identifier: str) -> None:
        server = self.find(account, region, identifier)
        if server is None or server.role != "replica":
            return
        self._run([self._program("pg_ctl"), "-D", str(server.data_directory), "-w", "-t", str(TIMEOUT), "promote"])
        server.role = "primary"

    def backup(self, account: str, region: str, identifier: str, name: str) -> dict[str, str] | None:
        """A base backup of the instance's server (None without one): what a snapshot of it holds."""
        server = self.find(account, region, identifier)
        if server is None:
            return None
        path = self._directory(region, ".backups", f"{name.replace(':', '_')}-{uuid.uuid4().hex[:8]}")
        self._run([self._program("pg_basebackup"), "-d", server.conninfo(), "-D", str(path), "-X", "stream", "-c", "fast", "--no-sync"])
        return {"path": str(path), "user": server.user, "password": server.password}

    def restore(self, account: str, database: DBInstance, backup: dict[str, str]) -> None:
        data = self._data_directory(database)
        self._run(["cp", "-a", backup["path"], str(data)])
        (data / "standby.signal").unlink(missing_ok=True)
        self._serve(account, Server(database.region, database.db_instance_identifier, _free_port(), backup["user"], backup["password"], data, "primary"))

    def freeze(self, region: str) -> None:
        """A region down: its servers stop (SIGSTOP), mid-sentence, as a region that stops answering; their replicas
        elsewhere stop receiving and fall behind; connections to them hang."""
        self._set_frozen(region, True)

    def thaw(self, region: str) -> None:
        self._set_frozen(region, False)

    def _set_frozen(self, region: str, frozen: bool) -> None:
        with self.lock:
            servers = [server for server in self.servers.values() if server.region == region and server.frozen != frozen]
        for server in servers:
            server.signal(signal.SIGSTOP if frozen else signal.SIGCONT)
            server.frozen = frozen

    def stop(self, server: Server) -> None:
        if server.frozen:
            server.signal(signal.SIGCONT)
            server.frozen = False
        with contextlib.suppress(ServerError):  # a server that already ended
            self._run([self._program("pg_ctl"), "-D", str(server.data_directory), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(server.data_directory, ignore_errors=True)

    def rename(self, account: str, region: str, identifier: str, new_identifier: str) -> None:
        with self.lock:
            server = self.servers.pop((account, region, identifier), None)
            if server is not None:
                server.identifier = new_identifier
                self.servers[(account, region, new_identifier)] = server

    def set_password(self, account: str, region: str, identifier: str, password: str) -> None:
        """The master user's new password (a writer only: a replica has its source's, and follows it)."""
        server = self.find(account, region, identifier)
        if server is None or server.role != "primary" or password == server.password:
            return
        literal = "'" + password.replace("'", "''") + "'"
        psql = [self._program("psql"), "-d", server.conninfo(), "-X", "-q", "-v", "ON_ERROR_STOP=1"]
        self._run(psql, given=f'ALTER ROLE "{server.user}" PASSWORD {literal};\n')
        server.password = password

    def delete(self, account: str, region: str, identifier: str) -> None:
        with self.lock:
            server = self.servers.pop((account, region, identifier), None)
        if server is not None:
            self.stop(server)

    def find(self, account: str, region: str, identifier: str) -> Server | None:
        with self.lock:
            return self.servers.get((account, region, identifier))

    def stop_all(self) -> None:
        with self.lock:
            servers, self.servers = list(self.servers.values()), {}
        for server in servers:
            self.stop(server)
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def reset(self) -> None:
        self.stop_all()
        self.enabled = self.default()

    def view(self) -> dict[str, Any]:
        with self.lock:
            return {"enabled": self.enabled, "servers": [server.view() for server in self.servers.values()]}


SERVERS = Servers()


def _master_password(database: DBInstance) -> str:
    secret = getattr(database, "master_user_secret", None) if database.manage_master_user_password else None
    if secret is not None:
        return json.loads(secret.secret.secret_string)["password"]
    # moto keeps the password it refuses to read back (its master_user_password property raises) in an attribute of its
    # own (tests/emulator/test_moto_internals.py checks that it still does).
    return vars(database).get("_master_user_password") or ""


def _arn(identifier: str) -> tuple[str, str, str] | None:
    """(account, region, name) of an RDS ARN (arn:aws:rds:<region>:<account>:db|snapshot:<name>); None for a name."""
    parts = identifier.split(":")
    return (parts[4], parts[3], parts[6]) if identifier.startswith("arn:") and len(parts) >= 7 else None


def _source_key(account: str, replica: DBInstance) -> tuple[str, str, str]:
    source = replica.source_db_instance_identifier or ""
    return _arn(source) or (account, replica.region, source)


def _snapshot(backend: Any, identifier: str) -> DBSnapshot | None:
    """A snapshot by name (in backend's region) or by ARN (in the ARN's region)."""
    found = _arn(identifier)
    if found is not None:
        account, region, name = found
        return rds_backends[account][region].database_snapshots.get(name)
    return backend.database_snapshots.get(identifier)


def _is_postgres(database: DBInstance) -> bool:
    return str(database.engine).lower() == "postgres"


class LabRDSServersBackend(LabRDSBackupBackend):
    """The lab's RDS backend (extensions/rds.py, rds_replicas.py, backup_jobs.py) with a real server per PostgreSQL
    DB instance while SERVERS.enabled."""

    # While RestoreDBInstanceFromDBSnapshot runs (moto creates the instance through create_db_instance): the
    # snapshot's backup, or NO_BACKUP for a snapshot taken without a server.
    _restoring: Any = None

    def create_db_instance(self, db_kwargs: dict[str, Any]) -> DBInstance:
        database = super().create_db_instance(db_kwargs)
        restoring, self._restoring = self._restoring, None
        if SERVERS.enabled and _is_postgres(database):
            if restoring is None:
                SERVERS.create(self.account_id, database, _master_password(database))
            elif restoring is not NO_BACKUP:
                SERVERS.restore(self.account_id, database, restoring)
        return database

    def create_db_instance_read_replica(self, db_kwargs: dict[str, Any]) -> DBInstance:
        replica = super().create_db_instance_read_replica(db_kwargs)
        source = SERVERS.find(*_source_key(self.account_id, replica)) if SERVERS.enabled else None
        if source is not None:
            SERVERS.create_replica(self.account_id, replica, source)
        return replica

    def promote_read_replica(self, db_kwargs: dict[str, Any]) -> DBInstance:
        database = super().promote_read_replica(db_kwargs)
        SERVERS.promote(self.account_id, self.region_name, database.db_instance_identifier)
        return database

    def modify_db_instance(self, db_instance_identifier: str, db_kwargs: dict[str, Any]) -> Any:
        new_identifier = db_kwargs.get("new_db_instance_identifier")
        password_changes = bool(db_kwargs.get("master_user_password") or db_kwargs.get("manage_master_user_password"))
        database = super().modify_db_instance(db_instance_identifier, db_kwargs)
        if new_identifier:
            SERVERS.rename(self.account_id, self.region_name, db_instance_identifier, new_identifier)
        if password_changes:
            SERVERS.set_password(self.account_id, self.region_name, database.db_instance_identifier, _master_password(database))
        return database

    def delete_db_instance(self, db_instance_identifier: str, *args: Any, **kwargs: Any) -> DBInstance:
        database = super().delete_db_instance(db_instance_identifier, *args, **kwargs)
        SERVERS.delete(self.account_id, self.region_name, db_instance_identifier)
        return database

    def create_db_snapshot(self, db_instance_identifier: str, db_snapshot_identifier: str, *args: Any, **kwargs: Any) -> DBSnapshot:
        snapshot = super().create_db_snapshot(db_instance_identifier, db_snapshot_identifier, *args, **kwargs)
        snapshot.lab_server_backup = SERVERS.backup(self.account_id, self.region_name, db_instance_identifier, db_snapshot_identifier)
        return snapshot

    def copy_db_snapshot(self, source_db_snapshot_identifier: str, target_db_snapshot_identifier: str, *args: Any, **kwargs: Any) -> DBSnapshot:
        copy = super().copy_db_snapshot(source_db_snapshot_identifier, target_db_snapshot_identifier, *args, **kwargs)
        copy.lab_server_backup = getattr(_snapshot(self, source_db_snapshot_identifier), "lab_server_backup", None)
        return copy

    def restore_db_instance_from_db_snapshot(self, from_snapshot_id: str, overrides: dict[str, Any]) -> DBInstance:
        self._restoring = getattr(_snapshot(self, from_snapshot_id), "lab_server_backup", None) or NO_BACKUP
        try:
            return super().restore_db_instance_from_db_snapshot(from_snapshot_id, overrides)
        finally:
            self._restoring = None


# Control plane --------------------------------------------------------------------------------------------------
def _get(_body: Any) -> dict[str, Any]:
    return SERVERS.view()


def _set(body: Any) -> dict[str, Any]:
    enabled = body.get("enabled") if isinstance(body, dict) else None
    if not isinstance(enabled, bool):
        raise control.LabError(400, 'expected {"enabled": true or false}')
    if enabled and _binaries() is None:
        raise control.LabError(503, "no PostgreSQL server is installed (Debian's postgresql package)")
    SERVERS.enabled = enabled
    return SERVERS.view()


def install() -> None:
    global _installed  # noqa: PLW0603 - the flag keeps install() idempotent
    use_backend_class(rds_backends, LabRDSServersBackend)
    if _installed:
        return
    control.route("GET", "/_lab/rds/servers", _get)
    control.route("POST", "/_lab/rds/servers", _set)
    control.on_reset(SERVERS.reset)
    region_outage.on_region_down(SERVERS.freeze)
    region_outage.on_region_back(SERVERS.thaw)
    control.on_exit(SERVERS.stop_all)
    _installed = True
