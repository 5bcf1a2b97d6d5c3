"""playbooks/dr/drill.yml against a private emulator: an RDS instance and a bucket in us-east-1 are backed up and
copied to the DR vault in us-west-2 through the API (as tests/emulator/test_dr_backup_jobs.py does), then the drill
(strategy backup_restore, DR region us-west-2) restores both into scratch resources there, reads them back, deletes
them and reports. Asserted from the request log, the report and describe calls after the run: restore jobs answered,
the scratch resources read back and deleted, none left, the primary untouched; strategy none fails before any AWS
call; a read replica in the DR region is reported with its lag (ReplicaLag) and judged against the RPO limit; a run
after an interrupted drill deletes what that one left; check mode makes no mutating call and plans to
reuse what an interrupted run of the same drill id restored (the reuse itself: tests/unit/plugins/filter/test_dr_drill.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml
from support.iam_actions import deployer_policy, missing_actions

from ansible_collections.hybridcloud.aws.plugins.module_utils.dr_drill import scratch_name

ROOT = Path(__file__).resolve().parents[2]
PRIMARY, DR = "us-east-1", "us-west-2"
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/hybridcloud-backup"
DB, BUCKET, REPLICA = "drill-postgres", "drill-files", "drill-postgres-dr"
DB_ARN, BUCKET_ARN = f"arn:aws:rds:{PRIMARY}:{ACCOUNT}:db:{DB}", f"arn:aws:s3:::{BUCKET}"


def protect(aws: Any) -> dict[str, str]:
    """The primary's database and bucket, each backed up and copied to the DR vault; the DR recovery point ARNs."""
    aws("rds", region=PRIMARY).create_db_instance(
        DBInstanceIdentifier=DB,
        Engine="postgres",
        DBInstanceClass="db.t4g.micro",
        MasterUsername="dbadmin",
        MasterUserPassword="not-a-secret-1",
        AllocatedStorage=20,
    )
    s3 = aws("s3", region=PRIMARY)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="canary", Body=b"before the drill")
    backup, dr_backup = aws("backup", region=PRIMARY), aws("backup", region=DR)
    backup.create_backup_vault(BackupVaultName="hybridcloud")
    dr_vault = dr_backup.create_backup_vault(BackupVaultName="hybridcloud-dr")["BackupVaultArn"]
    copies = {}
    for arn in (DB_ARN, BUCKET_ARN):
        point = backup.start_backup_job(BackupVaultName="hybridcloud", ResourceArn=arn, IamRoleArn=ROLE)["RecoveryPointArn"]
        copy_id = backup.start_copy_job(RecoveryPointArn=point, SourceBackupVaultName="hybridcloud", DestinationBackupVaultArn=dr_vault, IamRoleArn=ROLE)[
            "CopyJobId"
        ]
        copies[arn] = backup.describe_copy_job(CopyJobId=copy_id)["CopyJob"]["DestinationRecoveryPointArn"]
    return copies


def run_drill(emulator_endpoint: str, lab_api: Any, directory: Path, check: bool = False, **variables: Any) -> dict[str, Any]:
    connection = {"region": PRIMARY, "endpoint_url": emulator_endpoint, "access_key": "testing", "secret_key": "testing"}
    host = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    given = {
        "aws_region": PRIMARY,
        "hybridcloud_aws_connection": connection,
        "hybridcloud_dr_strategy": "backup_restore",
        "hybridcloud_dr_region": DR,
        "dr_drill_report_dir": str(directory / "report"),
        "dr_drill_poll_seconds": 1,
        **variables,
    }
    inventory = directory / "inventory.yml"
    inventory.write_text(yaml.safe_dump({"all": {"vars": given, "children": {"aws_controller": {"hosts": {"localhost": host}}}}}))
    before = len(lab_api("GET", "/_lab/requests")[1]["requests"])
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    command = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(inventory), str(ROOT / "playbooks/dr/drill.yml"), *(["--check"] * check)]
    started = time.monotonic()
    completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=directory, check=False, timeout=300)
    calls = lab_api("GET", "/_lab/requests")[1]["requests"][before:]
    # The output with its lines joined: the default callback wraps long messages.
    output = " ".join((completed.stdout + completed.stderr).split())
    return {"rc": completed.returncode, "output": output, "calls": calls, "seconds": time.monotonic() - started}


