# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The disaster recovery drill's decisions (used by the filters dr_drill_plan and dr_drill_report, and the role
hybridcloud.aws.dr_drill).

drill_plan(): from the recovery points of the DR vault (hybridcloud.aws.backup_recovery_point_info) and the scratch
resources already in the DR region, the latest recovery point of every protected resource, the scratch resource each
is restored into (its name and the restore metadata), which scratch resources a rerun reuses and which are left over
from an earlier drill and are deleted first.

drill_report(): from the plan, the restore jobs, what the describe calls read back and what remains after the
cleanup, per resource the RPO (drill start minus the recovery point's creation time), the restore time (the job's
completion minus its creation) and whether it passed, and whether the drill passed.

Scratch names are <prefix>-<drill id>-<the source's name, shortened>-<6 hex digits of the source's ARN>: valid RDS DB
instance identifiers and S3 bucket names (lower case letters, digits, single hyphens, at most 63 characters). Every
name that starts with <prefix>-<letters or digits>- is taken for a drill's scratch resource: the prefix is reserved for
drills."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
import re

# Resource types the drill restores, with the metadata key that names the scratch resource and fixed metadata.
RESTORABLE = {
    "RDS": ("DBInstanceIdentifier", {}),
    "S3": ("DestinationBucketName", {"NewBucket": "true"}),
}
USABLE_STATUSES = ("COMPLETED", "AVAILABLE")
TERMINAL_JOB_STATUSES = ("COMPLETED", "FAILED", "ABORTED")
PREFIX = re.compile(r"^[a-z][a-z0-9]{0,9}$")
DRILL_ID = re.compile(r"^[a-z0-9]{1,16}$")
MAX_NAME = 63


def _parse_time(value):
    """An ISO 8601 text (as the info modules return dates) or a datetime, as an aware datetime (UTC when naive)."""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, str) and value:
        text = value.strip().replace("Z", "+00:00")
        if " " in text and "T" not in text:
            text = text.replace(" ", "T", 1)
        moment = datetime.datetime.fromisoformat(text)
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def _seconds(later, earlier):
    later, earlier = _parse_time(later), _parse_time(earlier)
    if later is None or earlier is None:
        return None
    return round((later - earlier).total_seconds(), 3)


def resource_name(resource_arn):
    """The name in a resource ARN: an RDS DB instance's identifier, an S3 bucket's name, else the last part."""
    if resource_arn.startswith("arn:") and ":s3:::" in resource_arn:
        return resource_arn.split(":::", 1)[1].split("/", 1)[0]
    if ":db:" in resource_arn:
        return resource_arn.split(":db:", 1)[1]
    return re.split(r"[:/]", resource_arn)[-1]


def scratch_name(prefix, drill_id, source_name, source_arn):
    """<prefix>-<drill id>-<source name as lower case letters, digits and single hyphens, shortened>-<6 hex digits>."""
    digest = hashlib.sha256(source_arn.encode("utf-8")).hexdigest()[:6]
    head = "{0}-{1}-".format(prefix, drill_id)
    slug = re.sub(r"-+", "-", re.sub(r"[^a-z0-9]", "-", source_name.lower())).strip("-")
    room = MAX_NAME - len(head) - len(digest) - 1
    slug = slug[:room].strip("-")
    return head + (slug + "-" if slug else "") + digest


def is_scratch(prefix, name):
    """Whether a name is a drill's scratch resource (of any drill id)."""
    return bool(re.match(r"^{0}-[a-z0-9]{{1,16}}-[a-z0-9]".format(re.escape(prefix)), name or ""))


def _latest_points(recovery_points, resource_arns):
    latest = {}
    for point in recovery_points or []:
        if point.get("status", "COMPLETED") not in USABLE_STATUSES:
            continue
        arn = point.get("resource_arn")
        if not arn or (resource_arns and arn not in resource_arns):
            continue
        key = (_parse_time(point.get("creation_date")), point.get("recovery_point_arn", ""))
        if arn not in latest or key > latest[arn][0]:
            latest[arn] = (key, point)
    return [latest[arn][1] for arn in sorted(latest)]


