#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ssm_managed_instance
version_added: 0.1.0
short_description: Tag or deregister an AWS Systems Manager hybrid managed instance
description:
  - Manages the tags of a hybrid managed instance (C(mi-) id) of AWS Systems Manager, or deregisters it.
  - Deregistering removes the instance from Systems Manager; the machine's agent can no longer reach it and the
    machine needs a new registration (M(hybridcloud.aws.ssm_agent_registration)) to come back.
  - It completes the clean-up that M(hybridcloud.aws.ssm_managed_instance_info) (O(hybridcloud.aws.ssm_managed_instance_info#module:stale_for_days))
    and M(hybridcloud.aws.ssm_agent_registration) (RV(hybridcloud.aws.ssm_agent_registration#module:previous_managed_instance_id))
    prepare.
  - Machines register themselves; this module never creates a managed instance.
  - No module of amazon.aws or community.aws deregisters or tags SSM managed instances, hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  instance_id:
    description:
      - Id of the managed instance (C(mi-) followed by 17 hexadecimal digits).
    required: true
    type: str
  state:
    description:
      - V(present) manages the tags of a registered instance and fails when it is not registered.
      - V(absent) deregisters the instance.
    choices: [present, absent]
    default: present
    type: str
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
  - amazon.aws.tags
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
"""

EXAMPLES = r"""
- name: Find registrations that have been silent for two weeks
  hybridcloud.aws.ssm_managed_instance_info:
    stale_for_days: 14
  register: stale

- name: Deregister them
  hybridcloud.aws.ssm_managed_instance:
    instance_id: "{{ item.instance_id }}"
    state: absent
  loop: "{{ stale.instances }}"

- name: Label a host for patching windows
  hybridcloud.aws.ssm_managed_instance:
    instance_id: mi-0123456789abcdef0
    tags:
      patch-group: onprem-weekend
    purge_tags: false
"""

RETURN = r"""
instance:
  description:
    - The managed instance after the change, as M(hybridcloud.aws.ssm_managed_instance_info) returns it, with
      its tags; empty with O(state=absent).
  returned: always
  type: dict
  sample: {"instance_id": "mi-0123456789abcdef0", "ping_status": "Online", "tags": {"patch-group": "onprem-weekend"}}
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import AnsibleSSMError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import add_instance_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import deregister_managed_instance
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import describe_instance_information
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import instance_filters
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import list_instance_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import normalize_instance
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import remove_instance_tags

INSTANCE_ID = re.compile(r"^mi-[0-9a-f]{17}$")


def find_instance(client, instance_id):
    found = describe_instance_information(client, instance_filters(instance_ids=[instance_id]))
    return next((info for info in found if info["InstanceId"] == instance_id), None)


def main():
    argument_spec = dict(
        instance_id=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    instance_id = params["instance_id"]
    if not INSTANCE_ID.match(instance_id):
        module.fail_json(msg=f"instance_id must be a managed instance id (mi- and 17 hexadecimal digits), got {instance_id}")
    client = module.client("ssm")

    try:
        info = find_instance(client, instance_id)
        before = dict(normalize_instance(info), tags=list_instance_tags(client, instance_id)) if info else None
        if params["state"] == "absent":
            after = None
            if before and not module.check_mode:
                deregister_managed_instance(client, instance_id)
        else:
            if before is None:
                module.fail_json(msg=f"managed instance {instance_id} is not registered: machines register themselves (hybridcloud.aws.ssm_agent_registration)")
            after = dict(before)
            if params["tags"] is not None:
                to_set, to_unset = compare_aws_tags(before["tags"], params["tags"], params["purge_tags"])
                after["tags"] = {key: value for key, value in dict(before["tags"], **to_set).items() if key not in to_unset}
                if not module.check_mode:
                    if to_unset:
                        remove_instance_tags(client, instance_id, to_unset)
                    if to_set:
                        add_instance_tags(client, instance_id, to_set)
    except AnsibleSSMError as e:
        module.fail_json_aws_error(e)

    module.exit_json(changed=before != after, instance=after or {}, diff={"before": before or {}, "after": after or {}})


if __name__ == "__main__":
    main()