def operations(calls: list[dict[str, Any]], mutating_only: bool = False) -> list[str]:
    return [f"{c['service']}:{c['operation']}" for c in calls if c["mutating"] or not mutating_only]


def scratch_left(aws: Any) -> list[str]:
    instances = [db["DBInstanceIdentifier"] for db in aws("rds", region=DR).describe_db_instances()["DBInstances"]]
    buckets = [b["Name"] for b in aws("s3", region=DR).list_buckets()["Buckets"]]
    return [name for name in instances + buckets if name.startswith("hcdrill-")]


def report(directory: Path) -> dict[str, Any]:
    (path,) = (directory / "report").glob("dr-drill-*.json")
    return json.loads(path.read_text())


def test_drill_restores_both_into_scratch_resources_reports_and_removes_them(aws: Any, emulator_endpoint: str, lab_api: Any, tmp_path: Path) -> None:
    copies = protect(aws)
    # An interrupted earlier drill left a scratch instance: the rerun deletes it before restoring.
    leftover = scratch_name("hcdrill", "20261201000000", DB, DB_ARN)
    aws("backup", region=DR).start_restore_job(
        RecoveryPointArn=copies[DB_ARN], Metadata={"DBInstanceIdentifier": leftover}, IamRoleArn=ROLE, ResourceType="RDS"
    )
    # A pilot light's cross-region read replica of the primary's database, 12.5 s behind (the lab sets ReplicaLag).
    aws("rds", region=DR).create_db_instance_read_replica(DBInstanceIdentifier=REPLICA, SourceDBInstanceIdentifier=DB_ARN, DBInstanceClass="db.t4g.micro")
    assert lab_api("POST", f"/_lab/rds/{DR}/db-instances/{REPLICA}/replica-lag", {"seconds": 12.5})[0] == 200
    run = run_drill(emulator_endpoint, lab_api, tmp_path, dr_drill_rpo_max_seconds=600)
    assert run["rc"] == 0, run["output"][-3000:]
    ops = operations(run["calls"])
    # Two restore jobs answered, each scratch resource tagged, read back and deleted (a delete of a missing resource
    # is not sent: the modules read first).
    restores = [c for c in run["calls"] if c["operation"] == "StartRestoreJob"]
    assert [c["status"] for c in restores] == [200, 200]
    for operation in ("rds:AddTagsToResource", "s3:PutBucketTagging", "s3:DeleteBucket"):
        assert [c["status"] // 100 for c in run["calls"] if f"{c['service']}:{c['operation']}" == operation] == [2], operation
    # The leftover deleted before the restores, the scratch instance after them.
    deletes = [i for i, op in enumerate(ops) if op == "rds:DeleteDBInstance"]
    assert len(deletes) == 2 and deletes[0] < ops.index("backup:StartRestoreJob") < deletes[1]
    # Nothing remains, and the primary's resources are as they were.
    assert scratch_left(aws) == []
    assert aws("rds", region=PRIMARY).describe_db_instances(DBInstanceIdentifier=DB)["DBInstances"][0]["DBInstanceStatus"] == "available"
    assert aws("s3", region=PRIMARY).get_object(Bucket=BUCKET, Key="canary")["Body"].read() == b"before the drill"

    result = report(tmp_path)
    assert (result["passed"], result["problems"], result["remaining"], result["region"]) == (True, [], [], DR)
    assert result["leftovers_deleted"] == [{"resource_type": "RDS", "name": leftover}]
    by_arn = {r["resource_arn"]: r for r in result["resources"]}
    assert set(by_arn) == {DB_ARN, BUCKET_ARN}
    for arn, resource in by_arn.items():
        assert resource["recovery_point_arn"] == copies[arn]
        assert (resource["restore_status"], resource["passed"]) == ("COMPLETED", True)
        assert resource["scratch_name"].startswith(f"hcdrill-{result['drill_id']}-")
        assert 0 <= resource["rpo_seconds"] < 300
        assert resource["restore_seconds"] is not None
    assert (by_arn[DB_ARN]["scratch_state"], by_arn[BUCKET_ARN]["scratch_state"]) == ("available", "exists")
    # The replica judged by its lag, read from CloudWatch's ReplicaLag (the RPO of a failover by promotion).
    (replica,) = result["replicas"]
    assert (replica["db_instance_identifier"], replica["source"], replica["replication_status"]) == (REPLICA, DB_ARN, "replicating")
    assert (replica["lag_seconds"], replica["passed"], result["worst_replica_lag_seconds"]) == (12.5, True, 12.5)
    markdown = (tmp_path / "report" / f"dr-drill-{result['drill_id']}.md").read_text()
    assert "PASSED" in markdown and DB_ARN in markdown and BUCKET_ARN in markdown
    assert f"| {REPLICA} | {DB_ARN} | replicating | 12.5 |" in markdown
    # The run's output says the verdict in one line, the report's own summary.
    assert result["summary"].startswith(f"Drill {result['drill_id']} passed: 2 of 2 resource(s) restored and read back, 0 scratch")
    assert result["summary"] in run["output"]
    # The deploying principal's policy allows every call the drill made.
    assert missing_actions(deployer_policy(), {(c["service"], c["operation"]) for c in run["calls"]}) == []
    print(f"drill: {len(run['calls'])} calls in {run['seconds']:.1f} s")


def test_strategy_none_fails_before_any_call(aws: Any, emulator_endpoint: str, lab_api: Any, tmp_path: Path) -> None:
    run = run_drill(emulator_endpoint, lab_api, tmp_path, hybridcloud_dr_strategy="none")
    assert run["rc"] != 0
    assert "The drill needs a disaster recovery strategy: hybridcloud_dr_strategy is none" in run["output"]
    assert run["calls"] == []
    assert not (tmp_path / "report").exists()


def test_check_mode_makes_no_mutating_call_and_plans_the_rerun(aws: Any, emulator_endpoint: str, lab_api: Any, tmp_path: Path) -> None:
    copies = protect(aws)
    # An interrupted drill 'old' left a bucket; an interrupted drill 'again' had restored the database.
    leftover = scratch_name("hcdrill", "old", BUCKET, BUCKET_ARN)
    aws("s3", region=DR).create_bucket(Bucket=leftover, CreateBucketConfiguration={"LocationConstraint": DR})
    reused = scratch_name("hcdrill", "again", DB, DB_ARN)
    aws("backup", region=DR).start_restore_job(RecoveryPointArn=copies[DB_ARN], Metadata={"DBInstanceIdentifier": reused}, IamRoleArn=ROLE, ResourceType="RDS")

    check = run_drill(emulator_endpoint, lab_api, tmp_path, check=True, dr_drill_id="again", dr_drill_iam_role_arn=ROLE)
    assert check["rc"] == 0, check["output"][-3000:]
    assert operations(check["calls"], mutating_only=True) == []
    assert "backup:ListRecoveryPointsByBackupVault" in operations(check["calls"])
    # The plan printed: the leftover deleted first, the database's scratch instance reused, the bucket restored.
    assert f"delete the S3 {leftover} an earlier drill left" in check["output"]
    assert f"reuse the restored RDS {DB_ARN}: recovery point {copies[DB_ARN]}" in check["output"]
    assert f"restore S3 {BUCKET_ARN}: recovery point {copies[BUCKET_ARN]}" in check["output"]
    assert sorted(scratch_left(aws)) == sorted([leftover, reused])
    assert not (tmp_path / "report").exists()
