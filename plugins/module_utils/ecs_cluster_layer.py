# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One read of the ECS cluster layer (the role hybridcloud.aws.ecs_cluster), everything by name and side by side: the
cluster (one DescribeClusters with its settings, tags and configuration), the capacity provider (one
DescribeCapacityProviders with its tags), the Auto Scaling group (one DescribeAutoScalingGroups, tags included), the
launch template (DescribeLaunchTemplates, then side by side its latest version and its tags), and the instance role
(GetRole, ListAttachedRolePolicies, GetRolePolicy of the role's inline policy) and instance profile
(GetInstanceProfile).

Each part is returned in the form its write module compares: the ECS objects as the ECS API answers them (camelCase,
as hybridcloud.aws.ecs_capacity_provider and community.aws.ecs_cluster compare them) with tags and settings as dicts,
the Auto Scaling group in snake_case as amazon.aws.autoscaling_group_info returns it (the input of the filter
hybridcloud.aws.ecs_cluster_asg_differences), the launch template's latest version data as EC2 answers it (what
amazon.aws.ec2_launch_template compares), policy documents as dicts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from urllib.parse import unquote

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.hybridcloud.aws.plugins.module_utils.amazon_aws_deferred import is_boto3_error_code
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import cluster_settings_to_dict, ecs_tags_to_dict
from ansible_collections.hybridcloud.aws.plugins.module_utils.side_by_side import SideBySide

retry = AWSRetry.jittered_backoff()

# Threads for the independent calls; 1 runs them one after the other (the unit tests do, for botocore's Stubber).
MAX_WORKERS = 8

CLUSTER_INCLUDE = ["SETTINGS", "TAGS", "CONFIGURATIONS"]


class AnsibleEcsClusterLayerError(AnsibleAWSError):
    pass


class EcsClusterLayerErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleEcsClusterLayerError

    @classmethod
    def _is_missing(cls):
        # IAM answers a missing role, policy or profile with NoSuchEntity; EC2 a missing template name with this code.
        return is_boto3_error_code(["NoSuchEntity", "InvalidLaunchTemplateName.NotFoundException", "InvalidLaunchTemplateId.NotFound"])


def _document(value):
    """A policy document as a dict: botocore decodes IAM's URL-encoded JSON documents, a stubbed answer may not."""
    if isinstance(value, str):
        return json.loads(unquote(value))
    return value


@EcsClusterLayerErrorHandler.common_error_handler("describe cluster {name}")
@retry
def describe_cluster(client, name):
    """The cluster with its settings, tags and configuration; None when there is none (or only an INACTIVE one)."""
    for cluster in client.describe_clusters(clusters=[name], include=CLUSTER_INCLUDE).get("clusters") or []:
        if cluster.get("status") != "INACTIVE":
            return cluster
    return None


@EcsClusterLayerErrorHandler.common_error_handler("describe capacity provider {name}")
@retry
def describe_capacity_provider(client, name):
    """The capacity provider with its tags; None when there is none (or only an INACTIVE one)."""
    for provider in client.describe_capacity_providers(capacityProviders=[name], include=["TAGS"]).get("capacityProviders") or []:
        if provider.get("status") != "INACTIVE":
            return provider
    return None


@EcsClusterLayerErrorHandler.common_error_handler("describe Auto Scaling group {name}")
@retry
def describe_auto_scaling_group(client, name):
    groups = client.describe_auto_scaling_groups(AutoScalingGroupNames=[name]).get("AutoScalingGroups") or []
    return groups[0] if groups else None


@EcsClusterLayerErrorHandler.list_error_handler("describe launch template {name}")
@retry
def describe_launch_template(client, name):
    """The launch template of this name; None when there is none (EC2 then answers with an error)."""
    templates = client.describe_launch_templates(LaunchTemplateNames=[name]).get("LaunchTemplates") or []
    return templates[0] if templates else None


@EcsClusterLayerErrorHandler.common_error_handler("describe the latest version of launch template {template_id}")
@retry
def latest_launch_template_version(client, template_id):
    versions = client.describe_launch_template_versions(LaunchTemplateId=template_id, Versions=["$Latest"]).get("LaunchTemplateVersions") or []
    return versions[0] if versions else {}


@EcsClusterLayerErrorHandler.common_error_handler("describe the tags of {resource_id}")
@retry
def ec2_resource_tags(client, resource_id):
    """The tags of an EC2 resource as they are now (moto's DescribeLaunchTemplates shows those of the template's
    creation), from DescribeTags."""
    paginator = client.get_paginator("describe_tags")
    answer = paginator.paginate(Filters=[{"Name": "resource-id", "Values": [resource_id]}]).build_full_result()
    return boto3_tag_list_to_ansible_dict(answer.get("Tags") or [])


@EcsClusterLayerErrorHandler.list_error_handler("get IAM role {name}")
@retry
def get_role(client, name):
    return client.get_role(RoleName=name).get("Role")


@EcsClusterLayerErrorHandler.list_error_handler("list the managed policies of IAM role {name}")
@retry
def attached_policy_arns(client, name):
    paginator = client.get_paginator("list_attached_role_policies")
    answer = paginator.paginate(RoleName=name).build_full_result()
    return sorted(policy["PolicyArn"] for policy in answer.get("AttachedPolicies") or [])


