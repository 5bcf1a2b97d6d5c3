#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: resource_tags
version_added: 0.1.0
short_description: Manage the tags of a Direct Connect resource or an ECR repository by its ARN
description:
  - Reads and sets the tags of one AWS resource, named by its ARN, through its service's own tagging calls.
  - Direct Connect connections (C(dxcon)), link aggregation groups (C(dxlag)), virtual interfaces (C(dxvif)) and
    Direct Connect gateways (C(dx-gateway)), with DescribeTags, TagResource and UntagResource.
  - ECR repositories (C(repository)), with ListTagsForResource, TagResource and UntagResource.
  - Compares first and calls only what changes, so a second run changes nothing. Without I(tags) it only reads.
  - Upstream cannot tag these resources. M(community.aws.directconnect_connection),
    M(community.aws.directconnect_link_aggregation_group), M(community.aws.directconnect_gateway) and
    M(community.aws.directconnect_virtual_interface) have no C(tags) option, M(community.aws.ecs_ecr) has none either,
    and M(amazon.aws.ec2_tag) tags EC2 resources only. Hence this module. For EC2 resources use M(amazon.aws.ec2_tag).
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  resource_arn:
    description:
      - ARN of the resource, for example C(arn:aws:directconnect:eu-central-1:111122223333:dxcon/dxcon-fgab1234),
        C(arn:aws:directconnect::111122223333:dx-gateway/5f3e0c8e-0000-4000-8000-123456789012) or
        C(arn:aws:ecr:eu-central-1:111122223333:repository/orders).
      - Direct Connect does not return ARNs; they are C(arn:PARTITION:directconnect:REGION:ACCOUNT:TYPE/ID) with TYPE
        C(dxcon), C(dxlag) or C(dxvif), and C(arn:PARTITION:directconnect::ACCOUNT:dx-gateway/ID) for gateways, which
        are global.
      - The module calls the service in the ARN's region; for a Direct Connect gateway, in I(region).
    required: true
    type: str
    aliases: [arn]
notes:
  - Supports C(check_mode) and C(diff).
  - Keys starting with C(aws:) belong to AWS; I(purge_tags) leaves them alone.
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
- name: Tag a Direct Connect connection
  hybridcloud.aws.resource_tags:
    resource_arn: arn:aws:directconnect:eu-central-1:111122223333:dxcon/dxcon-fgab1234
    tags:
      Project: hybridcloud
      Environment: production

- name: Tag a Direct Connect gateway (global), keeping tags set elsewhere
  hybridcloud.aws.resource_tags:
    resource_arn: "arn:aws:directconnect::111122223333:dx-gateway/{{ dx_gateway.direct_connect_gateway_id }}"
    tags:
      CostCenter: network
    purge_tags: false

- name: Tag every ECR repository the role created
  hybridcloud.aws.resource_tags:
    resource_arn: "{{ item.repository.repositoryArn }}"
    tags: "{{ common_tags }}"
  loop: "{{ repositories.results }}"

- name: Read the tags only
  hybridcloud.aws.resource_tags:
    resource_arn: arn:aws:ecr:eu-central-1:111122223333:repository/orders
  register: orders_tags
"""

RETURN = r"""
resource_arn:
  description: The resource's ARN.
  returned: always
  type: str
  sample: arn:aws:directconnect:eu-central-1:111122223333:dxcon/dxcon-fgab1234
tags:
  description: The resource's tags after the change (in check mode, as they would be).
  returned: always
  type: dict
  sample: {"Project": "hybridcloud", "Environment": "production"}
added_tags:
  description: Tags that were (in check mode, would be) added or given a new value.
  returned: always
  type: dict
  sample: {"Environment": "production"}
removed_tags:
  description: Keys of the tags that were (in check mode, would be) removed.
  returned: always
  type: list
  elements: str
  sample: ["Owner"]
"""

from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils import directconnect
from ansible_collections.hybridcloud.aws.plugins.module_utils import ecr
from ansible_collections.hybridcloud.aws.plugins.module_utils.tags import planned_tags

# Service (as in the ARN) -> resource types it can tag, and its read / tag / untag calls.
SERVICES = {
    "directconnect": {
        "name": "Direct Connect",
        "types": ("dxcon", "dxlag", "dxvif", "dx-gateway"),
        "read": lambda client, arn: directconnect.describe_tags(client, [arn]).get(arn),
        "tag": directconnect.tag_resource,
        "untag": directconnect.untag_resource,
    },
    "ecr": {
        "name": "ECR",
        "types": ("repository",),
        "read": ecr.list_tags,
        "tag": ecr.tag_resource,
        "untag": ecr.untag_resource,
    },
}


def parse_arn(module, arn):
    """(service, resource type, region or None) of arn; fails for what this module cannot tag."""
    parsed = parse_aws_arn(arn)
    if not parsed or not parsed.get("resource_id"):
        module.fail_json(msg=f"resource_arn is not an ARN: {arn!r}")
    service = SERVICES.get(parsed["service"])
    if service is None:
        module.fail_json(
            msg=f"resource_arn names a {parsed['service']} resource; this module tags {' and '.join(sorted(SERVICES))} resources "
            "(EC2 resources: amazon.aws.ec2_tag)"
        )
    if parsed["resource_type"] not in service["types"]:
        module.fail_json(msg=f"resource_arn names a {service['name']} {parsed['resource_type']}; taggable here: {', '.join(service['types'])}")
    return parsed["service"], parsed["resource_type"], parsed["region"] or None


def main():
    argument_spec = dict(
        resource_arn=dict(type="str", required=True, aliases=["arn"]),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    arn = module.params["resource_arn"].strip()
    service_name, _resource_type, arn_region = parse_arn(module, arn)
    service = SERVICES[service_name]
    extra = {"region": arn_region} if arn_region else {}
    client = module.client(service_name, **extra)

    try:
        current = service["read"](client, arn)
        if current is None:
            module.fail_json(msg=f"{service['name']} resource {arn} does not exist")
        to_set, to_unset, after = planned_tags(current, module.params["tags"], module.params["purge_tags"])
        if not module.check_mode:
            if to_unset:
                service["untag"](client, arn, to_unset)
            if to_set:
                service["tag"](client, arn, to_set)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)

    module.exit_json(
        changed=bool(to_set or to_unset),
        resource_arn=arn,
        tags=after,
        added_tags=to_set,
        removed_tags=sorted(to_unset),
        diff={"before": {"tags": current}, "after": {"tags": after}},
    )


if __name__ == "__main__":
    main()
