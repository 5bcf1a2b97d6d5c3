"""rds_postgres_instance_options: what the rds_postgres role sends to amazon.aws.rds_instance (and compares)."""

from __future__ import annotations

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.rds_postgres_instance_options import FilterModule

options = FilterModule().filters()["rds_postgres_instance_options"]

# As the role's vars render them: numbers and booleans may arrive as strings.
SETTINGS = {
    "instance_class": "db.t4g.medium",
    "allocated_storage": "20",
    "max_allocated_storage": 100,
    "storage_type": "gp3",
    "kms_key_id": "",
    "port": "5432",
    "subnet_group_name": "hybridcloud-postgres",
    "security_group_ids": ["sg-1"],
    "parameter_group_name": "hybridcloud-postgres-postgres16",
    "maintenance_window": "sun:03:00-sun:04:00",
    "performance_insights": "false",
    "performance_insights_retention_days": 7,
    "log_exports": ["postgresql"],
    "replica": False,
    "engine_version": "16",
    "master_username": "dbadmin",
    "db_name": "app",
    "backup_retention_days": "14",
    "backup_window": "01:00-02:00",
}


def test_a_new_standalone_instance_gets_the_production_settings():
    assert options({}, SETTINGS) == {
        "engine": "postgres",
        "auto_minor_version_upgrade": True,
        "storage_encrypted": True,
        "multi_az": True,
        "publicly_accessible": False,
        "copy_tags_to_snapshot": True,
        "deletion_protection": True,
        "db_instance_class": "db.t4g.medium",
        "allocated_storage": 20,
        "max_allocated_storage": 100,
        "storage_type": "gp3",
        "kms_key_id": "alias/aws/rds",
        "port": 5432,
        "db_subnet_group_name": "hybridcloud-postgres",
        "vpc_security_group_ids": ["sg-1"],
        "db_parameter_group_name": "hybridcloud-postgres-postgres16",
        "preferred_maintenance_window": "sun:03:00-sun:04:00",
        "enable_performance_insights": False,
        "enable_cloudwatch_logs_exports": ["postgresql"],
        "engine_version": "16",
        "master_username": "dbadmin",
        "db_name": "app",
        "backup_retention_period": 14,
        "preferred_backup_window": "01:00-02:00",
    }


def test_storage_grown_by_autoscaling_is_never_asked_back():
    assert options({"allocated_storage": 31}, SETTINGS)["allocated_storage"] == 31
    assert options({"allocated_storage": 10}, dict(SETTINGS, allocated_storage=40))["allocated_storage"] == 40


@pytest.mark.parametrize(
    ("wanted", "running", "asked"),
    [("16", "16.4", "16.4"), ("16.4", "16.4", "16.4"), ("16", "17.1", "16"), ("16.4", "16.40", "16.4"), ("16", "", "16"), ("9.6", "9.6.24", "9.6.24")],
)
def test_a_minor_version_aws_upgraded_to_is_kept(wanted, running, asked):
    assert options({"engine_version": running}, dict(SETTINGS, engine_version=wanted))["engine_version"] == asked


def test_a_read_replica_gets_nothing_its_source_gives():
    replica = options({}, dict(SETTINGS, replica="true"))
    assert not {"engine_version", "master_username", "db_name", "backup_retention_period", "preferred_backup_window"} & set(replica)
    assert replica["multi_az"] is True and replica["db_instance_class"] == "db.t4g.medium"


def test_performance_insights_retention_only_when_it_is_on():
    on = options({}, dict(SETTINGS, performance_insights=True, performance_insights_retention_days="31", kms_key_id="alias/mine"))
    assert (on["enable_performance_insights"], on["performance_insights_retention_period"], on["kms_key_id"]) == (True, 31, "alias/mine")
    assert "performance_insights_retention_period" not in options({}, SETTINGS)
