#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ecr_replication_configuration
version_added: 0.2.0
short_description: Manage the replication configuration of an ECR private registry
description:
  - "Sets the replication configuration of the account's private ECR registry in the region: the rules that copy
    images pushed to the registry's repositories to other regions or accounts (PutReplicationConfiguration)."
  - A registry has one replication configuration; this module manages it whole. The rules given replace the
    current rules, I(state=absent) removes every rule.
  - The current configuration is read with DescribeRegistry and written only when it differs. Rules are compared in
    order; the order of the destinations and of the repository filters inside a rule is not significant.
  - ECR replicates images pushed after the configuration is set; images already in a repository are not copied.
    ECR creates the destination repository when it is missing. The first configuration makes ECR create its
    service-linked role (C(AWSServiceRoleForECRReplication)), which needs C(iam:CreateServiceLinkedRole).
  - Upstream M(community.aws.ecs_ecr) manages repositories only; no upstream module sets the registry's replication,
    hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  state:
    description:
      - C(present) sets the I(rules); C(absent) removes every rule.
    choices: [present, absent]
    default: present
    type: str
  rules:
    description:
      - The replication rules (at most 10, with at most 25 distinct destinations in all, as ECR allows).
      - An empty list removes every rule, as I(state=absent) does.
    type: list
    elements: dict
    default: []
    suboptions:
      destinations:
        description: Where the images go (at least one).
        type: list
        elements: dict
        required: true
        suboptions:
          region:
            description: The destination region.
            type: str
            required: true
          registry_id:
            description: The destination account id (12 digits); the registry's own account for cross-region replication.
            type: str
            required: true
      repository_filters:
        description:
          - The repositories the rule replicates; none means every repository of the registry.
          - C(PREFIX_MATCH) selects each repository whose name starts with I(filter).
        type: list
        elements: dict
        default: []
        suboptions:
          filter:
            description: The repository name prefix (2 to 256 characters, lowercase, as repository names).
            type: str
            required: true
          filter_type:
            description: How the filter matches.
            type: str
            choices: [PREFIX_MATCH]
            default: PREFIX_MATCH
      delete_replication:
        description: Whether image deletions are replicated too.
        type: bool
        default: false
notes:
  - Supports C(check_mode) and C(diff).
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
- name: Replicate the application repositories to the DR region
  hybridcloud.aws.ecr_replication_configuration:
    region: eu-central-1
    rules:
      - destinations:
          - region: eu-west-1
            registry_id: "111122223333"
        repository_filters:
          - filter: orders
          - filter: billing/

- name: Stop replicating
  hybridcloud.aws.ecr_replication_configuration:
    region: eu-central-1
    state: absent
"""

RETURN = r"""
registry_id:
  description: The account id of the registry.
  returned: always
  type: str
  sample: "111122223333"
replication_configuration:
  description: The replication configuration after the change (in check mode, as it would be).
  returned: always
  type: dict
  contains:
    rules:
      description: The rules, each with its destinations and repository filters (sorted).
      type: list
      elements: dict
      sample:
        - destinations: [{"region": "eu-west-1", "registry_id": "111122223333"}]
          repository_filters: [{"filter": "orders", "filter_type": "PREFIX_MATCH"}]
          delete_replication: false
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.ecr import AnsibleECRError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecr import build_replication_configuration
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecr import describe_registry
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecr import normalize_replication_configuration
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecr import put_replication_configuration

REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$")
REGISTRY_ID = re.compile(r"^[0-9]{12}$")
# botocore's RepositoryFilterValue pattern, 2 to 256 characters.
FILTER = re.compile(r"^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$")
MAX_RULES = 10
MAX_DESTINATIONS = 25
MAX_FILTERS = 100


def problems(rules):
    """Every problem of the rules, each naming the rule."""
    found = []
    if len(rules) > MAX_RULES:
        found.append("at most {0} rules are allowed, got {1}".format(MAX_RULES, len(rules)))
    destinations = set()
    for index, rule in enumerate(rules):
        where = "rules[{0}]".format(index)
        if not rule["destinations"]:
            found.append("{0}.destinations: at least one destination is required".format(where))
        for destination in rule["destinations"]:
            if not REGION.match(destination["region"]):
                found.append("{0}.destinations: region {1!r} is not a region name".format(where, destination["region"]))
            if not REGISTRY_ID.match(destination["registry_id"]):
                found.append("{0}.destinations: registry_id {1!r} must be a 12-digit account id".format(where, destination["registry_id"]))
            destinations.add((destination["region"], destination["registry_id"]))
        if len(rule["repository_filters"]) > MAX_FILTERS:
            found.append("{0}.repository_filters: at most {1} filters are allowed".format(where, MAX_FILTERS))
        for repository_filter in rule["repository_filters"]:
            value = repository_filter["filter"]
            if not 2 <= len(value) <= 256 or not FILTER.match(value):
                found.append("{0}.repository_filters: {1!r} must be 2 to 256 lowercase characters of a repository name".format(where, value))
    if len(destinations) > MAX_DESTINATIONS:
        found.append("at most {0} distinct destinations are allowed, got {1}".format(MAX_DESTINATIONS, len(destinations)))
    return found


def main():
    argument_spec = dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        rules=dict(
            type="list",
            elements="dict",
            default=[],
            options=dict(
                destinations=dict(
                    type="list",
                    elements="dict",
                    required=True,
                    options=dict(region=dict(type="str", required=True), registry_id=dict(type="str", required=True)),
                ),
                repository_filters=dict(
                    type="list",
                    elements="dict",
                    default=[],
                    options=dict(
                        filter=dict(type="str", required=True),
                        filter_type=dict(type="str", default="PREFIX_MATCH", choices=["PREFIX_MATCH"]),
                    ),
                ),
                delete_replication=dict(type="bool", default=False),
            ),
        ),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    rules = [] if module.params["state"] == "absent" else module.params["rules"]
    found = problems(rules)
    if found:
        module.fail_json(msg="Invalid replication rules: " + "; ".join(found), problems=found)

    client = module.client("ecr")
    wanted = build_replication_configuration(rules)
    try:
        registry_id, current = describe_registry(client)
        before = normalize_replication_configuration(current)
        after = normalize_replication_configuration(wanted)
        changed = after != before
        if changed and not module.check_mode:
            after = normalize_replication_configuration(put_replication_configuration(client, wanted))
    except AnsibleECRError as e:
        module.fail_json_aws_error(e)

    module.exit_json(changed=changed, registry_id=registry_id, replication_configuration=after, diff={"before": before, "after": after})


if __name__ == "__main__":
    main()
