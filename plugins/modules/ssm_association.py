#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ssm_association
version_added: 0.1.0
short_description: Manage AWS Systems Manager State Manager associations
description:
  - Creates, updates in place and deletes a State Manager association, which runs an SSM document (for example
    C(AWS-UpdateSSMAgent), C(AWS-GatherSoftwareInventory) or C(AWS-RunPatchBaseline)) on a schedule on the managed
    nodes its I(targets) select, EC2 instances (C(i-)) and hybrid managed instances (C(mi-)) alike.
  - An association is identified by its I(name) (AssociationName), or by I(association_id) when given (which allows
    renaming it). SSM does not keep names unique; when several associations share I(name) the module fails and asks
    for I(association_id).
  - An existing association is updated only when an option differs from what SSM keeps. Options left out keep their
    current values; because UpdateAssociation clears every optional field a request omits, an update sends the whole
    association, including the fields this module does not manage.
  - Neither the amazon.aws nor the community.aws collection has a module for State Manager associations, hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  name:
    description:
      - Name of the association (3 to 128 of C(a-z A-Z 0-9 _ - .)).
      - Identifies the association unless I(association_id) is given; then it is the name the association should have.
    required: true
    type: str
    aliases: [association_name]
  association_id:
    description:
      - Identifier of an existing association, to manage it whatever its current name.
    type: str
  state:
    description:
      - Whether the association should exist.
    choices: [present, absent]
    default: present
    type: str
  document_name:
    description:
      - Name or ARN of the SSM document the association runs, for example C(AWS-RunPatchBaseline).
      - Required to create an association.
    type: str
    aliases: [document]
  document_version:
    description:
      - Version of the document, C($DEFAULT), C($LATEST) or a version number. SSM uses C($DEFAULT) when it is not given.
    type: str
  parameters:
    description:
      - Parameters of the document, name to value. A value may be a list of strings or a single value, which SSM keeps
        as a one-item list; booleans become C(true) or C(false).
      - The given dict replaces all the parameters; an empty dict removes them.
      - The values are returned and shown in diffs. Do not put secrets here; reference a SecureString parameter instead
        (C({{ssm-secure:NAME}})) where the document supports it.
    type: dict
  targets:
    description:
      - The managed nodes the association applies to, at most 5 entries. A node must match every entry (keys are
        combined with AND) and, within an entry, one of the values.
      - Required to create an association.
    type: list
    elements: dict
    suboptions:
      key:
        description:
          - C(tag:NAME) for the nodes tagged NAME, C(tag-key), C(InstanceIds) (C(*) for all nodes) or C(resource-groups:Name).
        required: true
        type: str
      values:
        description:
          - Values of I(key).
        required: true
        type: list
        elements: str
  schedule_expression:
    description:
      - When the association runs, as C(cron(...)) or C(rate(...)), for example C(rate(14 days)) or C(cron(0 2 ? * * *)).
    type: str
  apply_only_at_cron_interval:
    description:
      - Run only at the scheduled times, not right after the association is created or updated. Needs a C(cron()) schedule.
    type: bool
  max_concurrency:
    description:
      - How many nodes run the association at the same time, a number or a percentage of the targets (C(10), C(25%)).
    type: str
  max_errors:
    description:
      - After how many errors, a number or a percentage of the targets, SSM stops sending the association to more nodes.
    type: str
  compliance_severity:
    description:
      - Severity SSM reports when a node is not compliant with the association.
    choices: [CRITICAL, HIGH, MEDIUM, LOW, UNSPECIFIED]
    type: str
  sync_compliance:
    description:
      - C(AUTO) lets SSM report the compliance of the association; C(MANUAL) leaves it to the document (PutComplianceItems).
    choices: [AUTO, MANUAL]
    type: str
  output_location:
    description:
      - S3 bucket where the nodes write the output of each run.
      - An empty dict removes the output location. Keys left out keep their current values.
    type: dict
    suboptions:
      s3_bucket_name:
        description:
          - Name of the bucket. Required unless the dict is empty.
        type: str
      s3_key_prefix:
        description:
          - Key prefix of the output.
        type: str
      s3_region:
        description:
          - Region of the bucket.
        type: str
