# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

from ansible.module_utils.parsing.convert_bool import boolean

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: rds_postgres_writes
short_description: Which write modules the role C(hybridcloud.aws.rds_postgres) must run, from one read of its layer
version_added: 0.1.0
description:
  - Compares what M(hybridcloud.aws.rds_layer_info) read with what the role wants and says, for each write task of the
    role, what differs; an empty list means the write module would change nothing and need not run. Each part is
    compared as its write module compares it. It also says which security groups are missing and which sources they
    admit beyond the allowed ones (the role refuses both before any write).
  - C(subnet_group) - M(amazon.aws.rds_subnet_group) - V(missing), V(name), V(description), V(subnets) (sorted lists),
    V(tags) (C(compare_aws_tags), purged).
  - C(parameter_group) - M(amazon.aws.rds_instance_param_group) - V(missing), V(tags) (purged, only when tags are
    wanted, as the module), V(parameters) when a wanted parameter is not in the group (the module then reports it in
    C(errors)) or its value, converted by the module's own C(convert_parameter), is not the stored one.
  - C(instance) - M(amazon.aws.rds_instance) - V(missing), then the module's C(get_changing_options_with_consistent_keys)
    on the options the role sends that C(ModifyDBInstance) takes (a pending value counts before the current one), and
    C(get_changing_options_with_inconsistent_keys) on V(port) (pending or endpoint port), V(db_subnet_group_name),
    V(vpc_security_group_ids) (as sets, purged), V(db_parameter_group_name) (among the instance's groups),
    V(enable_cloudwatch_logs_exports) (as sets, purged; pending log types first) and V(enable_performance_insights)
    (as booleans - an instance that never had it may report null, so the role sends the option only when this says it
    differs). V(iops) for io1 and io2 storage (the module always sends it then). V(tags) (purged), V(promote) when
    read_replica is false and the instance is a read replica (C(StatusInfos)), as the module promotes.
  - C(master_user_secret) - M(hybridcloud.aws.rds_instance_master_user_secret) - nothing for a read replica; V(missing)
    when RDS does not manage the master password, V(kms_key) when a key is wanted and the secret's is another one (the
    module then fails - RDS cannot change it); an alias is matched through its key ARN as read by the caller.
positional: wanted
options:
  _input:
    description: What M(hybridcloud.aws.rds_layer_info) returned.
    type: dict
    required: true
  wanted:
    description: What the role wants.
    type: dict
    required: true
    suboptions:
      subnet_group:
        description: C(name), C(description), C(subnets), C(tags).
        type: dict
      parameter_group:
        description: C(params) (name to value) and C(tags).
        type: dict
      instance:
        description:
          - C(options), the options the role hands M(amazon.aws.rds_instance) (an option left out or null is not sent,
            as with omit), C(read_replica) (false promotes a read replica; null or true does not) and C(tags).
        type: dict
      master_user_secret:
        description: C(replica) (a read replica has no secret of its own), C(kms_key_id) and C(kms_key_arn) (its key ARN).
        type: dict
      security_groups:
        description: C(ids) (attached), C(allowed_security_group_ids) and C(allowed_cidrs) (the only sources they may admit).
        type: dict
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Decide which writes the PostgreSQL layer needs
  ansible.builtin.set_fact:
    rds_postgres_writes: "{{ rds_postgres_layer | hybridcloud.aws.rds_postgres_writes(rds_postgres_wanted) }}"
"""

RETURN = r"""
_value:
  description: For each write task, what differs (an empty list when nothing does), and what the security groups lack.
  type: dict
  contains:
    subnet_group:
      description: What differs on the DB subnet group.
      type: list
      elements: str
    parameter_group:
      description: What differs on the parameter group.
      type: list
      elements: str
    instance:
      description: What differs on the DB instance.
      type: list
      elements: str
    master_user_secret:
      description: What differs on the managed master password.
      type: list
      elements: str
    missing_security_groups:
      description: The wanted security group ids that do not exist.
      type: list
      elements: str
    foreign_sources:
      description: The sources (CIDRs, IPv6 ranges, prefix lists, groups) the groups admit beyond the allowed ones.
      type: list
      elements: str
  sample:
    subnet_group: []
    parameter_group: [parameters]
    instance: [preferred_maintenance_window, tags]
    master_user_secret: []
    missing_security_groups: []
    foreign_sources: []
