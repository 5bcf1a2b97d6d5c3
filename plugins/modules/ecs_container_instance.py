#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ecs_container_instance
version_added: 0.1.0
short_description: Drain, reactivate or deregister an ECS container instance
description:
  - Sets the state of one container instance of an ECS cluster, EC2 or external (ECS Anywhere) - C(ACTIVE) or
    C(DRAINING) - or deregisters it from the cluster.
  - The instance is named by its ARN or id, or found by the EC2 instance id (C(i-)) or the SSM managed instance
    id (C(mi-)) it was registered with, which is what an on-prem host knows about itself.
  - Draining moves the instance's service tasks elsewhere before it leaves the cluster; with I(wait) the module
    returns once no task runs on it any more.
  - Upstream has no module for this - M(community.aws.ecs_attribute) and M(community.aws.ecs_tag) only change
    attributes and tags - hence this module. Registration itself is done by the ECS agent on the host.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  cluster:
    description:
      - Name or ARN of the cluster.
    required: true
    type: str
  container_instance:
    description:
      - ARN or id of the container instance.
      - Exactly one of I(container_instance) and I(ec2_instance_id) is required.
    type: str
  ec2_instance_id:
    description:
      - The EC2 instance id (C(i-)) or SSM managed instance id (C(mi-)) the container instance was registered with.
    type: str
  state:
    description:
      - C(active) and C(draining) set the instance's status; C(absent) deregisters it.
      - An instance that is not registered is an error with C(active) and C(draining), and no change with C(absent).
    choices: [active, draining, absent]
    default: active
    type: str
  force:
    description:
      - With I(state=absent), deregister even while tasks run on the instance (their services start them elsewhere;
        standalone tasks are left orphaned).
    type: bool
    default: false
  wait:
    description:
      - With I(state=draining) (or I(state=absent) after draining it first), wait until no task runs on the instance.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with I(wait=true).
    type: int
    default: 600
notes:
  - Supports C(check_mode) and C(diff).
attributes:
  check_mode:
    support: full
    details:
      - Does not wait for draining (O(wait)).
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
- name: Drain this on-prem host before maintenance, waiting for its tasks to move
  hybridcloud.aws.ecs_container_instance:
    cluster: hybridcloud
    ec2_instance_id: "{{ ssm_agent_managed_instance_id }}"
    state: draining
    wait: true
  delegate_to: localhost

- name: Take it out of the cluster for good
  hybridcloud.aws.ecs_container_instance:
    cluster: hybridcloud
    ec2_instance_id: "{{ ssm_agent_managed_instance_id }}"
    state: absent
  delegate_to: localhost
"""

RETURN = r"""
container_instance:
  description:
    - The container instance after the change, as M(hybridcloud.aws.ecs_container_instance_info) returns it;
      empty when it is not (or no longer) registered.
  returned: always
  type: dict
  contains:
    container_instance_arn:
      description: ARN of the container instance.
      type: str
      sample: arn:aws:ecs:us-east-1:123456789012:container-instance/hybridcloud/0b4a1c2d3e4f
    ec2_instance_id:
      description: The EC2 or SSM managed instance id.
      type: str
      sample: mi-0123456789abcdef0
    status:
      description: ACTIVE or DRAINING.
      type: str
      sample: DRAINING
    running_tasks_count:
      description: Tasks running on the instance.
      type: int
      sample: 0
waited:
  description:
    - What the module's waits saw, one entry per wait in the order they ran (polling every 10 seconds). Each poll is also written, as it
      happens, to the log of the host that runs the module (syslog or the journal), one line per poll that names
      what it waits for, the poll's number, the seconds since the wait began and the state it saw.
  returned: when the module waited, also when it failed
  type: list
  elements: dict
  contains:
    what:
      description: What the module waited for.
      type: str
      sample: the tasks on arn:aws:ecs:us-east-1:123456789012:container-instance/hybridcloud/0b4a1c2d3e4f to stop
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
          description: Status of the container instance and its running tasks, C(deregistered) once it is gone.
          type: str
        seconds:
          description: Seconds from the start of the wait to the first poll of this entry.
          type: float
        polls:
          description: How many consecutive polls saw this state.
          type: int
      sample:
        - {state: "DRAINING, 2 tasks running", seconds: 0.0, polls: 1}
        - {state: "DRAINING, 1 task running", seconds: 10.0, polls: 1}
        - {state: "DRAINING, 0 tasks running", seconds: 20.0, polls: 1}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import AnsibleECSError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import container_instance_result
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import deregister_container_instance
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import find_container_instance
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import update_container_instance_state
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import wait_until
from ansible_collections.hybridcloud.aws.plugins.module_utils.waiting import Waits


def instance_state(instance):
    """What a wait saw of the instance: its status and running tasks, or deregistered."""
    if not instance:
        return "deregistered"
    running = instance.get("runningTasksCount", 0)
    return f"{instance.get('status')}, {running} task{'' if running == 1 else 's'} running"


def wait_for_no_tasks(client, params, arn, waits):
    def fetch():
        return find_container_instance(client, params["cluster"], container_instance=arn)

    def done(instance):
        return not instance or instance.get("runningTasksCount", 0) == 0

    return wait_until(fetch, done, params["wait_timeout"], f"the tasks on {arn} to stop", progress=waits, state=instance_state)


def ensure(module, client, waits):
    params = module.params
    cluster = params["cluster"]
    instance = find_container_instance(client, cluster, params["container_instance"], params["ec2_instance_id"])
    name = params["container_instance"] or params["ec2_instance_id"]
    if instance is None:
        if params["state"] != "absent":
            module.fail_json(msg=f"No container instance {name} is registered in cluster {cluster}")
        return False, None, None

    before = instance
    arn = instance["containerInstanceArn"]
    if params["state"] == "absent":
        if not module.check_mode:
            if params["wait"] and instance.get("runningTasksCount", 0):
                if instance["status"] != "DRAINING":
                    update_container_instance_state(client, cluster, arn, "DRAINING")
                wait_for_no_tasks(client, params, arn, waits)
            deregister_container_instance(client, cluster, arn, params["force"])
        return True, before, None

    wanted = params["state"].upper()
    changed = instance["status"] != wanted
    after = dict(instance, status=wanted)
    if changed and not module.check_mode:
        after = update_container_instance_state(client, cluster, arn, wanted) or after
    if wanted == "DRAINING" and params["wait"] and not module.check_mode:
        after = wait_for_no_tasks(client, params, arn, waits) or after
    return changed, before, after


def main():
    argument_spec = dict(
        cluster=dict(type="str", required=True),
        container_instance=dict(type="str"),
        ec2_instance_id=dict(type="str"),
        state=dict(type="str", default="active", choices=["active", "draining", "absent"]),
        force=dict(type="bool", default=False),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=600),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_one_of=[["container_instance", "ec2_instance_id"]],
        mutually_exclusive=[["container_instance", "ec2_instance_id"]],
    )
    client = module.client("ecs")
    waits = Waits(module.log)
    try:
        changed, before, after = ensure(module, client, waits)
    except AnsibleECSError as e:
        waits.fail(module, e)

    def view(instance):
        return {"status": instance["status"], "container_instance_arn": instance["containerInstanceArn"]} if instance else {}

    module.exit_json(
        changed=changed,
        container_instance=container_instance_result(after) if after else {},
        diff={"before": view(before), "after": view(after)},
        **waits.returned(),
    )


if __name__ == "__main__":
    main()