notes:
  - Supports C(check_mode) and C(diff).
  - The association's parameters are returned and shown in diffs.
attributes:
  check_mode:
    support: full
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
- name: Keep the SSM agent of every hybrid cloud node up to date, EC2 and on premises alike
  hybridcloud.aws.ssm_association:
    name: hybridcloud-update-ssm-agent
    document_name: AWS-UpdateSSMAgent
    schedule_expression: rate(14 days)
    targets:
      - key: tag:Project
        values: [hybridcloud]
    max_concurrency: 25%
    max_errors: 10%
    tags:
      Project: hybridcloud

- name: Scan the on-premises hosts for missing patches every night at 02:00 UTC
  hybridcloud.aws.ssm_association:
    name: onprem-patch-scan
    document_name: AWS-RunPatchBaseline
    parameters:
      Operation: Scan
    schedule_expression: cron(0 2 ? * * *)
    apply_only_at_cron_interval: true
    compliance_severity: HIGH
    targets:
      - key: tag:Environment
        values: [onprem]
    output_location:
      s3_bucket_name: acme-ssm-output
      s3_key_prefix: patch-scan/
  register: patch_scan

- name: Remove an association
  hybridcloud.aws.ssm_association:
    name: onprem-patch-scan
    state: absent
"""

RETURN = r"""
association_id:
  description: Identifier of the association; null in check mode before it is created, and with O(state=absent).
  returned: always
  type: str
  sample: 8dfe3659-4309-493a-8755-0123456789ab
association_version:
  description: Version of the association, incremented by every update; null when there is no association.
  returned: always
  type: str
  sample: "2"
status:
  description: Overall status of the association, C(Pending), C(Success) or C(Failed); null when there is none.
  returned: always
  type: str
  sample: Pending
association:
  description:
    - The association after the change, in the module's option names; empty with O(state=absent).
  returned: always
  type: dict
  contains:
    name:
      description: Name of the association.
      type: str
      sample: hybridcloud-patch-scan
    association_id:
      description: Identifier of the association.
      type: str
    association_version:
      description: Version of the association.
      type: str
    document_name:
      description: The document the association runs.
      type: str
      sample: AWS-RunPatchBaseline
    document_version:
      description: Version of the document.
      type: str
      sample: $DEFAULT
    parameters:
      description: Parameters of the document, each a list of strings.
      type: dict
      sample: {"Operation": ["Scan"]}
    targets:
      description: Targets, sorted by key, each with its values sorted.
      type: list
      elements: dict
      sample: [{"key": "tag:Project", "values": ["hybridcloud"]}]
    schedule_expression:
      description: Schedule of the association.
      type: str
      sample: cron(0 2 ? * * *)
    apply_only_at_cron_interval:
      description: Whether the association runs only at the scheduled times.
      type: bool
    max_concurrency:
      description: Rate control, nodes at a time.
      type: str
    max_errors:
      description: Rate control, errors before SSM stops.
      type: str
    compliance_severity:
      description: Severity of non-compliance.
      type: str
    sync_compliance:
      description: Compliance reporting mode.
      type: str
      sample: AUTO
    output_location:
      description: S3 output location (s3_bucket_name, s3_key_prefix, s3_region), or null.
      type: dict
    tags:
      description: Tags of the association.
      type: dict
    status:
      description: Overall status.
      type: str
    detailed_status:
      description: Detailed status, for example C(Creating) or C(Associated).
      type: str
    created_date:
      description: When the association was created, ISO 8601 in UTC.
      type: str
    last_update_association_date:
      description: When the association was last updated, ISO 8601 in UTC.
      type: str
    last_execution_date:
      description: When the association last ran, ISO 8601 in UTC, or null.
      type: str
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.hybridcloud.aws.plugins.module_utils.create_once import single_attempt_client
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import ASSOCIATION_DEFAULTS
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import AnsibleSSMError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import add_association_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import association_request_fields
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import association_result
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import association_update_request
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import create_association
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import delete_association
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import describe_association
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import list_association_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import list_associations_by_name
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import normalize_association
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import normalize_association_parameters
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import normalize_association_targets
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import normalize_output_location
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import remove_association_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import update_association

