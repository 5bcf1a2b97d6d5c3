"""AWS Backup jobs, for RDS instances and S3 buckets (moto has no jobs and no recovery points).

- StartBackupJob (vault and resource in the caller's region) takes a backup of an RDS DB instance: an RDS snapshot
  named ``awsbackup:job-<id>`` (SnapshotType awsbackup), which is the recovery point (its ARN is the snapshot's, as
  AWS Backup's RDS recovery points are). The vault counts it (NumberOfRecoveryPoints).
- StartCopyJob copies a recovery point of a vault of this region to a vault given by ARN, usually in another region:
  the snapshot is copied there (``awsbackup:copyjob-<id>``). A destination region that is down, or a destination
  vault that does not exist, fails the job (State FAILED with a StatusMessage), as a copy to an unreachable region
  ends at AWS.
- StartRestoreJob restores an RDS recovery point of this region into a new DB instance: Metadata DBInstanceIdentifier
  (required), and optionally DBInstanceClass, DBSubnetGroupName, AvailabilityZone, MultiAZ, Port,
  VpcSecurityGroupIds (a JSON list or comma-separated); the instance is created with RDS's restore from snapshot,
  with RDS's defaults where moto's restore would copy the source instance: without DBSubnetGroupName in the region's
  default VPC (its "default" DB subnet group, which RDS makes on first use), and without deletion protection.
  A start with the IdempotencyToken of an earlier restore job answers that job and does nothing (as AWS documents).
- S3 buckets (arn:aws:s3:::<bucket>, in the caller's region): the recovery point holds the current version of
  every object (body and metadata) at the time of the job, a copy job copies it, and a restore job writes the
  objects into Metadata DestinationBucketName (created in the caller's region when NewBucket is "true"; else it
  must exist, or the job FAILS).
- DescribeBackupJob, DescribeCopyJob and DescribeRestoreJob answer the jobs; ListRecoveryPointsByBackupVault and
  DescribeRecoveryPoint the recovery points (what a restore picks the latest of).
Jobs run to the end inside the call that starts them (COMPLETED, PercentDone 100): the lab's RDS has no data to move.
Other resource types (EBS, EFS, ...) are refused with InvalidParameterValueException (not emulated). A vault that does not exist
answers AccessDeniedException, as DescribeBackupVault does in AWS (extensions/backup.py).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote

from moto.backup import urls as backup_urls
from moto.backup.models import BackupBackend, backup_backends
from moto.backup.responses import BackupResponse
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.ec2.models import ec2_backends
from moto.rds.exceptions import DBSubnetGroupNotFoundError
from moto.rds.models import DBSnapshot, RDSBackend, rds_backends
from moto.s3.models import FakeKey, s3_backends

from awsemu.extensions import paging, region_outage
from awsemu.extensions._moto_classes import use_backend_class, use_response_class
from awsemu.extensions.backup import AccessDenied, InvalidParameterValue, MissingParameterValue
from awsemu.extensions.backup_vault_policy import LabBackupVaultPolicyResponse
from awsemu.extensions.rds_replicas import LabRDSReplicasBackend

RDS_DB_ARN = re.compile(r"^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):db:([A-Za-z0-9-]+)$")
S3_BUCKET_ARN = re.compile(r"^arn:aws[a-z-]*:s3:::([a-z0-9.-]{3,63})$")
RDS_SNAPSHOT_ARN = re.compile(r"^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):snapshot:(.+)$")
VAULT_ARN = re.compile(r"^arn:aws[a-z-]*:backup:([a-z0-9-]+):(\d{12}):backup-vault:([A-Za-z0-9_.-]+)$")
_STATE_KEY = "_lab_backup_jobs"


class ResourceNotFound(JsonRESTError):
    code = 400

    def __init__(self, message: str):
        super().__init__("ResourceNotFoundException", message)


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class RecoveryPoint:
    arn: str
    vault_name: str
    vault_arn: str
    resource_arn: str
    iam_role_arn: str
    snapshot_id: str
    size: int
    source_arn: str | None = None
    created: datetime = field(default_factory=_now)
    resource_type: str = "RDS"
    objects: dict[str, tuple[bytes, dict[str, Any]]] | None = None  # S3: key -> (body, metadata)

    def describe(self, account_id: str) -> dict[str, Any]:
        answer = {
            "RecoveryPointArn": self.arn,
            "BackupVaultName": self.vault_name,
            "BackupVaultArn": self.vault_arn,
            "ResourceArn": self.resource_arn,
            "ResourceType": self.resource_type,
            "IamRoleArn": self.iam_role_arn,
            "Status": "COMPLETED",
            "CreationDate": self.created,
            "CompletionDate": self.created,
            "BackupSizeInBytes": self.size,
            "EncryptionKeyArn": "",
            "IsEncrypted": False,
            "StorageClass": "WARM",
            "CreatedBy": {},
        }
        if self.source_arn:
            answer["SourceBackupVaultArn"] = self.source_arn
        return answer


def _state(backend: BackupBackend) -> dict[str, dict[str, Any]]:
    """Jobs and recovery points of one regional backend, stored in it so that moto's reset drops them."""
    return backend.__dict__.setdefault(_STATE_KEY, {"backup": {}, "copy": {}, "restore": {}, "points": {}})


