"""dr_drill_plan and dr_drill_report: the latest recovery point per resource, the scratch names and restore metadata,
reuse and leftovers of interrupted drills; RPO, restore time and pass or fail."""

import re

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.dr_drill_plan import FilterModule as PlanFilters
from ansible_collections.hybridcloud.aws.plugins.filter.dr_drill_report import FilterModule as ReportFilters
from ansible_collections.hybridcloud.aws.plugins.module_utils.dr_drill import is_scratch
from ansible_collections.hybridcloud.aws.plugins.module_utils.dr_drill import scratch_name

dr_drill_plan = PlanFilters().filters()["dr_drill_plan"]
dr_drill_report = ReportFilters().filters()["dr_drill_report"]

DB = "arn:aws:rds:eu-central-1:123456789012:db:hybridcloud-postgres"
BUCKET = "arn:aws:s3:::hybridcloud-files"
VOLUME = "arn:aws:ec2:eu-central-1:123456789012:volume/vol-0123456789abcdef0"
RDS_NAME = re.compile(r"^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$")


def point(resource, created, arn=None, kind=None, status="COMPLETED"):
    kind = kind or ("RDS" if ":rds:" in resource else "S3" if ":s3:" in resource else "EBS")
    return {
        "resource_arn": resource,
        "resource_type": kind,
        "recovery_point_arn": arn or f"rp-{kind}-{created}",
        "creation_date": created,
        "status": status,
    }


POINTS = [
    point(DB, "2026-12-02T03:00:00+00:00", "db-old"),
    point(DB, "2026-12-03T03:00:00+00:00", "db-new"),
    point(DB, "2026-12-03T04:00:00+00:00", "db-partial", status="PARTIAL"),
    point(BUCKET, "2026-12-03T03:10:00.123000+00:00", "bucket-new"),
    point(BUCKET, "2026-12-01T03:10:00+00:00", "bucket-old"),
    point(VOLUME, "2026-12-03T03:20:00+00:00", "volume-new"),
]


def test_latest_usable_point_per_resource_into_named_scratch_resources():
    plan = dr_drill_plan(POINTS, "20261203170000", region="eu-west-1", vault="hybridcloud-dr")
    assert plan["problems"] == []
    assert [(r["resource_type"], r["recovery_point_arn"]) for r in plan["restores"]] == [("RDS", "db-new"), ("S3", "bucket-new")]
    db, bucket = plan["restores"]
    assert db["scratch_name"] == scratch_name("hcdrill", "20261203170000", "hybridcloud-postgres", DB)
    assert db["scratch_name"].startswith("hcdrill-20261203170000-hybridcloud-postgres-")
    assert db["metadata"] == {"DBInstanceIdentifier": db["scratch_name"]}
    assert bucket["metadata"] == {"DestinationBucketName": bucket["scratch_name"], "NewBucket": "true"}
    assert (db["reuse"], bucket["reuse"], db["recovery_point_created"]) == (False, False, "2026-12-03T03:00:00+00:00")
    assert plan["skipped"] == [
        {"resource_arn": VOLUME, "resource_type": "EBS", "recovery_point_arn": "volume-new", "reason": "the drill restores RDS, S3 only"}
    ]
    assert plan["leftovers"] == []
    assert plan["summary"][0] == "drill 20261203170000 in eu-west-1 from the vault hybridcloud-dr; the primary region is not touched"
    restore = "restore RDS {}: recovery point db-new of 2026-12-03T03:00:00+00:00 into {}".format(DB, db["scratch_name"])
    assert restore + " in the region's default VPC" in plan["summary"]


def test_metadata_is_added_as_strings_and_the_scratch_name_wins():
    metadata = {"RDS": {"DBInstanceClass": "db.t4g.micro", "MultiAZ": False, "DBInstanceIdentifier": "prod"}, "S3": {"NewBucket": "false"}}
    db, bucket = dr_drill_plan(POINTS, "d1", metadata=metadata)["restores"]
    assert db["metadata"] == {"DBInstanceClass": "db.t4g.micro", "MultiAZ": "False", "DBInstanceIdentifier": db["scratch_name"]}
    assert bucket["metadata"]["NewBucket"] == "true"


