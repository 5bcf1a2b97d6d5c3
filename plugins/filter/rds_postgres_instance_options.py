# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: rds_postgres_instance_options
short_description: The options the rds_postgres role sends to amazon.aws.rds_instance
version_added: 0.2.0
description:
  - Takes the PostgreSQL instance as read (snake_case, as M(hybridcloud.aws.rds_layer_info) returns it; empty before it
    exists) and the role's settings, and returns the options of M(amazon.aws.rds_instance) the role compares
    (P(hybridcloud.aws.rds_postgres_writes#filter)) and sends.
  - Always engine postgres, automatic minor upgrades, encrypted storage (the AWS managed key C(alias/aws/rds) when no
    key is given), Multi-AZ, not publicly accessible, tags copied to snapshots, deletion protection.
  - C(allocated_storage) never below what the instance has (storage autoscaling grows it; RDS cannot shrink it).
  - A standalone instance gets the engine version (the instance's own minor version when it runs one of the wanted
    major or minor version, so that automatic minor upgrades are not fought back), master user, database and backups;
    a read replica gets none of them (its source gives them).
positional: settings
options:
  _input:
    description: The instance as read; empty or null before it exists.
    type: dict
    required: true
  settings:
    description:
      - The role's settings, keys C(instance_class), C(allocated_storage), C(max_allocated_storage), C(storage_type),
        C(kms_key_id), C(port), C(subnet_group_name), C(security_group_ids), C(parameter_group_name),
        C(maintenance_window), C(performance_insights), C(performance_insights_retention_days), C(log_exports),
        C(replica), C(engine_version), C(master_username), C(db_name), C(backup_retention_days), C(backup_window).
    type: dict
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Note the instance options to send
  ansible.builtin.set_fact:
    options: "{{ layer.instance | default({}) | hybridcloud.aws.rds_postgres_instance_options(settings) }}"
"""

RETURN = r"""
_value:
  description: The options, named as M(amazon.aws.rds_instance) names them.
  type: dict
  sample: {engine: postgres, engine_version: "16.4", db_instance_class: db.t4g.medium, allocated_storage: 20, multi_az: true}
"""


def instance_options(current, settings):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.rds_instance_options import instance_options as upstream

    return upstream(current, settings)


class FilterModule:
    def filters(self):
        return {"rds_postgres_instance_options": instance_options}
