# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the rds_postgres role guarantees of the DB instance it leaves, checked on the instance as read back.

Some of it cannot be changed after creation (encryption, its key), some is guarded by the writes before; reading it
back catches an instance that was created or changed by someone else in a way the role does not repair."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.hybridcloud.aws.plugins.module_utils.rds import key_matches


def verification_problems(instance, expected):
    """Why INSTANCE (snake_case, as amazon.aws.rds_instance_info describes it) is not what the role guarantees; empty
    when it is. EXPECTED: replica_source (the wanted source's identifier or ARN, empty for a standalone instance),
    kms_key_id (the wanted key's id, ARN or alias, empty for any key), kms_key_arn (the ARN of that key as KMS
    resolved it, which an alias needs; empty when not read), master_secret_arn (the managed master user
    secret read back, empty when none) and check_mode (a check run cannot hand the password over, so it has none; a
    boolean or its string form, as a template may hand it)."""
    instance = instance or {}
    replica_source = expected.get("replica_source") or ""
    problems = []
    pending_multi_az = (instance.get("pending_modified_values") or {}).get("multi_az")
    if not instance.get("multi_az") and not pending_multi_az:
        problems.append("not Multi-AZ (multi_az false, no change to it pending)")
    if not instance.get("storage_encrypted"):
        problems.append("storage not encrypted (encryption can only be set when an instance is created)")
    # The key matched as the writes match it (module_utils/rds.key_matches): the same ARN or key id, or the ARN an
    # alias resolved to; never a substring.
    wanted_key, wanted_arn, current_key = expected.get("kms_key_id") or "", expected.get("kms_key_arn") or "", instance.get("kms_key_id") or ""
    key_is_wanted = key_matches(current_key, wanted_key) or (wanted_arn and key_matches(current_key, wanted_arn))
    if wanted_key and instance.get("storage_encrypted") and not key_is_wanted:
        problems.append(
            "encrypted with {0}, not {1} (the key can only be set when an instance is created)".format(instance.get("kms_key_id") or "no key", wanted_key)
        )
    if instance.get("publicly_accessible"):
        problems.append("publicly accessible")
    allocated, maximum = instance.get("allocated_storage") or 0, instance.get("max_allocated_storage") or 0
    if maximum <= allocated:
        problems.append("storage autoscaling off (max_allocated_storage {0} GiB, allocated {1} GiB)".format(maximum or "none", allocated))
    if replica_source:
        source = instance.get("read_replica_source_db_instance_identifier") or ""
        if source != replica_source:
            problems.append("a replica of {0}, not of {1}".format(source or "nothing", replica_source))
    elif not expected.get("master_secret_arn") and not boolean(expected.get("check_mode") or False, strict=False):
        problems.append("no master user secret managed by RDS in Secrets Manager")
    return problems
