# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict, snake_dict_to_camel_dict
from ansible.module_utils.parsing.convert_bool import boolean

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: ecs_cluster_writes
short_description: Which write modules the role C(hybridcloud.aws.ecs_cluster) must run, from one read of its layer
version_added: 0.1.0
description:
  - Compares what M(hybridcloud.aws.ecs_cluster_layer_info) read with what the role wants and says, for each write
    task of the role, what differs; an empty list means the write module would change nothing and need not run. Each
    part is compared as its write module compares it.
  - C(instance_role) - M(amazon.aws.iam_role) - V(missing), V(description), V(assume_role_policy) (with amazon.aws's
    C(compare_policies)), V(managed_policies) (as a set, others purged), V(tags) (exactly).
  - C(instance_policy) - M(amazon.aws.iam_policy) - V(missing) or V(policy) (with C(compare_policies)).
  - C(instance_profile) - M(amazon.aws.iam_instance_profile) - V(missing), V(role), V(tags) (exactly).
  - C(launch_template) - M(amazon.aws.ec2_launch_template) - V(missing); V(data) when the latest version's data is not
    exactly what the module would send (the options with the module's defaults, the instance profile by the ARN the
    read found; a profile that does not exist yet always differs); V(version_description); V(default_version) when
    the default version is not the latest.
  - C(launch_template_tags) - M(amazon.aws.ec2_tag) - V(tags) (exactly, with C(Name)).
  - C(auto_scaling_group) - M(amazon.aws.autoscaling_group) - the filter C(hybridcloud.aws.ecs_cluster_asg_differences).
  - C(capacity_provider) - M(hybridcloud.aws.ecs_capacity_provider) - V(missing), V(auto_scaling_group) (the provider
    names another group, which the module refuses), V(settings) (the module's own merge and comparison), V(tags)
    (exactly).
  - C(cluster) - M(community.aws.ecs_cluster) - V(missing), V(capacity_providers) (the list, as the module compares
    it), V(capacity_provider_strategy) (as a set of entries).
  - C(cluster_tags) - M(community.aws.ecs_tag) - V(tags) (exactly); C(cluster_settings) -
    M(hybridcloud.aws.ecs_cluster_settings) - V(container_insights). For a cluster that does not exist yet both differ.
positional: wanted
options:
  _input:
    description: What M(hybridcloud.aws.ecs_cluster_layer_info) returned.
    type: dict
    required: true
  wanted:
    description: What the role wants.
    type: dict
    required: true
    suboptions:
      instance_role:
        description: C(name), C(description), C(assume_role_policy_document) (a dict), C(managed_policies) (ARNs), C(tags).
        type: dict
      instance_policy:
        description: C(name) and C(document) (a dict) of the role's inline policy.
        type: dict
      instance_profile:
        description: C(tags) of the instance profile (it carries the role of O(wanted.instance_role)).
        type: dict
      launch_template:
        description:
          - C(options), the options the role hands M(amazon.aws.ec2_launch_template) that make the version's data
            (C(image_id), C(instance_type), C(security_group_ids), C(metadata_options), C(block_device_mappings),
            C(user_data), C(tag_specifications)), C(version_description) and C(tags) (the template's own tags).
        type: dict
      auto_scaling_group:
        description: What the filter C(hybridcloud.aws.ecs_cluster_asg_differences) takes.
        type: dict
      capacity_provider:
        description:
          - C(auto_scaling_group) (the group's name), C(managed_scaling), C(managed_termination_protection),
            C(managed_draining) and C(tags), as the role hands them to M(hybridcloud.aws.ecs_capacity_provider).
        type: dict
      cluster:
        description: C(capacity_providers), C(capacity_provider_strategy), C(tags) and C(container_insights).
        type: dict
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Decide which writes the ECS cluster layer needs
  ansible.builtin.set_fact:
    ecs_cluster_writes: "{{ ecs_cluster_layer | hybridcloud.aws.ecs_cluster_writes(ecs_cluster_wanted) }}"
"""

RETURN = r"""
_value:
  description: For each write task, what differs (an empty list when nothing does).
  type: dict
  contains:
    instance_role:
      description: What differs on the IAM role.
      type: list
      elements: str
    instance_policy:
      description: What differs on its inline policy.
      type: list
      elements: str
    instance_profile:
      description: What differs on the instance profile.
      type: list
      elements: str
    launch_template:
      description: What differs on the launch template (a new version, or its default version).
      type: list
      elements: str
    launch_template_tags:
      description: What differs on the launch template's tags.
      type: list
      elements: str
    auto_scaling_group:
      description: What differs on the Auto Scaling group.
      type: list
      elements: str
    capacity_provider:
      description: What differs on the capacity provider.
      type: list
      elements: str
    cluster:
      description: What differs on the cluster's capacity providers and strategy.
      type: list
      elements: str
    cluster_tags:
      description: What differs on the cluster's tags.
      type: list
      elements: str
    cluster_settings:
      description: What differs on the cluster's settings.
      type: list
      elements: str
  sample:
    instance_role: []
    instance_policy: []
    instance_profile: []
    launch_template: [data]
    launch_template_tags: []
    auto_scaling_group: []
    capacity_provider: [settings]
    cluster: []
    cluster_tags: []
    cluster_settings: [container_insights]
"""

# amazon.aws.ec2_launch_template's defaults of metadata_options (its argument spec), which it always sends.
METADATA_DEFAULTS = {
    "http_endpoint": "enabled",
    "http_put_response_hop_limit": 1,
    "http_tokens": "optional",
    "http_protocol_ipv6": "disabled",
    "instance_metadata_tags": "disabled",
}
EBS_INTEGERS = ("iops", "volume_size", "throughput")
EBS_BOOLEANS = ("delete_on_termination", "encrypted")


def _plain(value):
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def profile_differences(profile, role_name, wanted):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.iam_role import tags_differ

    if not profile:
        return ["missing"]
    checks = (
        ("role", profile.get("roles") != [role_name]),
        ("tags", tags_differ(profile.get("tags"), wanted.get("tags"))),
    )
    return [name for name, differs in checks if differs]


def launch_template_data(options, instance_profile_arn):
    """The LaunchTemplateData amazon.aws.ec2_launch_template sends for these options: the module's argument spec
    (types and the defaults of metadata_options), the instance profile as {Arn}, snake_case to CamelCase, the tag
    specifications as boto3 ones, None values dropped. Empty strings the role passes for unset values are dropped too
    (the role omits them)."""
    from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications
    from ansible_collections.hybridcloud.aws.plugins.module_utils.amazon_aws_deferred import scrub_none_parameters

    options = _plain(options)
    data = {key: options.get(key) for key in ("image_id", "instance_type", "security_group_ids", "user_data")}
    if options.get("metadata_options") is not None:
        metadata = dict(METADATA_DEFAULTS, **{key: value for key, value in options["metadata_options"].items() if value is not None})
        metadata["http_put_response_hop_limit"] = int(metadata["http_put_response_hop_limit"])
        data["metadata_options"] = metadata
    mappings = []
    for given in options.get("block_device_mappings") or []:
        mapping = {key: value for key, value in given.items() if value not in (None, "")}
        if mapping.get("ebs") is not None:
            ebs = {key: value for key, value in mapping["ebs"].items() if value not in (None, "")}
            ebs.update({key: int(ebs[key]) for key in EBS_INTEGERS if key in ebs})
            ebs.update({key: boolean(ebs[key], strict=False) for key in EBS_BOOLEANS if key in ebs})
            mapping["ebs"] = ebs
        mappings.append(mapping)
    if mappings:
        data["block_device_mappings"] = mappings
    if instance_profile_arn:
        data["iam_instance_profile"] = {"arn": instance_profile_arn}
    data = snake_dict_to_camel_dict({key: value for key, value in data.items() if value is not None}, capitalize_first=True)
    specifications = []
    for specification in options.get("tag_specifications") or []:
        tags = {key: str(value) for key, value in (specification.get("tags") or {}).items()}
        specifications.extend(boto3_tag_specifications(tags, types=specification.get("resource_type") or "instance"))
    if specifications:
        data["TagSpecifications"] = specifications
    return scrub_none_parameters(data, descend_into_lists=True)


def launch_template_differences(template, profile, wanted):
    if not template:
        return ["missing"]
    latest = template.get("latest_version") or {}
    data = launch_template_data(wanted["options"], (profile or {}).get("arn"))
    checks = (
        # Without the profile (written in this run) the module sends an ARN the read cannot know: a new version.
        ("data", not profile or data != latest.get("launch_template_data")),
        ("version_description", (wanted.get("version_description") or "") != latest.get("version_description", "")),
        ("default_version", template.get("default_version_number") != template.get("latest_version_number")),
    )
    return [name for name, differs in checks if differs]


def capacity_provider_differences(provider, wanted):
    # hybridcloud.aws.ecs_capacity_provider's own comparison.
    from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import auto_scaling_group_name, merged_settings, wanted_settings
    from ansible_collections.hybridcloud.aws.plugins.module_utils.amazon_aws_deferred import scrub_none_parameters
    from ansible_collections.hybridcloud.aws.plugins.module_utils.iam_role import tags_differ

    if not provider:
        return ["missing"]
    current = provider.get("autoScalingGroupProvider") or {}
    scaling = scrub_none_parameters(_plain(wanted.get("managed_scaling") or {}))
    scaling.update({key: int(value) for key, value in scaling.items() if key != "status"})
    settings = wanted_settings(
        {
            "managed_scaling": scaling,
            "managed_termination_protection": wanted.get("managed_termination_protection"),
            "managed_draining": wanted.get("managed_draining"),
        }
    )
    merged = merged_settings(current, settings)
    group = wanted.get("auto_scaling_group")
    checks = (
        ("auto_scaling_group", bool(group) and auto_scaling_group_name(current.get("autoScalingGroupArn") or "") != auto_scaling_group_name(group)),
        ("settings", merged != {key: value for key, value in current.items() if key != "autoScalingGroupArn"}),
        ("tags", tags_differ(provider.get("tags"), wanted.get("tags"))),
    )
    return [name for name, differs in checks if differs]


def cluster_differences(cluster, wanted):
    """community.aws.ecs_cluster's comparison with purge_capacity_providers true: the providers as a list, each wanted
    strategy entry among the current ones and each current one among the wanted."""
    if not cluster:
        return ["missing"]
    strategy = [
        {key: int(value) if key in ("weight", "base") else value for key, value in entry.items()}
        for entry in _plain(wanted.get("capacity_provider_strategy") or [])
    ]
    current_strategy = cluster.get("defaultCapacityProviderStrategy") or []
    strategy_differs = any(snake_dict_to_camel_dict(entry) not in current_strategy for entry in strategy) or any(
        camel_dict_to_snake_dict(entry) not in strategy for entry in current_strategy
    )
    checks = (
        ("capacity_providers", list(cluster.get("capacityProviders") or []) != list(wanted.get("capacity_providers") or [])),
        ("capacity_provider_strategy", strategy_differs),
    )
    return [name for name, differs in checks if differs]


def ecs_cluster_writes(layer, wanted):
    # The comparison the role already makes of the Auto Scaling group.
    from ansible_collections.hybridcloud.aws.plugins.filter.ecs_cluster_asg_differences import asg_differences
    from ansible_collections.hybridcloud.aws.plugins.module_utils.iam_role import inline_policy_differences, role_differences, tags_differ

    layer, wanted = _plain(layer), _plain(wanted)
    role_name = wanted["instance_role"]["name"]
    cluster = layer.get("cluster") or {}
    cluster_wanted = wanted["cluster"]
    template_wanted = wanted["launch_template"]
    template = layer.get("launch_template") or {}
    return {
        "instance_role": role_differences(layer.get("instance_role"), wanted["instance_role"]),
        "instance_policy": inline_policy_differences(layer.get("instance_role"), wanted["instance_policy"]),
        "instance_profile": profile_differences(layer.get("instance_profile"), role_name, wanted.get("instance_profile") or {}),
        "launch_template": launch_template_differences(template, layer.get("instance_profile"), template_wanted),
        "launch_template_tags": ["tags"] if tags_differ(template.get("tags"), template_wanted.get("tags")) else [],
        "auto_scaling_group": asg_differences(layer.get("auto_scaling_group") or None, wanted["auto_scaling_group"]),
        "capacity_provider": capacity_provider_differences(layer.get("capacity_provider"), wanted["capacity_provider"]),
        "cluster": cluster_differences(cluster, cluster_wanted),
        "cluster_tags": ["tags"] if tags_differ(cluster.get("tags"), cluster_wanted.get("tags")) else [],
        "cluster_settings": ["container_insights"] if (cluster.get("settings") or {}).get("containerInsights") != cluster_wanted["container_insights"] else [],
    }


class FilterModule:
    def filters(self):
        return {"ecs_cluster_writes": ecs_cluster_writes}