def _vault(backend: BackupBackend, name: str) -> Any:
    vault = backend.vaults.get(name)
    if vault is None:
        raise AccessDenied("Insufficient privileges to perform this action.")
    return vault


def _required(params: dict[str, Any], *names: str) -> None:
    for name in names:
        if not params.get(name):
            raise MissingParameterValue(f"{name} is required.")


def _params(response: BackupResponse) -> dict[str, Any]:
    return json.loads(response.body or "{}")


def _size(snapshot: DBSnapshot) -> int:
    return int(snapshot.allocated_storage or 0) * 1024**3


# Responses ------------------------------------------------------------------------------------------------------
def start_backup_job(self: BackupResponse) -> ActionResult:
    backend, params = self.backup_backend, _params(self)
    _required(params, "BackupVaultName", "ResourceArn", "IamRoleArn")
    vault = _vault(backend, params["BackupVaultName"])
    found, bucket_arn = RDS_DB_ARN.match(params["ResourceArn"]), S3_BUCKET_ARN.match(params["ResourceArn"])
    if not found and not bucket_arn:
        raise InvalidParameterValue(f"Invalid resource ARN {params['ResourceArn']}: the lab backs up RDS DB instances and S3 buckets only.")
    state = _state(backend)
    token = params.get("IdempotencyToken")
    earlier = next((job for job in state["backup"].values() if token and job["_token"] == token), None)
    if earlier:
        return ActionResult({key: earlier[key] for key in ("BackupJobId", "RecoveryPointArn", "CreationDate")} | {"IsParent": False})
    job_id = str(uuid.uuid4()).upper()
    if bucket_arn:
        identifier = bucket_arn.group(1)
        bucket = s3_backends[backend.account_id]["aws"].buckets.get(identifier)
        if bucket is None or bucket.region_name != backend.region_name:
            raise InvalidParameterValue(f"Resource {params['ResourceArn']} is not found in {backend.region_name}.")
        objects = _bucket_objects(bucket)
        point = RecoveryPoint(
            _s3_point_arn(backend.region_name, backend.account_id),
            vault.backup_vault_name,
            vault.backup_vault_arn,
            params["ResourceArn"],
            params["IamRoleArn"],
            "",
            sum(len(body) for body, _ in objects.values()),
            resource_type="S3",
            objects=objects,
        )
    else:
        region, account, identifier = found.groups()
        rds = rds_backends[account][region]
        if region != backend.region_name or identifier not in rds.databases:
            raise InvalidParameterValue(f"Resource {params['ResourceArn']} is not found in {backend.region_name}.")
        snapshot = rds.create_db_snapshot(identifier, f"awsbackup:job-{job_id.lower()}", snapshot_type="awsbackup")
        point = RecoveryPoint(
            snapshot.db_snapshot_arn,
            vault.backup_vault_name,
            vault.backup_vault_arn,
            params["ResourceArn"],
            params["IamRoleArn"],
            snapshot.db_snapshot_identifier,
            _size(snapshot),
        )
    state["points"][point.arn] = point
    vault.num_of_recovery_points += 1
    now = _now()
    state["backup"][job_id] = {
        "_token": token,
        "AccountId": backend.account_id,
        "BackupJobId": job_id,
        "BackupVaultName": vault.backup_vault_name,
        "BackupVaultArn": vault.backup_vault_arn,
        "RecoveryPointArn": point.arn,
        "ResourceArn": params["ResourceArn"],
        "ResourceType": point.resource_type,
        "ResourceName": identifier,
        "IamRoleArn": params["IamRoleArn"],
        "CreationDate": now,
        "StartBy": now,
        "CompletionDate": now,
        "State": "COMPLETED",
        "PercentDone": "100.0",
        "BackupSizeInBytes": point.size,
        "BackupType": "",
        "IsParent": False,
    }
    return ActionResult({"BackupJobId": job_id, "RecoveryPointArn": point.arn, "CreationDate": now, "IsParent": False})