def test_db_instances_go_into_the_standbys_subnet_group_unless_the_metadata_names_one():
    db, bucket = dr_drill_plan(POINTS, "d1", db_subnet_group="hybridcloud-postgres-dr")["restores"]
    assert db["metadata"] == {"DBSubnetGroupName": "hybridcloud-postgres-dr", "DBInstanceIdentifier": db["scratch_name"]}
    assert "DBSubnetGroupName" not in bucket["metadata"]
    plan = dr_drill_plan(POINTS, "d1", metadata={"RDS": {"DBSubnetGroupName": "drill-private"}}, db_subnet_group="hybridcloud-postgres-dr")
    assert plan["restores"][0]["metadata"]["DBSubnetGroupName"] == "drill-private"
    assert any(line.endswith(" in the DB subnet group drill-private") for line in plan["summary"])


def test_resource_types_and_arns_narrow_the_plan():
    plan = dr_drill_plan(POINTS, "d1", resource_types=["S3"])
    assert [r["resource_arn"] for r in plan["restores"]] == [BUCKET]
    assert {s["resource_arn"] for s in plan["skipped"]} == {DB, VOLUME}
    assert [r["resource_arn"] for r in dr_drill_plan(POINTS, "d1", resource_arns=[DB])["restores"]] == [DB]


def test_an_interrupted_run_of_the_same_drill_is_reused_and_other_drills_are_leftovers():
    same = scratch_name("hcdrill", "d2", "hybridcloud-postgres", DB)
    other = scratch_name("hcdrill", "d1", "hybridcloud-postgres", DB)
    existing = {"RDS": [same, other, "hybridcloud-postgres-replica", "hcdrillx-d1-a"], "S3": ["hcdrill-d1-hybridcloud-files-abcdef", "hcdrill"]}
    plan = dr_drill_plan(POINTS, "d2", existing)
    assert [(r["resource_type"], r["reuse"]) for r in plan["restores"]] == [("RDS", True), ("S3", False)]
    assert plan["leftovers"] == [{"resource_type": "RDS", "name": other}, {"resource_type": "S3", "name": "hcdrill-d1-hybridcloud-files-abcdef"}]
    assert plan["summary"][1] == f"delete the RDS {other} an earlier drill left"
    assert plan["summary"][3].startswith(f"reuse the restored RDS {DB}")


def test_scratch_names_are_valid_rds_identifiers_and_bucket_names():
    long_name = "arn:aws:s3:::" + "a.very-long.bucket-name--with.dots" * 2
    names = [scratch_name("hcdrill", "20261203170000", source, source) for source in ("Prod_DB.1", long_name, "---", "x" * 80)]
    assert names[0].startswith("hcdrill-20261203170000-prod-db-1-")
    for name in names:
        assert RDS_NAME.match(name) and len(name) <= 63, name
        assert is_scratch("hcdrill", name)
    assert len({scratch_name("p", "d", "same", arn) for arn in (DB, BUCKET)}) == 2
    assert not is_scratch("hcdrill", "hcdrill") and not is_scratch("hcdrill", "hybridcloud-postgres")


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"drill_id": "Drill 1"}, "dr_drill_id: 'Drill 1' must be 1 to 16 lower case letters or digits"),
        ({"drill_id": ""}, "dr_drill_id: '' must be"),
        ({"prefix": "HC"}, "dr_drill_name_prefix: 'HC' must be a lower case letter"),
        ({"resource_types": ["RDS", "EBS"]}, "dr_drill_resource_types: EBS cannot be restored by the drill (only RDS, S3)"),
        ({"metadata": {"EC2": {}}}, "dr_drill_restore_metadata: 'EC2' is not a resource type"),
    ],
)
def test_bad_input_plans_nothing(kwargs, problem):
    drill_id = kwargs.pop("drill_id", "d1")
    plan = dr_drill_plan(POINTS, drill_id, {"RDS": ["hcdrill-d0-x"]}, **kwargs)
    assert any(text.startswith(problem) for text in plan["problems"]), plan["problems"]
    assert (plan["restores"], plan["leftovers"]) == ([], [])