"""

# amazon.aws.rds_instance's argument spec types of the options the role sends.
INTEGERS = ("allocated_storage", "max_allocated_storage", "backup_retention_period", "performance_insights_retention_period", "port")
BOOLEANS = ("auto_minor_version_upgrade", "multi_az", "publicly_accessible", "copy_tags_to_snapshot", "deletion_protection", "enable_performance_insights")
# The options whose ModifyDBInstance parameter has the name of the instance's attribute (get_changing_options_with_
# consistent_keys); options ModifyDBInstance does not take (kms_key_id, storage_encrypted, master_username, db_name,
# the replica's source) are never compared by the module.
CONSISTENT = (
    "engine",
    "engine_version",
    "auto_minor_version_upgrade",
    "db_instance_class",
    "allocated_storage",
    "max_allocated_storage",
    "storage_type",
    "multi_az",
    "publicly_accessible",
    "backup_retention_period",
    "preferred_backup_window",
    "preferred_maintenance_window",
    "copy_tags_to_snapshot",
    "deletion_protection",
    "performance_insights_retention_period",
)
ACTIVE_GROUP = ("adding", "active")


def _plain(value):
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _tags_differ(current, wanted):
    """compare_aws_tags with purge_tags true, as every write module of the role is called; no tags wanted, no change."""
    from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

    if wanted is None:
        return False
    wanted = {key: str(value) for key, value in wanted.items()}
    to_set, to_unset = compare_aws_tags(current or {}, wanted, purge_tags=True)
    return bool(to_set or to_unset)


def _typed(options):
    """The options as the module's argument spec types them (the role's templates may give strings), None dropped."""
    typed = {}
    for key, given in options.items():
        if given is None:
            continue
        if key in INTEGERS:
            typed[key] = int(given)
        elif key in BOOLEANS:
            typed[key] = boolean(given, strict=False)
        else:
            typed[key] = given
    if typed.get("preferred_maintenance_window"):
        # The module lower-cases it before comparing; RDS stores it so.
        typed["preferred_maintenance_window"] = typed["preferred_maintenance_window"].lower()
    return typed


def subnet_group_differences(group, wanted):
    if not group:
        return ["missing"]
    checks = (
        ("name", group.get("db_subnet_group_name") != wanted["name"].lower()),
        ("description", group.get("db_subnet_group_description") != wanted.get("description")),
        ("subnets", sorted(group.get("subnet_ids") or []) != sorted(wanted.get("subnets") or [])),
        ("tags", _tags_differ(group.get("tags"), wanted.get("tags"))),
    )
    return [name for name, differs in checks if differs]


def parameter_group_differences(group, parameters, wanted):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.amazon_aws_deferred import convert_parameter

    if not group:
        return ["missing"]
    parameters = parameters or {}
    wanted_params = wanted.get("params") or {}
    params_differ = any(
        name not in parameters or convert_parameter(parameters[name], value) != parameters[name].get("ParameterValue") for name, value in wanted_params.items()
    )
    checks = (
        ("tags", bool(wanted.get("tags")) and _tags_differ(group.get("tags"), wanted["tags"])),
        ("parameters", params_differ),
    )
    return [name for name, differs in checks if differs]


def _inconsistent_current(instance):
    """get_current_attributes_with_inconsistent_keys of amazon.aws.rds_instance, on the snake_case instance."""
    pending = instance.get("pending_modified_values") or {}
    pending_logs = (pending.get("pending_cloudwatch_logs_exports") or {}).get("log_types_to_enable") or []
    return {
        "port": pending.get("port") or (instance.get("endpoint") or {}).get("port"),
        "db_subnet_group_name": pending.get("db_subnet_group_name") or (instance.get("db_subnet_group") or {}).get("db_subnet_group_name"),
        "vpc_security_group_ids": [
            group["vpc_security_group_id"] for group in instance.get("vpc_security_groups") or [] if group.get("status") in ACTIVE_GROUP
        ],
        "db_parameter_group_name": [group["db_parameter_group_name"] for group in instance.get("db_parameter_groups") or []],
        "enable_cloudwatch_logs_exports": pending_logs or instance.get("enabled_cloudwatch_logs_exports") or [],
        "enable_performance_insights": instance.get("performance_insights_enabled"),
    }


def instance_differences(instance, wanted):
    if not instance:
        return ["missing"]
    options = _typed(wanted.get("options") or {})
    pending = instance.get("pending_modified_values") or {}
    differences = []
    for option in CONSISTENT:
        if option not in options:
            continue
        current = pending.get(option)
        if current is None:
            current = instance.get(option)
        if options[option] != current:
            differences.append(option)
    current = _inconsistent_current(instance)
    checks = (
        ("port", "port" in options and options["port"] != current["port"]),
        ("db_subnet_group_name", "db_subnet_group_name" in options and options["db_subnet_group_name"] != current["db_subnet_group_name"]),
        (
            "vpc_security_group_ids",
            "vpc_security_group_ids" in options and set(options["vpc_security_group_ids"]) != set(current["vpc_security_group_ids"]),
        ),
        (
            "db_parameter_group_name",
            "db_parameter_group_name" in options and options["db_parameter_group_name"] not in current["db_parameter_group_name"],
        ),
        (
            "enable_cloudwatch_logs_exports",
            "enable_cloudwatch_logs_exports" in options and set(options["enable_cloudwatch_logs_exports"]) != set(current["enable_cloudwatch_logs_exports"]),
        ),
        (
            "enable_performance_insights",
            "enable_performance_insights" in options and options["enable_performance_insights"] != bool(current["enable_performance_insights"]),
        ),
        # The module sends Iops and AllocatedStorage on every run of an io1 or io2 instance.
        ("iops", instance.get("storage_type") in ("io1", "io2")),
        ("tags", _tags_differ(instance.get("tags"), wanted.get("tags"))),
        ("promote", wanted.get("read_replica") is False and bool(instance.get("status_infos"))),
    )
    return differences + [name for name, differs in checks if differs]


def master_user_secret_differences(instance, wanted):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.rds import is_alias, key_matches

    if wanted.get("replica"):
        return []
    secret = (instance or {}).get("master_user_secret") or {}
    if not secret.get("secret_arn"):
        return ["missing"]
    key, current = wanted.get("kms_key_id") or "", secret.get("kms_key_id") or ""
    if not key or key_matches(current, key):
        return []
    if is_alias(key) and wanted.get("kms_key_arn") and key_matches(current, wanted["kms_key_arn"]):
        return []
    return ["kms_key"]


def security_group_problems(groups, wanted):
    """The wanted groups that do not exist, and every source the groups admit but the allowed groups and CIDRs: every
    IPv6 range and prefix list too (none is allowed)."""
    found = {group["group_id"] for group in groups}
    allowed_groups = set(wanted.get("allowed_security_group_ids") or [])
    allowed_cidrs = set(wanted.get("allowed_cidrs") or [])
    foreign = []
    for permission in (permission for group in groups for permission in group.get("ip_permissions") or []):
        foreign += [r["cidr_ip"] for r in permission.get("ip_ranges") or [] if r["cidr_ip"] not in allowed_cidrs]
        foreign += [r["cidr_ipv6"] for r in permission.get("ipv6_ranges") or []]
        foreign += [r["prefix_list_id"] for r in permission.get("prefix_list_ids") or []]
        foreign += [r["group_id"] for r in permission.get("user_id_group_pairs") or [] if r.get("group_id") not in allowed_groups]
    return {"missing_security_groups": [group_id for group_id in wanted.get("ids") or [] if group_id not in found], "foreign_sources": foreign}


def rds_postgres_writes(layer, wanted):
    layer, wanted = _plain(layer), _plain(wanted)
    instance = layer.get("instance") or {}
    result = {
        "subnet_group": subnet_group_differences(layer.get("subnet_group"), wanted["subnet_group"]),
        "parameter_group": parameter_group_differences(layer.get("parameter_group"), layer.get("parameters"), wanted["parameter_group"]),
        "instance": instance_differences(instance, wanted["instance"]),
        "master_user_secret": master_user_secret_differences(instance, wanted.get("master_user_secret") or {}),
    }
    result.update(security_group_problems(layer.get("security_groups") or [], wanted.get("security_groups") or {}))
    return result


class FilterModule:
    def filters(self):
        return {"rds_postgres_writes": rds_postgres_writes}
