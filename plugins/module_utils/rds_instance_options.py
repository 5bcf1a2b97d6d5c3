# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The options the rds_postgres role sends to amazon.aws.rds_instance, from its settings and the instance as read.

The role compares these options with the instance (hybridcloud.aws.rds_postgres_writes) and its write task sends the
same ones, so what is compared is what would be sent."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.parsing.convert_bool import boolean

# The settings every instance gets, whatever the input: the role's production defaults.
FIXED = {
    "engine": "postgres",
    "auto_minor_version_upgrade": True,
    "storage_encrypted": True,
    "multi_az": True,
    "publicly_accessible": False,
    "copy_tags_to_snapshot": True,
    "deletion_protection": True,
}
DEFAULT_KMS_KEY = "alias/aws/rds"


def engine_version(wanted, current):
    """The version to ask for: WANTED, unless the instance runs a minor version of it ("16" keeps whatever 16.x AWS
    upgraded the instance to, so automatic minor upgrades are never fought back)."""
    wanted, current = str(wanted), str(current or "")
    return current if current.startswith(wanted + ".") else wanted


def instance_options(current, settings):
    """amazon.aws.rds_instance's options for SETTINGS (the role's inputs, see the filter's documentation) and the
    instance as read (CURRENT, snake_case, empty before it exists).

    - allocated_storage never shrinks below what the instance has (storage autoscaling grows it; RDS cannot shrink);
    - a read replica (settings' replica true) gets no engine version, master user, database or backups: its source
      gives them;
    - performance_insights_retention_period only when Performance Insights is on."""
    current = current or {}
    options = dict(FIXED)
    options.update(
        {
            "db_instance_class": settings["instance_class"],
            "allocated_storage": max(int(settings["allocated_storage"]), int(current.get("allocated_storage") or 0)),
            "max_allocated_storage": int(settings["max_allocated_storage"]),
            "storage_type": settings["storage_type"],
            "kms_key_id": settings.get("kms_key_id") or DEFAULT_KMS_KEY,
            "port": int(settings["port"]),
            "db_subnet_group_name": settings["subnet_group_name"],
            "vpc_security_group_ids": list(settings.get("security_group_ids") or []),
            "db_parameter_group_name": settings["parameter_group_name"],
            "preferred_maintenance_window": settings["maintenance_window"],
            "enable_performance_insights": boolean(settings.get("performance_insights", False), strict=False),
            "enable_cloudwatch_logs_exports": list(settings.get("log_exports") or []),
        }
    )
    if not boolean(settings.get("replica", False), strict=False):
        options.update(
            {
                "engine_version": engine_version(settings["engine_version"], current.get("engine_version")),
                "master_username": settings["master_username"],
                "db_name": settings["db_name"],
                "backup_retention_period": int(settings["backup_retention_days"]),
                "preferred_backup_window": settings["backup_window"],
            }
        )
    if options["enable_performance_insights"]:
        options["performance_insights_retention_period"] = int(settings["performance_insights_retention_days"])
    return options