# ---------------------------------------------------------------------------------------------------------- report
def observed(plan, **changes):
    db, bucket = plan["restores"]
    base = {
        "started": "2026-12-03T17:00:00",
        "restores_started": "2026-12-03T17:00:05",
        "ready": "2026-12-03T17:12:05",
        "finished": "2026-12-03T17:20:00",
        "restore_jobs": [
            {
                "restore_job_id": "J1",
                "recovery_point_arn": "db-new",
                "status": "COMPLETED",
                "creation_date": "2026-12-03T17:00:05+00:00",
                "completion_date": "2026-12-03T17:11:45+00:00",
            },
            {
                "restore_job_id": "J2",
                "recovery_point_arn": "bucket-new",
                "status": "COMPLETED",
                "creation_date": "2026-12-03T17:11:46Z",
                "completion_date": "2026-12-03T17:12:00Z",
            },
        ],
        "db_instances": [{"db_instance_identifier": db["scratch_name"], "db_instance_status": "available"}, {"db_instance_identifier": "other"}],
        "buckets": [bucket["scratch_name"]],
        "remaining": {"RDS": ["hybridcloud-postgres-replica"], "S3": []},
    }
    base.update(changes)
    return base


PLAN = dr_drill_plan(POINTS, "d1", region="eu-west-1", vault="hybridcloud-dr")


def test_a_clean_drill_passes_with_rpo_and_restore_time_per_resource():
    report = dr_drill_report(PLAN, observed(PLAN))
    assert (report["passed"], report["problems"], report["remaining"]) == (True, [], [])
    db, bucket = report["resources"]
    # RPO: the drill's start (naive: UTC) minus the recovery point's creation; restore time: the job's duration.
    assert (db["rpo_seconds"], db["restore_seconds"], db["restore_status"], db["scratch_state"]) == (50400.0, 700.0, "COMPLETED", "available")
    assert (bucket["rpo_seconds"], bucket["restore_seconds"], bucket["scratch_state"]) == (49799.877, 14.0, "exists")
    assert (report["rto_seconds"], report["worst_rpo_seconds"]) == (720.0, 50400.0)
    assert [s["resource_arn"] for s in report["skipped"]] == [VOLUME]
    assert report["summary"] == (
        "Drill d1 passed: 2 of 2 resource(s) restored and read back, 0 scratch resource(s) left, worst RPO 50400 s, all ready after 720 s, 0 read replica(s)"
    )


def test_limits_fail_the_resources_over_them():
    report = dr_drill_report(PLAN, observed(PLAN), rpo_max_seconds=50000, rto_max_seconds=600)
    assert report["passed"] is False
    db, bucket = report["resources"]
    assert db["problems"] == ["RPO 50400 s over 50000 s", "restore time 700 s over 600 s"]
    assert (bucket["passed"], bucket["problems"]) == (True, [])
    assert "all scratch resources ready after 720 s, over 600 s" in report["problems"]
    assert report["summary"].startswith("Drill d1 FAILED: 1 of 2 resource(s) restored and read back")
    assert report["summary"].endswith("; " + "; ".join(report["problems"]))