def drill_plan(
    recovery_points,
    drill_id,
    existing=None,
    *,
    prefix="hcdrill",
    resource_types=("RDS", "S3"),
    resource_arns=None,
    metadata=None,
    region=None,
    vault=None,
    db_subnet_group=None,
):
    """What the drill restores: the latest usable recovery point (status COMPLETED or AVAILABLE) of every resource in
    the DR vault, each into a scratch resource; existing scratch resources ({"RDS": [identifiers], "S3": [bucket
    names]}) of this drill id are reused, those of any other drill are left over and deleted first.

    metadata: {"RDS": {...}, "S3": {...}} added to each restore's metadata (the scratch name and, for S3, NewBucket
    are the drill's). Points of other resource types, or of types not in resource_types, are listed as skipped.
    db_subnet_group: the DB subnet group a DB instance is restored into unless metadata["RDS"] names one (the
    standby's); without either RDS restores into the region's default VPC, which many accounts have deleted."""
    problems = []
    if not isinstance(prefix, str) or not PREFIX.match(prefix):
        problems.append("dr_drill_name_prefix: {0!r} must be a lower case letter then up to 9 lower case letters or digits".format(prefix))
    if not isinstance(drill_id, str) or not DRILL_ID.match(drill_id):
        problems.append("dr_drill_id: {0!r} must be 1 to 16 lower case letters or digits".format(drill_id))
    unknown = sorted(set(resource_types or []) - set(RESTORABLE))
    if unknown:
        problems.append("dr_drill_resource_types: {0} cannot be restored by the drill (only {1})".format(", ".join(unknown), ", ".join(sorted(RESTORABLE))))
    metadata = metadata or {}
    for kind in sorted(set(metadata) - set(RESTORABLE)):
        problems.append("dr_drill_restore_metadata: {0!r} is not a resource type the drill restores".format(kind))
    existing = {kind: list(names or []) for kind, names in (existing or {}).items()}
    plan = {
        "drill_id": drill_id,
        "prefix": prefix,
        "region": region,
        "vault": vault,
        "problems": problems,
        "restores": [],
        "skipped": [],
        "leftovers": [],
        "summary": [],
    }
    if problems:
        return plan
    planned = {kind: set() for kind in RESTORABLE}
    for point in _latest_points(recovery_points, resource_arns):
        kind = point.get("resource_type")
        arn = point["resource_arn"]
        if kind not in RESTORABLE or kind not in (resource_types or []):
            plan["skipped"].append(
                {
                    "resource_arn": arn,
                    "resource_type": kind,
                    "recovery_point_arn": point.get("recovery_point_arn"),
                    "reason": "the drill restores {0} only".format(", ".join(t for t in RESTORABLE if t in (resource_types or []))),
                }
            )
            continue
        name = scratch_name(prefix, drill_id, resource_name(arn), arn)
        name_key, fixed = RESTORABLE[kind]
        wanted = {key: str(value) for key, value in (metadata.get(kind) or {}).items()}
        if kind == "RDS" and db_subnet_group and "DBSubnetGroupName" not in wanted:
            wanted["DBSubnetGroupName"] = db_subnet_group
        wanted.update(fixed)
        wanted[name_key] = name
        planned[kind].add(name)
        plan["restores"].append(
            {
                "resource_arn": arn,
                "resource_type": kind,
                "resource_name": resource_name(arn),
                "recovery_point_arn": point["recovery_point_arn"],
                "recovery_point_created": point.get("creation_date"),
                "scratch_name": name,
                "metadata": wanted,
                "reuse": name in existing.get(kind, []),
            }
        )
    for kind in sorted(existing):
        for name in sorted(existing[kind]):
            if kind in RESTORABLE and is_scratch(prefix, name) and name not in planned[kind]:
                plan["leftovers"].append({"resource_type": kind, "name": name})
    plan["summary"] = _summary(plan)
    return plan


def _summary(plan):
    lines = ["drill {0} in {1} from the vault {2}; the primary region is not touched".format(plan["drill_id"], plan["region"], plan["vault"])]
    lines.extend("delete the {0} {1} an earlier drill left".format(left["resource_type"], left["name"]) for left in plan["leftovers"])
    for restore in plan["restores"]:
        where = ""
        if restore["resource_type"] == "RDS":
            subnet_group = restore["metadata"].get("DBSubnetGroupName")
            where = " in the DB subnet group {0}".format(subnet_group) if subnet_group else " in the region's default VPC"
        lines.append(
            "{0} {1} {2}: recovery point {3} of {4} into {5}{6}".format(
                "reuse the restored" if restore["reuse"] else "restore",
                restore["resource_type"],
                restore["resource_arn"],
                restore["recovery_point_arn"],
                restore["recovery_point_created"],
                restore["scratch_name"],
                where,
            )
        )
    lines.extend("skip {0} {1}: {2}".format(skip["resource_type"], skip["resource_arn"], skip["reason"]) for skip in plan["skipped"])
    if not plan["restores"]:
        lines.append("nothing to restore: the vault holds no usable recovery point of {0}".format(", ".join(sorted(RESTORABLE))))
    return lines


