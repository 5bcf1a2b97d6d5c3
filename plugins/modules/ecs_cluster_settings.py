#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ecs_cluster_settings
version_added: 0.1.0
short_description: Manage the settings of an ECS cluster (Container Insights)
description:
  - Sets the cluster settings of an existing ECS cluster with UpdateClusterSettings, today the only one ECS has,
    C(containerInsights), which turns CloudWatch Container Insights on (C(enabled)), on with the detailed per-task and
    per-container metrics (C(enhanced)) or off (C(disabled)).
  - Reads the cluster with DescribeClusters including its settings first and calls UpdateClusterSettings only when a
    setting differs, so a second run changes nothing.
  - The cluster must exist; create it first, for example with M(community.aws.ecs_cluster).
  - Upstream M(community.aws.ecs_cluster) manages only the capacity providers and the default capacity provider
    strategy of a cluster and has no option for cluster settings, and no other upstream module calls
    UpdateClusterSettings, hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  cluster:
    description:
      - Name or ARN of the ECS cluster.
    required: true
    type: str
    aliases: [name]
  container_insights:
    description:
      - CloudWatch Container Insights for the cluster.
      - C(enhanced) adds task and container level metrics (and costs more).
    required: true
    choices: [enabled, disabled, enhanced]
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
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
"""

EXAMPLES = r"""
- name: Create the cluster
  community.aws.ecs_cluster:
    name: hybridcloud
    state: present

- name: Turn Container Insights on
  hybridcloud.aws.ecs_cluster_settings:
    cluster: hybridcloud
    container_insights: enabled

- name: Collect task and container level metrics too
  hybridcloud.aws.ecs_cluster_settings:
    cluster: arn:aws:ecs:eu-central-1:123456789012:cluster/hybridcloud
    container_insights: enhanced
"""

RETURN = r"""
cluster_arn:
  description: ARN of the cluster.
  returned: always
  type: str
  sample: arn:aws:ecs:eu-central-1:123456789012:cluster/hybridcloud
cluster_name:
  description: Name of the cluster.
  returned: always
  type: str
  sample: hybridcloud
container_insights:
  description: Container Insights of the cluster after the change (in check mode, as it would be).
  returned: always
  type: str
  sample: enabled
settings:
  description:
    - Every setting of the cluster after the change (in check mode, as it would be), as ECS names them.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the setting.
      type: str
      sample: containerInsights
    value:
      description: Value of the setting.
      type: str
      sample: enabled
  sample: [{"name": "containerInsights", "value": "enabled"}]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import AnsibleECSError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import cluster_settings_to_dict
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import describe_cluster_with_settings
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import update_cluster_settings

# Module option -> ECS cluster setting name.
SETTING_NAMES = {"container_insights": "containerInsights"}


def as_options(settings):
    """The settings this module manages, named as its options (for the diff)."""
    return {option: settings.get(name) for option, name in SETTING_NAMES.items()}


def main():
    argument_spec = dict(
        cluster=dict(type="str", required=True, aliases=["name"]),
        container_insights=dict(type="str", required=True, choices=["enabled", "disabled", "enhanced"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if not params["cluster"].strip():
        module.fail_json(msg="cluster must name an ECS cluster (name or ARN), got an empty string")

    client = module.client("ecs")
    wanted = {name: params[option] for option, name in SETTING_NAMES.items()}

    try:
        cluster = describe_cluster_with_settings(client, params["cluster"])
        if cluster is None:
            module.fail_json(msg=f"ECS cluster {params['cluster']} does not exist; create it first (for example with community.aws.ecs_cluster)")
        before = cluster_settings_to_dict(cluster)
        differing = {name: value for name, value in wanted.items() if before.get(name) != value}
        after = dict(before, **wanted)
        if differing and not module.check_mode:
            cluster = update_cluster_settings(client, cluster["clusterArn"], differing)
            after = cluster_settings_to_dict(cluster)
    except AnsibleECSError as e:
        module.fail_json_aws_error(e)

    module.exit_json(
        changed=bool(differing),
        cluster_arn=cluster["clusterArn"],
        cluster_name=cluster["clusterName"],
        container_insights=after.get("containerInsights"),
        settings=[{"name": name, "value": value} for name, value in sorted(after.items())],
        diff={"before": as_options(before), "after": as_options(after)},
    )


if __name__ == "__main__":
    main()
