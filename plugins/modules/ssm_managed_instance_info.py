#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ssm_managed_instance_info
version_added: 0.1.0
short_description: List the hybrid managed instances of AWS Systems Manager
description:
  - Lists the machines registered with AWS Systems Manager through hybrid activations (managed instances with
    C(mi-) ids), with their ping status, activation, platform, IP address, registration date and last ping.
  - Filters by instance id, activation id, ping status and tags are applied by DescribeInstanceInformation itself;
    O(name) and O(stale_for_days) are applied to its answer.
  - With O(stale_for_days) it finds registrations whose agent has not answered for that long, for clean-up.
  - No module of amazon.aws or community.aws reads SSM managed instances, hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  instance_ids:
    description:
      - Only these managed instances (C(mi-) ids).
    type: list
    elements: str
  activation_ids:
    description:
      - Only instances registered with one of these activations.
    type: list
    elements: str
  ping_status:
    description:
      - Only instances with one of these ping statuses.
    type: list
    elements: str
    choices: [Online, ConnectionLost, Inactive]
  tags:
    description:
      - Only instances carrying every one of these tags.
    type: dict
  name:
    description:
      - Only instances whose name matches, exactly or as a shell-style pattern (C(onprem-*)).
    type: str
  include_tags:
    description:
      - Also return each instance's tags. This costs one ListTagsForResource call per instance.
    type: bool
    default: false
  stale_for_days:
    description:
      - Only instances whose last ping is older than this many days (or that never pinged).
    type: float
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
- name: The on-premises hosts of one activation
  hybridcloud.aws.ssm_managed_instance_info:
    activation_ids:
      - "{{ activation.activation_id }}"
  register: registered

- name: Registrations that have been silent for two weeks, with their tags
  hybridcloud.aws.ssm_managed_instance_info:
    name: onprem-*
    stale_for_days: 14
    include_tags: true
  register: stale

- name: Show which registrations to clean up
  ansible.builtin.debug:
    msg: "{{ stale.instances | map(attribute='instance_id') | list }}"
"""

RETURN = r"""
instances:
  description: The managed instances that match every filter, ordered by instance id.
  returned: always
  type: list
  elements: dict
  contains:
    instance_id:
      description: Managed instance id.
      type: str
      sample: mi-0123456789abcdef0
    name:
      description: Name of the instance (the activation's default instance name unless renamed).
      type: str
      sample: onprem-ecs
    computer_name:
      description: Host name reported by the agent.
      type: str
      sample: onprem-1.example.internal
    ping_status:
      description: Whether the agent answers (V(Online), V(ConnectionLost), V(Inactive)).
      type: str
      sample: Online
    activation_id:
      description: Activation the instance registered with.
      type: str
      sample: 4d5b9c7e-8f3a-4e2b-9a61-2f3c4d5e6f70
    iam_role:
      description: IAM role of the instance.
      type: str
      sample: ECSAnywhereRole
    resource_type:
      description: Always V(ManagedInstance) here.
      type: str
      sample: ManagedInstance
    platform_type:
      description: Operating system family.
      type: str
      sample: Linux
    platform_name:
      description: Operating system name.
      type: str
      sample: Debian GNU/Linux
    platform_version:
      description: Operating system version.
      type: str
      sample: "12"
    ip_address:
      description: IP address reported by the agent.
      type: str
      sample: 10.254.0.201
    agent_version:
      description: Version of the SSM agent.
      type: str
      sample: 3.3.0.0
    is_latest_version:
      description: Whether the agent is the latest version.
      type: bool
      sample: true
    association_status:
      description: Status of the instance's State Manager associations.
      type: str
      sample: Success
    source_id:
      description: Source id of the instance, when known.
      type: str
      sample: null
    source_type:
      description: Source type of the instance, when known.
      type: str
      sample: null
    registration_date:
      description: When the instance registered (ISO 8601, UTC).
      type: str
      sample: "2026-11-20T08:15:00+00:00"
    last_ping_date_time:
      description: When the agent answered last (ISO 8601, UTC).
      type: str
      sample: "2026-11-24T09:59:30+00:00"
    last_association_execution_date:
      description: When an association last ran (ISO 8601, UTC), or null.
      type: str
      sample: null
    last_successful_association_execution_date:
      description: When an association last succeeded (ISO 8601, UTC), or null.
      type: str
      sample: null
    tags:
      description: Tags of the instance.
      type: dict
      returned: when O(include_tags=true)
      sample: {"site": "munich"}
"""

import fnmatch

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import AnsibleSSMError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import describe_instance_information
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import instance_filters
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import is_managed_instance
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import last_ping_older_than
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import list_instance_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import normalize_instance
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import utc_now


def wanted(info, params, now):
    if not is_managed_instance(info):
        return False
    if params["name"] is not None and not fnmatch.fnmatchcase(info.get("Name") or "", params["name"]):
        return False
    return params["stale_for_days"] is None or last_ping_older_than(info, params["stale_for_days"], now)


def main():
    argument_spec = dict(
        instance_ids=dict(type="list", elements="str"),
        activation_ids=dict(type="list", elements="str"),
        ping_status=dict(type="list", elements="str", choices=["Online", "ConnectionLost", "Inactive"]),
        tags=dict(type="dict"),
        name=dict(type="str"),
        include_tags=dict(type="bool", default=False),
        stale_for_days=dict(type="float"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if params["stale_for_days"] is not None and params["stale_for_days"] < 0:
        module.fail_json(msg="stale_for_days must not be negative")
    client = module.client("ssm")
    now = utc_now()

    try:
        filters = instance_filters(params["instance_ids"], params["activation_ids"], params["ping_status"], params["tags"])
        found = [info for info in describe_instance_information(client, filters) if wanted(info, params, now)]
        instances = []
        for info in sorted(found, key=lambda item: item["InstanceId"]):
            instance = normalize_instance(info)
            if params["include_tags"]:
                instance["tags"] = list_instance_tags(client, info["InstanceId"])
            instances.append(instance)
    except AnsibleSSMError as e:
        module.fail_json_aws_error(e)

    module.exit_json(changed=False, instances=instances)


if __name__ == "__main__":
    main()
