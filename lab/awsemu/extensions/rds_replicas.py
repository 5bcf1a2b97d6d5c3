"""RDS read replicas as disaster recovery needs them, where moto stops short.

moto already creates a cross-region read replica (CreateDBInstanceReadReplica with the source's ARN) and lists it in
the source's ReadReplicaDBInstanceIdentifiers by ARN. The lab adds:

- the replica is an instance of its own: its own DbiResourceId and InstanceCreateTime, and no MasterUserSecret (the
  source's master user and password apply; RDS manages a secret for it only once it is promoted and asked to; moto
  copies all three from the source, so a replica of a promoted DR writer showed the DR region's secret);
- the replica lives in its own region: its AvailabilityZone is the one asked for, else the region's first (moto
  copies the source's zone, another region's), and its DBSubnetGroupName is a subnet group of that region;
  EnableCloudwatchLogsExports applies to the replica (moto kept the source's exports, sharing the source's list);
- StatusInfos of a replica, as DescribeDBInstances shows it: [{"StatusType": "read replication", "Normal": true,
  "Status": "replicating"}], or Normal false, Status "error" while the source's region is down (region_outage);
- PromoteReadReplica makes a standalone instance: ReadReplicaSourceDBInstanceIdentifier goes away and the source
  loses the replica from ReadReplicaDBInstanceIdentifiers (moto keeps both); it needs nothing from the source, so it
  works while the source's region is down (the source, once back, no longer lists it). Promoting an instance that is
  not a replica answers InvalidDBInstanceState "DB Instance is not a read replica.", as RDS does. BackupRetentionPeriod
  and PreferredBackupWindow given with the promotion apply;
- ReplicaLag, the CloudWatch metric RDS publishes for a replica (namespace AWS/RDS, dimension DBInstanceIdentifier,
  unit Seconds), set by the lab, not computed:
      POST /_lab/rds/<region>/db-instances/<id>/replica-lag {"seconds": 12.5} -> {"seconds": 12.5}; GET reads it.
  Each POST publishes one datapoint, timestamped now (moto stamps it), in the replica's region, so GetMetricStatistics and
  GetMetricData answer it. A replica that was never set reports 0 at its creation.
"""

from __future__ import annotations

from typing import Any

from moto.cloudwatch.models import cloudwatch_backends
from moto.core.utils import utcnow
from moto.core import DEFAULT_ACCOUNT_ID
from moto.rds.exceptions import DBInstanceNotFoundError, RDSClientError
from moto.rds.models import DBInstance, rds_backends

from awsemu import control
from awsemu.extensions import region_outage
from awsemu.extensions._moto_classes import use_backend_class
from awsemu.extensions.rds import LabRDSBackend, new_resource_id

_installed = False


def _region_of_arn(arn: str) -> str | None:
    parts = arn.split(":")
    return parts[3] if arn.startswith("arn:") and len(parts) > 3 else None


def status_infos(self: DBInstance) -> list[dict[str, Any]] | None:
    if not getattr(self, "is_replica", False):
        return None
    source = self.source_db_instance_identifier or ""
    source_region = _region_of_arn(source) or self.region
    if region_outage.is_down(source_region):
        return [
            {
                "StatusType": "read replication",
                "Normal": False,
                "Status": "error",
                "Message": f"Replication from {source} stopped: its region {source_region} does not answer.",
            }
        ]
    return [{"StatusType": "read replication", "Normal": True, "Status": "replicating"}]


def publish_replica_lag(database: DBInstance, seconds: float) -> None:
    database.lab_replica_lag = seconds
    cloudwatch_backends[database.account_id][database.region].put_metric_data(
        "AWS/RDS",
        [
            {
                "MetricName": "ReplicaLag",
                "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": database.db_instance_identifier}],
                "Value": float(seconds),
                "Unit": "Seconds",
            }
        ],
    )


class LabRDSReplicasBackend(LabRDSBackend):
    """The lab's RDS backend (extensions/rds.py), with cross-region read replicas created and promoted as RDS does."""

    def create_db_instance_read_replica(self, db_kwargs: dict[str, Any]) -> DBInstance:
        # moto copies the source and then sets the given settings in order, moving the copy to this region's backend
        # last: a DBSubnetGroupName (which a cross-region replica in a VPC needs) was then looked up in the source's
        # region and answered DBSubnetGroupNotFoundFault. RDS takes the subnet group of the replica's own region.
        db_kwargs = {"backend": self, **db_kwargs}
        replica = super().create_db_instance_read_replica(db_kwargs)
        # EnableCloudwatchLogsExports of the request (moto kept the source's list, the same list object).
        replica.enabled_cloudwatch_logs_exports = list(db_kwargs.get("enable_cloudwatch_logs_exports") or [])
        replica.availability_zone = db_kwargs.get("availability_zone") or f"{self.region_name}a"
        replica.dbi_resource_id = new_resource_id()
        replica.created = utcnow()
        replica.instance_create_time = replica.created
        if "master_user_secret" in vars(replica):
            del replica.master_user_secret
        replica.manage_master_user_password = False
        publish_replica_lag(replica, 0.0)
        return replica

    def promote_read_replica(self, db_kwargs: dict[str, Any]) -> DBInstance:
        database_id = db_kwargs["db_instance_identifier"]
        database = self.databases.get(database_id)
        if database is None:
            raise DBInstanceNotFoundError(database_id)
        if not database.is_replica:
            raise RDSClientError("InvalidDBInstanceState", "DB Instance is not a read replica.")
        source_id = database.source_db_instance_identifier or ""
        source_region = _region_of_arn(source_id) or self.region_name
        source_name = source_id.split(":")[-1]
        source = rds_backends[self.account_id][source_region].databases.get(source_name)
        if source is not None:
            for listed in (database.db_instance_arn, database.db_instance_identifier):
                if listed in source.replicas:
                    source.replicas.remove(listed)
        database.is_replica = False
        database.source_db_instance_identifier = None
        if db_kwargs.get("backup_retention_period") is not None:
            database.backup_retention_period = int(db_kwargs["backup_retention_period"])
        if db_kwargs.get("preferred_backup_window"):
            database.preferred_backup_window = db_kwargs["preferred_backup_window"]
        return database


# Control plane --------------------------------------------------------------------------------------------------
def _replica(region: str, identifier: str) -> DBInstance:
    database = rds_backends[DEFAULT_ACCOUNT_ID][region].databases.get(identifier)
    if database is None:
        raise control.LabError(404, f"no DB instance {identifier} in {region}")
    if not database.is_replica:
        raise control.LabError(400, f"{identifier} is not a read replica")
    return database


def _set_lag(body: Any, region: str, identifier: str) -> dict[str, Any]:
    seconds = body.get("seconds") if isinstance(body, dict) else None
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
        raise control.LabError(400, 'expected {"seconds": <a number >= 0>}')
    publish_replica_lag(_replica(region, identifier), seconds)
    return {"seconds": seconds}


def _get_lag(_body: Any, region: str, identifier: str) -> dict[str, Any]:
    return {"seconds": getattr(_replica(region, identifier), "lab_replica_lag", 0.0)}


def install() -> None:
    global _installed  # noqa: PLW0603 - the flag keeps install() idempotent
    if _installed:
        return
    instance_class: Any = DBInstance
    instance_class.status_infos = property(status_infos)
    use_backend_class(rds_backends, LabRDSReplicasBackend)
    control.route("POST", "/_lab/rds/<region>/db-instances/<identifier>/replica-lag", _set_lag)
    control.route("GET", "/_lab/rds/<region>/db-instances/<identifier>/replica-lag", _get_lag)
    _installed = True