NAME = re.compile(r"^[a-zA-Z0-9_.-]{3,128}$")
SCHEDULE = re.compile(r"^(cron|rate)\(.+\)$")
# The API's patterns for the rate controls: a count or a percentage.
MAX_CONCURRENCY = re.compile(r"^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$")
MAX_ERRORS = re.compile(r"^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$")
MAX_TARGETS = 5
# Options that map onto one association field each and are compared as they are.
PLAIN_OPTIONS = (
    "document_name",
    "document_version",
    "schedule_expression",
    "apply_only_at_cron_interval",
    "max_concurrency",
    "max_errors",
    "compliance_severity",
    "sync_compliance",
)


def validate(module):
    params = module.params
    if not NAME.match(params["name"]):
        module.fail_json(msg=f"name must be 3 to 128 of a-z A-Z 0-9 _ - . characters, got {params['name']!r}")
    schedule = params["schedule_expression"]
    if schedule is not None and not SCHEDULE.match(schedule.strip()):
        module.fail_json(msg=f"schedule_expression must be a cron(...) or rate(...) expression, got {schedule!r}")
    if params["apply_only_at_cron_interval"] and schedule is not None and not schedule.strip().startswith("cron("):
        module.fail_json(msg="apply_only_at_cron_interval needs a cron(...) schedule_expression")
    for option, pattern in (("max_concurrency", MAX_CONCURRENCY), ("max_errors", MAX_ERRORS)):
        if params[option] is not None and not pattern.match(params[option]):
            module.fail_json(msg=f"{option} must be a number or a percentage such as 10 or 25%, got {params[option]!r}")
    targets = params["targets"]
    if targets is not None and not 1 <= len(targets) <= MAX_TARGETS:
        module.fail_json(msg=f"targets must have 1 to {MAX_TARGETS} entries, got {len(targets)}")
    for target in targets or []:
        if not target["values"]:
            module.fail_json(msg=f"target {target['key']} needs at least one value")
    output = params["output_location"]
    if output and not output.get("s3_bucket_name") and any(output.values()):
        module.fail_json(msg="output_location needs s3_bucket_name (an empty dict removes the output location)")


def find_association(module, client):
    """The AssociationDescription of the managed association, or None."""
    params = module.params
    if params["association_id"]:
        return describe_association(client, params["association_id"])
    found = list_associations_by_name(client, params["name"])
    if len(found) > 1:
        ids = ", ".join(association["AssociationId"] for association in found)
        module.fail_json(msg=f"{len(found)} associations are called {params['name']} ({ids}); give association_id to pick one")
    return describe_association(client, found[0]["AssociationId"]) if found else None


def given_options(params, before):
    """The options the user set, normalized as SSM keeps them."""
    given = {option: params[option] for option in PLAIN_OPTIONS if params[option] is not None}
    given["name"] = params["name"]
    if given.get("schedule_expression"):
        given["schedule_expression"] = given["schedule_expression"].strip()
    if params["parameters"] is not None:
        given["parameters"] = normalize_association_parameters(params["parameters"])
    if params["targets"] is not None:
        given["targets"] = normalize_association_targets(params["targets"])
    if params["output_location"] is not None:
        # Keys left out keep their current values (SSM may fill in the bucket's region itself).
        current = ((before or {}).get("output_location") or {}) if params["output_location"].get("s3_bucket_name") else {}
        overlay = {key: value for key, value in params["output_location"].items() if value is not None}
        given["output_location"] = normalize_output_location(dict(current, **overlay))
    return given