def test_a_failed_job_a_missing_scratch_resource_and_a_remaining_one_fail_the_drill():
    plan = PLAN
    jobs = observed(plan)["restore_jobs"]
    jobs[1] = dict(jobs[1], status="FAILED", status_message="Access Denied")
    bucket_name = plan["restores"][1]["scratch_name"]
    report = dr_drill_report(
        plan,
        observed(
            plan,
            restore_jobs=jobs,
            buckets=[],
            db_instances=[{"db_instance_identifier": plan["restores"][0]["scratch_name"], "db_instance_status": "incompatible-restore"}],
            remaining={"RDS": [], "S3": [bucket_name]},
            errors=["Read back each scratch DB instance until it is available: retries exceeded"],
        ),
    )
    assert report["passed"] is False
    db, bucket = report["resources"]
    assert db["problems"] == ["scratch RDS {} not available (incompatible-restore)".format(plan["restores"][0]["scratch_name"])]
    assert bucket["problems"][0] == "restore job J2 FAILED: Access Denied"
    assert report["remaining"] == [{"resource_type": "S3", "name": bucket_name}]
    assert report["problems"][0] == "Read back each scratch DB instance until it is available: retries exceeded"
    assert f"scratch S3 {bucket_name} remains after the cleanup" in report["problems"]


def test_a_reused_resource_has_no_restore_time_and_a_missing_job_fails():
    plan = dr_drill_plan(POINTS, "d1", {"RDS": [PLAN["restores"][0]["scratch_name"]]})
    report = dr_drill_report(plan, observed(plan, restore_jobs=[]))
    db, bucket = report["resources"]
    assert (db["restore_status"], db["restore_seconds"], db["passed"]) == ("REUSED", None, True)
    assert (bucket["restore_status"], bucket["problems"]) == ("NOT_STARTED", ["no restore job was started"])


def test_an_empty_vault_fails_the_drill():
    report = dr_drill_report(dr_drill_plan([], "d1", region="eu-west-1", vault="v"), {"started": "2026-12-03T17:00:00"})
    assert report["passed"] is False
    assert report["problems"] == ["the DR vault v in eu-west-1 holds no recovery point the drill can restore"]
    assert dr_drill_plan([], "d1")["summary"][-1] == "nothing to restore: the vault holds no usable recovery point of RDS, S3"


REPLICA = {
    "db_instance_identifier": "hybridcloud-postgres-dr",
    "source": "arn:aws:rds:eu-central-1:111122223333:db:hybridcloud-postgres",
    "replication_status": "replicating",
    "replication_normal": True,
    "lag_seconds": 12.5,
    "lag_measured_at": "2026-12-03T16:59:00+00:00",
}


def test_a_replica_replicating_within_the_rpo_limit_passes_and_its_lag_is_reported():
    report = dr_drill_report(PLAN, observed(PLAN, replicas=[REPLICA]), rpo_max_seconds=90000)
    assert (report["passed"], report["problems"], report["worst_replica_lag_seconds"]) == (True, [], 12.5)
    (replica,) = report["replicas"]
    assert (replica["db_instance_identifier"], replica["lag_seconds"], replica["passed"]) == ("hybridcloud-postgres-dr", 12.5, True)
    assert report["summary"].endswith("1 read replica(s) (worst lag 12 s)")


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"lag_seconds": 120.0}, "replica lag 120 s over 60 s"),
        ({"lag_seconds": None, "lag_measured_at": None}, "no ReplicaLag datapoint: its lag is unknown"),
        ({"replication_normal": False, "replication_status": "error"}, "replication error"),
    ],
)
def test_a_lagging_broken_or_unmeasured_replica_fails_the_drill(changes, problem):
    report = dr_drill_report(PLAN, observed(PLAN, replicas=[dict(REPLICA, **changes)]), rpo_max_seconds=60)
    # The restored resources are over 60 s of RPO too; the replica's own problem is named with its identifier.
    assert report["passed"] is False
    assert report["replicas"][0]["problems"] == [problem]
    assert f"replica hybridcloud-postgres-dr: {problem}" in report["problems"]


def test_without_replicas_the_report_says_so():
    report = dr_drill_report(PLAN, observed(PLAN))
    assert (report["replicas"], report["worst_replica_lag_seconds"]) == ([], None)
