#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: rds_instance_master_user_secret
version_added: 0.1.0
short_description: Hand the master user password of an RDS DB instance to Secrets Manager
description:
  - Ensures that RDS manages the master user password of an existing DB instance in AWS Secrets Manager
    (C(ModifyDBInstance) with C(ManageMasterUserPassword), applied immediately), or that it no longer does.
  - With I(state=present), RDS generates a new master password, keeps it in a secret it owns and rotates it; the
    password that was set before stops working, so a password used to create the instance is never known afterwards.
    Nothing is changed when RDS already manages the password.
  - With I(state=absent), RDS deletes its secret and sets I(master_user_password) as the master password. A new
    password is required by the API, so the module refuses I(state=absent) without one.
  - The module reads C(MasterUserSecret) of C(DescribeDBInstances) to decide, and returns the secret's ARN, status
    and KMS key, never the password.
  - Upstream M(amazon.aws.rds_instance) (checked in 11.4.0) has neither C(manage_master_user_password) nor
    C(master_user_secret_kms_key_id) in its argument spec, so it can only create an instance with a password that
    Ansible knows, and community.aws has no RDS module that sets the option; hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  db_instance_identifier:
    description:
      - Identifier of the DB instance. The instance must exist.
    required: true
    type: str
    aliases: [id, instance_id]
  state:
    description:
      - C(present) lets RDS manage the master user password in Secrets Manager; C(absent) stops that and sets
        I(master_user_password).
    choices: [present, absent]
    default: present
    type: str
  master_user_secret_kms_key_id:
    description:
      - KMS key (key ID, key ARN, alias name or alias ARN) that encrypts the secret, used when the module turns on
        the management. Without it, RDS uses the account's C(aws/secretsmanager) key.
      - RDS cannot change the key of a secret it already manages; the module fails when the secret's key differs
        (turn the management off and on again to change it).
      - Only with I(state=present).
    type: str
  master_user_password:
    description:
      - The new master user password RDS sets when the management is turned off. Required with I(state=absent).
      - 8 to 128 printable ASCII characters except C(/), C("), C(@) and space (PostgreSQL; other engines allow less).
      - Never logged and never returned.
    type: str
  wait:
    description:
      - Wait until the secret is C(active) (I(state=present)) or gone (I(state=absent)).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait.
    type: int
    default: 600
notes:
  - Supports C(check_mode) and C(diff).
  - The change is applied immediately (C(ApplyImmediately)), not in the maintenance window.
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
"""

EXAMPLES = r"""
- name: Let RDS own the master password of the database (the creation password stops working)
  hybridcloud.aws.rds_instance_master_user_secret:
    db_instance_identifier: hybridcloud-postgres
  register: master_secret

- name: Same, with the secret encrypted by a customer managed key
  hybridcloud.aws.rds_instance_master_user_secret:
    db_instance_identifier: hybridcloud-postgres
    master_user_secret_kms_key_id: alias/hybridcloud-secrets

- name: Take the password back from Secrets Manager (RDS deletes its secret)
  hybridcloud.aws.rds_instance_master_user_secret:
    db_instance_identifier: hybridcloud-postgres
    state: absent
    master_user_password: "{{ vault_postgres_master_password }}"
  no_log: true
"""

RETURN = r"""
db_instance_identifier:
  description: Identifier of the DB instance.
  returned: always
  type: str
  sample: hybridcloud-postgres
db_instance_arn:
  description: ARN of the DB instance.
  returned: always
  type: str
  sample: arn:aws:rds:eu-west-1:123456789012:db:hybridcloud-postgres
secret_arn:
  description:
    - ARN of the Secrets Manager secret in which RDS keeps the master user name and password.
    - Empty when RDS does not manage the password, and in check mode before the secret exists.
  returned: always
  type: str
  sample: arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-5f1c8a0e-2b3c-4d5e-8f90-123456789abc-AbCdEf
secret_status:
  description: Status of the secret (C(creating), C(active), C(rotating), C(impaired)); empty when there is none.
  returned: always
  type: str
  sample: active
kms_key_id:
  description: ARN of the KMS key that encrypts the secret; empty when there is none.
  returned: always
  type: str
  sample: arn:aws:kms:eu-west-1:123456789012:key/1111aaaa-2222-3333-4444-555566667777
waited:
  description:
    - What the module's waits saw, one entry per wait in the order they ran
      (polling every 10 seconds).
    - Each poll is also written, as it happens, to the log of the host that runs the module (syslog or the journal),
      one line per poll that names what it waits for, the poll's number, the seconds since the wait began and the
      state it saw.
  returned: when the module waited, also when it failed
  type: list
  elements: dict
  contains:
    what:
      description: What the module waited for.
      type: str
      sample: the master user secret of DB instance hybridcloud-postgres to become active
    seconds:
      description: Seconds from the start of the wait to its last poll.
      type: float
      sample: 20.0
    polls:
      description: How many times the module read the resource.
      type: int
      sample: 3
    states:
      description: What the polls saw, in order; consecutive polls that saw the same state are one entry.
      type: list
      elements: dict
      contains:
        state:
          description: Status of the master user secret, C(none) without one.
          type: str
        seconds:
          description: Seconds from the start of the wait to the first poll of this entry.
          type: float
        polls:
          description: How many consecutive polls saw this state.
          type: int
      sample: [{state: creating, seconds: 0.0, polls: 2}, {state: active, seconds: 20.0, polls: 1}]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.rds import AnsibleRDSError
from ansible_collections.hybridcloud.aws.plugins.module_utils.rds import describe_db_instance
from ansible_collections.hybridcloud.aws.plugins.module_utils.rds import is_alias
from ansible_collections.hybridcloud.aws.plugins.module_utils.rds import key_matches
from ansible_collections.hybridcloud.aws.plugins.module_utils.rds import kms_key_arn
from ansible_collections.hybridcloud.aws.plugins.module_utils.rds import manage_master_user_password
from ansible_collections.hybridcloud.aws.plugins.module_utils.rds import master_user_secret
from ansible_collections.hybridcloud.aws.plugins.module_utils.rds import unmanage_master_user_password
from ansible_collections.hybridcloud.aws.plugins.module_utils.rds import wait_for_master_user_secret
from ansible_collections.hybridcloud.aws.plugins.module_utils.waiting import Waits

PASSWORD_FORBIDDEN = '/"@ '


def validate(module):
    params = module.params
    password = params["master_user_password"]
    if params["state"] == "absent":
        if not password:
            module.fail_json(msg="state=absent turns off the managed master user password, and RDS then needs a new one: give master_user_password (no_log)")
        if params["master_user_secret_kms_key_id"]:
            module.fail_json(msg="master_user_secret_kms_key_id applies only to state=present")
    elif password is not None:
        module.fail_json(msg="master_user_password applies only to state=absent: with state=present RDS generates the password")
    if password is not None:
        # Say what is wrong without echoing any part of the password.
        if not 8 <= len(password) <= 128:
            module.fail_json(msg="master_user_password must be 8 to 128 characters long")
        if any(char in PASSWORD_FORBIDDEN or not " " < char <= "~" for char in password):
            module.fail_json(msg='master_user_password may hold printable ASCII characters only, and none of / " @ or space')
    if params["wait_timeout"] < 0:
        module.fail_json(msg="wait_timeout must not be negative")


def state_of(instance):
    secret = master_user_secret(instance)
    return {"manage_master_user_password": bool(secret["secret_arn"]), "master_user_secret_kms_key_id": secret["kms_key_id"]}


def check_secret_key(module, secret):
    """Fail when the managed secret is encrypted with another key than the one asked for (RDS cannot change it)."""
    wanted = module.params["master_user_secret_kms_key_id"]
    if not wanted or key_matches(secret["kms_key_id"], wanted):
        return
    # Only an alias needs KMS to say which key it names; a key id or key ARN that differs is a different key.
    if is_alias(wanted) and key_matches(secret["kms_key_id"], kms_key_arn(module.client("kms"), wanted)):
        return
    module.fail_json(
        msg=(
            f"The master user secret of {module.params['db_instance_identifier']} is encrypted with {secret['kms_key_id']}, not "
            f"{wanted}; RDS cannot change the key of a secret it manages: turn the management off (state=absent) and on again"
        ),
        **secret,
    )


def apply(module, client, waits):
    """Turn the management on or off, then wait for the secret to settle; the instance as last read."""
    params = module.params
    identifier, present = params["db_instance_identifier"], params["state"] == "present"
    if present:
        instance = manage_master_user_password(client, identifier, params["master_user_secret_kms_key_id"])
    else:
        instance = unmanage_master_user_password(client, identifier, params["master_user_password"])
    if not params["wait"]:
        return instance
    return wait_for_master_user_secret(client, identifier, present, params["wait_timeout"], progress=waits)


def main():
    argument_spec = dict(
        db_instance_identifier=dict(type="str", required=True, aliases=["id", "instance_id"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        master_user_secret_kms_key_id=dict(type="str"),
        master_user_password=dict(type="str", no_log=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    params = module.params
    identifier, present = params["db_instance_identifier"], params["state"] == "present"
    client = module.client("rds")
    waits = Waits(module.log)

    try:
        instance = describe_db_instance(client, identifier)
        if instance is None:
            module.fail_json(msg=f"DB instance {identifier} does not exist")
        before = state_of(instance)
        changed = before["manage_master_user_password"] != present
        if present and not changed:
            check_secret_key(module, master_user_secret(instance))
        if changed and not module.check_mode:
            instance = apply(module, client, waits)
    except AnsibleRDSError as e:
        waits.fail(module, e)

    secret = master_user_secret(instance)
    after = state_of(instance)
    if changed and module.check_mode:
        # Nothing was done: report the state the run would reach, without a secret that does not exist yet.
        secret = master_user_secret(None)
        after = {"manage_master_user_password": present, "master_user_secret_kms_key_id": params["master_user_secret_kms_key_id"] or ""}
    module.exit_json(
        changed=changed,
        db_instance_identifier=identifier,
        db_instance_arn=instance.get("DBInstanceArn", ""),
        diff={"before": before, "after": after},
        **secret,
        **waits.returned(),
    )


if __name__ == "__main__":
    main()