def wanted_association(before, given, params):
    """The association as it should be: the current one (or SSM's defaults) overlaid with the given options."""
    wanted = dict(before or dict(ASSOCIATION_DEFAULTS, parameters={}, targets=[], output_location=None, tags={}))
    wanted.update(given)
    if params["tags"] is not None:
        to_set, to_unset = compare_aws_tags(wanted["tags"], params["tags"], params["purge_tags"])
        wanted["tags"] = {key: value for key, value in dict(wanted["tags"], **to_set).items() if key not in to_unset}
    return wanted


def create(module, client, given):
    params = module.params
    for option in ("document_name", "targets"):
        if not given.get(option):
            module.fail_json(msg=f"association {params['name']} does not exist; give document_name and targets to create it")
    if module.check_mode:
        return None
    request = association_request_fields(given)
    if params["tags"]:
        request["Tags"] = ansible_dict_to_boto3_tag_list(params["tags"])
    return create_association(client, request, create_client=single_attempt_client(module, "ssm"))


def converge(module, client, description, before, wanted):
    """Update the association and its tags where they differ from wanted; returns the description after."""
    association_id = description["AssociationId"]
    fields_differ = {key: value for key, value in wanted.items() if key != "tags"} != {key: value for key, value in before.items() if key != "tags"}
    if fields_differ and not module.check_mode:
        description = update_association(client, association_update_request(description, wanted))
    to_set, to_unset = compare_aws_tags(before["tags"], wanted["tags"], purge_tags=True)
    if not module.check_mode:
        if to_unset:
            remove_association_tags(client, association_id, to_unset)
        if to_set:
            add_association_tags(client, association_id, to_set)
    return description


def main():
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["association_name"]),
        association_id=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        document_name=dict(type="str", aliases=["document"]),
        document_version=dict(type="str"),
        parameters=dict(type="dict"),
        targets=dict(
            type="list",
            elements="dict",
            options=dict(key=dict(type="str", required=True, no_log=False), values=dict(type="list", elements="str", required=True)),
        ),
        schedule_expression=dict(type="str"),
        apply_only_at_cron_interval=dict(type="bool"),
        max_concurrency=dict(type="str"),
        max_errors=dict(type="str"),
        compliance_severity=dict(type="str", choices=["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNSPECIFIED"]),
        sync_compliance=dict(type="str", choices=["AUTO", "MANUAL"]),
        output_location=dict(
            type="dict",
            options=dict(s3_bucket_name=dict(type="str"), s3_key_prefix=dict(type="str", no_log=False), s3_region=dict(type="str")),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    params = module.params
    client = module.client("ssm")

    try:
        description = find_association(module, client)
        tags = list_association_tags(client, description["AssociationId"]) if description else {}
        before = normalize_association(description, tags)

        if params["state"] == "absent":
            if description and not module.check_mode:
                delete_association(client, description["AssociationId"])
            module.exit_json(
                changed=bool(description),
                association_id=None,
                association_version=None,
                status=None,
                association={},
                diff={"before": before or {}, "after": {}},
            )

        given = given_options(params, before)
        wanted = wanted_association(before, given, params)
        description = create(module, client, given) if description is None else converge(module, client, description, before, wanted)
    except AnsibleSSMError as e:
        module.fail_json_aws_error(e)

    # After a real change SSM's answer is the truth; in check mode (or without a change) the wanted view is.
    view = normalize_association(description, wanted["tags"]) if description and not module.check_mode else wanted
    result = association_result(description, view)
    module.exit_json(
        changed=wanted != before,
        association_id=result.get("association_id"),
        association_version=result.get("association_version"),
        status=result.get("status"),
        association=result,
        diff={"before": before or {}, "after": wanted},
    )


if __name__ == "__main__":
    main()
