#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ssm_association_info
version_added: 0.1.0
short_description: Read many AWS Systems Manager State Manager associations by name at once
description:
  - Reads the State Manager associations with the given names in few calls (one paged C(ListAssociations) of the
    account, one C(DescribeAssociation) per association found, and with O(include_tags) one C(ListTagsForResource)
    per association) and returns them in the option names of M(hybridcloud.aws.ssm_association), normalized as that
    module compares them (parameters as lists of strings, targets sorted, SSM's defaults filled in).
  - Meant for plays that manage many associations and want to call M(hybridcloud.aws.ssm_association) only for
    those that are missing or differ, instead of once per association.
  - SSM does not keep names unique; every association with a wanted name is returned.
  - Names that no association has are listed in RV(missing).
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  names:
    description:
      - Names of the associations to read (AssociationName).
    type: list
    elements: str
    required: true
  include_tags:
    description:
      - Also return each association's tags. This costs one C(ListTagsForResource) call per association.
    type: bool
    default: false
notes:
  - Supports C(check_mode); the module changes nothing.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the associations the play manages, with their tags
  hybridcloud.aws.ssm_association_info:
    names:
      - onprem-patch-scan
      - onprem-inventory
    include_tags: true
  register: current

- name: Write only the associations that are missing or differ
  hybridcloud.aws.ssm_association:
    name: onprem-patch-scan
    document_name: AWS-RunPatchBaseline
    parameters:
      Operation: [Scan]
    schedule_expression: cron(0 2 ? * * *)
    targets:
      - key: tag:Environment
        values: [onprem]
  when: >-
    current.associations | selectattr('name', 'eq', 'onprem-patch-scan')
    | rejectattr('schedule_expression', 'eq', 'cron(0 2 ? * * *)') | list | length > 0
    or 'onprem-patch-scan' in current.missing
"""

RETURN = r"""
associations:
  description: The associations found, sorted by name and identifier, in the option names of M(hybridcloud.aws.ssm_association).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the association.
      type: str
      sample: hybridcloud-patch-scan
    association_id:
      description: Identifier of the association.
      type: str
      sample: 8dfe3659-4309-493a-8755-0123456789ab
    association_version:
      description: Version of the association.
      type: str
      sample: "2"
    document_name:
      description: The document the association runs.
      type: str
      sample: AWS-RunPatchBaseline
    document_version:
      description: Version of the document (C($DEFAULT) when SSM keeps none).
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
      returned: when O(include_tags=true)
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
missing:
  description: The names of O(names) that no association has, sorted.
  returned: always
  type: list
  elements: str
  sample: ["hybridcloud-inventory"]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import AnsibleSSMError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import association_result
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import describe_association
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import list_association_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import list_associations_named
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import normalize_association


def read_associations(client, names, include_tags):
    results = []
    for listed in sorted(list_associations_named(client, names), key=lambda found: (found["AssociationName"], found["AssociationId"])):
        description = describe_association(client, listed["AssociationId"])
        if description is None:  # deleted between the list and the describe
            continue
        tags = list_association_tags(client, listed["AssociationId"]) if include_tags else {}
        result = association_result(description, normalize_association(description, tags))
        if not include_tags:
            result.pop("tags", None)
        results.append(result)
    return results


def main():
    argument_spec = dict(
        names=dict(type="list", elements="str", required=True),
        include_tags=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    names = module.params["names"]
    if any(not name for name in names):
        module.fail_json(msg="names must not contain empty names")

    associations = []
    if names:
        client = module.client("ssm")
        try:
            associations = read_associations(client, names, module.params["include_tags"])
        except AnsibleSSMError as e:
            module.fail_json_aws_error(e)

    found = {association["name"] for association in associations}
    module.exit_json(changed=False, associations=associations, missing=sorted(set(names) - found))


if __name__ == "__main__":
    main()
