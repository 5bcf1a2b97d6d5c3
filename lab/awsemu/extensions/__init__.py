"""The emulator's service extensions: one module per service, each with an idempotent install()."""

from __future__ import annotations

import importlib
import importlib.util

EXTENSIONS = [
    "ssm",
    "ssm_associations",
    "s3_tiering",
    "s3_policy_conditions",
    "backup",
    "backup_vault_policy",
    "ecs_anywhere",
    "ecs_tasks",
    "application_autoscaling",
    "storagegateway",
    "directconnect",
    "ec2_vpn",
    "ec2_flow_logs",
    "elbv2",
    "autoscaling",
    "route53resolver",
    "rds",
    # Disaster recovery (lab only): the region outage switch first, the others ask it which regions are down.
    "region_outage",
    "rds_replicas",
    "s3_replication",
    "ecr_replication",
    "route53_health",
    "backup_jobs",
    # Real PostgreSQL servers behind the DB instances (off unless switched on); its RDS backend extends backup_jobs'.
    "rds_servers",
    # Last: it times the state attributes of the models and services the extensions above set up.
    "latency_profile",
]


def install_all() -> list[str]:
    """Install every extension whose module exists; return the names installed."""
    installed = []
    for name in EXTENSIONS:
        module_name = f"{__name__}.{name}"
        if importlib.util.find_spec(module_name) is None:
            continue
        importlib.import_module(module_name).install()
        installed.append(name)
    return installed