def _job(backend: BackupBackend, kind: str, job_id: str) -> dict[str, Any]:
    job = _state(backend)[kind].get(job_id)
    if job is None:
        raise ResourceNotFound(f"Cannot find {kind} job {job_id}")
    return {key: value for key, value in job.items() if not key.startswith("_")}


def describe_backup_job(self: BackupResponse) -> ActionResult:
    return ActionResult(_job(self.backup_backend, "backup", self.uri_match["backupJobId"]))


def _point(backend: BackupBackend, arn: str, vault_name: str | None = None) -> RecoveryPoint:
    point = _state(backend)["points"].get(arn)
    if point is None or (vault_name and point.vault_name != vault_name):
        raise ResourceNotFound(f"Recovery point {arn} not found")
    return point


def start_copy_job(self: BackupResponse) -> ActionResult:
    backend, params = self.backup_backend, _params(self)
    _required(params, "RecoveryPointArn", "SourceBackupVaultName", "DestinationBackupVaultArn", "IamRoleArn")
    source_vault = _vault(backend, params["SourceBackupVaultName"])
    point = _point(backend, params["RecoveryPointArn"], source_vault.backup_vault_name)
    destination = VAULT_ARN.match(params["DestinationBackupVaultArn"])
    if not destination:
        raise InvalidParameterValue(f"Invalid destination vault ARN {params['DestinationBackupVaultArn']}")
    region, account, vault_name = destination.groups()
    job_id, now = str(uuid.uuid4()).upper(), _now()
    job: dict[str, Any] = {
        "AccountId": backend.account_id,
        "CopyJobId": job_id,
        "SourceBackupVaultArn": source_vault.backup_vault_arn,
        "SourceRecoveryPointArn": point.arn,
        "DestinationBackupVaultArn": params["DestinationBackupVaultArn"],
        "ResourceArn": point.resource_arn,
        "ResourceType": point.resource_type,
        "IamRoleArn": params["IamRoleArn"],
        "CreationDate": now,
        "CompletionDate": now,
        "BackupSizeInBytes": point.size,
        "IsParent": False,
    }
    target = backup_backends[account][region]
    if region_outage.is_down(region):
        job.update(State="FAILED", StatusMessage=f"The destination region {region} is not reachable.")
    elif vault_name not in target.vaults:
        job.update(State="FAILED", StatusMessage=f"The destination backup vault {params['DestinationBackupVaultArn']} does not exist.")
    elif point.resource_type == "S3":
        target_vault = target.vaults[vault_name]
        copied = RecoveryPoint(
            _s3_point_arn(region, account),
            vault_name,
            target_vault.backup_vault_arn,
            point.resource_arn,
            params["IamRoleArn"],
            "",
            point.size,
            source_vault.backup_vault_arn,
            resource_type="S3",
            objects=dict(point.objects or {}),
        )
        _state(target)["points"][copied.arn] = copied
        target_vault.num_of_recovery_points += 1
        job.update(State="COMPLETED", DestinationRecoveryPointArn=copied.arn)
    else:
        source_rds, target_rds = rds_backends[backend.account_id][backend.region_name], rds_backends[account][region]
        source_snapshot = source_rds.database_snapshots[point.snapshot_id]
        copy = DBSnapshot(target_rds, source_snapshot.database, f"awsbackup:copyjob-{job_id.lower()}", "awsbackup")
        # The source's data, where extensions/rds_servers.py took a real backup of it.
        copy.lab_server_backup = getattr(source_snapshot, "lab_server_backup", None)
        target_rds.database_snapshots[copy.db_snapshot_identifier] = copy
        target_vault = target.vaults[vault_name]
        copied = RecoveryPoint(
            copy.db_snapshot_arn,
            vault_name,
            target_vault.backup_vault_arn,
            point.resource_arn,
            params["IamRoleArn"],
            copy.db_snapshot_identifier,
            point.size,
            source_vault.backup_vault_arn,
        )
        _state(target)["points"][copied.arn] = copied
        target_vault.num_of_recovery_points += 1
        job.update(State="COMPLETED", DestinationRecoveryPointArn=copied.arn)
    _state(backend)["copy"][job_id] = job
    return ActionResult({"CopyJobId": job_id, "CreationDate": now, "IsParent": False})


def describe_copy_job(self: BackupResponse) -> ActionResult:
    return ActionResult({"CopyJob": _job(self.backup_backend, "copy", self.uri_match["copyJobId"])})