def _remaining(prefix, remaining):
    return [{"resource_type": kind, "name": name} for kind in sorted(remaining or {}) for name in sorted(remaining[kind] or []) if is_scratch(prefix, name)]


def _replica_results(replicas, rpo_max_seconds):
    """Each read replica of the DR region judged: its replication must be normal and its lag (the data it has not
    replayed yet: the RPO of a failover by promotion) known and within rpo_max_seconds."""
    results = []
    for replica in sorted(replicas or [], key=lambda item: item.get("db_instance_identifier") or ""):
        problems = []
        if replica.get("replication_normal") is False:
            problems.append("replication {0}".format(replica.get("replication_status") or "not normal"))
        lag = replica.get("lag_seconds")
        if lag is None:
            problems.append("no ReplicaLag datapoint: its lag is unknown")
        elif rpo_max_seconds is not None and lag > rpo_max_seconds:
            problems.append("replica lag {0:g} s over {1} s".format(lag, rpo_max_seconds))
        results.append(
            {
                "db_instance_identifier": replica.get("db_instance_identifier"),
                "source": replica.get("source"),
                "replication_status": replica.get("replication_status"),
                "lag_seconds": lag,
                "lag_measured_at": replica.get("lag_measured_at"),
                "passed": not problems,
                "problems": problems,
            }
        )
    return results


