#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ssm_activation
version_added: 0.1.0
short_description: Manage AWS Systems Manager hybrid activations
description:
  - Creates and deletes an AWS Systems Manager (SSM) hybrid activation, with which on-premises machines register
    their SSM agent and become managed instances (C(mi-) ids).
  - "Identity rule: the module owns every activation whose C(DefaultInstanceName) equals O(default_instance_name) and
    whose C(Description) equals O(description) (a missing description equals an empty one). It finds them with the
    C(DefaultInstanceName) filter of DescribeActivations. When several match, it keeps the one stored in
    O(code_parameter), else the newest unexpired one, and deletes the others. Changing O(default_instance_name) or
    O(description) therefore addresses another activation: remove the old one with O(state=absent) first."
  - The activation code exists only in the answer to CreateActivation. With O(code_parameter) the module stores
    the activation id and code as a C(SecureString) SSM parameter and returns the code from it on later runs, so
    machines that join later can still register. Without O(code_parameter) the code is returned only by the run
    that creates the activation.
  - SSM cannot change an activation. The module renews it (deletes it, creates a new one and rewrites
    O(code_parameter)) when it has expired, when its registrations reached its registration limit, when it expires
    within O(renew_days_before_expiry) days, when O(code_parameter) is missing, unreadable or holds another
    activation, or when O(iam_role), O(registration_limit) or O(tags) differ from the activation's.
    Machines already registered stay registered when their activation is deleted.
  - No module of amazon.aws or community.aws manages hybrid activations (CreateActivation, DescribeActivations,
    DeleteActivation), hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  state:
    description:
      - Whether the activation should exist.
      - V(absent) deletes every activation that matches the identity rule, and O(code_parameter) when given.
    choices: [present, absent]
    default: present
    type: str
  default_instance_name:
    description:
      - The name given to the managed instances that register with the activation (at most 256 characters).
      - Part of the activation's identity, with O(description).
    required: true
    type: str
  description:
    description:
      - Description of the activation (at most 256 characters).
      - Part of the activation's identity, with O(default_instance_name).
    type: str
    default: ""
  iam_role:
    description:
      - 'Name (not ARN) of the IAM service role the managed instances assume, trusted by C(ssm.amazonaws.com), with the
        permissions of the SSM agent. Keep the code out of its reach (no C(ssm:GetParameter) on O(code_parameter), no
        C(kms:Decrypt) with O(kms_key_id)): C(AmazonSSMManagedInstanceCore) allows C(ssm:GetParameter) on every
        parameter, so a role that carries it needs an explicit deny (the P(hybridcloud.aws.activation_access_policies#filter)
        filter builds one).'
      - Required with O(state=present).
    type: str
  registration_limit:
    description:
      - How many machines may register with the activation (1 to 1000).
    type: int
    default: 1
  expiration_days:
    description:
      - Days from creation after which the activation expires (1 to 30).
      - Defaults to 30 when O(expiration_date) is not set.
      - Applies when the module creates or renews the activation; changing it does not renew an existing one.
    type: int
  expiration_date:
    description:
      - Date and time (ISO 8601, UTC when no offset is given) at which the activation expires, at most 30 days ahead.
      - Applies when the module creates or renews the activation; changing it does not renew an existing one.
      - Prefer O(expiration_days) for plays that run for longer than an activation lives.
    type: str
  renew_days_before_expiry:
    description:
      - Renew the activation when it expires within this many days. V(0) renews only expired activations.
      - Must be smaller than O(expiration_days).
    type: int
    default: 3
  code_parameter:
    description:
      - 'Name of an SSM parameter in which the module keeps C({"id": ACTIVATION_ID, "code": ACTIVATION_CODE}) as a
        C(SecureString), so later runs can return the activation code.'
    type: str
  kms_key_id:
    description:
      - KMS key (id, ARN or alias) that encrypts O(code_parameter); the account's C(alias/aws/ssm) key when not set.
      - Applies when the module writes the parameter. When the parameter exists under another key, the module
        rewrites it with this one (the same activation and code, see RV(reencrypted)); the key is compared in the
        form given (a key id matches its ARN, an alias only the same alias).
      - Use a customer managed key whose key policy lets only the principals that deploy decrypt it, so that no
        managed instance or workload can read the code.
    type: str
notes:
  - Supports C(check_mode) and C(diff). Check mode never creates or deletes an activation or a parameter.
  - The returned RV(activation_code) is a secret that lets any machine register as a managed instance.
    Set C(no_log=true) on the task and pass the code on only through variables.
  - CreateActivation has no client token, so the module never lets botocore or AWSRetry repeat it; only a throttled
    (refused) create is retried. After a failure that may have created the activation (a 5xx, a lost answer), the
    activation it made is found with DescribeActivations and deleted, because its code was lost with the answer,
    before the create is tried again. One activation remains and its code is the one stored in O(code_parameter).
attributes:
  check_mode:
    support: full
    details:
      - Creates and deletes no activation and writes no parameter; an activation still to be created has no id.
  diff_mode:
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
"""

EXAMPLES = r"""
- name: Activation for the on-premises ECS Anywhere hosts, code kept in Parameter Store
  hybridcloud.aws.ssm_activation:
    default_instance_name: onprem-ecs
    description: ECS Anywhere hosts of the Munich data centre
    iam_role: ECSAnywhereRole
    registration_limit: 20
    expiration_days: 30
    code_parameter: /hybridcloud/ssm/activations/onprem-ecs
    tags:
      site: munich
  register: activation
  no_log: true

- name: Register the hosts with it (runs on each host)
  hybridcloud.aws.ssm_agent_registration:
    activation_id: "{{ activation.activation_id }}"
    activation_code: "{{ activation.activation_code }}"
    region: eu-central-1

- name: Remove the activation and its parameter
  hybridcloud.aws.ssm_activation:
    default_instance_name: onprem-ecs
    description: ECS Anywhere hosts of the Munich data centre
    code_parameter: /hybridcloud/ssm/activations/onprem-ecs
    state: absent
"""

RETURN = r"""
activation:
  description:
    - The activation after the change; empty with O(state=absent).
    - In check mode a new activation's RV(activation.activation_id) is null.
  returned: always
  type: dict
  contains:
    activation_id:
      description: Id of the activation.
      type: str
      sample: 4d5b9c7e-8f3a-4e2b-9a61-2f3c4d5e6f70
    default_instance_name:
      description: Name given to the instances that register.
      type: str
      sample: onprem-ecs
    description:
      description: Description of the activation.
      type: str
      sample: ECS Anywhere hosts of the Munich data centre
    iam_role:
      description: IAM role of the managed instances.
      type: str
      sample: ECSAnywhereRole
    registration_limit:
      description: Maximum number of registrations.
      type: int
      sample: 20
    registrations_count:
      description: Number of registrations so far.
      type: int
      sample: 3
    expiration_date:
      description: When the activation expires (ISO 8601, UTC).
      type: str
      sample: "2026-12-24T10:00:00+00:00"
    expired:
      description: Whether the activation has expired.
      type: bool
      sample: false
    created_date:
      description: When the activation was created (ISO 8601, UTC).
      type: str
      sample: "2026-11-24T10:00:00+00:00"
    tags:
      description: Tags of the activation.
      type: dict
      sample: {"site": "munich"}
activation_id:
  description: Id of the activation; null with O(state=absent) and for an activation check mode would create.
  returned: always
  type: str
  sample: 4d5b9c7e-8f3a-4e2b-9a61-2f3c4d5e6f70
activation_code:
  description:
    - SECRET. The activation code, when this run created the activation or read it from O(code_parameter);
      else null. Protect the task with C(no_log=true).
  returned: always
  type: str
  sample: null
renewed:
  description: Whether the run replaced an existing activation by a new one (or would, in check mode).
  returned: always
  type: bool
  sample: false
renewal_reasons:
  description: Why the activation was (or would be) renewed.
  returned: always
  type: list
  elements: str
  sample: ["registration limit reached (20 of 20)"]
reencrypted:
  description: Whether the run rewrote O(code_parameter) under O(kms_key_id) (or would, in check mode).
  returned: always
  type: bool
  sample: false
deleted_activation_ids:
  description: Activations the run deleted (or would delete, in check mode).
  returned: always
  type: list
  elements: str
  sample: ["0b6e2cd1-7a0e-4b43-a0f3-6d2a1c9e8b11"]
"""

import datetime
import json

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.hybridcloud.aws.plugins.module_utils.create_once import single_attempt_client
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import AnsibleSSMError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import create_activation
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import delete_activation
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import delete_parameter
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import describe_activations
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import describe_parameters_named
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import get_secure_parameter
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import matches_identity
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import normalize_activation
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import parameter_exists
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import put_secure_parameter
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import to_utc
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import utc_now

MAX_EXPIRATION_DAYS = 30
DEFAULT_EXPIRATION_DAYS = 30
# Dates computed here reach SSM a moment later and the clocks may differ a little: keep clear of the 30-day limit.
CLOCK_MARGIN = datetime.timedelta(minutes=10)


def validate(module, now):
    params = module.params
    if len(params["default_instance_name"]) > 256:
        module.fail_json(msg="default_instance_name must be at most 256 characters long")
    if len(params["description"] or "") > 256:
        module.fail_json(msg="description must be at most 256 characters long")
    if params["state"] == "absent":
        return
    iam_role = params["iam_role"]
    if not iam_role:
        module.fail_json(msg="state=present needs iam_role")
    if iam_role.startswith("arn:"):
        module.fail_json(msg=f"iam_role takes the role's name, not its ARN: {iam_role}")
    if len(iam_role) > 64:
        module.fail_json(msg="iam_role must be at most 64 characters long")
    if not 1 <= params["registration_limit"] <= 1000:
        module.fail_json(msg=f"registration_limit must be between 1 and 1000, got {params['registration_limit']}")
    if params["renew_days_before_expiry"] < 0:
        module.fail_json(msg="renew_days_before_expiry must not be negative")
    days = params["expiration_days"]
    if days is not None and not 1 <= days <= MAX_EXPIRATION_DAYS:
        module.fail_json(msg=f"expiration_days must be between 1 and {MAX_EXPIRATION_DAYS}, got {days}")
    if params["expiration_date"] is None and params["renew_days_before_expiry"] >= (days or DEFAULT_EXPIRATION_DAYS):
        module.fail_json(msg="renew_days_before_expiry must be smaller than expiration_days, or every run would renew the activation")
    if params["expiration_date"] is not None:
        try:
            expiration = to_utc(params["expiration_date"])
        except ValueError:
            module.fail_json(msg=f"expiration_date is not an ISO 8601 date and time: {params['expiration_date']}")
        if not now < expiration <= now + datetime.timedelta(days=MAX_EXPIRATION_DAYS):
            module.fail_json(msg=f"expiration_date must lie in the next {MAX_EXPIRATION_DAYS} days, got {params['expiration_date']}")
        if expiration - now < datetime.timedelta(days=params["renew_days_before_expiry"]):
            module.warn("expiration_date lies within renew_days_before_expiry: every run renews the activation until then")


def wanted_expiration(params, now):
    if params["expiration_date"] is not None:
        return to_utc(params["expiration_date"]).replace(microsecond=0)
    days = params["expiration_days"] or DEFAULT_EXPIRATION_DAYS
    return (now + datetime.timedelta(days=days) - CLOCK_MARGIN).replace(microsecond=0)


def read_stored_code(client, name):
    """(status, stored) for the code parameter: status is ok, missing or unreadable; stored {id, code} when ok."""
    value = get_secure_parameter(client, name)
    if value is None:
        return "missing", None
    try:
        stored = json.loads(value)
    except ValueError:
        return "unreadable", None
    if not isinstance(stored, dict) or not isinstance(stored.get("id"), str) or not isinstance(stored.get("code"), str):
        return "unreadable", None
    return "ok", stored


def key_id_of(key):
    """The comparable form of a KMS key reference: a key ARN becomes its key id, an alias ARN its alias/NAME."""
    key = key or "alias/aws/ssm"
    if key.startswith("arn:") and ":key/" in key:
        return key.split(":key/", 1)[1]
    if key.startswith("arn:") and ":alias/" in key:
        return "alias/" + key.split(":alias/", 1)[1]
    return key


def needs_reencryption(client, name, kms_key_id):
    """Whether the parameter is encrypted under another key than kms_key_id (one DescribeParameters call)."""
    if not kms_key_id:
        return False
    found = describe_parameters_named(client, [name])
    current = next((parameter for parameter in found if parameter.get("Name") == name), None)
    return current is not None and key_id_of(current.get("KeyId")) != key_id_of(kms_key_id)


def choose_activation(activations, stored_id, now):
    """The activation to keep among those matching the identity: the stored one, else the newest unexpired."""
    if not activations:
        return None
    for activation in activations:
        if activation["ActivationId"] == stored_id:
            return activation

    def rank(activation):
        return (not is_expired(activation, now), to_utc(activation.get("CreatedDate")) or datetime.datetime.min.replace(tzinfo=datetime.timezone.utc))

    return max(activations, key=rank)


def is_expired(activation, now):
    expiration = to_utc(activation.get("ExpirationDate"))
    return bool(activation.get("Expired")) or (expiration is not None and expiration <= now)


def wanted_tags(current_tags, tags, purge_tags):
    if tags is None:
        return dict(current_tags)
    if purge_tags:
        return dict(tags)
    return dict(current_tags, **tags)


def renewal_reasons(activation, params, stored_status, stored, now):
    """Why the kept activation must be replaced; empty when it can stay."""
    reasons = []
    expiration = to_utc(activation.get("ExpirationDate"))
    limit, count = activation.get("RegistrationLimit"), activation.get("RegistrationsCount", 0)
    renew_window = datetime.timedelta(days=params["renew_days_before_expiry"])
    if is_expired(activation, now):
        reasons.append("expired")
    elif expiration is not None and params["renew_days_before_expiry"] and expiration - now < renew_window:
        reasons.append(f"expires within {params['renew_days_before_expiry']} days ({expiration.isoformat()})")
    if limit is not None and count >= limit:
        reasons.append(f"registration limit reached ({count} of {limit})")
    if stored_status == "missing":
        reasons.append(f"code parameter {params['code_parameter']} is missing")
    elif stored_status == "unreadable":
        reasons.append(f"code parameter {params['code_parameter']} does not hold an activation id and code")
    elif stored_status == "ok" and stored["id"] != activation["ActivationId"]:
        reasons.append(f"code parameter {params['code_parameter']} holds another activation ({stored['id']})")
    if activation.get("IamRole") != params["iam_role"]:
        reasons.append(f"iam_role changes from {activation.get('IamRole')} to {params['iam_role']}")
    if limit != params["registration_limit"]:
        reasons.append(f"registration_limit changes from {limit} to {params['registration_limit']}")
    if params["tags"] is not None:
        to_set, to_unset = compare_aws_tags(boto3_tag_list_to_ansible_dict(activation.get("Tags") or []), params["tags"], params["purge_tags"])
        if to_set or to_unset:
            reasons.append("tags change")
    return reasons


def planned_activation(params, current, now):
    """The API shape of the activation the module is about to create (its id is not known yet)."""
    current_tags = boto3_tag_list_to_ansible_dict((current or {}).get("Tags") or [])
    tags = wanted_tags(current_tags, params["tags"], params["purge_tags"])
    return {
        "ActivationId": None,
        "DefaultInstanceName": params["default_instance_name"],
        "Description": params["description"] or "",
        "IamRole": params["iam_role"],
        "RegistrationLimit": params["registration_limit"],
        "RegistrationsCount": 0,
        "ExpirationDate": wanted_expiration(params, now),
        "Expired": False,
        "CreatedDate": now.replace(microsecond=0),
        "Tags": [{"Key": key, "Value": value} for key, value in tags.items()],
    }


def ensure_absent(module, client, activations):
    params = module.params
    has_parameter = bool(params["code_parameter"]) and parameter_exists(client, params["code_parameter"])
    deleted = [activation["ActivationId"] for activation in activations]
    if not module.check_mode:
        for activation_id in deleted:
            delete_activation(client, activation_id)
        if has_parameter:
            delete_parameter(client, params["code_parameter"])
    before = normalize_activation(choose_activation(activations, None, utc_now()))
    return {
        "changed": bool(deleted) or has_parameter,
        "activation": {},
        "activation_id": None,
        "activation_code": None,
        "renewed": False,
        "renewal_reasons": [],
        "reencrypted": False,
        "deleted_activation_ids": deleted,
        "diff": {"before": before or {}, "after": {}},
    }


def store_code(module, client, code, value, description):
    """Writes the code parameter. When the write fails, the code is added to the module's no_log values first, so that
    the failure (AWS's own message, shown to the user) cannot carry it, even where an error echoes a request value.
    On success it stays out of them: the task needs the code in its result (and hides that result with no_log)."""
    try:
        put_secure_parameter(client, module.params["code_parameter"], value, description, module.params["kms_key_id"])
    except AnsibleSSMError:
        module.no_log_values.add(code)
        module.no_log_values.add(value)
        raise


def ensure_present(module, client, activations, now):
    params = module.params
    stored_status, stored = read_stored_code(client, params["code_parameter"]) if params["code_parameter"] else (None, None)
    current = choose_activation(activations, stored["id"] if stored else None, now)
    to_delete = [activation["ActivationId"] for activation in activations if activation is not current]
    reasons = renewal_reasons(current, params, stored_status, stored, now) if current else []
    code = stored["code"] if stored and current and stored["id"] == current["ActivationId"] else None

    after = current
    reencrypt = bool(current and not reasons and stored_status == "ok" and needs_reencryption(client, params["code_parameter"], params["kms_key_id"]))
    if current is None or reasons:
        if current is not None:
            to_delete.append(current["ActivationId"])
        after = planned_activation(params, current, now)
        code = None
    if not module.check_mode:
        # Old activations go first: a failure after this point leaves no duplicate, and the next run creates anew.
        for activation_id in to_delete:
            delete_activation(client, activation_id)
        if after is not current:
            created = create_activation(
                client,
                iam_role=after["IamRole"],
                registration_limit=after["RegistrationLimit"],
                expiration_date=after["ExpirationDate"],
                default_instance_name=after["DefaultInstanceName"],
                description=after["Description"],
                tags=boto3_tag_list_to_ansible_dict(after["Tags"]),
                create_client=single_attempt_client(module, "ssm"),
            )
            after["ActivationId"], code = created["ActivationId"], created["ActivationCode"]
            if params["code_parameter"]:
                value = json.dumps({"id": after["ActivationId"], "code": code})
                description = f"Code of the SSM activation {after['ActivationId']} ({after['DefaultInstanceName']}), kept by hybridcloud.aws.ssm_activation"
                store_code(module, client, code, value, description)
        elif reencrypt:
            value = json.dumps({"id": stored["id"], "code": stored["code"]})
            description = f"Code of the SSM activation {stored['id']} ({current['DefaultInstanceName']}), kept by hybridcloud.aws.ssm_activation"
            store_code(module, client, stored["code"], value, description)

    before, result = normalize_activation(current), normalize_activation(after)
    return {
        "changed": after is not current or bool(to_delete) or reencrypt,
        "activation": result,
        "activation_id": result["activation_id"],
        "activation_code": code,
        "renewed": current is not None and bool(reasons),
        "renewal_reasons": reasons,
        "reencrypted": reencrypt,
        "deleted_activation_ids": to_delete,
        "diff": {"before": before or {}, "after": result},
    }


def main():
    argument_spec = dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        default_instance_name=dict(type="str", required=True),
        description=dict(type="str", default=""),
        iam_role=dict(type="str"),
        registration_limit=dict(type="int", default=1),
        expiration_days=dict(type="int"),
        expiration_date=dict(type="str"),
        renew_days_before_expiry=dict(type="int", default=3),
        code_parameter=dict(type="str"),
        kms_key_id=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[("state", "present", ["iam_role"])],
        mutually_exclusive=[("expiration_days", "expiration_date")],
        required_by={"kms_key_id": "code_parameter"},
    )
    now = utc_now()
    validate(module, now)
    params = module.params
    client = module.client("ssm")

    try:
        found = describe_activations(client, params["default_instance_name"])
        activations = [activation for activation in found if matches_identity(activation, params["default_instance_name"], params["description"])]
        result = ensure_absent(module, client, activations) if params["state"] == "absent" else ensure_present(module, client, activations, now)
    except AnsibleSSMError as e:
        module.fail_json_aws_error(e)

    module.exit_json(**result)


if __name__ == "__main__":
    main()
