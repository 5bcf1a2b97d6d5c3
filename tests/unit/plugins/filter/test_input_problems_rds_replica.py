"""input_problems for rds_postgres's replica mode: rds_postgres_replica_source must be a DB instance's ARN."""

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.input_problems import FilterModule

input_problems = FilterModule().filters()["input_problems"]

RDS = {
    "rds_postgres_identifier": "hybridcloud-postgres",
    "rds_postgres_engine_version": "16",
    "rds_postgres_instance_class": "db.m6g.large",
    "rds_postgres_allocated_storage": 100,
    "rds_postgres_max_allocated_storage": 500,
    "rds_postgres_master_username": "dbadmin",
    "rds_postgres_db_name": "hybridcloud",
    "rds_postgres_port": 5432,
    "rds_postgres_backup_retention_days": 14,
    "rds_postgres_backup_window": "02:00-03:00",
    "rds_postgres_maintenance_window": "sun:03:30-sun:04:30",
    "rds_postgres_performance_insights_retention_days": 7,
    "rds_postgres_wait_timeout": 3600,
    "rds_postgres_wait_delay": 15,
}


@pytest.mark.parametrize(
    "source", ["", "arn:aws:rds:eu-central-1:111122223333:db:hybridcloud-prod-postgres", "arn:aws-us-gov:rds:us-gov-west-1:111122223333:db:db1"]
)
def test_an_instance_arn_or_nothing_passes(source):
    assert input_problems(dict(RDS, rds_postgres_replica_source=source), "rds_postgres") == []


@pytest.mark.parametrize(
    "source",
    [
        "hybridcloud-prod-postgres",  # an identifier: a cross-region replica needs the ARN
        "arn:aws:rds:eu-central-1:111122223333:cluster:aurora-1",
        "arn:aws:rds:eu-central-1:1111:db:db1",
        "arn:aws:rds:eu-central-1:111122223333:db:Bad_Name",
    ],
)
def test_anything_else_is_named(source):
    assert input_problems(dict(RDS, rds_postgres_replica_source=source), "rds_postgres") == [
        f"rds_postgres_replica_source: {source!r} must be the source DB instance's ARN (arn:aws:rds:<region>:<account>:db:<id>)"
    ]


def test_promotion_and_a_replica_source_contradict_each_other() -> None:
    source = "arn:aws:rds:eu-central-1:123456789012:db:hybridcloud-postgres"
    assert input_problems(dict(RDS, rds_postgres_replica_source=source, rds_postgres_promote=True), "rds_postgres") == [
        "rds_postgres_promote and rds_postgres_replica_source: a promoted instance is no replica, give one, not both"
    ]
    assert input_problems(dict(RDS, rds_postgres_promote=True), "rds_postgres") == []
