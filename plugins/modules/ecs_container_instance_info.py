#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ecs_container_instance_info
version_added: 0.1.0
short_description: List the container instances of an ECS cluster, EC2 and external (ECS Anywhere)
description:
  - Lists the container instances registered with an ECS cluster, both EC2 instances and external instances
    (on-premises servers registered through ECS Anywhere, whose instance id is an SSM managed instance id C(mi-...)).
  - Returns for each instance its status, whether its agent is connected, its attributes, its running and pending
    task counts, its capacity provider and its registered and remaining resources.
  - Lists with C(ListContainerInstances) and describes in batches of 100 with C(DescribeContainerInstances).
  - No upstream module lists container instances; M(community.aws.ecs_attribute) only manages attributes of one instance.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  cluster:
    description:
      - Name or ARN of the cluster.
    type: str
    default: default
  status:
    description:
      - Only instances in this status.
    choices: [ACTIVE, DRAINING, REGISTERING, DEREGISTERING, REGISTRATION_FAILED]
    type: str
  filter:
    description:
      - An expression of the ECS cluster query language that the instances must match, evaluated by ECS,
        for example C(attribute:location == onprem) or C(runningTasksCount > 0).
    type: str
  external_only:
    description:
      - Only external (ECS Anywhere) instances, recognised by their C(ecs.capability.external) attribute or
        their C(mi-) instance id.
    type: bool
    default: false
notes:
  - Instances that deregister between the listing and the description are left out.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Wait until every on-premises host of the cluster has a connected agent
  hybridcloud.aws.ecs_container_instance_info:
    cluster: prod
    external_only: true
    status: ACTIVE
  register: onprem
  until: onprem.container_instances | length >= 3 and onprem.container_instances | rejectattr('agent_connected') | list | length == 0
  retries: 30
  delay: 10

- name: Instances placed in the on-premises location by their custom attribute
  hybridcloud.aws.ecs_container_instance_info:
    cluster: prod
    filter: "attribute:location == onprem"
  register: located
"""

RETURN = r"""
container_instances:
  description: The container instances, in the order ECS lists them.
  returned: always
  type: list
  elements: dict
  contains:
    container_instance_arn:
      description: ARN of the container instance.
      type: str
      sample: arn:aws:ecs:eu-west-1:123456789012:container-instance/prod/5b2c0a7b2f4e4f6f9a3c1d2e3f4a5b6c
    container_instance_id:
      description: Last part of the ARN, as the ECS console shows it.
      type: str
      sample: 5b2c0a7b2f4e4f6f9a3c1d2e3f4a5b6c
    ec2_instance_id:
      description: The EC2 instance id (C(i-...)) or, for an external instance, its SSM managed instance id (C(mi-...)).
      type: str
      sample: mi-0123456789abcdef0
    external:
      description: Whether the instance is an external (ECS Anywhere) instance.
      type: bool
      sample: true
    status:
      description: Status of the instance (C(ACTIVE), C(DRAINING), ...).
      type: str
      sample: ACTIVE
    status_reason:
      description: Why the instance has its status, when ECS says.
      type: str
      sample: ""
    agent_connected:
      description: Whether the instance's ECS agent is connected to ECS.
      type: bool
      sample: true
    agent_update_status:
      description: Status of the last agent update, when there was one.
      type: str
      sample: UPDATED
    version_info:
      description: Versions of the ECS agent and of Docker on the instance.
      type: dict
      sample: {"agent_version": "1.89.2", "agent_hash": "1a2b3c4d", "docker_version": "DockerVersion: 20.10.24"}
    running_tasks_count:
      description: Tasks running on the instance.
      type: int
      sample: 2
    pending_tasks_count:
      description: Tasks pending on the instance.
      type: int
      sample: 0
    capacity_provider_name:
      description: Capacity provider of the instance, when it has one.
      type: str
      sample: workers
    attributes:
      description: Attributes of the instance as a name to value mapping (value null for capability attributes).
      type: dict
      sample: {"location": "onprem", "ecs.capability.external": null, "ecs.os-type": "linux"}
    registered_resources:
      description: Resources the instance registered, by name (C(CPU) and C(MEMORY) as numbers, C(PORTS) as a list).
      type: dict
      sample: {"CPU": 2048, "MEMORY": 3885, "PORTS": ["22", "2375", "2376", "51678", "51679"]}
    remaining_resources:
      description: Resources still free on the instance, in the same form as RV(container_instances[].registered_resources).
      type: dict
      sample: {"CPU": 1536, "MEMORY": 3373}
    registered_at:
      description: When the instance registered.
      type: str
      sample: "2026-05-04T10:11:12.123000+00:00"
    tags:
      description: Tags of the instance.
      type: dict
      sample: {"site": "dc1"}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import AnsibleECSError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import container_instance_result
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import describe_container_instances
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import is_external_instance
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import list_container_instance_arns


def main():
    argument_spec = dict(
        cluster=dict(type="str", default="default"),
        status=dict(type="str", choices=["ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED"]),
        filter=dict(type="str"),
        external_only=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    client = module.client("ecs")

    try:
        arns = list_container_instance_arns(client, params["cluster"], params["status"], params["filter"])
        instances, failures = describe_container_instances(client, params["cluster"], arns)
    except AnsibleECSError as e:
        module.fail_json_aws_error(e)

    for failure in failures:
        if failure.get("reason") != "MISSING":
            module.warn(f"ECS could not describe {failure.get('arn')}: {failure.get('reason')} {failure.get('detail') or ''}".strip())
    if params["external_only"]:
        instances = [instance for instance in instances if is_external_instance(instance)]
    module.exit_json(changed=False, container_instances=[container_instance_result(instance) for instance in instances])


if __name__ == "__main__":
    main()