def _security_groups(value: Any) -> list[str] | None:
    if not value:
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = value.split(",")
    return [str(group).strip() for group in parsed]


def start_restore_job(self: BackupResponse) -> ActionResult:
    backend, params = self.backup_backend, _params(self)
    _required(params, "RecoveryPointArn", "Metadata", "IamRoleArn")
    point = _point(backend, params["RecoveryPointArn"])
    metadata = params["Metadata"]
    token = params.get("IdempotencyToken")
    earlier = next((job for job in _state(backend)["restore"].values() if token and job.get("_token") == token), None)
    if earlier:
        return ActionResult({"RestoreJobId": earlier["RestoreJobId"]})
    if point.resource_type == "S3":
        return _restore_bucket(backend, params, point)
    identifier = metadata.get("DBInstanceIdentifier")
    if not identifier:
        raise InvalidParameterValue("Metadata DBInstanceIdentifier is required to restore an RDS recovery point.")
    rds = rds_backends[backend.account_id][backend.region_name]
    job_id, now = str(uuid.uuid4()).upper(), _now()
    job: dict[str, Any] = {
        "_token": params.get("IdempotencyToken"),
        "AccountId": backend.account_id,
        "RestoreJobId": job_id,
        "RecoveryPointArn": point.arn,
        "IamRoleArn": params["IamRoleArn"],
        "ResourceType": "RDS",
        "CreationDate": now,
        "CompletionDate": now,
        "BackupSizeInBytes": point.size,
        "PercentDone": "100.0",
    }
    try:
        database = rds.restore_db_instance_from_db_snapshot(point.snapshot_id, _restore_overrides(rds, backend, metadata))
    except JsonRESTError as error:
        job.update(Status="FAILED", StatusMessage=error.message)
    else:
        # RestoreDBInstanceFromDBSnapshot enables deletion protection only when asked; moto keeps the source's.
        database.deletion_protection = False
        job.update(Status="COMPLETED", CreatedResourceArn=database.db_instance_arn)
    _state(backend)["restore"][job_id] = job
    return ActionResult({"RestoreJobId": job_id})


def _restore_overrides(rds: RDSBackend, backend: BackupBackend, metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "db_instance_identifier": metadata["DBInstanceIdentifier"],
        "db_instance_class": metadata.get("DBInstanceClass"),
        "db_subnet_group_name": metadata.get("DBSubnetGroupName") or _default_subnet_group(rds, backend),
        "availability_zone": metadata.get("AvailabilityZone") or f"{backend.region_name}a",
        "multi_az": str(metadata.get("MultiAZ", "")).lower() == "true" or None,
        "port": int(metadata["Port"]) if metadata.get("Port") else None,
        "vpc_security_group_ids": _security_groups(metadata.get("VpcSecurityGroupIds")),
    }


def _default_subnet_group(rds: RDSBackend, backend: BackupBackend) -> str:
    """RDS's "default" DB subnet group of the region's default VPC (its default subnets), made on first use as RDS
    makes it. Without a default VPC there is none, and the restore fails naming it (as it fails at AWS)."""
    if "default" not in rds.subnet_groups:
        subnets = list(ec2_backends[backend.account_id][backend.region_name].get_default_subnets().values())
        if not subnets:
            raise DBSubnetGroupNotFoundError("default")
        rds.create_subnet_group("default", "default", subnets, [])
    return "default"


def _bucket_objects(bucket: Any) -> dict[str, tuple[bytes, dict[str, Any]]]:
    """The current version of every object of a bucket (delete markers and deleted keys left out)."""
    objects = {}
    for name in list(bucket.keys):
        key = bucket.keys.getlist(name)[-1]
        if isinstance(key, FakeKey):
            objects[name] = (key.value, dict(key.metadata))
    return objects


def _s3_point_arn(region: str, account: str) -> str:
    return f"arn:aws:backup:{region}:{account}:recovery-point:{uuid.uuid4()}"


