# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: rds_postgres_verification_problems
short_description: Why a PostgreSQL DB instance read back is not what the rds_postgres role guarantees
version_added: 0.2.0
description:
  - Takes the DB instance as M(amazon.aws.rds_instance_info) describes it and what the role expects, and returns one
    problem per property that is not as guaranteed; an empty list when the instance is as required.
  - Multi-AZ (or a change to it pending), encrypted storage (with the wanted key when one is given), not publicly
    accessible, storage autoscaling on (a maximum above the allocated storage), and either a managed master user
    secret (standalone, not in check mode) or the wanted source (a read replica).
positional: expected
options:
  _input:
    description: The DB instance as read back (snake_case).
    type: dict
    required: true
  expected:
    description:
      - C(replica_source), the wanted source's identifier or ARN for a read replica, empty for a standalone instance.
      - C(kms_key_id), the wanted key's id, ARN or alias, empty for any key; matched as the role's writes match it
        (the same ARN, or the key id at the end of the instance's key ARN).
      - C(kms_key_arn), the ARN KMS resolved C(kms_key_id) to (an alias matches through it), empty when not read.
      - C(master_secret_arn), the ARN of the managed master user secret read back, empty when there is none.
      - C(check_mode), true in a check run (which cannot hand the password over to a secret).
    type: dict
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Verify the instance
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ instance.db_instance_identifier }} is not as required: {{ problems | join('; ') }}"
  vars:
    problems: >-
      {{ instance | hybridcloud.aws.rds_postgres_verification_problems({'replica_source': '', 'kms_key_id': '',
         'master_secret_arn': secret_arn, 'check_mode': ansible_check_mode}) }}
"""

RETURN = r"""
_value:
  description: One problem per property that is not as guaranteed, for example C(publicly accessible).
  type: list
  elements: str
"""


def verification_problems(instance, expected):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.rds_instance_verification import verification_problems as upstream

    return upstream(instance, expected)


class FilterModule:
    def filters(self):
        return {"rds_postgres_verification_problems": verification_problems}
