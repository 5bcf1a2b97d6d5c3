#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: rds_layer_info
version_added: 0.1.0
short_description: Read a DB instance, its subnet group, parameter group and security groups in one step
description:
  - Reads, by name and side by side, the DB instance O(db_instance_identifier) (one C(DescribeDBInstances) call, with
    its tags, its master user secret, its pending values and whether it is a read replica), the DB subnet group
    O(db_subnet_group) (C(DescribeDBSubnetGroups), then C(ListTagsForResource)), the DB parameter group
    O(db_parameter_group) (C(DescribeDBParameterGroups), then C(ListTagsForResource)), its user-modified parameters
    (C(DescribeDBParameters) with the source C(user)) and the security groups O(security_group_ids) with their rules
    (C(DescribeSecurityGroups)).
  - RDS filters a group's parameters by their source only. When a parameter of O(parameter_names) is not among the
    user-modified ones (it still has its engine's default value, or the family has no such parameter), every parameter
    of the group is read once more, so that it can be compared or found missing.
  - Returns them as the role C(hybridcloud.aws.rds_postgres) compares them (filter C(hybridcloud.aws.rds_postgres_writes)),
    so that the role runs a write module only where something differs. The instance is returned as
    M(amazon.aws.rds_instance_info) returns it, the subnet group as M(amazon.aws.rds_subnet_group) returns it, the
    parameters as RDS answers them (the form M(amazon.aws.rds_instance_param_group) compares), the security groups as
    M(amazon.aws.ec2_security_group_info) returns them.
  - A resource that does not exist is not an error; its entry is then empty.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  db_instance_identifier:
    description: The DB instance identifier.
    type: str
    required: true
  db_subnet_group:
    description: The name of the DB subnet group; empty reads none.
    type: str
    default: ""
  db_parameter_group:
    description: The name of the DB parameter group; empty reads neither the group nor its parameters.
    type: str
    default: ""
  parameter_names:
    description:
      - Parameters of O(db_parameter_group) to return whatever their source (the ones the caller sets). The
        user-modified parameters are always returned.
    type: list
    elements: str
    default: []
  security_group_ids:
    description: Ids of the security groups to read with their rules; empty reads none.
    type: list
    elements: str
    default: []
notes:
  - Needs C(rds:DescribeDBInstances), C(rds:DescribeDBSubnetGroups), C(rds:DescribeDBParameterGroups),
    C(rds:DescribeDBParameters), C(rds:ListTagsForResource) and C(ec2:DescribeSecurityGroups).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the PostgreSQL layer once
  hybridcloud.aws.rds_layer_info:
    db_instance_identifier: hybridcloud-postgres
    db_subnet_group: hybridcloud-postgres
    db_parameter_group: hybridcloud-postgres-postgres16
    parameter_names: [rds.force_ssl]
    security_group_ids: [sg-0123456789abcdef0]
  register: layer
"""

RETURN = r"""
instance:
  description:
    - The instance as M(amazon.aws.rds_instance_info) returns it (snake_case, C(tags) a dict); empty when there is none.
  returned: always
  type: dict
  sample:
    db_instance_identifier: hybridcloud-postgres
    db_instance_arn: "arn:aws:rds:us-east-1:123456789012:db:hybridcloud-postgres"
    db_instance_status: available
    engine: postgres
    engine_version: "16.4"
    endpoint: {address: hybridcloud-postgres.abcdefghijkl.us-east-1.rds.amazonaws.com, port: 5432}
    multi_az: true
    master_user_secret:
      secret_arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0123-AbCdEf"
      secret_status: active
      kms_key_id: "arn:aws:kms:us-east-1:123456789012:key/1111aaaa-2222-3333-4444-555566667777"
    tags: {Project: hybridcloud}
subnet_group:
  description:
    - The subnet group as M(amazon.aws.rds_subnet_group) returns it (snake_case, C(subnet_ids), C(tags) a dict); empty
      when there is none.
  returned: always
  type: dict
  sample:
    db_subnet_group_name: hybridcloud-postgres
    db_subnet_group_description: Private subnets of the hybrid cloud's PostgreSQL
    db_subnet_group_arn: "arn:aws:rds:us-east-1:123456789012:subgrp:hybridcloud-postgres"
    subnet_ids: [subnet-0123456789abcdef0, subnet-0fedcba9876543210]
    tags: {Project: hybridcloud}
parameter_group:
  description: The parameter group in snake_case with C(tags) as a dict; empty when there is none.
  returned: always
  type: dict
  sample:
    db_parameter_group_name: hybridcloud-postgres-postgres16
    db_parameter_group_family: postgres16
    description: PostgreSQL 16 of the hybrid cloud, TLS only
    db_parameter_group_arn: "arn:aws:rds:us-east-1:123456789012:pg:hybridcloud-postgres-postgres16"
    tags: {Project: hybridcloud}
parameters:
  description:
    - The user-modified parameters of the group and those of O(parameter_names), by name, each as
      C(DescribeDBParameters) answers it; empty when the group does not exist.
  returned: always
  type: dict
  sample:
    rds.force_ssl: {ParameterName: rds.force_ssl, ParameterValue: "1", DataType: boolean, IsModifiable: true, Source: user}
security_groups:
  description: The security groups that exist, as M(amazon.aws.ec2_security_group_info) returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - group_id: sg-0123456789abcdef0
      group_name: hybridcloud-rds
      ip_permissions:
        - {ip_protocol: tcp, from_port: 5432, to_port: 5432, ip_ranges: [{cidr_ip: 192.168.20.0/24}], user_id_group_pairs: []}
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.rds_layer import read_layer


def main():
    argument_spec = dict(
        db_instance_identifier=dict(type="str", required=True),
        db_subnet_group=dict(type="str", default=""),
        db_parameter_group=dict(type="str", default=""),
        parameter_names=dict(type="list", elements="str", default=[]),
        security_group_ids=dict(type="list", elements="str", default=[]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    clients = {service: module.client(service) for service in ("rds", "ec2")}
    try:
        layer = read_layer(clients, module.params)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, region=module.region, **layer)


if __name__ == "__main__":
    main()
