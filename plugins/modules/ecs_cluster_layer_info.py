#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ecs_cluster_layer_info
version_added: 0.1.0
short_description: Read an ECS cluster, its capacity provider, Auto Scaling group, launch template and instance role in one step
description:
  - Reads, by name and side by side, the ECS cluster O(cluster) (one C(DescribeClusters) call with its settings, tags
    and configuration), the capacity provider O(capacity_provider) (one C(DescribeCapacityProviders) call with its
    tags), the Auto Scaling group O(auto_scaling_group) (one C(DescribeAutoScalingGroups) call, tags included), the
    launch template O(launch_template) (C(DescribeLaunchTemplates), then side by side its latest version and its tags),
    and the IAM role O(instance_role) (C(GetRole), C(ListAttachedRolePolicies) and C(GetRolePolicy) of
    O(instance_policy)) and the instance profile O(instance_profile) (C(GetInstanceProfile)).
  - Returns them as the role C(hybridcloud.aws.ecs_cluster) compares them (filter C(hybridcloud.aws.ecs_cluster_writes)),
    so that the role runs a write module only where something differs. The cluster and the capacity provider are
    returned as the ECS API answers them (camelCase keys, the form M(community.aws.ecs_cluster) and
    M(hybridcloud.aws.ecs_capacity_provider) compare), the Auto Scaling group in snake_case as
    M(amazon.aws.autoscaling_group_info) returns it, the launch template's latest version data as EC2 answers it (the
    form M(amazon.aws.ec2_launch_template) compares).
  - A resource that does not exist is not an error; its entry is then empty.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  cluster:
    description: The name of the ECS cluster.
    type: str
    required: true
  capacity_provider:
    description: The name of the capacity provider.
    type: str
    required: true
  auto_scaling_group:
    description: The name of the Auto Scaling group.
    type: str
    required: true
  launch_template:
    description: The name of the launch template.
    type: str
    required: true
  instance_role:
    description: The name of the container instances' IAM role.
    type: str
    required: true
  instance_policy:
    description: The name of an inline policy of O(instance_role) to read; empty reads none.
    type: str
    default: ""
  instance_profile:
    description: The name of the instance profile; defaults to O(instance_role).
    type: str
notes:
  - Needs C(ecs:DescribeClusters), C(ecs:DescribeCapacityProviders), C(autoscaling:DescribeAutoScalingGroups),
    C(ec2:DescribeLaunchTemplates), C(ec2:DescribeLaunchTemplateVersions), C(ec2:DescribeTags), C(iam:GetRole),
    C(iam:ListAttachedRolePolicies), C(iam:GetRolePolicy) and C(iam:GetInstanceProfile).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the ECS cluster layer once
  hybridcloud.aws.ecs_cluster_layer_info:
    cluster: hybridcloud
    capacity_provider: hybridcloud-ec2
    auto_scaling_group: hybridcloud-ecs
    launch_template: hybridcloud-ecs
    instance_role: hybridcloud-ecs-instance
    instance_policy: ssm-agent-without-activation-code
  register: layer
"""

RETURN = r"""
cluster:
  description:
    - The cluster as C(DescribeClusters) answers it (camelCase keys), with C(settings) and C(tags) as dicts; empty when
      there is none.
  returned: always
  type: dict
  sample:
    clusterArn: "arn:aws:ecs:us-east-1:123456789012:cluster/hybridcloud"
    clusterName: hybridcloud
    status: ACTIVE
    capacityProviders: [hybridcloud-ec2]
    defaultCapacityProviderStrategy: [{capacityProvider: hybridcloud-ec2, weight: 1, base: 0}]
    settings: {containerInsights: enabled}
    tags: {Project: hybridcloud}
capacity_provider:
  description:
    - The capacity provider as C(DescribeCapacityProviders) answers it (camelCase keys), with C(tags) as a dict; empty
      when there is none.
  returned: always
  type: dict
  sample:
    capacityProviderArn: "arn:aws:ecs:us-east-1:123456789012:capacity-provider/hybridcloud-ec2"
    name: hybridcloud-ec2
    status: ACTIVE
    autoScalingGroupProvider:
      autoScalingGroupArn: "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/hybridcloud-ecs"
      managedScaling: {status: ENABLED, targetCapacity: 100, minimumScalingStepSize: 1, maximumScalingStepSize: 2, instanceWarmupPeriod: 300}
      managedTerminationProtection: ENABLED
      managedDraining: ENABLED
    tags: {Project: hybridcloud}
auto_scaling_group:
  description: The group in snake_case as M(amazon.aws.autoscaling_group_info) returns it; empty when there is none.
  returned: always
  type: dict
  sample:
    auto_scaling_group_arn: "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/hybridcloud-ecs"
    auto_scaling_group_name: hybridcloud-ecs
    min_size: 1
    max_size: 4
    launch_template: {launch_template_name: hybridcloud-ecs, version: $Default}
    vpc_zone_identifier: subnet-0123456789abcdef0,subnet-0fedcba9876543210
    tags: [{key: Name, value: hybridcloud-ecs}]
launch_template:
  description:
    - The template's id, name, default and latest version numbers and tags (a dict), and its latest version's number,
      description and data (C(launch_template_data) as EC2 answers it); empty when there is none.
  returned: always
  type: dict
  sample:
    launch_template_id: lt-0123456789abcdef0
    launch_template_name: hybridcloud-ecs
    default_version_number: 2
    latest_version_number: 2
    tags: {Name: hybridcloud-ecs}
    latest_version:
      version_number: 2
      version_description: Managed by hybridcloud.aws.ecs_cluster
      launch_template_data: {ImageId: ami-0123456789abcdef0, InstanceType: t3.medium}
instance_role:
  description:
    - The role - C(arn), C(role_name), C(path), C(description), C(max_session_duration), C(assume_role_policy_document)
      (a dict), C(tags) (a dict), C(managed_policy_arns) (sorted) and C(inline_policies) (O(instance_policy) by name, when
      it exists); empty when there is none.
  returned: always
  type: dict
  sample:
    arn: "arn:aws:iam::123456789012:role/hybridcloud-ecs-instance"
    role_name: hybridcloud-ecs-instance
    path: /
    description: ECS container instances of the hybridcloud cluster
    managed_policy_arns: ["arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"]
    inline_policies: {ssm-agent-without-activation-code: {Version: "2012-10-17", Statement: []}}
    tags: {Project: hybridcloud}
instance_profile:
  description: The instance profile - C(arn), C(instance_profile_name), C(path), C(roles) (names) and C(tags); empty when there is none.
  returned: always
  type: dict
  sample:
    arn: "arn:aws:iam::123456789012:instance-profile/hybridcloud-ecs-instance"
    instance_profile_name: hybridcloud-ecs-instance
    path: /
    roles: [hybridcloud-ecs-instance]
    tags: {Project: hybridcloud}
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs_cluster_layer import read_layer


def main():
    argument_spec = dict(
        cluster=dict(type="str", required=True),
        capacity_provider=dict(type="str", required=True),
        auto_scaling_group=dict(type="str", required=True),
        launch_template=dict(type="str", required=True),
        instance_role=dict(type="str", required=True),
        instance_policy=dict(type="str", default=""),
        instance_profile=dict(type="str"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    clients = {service: module.client(service) for service in ("ecs", "autoscaling", "ec2", "iam")}
    names = dict(params, instance_profile=params["instance_profile"] or params["instance_role"])
    try:
        layer = read_layer(clients, names)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, region=module.region, **layer)


if __name__ == "__main__":
    main()