def drill_report(plan, observed, *, rpo_max_seconds=None, rto_max_seconds=None):
    """The drill's result. observed:

    - started: when the drill started (the RPO's "now"); restores_started: when the restore jobs were started;
      ready: when every scratch resource had been read back; finished: after the cleanup;
    - restore_jobs: the restore jobs as amazon.aws.backup_restore_job_info describes them (recovery_point_arn,
      status, creation_date, completion_date, created_resource_arn, status_message);
    - db_instances: the DR region's DB instances read back after the restores (amazon.aws.rds_instance_info);
    - buckets: the names of the S3 buckets read back after the restores;
    - remaining: {"RDS": [identifiers], "S3": [bucket names]} read back after the cleanup;
    - errors: messages of failures the drill met on its way (a start refused, a read back that timed out);
    - replicas: the DR region's read replicas as hybridcloud.aws.rds_replica_lag_info returns them (replication
      status, lag_seconds from the ReplicaLag metric): each passes when its replication is normal and its lag is known
      and within rpo_max_seconds (the lag is the RPO of a failover by promotion).

    A resource passes when its restore job completed (or a scratch resource of an interrupted run of the same drill
    was reused), its scratch resource was read back available (a DB instance in status available, a bucket that
    exists) and its RPO and restore time are within the limits given. The drill passes when at least one resource
    was restored, every one passed, the plan had no problem and no scratch resource remains."""
    observed = observed or {}
    jobs = {job.get("recovery_point_arn"): job for job in observed.get("restore_jobs") or []}
    instances = {db.get("db_instance_identifier"): db for db in observed.get("db_instances") or []}
    buckets = set(observed.get("buckets") or [])
    started = observed.get("started")
    rto_seconds = _seconds(observed.get("ready"), observed.get("restores_started"))
    resources = []
    for restore in plan.get("restores", []):
        problems = []
        job = jobs.get(restore["recovery_point_arn"])
        name = restore["scratch_name"]
        if restore.get("reuse"):
            restore_seconds, status = None, "REUSED"
        elif job is None:
            restore_seconds, status = None, "NOT_STARTED"
            problems.append("no restore job was started")
        else:
            status = job.get("status")
            restore_seconds = _seconds(job.get("completion_date"), job.get("creation_date"))
            if status != "COMPLETED":
                problems.append("restore job {0} {1}: {2}".format(job.get("restore_job_id"), status, job.get("status_message") or "no message"))
        if restore["resource_type"] == "RDS":
            found = instances.get(name)
            available = found is not None and found.get("db_instance_status") == "available"
            state = found.get("db_instance_status") if found else "missing"
        else:
            available = name in buckets
            state = "exists" if available else "missing"
        if not available:
            problems.append("scratch {0} {1} not available ({2})".format(restore["resource_type"], name, state))
        rpo = _seconds(started, restore.get("recovery_point_created"))
        if rpo is not None and rpo_max_seconds is not None and rpo > rpo_max_seconds:
            problems.append("RPO {0:.0f} s over {1} s".format(rpo, rpo_max_seconds))
        if restore_seconds is not None and rto_max_seconds is not None and restore_seconds > rto_max_seconds:
            problems.append("restore time {0:.0f} s over {1} s".format(restore_seconds, rto_max_seconds))
        resources.append(
            {
                "resource_arn": restore["resource_arn"],
                "resource_type": restore["resource_type"],
                "recovery_point_arn": restore["recovery_point_arn"],
                "recovery_point_created": restore.get("recovery_point_created"),
                "scratch_name": name,
                "restore_status": status,
                "scratch_state": state,
                "rpo_seconds": rpo,
                "restore_seconds": restore_seconds,
                "passed": not problems,
                "problems": problems,
            }
        )
    remaining = _remaining(plan.get("prefix", "hcdrill"), observed.get("remaining"))
    problems = list(plan.get("problems", [])) + [str(error) for error in observed.get("errors") or [] if error]
    if not plan.get("restores") and not problems:
        problems.append("the DR vault {0} in {1} holds no recovery point the drill can restore".format(plan.get("vault"), plan.get("region")))
    problems.extend("{0} of {1}: {2}".format(r["resource_type"], r["resource_arn"], "; ".join(r["problems"])) for r in resources if r["problems"])
    problems.extend("scratch {0} {1} remains after the cleanup".format(r["resource_type"], r["name"]) for r in remaining)
    if rto_seconds is not None and rto_max_seconds is not None and rto_seconds > rto_max_seconds:
        problems.append("all scratch resources ready after {0:.0f} s, over {1} s".format(rto_seconds, rto_max_seconds))
    replicas = _replica_results(observed.get("replicas"), rpo_max_seconds)
    problems.extend("replica {0}: {1}".format(r["db_instance_identifier"], "; ".join(r["problems"])) for r in replicas if r["problems"])
    rpos = [r["rpo_seconds"] for r in resources if r["rpo_seconds"] is not None]
    lags = [r["lag_seconds"] for r in replicas if r["lag_seconds"] is not None]
    result = {
        "drill_id": plan.get("drill_id"),
        "region": plan.get("region"),
        "vault": plan.get("vault"),
        "started": started,
        "finished": observed.get("finished"),
        "passed": not problems,
        "problems": problems,
        "resources": resources,
        "skipped": plan.get("skipped", []),
        "leftovers_deleted": plan.get("leftovers", []),
        "remaining": remaining,
        "rto_seconds": rto_seconds,
        "worst_rpo_seconds": max(rpos) if rpos else None,
        "replicas": replicas,
        "worst_replica_lag_seconds": max(lags) if lags else None,
        "rpo_max_seconds": rpo_max_seconds,
        "rto_max_seconds": rto_max_seconds,
    }
    result["summary"] = _report_summary(result)
    return result


def _report_summary(result):
    """One line for the run's output: pass or fail, what was restored, what remains, the worst RPO and lag, the RTO."""
    restored = sum(1 for resource in result["resources"] if resource["passed"])
    text = (
        "Drill {drill_id} {verdict}: {restored} of {resources} resource(s) restored and read back, {remaining} scratch resource(s) left, "
        "worst RPO {rpo} s, all ready after {rto} s, {replicas} read replica(s){lag}"
    ).format(
        drill_id=result["drill_id"],
        verdict="passed" if result["passed"] else "FAILED",
        restored=restored,
        resources=len(result["resources"]),
        remaining=len(result["remaining"]),
        rpo=_rounded(result["worst_rpo_seconds"]),
        rto=_rounded(result["rto_seconds"]),
        replicas=len(result["replicas"]),
        lag=" (worst lag {0} s)".format(_rounded(result["worst_replica_lag_seconds"])) if result["replicas"] else "",
    )
    if result["problems"]:
        text += "; " + "; ".join(result["problems"])
    return text


def _rounded(seconds):
    return "unknown" if seconds is None else "{0:.0f}".format(seconds)