@EcsClusterLayerErrorHandler.list_error_handler("get inline policy {policy_name} of IAM role {name}")
@retry
def get_role_policy(client, name, policy_name):
    return _document(client.get_role_policy(RoleName=name, PolicyName=policy_name).get("PolicyDocument"))


@EcsClusterLayerErrorHandler.list_error_handler("get IAM instance profile {name}")
@retry
def get_instance_profile(client, name):
    return client.get_instance_profile(InstanceProfileName=name).get("InstanceProfile")


def normalised_cluster(cluster):
    """The cluster as ECS answers it, with settings and tags as dicts."""
    if not cluster:
        return {}
    result = dict(cluster)
    result["settings"] = cluster_settings_to_dict(cluster)
    result["tags"] = ecs_tags_to_dict(cluster.get("tags"))
    result.setdefault("capacityProviders", [])
    result.setdefault("defaultCapacityProviderStrategy", [])
    return result


def normalised_capacity_provider(provider):
    """The capacity provider as ECS answers it, with tags as a dict."""
    if not provider:
        return {}
    return dict(provider, tags=ecs_tags_to_dict(provider.get("tags")))


def normalised_auto_scaling_group(group):
    """The group in snake_case as amazon.aws.autoscaling_group_info returns it (tags a list of {key, value, ...})."""
    return camel_dict_to_snake_dict(group) if group else {}


def normalised_launch_template(template, version, tags):
    """The template's ids and version numbers in snake_case, its tags as a dict, and its latest version's number,
    description and data (the data as EC2 answers it: the form amazon.aws.ec2_launch_template compares)."""
    if not template:
        return {}
    return {
        "launch_template_id": template["LaunchTemplateId"],
        "launch_template_name": template["LaunchTemplateName"],
        "default_version_number": template.get("DefaultVersionNumber"),
        "latest_version_number": template.get("LatestVersionNumber"),
        "tags": tags,
        "latest_version": {
            "version_number": version.get("VersionNumber"),
            "version_description": version.get("VersionDescription", ""),
            "launch_template_data": version.get("LaunchTemplateData") or {},
        },
    }


def normalised_role(role, managed_policy_arns, inline_policies):
    """The role in snake_case with its trust policy and inline policies as dicts, tags as a dict, managed policies as
    sorted ARNs."""
    if not role:
        return {}
    return {
        "arn": role["Arn"],
        "role_name": role["RoleName"],
        "path": role.get("Path", "/"),
        "description": role.get("Description"),
        "max_session_duration": role.get("MaxSessionDuration"),
        "assume_role_policy_document": _document(role.get("AssumeRolePolicyDocument")),
        "tags": boto3_tag_list_to_ansible_dict(role.get("Tags") or []),
        "managed_policy_arns": managed_policy_arns,
        "inline_policies": inline_policies,
    }


def normalised_instance_profile(profile):
    if not profile:
        return {}
    return {
        "arn": profile["Arn"],
        "instance_profile_name": profile["InstanceProfileName"],
        "path": profile.get("Path", "/"),
        "roles": [role["RoleName"] for role in profile.get("Roles") or []],
        "tags": boto3_tag_list_to_ansible_dict(profile.get("Tags") or []),
    }


def read_launch_template(client, reads, name):
    template = describe_launch_template(client, name)
    if not template:
        return {}
    version = reads.start(latest_launch_template_version, client, template["LaunchTemplateId"])
    tags = reads.start(ec2_resource_tags, client, template["LaunchTemplateId"])
    return normalised_launch_template(template, version(), tags())


def read_layer(clients, names):
    """{cluster, capacity_provider, auto_scaling_group, launch_template, instance_role, instance_profile}, each empty
    when it does not exist. clients: {ecs, autoscaling, ec2, iam}; names: {cluster, capacity_provider,
    auto_scaling_group, launch_template, instance_role, instance_policy (an inline policy of the role; may be empty),
    instance_profile}.

    Raises AnsibleEcsClusterLayerError with AWS's error."""
    ecs, iam = clients["ecs"], clients["iam"]
    with SideBySide(MAX_WORKERS) as reads:
        cluster = reads.start(describe_cluster, ecs, names["cluster"])
        provider = reads.start(describe_capacity_provider, ecs, names["capacity_provider"])
        group = reads.start(describe_auto_scaling_group, clients["autoscaling"], names["auto_scaling_group"])
        role = reads.start(get_role, iam, names["instance_role"])
        managed = reads.start(attached_policy_arns, iam, names["instance_role"])
        policy_name = names.get("instance_policy")
        inline = reads.start(get_role_policy, iam, names["instance_role"], policy_name) if policy_name else (lambda: None)
        profile = reads.start(get_instance_profile, iam, names["instance_profile"])
        # The template's version and tags need its id: read after it, side by side, while the others run.
        template = read_launch_template(clients["ec2"], reads, names["launch_template"])
        inline_policy = inline()
        return {
            "cluster": normalised_cluster(cluster()),
            "capacity_provider": normalised_capacity_provider(provider()),
            "auto_scaling_group": normalised_auto_scaling_group(group()),
            "launch_template": template,
            "instance_role": normalised_role(role(), managed() or [], {policy_name: inline_policy} if inline_policy is not None else {}),
            "instance_profile": normalised_instance_profile(profile()),
        }