def _restore_bucket(backend: BackupBackend, params: dict[str, Any], point: RecoveryPoint) -> ActionResult:
    metadata = params["Metadata"]
    name = metadata.get("DestinationBucketName")
    if not name:
        raise InvalidParameterValue("Metadata DestinationBucketName is required to restore an S3 recovery point.")
    s3 = s3_backends[backend.account_id]["aws"]
    job_id, now = str(uuid.uuid4()).upper(), _now()
    job: dict[str, Any] = {
        "_token": params.get("IdempotencyToken"),
        "AccountId": backend.account_id,
        "RestoreJobId": job_id,
        "RecoveryPointArn": point.arn,
        "IamRoleArn": params["IamRoleArn"],
        "ResourceType": "S3",
        "CreationDate": now,
        "CompletionDate": now,
        "BackupSizeInBytes": point.size,
        "PercentDone": "100.0",
    }
    if str(metadata.get("NewBucket", "")).lower() == "true" and name not in s3.buckets:
        s3.create_bucket(name, backend.region_name)
    if name not in s3.buckets:
        job.update(Status="FAILED", StatusMessage=f"The destination bucket {name} does not exist.")
    else:
        for key_name, (body, key_metadata) in (point.objects or {}).items():
            s3.put_object(name, key_name, body).set_metadata(key_metadata)
        job.update(Status="COMPLETED", CreatedResourceArn=f"arn:aws:s3:::{name}")
    _state(backend)["restore"][job_id] = job
    return ActionResult({"RestoreJobId": job_id})


def describe_restore_job(self: BackupResponse) -> ActionResult:
    return ActionResult(_job(self.backup_backend, "restore", self.uri_match["restoreJobId"]))


def list_recovery_points_by_backup_vault(self: BackupResponse) -> ActionResult:
    backend = self.backup_backend
    vault = _vault(backend, self.uri_match["backupVaultName"])
    query = self._get_params()
    resource = query.get("resourceArn")
    points = sorted(
        (p for p in _state(backend)["points"].values() if p.vault_name == vault.backup_vault_name and (not resource or p.resource_arn == resource)),
        key=lambda p: (p.created, p.arn),
        reverse=True,
    )
    page, token = paging.page(
        points, int(query.get("maxResults") or 1000), query.get("nextToken"), lambda: InvalidParameterValue("The NextToken is not valid.")
    )
    answer: dict[str, Any] = {"RecoveryPoints": [p.describe(backend.account_id) for p in page]}
    if token:
        answer["NextToken"] = token
    return ActionResult(answer)


def describe_recovery_point(self: BackupResponse) -> ActionResult:
    backend = self.backup_backend
    vault = _vault(backend, self.uri_match["backupVaultName"])
    point = _point(backend, unquote(self.uri_match["recoveryPointArn"]), vault.backup_vault_name)
    return ActionResult(point.describe(backend.account_id))


class LabRDSBackupBackend(LabRDSReplicasBackend):
    """The lab's RDS backend (extensions/rds.py, rds_replicas.py), finding the snapshots AWS Backup took by name."""

    def describe_db_snapshots(self, db_instance_identifier: Any, db_snapshot_identifier: Any = None, snapshot_type: Any = None, filters: Any = None) -> Any:
        # Named, an AWS Backup snapshot is found like any other (RestoreDBInstanceFromDBSnapshot restores it); moto
        # looks only among automated and manual ones.
        found = self.database_snapshots.get(db_snapshot_identifier) if db_snapshot_identifier and not snapshot_type and not filters else None
        if (
            found is not None
            and found.snapshot_type == "awsbackup"
            and (not db_instance_identifier or found.database.db_instance_identifier == db_instance_identifier)
        ):
            return [found]
        return super().describe_db_snapshots(db_instance_identifier, db_snapshot_identifier, snapshot_type, filters)


class LabBackupJobsResponse(LabBackupVaultPolicyResponse):
    """The lab's Backup answers (extensions/backup.py, backup_vault_policy.py), with backup, copy and restore jobs and
    recovery points answered here."""

    start_backup_job = start_backup_job
    describe_backup_job = describe_backup_job
    start_copy_job = start_copy_job
    describe_copy_job = describe_copy_job
    start_restore_job = start_restore_job
    describe_restore_job = describe_restore_job
    list_recovery_points_by_backup_vault = list_recovery_points_by_backup_vault
    describe_recovery_point = describe_recovery_point


URL_PATHS = (
    "{0}/backup-jobs/?$",
    "{0}/backup-jobs/(?P<backupJobId>[^/]+)$",
    "{0}/copy-jobs/?$",
    "{0}/copy-jobs/(?P<copyJobId>[^/]+)$",
    "{0}/restore-jobs/?$",
    "{0}/restore-jobs/(?P<restoreJobId>[^/]+)$",
    "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/$",
    "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/(?P<arn>.+)$",
)


def install() -> None:
    for path in URL_PATHS:
        backup_urls.url_paths.setdefault(path, BackupResponse.dispatch)
    use_response_class(backup_urls, LabBackupJobsResponse)
    use_backend_class(rds_backends, LabRDSBackupBackend)
