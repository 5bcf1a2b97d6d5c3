# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One read of the PostgreSQL layer (the role hybridcloud.aws.rds_postgres), everything by name and side by side: the DB
instance (one DescribeDBInstances: tags, master user secret, pending values and replica state included), the DB subnet
group (DescribeDBSubnetGroups, then ListTagsForResource), the parameter group (DescribeDBParameterGroups, then
ListTagsForResource), its user-modified parameters (DescribeDBParameters with Source user; all of them only when a
parameter asked for is not among those, since RDS filters parameters by source only) and the security groups attached
to the instance with their rules (DescribeSecurityGroups filtered by group id, so that a missing group is not an error).

Each part is returned in the form its write module compares or the role reads: the instance in snake_case with its
tags as a dict, as amazon.aws.rds_instance and amazon.aws.rds_instance_info return it; the subnet group as
amazon.aws.rds_subnet_group returns it (subnet_ids, tags); the parameter group in snake_case with its tags; the
parameters as RDS answers them (ParameterName, ParameterValue, DataType, IsModifiable, Source: what
amazon.aws.rds_instance_param_group compares), by name; the security groups as amazon.aws.ec2_security_group_info
returns them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.hybridcloud.aws.plugins.module_utils.rds import describe_db_instance
from ansible_collections.hybridcloud.aws.plugins.module_utils.side_by_side import SideBySide

retry = AWSRetry.jittered_backoff()

# Threads for the independent calls; 1 runs them one after the other (the unit tests do, for botocore's Stubber).
MAX_WORKERS = 5


class AnsibleRdsLayerError(AnsibleAWSError):
    pass


class RdsLayerErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleRdsLayerError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["DBSubnetGroupNotFoundFault", "DBParameterGroupNotFound"])


@RdsLayerErrorHandler.list_error_handler("describe DB subnet group {name}")
@retry
def describe_subnet_group(client, name):
    groups = client.describe_db_subnet_groups(DBSubnetGroupName=name).get("DBSubnetGroups") or []
    return groups[0] if groups else None


@RdsLayerErrorHandler.list_error_handler("describe DB parameter group {name}")
@retry
def describe_parameter_group(client, name):
    groups = client.describe_db_parameter_groups(DBParameterGroupName=name).get("DBParameterGroups") or []
    return groups[0] if groups else None


@RdsLayerErrorHandler.list_error_handler("describe the parameters of DB parameter group {name}")
@retry
def describe_parameters(client, name, source=None):
    """The group's parameters (only those of this source, when given); None when the group does not exist."""
    params = {"DBParameterGroupName": name}
    if source:
        params["Source"] = source
    answer = client.get_paginator("describe_db_parameters").paginate(**params).build_full_result()
    return answer.get("Parameters") or []


@RdsLayerErrorHandler.common_error_handler("list the tags of {arn}")
@retry
def resource_tags(client, arn):
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(ResourceName=arn).get("TagList") or [])


@RdsLayerErrorHandler.common_error_handler("describe security groups {group_ids}")
@retry
def describe_security_groups(client, group_ids):
    answer = client.get_paginator("describe_security_groups").paginate(Filters=[{"Name": "group-id", "Values": group_ids}]).build_full_result()
    return answer.get("SecurityGroups") or []


def normalised_instance(instance):
    """The instance as amazon.aws.rds_instance_info returns it: snake_case, TagList as the dict tags."""
    if not instance:
        return {}
    instance = dict(instance)
    instance["Tags"] = boto3_tag_list_to_ansible_dict(instance.pop("TagList", None) or [])
    return camel_dict_to_snake_dict(instance, ignore_list=["Tags", "ProcessorFeatures"])


def normalised_subnet_group(group, tags):
    """The group as amazon.aws.rds_subnet_group returns it (snake_case, subnet_ids, tags)."""
    if not group:
        return {}
    result = camel_dict_to_snake_dict(group)
    result["subnet_ids"] = [subnet.get("subnet_identifier") for subnet in result.get("subnets") or []]
    result["tags"] = tags
    return result


def normalised_security_group(group):
    """The group as amazon.aws.ec2_security_group_info returns it (snake_case, tags as a dict)."""
    result = camel_dict_to_snake_dict(group)
    result["tags"] = boto3_tag_list_to_ansible_dict(result.get("tags") or [], tag_name_key_name="key", tag_value_key_name="value")
    return result


def read_subnet_group(client, name):
    group = describe_subnet_group(client, name)
    return normalised_subnet_group(group, resource_tags(client, group["DBSubnetGroupArn"]) if group else {})


def read_parameter_group(client, name):
    group = describe_parameter_group(client, name)
    if not group:
        return {}
    return dict(camel_dict_to_snake_dict(group), tags=resource_tags(client, group["DBParameterGroupArn"]))


def read_parameters(client, name, parameter_names):
    """The user-modified parameters by name; when one of parameter_names is not among them (it has its engine's default
    value, or it is no parameter of the family), every parameter, so that it can be compared (or found missing)."""
    parameters = describe_parameters(client, name, "user")
    if parameters is None:
        return {}
    found = {parameter["ParameterName"]: parameter for parameter in parameters}
    if any(wanted not in found for wanted in parameter_names):
        everything = describe_parameters(client, name) or []
        found.update((parameter["ParameterName"], parameter) for parameter in everything if parameter["ParameterName"] in parameter_names)
    return found


def _not_asked():
    """The answer of a part not asked for."""
    return None


def read_layer(clients, names):
    """{instance, subnet_group, parameter_group, parameters, security_groups}, each empty when it does not exist or was
    not asked for. clients: {rds, ec2}; names: {db_instance_identifier, db_subnet_group, db_parameter_group,
    parameter_names, security_group_ids} (the last four may be empty: that part is then not read).

    Raises AnsibleAWSError with AWS's error."""
    rds = clients["rds"]
    with SideBySide(MAX_WORKERS) as reads:
        instance = reads.start(describe_db_instance, rds, names["db_instance_identifier"])
        subnet_group = reads.start(read_subnet_group, rds, names["db_subnet_group"]) if names.get("db_subnet_group") else _not_asked
        parameter_group_name = names.get("db_parameter_group")
        parameter_group = reads.start(read_parameter_group, rds, parameter_group_name) if parameter_group_name else _not_asked
        parameters = reads.start(read_parameters, rds, parameter_group_name, names.get("parameter_names") or []) if parameter_group_name else _not_asked
        group_ids = names.get("security_group_ids") or []
        security_groups = reads.start(describe_security_groups, clients["ec2"], group_ids) if group_ids else _not_asked
        return {
            "instance": normalised_instance(instance()),
            "subnet_group": subnet_group() or {},
            "parameter_group": parameter_group() or {},
            "parameters": parameters() or {},
            "security_groups": [normalised_security_group(group) for group in security_groups() or []],
        }
